"""Command-line start-up (issue 18), each against `python -c pass` in the same venv and the
same run, alternating, median of --runs (wall time and CPU time, user + system):

1. `probation-diary --version`                                  (target: at most 1.5x)
2. `summary --week D --json`, 17,000-entry diary, unencrypted   (target: at most 3x)
3. the same, encrypted, against unencrypted                      (target: key derivation + 20%)

    .venv/bin/python benchmarks/bench_cli.py [--runs 21] [--src DIR] [--entries 17000]

--src runs another checkout of the package (for before/after figures: `git archive REV | tar -x
-C DIR`). Diaries are built once into /tmp by synth.py (fictional data). Byte-code is cached
outside the tree and warmed before timing, as an installed app would have it.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

PASS = "correct horse battery staple"
ENTRY = "import sys; from probation_diary.cli import main; sys.exit(main())"  # as the console script


def build(folder: Path, n: int) -> tuple[Path, Path]:
    import synth

    from probation_diary.store import security

    plain, enc = folder / f"pd-cli-{n}.db", folder / f"pd-cli-{n}-enc.db"
    if not plain.exists():
        synth.build(plain, n, years=n / 2900)  # about 55 entries a week, like one practitioner
    if not enc.exists():
        src = security.sqlcipher().connect(str(plain))
        security.encrypt_copy(src, enc, PASS)
        src.close()
    return plain, enc


def run(cmd: list[str], env: dict) -> tuple[float, float]:
    """(wall, cpu) seconds of one child process."""
    t = time.perf_counter()
    # from a neutral folder: `python -c` puts the current folder first on sys.path
    proc = subprocess.Popen(cmd, env=env, cwd=tempfile.gettempdir(), stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode()
    proc.stderr.close()
    if proc.returncode != 0:
        raise SystemExit(f"{cmd[2:]} failed ({proc.returncode}): {err.strip()[:300]}")
    return wall, usage.ru_utime + usage.ru_stime


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=21)
    ap.add_argument("--entries", type=int, default=17_000)
    ap.add_argument("--src", type=Path, help="a checkout whose probation_diary to run")
    ap.add_argument("--folder", type=Path, default=Path(tempfile.gettempdir()))
    args = ap.parse_args()

    plain, enc = build(args.folder, args.entries)
    week = "2010-06-16"  # a full week in the middle of the synthetic span
    env = dict(os.environ, PYTHONPYCACHEPREFIX=tempfile.mkdtemp(prefix="pd-bench-pyc-"))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.pop("PROBATION_DIARY_PASSPHRASE", None)
    env.pop("PROBATION_DIARY_NOW", None)
    # The package of --src, else of this checkout (not the venv's install of another one).
    env["PYTHONPATH"] = str((args.src or HERE.parent).resolve())
    enc_env = dict(env, PROBATION_DIARY_PASSPHRASE=PASS)
    py = sys.executable
    cases = {
        "python -c pass": ([py, "-c", "pass"], env),
        "--version": ([py, "-c", ENTRY, "--version"], env),
        "summary --json": ([py, "-c", ENTRY, "--db", str(plain), "summary", "--week", week, "--json"], env),
        "encrypted": ([py, "-c", ENTRY, "--db", str(enc), "summary", "--week", week, "--json"], enc_env),
    }
    for cmd, e in cases.values():  # warm up: byte-code cache, OS file cache
        run(cmd, e)
    walls = {k: [] for k in cases}
    cpus = {k: [] for k in cases}
    kdfs, kdf_cpus = [], []
    for _ in range(args.runs):
        for name, (cmd, e) in cases.items():
            w, c = run(cmd, e)
            walls[name].append(w)
            cpus[name].append(c)
        # SQLCipher 4's key derivation on its own, in the same round: PBKDF2-HMAC-SHA512 x256,000
        c = time.process_time()
        kdfs.append(_time(lambda: hashlib.pbkdf2_hmac("sha512", PASS.encode(), b"0" * 16, 256_000, 32)))
        kdf_cpus.append(time.process_time() - c)
    wall = {k: statistics.median(v) for k, v in walls.items()}
    cpu = {k: statistics.median(v) for k, v in cpus.items()}
    kdf, kdf_cpu = statistics.median(kdfs), statistics.median(kdf_cpus)

    base_w, base_c = wall["python -c pass"], cpu["python -c pass"]
    print(f"load {os.getloadavg()[0]:.1f}; {args.entries:,} entries; median of {args.runs}; "
          f"package from {args.src or 'this checkout'}")
    print(f"{'':18}{'wall ms':>9}{'ratio':>8}{'cpu ms':>9}{'ratio':>8}")
    for name in cases:
        print(f"{name:18}{wall[name] * 1000:9.1f}{wall[name] / base_w:7.2f}x{cpu[name] * 1000:9.1f}"
              f"{cpu[name] / base_c:7.2f}x")
    print(f"\n1. --version vs python -c pass:            {wall['--version'] / base_w:.2f}x wall, "
          f"{cpu['--version'] / base_c:.2f}x cpu (target 1.5x)")
    print(f"2. summary --json (plain) vs python -c pass: {wall['summary --json'] / base_w:.2f}x wall, "
          f"{cpu['summary --json'] / base_c:.2f}x cpu (target 3x)")
    extra_w = (wall["encrypted"] - kdf) / wall["summary --json"]
    extra_c = (cpu["encrypted"] - kdf_cpu) / cpu["summary --json"]
    print(f"3. encrypted vs plain: {wall['encrypted'] * 1000:.0f} vs {wall['summary --json'] * 1000:.0f} ms; "
          f"key derivation alone {kdf * 1000:.0f} ms ({kdf_cpu * 1000:.0f} ms CPU); without it {extra_w:.2f}x wall, {extra_c:.2f}x cpu "
          f"(target 1.2x)")
    return 0


def _time(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


if __name__ == "__main__":
    sys.exit(main())
