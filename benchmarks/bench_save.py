"""What saving an entry costs on a large diary: `Diary.add_entry` of --saves entries at random
times (so every index takes its insert somewhere in the middle), on a fresh copy of --db, in a
process of its own; median and 90th percentile of wall and CPU time per save.

    .venv/bin/python benchmarks/bench_save.py --db DIARY [--saves 300] [--src DIR]

Run it twice in a row, once with --src of the tree before a change on a diary at that tree's
schema and once with this checkout on the same diary migrated, to see what an index costs a
save (issue 18: migration 4's covering index). Fictional data only.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent

CHILD = r"""
import datetime as dt, json, random, sys, time
from probation_diary.core.model import Entry
from probation_diary.store.diary import Diary
path, saves = sys.argv[1], int(sys.argv[2])
diary = Diary.open(path, check=False)
version = diary.schema_version
types = [t for t in diary.reference().types.values() if not t.needs_crn and t.time_class != "absence"]
rng = random.Random(5)
first = dt.datetime(2007, 1, 1, 7, 0, tzinfo=dt.timezone.utc)
wall, cpu = [], []
for _ in range(saves):
    start = first + dt.timedelta(minutes=rng.randrange(20 * 365 * 24 * 60))
    entry = Entry(id=None, type_id=rng.choice(types).id, crn=None, start=start,
                  end=start + dt.timedelta(minutes=30), notes="synthetic")
    w, c = time.perf_counter(), time.process_time()
    diary.add_entry(entry)
    wall.append(time.perf_counter() - w)
    cpu.append(time.process_time() - c)
diary.close()
print(json.dumps({"version": version, "wall": wall, "cpu": cpu}))
"""


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", type=Path, required=True)
    ap.add_argument("--saves", type=int, default=300)
    ap.add_argument("--src", type=Path)
    args = ap.parse_args()
    env = dict(os.environ, PYTHONPATH=str((args.src or HERE.parent).resolve()))
    for key in ("PROBATION_DIARY_PASSPHRASE", "PROBATION_DIARY_NOW"):
        env.pop(key, None)
    work = Path(tempfile.mkdtemp(prefix="pd-save-"))
    try:
        copy = work / "diary.db"
        shutil.copy(args.db, copy)
        out = subprocess.run([sys.executable, "-c", CHILD, str(copy), str(args.saves)], env=env,
                             cwd=work, capture_output=True, text=True)
        if out.returncode:
            raise SystemExit(out.stderr.strip()[-500:])
        r = json.loads(out.stdout)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    def ms(values, q):
        return 1000 * (statistics.median(values) if q == 50 else statistics.quantiles(values, n=10)[-1])

    print(f"load {os.getloadavg()[0]:.1f}; schema {r['version']}; package from {args.src or 'this checkout'}; "
          f"{args.saves} saves: wall median {ms(r['wall'], 50):.2f} ms (p90 {ms(r['wall'], 90):.2f}), "
          f"CPU median {ms(r['cpu'], 50):.2f} ms (p90 {ms(r['cpu'], 90):.2f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
