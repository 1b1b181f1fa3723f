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


# Zones from the file's VTIMEZONE ------------------------------------------------------------------
# (ical4j calconnect*.ics from Lotus Notes, kewisch/ical.js timezone_from_file.ics): a VTIMEZONE
# without TZNAME lines gives times whose zone has no name, which were taken for floating times
# and moved to UK time (09:00 Eastern read as 09:00 BST, five hours out).

def test_a_zone_without_names_is_not_taken_for_floating_time():
    parsed = read((FILES / "zone-without-names.ics").read_bytes(), dt.date(2026, 10, 1), dt.date(2026, 10, 30))
    assert [(clock.format_utc(o.start), clock.format_utc(o.end)) for o in parsed.timed] == [
        ("2026-10-14T13:00:00Z", "2026-10-14T14:00:00Z")]  # 09:00-10:00 at UTC-4
    assert not parsed.notes and not parsed.problems


# (ical4j 2207678.ics, an Outlook 12 export; khal part1.ics): a zone built from a VTIMEZONE is
# swapped for a tz database zone with the same clock, but the clock was compared only in
# 2024-2028. For a 2008 series it chose Asia/Irkutsk, which had summer time until 2011, so
# from April 2009 every Friday 09:30 (UTC+8) was read an hour early.

def test_a_custom_zone_is_swapped_only_for_one_with_the_same_clock_in_the_years_read():
    parsed = read((FILES / "outlook-custom-zone-2008.ics").read_bytes(), dt.date(2009, 3, 20), dt.date(2009, 4, 10))
    assert [clock.format_utc(o.start) for o in parsed.timed] == [
        "2009-03-20T01:30:00Z", "2009-03-27T01:30:00Z", "2009-04-03T01:30:00Z", "2009-04-10T01:30:00Z"]
