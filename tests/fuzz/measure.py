"""Run one command as a child and print what it cost, as JSON: exit code, CPU seconds
(user + system) and peak memory (MB), from ``resource.getrusage(RUSAGE_CHILDREN)``.

A fresh process per measurement, so the peak is this command's alone (RUSAGE_CHILDREN
keeps the largest child it ever waited for). CPU time, not wall-clock time: a busy
machine slows a run down but does not make it use more CPU.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys

if __name__ == "__main__":
    p = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                       timeout=900)
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(json.dumps({"code": p.returncode, "cpu": r.ru_utime + r.ru_stime,
                      "mb": r.ru_maxrss / 1024, "stderr": p.stderr.decode("utf-8",
                                                                         "replace")[-2000:]}))
