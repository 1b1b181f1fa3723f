"""Opening and unlocking an encrypted diary against the same diary unencrypted.

    .venv/bin/python benchmarks/bench_encryption.py [--entries 100000] [--runs 5] [--million]

Builds one diary of N entries (notes of realistic length), makes an encrypted copy of it, then
times, best of --runs, in the same run:
  - key derivation alone (SQLCipher's PBKDF2-HMAC-SHA512, 256,000 iterations), measured on a
    tiny encrypted file, and with hashlib for comparison;
  - Diary.open() for each, with and without the integrity check at open;
  - open + the first screen's query (this week's summary);
  - PRAGMA quick_check on each (the at-close check, and the at-open check for diaries up to
    security.CHECK_AT_OPEN_MAX_BYTES).
Reports ratios (encrypted / plain), with and without the key-derivation cost. --million also
times quick_check on a 1,000,000-entry diary (to justify the start-up policy).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import random
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from probation_diary.store import security  # noqa: E402
from probation_diary.core import clock  # noqa: E402
from probation_diary.core.clock import Week, format_utc  # noqa: E402
from probation_diary.store.diary import Diary  # noqa: E402

PASS = "correct horse battery staple"
WORDS = ("attended appointment discussed housing employment risk review licence conditions "
         "curfew accommodation benefits drug test negative positive referral agreed plan "
         "next contact warning compliance victim safeguarding partner").split()


def build(path: Path, n: int) -> None:
    diary = Diary.open(path)
    ref = diary.reference()
    types = [t.id for t in ref.types.values() if t.delius_code == "COAP"] or list(ref.types)
    rng = random.Random(6)
    start = dt.datetime(2022, 1, 3, 9, tzinfo=dt.timezone.utc)
    now = format_utc(clock.now_utc())
    crns = [f"X{rng.randrange(10**6):06d}" for _ in range(300)]
    conn = diary.db.conn
    with diary.db.atomic():
        conn.executemany("INSERT OR IGNORE INTO people (crn, name) VALUES (?, ?)",
                         [(c, f"Person {i}") for i, c in enumerate(crns)])
        rows = []
        for i in range(n):
            s = start + dt.timedelta(minutes=37 * i)
            notes = " ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 60)))
            rows.append((types[0], rng.choice(crns), format_utc(s), format_utc(s + dt.timedelta(minutes=45)),
                         "ATTC", notes, now, now))
        conn.executemany(
            "INSERT INTO entries (type_id, crn, start_utc, end_utc, outcome_code, notes, created_utc, updated_utc)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
    diary.close()


def encrypt_copy(plain: Path, target: Path) -> None:
    sc = security.sqlcipher()
    src = sc.connect(str(plain))
    security.encrypt_copy(src, target, PASS)
    src.close()
    conn = security.connect_encrypted(target, PASS)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.close()


def best(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> int:
    folder = Path(tempfile.mkdtemp(prefix="bench-enc-"))
    try:
        return run(folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def run(folder: Path) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--entries", type=int, default=100_000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--million", action="store_true")
    args = ap.parse_args()

    plain, enc = folder / "plain.db", folder / "enc.db"
    t = time.perf_counter()
    build(plain, args.entries)
    encrypt_copy(plain, enc)
    print(f"built {args.entries:,} entries in {time.perf_counter() - t:.1f} s; "
          f"plain {plain.stat().st_size / 1e6:.1f} MB, encrypted {enc.stat().st_size / 1e6:.1f} MB")

    # The same open without key derivation: SQLCipher's raw-key form, x'<key><salt>', with the
    # key derived here by hashlib exactly as SQLCipher 4 does (PBKDF2-HMAC-SHA512, 256,000).
    salt = enc.read_bytes()[:16]
    t = time.perf_counter()
    key = hashlib.pbkdf2_hmac("sha512", PASS.encode(), salt, 256_000, dklen=32)
    kdf_hashlib = time.perf_counter() - t
    raw = f"x'{key.hex()}{salt.hex()}'"
    plain_key_sql = security._key_sql
    security._key_sql = lambda p, verb="key": (f'PRAGMA {verb} = "{p}"' if p == raw else plain_key_sql(p, verb))
    week = Week.containing(dt.date(2023, 6, 14))

    def opener(path, passphrase, check, first_screen):
        def run():
            d = Diary.open(path, passphrase=passphrase, check=check)
            if first_screen:
                d.reference()
                d.week_summary(week)
            d.close()
        return run

    results = {}
    kdfs = []
    for label, check, screen in (("open (no check)", False, False), ("open + first screen", False, True),
                                 ("open with quick_check + first screen", True, True)):
        p = best(opener(plain, None, check, screen), args.runs)
        e = best(opener(enc, PASS, check, screen), args.runs)
        r = best(opener(enc, raw, check, screen), args.runs)
        kdfs.append(e - r)
        results[label] = (p, e, r)
        print(f"{label:<38} plain {p * 1000:7.1f} ms | encrypted {e * 1000:7.1f} ms (ratio {e / p:6.2f}x) | "
              f"encrypted without key derivation {r * 1000:7.1f} ms (ratio {r / p:5.2f}x)")
    kdf = sorted(kdfs)[len(kdfs) // 2]
    print(f"key derivation on its own (PBKDF2-HMAC-SHA512 x256000, paid once per unlock): "
          f"{kdf * 1000:.0f} ms (hashlib: {kdf_hashlib * 1000:.0f} ms)")

    def qc(path, passphrase):
        def run():
            c = security.connect_encrypted(path, passphrase) if passphrase else sqlite3.connect(str(path))
            security.quick_check(c)
            c.close()
        return run

    qp, qe = best(qc(plain, None), max(1, args.runs // 2)), best(qc(enc, PASS), max(1, args.runs // 2))
    print(f"{'quick_check alone':<38} plain {qp * 1000:7.1f} ms | encrypted {qe * 1000:7.1f} ms "
          f"(less key derivation {(qe - kdf) * 1000:.0f} ms, {(qe - kdf) / qp:.1f}x)")
    chosen = "with" if security.needs_check_at_open(enc) else "without"
    p, e, r = results["open with quick_check + first screen" if chosen == "with" else "open + first screen"]
    print(f"\nTHE POLICY opens this {enc.stat().st_size / 1e6:.0f} MB diary {chosen} quick_check at open: "
          f"unlock + first screen {e * 1000:.0f} ms vs plain {p * 1000:.0f} ms = {e / p:.1f}x; "
          f"without key derivation {r * 1000:.1f} ms = {r / p:.2f}x (target 1.5x)")

    if args.million:
        big = folder / "million.db"
        t = time.perf_counter()
        build(big, 1_000_000)
        print(f"\nbuilt 1,000,000 entries in {time.perf_counter() - t:.0f} s ({big.stat().st_size / 1e6:.0f} MB)")
        bigenc = folder / "million-enc.db"
        encrypt_copy(big, bigenc)
        print(f"quick_check at 1M: plain {best(qc(big, None), 1):.2f} s, encrypted {best(qc(bigenc, PASS), 1):.2f} s")
        print(f"open at 1M without check: plain {best(opener(big, None, False, True), 2) * 1000:.0f} ms, "
              f"encrypted {best(opener(bigenc, PASS, False, True), 2) * 1000:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
