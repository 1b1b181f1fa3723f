"""A small, known diary for the evidence tests (imported by the other evidence test modules)."""

from __future__ import annotations

import datetime as dt

import pytest

from probation_diary.core import clock
from probation_diary.core.model import Entry

PEOPLE = {
    "X100001": "Alice Marchbank",
    "X100002": "Barnaby Quillfeather",
    "X100003": "Cordelia Oxenholme",
    "X100004": "Desmond Pettigrew",
    "X100005": "Eloise Ravensworth",
    "X100006": "Fergus Thistlewood",
    "X100007": "Gwendolyn Ashcombe",
}
NOTE_PHRASES = (
    "discussed relapse prevention plan",
    "disclosed new partner at Hollybush Lane",
    "agreed curfew review with housing officer",
)
NOW = "2026-11-20 17:00"  # a Friday
LEAVE_WEEK = dt.date(2026, 9, 14)
CLOCK_WEEK = dt.date(2026, 10, 19)  # the clocks go back on Sunday 25/10/2026: 169 hours
LAST_WEEK = dt.date(2026, 11, 16)


def at(day: dt.date, hhmm: str) -> dt.datetime:
    return clock.local_to_utc(dt.datetime.combine(day, clock.parse_time(hhmm))).instant


def type_id(diary, text: str) -> int:
    return diary.reference().find_type(text).id


def add(diary, kind: str, day: dt.date, start: str, end: str, crn=None, outcome=None, notes="",
        end_day: dt.date | None = None):
    return diary.add_entry(Entry(type_id(diary, kind), at(day, start), at(end_day or day, end), crn=crn,
                                 outcome_code=outcome, notes=notes))


def leave_day(diary, day: dt.date):
    return diary.add_entry(Entry(type_id(diary, "Annual leave"), clock.local_midnight(day),
                                 clock.local_midnight(day + dt.timedelta(days=1)), all_day=True))


def build(diary, *, first=dt.date(2026, 8, 31), last=LAST_WEEK, now_day=dt.date(2026, 11, 20)):
    """Twelve weeks (31/08/2026 to the week of 16/11/2026) of a regular pattern:

    each working day up to `now_day`: a face-to-face office visit (60 min, attended), a phone
    call (30), travel (30), admin (6 h). The week of 14/09 is all annual leave. In the
    clock-change week, Sunday 25/10 also has 00:30-02:30 of admin (3 real hours).
    Person k (0..6) is seen on days where (week index + weekday) % 7 == k.
    """
    for crn, name in PEOPLE.items():
        diary.save_person(crn, name)
    crns = list(PEOPLE)
    week = first
    index = 0
    while week <= last:
        for wd in range(5):
            day = week + dt.timedelta(days=wd)
            if day > now_day:
                break
            if week == LEAVE_WEEK:
                leave_day(diary, day)
                continue
            crn = crns[(index + wd) % 7]
            add(diary, "COAP", day, "09:00", "10:00", crn, "ATTC", notes=NOTE_PHRASES[wd % 3])
            add(diary, "CTOB", day, "10:00", "10:30", crns[(index + wd + 1) % 7], notes=NOTE_PHRASES[(wd + 1) % 3])
            add(diary, "Travel", day, "10:30", "11:00")
            add(diary, "Recording on Delius", day, "11:00", "17:00")
        if week == CLOCK_WEEK:
            add(diary, "Recording on Delius", week + dt.timedelta(days=6), "00:30", "02:30")
        week += dt.timedelta(days=7)
        index += 1


def test_builder_is_deterministic():
    from probation_diary.store.diary import Diary

    diary = Diary.in_memory()
    build(diary)
    # 11 working weeks of 5 days x 4 entries, the leave week (5 whole days), one Sunday entry
    assert diary.count_entries() == 11 * 5 * 4 + 5 + 1


def test_clock_change_week_has_169_hours():
    assert clock.Week(CLOCK_WEEK).minutes == 169 * 60


@pytest.fixture(scope="session")
def template_diary(tmp_path_factory):
    """The built diary, made once per session; tests get their own copy (see built_copy)."""
    import sqlite3

    from probation_diary.store.diary import Diary

    path = tmp_path_factory.mktemp("evidence") / "template.db"
    with Diary.in_memory() as d:
        build(d)
        target = sqlite3.connect(path)
        d.db.conn.backup(target)
        target.close()
    return path


def built_copy(template, diary_path):
    import shutil

    shutil.copyfile(template, diary_path)
    return diary_path
