"""The floor for `cyberdip aggregate FOLDER`: read and parse the same files with libyaml's
CSafeLoader in two worker processes, and nothing else.

    python floor_parse.py FOLDER [--workers 2]
"""

import argparse
import multiprocessing
from pathlib import Path

import yaml


def parse(path: str):
    with open(path, "rb") as f:
        return yaml.load(f, Loader=yaml.CSafeLoader)


def load(path: str) -> int:
    return len(parse(path)["answers"])


def map_folder(func, folder: Path, workers: int = 2) -> list:
    """``func`` of every ``*.yaml`` file in ``folder``, in name order, on forked workers
    (no annotations from ``typing``: a floor imports nothing it does not need)."""
    files = sorted(str(p) for p in folder.glob("*.yaml"))
    chunk = max(1, min(16, len(files) // (workers * 8)))
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        return list(pool.imap(func, files, chunksize=chunk))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", type=Path)
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    answers = map_folder(load, args.folder, args.workers)
    print(f"{len(answers)} files, {sum(answers)} answers")


if __name__ == "__main__":
    main()
