"""`cyberdip init` and `cyberdip score`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from cyberdip.cli.common import (
    AsOfOpt,
    ForceOpt,
    RubricOpt,
    StrictOpt,
    _color,
    check_gates,
    command,
    err,
    fail,
    finite,
    format_enum,
    handled,
    load_scorecard,
    out,
    output_format,
    questionnaire_languages,
    questionnaire_wording,
    refuse_to_clobber,
    rubric_ref_for,
)

# -- init and score ----------------------------------------------------------------------


BlankFormat = format_enum("init")


@command("Write a blank questionnaire: workbook, CSV, YAML or web form.")
@handled
def init(
    rubric: Annotated[str, typer.Argument(metavar="RUBRIC",
                                          help="A built-in rubric id or a rubric file.")],
    output: Annotated[Path, typer.Option("--output", "-o", metavar="FILE",
                                         help="The file to write (.yaml, .xlsx, .csv or .html).")],
    force: ForceOpt = False,
    fmt: Annotated[BlankFormat | None, typer.Option(
        "--format", "-f", metavar="FORMAT", help="yaml (an assessment file), xlsx (an Excel "
        "workbook with drop-down answers), csv (a plain sheet) or html (a form that opens "
        "in a browser, offline); fill in any of them, then `cyberdip import`; default: "
        "from the output's extension.")] = None,
    profile: Annotated[str | None, typer.Option(
        "--profile", metavar="PROFILE", help="For a rubric with profiles (such as "
        "headquarters and mission): whom the assessment is for; only its questions are "
        "listed. Default: the rubric's first profile.")] = None,
    areas: Annotated[list[str] | None, typer.Option(
        "--areas", metavar="ID,ID", help="A section: only these areas' questions.")] = None,
    criteria: Annotated[list[str] | None, typer.Option(
        "--criteria", metavar="ID,ID", help="A section: only these criteria (with --areas: "
        "these as well).")] = None,
    respondent: Annotated[str | None, typer.Option(
        "--respondent", metavar="NAME", help="Whom the section is for (a directorate); "
        "recorded in the cycle manifest.")] = None,
    cycle: Annotated[Path | None, typer.Option(
        "--cycle", metavar="FILE", help="With --respondent: the cycle manifest to record "
        "the section in; default: cycle.yaml in the output's folder.")] = None,
    carry_from: Annotated[Path | None, typer.Option(
        "--from", metavar="ASSESSMENT", help="Pre-fill last year's answers (a YAML "
        "assessment of the same rubric version), each marked carried forward, to "
        "re-confirm.")] = None,
    mode: Annotated[str, typer.Option(
        "--mode", metavar="MODE", help="How a criterion with indicators is asked: "
        "indicators (one row per indicator, yes or no; the level follows) or levels (one "
        "row per criterion, a level from a drop-down).")] = "indicators",
    lang: Annotated[str, typer.Option(
        "--lang", metavar="LANG", help="The questionnaire's language: en or ur (Urdu, "
        "right to left); it imports back to the same answers.")] = "en",
    marking: Annotated[str | None, typer.Option(
        "--marking", metavar="TEXT", help="A protective marking, e.g. TLP:AMBER: the web "
        "form shows it on every screen and page, and the answers it saves carry it.")]
    = None,
    pin: Annotated[bool, typer.Option(
        "--pin", help="Pin the rubric in the assessment written (.yaml only): "
        "`rubric_sha256`, the SHA-256 of the rubric file; scoring then refuses the rubric "
        "once its file changes (docs/packs.md).")] = False,
) -> None:
    """Write a blank assessment, every criterion listed with its question and levels.

    A .yaml file is an assessment to fill in. A .xlsx file is an Excel workbook (an
    instructions sheet, and one row per question with a drop-down list of the answers
    that fit); a .csv file is a plain sheet. Fill either in with Excel or LibreOffice
    and turn it into an assessment with `cyberdip import`.

    With --areas or --criteria it writes a section holding only those questions; with
    --respondent it names whom the section is for and records what was sent, to whom,
    in the cycle manifest (`cycle.yaml`), which `merge` and `status` read. With --from
    it pre-fills last year's answers, each marked "carried forward, to re-confirm":
    the respondent confirms, changes or clears each (docs/cycle.md).

    --mode levels asks a criterion with indicators once, with a level, instead of once
    per indicator; --lang ur writes the questionnaire in Urdu (docs/questionnaire.md).

    \b
    Example:
      cyberdip init cyberdip-core -o berlin.xlsx
      cyberdip init cyberdip-core --mode levels --lang ur -o berlin-ur.xlsx
      cyberdip init cyberdip-core --areas strategy,capacity --respondent "Policy Planning" \\
          --from berlin-2025.yaml -o policy.xlsx
    """
    from cyberdip.formats import documents
    from cyberdip.formats import questionnaire as q
    from cyberdip.formats.blank import Blank
    from cyberdip.report import registry
    from cyberdip.yamlio import write_atomic

    kind = output_format(output, fmt, "init", "yaml")
    if pin and kind != "yaml":
        fail(f"--pin writes the pin into a YAML assessment; a .{kind} sheet does not carry "
             "it: write a .yaml file, or leave out --pin", 2, path=output)
    if mode not in q.MODES:
        fail(f"--mode {mode}: choose one of {', '.join(q.MODES)}", 2)
    if lang not in questionnaire_languages():
        fail(f"--lang {lang}: a questionnaire is written in one of "
             f"{', '.join(questionnaire_languages())}", 2)
    path = documents.resolve_rubric(rubric)
    r = documents.rubric_at(path)
    if profile is not None and profile not in r.profile_ids():
        known = ", ".join(r.profile_ids())
        fail(f"--profile {profile}: " + (f"the rubric's profiles are {known}" if known else
                                           "this rubric has no profiles"), 2)
    chosen = profile or r.default_profile()
    section, manifest_path = _section(r, chosen, areas, criteria, respondent, cycle,
                                      carry_from, output)
    refuse_to_clobber(output, [path, *([carry_from] if carry_from else [])], force)
    ref = rubric_ref_for(rubric, path, output)
    wording = questionnaire_wording(r, path, lang)
    extra: dict = {}
    if kind == "html":  # the offline form names its rubric's bytes and its saved file
        from cyberdip.report.form import ANSWERS_SUFFIX
        from cyberdip.report.i18n import RubricWords
        from cyberdip.textsafe import display_name

        # the name the form saves its answers as goes into a UTF-8 page: a byte of the
        # form's own name that is not UTF-8 is written as \xff, as every message shows it
        extra = {"rubric_sha256": r.file_sha256,
                 "answers_name": display_name(output.name.rsplit(".", 1)[0]) + ANSWERS_SUFFIX,
                 "rubric_words": wording.rubric or RubricWords(lang), "mode": mode,
                 "marking": marking}
    elif marking is not None:
        fail("--marking goes on the web form (-o FILE.html); a workbook, sheet or YAML "
             "file takes its marking in `marking:` once answered", 2)
    write_atomic(output, registry.render(kind, Blank(
        r, ref, profile, section, pin=r.file_sha256 if pin else None, mode=mode,
        wording=wording), **extra))
    n = sum(1 for _, c in r.criteria() if c.applies(chosen)
            and (section is None or section.holds(c.id)))
    rows = sum(1 for row in q.rows(r, chosen, mode)
               if section is None or section.holds(row.criterion.id))
    what = "criterion" if n == 1 else "criteria"
    # a sheet has a row per indicator (indicators mode): say how many there are to fill
    with_indicators = any(c.indicators for _, c in r.criteria() if c.applies(chosen))
    count = ((f"{n} {what}, {rows} rows to answer" if rows != n
              else f"{n} {what} to answer, one row each")
             + (f" ({mode})" if with_indicators else ""))
    if section is not None and section.prefill:
        err(f"{len(section.prefill)} answers carried forward from {carry_from}, marked to "
            "re-confirm")
    if manifest_path is not None and section is not None:
        _record(manifest_path, r, rubric_ref_for(rubric, path, manifest_path), output, kind,
                areas, criteria, section, carry_from)
    if kind == "csv":
        err(f"wrote {output}: {count}. Next: fill in the "
            f"`answer` column (Excel: save as CSV UTF-8), then `cyberdip import {output} "
            "-o assessment.yaml`")
        return
    if kind == "html":
        err(f"wrote {output}: {n} questions to answer, in one page that opens in any "
            "browser with no network. Next: send it out; each respondent opens it, fills "
            f"it in and presses Save answers; then `cyberdip import "
            f"{extra['answers_name']} -o assessment.yaml` (several: `cyberdip merge`)")
        return
    if kind == "xlsx":
        err(f"wrote {output}: {count}. Next: send it out; "
            "each respondent fills in the sheet `Answers` in Excel or LibreOffice; then "
            f"`cyberdip import {output} -o assessment.yaml` (several respondents: "
            "`cyberdip merge`)")
        return
    err(f"wrote {output}: {n} {what} to answer. Next: fill it in, then "
        f"`cyberdip score {output}`")


def _section(r, profile, areas, criteria, respondent, cycle, carry_from, output):
    """The section `init` writes (None for a whole questionnaire) and the manifest to
    record it in (None without --respondent)."""
    from cyberdip.formats import cycle as cy

    if cycle is not None and respondent is None:
        fail("--cycle goes with --respondent (whom the section is sent to)", 2)
    if respondent is not None and not respondent.strip():
        fail("--respondent: give a name", 2)
    if not (areas or criteria or respondent or carry_from):
        return None, None
    only = None
    if areas or criteria:
        ids, problems = cy.select(r, areas, criteria, profile)
        if problems:
            for p in problems:
                err(f"error: {p}")
            raise typer.Exit(2)
        if not ids:
            fail("--areas/--criteria: no question is left to ask", 2)
        only = frozenset(ids)
    prefill: dict = {}
    marker = None
    organisation: dict = {}
    if carry_from is not None:
        prefill, marker, organisation = _carry(r, carry_from, only, profile)
    manifest = None
    if respondent is not None:
        manifest = cycle if cycle is not None else output.parent / "cycle.yaml"
        if manifest.exists() and not manifest.is_file():
            fail("the cycle manifest is not a regular file; give another with --cycle", 2,
                 path=manifest)
    return cy.Section(only, respondent.strip() if respondent else None, prefill, marker,
                      organisation), manifest


def _carry(r, carry_from: Path, only, profile):
    from cyberdip import yamlio
    from cyberdip.errors import CyberdipError
    from cyberdip.formats import cycle as cy
    from cyberdip.formats import documents

    checked = documents.load_assessment(str(carry_from))
    previous = checked.assessment
    theirs = previous.rubric_version or checked.rubric.version
    data = yamlio.load(carry_from).data
    if checked.rubric.id == r.id and theirs != r.version:
        data = _across_versions(data, checked.rubric, r, theirs, carry_from)
    elif checked.rubric.id != r.id:
        data = None
    if data is None:
        raise CyberdipError(
            f"--from answered `{checked.rubric.id}` {theirs}, but this questionnaire is "
            f"`{r.id}` {r.version}; answers are carried forward within one version of a "
            "rubric, or across versions a rubric map links", path=str(carry_from),
            code="CD709")
    ids = [c.id for _, c in r.criteria() if c.applies(profile)
           and (only is None or c.id in only)]
    prefill, marker = cy.carry(data, carry_from.name, ids)
    org = previous.organisation.model_dump(exclude_none=True)
    return prefill, marker, org


def _across_versions(data, old, new, theirs: str, carry_from: Path):
    """Last year's answers (``data``) carried to ``new`` through the rubric map between
    the two versions (``formats.carry``), with a note of what it did; None when no map
    links them."""
    from collections import Counter

    from cyberdip.formats import carry as cf

    def minor(v: str) -> str:
        return ".".join(v.split(".")[:2])

    path = cf.map_path(new.id, minor(theirs), minor(new.version))
    if old.version != theirs or not path.is_file():
        return None
    moved, report = cf.carry_forward(data, old, new, cf.load_map(path))
    counts = Counter(x.outcome for x in report)
    said = ", ".join(f"{counts[k]} {k}" for k in cf.OUTCOMES if counts[k])
    err(f"note: {carry_from} answered {new.id} {theirs}; carried to {new.version} through "
        f"the rubric map ({said}); every answer carried is marked to re-confirm")
    return moved


def _record(path: Path, r, ref: str, output: Path, kind: str, areas, criteria, section,
            carry_from) -> None:
    """Add or update the section's entry in the cycle manifest, keeping every other."""
    import os

    from cyberdip.formats import cycle as cy
    from cyberdip.yamlio import write_atomic

    if path.exists():
        manifest = cy.load_manifest(str(path))
        theirs = cy.manifest_rubric(manifest, str(path))
        if (theirs.id, theirs.version) != (r.id, r.version):
            fail(f"this cycle is of `{theirs.id}` {theirs.version}, not "
                 f"`{r.id}` {r.version}; give another manifest with --cycle", 1, path=path)
    else:
        manifest = cy.Manifest(ref, r.version)
    entry: dict = {"respondent": section.respondent,
                   "file": os.path.relpath(output.resolve(), path.resolve().parent),
                   "format": kind,
                   "areas": [a for part in areas or [] for a in part.split(",") if a.strip()],
                   "criteria": [c for part in criteria or [] for c in part.split(",")
                                if c.strip()],
                   "ids": sorted(section.only) if section.only is not None else
                   [c.id for _, c in r.criteria()]}
    entry["ids"] = [c.id for _, c in r.criteria() if c.id in set(entry["ids"])]
    if carry_from is not None:
        entry["carried_from"] = carry_from.name
    replaced = manifest.put(entry)
    write_atomic(path, manifest.text())
    err(f"{'updated' if replaced else 'recorded'} the section for {section.respondent} in "
        f"{path} ({len(manifest.sections)} sections in this cycle)")


ScoreFormat = format_enum("score")


@command("Score an assessment: index, stage, coverage and top gaps.")
@handled
def score(
    assessment: Annotated[str, typer.Argument(metavar="ASSESSMENT",
                                              help="The assessment file (YAML).")],
    rubric: RubricOpt = None,
    fmt: Annotated[ScoreFormat, typer.Option("--format", "-f", metavar="FORMAT",
                                             help="text (a scorecard) or json.")] =
    ScoreFormat.text,
    strict: StrictOpt = False,
    min_coverage: Annotated[float | None, typer.Option(
        "--min-coverage", min=0, max=100, metavar="PERCENT", callback=finite,
        help="Gate: exit 1 when coverage (the share answered, 0 to 100) is below "
        "PERCENT. Also marks results below it provisional (default 80).")] = None,
    fail_under: Annotated[float | None, typer.Option(
        "--fail-under", min=0, max=100, metavar="INDEX", callback=finite,
        help="Gate: exit 1 when the index (0 to 100) is below INDEX.")] = None,
    as_of: AsOfOpt = None,
) -> None:
    """Score an assessment: index, stage, coverage, and the gaps that matter most.

    \b
    Example:
      cyberdip score berlin.yaml --fail-under 50 --min-coverage 80
    """
    from cyberdip.engine.scoring import DEFAULT_MIN_COVERAGE
    from cyberdip.report import registry

    card = load_scorecard(assessment, rubric, strict,
                          DEFAULT_MIN_COVERAGE if min_coverage is None else min_coverage,
                          as_of)
    options = {"color": _color(sys.stdout)} if fmt is ScoreFormat.text else {}
    out(registry.render(fmt.value, card, **options).decode("utf-8"))
    raise typer.Exit(check_gates(card, min_coverage, fail_under))


COMMANDS = (init, score)
