"""Location (spec/delius-export.md, column 9): a new entry of an office-based type (COAP, COAI)
starts with the office location from settings; the user may change or clear it; the export
writes the entry's location. Checked on the bytes of the CSV the command line writes."""

from __future__ import annotations

import datetime as dt

import pytest

from probation_diary.core.quickentry import parse_quick
from probation_diary.core.validation import starting_location
from probation_diary.formats import delius

CODES = ("provider_code", "N07"), ("team_code", "N07T01"), ("staff_code", "N07A123")
WEEK = ("--from", "2026-11-16", "--to", "2026-11-22")


@pytest.fixture
def cli(run_cli, fixed_now):
    fixed_now("2026-11-20 17:00")
    for key, value in CODES:
        assert run_cli("settings", "set", key, value).code == 0
    return run_cli


def add(cli, type_, start, *extra, crn="X123456"):
    r = cli("add", "--type", type_, "--crn", crn, "--start", f"2026-11-16 {start}",
            "--end", f"2026-11-16 {start[:2]}:30", "--outcome", "ATTC", *extra)
    assert r.code == 0, r.err


def csv_lines(cli, tmp_path) -> list[bytes]:
    out = tmp_path / "out.csv"
    r = cli("export-delius", *WEEK, "--out", out)
    assert r.code == 0, r.err
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    return data[3:].split(b"\r\n")


def test_an_office_visit_starts_at_the_office_and_is_exported_there(cli, tmp_path):
    assert cli("settings", "set", "office_location", "n07ho1").code == 0
    add(cli, "COAP", "09:00")
    add(cli, "COAI", "10:00", crn="A000001")
    add(cli, "CHVS", "11:00", crn="B000002")  # a home visit: not at the office
    lines = csv_lines(cli, tmp_path)
    assert lines[0].split(b",")[8] == b"Location"
    assert lines[1] == (b"A000001,16/11/2026,Person,COAI,Initial appointment - in office (NS),N07,N07T01,N,"
                        b"N07HO1,10:00,10:30,ATTC,Attended - complied,,N07A123,N,N,,PD-000002")
    assert lines[2] == (b"B000002,16/11/2026,Person,CHVS,Home visit to case (NS),N07,N07T01,N,"
                        b",11:00,11:30,ATTC,Attended - complied,,N07A123,N,N,,PD-000003")
    assert lines[3] == (b"X123456,16/11/2026,Person,COAP,Planned office visit (NS),N07,N07T01,N,"
                        b"N07HO1,09:00,09:30,ATTC,Attended - complied,,N07A123,N,N,,PD-000001")
    assert lines[4:] == [b""]


def test_the_user_may_change_or_clear_it(cli, tmp_path):
    assert cli("settings", "set", "office_location", "N07HO1").code == 0
    add(cli, "COAP", "09:00", "--location", "")
    add(cli, "COAP", "10:00", "--location", "N07SAT", crn="A000001")
    assert cli("edit", "PD-000002", "--location", "").code == 0  # cleared later: stays cleared
    rows = [line.split(b",") for line in csv_lines(cli, tmp_path)[1:3]]
    assert [r[8] for r in rows] == [b"", b""]
    assert cli("edit", "PD-000002", "--location", "N07SAT").code == 0
    rows = [line.split(b",") for line in csv_lines(cli, tmp_path)[1:3]]
    assert [(r[0], r[8]) for r in rows] == [(b"A000001", b"N07SAT"), (b"X123456", b"")]


def test_no_office_set_and_entries_made_before_it_was_set_stay_blank(cli, tmp_path):
    add(cli, "COAP", "09:00")
    assert cli("settings", "set", "office_location", "N07HO1").code == 0
    rows = [line.split(b",") for line in csv_lines(cli, tmp_path)[1:2]]
    assert rows[0][8] == b""  # the office applies to new entries, not to the export


def test_the_rule():
    assert starting_location("COAP", " n07ho1 ") == "N07HO1"
    assert starting_location("COAI", "N07HO1") == "N07HO1"
    assert starting_location("COAP", "") == ""
    for code in ("CHVS", "COHV", "CODI", "COOO", "COPT", None):
        assert starting_location(code, "N07HO1") == ""
    assert delius.OFFICE_TYPES == {"COAP", "COAI"}


def test_quick_entry_starts_an_office_visit_at_the_office(diary, fixed_now):
    now = fixed_now("2026-11-20 17:00")
    got = parse_quick("COAP X123456 14:00-14:30 ATTC", diary.reference(), now, office_location="N07HO1")
    assert got.ok and got.checked.entry.location_code == "N07HO1"
    got = parse_quick("hv X123456 14:00-14:30 ATTC", diary.reference(), now, office_location="N07HO1")
    assert got.ok and got.checked.entry.location_code is None
    got = parse_quick("COAP X123456 14:00-14:30 ATTC", diary.reference(), now)
    assert got.ok and got.checked.entry.location_code is None
    assert dt.date(2026, 11, 20) == got.checked.entry.start.date()


ICS = b"""BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//test//EN\r
BEGIN:VEVENT\r
UID:office-1\r
DTSTAMP:20261101T090000Z\r
DTSTART:20261116T100000Z\r
DTEND:20261116T110000Z\r
SUMMARY:Office visit X123456\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:hv-1\r
DTSTAMP:20261101T090000Z\r
DTSTART:20261117T100000Z\r
DTEND:20261117T110000Z\r
SUMMARY:Home visit A000001\r
END:VEVENT\r
END:VCALENDAR\r
"""


def test_a_calendar_import_makes_office_visits_at_the_office(diary, fixed_now):
    from probation_diary.formats import ics

    now = fixed_now("2026-11-01 09:00")
    diary.set_settings({"office_location": "N07HO1"})
    plan = ics.plan_import(ICS, diary, dt.date(2026, 11, 16), dt.date(2026, 11, 22), now=now)
    result = ics.apply_plan(diary, plan, now=now)
    ref = diary.reference()
    made = {ref.types[e.type_id].delius_code: e.location_code for e in result.created}
    assert made == {"COAP": "N07HO1", "CHVS": None}
    # a later import of the same event keeps what the user did to the location
    office = next(e for e in result.created if e.location_code)
    diary.update_entry(office.with_changes(location_code=None))
    plan = ics.plan_import(ICS.replace(b"T110000Z", b"T113000Z"), diary, dt.date(2026, 11, 16),
                           dt.date(2026, 11, 22), now=now)
    ics.apply_plan(diary, plan, now=now)
    assert diary.get_entry(office.id).location_code is None
