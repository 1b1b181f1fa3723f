"""Benchmark: the 52-week trend on a 1,000,000-entry diary, against 52 single-week
``diary.week_summary`` calls in the same run (the baseline).

    .venv/bin/python benchmarks/bench_trends.py [--entries N] [--db /tmp/bench-trends.db]

The diary is built once (executemany in one transaction) and reused if it already has N entries.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from probation_diary.core import clock, evidence  # noqa: E402
from probation_diary.core.clock import Week  # noqa: E402
from probation_diary.store.diary import Diary  # noqa: E402

NOW = dt.datetime(2026, 11, 20, 17, 0, tzinfo=dt.timezone.utc)


def build(path: Path, count: int) -> Diary:
    if path.exists():
        diary = Diary.open(path)
        if diary.count_entries() == count:
            return diary
        diary.close()
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
    diary = Diary.open(path)
    ref = diary.reference()
    types = [t for t in ref.types.values() if t.time_class != "absence"]
    attended = [o.code for o in ref.outcomes.values() if o.attended]
    other = [o.code for o in ref.outcomes.values() if not o.attended]
    rng = random.Random(7)
    crns = [f"X{n:06d}" for n in range(1, 2001)]
    # spread evenly over the ~20 years before NOW, on the minute
    span = 20 * 365 * 24 * 60
    first = NOW - dt.timedelta(minutes=span)
    step = span / count
    stamp = clock.format_utc(NOW)
    rows = []
    for i in range(count):
        start = first + dt.timedelta(minutes=int(i * step))
        end = start + dt.timedelta(minutes=rng.choice((10, 15, 30, 45, 60, 90)))
        t = rng.choice(types)
        crn = rng.choice(crns) if t.needs_crn else None
        outcome = None
        if t.needs_outcome and rng.random() < 0.95:
            outcome = rng.choice(attended) if rng.random() < 0.85 else rng.choice(other)
        rows.append((t.id, crn, clock.format_utc(start), clock.format_utc(end), outcome, stamp, stamp))
    conn = diary.db.conn
    with diary.db.atomic():
        conn.executemany("INSERT OR IGNORE INTO people (crn, name) VALUES (?, '')", [(c,) for c in crns])
        conn.executemany(
            "INSERT INTO entries (type_id, crn, start_utc, end_utc, outcome_code, created_utc, updated_utc)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
    return diary


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--db", default="/tmp/bench-trends.db")
    parser.add_argument("--weeks", type=int, default=52)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    t0 = time.perf_counter()
    diary = build(Path(args.db), args.entries)
    print(f"diary: {diary.count_entries():,} entries ({time.perf_counter() - t0:.1f} s to build or open)")
    last = Week.containing(clock.to_local(NOW).date())
    weeks = evidence.weeks_ending(last, args.weeks)

    diary.week_summary(weeks[0].previous(), NOW)  # warm up (imports, reference data) for both

    # The machine is shared, so alternate the runs and keep the best of several rounds of each.
    # "cold": the cache of finished weeks is emptied first (the first trend after a change);
    # "warm": the cache holds the finished weeks (every later look at the trend).
    single = cold = warm = float("inf")
    for _ in range(args.rounds):
        t0 = time.perf_counter()
        baseline = [diary.week_summary(w, NOW) for w in weeks]
        single = min(single, time.perf_counter() - t0)
        diary.db.execute("DELETE FROM week_figures")
        t0 = time.perf_counter()
        trend = evidence.diary_trend(diary, args.weeks, last=last, now=NOW)
        cold = min(cold, time.perf_counter() - t0)
        t0 = time.perf_counter()
        again = evidence.diary_trend(diary, args.weeks, last=last, now=NOW)
        warm = min(warm, time.perf_counter() - t0)

    # the same figures, every way
    for s, w, v in zip(baseline, trend.weeks, again.weeks):
        assert w.minutes == s.minutes == v.minutes and w.expected_minutes == s.expected_minutes, w.week_start
    entries = sum(1 for _ in diary.entries_between(weeks[0].start, weeks[-1].end))
    print(f"{args.weeks} weeks, {entries:,} entries in the period")
    print(f"baseline: {args.weeks} x diary.week_summary               {single:8.3f} s (best of {args.rounds})")
    print(f"trend, cold: one fetch + {args.weeks} x summarise_week    {cold:8.3f} s  ({single / cold:.1f}x faster)")
    print(f"trend, warm: finished weeks from the cache       {warm:8.3f} s  ({single / warm:.0f}x faster)")
    together = cold
    diary.close()
    return 0 if together <= single else 1


if __name__ == "__main__":
    sys.exit(main())
