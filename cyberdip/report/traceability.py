"""Traceability: which criteria cite which section of which paper.

``python -m cyberdip.report.traceability`` regenerates ``docs/traceability.md`` from the
built-in rubric and ``docs/traceability.yaml`` (the scope: every section of each paper in
the paper's order, its named items, and why an uncited one is out of scope); a test fails
when that file is stale.
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


def load_scope(path) -> dict | None:
    """The scope file beside the rubric's citations, or None when there is none."""
    from pathlib import Path

    import yaml

    p = Path(path)
    return yaml.safe_load(p.read_text(encoding="utf-8")) if p.is_file() else None


def _md(text: str) -> str:
    return text.replace("|", "\\|")


def _scope_rows(scope: dict | None, ref: str) -> list[tuple[str, str, str | None]]:
    """(section, topic, out-of-scope reason) in the paper's order: '' is the section itself."""
    rows = []
    for sec in (scope or {}).get("papers", {}).get(ref, []):
        rows.append((sec["section"], "", sec.get("out_of_scope")))
        rows += [(sec["section"], it["topic"], it.get("out_of_scope"))
                 for it in sec.get("items", [])]
    return rows


def problems(rubric: Rubric, scope: dict) -> list[str]:
    """What the scope leaves unexplained: a cited section it does not list, a section or
    item no criterion cites and no reason excuses, a topic naming an unknown criterion."""
    out = []
    data = table(rubric)
    ids = set(rubric.criterion_ids())
    for ref, secs in data.items():
        if ref not in scope.get("papers", {}):
            continue
        listed = {s["section"] for s in scope["papers"][ref]}
        out += [f"{ref}: cited section {s!r} is not a section of the paper"
                for s in secs if s not in listed]
    for ref in scope.get("papers", {}):
        for section, topic, reason in _scope_rows(scope, ref):
            cited = data.get(ref, {}).get(section, {})
            if not (cited.get(topic) if topic else cited) and not reason:
                out.append(f"{ref}: {section!r}{f' / {topic!r}' if topic else ''} is "
                           "cited by no criterion and has no out_of_scope reason")
    for t in scope.get("topics", []):
        out += [f"topic {t['topic']!r}: unknown criterion `{c}`"
                for c in t.get("criteria", []) if c not in ids]
        if not t.get("criteria") and not t.get("out_of_scope"):
            out.append(f"topic {t['topic']!r} has neither criteria nor an out_of_scope reason")
    return out


def to_markdown(rubric: Rubric, scope: dict | None = None) -> str:
    titles = {c.id: c.label for _, c in rubric.criteria()}
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
    refs = list((scope or {}).get("papers", {}))
    for ref in refs + sorted(set(data) - set(refs)):
        data.setdefault(ref, {})
        src = rubric.sources.get(ref)
        head = f"{src.citation()}, *{src.title}*" if src else ref
        lines += [f"## {head}", ""]
        if src and src.link():
            lines += [f"<{src.link()}>", ""]
        lines += ["| Section | Topic | Criteria |", "|---|---|---|"]
        rows = _scope_rows(scope, ref)
        listed = {(s, t) for s, t, _ in rows}
        # the paper's own order first; then anything cited that the scope does not list
        for section in dict.fromkeys([s for s, _, _ in rows] + sorted(data[ref])):
            topics = data[ref].get(section, {})
            scoped = [(t, r) for s, t, r in rows if s == section]
            extra = [(t, None) for t in sorted(topics) if (section, t) not in listed]
            for topic, reason in scoped + extra:
                ids = topics.get(topic, [])
                if ids:
                    cell = "<br>".join(f"`{i}` {_md(titles[i])}" for i in ids)
                elif reason:
                    cell = f"*Out of scope:* {_md(reason)}"
                elif not topic and topics:
                    continue  # the section row of a section cited only under its topics
                else:
                    cell = "**not covered, and no reason given**"
                lines.append(f"| {_md(section)} | {_md(topic) or '—'} | {cell} |")
        lines.append("")
    if scope and scope.get("topics"):
        lines += ["## Topics the papers raise", "", "| Topic | Criteria | Out of scope |",
                  "|---|---|---|"]
        for t in scope["topics"]:
            cells = "<br>".join(f"`{i}` {_md(titles.get(i, '?'))}"
                                for i in t.get("criteria", [])) or "—"
            lines.append(f"| {_md(t['topic'])} | {cells} | "
                         f"{_md(' '.join(t.get('out_of_scope', '—').split()))} |")
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

    root = Path(__file__).resolve().parents[2]
    r = documents.load_rubric_file(root / "rubrics" / "cyberdip-core.yaml")
    write_atomic(root / "docs" / "traceability.md",
                 to_markdown(r, load_scope(root / "docs" / "traceability.yaml")))
