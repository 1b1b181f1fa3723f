"""`trends --weeks 52` and `caseload` for a year on a 1,000,000-entry diary, cold: a fresh
process and an empty cache of finished weeks (issue 18; target: under 1 s of work each).
Each command runs on a fresh copy, alternating with `python -c pass` (the floor), median of
--runs; wall time and CPU time (user + system) of the process are both printed, because on a
shared machine the wall time is mostly other people's work.

    .venv/bin/python benchmarks/bench_evidence.py [--db /tmp/pd-evidence-1m.db] [--runs 5] [--src DIR] [--disk-cold]

The diary is built once by synth.py (fictional, 20 years, inserted in random time order, so
that a year's rows are scattered over the file: the worst case for the cold reads), unless
--db names an existing diary (e.g. one built by bench_ui.py, in time order).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

ENTRY = "import sys; from probation_diary.cli import main; sys.exit(main())"


def run(cmd: list[str], env: dict) -> tuple[float, float]:
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, cwd=tempfile.gettempdir(), stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t
    err = proc.stderr.read().decode()
    proc.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{cmd[3:]} failed: {err.strip()[:300]}")
    return wall, usage.ru_utime + usage.ru_stime


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", type=Path, default=Path(tempfile.gettempdir()) / "pd-evidence-1m.db")
    ap.add_argument("--entries", type=int, default=1_000_000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--src", type=Path)
    ap.add_argument("--to", default=None, help="the last date (default: the diary's last entry)")
    ap.add_argument("--disk-cold", action="store_true",
                    help="drop the copy's pages from the OS file cache before each run (posix_fadvise"
                         " on that one file), as after a reboot: the reads come from the disk")
    args = ap.parse_args()
    if not args.db.exists():
        import synth

        t = time.perf_counter()
        synth.build(args.db, args.entries)
        print(f"built {args.entries:,} entries in {time.perf_counter() - t:.0f} s")
    conn = sqlite3.connect(args.db)
    count, last = conn.execute("SELECT count(*), max(start_utc) FROM entries").fetchone()
    conn.close()
    last = args.to or min(last[:10], time.strftime("%Y-%m-%d"))
    first = f"{int(last[:4]) - 1}{last[4:]}"
    env = dict(os.environ, PYTHONPYCACHEPREFIX=tempfile.mkdtemp(prefix="pd-bench-pyc-"))
    for key in ("PYTHONDONTWRITEBYTECODE", "PROBATION_DIARY_PASSPHRASE", "PROBATION_DIARY_NOW"):
        env.pop(key, None)
    # The package of --src, else of this checkout (not the venv's install of another one).
    env["PYTHONPATH"] = str((args.src or HERE.parent).resolve())
    work = Path(tempfile.mkdtemp(prefix="pd-evidence-"))
    copy = work / "diary.db"
    try:
        cases = {
            "python -c pass": [sys.executable, "-c", "pass"],
            "trends --weeks 52": [sys.executable, "-c", ENTRY, "--db", str(copy), "trends", "--weeks", "52",
                                  "--to", last],
            "caseload, a year": [sys.executable, "-c", ENTRY, "--db", str(copy), "caseload", "--from", first,
                                 "--to", last],
        }
        results = {k: [] for k in cases}
        for i in range(args.runs + 1):
            for name, cmd in cases.items():
                shutil.copy(args.db, copy)
                c = sqlite3.connect(copy)
                with c:
                    c.execute("DELETE FROM week_figures")  # cold: no finished week cached
                c.close()
                if args.disk_cold:
                    fd = os.open(copy, os.O_RDONLY)
                    os.fsync(fd)
                    os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
                    os.close(fd)
                r = run(cmd, env)
                if i:  # the first round warms the byte-code and the OS file cache
                    results[name].append(r)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"load {os.getloadavg()[0]:.1f}; {count:,} entries; up to {last}; median of {args.runs}; "
          f"package from {args.src or 'this checkout'}" + ("; disk-cold" if args.disk_cold else ""))
    for name, rs in results.items():
        wall = statistics.median(w for w, _ in rs)
        cpu = statistics.median(c for _, c in rs)
        print(f"{name:20} wall {wall:6.2f} s   CPU {cpu:6.2f} s" + ("" if name.startswith("python") else
                                                                     "   (target: under 1 s of work)"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
