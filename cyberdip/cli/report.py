"""`cyberdip report`: the gap report (or the one-page brief) as HTML, PDF, Word, Markdown
or JSON, in English or Urdu, with an optional protective marking."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from cyberdip.cli.common import (
    AsOfOpt,
    ForceOpt,
    RubricOpt,
    StrictOpt,
    check_gates,
    command,
    compare_problems,
    err,
    fail,
    finite,
    format_enum,
    handled,
    load_checked_scorecard,
    load_scorecard,
    load_scorecards,
    located,
    out,
    output_format,
    refuse_to_clobber,
    report_problems,
    series_of,
)

ReportFormat = format_enum("report")


class Lang(str, Enum):
    en = "en"
    ur = "ur"


def _marking(value: str | None) -> str | None:
    if value is None:
        return None
    text = " ".join(value.split())
    if not text:
        raise typer.BadParameter("a marking cannot be empty")
    if len(text) > 120:
        raise typer.BadParameter(f"a marking is one short line; this one has {len(text)} "
                                 "characters (at most 120)")
    return text


@command("Write the report or brief: HTML, PDF, Word, Markdown, JSON.")
@handled
def report(
    assessment: Annotated[str, typer.Argument(metavar="ASSESSMENT",
                                              help="The assessment file (YAML).")],
    output: Annotated[str, typer.Option(
        "--output", "-o", metavar="FILE", help="The report file to write (.html, .pdf, "
        ".docx, .md or .json), or - for stdout. An existing file is replaced only with "
        "--force; an input file never is.")],
    fmt: Annotated[ReportFormat | None, typer.Option(
        "--format", "-f", metavar="FORMAT", help="html, pdf, docx, md or json (default: "
        "from the output's extension; md for -).")] = None,
    rubric: RubricOpt = None,
    strict: StrictOpt = False,
    force: ForceOpt = False,
    min_coverage: Annotated[float | None, typer.Option(
        "--min-coverage", min=0, max=100, metavar="PERCENT", callback=finite,
        help="Mark the report provisional when coverage (the share answered, 0 to 100) "
        "is below PERCENT (default 80), and exit 1 after writing it when it is.")] = None,
    brief: Annotated[bool, typer.Option(
        "--brief", help="Write the one-page brief for leadership instead of the full "
        "report (.html, .pdf or .docx): figures, why the stage is what it is, scores by area "
        "and the steps that would raise the stage.")] = False,
    previous: Annotated[list[str] | None, typer.Option(
        "--previous", metavar="PREVIOUS", help="An earlier assessment of the same rubric: "
        "the brief shows the trend against it. Give it again for each earlier year: the "
        "brief then also shows the index of every year (the series must be of one unit, "
        "each dated, and this assessment the latest).")] = None,
    marking: Annotated[str | None, typer.Option(
        "--marking", metavar="TEXT", callback=_marking, help="A protective marking for the "
        "top and bottom of every page, e.g. TLP:AMBER or RESTRICTED (TLP 2.0 labels get "
        "their standard colours); overrides the assessment's `marking:`.")] = None,
    lang: Annotated[Lang, typer.Option(
        "--lang", metavar="LANG", help="The report's language: en (English) or ur (Urdu, "
        "right to left; the rubric's words come from its translation file, e.g. "
        "cyberdip-core.ur.yaml, and fall back to English, marked).")] = Lang.en,
    as_of: AsOfOpt = None,
) -> None:
    """Write the gap report: the answer first (index, stage and why, coverage, the five
    actions that lift the stage), then every area, the roadmap and the method.

    HTML is one self-contained file (no scripts, no network) that prints cleanly to A4;
    PDF is typeset offline (needs `pip install 'cyberdip[pdf]'`); Word (.docx) is an
    editable document (needs `pip install 'cyberdip[word]'`); Markdown renders on
    GitHub; JSON is the scorecard. --brief writes one A4 page for leadership.

    \b
    Example:
      cyberdip report berlin.yaml -o berlin.html
      cyberdip report berlin.yaml --brief --marking TLP:AMBER -o brief.pdf
      cyberdip report berlin.yaml --lang ur -o berlin-ur.pdf
      cyberdip report berlin.yaml --brief -o brief.docx
    """
    from cyberdip.engine.scoring import DEFAULT_MIN_COVERAGE
    from cyberdip.report import common, registry

    kind = ReportFormat(output_format(output, fmt, "report", "md"))  # - : Markdown
    previous = previous or []
    inputs = [Path(assessment)] + ([Path(rubric)] if rubric else []) + [
        Path(p) for p in previous]
    if brief and kind.value not in ("html", "pdf", "docx"):
        fail(f"--brief writes .html, .pdf or .docx, not {kind.value}; name the output "
             "brief.html, brief.pdf or brief.docx", path=output if output != "-" else None)
    if previous and not brief:
        fail("--previous gives the brief its trend: add --brief (for the full comparison, "
             "use `cyberdip compare`)")
    if lang is not Lang.en and kind.value == "json":
        fail("--lang applies to .html, .pdf, .docx and .md reports; JSON is the scorecard itself",
             path=output if output != "-" else None)
    if kind.value == "pdf":
        from cyberdip.report.as_pdf import engine_available, no_engine_error

        if output == "-":
            fail("a PDF is not written to stdout; give a file name, e.g. -o report.pdf")
        if not engine_available():
            raise no_engine_error(output)
    if kind.value == "docx":
        from cyberdip.report import as_docx

        if output == "-":
            fail("a Word document is not written to stdout; give a file name, e.g. "
                 "-o report.docx")
        if not as_docx.engine_available():
            raise as_docx.no_engine_error(output)
    if output != "-":
        target = Path(output)
        if target.suffix.lower() in (".yaml", ".yml"):
            fail("a report is never written to a .yaml file (it could be an "
                 "input: an assessment or a rubric); name it .html, .pdf, .docx, .md or .json",
                 path=output)
        refuse_to_clobber(target, inputs, force)  # early, before any work
        if not target.parent.is_dir() and str(target.parent):
            fail(f"the folder {target.parent} does not exist; create it first", path=output)
    minimum = DEFAULT_MIN_COVERAGE if min_coverage is None else min_coverage
    checked, card = load_checked_scorecard(assessment, rubric, strict, minimum, as_of)
    if marking is not None:
        card = card.model_copy(update={"marking": marking})
    options = {"lang": lang.value, "brief": brief}
    if lang is not Lang.en:
        options["rubric_words"] = rubric_words(checked, lang.value)
    if len(previous) == 1:
        from cyberdip.engine.compare import compare
        from cyberdip.textsafe import display_name

        old = load_scorecard(previous[0], rubric, strict, minimum)
        comparison = compare(old, card, old_label=display_name(previous[0]),
                             new_label=display_name(assessment), new_path=assessment)
        report_problems(compare_problems(comparison, {"old": previous[0],
                                                      "new": assessment}))
        options["comparison"] = comparison
    elif previous:
        options.update(_series_options(previous, assessment, card, rubric, strict, minimum))
    data = registry.render(kind.value, card, **options)
    if output == "-":
        out(data.decode("utf-8"))
    else:
        from cyberdip.yamlio import write_atomic

        refuse_to_clobber(target, inputs, force)  # again, now the rubric has been read too
        write_atomic(target, data)  # raises CD402 (exit 2) when it cannot write
        note = " (provisional: coverage below the minimum)" if card.provisional else ""
        what = "brief" if brief else "report"
        err(f"wrote {output}: {kind.value} {what}, index {common.fmt_score(card.index)}, "
            f"{len(card.gaps)} gap(s){note}")
    raise typer.Exit(check_gates(card, min_coverage, None))


def _series_options(previous: list[str], assessment: str, card, rubric: str | None,
                    strict: bool, minimum: float) -> dict:
    """The brief's trend over several years: the series of the ``--previous`` files and
    this assessment, which must be the latest (CD728), and the comparison with the year
    before it (its warnings on stderr)."""
    from cyberdip.engine.compare import compare
    from cyberdip.errors import InvalidInput
    from cyberdip.textsafe import display_name

    paths = [*previous, assessment]
    cards = [*load_scorecards(previous, rubric, strict, minimum), card]
    result = series_of(paths, cards)
    last = result.points[-1]
    if last.item != len(paths) - 1:
        raise InvalidInput([located(
            paths[last.item], [last.when.field], "error", "CD728",
            f"{display_name(paths[last.item])} ({last.when.field} {last.when.value}) is "
            f"later than {display_name(assessment)}: the brief is of the latest year; make "
            "the brief of that file, or leave it out of --previous")])
    before = result.points[-2]
    comparison = compare(cards[before.item], card, old_label=display_name(paths[before.item]),
                         new_label=display_name(assessment), new_path=assessment)
    return {"comparison": comparison, "series": result}


def rubric_words(checked, lang: str):
    """The rubric's words in ``lang``, from the translation file beside the rubric; its
    problems are reported (errors stop the report, exit 1), and a summary says how
    much of the rubric stays in English."""
    from cyberdip.errors import InvalidInput
    from cyberdip.formats import documents
    from cyberdip.report.i18n import LANGUAGES, RubricWords

    found = documents.load_translation_for(checked.rubric, checked.rubric_path, lang)
    name = LANGUAGES[lang][0]
    if found is None:
        err(f"warning: the rubric `{checked.rubric.id}` has no {name} translation "
            f"({documents.translation_path(checked.rubric_path, lang).name}); its words are "
            "shown in English, marked EN")
        return RubricWords(lang)
    translation, problems = found
    errors = [p for p in problems if p.level == "error"]
    if errors:
        raise InvalidInput(errors)
    cov = translation.coverage
    if cov.translated < cov.total:
        err(f"warning: {translation.path}: the {name} translation covers {cov.translated} of "
            f"{cov.total} rubric strings ({cov.stale} stale); the rest are shown in English, "
            "marked EN (run `cyberdip validate` on it for the list)")
    return RubricWords(lang, translation)


COMMANDS = (report,)
