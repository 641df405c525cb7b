"""Fill in copies of a blank questionnaire (`cyberdip init RUBRIC -o blank.xlsx`) as N
respondents of one ministry would, for the `import` and `merge` figures. Setup only,
never timed.

    python fill_workbooks.py BLANK.xlsx OUT_FOLDER N [--seed 1]

Writes OUT_FOLDER/respondent-001.xlsx ... with openpyxl, which cyberdip already depends
on: the Start sheet names the organisation, the period and the respondent; on the
Answers sheet every question is answered (yes or no for an indicator, a number in range
for a measured criterion), a few with evidence. An indicator is met up to its criterion's
level and not above; each respondent's levels lean to its own maturity, so respondents
disagree as real ones do. Seeded: the same files every time.
"""

import argparse
import random
import re
from pathlib import Path

import openpyxl


def answer(rng: random.Random, allowed: str, indicator_level: int | None,
           level: int) -> object:
    if allowed.startswith(("yes if", "yes or no")):  # met from the bottom up, to its level
        return "yes" if indicator_level is not None and indicator_level <= level else "no"
    m = re.search(r"from (\d+) to (\d+)", allowed)
    if m:
        return rng.randint(int(m.group(1)), int(m.group(2)))
    return rng.randint(0, 96)  # "a number (hours), at least 0"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("blank", type=Path)
    ap.add_argument("out", type=Path)
    ap.add_argument("n", type=int)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(args.seed)
    wb = openpyxl.load_workbook(args.blank)
    start, ws = wb["Start"], wb["Answers"]
    heads = {c.value: c.column for c in ws[1]}
    col = {k: heads[k] for k in ("title", "answer", "evidence", "allowed answers")}
    details = {"organisation": "Ministry of Foreign Affairs of Ruritania", "country": "Ruritania",
               "period": "2026"}
    for i in range(1, args.n + 1):
        details["respondent"] = f"Respondent {i:03d}"
        for row in start.iter_rows():
            if row[0].value in details:
                row[1].value = details[row[0].value]
        maturity = rng.uniform(0.3, 0.8)
        levels: dict[str, int] = {}  # each criterion's level, near the respondent's maturity
        for row in ws.iter_rows(min_row=2):
            r = row[0].row
            criterion = str(row[0].value).split(":")[0]
            if criterion not in levels:
                levels[criterion] = max(0, min(5, round(rng.gauss(maturity * 5, 1))))
            allowed = str(ws.cell(row=r, column=col["allowed answers"]).value or "")
            m = re.search(r"level (\d+)", str(ws.cell(row=r, column=col["title"]).value))
            ws.cell(row=r, column=col["answer"]).value = answer(
                rng, allowed, int(m.group(1)) if m else None, levels[criterion])
            ws.cell(row=r, column=col["evidence"]).value = (
                f"Annual report {rng.randint(2019, 2025)}, section {rng.randint(1, 12)}"
                if rng.random() < 0.3 else None)
        wb.save(args.out / f"respondent-{i:03d}.xlsx")
    print(f"wrote {args.n} workbooks to {args.out}")


if __name__ == "__main__":
    main()
