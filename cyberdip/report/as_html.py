"""HTML: one self-contained page per result (inline CSS and SVG, no scripts, a strict
Content-Security-Policy), from the templates in ``report/templates/``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cyberdip.report.common import (
    LFL_NOTE,
    code_html,
    count_change,
    coverage_changed,
    environment,
    heat_bands,
    heat_rows,
    level,
    lfl_rows,
    num,
    pct,
    quartile_rows,
    signed,
    signed_int,
    summary_rows,
)

if TYPE_CHECKING:  # types only: a scorecard's report need not import the engine
    from cyberdip.engine.compare import Comparison, Portfolio
    from cyberdip.engine.scoring import Scorecard


def to_html(card: Scorecard, options: Any = None) -> str:
    """The gap report as one self-contained HTML file: inline CSS and SVG, no scripts."""
    from cyberdip.report.view import report_context

    return environment().get_template("report.html.j2").render(report_context(card, options))


def compare_html(c: Comparison) -> str:
    from cyberdip.report import svg
    from cyberdip.report.common import plan_progress_summary

    both = [a for a in c.areas if a.presence == "both"]
    radar = svg.radar(
        [a.title for a in both],
        [svg.Series(f"Previous ({c.old.period or c.old.label})",
                    [a.old_score for a in both], "previous", c.old.period or "previous"),
         svg.Series(f"Current ({c.new.period or c.new.label})",
                    [a.new_score for a in both], "current", c.new.period or "current")],
        title="Current score against previous, by area (0–100)")
    return environment().get_template("compare.html.j2").render(
        c=c, radar=radar, num=num, signed=signed, signed_int=signed_int,
        count_change=count_change, level=level, pct=pct, code=code_html,
        summary=summary_rows(c), lfl=lfl_rows(c), lfl_note=LFL_NOTE,
        coverage_changed=coverage_changed(c), plan_summary=plan_progress_summary,
        radar_missing=any(a.old_score is None or a.new_score is None for a in both))


def aggregate_html(p: Portfolio, *, source: str = "") -> str:
    """One self-contained page: the league table doubles as the heat map of area by unit,
    followed by the spread of each area and the shared weaknesses."""

    from cyberdip.report.common import (
        league_heading,
        method_footnote,
        portfolio_title,
        stage_counts,
    )

    return environment().get_template("aggregate.html.j2").render(
        p=p, rows=heat_rows(p), stats=quartile_rows(p), footnote=method_footnote(p, source),
        stage_counts=stage_counts(p), league_heading=league_heading(p),
        title=portfolio_title(p), bands=heat_bands(p), level=level, num=num)


def render(result: Any, **options: Any) -> str:
    """Any result as an HTML page: a scorecard, a comparison, a portfolio, or a blank
    questionnaire (the offline form)."""
    if type(result).__name__ == "Scorecard":
        from cyberdip.report.view import options_from

        opts = options_from(options)
        if options.get("brief"):
            from cyberdip.report.brief import brief_html

            return brief_html(result, opts)
        return to_html(result, opts)
    if type(result).__name__ == "Comparison":
        return compare_html(result)
    if type(result).__name__ == "Portfolio":
        return aggregate_html(result, **options)
    if type(result).__name__ == "Sensitivity":
        from cyberdip.report import sensitivity

        return sensitivity.to_html(result)
    if type(result).__name__ == "Blank":  # `init -o x.html`: the offline questionnaire
        from cyberdip.report import form

        return form.render(result, rubric_sha256=options.get("rubric_sha256") or "",
                           answers_name=options.get("answers_name") or "answers.json",
                           rubric_words=options.get("rubric_words"),
                           mode=options.get("mode") or "indicators",
                           marking=options.get("marking"))
    if type(result).__name__ == "Series":
        from cyberdip.report import trend

        return trend.to_html(result)
    raise TypeError(f"no HTML form for {type(result).__name__}")
