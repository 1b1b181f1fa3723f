"""Benchmark (issue 3): one week's summary on a 1,000,000-entry diary, against a raw SQL fetch
of the same week's rows, measured in the same run. Target: within 3x.

    .venv/bin/python benchmarks/bench_summary.py [--entries 1000000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import synth  # noqa: E402

from probation_diary.core.clock import Week, format_utc  # noqa: E402
from probation_diary.store.diary import Diary  # noqa: E402


def best_of(fn, repeat=15):
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times), statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--entries", type=int, default=1_000_000)
    ap.add_argument("--db", type=Path, default=Path(tempfile.gettempdir()) / "pd-bench-1m.db")
    args = ap.parse_args()
    if not args.db.exists():
        t = time.perf_counter()
        synth.build(args.db, args.entries)
        print(f"built {args.entries:,} entries in {time.perf_counter() - t:.1f}s")
    diary = Diary.open(args.db)
    week = Week.containing(dt.date(2016, 6, 15))
    n = diary.count_entries()

    def raw():
        # the plain fetch of the same rows the summary needs (same index-bounded query)
        lower = format_utc(week.start - dt.timedelta(days=1))
        return diary.db.execute(
            "SELECT * FROM entries WHERE start_utc >= ? AND start_utc < ? AND end_utc > ?",
            [lower, format_utc(week.end), format_utc(week.start)]).fetchall()

    def summary():
        return diary.week_summary(week)

    rows = len(raw())
    summary()  # warm caches (reference data, holidays) as the app would be
    raw_best, raw_med = best_of(raw)
    sum_best, sum_med = best_of(summary)
    print(f"diary: {n:,} entries; week {week.monday}: {rows} rows")
    print(f"raw SQL fetch:  best {raw_best * 1000:.2f} ms, median {raw_med * 1000:.2f} ms")
    print(f"week summary:   best {sum_best * 1000:.2f} ms, median {sum_med * 1000:.2f} ms")
    print(f"ratio (median): {sum_med / raw_med:.2f}x  (target: within 3x)")


if __name__ == "__main__":
    main()
