"""Calendar import: faults found by running a corpus of public calendar files (the test suites of
icalendar, recurring-ical-events, ical.js, libical, ical4j, ical.net, khal, node-ical...)
through it with scripts/ics_corpus_check.py. Each small file in tests/fixtures/ics/ is our own
reproduction of one fault."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from probation_diary.core import clock
from probation_diary.formats import ics

FILES = Path(__file__).resolve().parent.parent / "fixtures" / "ics"
FIRST, LAST = dt.date(2026, 10, 12), dt.date(2026, 11, 22)
NOW = clock.parse_utc("2026-10-01T08:00:00Z")


def ical(*lines: str) -> bytes:
    return ("\r\n".join(["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Test//EN", *lines, "END:VCALENDAR"])
            + "\r\n").encode()


def event(*lines: str, uid: str = "one@test", summary: str = "Office visit X123456") -> list[str]:
    return ["BEGIN:VEVENT", f"UID:{uid}", "DTSTAMP:20261001T080000Z", f"SUMMARY:{summary}", *lines, "END:VEVENT"]


def read(data: bytes, first=FIRST, last=LAST) -> ics.ParsedCalendar:
    return ics.read_calendar(data, first, last)


def local(occ: ics.Occurrence) -> tuple[str, str]:
    return (f"{clock.to_local(occ.start):%Y-%m-%d %H:%M}", f"{clock.to_local(occ.end):%H:%M}")


@pytest.fixture
def imported(diary):
    def run(data: bytes, first=FIRST, last=LAST):
        plan = ics.plan_import(data, diary, first, last, now=NOW)
        return plan, ics.apply_plan(diary, plan, now=NOW)
    return run


def assert_unchanged_again(diary, imported, data, **kw):
    before = list(diary.all_entries())
    plan, result = imported(data, **kw)
    assert not result.created and not result.updated and not plan.gone
    assert {p.action for p in plan.proposals} <= {ics.UNCHANGED}
    assert list(diary.all_entries()) == before


# RANGE=THISANDFUTURE ---------------------------------------------------------------------------
# (recurring-ical-events issue_75, libical rfc2446.ics): every occurrence after the change is a
# copy of the change and carried its RECURRENCE-ID, so four occurrences shared one link and a
# re-import "updated" three entries to the first one's time.

def test_this_and_future_occurrences_each_keep_their_own_link(diary, imported):
    data = (FILES / "this-and-future.ics").read_bytes()
    plan, result = imported(data)
    assert [f"{clock.to_local(e.start):%d/%m %H:%M}" for e in result.created] == [
        "13/10 10:00", "20/10 10:00", "27/10 14:00", "03/11 14:00", "10/11 14:00", "17/11 14:00"]
    keys = [p.occurrence.key for p in plan.proposals]
    assert len(set(keys)) == 6
    assert len(diary.calendar_links()) == 6
    assert_unchanged_again(diary, imported, data)
