"""Instruction counts (valgrind's callgrind), for the start-up targets of issue 18, against the
same baselines as the timed benchmarks. On a shared machine the wall and CPU times of one start
vary by 20%; the count of instructions a start executes repeats to within a few in a thousand,
so it shows what a change to the start-up did. (A script, not a test; valgrind must be
installed: Debian's `valgrind`.)

    .venv/bin/python benchmarks/bench_instructions.py [--only window|summary]

1. The window, launched as `probation-diary --db FILE` on a 100,000-entry diary, to its first
   paint, against a bare PySide6 window (bench_ui.py's children; target 1.5x).
2. `summary --week --json` on a 17,000-entry diary against `python -c pass` (bench_cli.py's
   command lines; target 3x).

Under valgrind a start takes tens of seconds of wall time, so a timer of the window's can fire
before its first paint when it would not at full speed: the refresh at the next minute when the
week has planned time (about 14M instructions more). A count that jumps by that much against
the run before has met the minute; run it again.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

# the window's child stops the process at the first paint (what the timed run measures up to)
EXIT_AT_PAINT = """
import os, sys, time
sys.path.insert(0, {here!r})
import bench_ui
def first_paint():
    os._exit(0)
time.process_time = first_paint  # the child reads the CPU clock at the first paint
bench_ui.child(sys.argv[1], sys.argv[2] or None)
"""


def instructions(cmd: list[str], env: dict) -> int:
    out = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *cmd],
                         capture_output=True, text=True, env=env, cwd=tempfile.gettempdir())
    found = re.search(r"Collected : (\d+)", out.stderr)
    if not found:
        raise SystemExit(f"valgrind gave no count for {cmd[1:]}: {out.stderr[-500:]}")
    return int(found.group(1))


def fresh_env() -> dict:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPYCACHEPREFIX=str(PYCACHE))
    home = tempfile.mkdtemp(prefix="pd-insn-home-")
    env.update(HOME=home, XDG_CONFIG_HOME=os.path.join(home, "config"))
    for name in ("PYTHONDONTWRITEBYTECODE", "PROBATION_DIARY_NOW", "PROBATION_DIARY_PASSPHRASE"):
        env.pop(name, None)
    return env


PYCACHE = Path(tempfile.mkdtemp(prefix="pd-insn-pyc-"))


def window(db: Path) -> None:
    script = Path(tempfile.mkdtemp(prefix="pd-insn-")) / "exit_at_paint.py"
    script.write_text(EXIT_AT_PAINT.format(here=str(HERE)))
    lock = db.with_name(db.name + ".lock")

    def count(mode: str, arg: str) -> int:
        lock.unlink(missing_ok=True)  # the run before stopped at its paint, without quitting
        cmd = [sys.executable, str(script), mode, arg]
        subprocess.run(cmd, env=fresh_env(), capture_output=True)  # byte code and file cache
        lock.unlink(missing_ok=True)
        return instructions(cmd, fresh_env())

    bare, app = count("bare", ""), count("window", str(db))
    print(f"1. first paint: bare window {bare / 1e6:,.0f}M, app {app / 1e6:,.0f}M instructions: "
          f"{app / bare:.3f}x (target 1.5x)")


def summary(db: Path) -> None:
    entry = "import sys; from probation_diary.cli import main; sys.exit(main())"
    env = dict(fresh_env(), PYTHONPATH=str(ROOT))
    cases = {"python -c pass": [sys.executable, "-c", "pass"],
             "summary": [sys.executable, "-c", entry, "--db", str(db), "summary", "--week", "2010-06-16",
                         "--json"]}
    counts = {}
    for name, cmd in cases.items():
        subprocess.run(cmd, env=env, capture_output=True, cwd=tempfile.gettempdir())
        counts[name] = instructions(cmd, env)
    base, got = counts["python -c pass"], counts["summary"]
    print(f"2. summary --week --json, 17,000 entries: python -c pass {base / 1e6:,.0f}M, summary "
          f"{got / 1e6:,.0f}M instructions: {got / base:.3f}x (target 3x)")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--only", choices=("window", "summary"))
    ap.add_argument("--startup", type=int, default=100_000)
    args = ap.parse_args()
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is needed (Debian: apt-get install valgrind)")
    folder = Path(tempfile.mkdtemp(prefix="pd-insn-db-"))
    if args.only in (None, "window"):
        import bench_ui

        window(bench_ui.build(folder / "mid.db", args.startup))
    if args.only in (None, "summary"):
        import bench_cli

        plain, _ = bench_cli.build(Path(tempfile.gettempdir()), 17_000)
        summary(plain)
    return 0


if __name__ == "__main__":
    sys.exit(main())
