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


# Files icalendar refused as a whole ----------------------------------------------------------------
# A VTIMEZONE icalendar cannot turn into a zone raised while the file was read, so every event
# was lost with "not a calendar file": RFC 7808 lines (TZUNTIL, TZID-ALIAS-OF: libical's and
# ical4j's zone files), a repeated TZID (node-ical), an RDATE;VALUE=DATE in a zone (ical.js).

PARIS = "/citadel.org/20260108_1/Europe/Paris"  # a zone server's name, as libical's files have


def _zone(*inner):
    return ["BEGIN:VTIMEZONE", f"TZID:{PARIS}", *inner,
            "BEGIN:STANDARD", "DTSTART:19701025T030000", "TZOFFSETFROM:+0200", "TZOFFSETTO:+0100",
            "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU", "END:STANDARD",
            "BEGIN:DAYLIGHT", "DTSTART:19700329T020000", "TZOFFSETFROM:+0100", "TZOFFSETTO:+0200",
            "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU", "END:DAYLIGHT", "END:VTIMEZONE"]


@pytest.mark.parametrize("odd", [["TZUNTIL:20300101T000000Z"],
                                 ["TZID-ALIAS-OF:/citadel.org/20260108_1/Europe/Brussels"],
                                 [f"TZID:{PARIS}"]], ids=["TZUNTIL", "TZID-ALIAS-OF", "two TZIDs"])
def test_a_zone_icalendar_cannot_build_costs_only_that_zone(odd):
    data = ical(*_zone(*odd), *event(f"DTSTART;TZID={PARIS}:20261014T100000", f"DTEND;TZID={PARIS}:20261014T110000"))
    parsed = read(data)
    assert [clock.format_utc(o.start) for o in parsed.timed] == ["2026-10-14T08:00:00Z"]  # 10:00 in Paris


# (ics-parser's example, a Google export): a FREEBUSY period that ends before it starts raised
# from icalendar's value constructor, outside its tolerant path.
def test_a_period_that_ends_before_it_starts_outside_the_events_does_not_lose_the_file():
    data = ical("BEGIN:VFREEBUSY", "UID:fb@test", "FREEBUSY;FBTYPE=BUSY:20260623T070000Z/20260223T110000Z",
                "END:VFREEBUSY", *event("DTSTART:20261014T090000Z", "DTEND:20261014T100000Z"))
    assert [clock.format_utc(o.start) for o in read(data).timed] == ["2026-10-14T09:00:00Z"]


# (icalendar's events/*.ics, khal's tests/ics/event_*.ics): one event saved on its own, with no
# VCALENDAR around it, was "not a calendar file".
def test_one_event_without_a_calendar_around_it_is_read(run_cli, tmp_path, fixed_now):
    fixed_now("2026-10-01 09:00")
    path = tmp_path / "one.ics"
    path.write_bytes(("\r\n".join(event("DTSTART;TZID=Europe/London:20261014T100000",
                                        "DTEND;TZID=Europe/London:20261014T110000")) + "\r\n").encode())
    r = run_cli("import-ics", path, "--from", "2026-10-12", "--to", "2026-10-18", "--yes")
    assert r.code == 0, r.err
    assert "Added 1," in r.out


def test_a_file_with_no_calendar_and_no_event_is_still_refused_in_one_line(run_cli, tmp_path):
    path = tmp_path / "todo.ics"
    path.write_bytes(b"BEGIN:VTODO\r\nUID:t@test\r\nSUMMARY:x\r\nEND:VTODO\r\n")
    r = run_cli("import-ics", path, "--from", "2026-10-12", "--to", "2026-10-18")
    assert r.code == 2
    assert r.err.count("\n") == 1 and "not a calendar file" in r.err


# VALUE=DATE with a TZID (ics-parser's Google example, ical4j japan_west.ics): icalendar gives it
# as midnight in that zone, so a one-day event whose DTEND repeats the day was "no length".
def test_a_date_with_a_zone_is_still_a_whole_day():
    data = ical(*event("DTSTART;VALUE=DATE;TZID=America/Los_Angeles:20261014",
                       "DTEND;VALUE=DATE;TZID=America/Los_Angeles:20261014", summary="Annual leave"),
                *event("DTSTART;VALUE=DATE;TZID=Asia/Tokyo:20261020", "DTEND;VALUE=DATE;TZID=Asia/Tokyo:20261023",
                       uid="two@test", summary="Annual leave"))
    parsed = read(data)
    assert not parsed.problems and not parsed.timed
    assert [(a.first, a.last) for a in parsed.all_day] == [
        (dt.date(2026, 10, 14), dt.date(2026, 10, 14)), (dt.date(2026, 10, 20), dt.date(2026, 10, 22))]


def test_value_date_on_a_time_of_day_is_still_that_time():
    parsed = read(ical(*event("DTSTART;VALUE=DATE:20261017T200000", "DTEND;VALUE=DATE:20261017T220000")))
    assert [local(o) for o in parsed.timed] == [("2026-10-17 20:00", "22:00")]


# An empty EXDATE line (icalendar's parsing_error.ics, from Google): the whole series was
# skipped as "its left-out dates cannot be read"; an empty list leaves out nothing.
def test_an_empty_exdate_line_leaves_out_nothing_and_says_so():
    data = ical(*event("DTSTART;TZID=Europe/London:20261012T093000", "DTEND;TZID=Europe/London:20261012T100000",
                       "RRULE:FREQ=DAILY;COUNT=3", "EXDATE;TZID=Europe/London:20261013T093000",
                       "EXDATE;VALUE=DATE:"))
    parsed = read(data)
    assert [local(o)[0] for o in parsed.timed] == ["2026-10-12 09:30", "2026-10-14 09:30"]
    assert parsed.notes == ["event 1 in the file: an empty left-out dates (EXDATE) line(s) left out; "
                            "the rest of the event was read"]
    assert not parsed.problems


# (ical.js samples/google_birthday.ics): 'RDATE:20131210Z' skipped the whole series.
def test_an_unreadable_extra_date_costs_only_that_date():
    data = ical(*event("DTSTART;TZID=Europe/London:20261012T093000", "DTEND;TZID=Europe/London:20261012T100000",
                       "RDATE;TZID=Europe/London:20261014T093000", "RDATE:20261016Z"))
    parsed = read(data)
    assert [local(o)[0] for o in parsed.timed] == ["2026-10-12 09:30", "2026-10-14 09:30"]
    assert parsed.notes == ["event 1 in the file: 1 unreadable extra dates (RDATE) line(s) left out; "
                            "the rest of the event was read"]


def test_an_exdate_that_is_not_empty_and_cannot_be_read_still_skips_the_event():
    data = ical(*event("DTSTART:20261012T093000Z", "DTEND:20261012T100000Z", "RRULE:FREQ=DAILY;COUNT=3",
                       "EXDATE:2026101"))
    parsed = read(data)
    assert not parsed.timed
    assert parsed.problems == ["event 1 in the file was skipped: its left-out dates (EXDATE) cannot be read"]


# Known leftovers ------------------------------------------------------------------------------

# FREQ=MINUTELY or SECONDLY held to one time of day by BYHOUR/BYMINUTE(/BYSECOND) is daily, and
# was refused as "repeats every minute, about 1,000,000 times".
@pytest.mark.parametrize("rule, times", [
    ("FREQ=MINUTELY;BYHOUR=9;BYMINUTE=30", ["09:30"] * 42),
    ("FREQ=SECONDLY;BYHOUR=9;BYMINUTE=30;BYSECOND=0", ["09:30"] * 42),
    ("FREQ=HOURLY;BYHOUR=9,15", ["09:30", "15:30"] * 42),
])
def test_a_fine_rule_held_to_some_times_of_day_is_expanded_like_the_library_does(rule, times):
    import icalendar
    import recurring_ical_events

    data = ical(*event("DTSTART;TZID=Europe/London:20250106T093000", "DTEND;TZID=Europe/London:20250106T100000",
                       f"RRULE:{rule}"))
    parsed = read(data)
    assert not parsed.problems
    assert sorted(f"{clock.to_local(o.start):%H:%M}" for o in parsed.timed) == sorted(times)
    lo, hi = clock.local_midnight(FIRST), clock.local_midnight(LAST + dt.timedelta(days=1))
    theirs = recurring_ical_events.of(icalendar.Calendar.from_ical(data)).between(lo, hi)
    assert sorted(o.start for o in parsed.timed) == sorted(c["DTSTART"].dt.astimezone(clock.UTC) for c in theirs)


def test_every_second_all_day_long_is_still_refused():
    data = ical(*event("DTSTART:20250106T093000Z", "DTEND:20250106T093100Z", "RRULE:FREQ=SECONDLY;BYHOUR=9"))
    parsed = read(data)
    assert not parsed.timed
    assert "repeats every second" in parsed.problems[0]


# A start time with no DTEND and no DURATION: RFC 5545 says it ends as it starts. A diary entry
# needs a length, so it is listed with its time and a plain reason (it said only "no end").
def test_a_time_with_no_end_is_listed_with_when_and_why(run_cli, tmp_path, fixed_now):
    fixed_now("2026-10-01 09:00")
    path = tmp_path / "reminder.ics"
    path.write_bytes(ical(*event("DTSTART;TZID=Europe/London:20261014T100000")))
    r = run_cli("import-ics", path, "--from", "2026-10-12", "--to", "2026-10-18")
    assert r.code == 0
    assert ("event 1 in the file was skipped: it has only a start time and no end (no DTEND or DURATION), so it "
            "takes no time (Wed 14/10/2026 10:00): add it yourself if it was an appointment") in r.out


def test_a_date_with_no_end_is_one_whole_day():
    parsed = read(ical(*event("DTSTART;VALUE=DATE:20261014", summary="Annual leave")))
    assert [(a.first, a.last) for a in parsed.all_day] == [(dt.date(2026, 10, 14), dt.date(2026, 10, 14))]
    assert not parsed.problems


# (ical.net Recurrence/MinutelyCount1.ics: every 15 minutes, 6 times) the estimate that refuses a
# runaway series ignored COUNT and UNTIL, so a short fine-grained series was refused as
# "about 70,000 times".
@pytest.mark.parametrize("rule, count", [
    ("FREQ=MINUTELY;INTERVAL=15;COUNT=6", 6),
    ("FREQ=MINUTELY;COUNT=10;BYHOUR=11,12", 11),  # and the start itself, at 10:00, as the library has it
    ("FREQ=MINUTELY;INTERVAL=30;UNTIL=20261014T160000Z", 15),  # 09:00Z to 16:00Z
])
def test_a_short_fine_series_is_bounded_by_its_count_or_until(rule, count):
    import icalendar
    import recurring_ical_events

    data = ical(*event("DTSTART;TZID=Europe/London:20261014T100000", "DTEND;TZID=Europe/London:20261014T101000",
                       f"RRULE:{rule}"))
    first, last = dt.date(2026, 1, 1), dt.date(2027, 12, 31)  # the longest the import takes
    parsed = read(data, first, last)
    assert not parsed.problems
    assert len(parsed.timed) == count
    lo, hi = clock.local_midnight(first), clock.local_midnight(last + dt.timedelta(days=1))
    theirs = recurring_ical_events.of(icalendar.Calendar.from_ical(data)).between(lo, hi)
    assert sorted(o.start for o in parsed.timed) == sorted(c["DTSTART"].dt.astimezone(clock.UTC) for c in theirs)


# (ical.net Serialization/Encoding1.ics) SEQUENCE;ENCODING=BASE64:MQ== made the library fail, so
# the event was skipped as "its dates or repeat rule cannot be worked out".
def test_a_sequence_that_cannot_be_read_does_not_cost_the_event():
    data = ical(*event("DTSTART;TZID=Europe/London:20261014T100000", "DTEND;TZID=Europe/London:20261014T110000",
                       "RRULE:FREQ=WEEKLY;COUNT=2", "SEQUENCE;ENCODING=BASE64:MQ=="))
    parsed = read(data)
    assert not parsed.problems
    assert [local(o)[0] for o in parsed.timed] == ["2026-10-14 10:00", "2026-10-21 10:00"]


# Clock changes (spec/time-split.md: durations are real elapsed time) -----------------------------
# DURATION:PT2H was added by the clock on the wall: three hours over the October change, one
# over the March one. RFC 5545 makes hours exact and days calendar days.

@pytest.mark.parametrize("start, length, utc", [
    ("20261025T003000", "PT2H", ("2026-10-24T23:30:00Z", "2026-10-25T01:30:00Z")),  # ends 01:30 GMT
    ("20270328T003000", "PT2H", ("2027-03-28T00:30:00Z", "2027-03-28T02:30:00Z")),  # ends 03:30 BST
    ("20261024T120000", "P1DT1H", ("2026-10-24T11:00:00Z", "2026-10-25T13:00:00Z")),  # next day 13:00 GMT
    ("20261024T120000", "P1D", ("2026-10-24T11:00:00Z", "2026-10-25T12:00:00Z")),
])
def test_a_duration_in_hours_is_real_time_over_a_clock_change(start, length, utc):
    parsed = read(ical(*event(f"DTSTART;TZID=Europe/London:{start}", f"DURATION:{length}")),
                  dt.date(2026, 10, 1), dt.date(2027, 4, 30))
    assert [(clock.format_utc(o.start), clock.format_utc(o.end)) for o in parsed.timed] == [utc]
    assert not parsed.notes  # the end is worked out, not a local time that happens twice


def test_each_occurrence_of_a_series_with_a_duration_gets_real_time():
    parsed = read(ical(*event("DTSTART;TZID=Europe/London:20261018T003000", "DURATION:PT2H",
                              "RRULE:FREQ=WEEKLY;COUNT=3")))
    assert [clock.minutes_between(o.start, o.end) for o in parsed.timed] == [120, 120, 120]


def test_clock_change_days_as_the_spec_says():
    data = ical(*event("DTSTART;TZID=Europe/London:20270321T013000", "DTEND;TZID=Europe/London:20270321T020000",
                       "RRULE:FREQ=WEEKLY;COUNT=3"),
                *event("DTSTART:20261025T013000", "DTEND:20261025T023000", uid="floating@test"))
    parsed = read(data, dt.date(2026, 10, 1), dt.date(2027, 4, 30))
    # the March day's 01:30 does not exist: that one occurrence is refused, in words
    assert parsed.problems == [
        "event 1 in the file (Sun 28/03/2027) was skipped: it starts at 01:30 on Sun 28/03/2027, a time that "
        "does not exist in the UK: the clocks go forward from 01:00 to 02:00 that night"]
    assert [clock.format_utc(o.start) for o in parsed.timed if o.uid == "one@test"] == [
        "2027-03-21T01:30:00Z", "2027-04-04T00:30:00Z"]
    # October's floating 01:30 happens twice: the first (BST), and the user is told
    floating = [o for o in parsed.timed if o.uid == "floating@test"]
    assert [(clock.format_utc(o.start), clock.format_utc(o.end)) for o in floating] == [
        ("2026-10-25T00:30:00Z", "2026-10-25T02:30:00Z")]
    assert parsed.notes == ["event 2 in the file starts at 01:30 on Sun 25/10/2026, which happens twice as the clocks "
                            "go back: taken as the first time (British Summer Time)"]
