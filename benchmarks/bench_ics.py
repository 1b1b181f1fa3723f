"""Benchmark: importing a large Outlook calendar (.ics) against icalendar parsing the same file
alone, in the same run. Target: the whole import within 2x of the parse.

    .venv/bin/python benchmarks/bench_ics.py [--events 8300] [--repeat 3] [--profile]

The file is made here (about 5 MB for 8,300 events, the size of a real two-year Outlook export):
single appointments in "GMT Standard Time" (and some in a "Customized Time Zone" defined only by
its VTIMEZONE) with Outlook's long bodies and X-MICROSOFT lines,
weekly series with EXDATEs and moved occurrences (RECURRENCE-ID), whole-day leave, events in
UTC, and a VTIMEZONE. The baseline is `icalendar.Calendar.from_ical(data)` and nothing else.
The import does everything it does for real: reads and expands the file for the two years, plans
every event (types, CRNs, validation), and saves the new entries in one transaction. "Preview" is
the plan alone (what the window shows before Import is pressed).
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import pstats
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import icalendar  # noqa: E402

from probation_diary.core import clock  # noqa: E402
from probation_diary.formats import ics  # noqa: E402
from probation_diary.store.diary import Diary  # noqa: E402

FIRST = dt.date(2025, 1, 6)
DAYS = 728  # two years of working weeks
NOW = dt.datetime(2024, 12, 1, 9, 0, tzinfo=dt.timezone.utc)  # everything is in the future

VTIMEZONE = """BEGIN:VTIMEZONE
TZID:GMT Standard Time
BEGIN:STANDARD
DTSTART:16011028T020000
RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10
TZOFFSETFROM:+0100
TZOFFSETTO:-0000
END:STANDARD
BEGIN:DAYLIGHT
DTSTART:16010325T010000
RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3
TZOFFSETFROM:-0000
TZOFFSETTO:+0100
END:DAYLIGHT
END:VTIMEZONE"""

SUBJECTS = ["Supervision {crn}", "Home visit {crn}", "HV - {crn}", "Office visit {crn}", "Telephone {crn}",
            "MAPPA meeting re {crn}", "OASys review {crn}", "Team meeting", "Supervision with SPO",
            "Training: safeguarding", "Case discussion {crn}", "Drug test {crn}", "Dentist", "Lunch"]
BODY = ("Please see the notes on the case record before the appointment. Room 2 is booked; if it is "
        "taken use the interview room on the ground floor. Bring the licence conditions and the "
        "latest risk assessment. Reception will call up when the person arrives. ")


def wrap(line: str) -> str:
    """Fold a content line at 75 octets, as Outlook does."""
    out, raw = [], line.encode()
    while len(raw) > 75:
        cut = 75 if not out else 74
        while (raw[cut] & 0xC0) == 0x80:
            cut -= 1
        out.append(raw[:cut].decode())
        raw = raw[cut:]
    out.append(raw.decode())
    return "\r\n ".join(out)


def make_calendar(events: int, seed: int = 14) -> bytes:
    rng = random.Random(seed)
    lines = ["BEGIN:VCALENDAR", "PRODID:-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN", "VERSION:2.0",
             "METHOD:PUBLISH", "X-WR-CALNAME:Calendar", *VTIMEZONE.splitlines(),
             *VTIMEZONE.replace("GMT Standard Time", "Customized Time Zone").splitlines()]
    made = 0
    n = 0

    def event(props: list[str], alarm: bool = False) -> None:
        nonlocal made
        lines.append("BEGIN:VEVENT")
        lines.extend(wrap(p) for p in props)
        if alarm:  # Outlook's reminder
            lines.extend(["BEGIN:VALARM", "TRIGGER:-PT15M", "ACTION:DISPLAY", "DESCRIPTION:Reminder", "END:VALARM"])
        lines.append("END:VEVENT")
        made += 1

    def stamp(when: dt.datetime) -> str:
        return when.strftime("%Y%m%dT%H%M%S")

    while made < events:
        n += 1
        crn = f"{rng.choice('ABCDEFGHJKLMNPRSTUVWXYZ')}{rng.randrange(1000000):06d}"
        day = FIRST + dt.timedelta(days=rng.randrange(DAYS))
        while day.weekday() > 4:
            day += dt.timedelta(days=1)
        start = dt.datetime.combine(day, dt.time(rng.randrange(8, 17), rng.choice((0, 15, 30, 45))))
        end = start + dt.timedelta(minutes=rng.choice((30, 45, 60, 90)))
        uid = f"040000008200E00074C5B7101A82E00800000000{n:032X}"
        common = ["CLASS:PUBLIC", "CREATED:20241101T101500Z", "DTSTAMP:20241201T080000Z",
                  "LAST-MODIFIED:20241201T080000Z", "PRIORITY:5", "TRANSP:OPAQUE", f"UID:{uid}",
                  "X-MICROSOFT-CDO-BUSYSTATUS:BUSY", "X-MICROSOFT-CDO-IMPORTANCE:1",
                  "X-MICROSOFT-DISALLOW-COUNTER:FALSE", "X-MS-OLK-AUTOFILLLOCATION:FALSE",
                  "X-MS-OLK-CONFTYPE:0", "LOCATION:Anytown office\\, Room 2"]
        subject = rng.choice(SUBJECTS).format(crn=crn)
        body = "DESCRIPTION:" + (BODY * rng.choice((0, 0, 1))).replace(",", "\\,") + "\\n"
        kind = rng.random()
        if kind < 0.06 and made + 3 <= events:  # a weekly series, one moved occurrence, one EXDATE
            count = rng.randint(4, 12)
            moved = start + dt.timedelta(days=7)
            event(common + [body, f'DTSTART;TZID="GMT Standard Time":{stamp(start)}',
                            f'DTEND;TZID="GMT Standard Time":{stamp(end)}',
                            f"RRULE:FREQ=WEEKLY;COUNT={count};BYDAY={'MO TU WE TH FR'.split()[day.weekday()]}",
                            f'EXDATE;TZID="GMT Standard Time":{stamp(start + dt.timedelta(days=14))}',
                            "SEQUENCE:0", f"SUMMARY;LANGUAGE=en-gb:{subject}"])
            event(common + [body, f'DTSTART;TZID="GMT Standard Time":{stamp(moved + dt.timedelta(hours=1))}',
                            f'DTEND;TZID="GMT Standard Time":{stamp(moved + (end - start) + dt.timedelta(hours=1))}',
                            f'RECURRENCE-ID;TZID="GMT Standard Time":{stamp(moved)}',
                            "SEQUENCE:1", f"SUMMARY;LANGUAGE=en-gb:{subject}"])
        elif kind < 0.09:  # whole-day leave, one to five days
            length = rng.randint(1, 5)
            event(common + ["DESCRIPTION:\\n", f"DTSTART;VALUE=DATE:{day:%Y%m%d}",
                            f"DTEND;VALUE=DATE:{day + dt.timedelta(days=length):%Y%m%d}", "SEQUENCE:0",
                            "SUMMARY;LANGUAGE=en-gb:Annual leave", "X-MICROSOFT-CDO-ALLDAYEVENT:TRUE"])
        elif kind < 0.25:  # sent from elsewhere: UTC
            s = start.replace(tzinfo=clock.LONDON).astimezone(dt.timezone.utc)
            e = end.replace(tzinfo=clock.LONDON).astimezone(dt.timezone.utc)
            event(common + [body, f"DTSTART:{stamp(s)}Z", f"DTEND:{stamp(e)}Z", "SEQUENCE:0",
                            f"SUMMARY:{subject}"])
        else:  # Outlook's own zone name, or (for a fifth) a zone it has only as "Customized Time Zone"
            zone = "Customized Time Zone" if rng.random() < 0.2 else "GMT Standard Time"
            event(common + [body, f'DTSTART;TZID="{zone}":{stamp(start)}',
                            f'DTEND;TZID="{zone}":{stamp(end)}', "SEQUENCE:0",
                            f"SUMMARY;LANGUAGE=en-gb:{subject}"], alarm=rng.random() < 0.5)
    lines.append("END:VCALENDAR")
    return ("\r\n".join(lines) + "\r\n").encode()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=8300)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--profile", action="store_true", help="print the top of a cProfile of one import")
    args = parser.parse_args()

    data = make_calendar(args.events)
    last = FIRST + dt.timedelta(days=DAYS + 90)
    print(f"file: {len(data) / 1e6:.1f} MB, {data.count(b'BEGIN:VEVENT'):,} events")

    def parse():
        t = time.perf_counter()
        icalendar.Calendar.from_ical(data)
        return time.perf_counter() - t

    def preview():
        with tempfile.TemporaryDirectory() as folder:
            with Diary.open(Path(folder) / "bench.db") as diary:
                t = time.perf_counter()
                ics.plan_import(data, diary, FIRST, last, now=NOW)
                return time.perf_counter() - t

    def full_import():
        """(import, re-import preview) seconds, and the plan's counts."""
        with tempfile.TemporaryDirectory() as folder:
            with Diary.open(Path(folder) / "bench.db") as diary:
                t = time.perf_counter()
                plan = ics.plan_import(data, diary, FIRST, last, now=NOW)
                result = ics.apply_plan(diary, plan, now=NOW)
                elapsed = time.perf_counter() - t
                t = time.perf_counter()  # the same file again: everything unchanged
                again = ics.plan_import(data, diary, FIRST, last, now=NOW)
                again_time = time.perf_counter() - t
                assert again.count(ics.NEW, True) == 0 and again.count(ics.UPDATE) == 0 and not again.gone
                return elapsed, again_time, len(result.created), len(plan.problems)

    # Each round measures the baseline next to the import, so that a busy machine slows both.
    rounds = []
    for _ in range(args.repeat):
        base = parse()
        pre = preview()
        imp, again, created, problems = full_import()
        rounds.append((base, pre, imp, again))
    base = min(r[0] for r in rounds)
    ratio = lambda i: statistics.median(r[i] / r[0] for r in rounds)  # noqa: E731
    print(f"icalendar parse alone: {base:.2f} s (best of {args.repeat}); ratios are the median of the rounds,"
          " each against its own parse")
    print(f"preview (read, expand, plan): {min(r[1] for r in rounds):.2f} s best, {ratio(1):.2f}x")
    print(f"import (plan + save {created:,} entries): {min(r[2] for r in rounds):.2f} s best, {ratio(2):.2f}x"
          "  (target 2x)")
    print(f"re-import preview of the unchanged file (nothing to do): {min(r[3] for r in rounds):.2f} s best,"
          f" {ratio(3):.2f}x")
    print("rounds (parse, preview, import, re-import s): "
          + "; ".join(", ".join(f"{x:.1f}" for x in r) for r in rounds))
    if problems:
        print(f"  ({problems} problem(s) reported)")
    if args.profile:
        with tempfile.TemporaryDirectory() as folder:
            with Diary.open(Path(folder) / "bench.db") as diary:
                prof = cProfile.Profile()
                prof.enable()
                plan = ics.plan_import(data, diary, FIRST, last, now=NOW)
                ics.apply_plan(diary, plan, now=NOW)
                prof.disable()
        pstats.Stats(prof).sort_stats("cumulative").print_stats(35)
    return 0


if __name__ == "__main__":
    sys.exit(main())
