"""Generate N synthetic mission assessments of a rubric, with varied answers.

    python benchmarks/gen_missions.py OUT_DIR N [--rubric cyberdip-core] [--seed 1]

Deterministic: the same rubric, N and seed give byte-identical files. Each
mission has its own "maturity" around which its levels scatter, so the
portfolio has a spread; about 5% of answers are left blank, about 2% are
marked not applicable (with a reason), and higher claims carry evidence.
The files are marked ``illustrative: true``: they are made-up data.

It needs only PyYAML, not cyberdip: it reads the rubric file itself (a built-in
id is looked up in the checkout's ``rubrics/`` folder), so the benchmarks keep
working whatever the package's internal layout is.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
RUBRICS = ROOT / "rubrics"
CITIES = ["Berlin", "Beijing", "Washington", "London", "Paris", "Tokyo", "Riyadh", "Ankara",
          "Nairobi", "Brasilia", "Canberra", "Ottawa", "Jakarta", "Madrid", "Rome", "Seoul",
          "Tehran", "Kabul", "Dhaka", "Colombo", "Moscow", "Geneva", "Vienna", "Brussels"]


def _yaml_str(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def builtin_ids() -> list[str]:
    return sorted(p.stem for p in RUBRICS.glob("*.y*ml"))


def resolve_rubric(ref: str) -> Path:
    """A built-in rubric id (a file in rubrics/), or a path to a rubric file."""
    for suffix in (".yaml", ".yml"):
        if (RUBRICS / f"{ref}{suffix}").is_file():
            return RUBRICS / f"{ref}{suffix}"
    if os.path.isfile(ref):
        return Path(ref)
    raise SystemExit(f"rubric {ref!r} is neither a built-in ({', '.join(builtin_ids())}) "
                     "nor a file")


def load_rubric(path: Path) -> dict:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with open(path, "rb") as f:
        return yaml.load(f, Loader=loader)


def mission(rubric: dict, rubric_ref: str, i: int, rng: random.Random) -> str:
    """One assessment as YAML text (written directly: fast and byte-stable)."""
    lo, hi = rubric["scale"][0]["level"], rubric["scale"][-1]["level"]
    maturity = rng.uniform(lo, hi)
    # a mission answers as a mission where the rubric has that profile (format 2)
    profiles = [p["id"] for p in rubric.get("profiles") or []]
    profile = "mission" if "mission" in profiles else (profiles[0] if profiles else None)
    city = CITIES[i % len(CITIES)]
    lines = [
        f"rubric: {rubric_ref}",
        f"rubric_version: {rubric['version']}",
        "organisation:",
        "  name: Ministry of Foreign Affairs of Examplestan",
        f"  unit: {_yaml_str(f'Embassy in {city} #{i:05d}')}",
        "  country: Examplestan",
        'period: "2024"',
        "illustrative: true",
        *([f"profile: {profile}"] if profile else []),
        "answers:",
    ]
    need = (rubric.get("scoring") or {}).get("evidence_from_level")
    for area in rubric["areas"]:
        for c in area.get("criteria") or []:
            if profile and c.get("applies_to") and profile not in c["applies_to"]:
                continue
            roll = rng.random()
            if roll < 0.05:
                lines.append(f"  {c['id']}:")
                continue
            if roll < 0.07:
                lines.append(f"  {c['id']}: {{not_applicable: \"not relevant to this mission\"}}")
                continue
            level = max(lo, min(hi, round(rng.gauss(maturity, 1.2))))
            if c["kind"] == "boolean":
                answer = f"met: {'true' if level >= (lo + hi) / 2 else 'false'}"
            elif c["kind"] == "metric":
                m = c["metric"]
                top = float(m["max"]) if m.get("max") is not None else 100.0
                bottom = float(m["min"]) if m.get("min") is not None else 0.0
                share = (level - lo) / (hi - lo)
                if m.get("better", "higher") == "lower":
                    share = 1 - share
                answer = f"value: {round(bottom + share * (top - bottom), 1)}"
            else:
                answer = f"level: {level}"
            if need is not None and level >= need and rng.random() < 0.8:
                answer += f", evidence: [\"https://example.org/{c['id']}/{i}\"]"
            lines.append(f"  {c['id']}: {{{answer}}}")
    return "\n".join(lines) + "\n"


def unsupported(rubric: dict) -> str | None:
    """Why this generator cannot answer the rubric, or None: it answers criteria of a
    level scale (levels, yes or no, numbers) written directly in their areas."""
    if not rubric.get("scale"):
        return "it has no level scale"
    for area in rubric.get("areas") or []:
        if area.get("groups"):
            return f"area {area.get('id')!r} has groups"
        for c in area.get("criteria") or []:
            if c.get("kind", "level") not in ("level", "boolean", "metric"):
                return f"criterion {c.get('id')!r} is a {c.get('kind')} criterion"
    return None


def generate(out_dir: Path, n: int, *, rubric_ref: str = "cyberdip-core", seed: int = 1) -> None:
    path = resolve_rubric(rubric_ref)
    rubric = load_rubric(path)
    why = unsupported(rubric)
    if why is not None:
        raise SystemExit(f"{path}: cannot generate missions for this rubric: {why} (this "
                         "generator answers levels, yes or no and numbers only)")
    ref = rubric_ref if rubric_ref in builtin_ids() else os.path.relpath(
        path.resolve(), out_dir.resolve())
    out_dir.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    width = len(str(n))
    for i in range(1, n + 1):
        (out_dir / f"mission-{i:0{width}d}.yaml").write_text(
            mission(rubric, ref, i, rng), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out_dir", type=Path)
    ap.add_argument("n", type=int)
    ap.add_argument("--rubric", default="cyberdip-core",
                    help="A built-in rubric id or a rubric file (default cyberdip-core).")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    if args.n < 1:
        ap.error("N must be at least 1")
    generate(args.out_dir, args.n, rubric_ref=args.rubric, seed=args.seed)
    print(f"wrote {args.n} assessments to {args.out_dir}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
