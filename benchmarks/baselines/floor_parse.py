"""The floor for `cyberdip aggregate FOLDER`: read and parse the same files with libyaml's
CSafeLoader in two worker processes, and nothing else.

    python floor_parse.py FOLDER [--workers 2]
"""

import argparse
import multiprocessing
from pathlib import Path

import yaml


def load(path: str) -> int:
    with open(path, "rb") as f:
        return len(yaml.load(f, Loader=yaml.CSafeLoader)["answers"])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", type=Path)
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    files = sorted(str(p) for p in args.folder.glob("*.yaml"))
    chunk = max(1, min(16, len(files) // (args.workers * 8)))
    with multiprocessing.get_context("fork").Pool(args.workers) as pool:
        answers = sum(pool.imap(load, files, chunksize=chunk))
    print(f"{len(files)} files, {answers} answers")


if __name__ == "__main__":
    main()
