"""Traceability: which criteria cite which section of which paper.

``python -m cyberdip.report.traceability`` regenerates ``docs/traceability.md`` from the
built-in rubric; a test fails when that file is stale.
"""

from __future__ import annotations

from collections import defaultdict

from cyberdip.model.rubric import Rubric


def table(rubric: Rubric) -> dict[str, dict[str, dict[str, list[str]]]]:
    """ref -> section -> topic ('' for none) -> sorted criterion ids."""
    out: dict[str, dict[str, dict[str, set[str]]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(set)))
    for _, c in rubric.criteria():
        for s in c.sources:
            out[s.ref][s.section][s.topic or ""].add(c.id)
    return {ref: {sec: {t: sorted(ids) for t, ids in topics.items()}
                  for sec, topics in secs.items()} for ref, secs in out.items()}


def _md(text: str) -> str:
    return text.replace("|", "\\|")


def to_markdown(rubric: Rubric) -> str:
    titles = {c.id: c.title for _, c in rubric.criteria()}
    lines = [
        f"# Traceability of `{rubric.id}` {rubric.version}",
        "",
        f"Generated from `rubrics/{rubric.id}.yaml` by `python -m cyberdip.report.traceability`; "
        "do not edit by hand. A test fails when this file is stale.",
        "",
        "Each paper section, and each named item (topic) within it, with the criteria that "
        "cite it.",
        "",
    ]
    data = table(rubric)
    for ref in sorted(data):
        src = rubric.sources.get(ref)
        head = f"{src.citation()}, *{src.title}*" if src else ref
        lines += [f"## {head}", ""]
        if src and src.link():
            lines += [f"<{src.link()}>", ""]
        lines += ["| Section | Topic | Criteria |", "|---|---|---|"]
        for section in sorted(data[ref]):
            for topic in sorted(data[ref][section]):
                ids = data[ref][section][topic]
                cells = "<br>".join(f"`{i}` {_md(titles[i])}" for i in ids)
                lines.append(f"| {_md(section)} | {_md(topic) or '—'} | {cells} |")
        lines.append("")
    tags = defaultdict(list)
    for _, c in rubric.criteria():
        for t in c.tags:
            tags[t].append(c.id)
    if rubric.tags:
        lines += ["## Challenges (tags)", "", "| Tag | Meaning | Criteria |", "|---|---|---|"]
        for t in sorted(rubric.tags):
            lines.append(f"| `{t}` | {_md(rubric.tags[t])} | "
                         f"{', '.join(f'`{i}`' for i in sorted(tags[t])) or '—'} |")
        lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    from pathlib import Path

    from cyberdip.formats import documents
    from cyberdip.yamlio import write_atomic

    root = Path(__file__).resolve().parent.parent
    r = documents.load_rubric_file(root / "rubrics" / "cyberdip-core.yaml")
    write_atomic(root / "docs" / "traceability.md", to_markdown(r))
