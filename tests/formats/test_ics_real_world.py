"""Calendar import (formats.ics) against small files that show what real Outlook, Exchange,
Google and Mozilla exports do (issue 14). Each file is in tests/fixtures/ics/."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import pytest

from probation_diary.core import clock
from probation_diary.formats import ics
from probation_diary.formats.windows_zones import zone_for_tzid

FILES = Path(__file__).resolve().parent.parent / "fixtures" / "ics"
FIRST, LAST = dt.date(2026, 10, 12), dt.date(2026, 11, 22)


@pytest.fixture
def now():
    return clock.parse_utc("2026-10-01T08:00:00Z")


@pytest.fixture
def imported(diary, now):
    """Import a file into the diary: returns (plan, result)."""
    def run(name, first=FIRST, last=LAST, data=None):
        data = data if data is not None else (FILES / name).read_bytes()
        plan = ics.plan_import(data, diary, first, last, now=now)
        return plan, ics.apply_plan(diary, plan, now=now)
    return run


def rows(diary):
    """(local start, local end or 'all day', type code or label, CRN) for every entry."""
    ref = diary.reference()
    out = []
    for e in diary.all_entries():
        t = ref.types[e.type_id]
        s, f = clock.to_local(e.start), clock.to_local(e.end)
        out.append((f"{s:%Y-%m-%d %H:%M}", "all day" if e.all_day else f"{f:%H:%M}", t.delius_code or t.label, e.crn))
    return out


def utc_starts(diary):
    return [clock.format_utc(e.start) for e in diary.all_entries()]


def unchanged_again(diary, imported, name, **kw):
    """Re-import the same file: nothing may change."""
    before = list(diary.all_entries())
    plan, result = imported(name, **kw)
    assert not result.created and not result.updated and not plan.gone
    assert {p.action for p in plan.proposals} <= {ics.UNCHANGED}
    assert list(diary.all_entries()) == before


# 1 ------------------------------------------------------------------------------------------

def test_utc_times_in_the_repeated_hour_are_exact(diary, imported):
    plan, result = imported("utc-in-repeated-hour.ics")
    assert utc_starts(diary) == ["2026-10-25T00:30:00Z", "2026-10-25T01:30:00Z"]
    assert [clock.format_utc(e.end) for e in diary.all_entries()] == ["2026-10-25T01:15:00Z", "2026-10-25T02:15:00Z"]
    assert not result.warnings and not plan.problems  # never "taken as the first time (BST)"
    unchanged_again(diary, imported, "utc-in-repeated-hour.ics")


# 2 ------------------------------------------------------------------------------------------

def test_outlook_moved_day_of_a_whole_day_series_is_not_doubled(diary, imported):
    plan, _ = imported("outlook-moved-whole-day.ics", first=dt.date(2026, 4, 13), last=dt.date(2026, 5, 3))
    assert rows(diary) == [("2026-04-13 00:00", "all day", "Annual leave", None),
                           ("2026-04-21 00:00", "all day", "Annual leave", None),  # moved from Mon 20/04
                           ("2026-04-27 00:00", "all day", "Annual leave", None)]
    assert not plan.problems
    unchanged_again(diary, imported, "outlook-moved-whole-day.ics", first=dt.date(2026, 4, 13),
                    last=dt.date(2026, 5, 3))


# 3 ------------------------------------------------------------------------------------------

def test_the_same_uid_twice_gives_one_entry_the_highest_sequence(diary, imported):
    plan, result = imported("same-uid-twice.ics")
    assert rows(diary) == [("2026-10-20 14:00", "15:00", "COAP", "X333333"),  # SEQUENCE 2, not 1
                           ("2026-10-21 10:00", "11:00", "COAP", "X444444")]
    assert any("event 2 in the file is another copy of event 1" in n for n in plan.notes)
    assert "X333333" not in " ".join(plan.notes)
    unchanged_again(diary, imported, "same-uid-twice.ics")


def test_reimporting_an_unchanged_file_changes_nothing_even_with_copies(diary, imported, run_cli, diary_path):
    imported("same-uid-twice.ics")
    plan, result = imported("same-uid-twice.ics")
    assert (len(result.created), len(result.updated)) == (0, 0)
    assert diary.count_entries() == 2


# 4 ------------------------------------------------------------------------------------------

def test_rdate_without_rrule_and_rdate_periods(diary, imported):
    plan, _ = imported("rdate.ics")
    assert not plan.problems
    assert rows(diary) == [
        ("2026-10-20 10:00", "11:00", "COAP", "X555555"),
        ("2026-10-21 09:00", "10:00", "CHVS", "X666666"),
        ("2026-10-22 10:00", "11:00", "COAP", "X555555"),  # RDATE, no RRULE
        ("2026-10-23 10:00", "12:30", "CHVS", "X666666"),  # RDATE;VALUE=PERIOD: its own length
        ("2026-10-27 10:00", "11:00", "COAP", "X555555"),
        ("2026-10-28 08:00", "09:00", "CHVS", "X666666"),  # the RRULE's second, in GMT
    ]
    unchanged_again(diary, imported, "rdate.ics")


# 5 ------------------------------------------------------------------------------------------

def test_unreadable_lines_and_a_bad_reminder_are_left_out_and_said(diary, imported):
    plan, result = imported("unreadable-lines.ics")
    assert not plan.problems
    assert [r[3] for r in rows(diary)] == ["X777777", "X888888"]
    assert plan.notes == [
        "event 1 in the file: 2 line(s) that could not be read were left out; the rest of the event was read",
        "event 1 in the file: a reminder (VALARM) that could not be read was left out; the event itself was read",
    ]


# 6 ------------------------------------------------------------------------------------------

def test_windows_display_name_zone(diary, imported):
    plan, _ = imported("windows-display-zone.ics")
    assert not plan.problems and not plan.notes
    # 09:00 in New York: 14:00 BST, 13:00 GMT while the US is still on summer time, then 14:00 GMT
    assert rows(diary) == [("2026-10-19 14:00", "15:00", "COVC", "X121212"),
                           ("2026-11-02 14:00", "15:00", "COVC", "X121212"),
                           ("2026-11-16 14:00", "15:00", "COVC", "X121212")]  # 26/10 and 09/11 left out


@pytest.mark.parametrize("tzid, zone", [
    ("(UTC-05:00) Eastern Time (US and Canada)", "America/New_York"),
    ("(UTC-05:00) Eastern Time (US & Canada)", "America/New_York"),
    ("(GMT-05:00) Eastern Time (US & Canada)", "America/New_York"),
    ("(UTC+00:00) Dublin, Edinburgh, Lisbon, London", "Europe/London"),
    ("(UTC) Dublin, Edinburgh, Lisbon, London", "Europe/London"),
    ("(GMT) Greenwich Mean Time : Dublin, Edinburgh, Lisbon, London", "Europe/London"),
    ("(UTC+01:00) Brussels, Copenhagen, Madrid, Paris", "Europe/Paris"),
    ("(UTC+03:00) Moscow, St. Petersburg, Volgograd", "Europe/Moscow"),
    ("GMT Standard Time", "Europe/London"),
    ("W. Europe Standard Time", "Europe/Berlin"),
    ("/mozilla.org/20050126_1/Europe/London", "Europe/London"),
    ("Europe/London", "Europe/London"),
])
def test_windows_and_display_zone_names(tzid, zone):
    assert zone_for_tzid(tzid).key == zone


def test_unknown_zone_is_read_as_uk_time_and_said(diary, imported):
    data = (FILES / "windows-display-zone.ics").read_bytes().decode().replace("(UTC-05:00) Eastern Time (US and Canada)",
                                                                      "Somewhere Standard Time")
    plan, _ = imported("", data=data.encode())
    assert rows(diary)[0][:2] == ("2026-10-19 09:00", "10:00")
    assert plan.notes == ["event 1 in the file: its time zone is not one the diary knows, so its times were "
                          "read as UK time"]


# 7 ------------------------------------------------------------------------------------------

def test_dtend_without_a_zone_is_in_the_starts_zone(diary, imported):
    plan, _ = imported("dtend-without-zone.ics")
    assert not plan.problems
    assert rows(diary) == [("2026-10-20 15:00", "16:00", "COVC", "X131313"),
                           ("2026-10-27 14:00", "15:00", "COVC", "X131313")]  # UK back on GMT, US not yet


# 8 ------------------------------------------------------------------------------------------

def test_events_without_uid_import_once(diary, imported):
    plan, result = imported("no-uid.ics")
    assert not plan.problems and len(result.created) == 2
    uids = {p.occurrence.uid for p in plan.proposals}
    assert len(uids) == 2 and all(u.endswith("@probation-diary") for u in uids)
    unchanged_again(diary, imported, "no-uid.ics")
    assert diary.count_entries() == 2


# 9 ------------------------------------------------------------------------------------------

def test_google_floating_times_use_x_wr_timezone_and_an_empty_rrule_imports_once(diary, imported):
    plan, _ = imported("google-floating.ics")
    assert not plan.problems
    assert rows(diary) == [("2026-10-20 15:00", "16:00", "COVC", "X161616"),  # 10:00 in New York
                           ("2026-10-21 14:00", "15:00", "COAP", "X171717")]
    assert plan.notes == ["event 2 in the file: its repeat rule (RRULE) is empty, so it was read as a single event"]


# 10 -----------------------------------------------------------------------------------------

def test_runaway_series_finish_fast_and_are_refused_clearly(diary, imported):
    began = time.monotonic()
    plan, result = imported("runaway.ics", first=dt.date(2026, 11, 1), last=dt.date(2026, 11, 30))
    assert time.monotonic() - began < 5
    problems = "\n".join(plan.problems)
    assert "event 1 in the file was skipped: it repeats every second" in problems
    assert "event 2 in the file was skipped: it repeats every minute" in problems
    assert "event 3 in the file was skipped: it repeats more than 1,000 times" in problems
    assert "far too often" in plan.problems[0]
    # a daily series from 2020 with a huge COUNT is expanded only for November 2026
    daily = [r for r in rows(diary) if r[2] == "Recording on Delius"]
    assert len(daily) == 30 and daily[0][:2] == ("2026-11-01 09:00", "09:30")
    assert ("2026-11-04 09:00", "10:00", "COAP", "X191919") in rows(diary)


def test_a_count_that_ran_out_before_the_dates_chosen_gives_nothing(diary, imported):
    data = (FILES / "runaway.ics").read_bytes().decode().replace("DAILY;COUNT=10000000", "DAILY;COUNT=900")
    imported("", first=dt.date(2026, 11, 1), last=dt.date(2026, 11, 30), data=data.encode())
    assert not [r for r in rows(diary) if r[2] == "Recording on Delius"]  # 900 days from 06/01/2020


# 12 -----------------------------------------------------------------------------------------

def test_messages_say_what_is_actually_wrong(diary, imported):
    plan, result = imported("messages.ics", first=dt.date(2026, 3, 23), last=dt.date(2026, 10, 31))
    assert plan.problems == [
        "event 1 in the file was skipped: it has no length: it ends at the moment it starts (Tue 20/10/2026 10:00)",
        "event 2 in the file was skipped: it starts at 01:30 on Sun 29/03/2026, a time that does not exist in the UK: "
        "the clocks go forward from 01:00 to 02:00 that night",
    ]
    assert not result.created and "before" not in " ".join(plan.problems)


# the window's review: leave, supervision, events with no keyword -------------------------------

def test_whole_day_leave_written_as_times_is_whole_day_absence(diary, imported):
    plan, _ = imported("leave-and-types.ics")
    leave = [r for r in rows(diary) if r[2] == "Annual leave"]
    assert leave == [("2026-10-29 00:00", "all day", "Annual leave", None),  # midnight to midnight, Outlook
                     ("2026-10-30 00:00", "all day", "Annual leave", None),
                     ("2026-11-06 00:00", "all day", "Annual leave", None),  # Fri 09:00 to Tue 17:30:
                     ("2026-11-09 00:00", "all day", "Annual leave", None),  # working days only
                     ("2026-11-10 00:00", "all day", "Annual leave", None)]


def test_supervision_with_spo_is_admin_not_an_office_visit(diary, imported):
    plan, _ = imported("leave-and-types.ics")
    spo = next(p for p in plan.proposals if "SPO" in p.occurrence.summary)
    assert spo.type_text == "Supervision with manager" and spo.include and not spo.reason
    assert diary.reference().find_type(spo.type_text).time_class == "admin"


def test_an_event_with_no_keyword_needs_a_type(diary, imported, now):
    plan, result = imported("leave-and-types.ics")
    other = next(p for p in plan.proposals if p.occurrence.summary.startswith("Catch-up"))
    assert other.needs_type and not other.include and "needs a type" in other.reason
    assert plan.needing_type == 1
    other.type_text = "Other admin"
    ics.refresh(other, diary, now)
    assert not other.reason and not other.needs_type  # the window ticks it again (test_calendar_ui)


def test_every_default_keyword_names_a_type_in_the_reference_data(diary):
    ref = diary.reference()
    assert ics.Keywords().check(ref) == []
    assert ics.guess_type("Supervision with SPO", ics.Keywords()) == "Supervision with manager"
    assert ics.guess_type("Supervision x123456", ics.Keywords()) == "COAP"
    assert ics.guess_type("Consultation with SPO re X123456", ics.Keywords()) == "CSPO"


def test_a_long_running_series_is_moved_up_to_the_dates_chosen_without_moving_any_occurrence(diary, imported):
    """A weekly series from 2005 starts its expansion near the window (issue 14, item 10):
    every occurrence stays on its day and at 10:00 UK time on both sides of the clock change."""
    data = "\r\n".join([
        "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:x", "BEGIN:VEVENT", "UID:since-2005@example.org",
        "DTSTAMP:20050101T000000Z", "DTSTART;TZID=Europe/London:20050104T100000",
        "DTEND;TZID=Europe/London:20050104T110000", "RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH",
        "SUMMARY:Office visit X232323", "END:VEVENT",
        "BEGIN:VEVENT", "UID:count-2010@example.org", "DTSTAMP:20100101T000000Z",
        "DTSTART:20100105T150000Z", "DTEND:20100105T160000Z", "RRULE:FREQ=DAILY;COUNT=6144",
        "SUMMARY:Phone X242424", "END:VEVENT", "END:VCALENDAR", ""]).encode()
    plan, _ = imported("", data=data)
    fortnightly = [r[0] for r in rows(diary) if r[3] == "X232323"]
    assert fortnightly == ["2026-10-13 10:00", "2026-10-15 10:00", "2026-10-27 10:00", "2026-10-29 10:00",
                           "2026-11-10 10:00", "2026-11-12 10:00"]
    daily = [r[0] for r in rows(diary) if r[3] == "X242424"]  # the 6,144th day is Sat 31/10/2026
    assert daily[0] == "2026-10-12 16:00" and daily[-1] == "2026-10-31 15:00" and len(daily) == 20


def test_only_a_local_time_in_the_repeated_hour_is_ambiguous(diary, imported):
    data = (FILES / "utc-in-repeated-hour.ics").read_bytes().decode().replace(
        "DTSTART:20261025T003000Z\r\nDTEND:20261025T011500Z",
        "DTSTART;TZID=Europe/London:20261025T013000\r\nDTEND;TZID=Europe/London:20261025T020000")
    plan, result = imported("", data=data.encode())
    assert utc_starts(diary) == ["2026-10-25T00:30:00Z", "2026-10-25T01:30:00Z"]
    assert plan.notes == ["event 1 in the file starts at 01:30 on Sun 25/10/2026, which happens twice as the "
                          "clocks go back: taken as the first time (British Summer Time)"]  # event 2 is UTC: none


def test_a_zone_known_only_by_its_vtimezone_is_read_with_the_tz_database(diary, imported):
    """Outlook's "Customized Time Zone" is built from the file's VTIMEZONE, whose rules start in
    1601: every offset took thousands of steps (most of the 123 s of issue 14, item 11). A zone
    that keeps the same clock as a tz database zone is swapped for it."""
    import icalendar

    data = (FILES.parent / "outlook.ics").read_bytes().decode().replace("GMT Standard Time", "Customized Time Zone")
    icalendar.use_zoneinfo()
    vtimezone = icalendar.Calendar.from_ical(data).walk("VTIMEZONE")[0]
    assert ics._equivalent_zone(vtimezone.to_tz()).key == "Europe/London"
    plan, _ = imported("", data=data.encode())
    assert not plan.problems and ("2026-10-27 10:00", "11:00", "COAP", "X123456") in rows(diary)


def test_a_repeated_start_line_uses_the_first(diary, imported):
    data = (FILES / "no-uid.ics").read_bytes().replace(b"DTSTART:20261020T090000Z\r\n",
                                                       b"DTSTART:20261020T090000Z\r\nDTSTART:20261020T080000Z\r\n")
    plan, _ = imported("", data=data)
    assert not plan.problems and utc_starts(diary)[0] == "2026-10-20T09:00:00Z"
