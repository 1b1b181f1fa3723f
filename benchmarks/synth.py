"""Build large synthetic diaries fast, for benchmarks (fictional data only)."""

from __future__ import annotations

import datetime as dt
import random
import sqlite3
from pathlib import Path

from probation_diary.core.clock import format_utc
from probation_diary.store.diary import Diary

EPOCH_START = dt.datetime(2007, 1, 1, 7, 0, tzinfo=dt.timezone.utc)


def build(path: Path, n: int, *, years: float = 20.0, seed: int = 1) -> Path:
    """A diary of n entries spread over `years` up to 2027, with realistic types and outcomes."""
    if path.exists():
        path.unlink()
    Diary.open(path).close()  # creates the schema and reference data
    rng = random.Random(seed)
    conn = sqlite3.connect(path)
    types = conn.execute("SELECT id, delius_code, needs_outcome, time_class FROM activity_types").fetchall()
    span_minutes = int(years * 365.25 * 24 * 60)
    crns = [f"X{100000 + i}" for i in range(60)]
    conn.executemany("INSERT INTO people (crn, name) VALUES (?, '')", [(c,) for c in crns])
    now = format_utc(dt.datetime.now(dt.timezone.utc).replace(microsecond=0, second=0))

    def rows():
        for _ in range(n):
            tid, code, needs_outcome, tclass = rng.choice(types)
            start = EPOCH_START + dt.timedelta(minutes=rng.randrange(span_minutes))
            end = start + dt.timedelta(minutes=rng.choice((10, 15, 30, 45, 60, 90)))
            crn = rng.choice(crns) if code else None
            outcome = rng.choice(("ATTC", "ATTC", "ATTC", "AFTA", None)) if needs_outcome else None
            yield (tid, crn, format_utc(start), format_utc(end), outcome,
                   "synthetic note " * rng.randrange(0, 5), now, now)

    with conn:
        conn.executemany(
            "INSERT INTO entries (type_id, crn, start_utc, end_utc, outcome_code, notes, created_utc, updated_utc)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows())
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return path
