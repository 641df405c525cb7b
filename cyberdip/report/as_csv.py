"""CSV: one row per area of a comparison, or per unit of a portfolio; a blank
questionnaire sheet. Every cell from a file goes through ``textsafe.csv_cell``."""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # types only: a scorecard's report need not import the engine
    from cyberdip.engine.compare import Comparison, Portfolio



def compare_csv(c: Comparison) -> str:
    """One row per area: the headline scores, the like-for-like scores, the part of the
    change due to coverage, and whether the area regressed. Text cells pass through
    ``csv_cell`` (no formulas); the numbers are ours."""
    from cyberdip.textsafe import csv_cell

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")

    def f(v: float | None) -> str:
        return "" if v is None else f"{v:.2f}"

    w.writerow(["area", "title", "previous", "current", "change", "like_for_like_criteria",
                "like_for_like_previous", "like_for_like_current", "like_for_like_change",
                "due_to_coverage", "newly_assessed", "no_longer_assessed", "previous_stage",
                "current_stage", "regressed"])
    for a in c.areas:
        lfl = a.like_for_like
        w.writerow([csv_cell(a.id), csv_cell(a.title), f(a.old_score), f(a.new_score), f(a.delta),
                    lfl.criteria, f(lfl.old_score), f(lfl.new_score), f(lfl.delta),
                    f(a.coverage_effect), a.newly_assessed, a.no_longer_assessed,
                    "" if a.old_stage is None else a.old_stage,
                    "" if a.new_stage is None else a.new_stage,
                    "yes" if a.regressed else "no"])
    return buf.getvalue()


def aggregate_csv(p: Portfolio) -> str:
    """The league table, one row per assessment, area scores as columns.

    Every cell that comes from a file (names, periods, paths, stage names, area ids)
    passes through ``csv_cell``, so none can be taken for a formula; the numbers are
    ours and stay numbers."""
    from cyberdip.textsafe import csv_cell

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    banded = bool(p.bands)  # a band column only for a rubric that names bands
    w.writerow(["rank", "unit", "organisation", "country", "period", "path", "index",
                "index_low", "index_high"]
               + (["band"] if banded else []) + ["stage", "stage_name", "stage_units",
                                                 "coverage", "provisional"]
               + [csv_cell(f"area:{a.id}") for a in p.areas])
    # how many units of the portfolio share each row's stage ("71 of 120 at stage 0")
    at_stage = {s.stage: s.units for s in p.stages}
    for r in p.table:
        w.writerow(["" if r.rank is None else r.rank, csv_cell(r.label),
                    csv_cell(r.organisation), csv_cell(r.country),
                    csv_cell(r.period), csv_cell(r.path),
                    "" if r.index is None else f"{r.index:.2f}",
                    *(("", "") if r.index_range is None else
                      ("" if v is None else f"{v:.2f}"
                       for v in (r.index_range.low, r.index_range.high)))]
                   + ([csv_cell(r.band)] if banded else [])
                   + ["" if r.stage is None else r.stage, csv_cell(r.stage_name),
                      at_stage.get(r.stage, 0), f"{r.coverage:.2f}",
                      "yes" if r.provisional else "no"]
                   + ["" if v is None else f"{v:.2f}" for v in r.areas])
    return buf.getvalue()


def render(result: Any, **options: Any) -> str | bytes:
    """A comparison, a portfolio, or a blank questionnaire as CSV."""
    from cyberdip.formats.blank import Blank

    if type(result).__name__ == "Comparison":
        return compare_csv(result)
    if type(result).__name__ == "Portfolio":
        return aggregate_csv(result)
    if isinstance(result, Blank):
        from cyberdip.formats.spreadsheet import blank_csv

        return blank_csv(result.rubric, result.rubric_ref, result.profile,
                         result.section, result.mode, result.wording)
    if type(result).__name__ == "Sensitivity":
        from cyberdip.report import sensitivity

        return sensitivity.to_csv(result)
    if type(result).__name__ == "Series":
        from cyberdip.report import trend

        return trend.to_csv(result)
    raise TypeError(f"no CSV form for {type(result).__name__}")
