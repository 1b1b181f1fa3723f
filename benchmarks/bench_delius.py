"""Benchmark: the Delius export of 100,000 entries against writing the same rows straight
from SQL with Python's csv module, in the same run. Target: under 2x.

    .venv/bin/python benchmarks/bench_delius.py [--entries 100000] [--repeat 3]

The baseline does the least work that gives the same file: one SQL query, sorted in SQL,
times turned to Europe/London local, the free-text cells protected, csv.writer. The export does everything
it does for real: reads entries through storage, checks every entry, groups and sorts, writes
beside the target with fsync and rename, and records the exported status. The two files are
compared byte for byte so that the comparison is fair.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from probation_diary.cli import delius as delius_io  # noqa: E402
from probation_diary.formats import delius  # noqa: E402
from probation_diary.core.clock import LONDON, format_utc  # noqa: E402
from probation_diary.formats.csvsafe import protect  # noqa: E402
from probation_diary.store.diary import Diary  # noqa: E402

FIRST = dt.date(2025, 1, 6)


def populate(diary: Diary, count: int) -> tuple[dt.date, dt.date]:
    rng = random.Random(5)
    ref = diary.reference()
    types = [t for t in ref.types.values() if t.exportable]
    crns = [f"X{n:06d}" for n in range(1, 401)]
    notes = ["", "Seen in office, all fine.", 'Said "ok", then left\nSecond line, Ynys Môn',
             "=HYPERLINK(\"http://x\",\"y\")", "Pen-y-ffordd visit; " * 20]
    conn = diary.db.conn
    conn.executemany("INSERT INTO people (crn, name) VALUES (?, '')", [(c,) for c in crns])
    rows = []
    per_day = 8
    for i in range(count):
        day = FIRST + dt.timedelta(days=i // per_day)
        slot = i % per_day
        start = dt.datetime.combine(day, dt.time(8 + slot, rng.choice((0, 5, 30, 45))), LONDON)
        end = start + dt.timedelta(minutes=rng.choice((10, 25, 50)))
        atype = rng.choice(types)
        outcome = rng.choice(("ATTC", "AFTA", "RSOF")) if atype.needs_outcome else None
        rows.append((atype.id, rng.choice(crns), format_utc(start), format_utc(end), outcome,
                     rng.choice(notes), rng.random() < 0.1, format_utc(start), format_utc(start)))
    conn.executemany(
        "INSERT INTO entries (type_id, crn, start_utc, end_utc, outcome_code, notes, alert,"
        " created_utc, updated_utc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    conn.commit()
    return FIRST, FIRST + dt.timedelta(days=(count - 1) // per_day)


def baseline(diary: Diary, first: dt.date, last: dt.date, path: Path) -> int:
    s = diary.settings()
    start, end = delius.range_bounds(first, last)
    cur = diary.db.conn.execute(
        "SELECT e.crn, e.start_utc, e.end_utc, e.event_number, t.delius_code, t.label, e.alert,"
        " e.location_code, e.outcome_code, o.label, e.enforcement_code, e.sensitive, e.rar,"
        " e.notes, e.id"
        " FROM entries e JOIN activity_types t ON t.id = e.type_id"
        " LEFT JOIN outcomes o ON o.code = e.outcome_code"
        " WHERE t.delius_code IS NOT NULL AND e.delius_status != 'entered'"
        " AND e.start_utc >= ? AND e.start_utc < ? ORDER BY e.crn, e.start_utc, e.end_utc, e.id",
        [format_utc(start), format_utc(end)])
    yn = ("N", "Y")
    n = 0
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh, lineterminator="\r\n")
        w.writerow(delius.HEADERS)
        for (crn, su, eu, event, code, label, alert, loc, oc, olabel, enf, sens, rar, notes,
             id_) in cur:
            a = dt.datetime.fromisoformat(su).astimezone(LONDON)
            b = dt.datetime.fromisoformat(eu).astimezone(LONDON)
            # only the free-text cells can start with a formula trigger (as in the export)
            w.writerow((
                protect(crn), a.strftime("%d/%m/%Y"), "Person" if event is None else f"Event {event}",
                protect(code), protect(label), s.provider_code, s.team_code, yn[alert],
                protect(loc or ""), a.strftime("%H:%M"), b.strftime("%H:%M"), protect(oc or ""),
                protect(olabel or ""), protect(enf or ""), s.staff_code, yn[sens], yn[rar],
                protect(notes), f"PD-{id_:06d}"))
            n += 1
    return n


def ours(diary: Diary, first: dt.date, last: dt.date, path: Path, now: dt.datetime) -> int:
    plan = delius_io.plan_export(diary, first, last, now=now)
    assert not plan.problems, plan.problems[:3]
    return delius_io.export_to_file(diary, plan, path, now=now).count


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        diary = Diary.open(tmp / "bench.db")
        diary.set_settings({"provider_code": "N07", "team_code": "N07T01", "staff_code": "N07A123"})
        t0 = time.perf_counter()
        first, last = populate(diary, args.entries)
        print(f"{args.entries:,} entries, {first} to {last} (set up in {time.perf_counter() - t0:.1f} s)")
        now = dt.datetime(2099, 1, 1, tzinfo=dt.timezone.utc)
        base_times, our_times = [], []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            n_base = baseline(diary, first, last, tmp / "baseline.csv")
            base_times.append(time.perf_counter() - t0)
            # put the statuses back, so every run exports the same rows
            diary.db.conn.execute("UPDATE entries SET delius_status = 'not_exported',"
                                  " delius_exported_utc = NULL, delius_export_file = NULL")
            diary.db.conn.commit()
            t0 = time.perf_counter()
            n_ours = ours(diary, first, last, tmp / "ours.csv", now)
            our_times.append(time.perf_counter() - t0)
        assert n_base == n_ours == args.entries, (n_base, n_ours)
        same = (tmp / "baseline.csv").read_bytes() == (tmp / "ours.csv").read_bytes()
        size = os.path.getsize(tmp / "ours.csv")
        diary.close()
    b, o = min(base_times), min(our_times)
    print(f"rows: {n_ours:,}; file {size / 1e6:.1f} MB; identical files: {'yes' if same else 'NO'}")
    print(f"baseline (SQL + csv): {b:.3f} s   (runs: {', '.join(f'{t:.3f}' for t in base_times)})")
    print(f"export-delius:        {o:.3f} s   (runs: {', '.join(f'{t:.3f}' for t in our_times)})")
    ratio = o / b
    print(f"ratio: {ratio:.2f}x  (target under 2x) -> {'OK' if ratio < 2 else 'OVER TARGET'}")
    return 0 if same and ratio < 2 else 1


if __name__ == "__main__":
    sys.exit(main())
