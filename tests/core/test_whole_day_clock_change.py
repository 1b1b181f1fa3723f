"""Whole-day leave on a clock-change day (spec time-split.md, issue 13 §2): a whole day is the
local calendar day, 23, 24 or 25 hours; the 24-hour limit stays for timed entries."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from builders import utc
from probation_diary.core import clock
from probation_diary.core.validation import EntryDraft, check_entry
from probation_diary.formats import diarycsv
from probation_diary.store.diary import Diary

# (date, hours in the local day): the October days are 25 hours, the March days 23
CHANGE_DAYS = [("2025-10-26", 25), ("2026-03-29", 23), ("2025-03-30", 23), ("2026-10-25", 25)]
EVERY_DAY = "Mon,Tue,Wed,Thu,Fri,Sat,Sun"


@pytest.mark.parametrize("day, hours", CHANGE_DAYS)
def test_cli_takes_whole_day_leave_on_a_clock_change_day(run_cli, diary_path, day, hours):
    # 22.5 hours over seven days: 1,350 = 7 x 192 + 6, so Monday to Saturday are 193 minutes
    # and Sunday, the change day, 192
    assert run_cli("settings", "set", "working_days", EVERY_DAY).code == 0
    assert run_cli("settings", "set", "contracted_hours", "22.5").code == 0
    result = run_cli("add", "--type", "Sickness", "--date", day, "--all-day")
    assert result.code == 0, result
    assert result.out.startswith("Added PD-000001") and result.err == ""
    with Diary.open(diary_path) as diary:
        [entry] = diary.all_entries()
    assert entry.all_day and entry.minutes == hours * 60
    assert clock.to_local(entry.start).date().isoformat() == day
    assert clock.to_local(entry.end).date() == dt.date.fromisoformat(day) + dt.timedelta(days=1)
    data = json.loads(run_cli("summary", "--week", day, "--json").out)
    assert data["absence_minutes"] == 192 and data["expected_minutes"] == 1350 - 192
    sunday = next(d for d in data["per_day"] if d["date"] == day)
    assert sunday["absence_minutes"] == 192
    listing = run_cli("list", "--week", day).out
    assert "all day" in listing and "Sickness" in listing


@pytest.mark.parametrize("day", ["2025-10-26", "2026-10-25"])
def test_cli_whole_day_on_a_change_day_is_not_a_working_day_by_default(run_cli, day):
    result = run_cli("add", "--type", "Annual leave", "--date", day, "--all-day")
    assert result.code == 0, result
    data = json.loads(run_cli("summary", "--week", day, "--json").out)
    assert data["absence_minutes"] == 0 and data["expected_minutes"] == 2220  # a Sunday


def test_timed_entries_still_stop_at_24_hours(run_cli):
    # midnight to midnight on the October change day is 25 real hours: too long for a timed entry
    result = run_cli("add", "--type", "Sickness", "--start", "2025-10-26 00:00", "--end", "2025-10-27 00:00")
    assert result.code == 2 and "at most 24 hours" in result.err
    ok = run_cli("add", "--type", "Sickness", "--start", "2026-03-29 00:00", "--end", "2026-03-30 00:00")
    assert ok.code == 0, ok  # 23 real hours


def test_validation_takes_a_whole_day_of_any_length(diary):
    for day, hours in CHANGE_DAYS + [("2026-11-20", 24)]:
        checked = check_entry(EntryDraft(type="Annual leave", start_date=day, all_day=True),
                              diary.reference(), utc("2027-01-01 12:00"))
        assert checked.ok, (day, checked.errors)
        assert checked.entry.minutes == hours * 60


def test_csv_import_takes_whole_day_leave_on_both_change_days(run_cli, tmp_path, diary_path):
    path = tmp_path / "leave.csv"
    path.write_text("type,date,all_day\nAnnual leave,2025-10-26,Y\nSickness,2026-03-29,Y\n", encoding="utf-8")
    result = run_cli("import", path)
    assert result.code == 0, result
    with Diary.open(diary_path) as diary:
        assert sorted(e.minutes for e in diary.all_entries()) == [23 * 60, 25 * 60]


def test_csv_read_checks_each_row_like_the_window(diary):
    text = "type,date,all_day\nAnnual leave,2026-10-25,Y\n"
    result = diarycsv.read(text, diary.reference(), utc("2027-01-01 12:00"))
    assert result.errors == [] and [e.minutes for e in result.entries] == [25 * 60]


ICS = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//test//test//EN
BEGIN:VEVENT
UID:leave-october@example.org
DTSTAMP:20260901T090000Z
DTSTART;VALUE=DATE:20261025
DTEND;VALUE=DATE:20261026
SUMMARY:Annual leave
END:VEVENT
BEGIN:VEVENT
UID:leave-march@example.org
DTSTAMP:20260901T090000Z
DTSTART;VALUE=DATE:20270328
DTEND;VALUE=DATE:20270329
SUMMARY:Annual leave
END:VEVENT
END:VCALENDAR
"""


def test_ics_import_takes_whole_day_leave_on_both_change_days(run_cli, tmp_path, diary_path, fixed_now):
    fixed_now("2026-09-01 09:00")
    assert run_cli("settings", "set", "working_days", EVERY_DAY).code == 0
    path = tmp_path / "leave.ics"
    path.write_text(ICS.replace("\n", "\r\n"), encoding="utf-8")
    result = run_cli("import-ics", path, "--from", "2026-10-01", "--to", "2027-03-31", "--yes")
    assert result.code == 0, result
    with Diary.open(diary_path) as diary:
        got = sorted((clock.to_local(e.start).date().isoformat(), e.minutes, e.all_day) for e in diary.all_entries())
    assert got == [("2026-10-25", 25 * 60, True), ("2027-03-28", 23 * 60, True)]


def test_queries_find_a_25_hour_day_from_its_last_hour(diary):
    leave = diary.add_entry(check_entry(EntryDraft(type="Annual leave", start_date="2026-10-25", all_day=True),
                                        diary.reference(), utc("2027-01-01 12:00")).entry)
    last_hour = utc("2026-10-25 23:30")  # 24.5 hours after the day began
    assert [e.id for e in diary.entries_between(last_hour, utc("2026-10-26 00:00"))] == [leave.id]
    assert [t.id for t in diary.timing_between(last_hour, utc("2026-10-26 00:00"))] == [leave.id]
