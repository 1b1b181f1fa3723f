"""Peak memory (max RSS) of the commands that read the whole diary, at 100,000 entries against
10,000, each in its own process, in the same run (issue 18; target: at most 1.3x, streamed,
not held). Also prints each command's wall time (and CPU time, user + system) at both sizes.

    .venv/bin/python benchmarks/bench_exports.py [--small 10000] [--big 100000] [--src DIR] [--only list]

Commands: full `export` (plain), `export-delius` over the
whole span, `list` over the whole span, `retention --days 90` (the plan; nothing is removed).
Diaries come from synth.py (fictional), built once into /tmp, with a third of the entries
marked entered in Delius so that retention has work. --src runs another checkout (before/after).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

ENTRY = "import sys; from probation_diary.cli import main; sys.exit(main())"
SPAN = ("2007-01-01", "2027-12-31")


def build(folder: Path, n: int) -> Path:
    import synth

    path = folder / f"pd-mem-{n}.db"
    if not path.exists():
        synth.build(path, n)
        conn = sqlite3.connect(path)
        with conn:
            conn.execute("UPDATE entries SET delius_status = 'entered' WHERE id % 3 = 0")
            conn.executemany("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)",
                             [("provider_code", "N07"), ("team_code", "N07T01"), ("staff_code", "N07A123")])
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.close()
    return path


def run(args: list[str], env: dict, db: Path) -> tuple[float, float, float]:
    """(max RSS MB, wall s, CPU s) of one command on a fresh copy of the diary."""
    work = Path(tempfile.mkdtemp(prefix="pd-mem-"))
    try:
        copy = work / "diary.db"
        shutil.copy(db, copy)
        cmd = [sys.executable, "-c", ENTRY, "--db", str(copy),
               *[a.replace("OUT", str(work / "out")) for a in args]]
        t = time.perf_counter()
        proc = subprocess.Popen(cmd, env=env, cwd=work, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t
        err = proc.stderr.read().decode()
        proc.stderr.close()
        code = os.waitstatus_to_exitcode(status)
        if code not in (0, 1):  # export-delius exits 1 when it left entries out
            raise SystemExit(f"{args} failed ({code}): {err.strip()[:300]}")
        return usage.ru_maxrss / 1024, wall, usage.ru_utime + usage.ru_stime
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--small", type=int, default=10_000)
    ap.add_argument("--big", type=int, default=100_000)
    ap.add_argument("--src", type=Path)
    ap.add_argument("--folder", type=Path, default=Path(tempfile.gettempdir()))
    ap.add_argument("--only", action="append", help="run only this command (repeatable)")
    args = ap.parse_args()
    small, big = build(args.folder, args.small), build(args.folder, args.big)
    env = dict(os.environ, PYTHONPYCACHEPREFIX=tempfile.mkdtemp(prefix="pd-bench-pyc-"))
    for key in ("PYTHONDONTWRITEBYTECODE", "PROBATION_DIARY_PASSPHRASE", "PROBATION_DIARY_NOW"):
        env.pop(key, None)
    # The package of --src, else of this checkout (not the venv's install of another one).
    env["PYTHONPATH"] = str((args.src or HERE.parent).resolve())
    commands = {
        "export": ["export", "OUT"],
        "export-delius": ["export-delius", "--from", SPAN[0], "--to", SPAN[1], "--out", "OUT"],
        "list": ["list", "--from", SPAN[0], "--to", SPAN[1]],
        "retention": ["retention", "--days", "90"],
    }
    print(f"load {os.getloadavg()[0]:.1f}; package from {args.src or 'this checkout'}")
    print(f"{'command':15}{args.small:>10,} MB{args.big:>10,} MB{'ratio':>8}   wall (CPU) {args.small:,} / {args.big:,}")
    worst = 0.0
    for name, cmd in commands.items():
        if args.only and name not in args.only:
            continue
        run(cmd, env, small)  # warm up
        m_small, t_small, c_small = run(cmd, env, small)
        m_big, t_big, c_big = run(cmd, env, big)
        worst = max(worst, m_big / m_small)
        print(f"{name:15}{m_small:13.1f}{m_big:13.1f}{m_big / m_small:7.2f}x   {t_small:.2f} ({c_small:.2f}) s"
              f" / {t_big:.2f} ({c_big:.2f}) s")
    print(f"worst ratio {worst:.2f}x (target 1.3x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
