"""Quick entry: the one-line syntax, parsed and rejected (Qt-free)."""

from __future__ import annotations

import datetime as dt

import pytest

from probation_diary.core import clock
from probation_diary.core.quickentry import QUICK_SYNTAX_HELP, ALIASES, parse_quick
from probation_diary.store.diary import Diary

# Friday 20 November 2026, 17:00 London (GMT)
NOW = clock.local_to_utc(dt.datetime(2026, 11, 20, 17, 0)).instant


@pytest.fixture(scope="module")
def ref():
    diary = Diary.in_memory()
    yield diary.reference()
    diary.close()


def local(entry_time):
    return clock.to_local(entry_time).strftime("%Y-%m-%d %H:%M")


@pytest.mark.parametrize("text, type_label, crn, start, end, notes", [
    ("CHVS X123456 14:00-15:10 discussed housing", "Home visit to case (NS)", "X123456",
     "2026-11-20 14:00", "2026-11-20 15:10", "discussed housing"),
    ("admin 30m Delius recording", "Other admin", None, "2026-11-20 16:30", "2026-11-20 17:00", "Delius recording"),
    ("chvs x123456 14:00 - 15:10", "Home visit to case (NS)", "X123456", "2026-11-20 14:00", "2026-11-20 15:10", ""),
    ("X123456 CHVS 9.05-10.00", "Home visit to case (NS)", "X123456", "2026-11-20 09:05", "2026-11-20 10:00", ""),
    ("hv X123456 today 10:00 1h30", "Home visit to case (NS)", "X123456", "2026-11-20 10:00", "2026-11-20 11:30", ""),
    ("phone X123456 yesterday 11:00 20m rang re housing", "Phone contact to person on probation", "X123456",
     "2026-11-19 11:00", "2026-11-19 11:20", "rang re housing"),
    ("mon travel 08:30-09:15 to HMP Leeds", "Travel", None, "2026-11-16 08:30", "2026-11-16 09:15", "to HMP Leeds"),
    ("fri travel 08:30-09:15", "Travel", None, "2026-11-20 08:30", "2026-11-20 09:15", ""),
    ("sat travel 08:30-09:15", "Travel", None, "2026-11-14 08:30", "2026-11-14 09:15", ""),
    ("Team meeting 2026-11-18 09:30-10:30 weekly", "Team meeting", None,
     "2026-11-18 09:30", "2026-11-18 10:30", "weekly"),
    ("Recording on Delius 17/11 14:00 45min", "Recording on Delius", None,
     "2026-11-17 14:00", "2026-11-17 14:45", ""),
    ("oasys X654321 12/11/2026 13:00 2h", "OASys assessment", "X654321", "2026-11-12 13:00", "2026-11-12 15:00", ""),
    ("admin 1.5h", "Other admin", None, "2026-11-20 15:30", "2026-11-20 17:00", ""),
    ("EOAS X123456 90m", "OASys assessment", "X123456", "2026-11-20 15:30", "2026-11-20 17:00", ""),
    ("CTOB X123456 22:00-01:00+1 late call", "Phone contact to person on probation", "X123456",
     "2026-11-20 22:00", "2026-11-21 01:00", "late call"),
    ("admin 14:00-15:00 phone call with CHVS team X123456", "Other admin", None,
     "2026-11-20 14:00", "2026-11-20 15:00", "phone call with CHVS team X123456"),
    # clock changes: real elapsed minutes
    ("admin 2026-10-25 00:30-02:30", "Other admin", None, "2026-10-25 00:30", "2026-10-25 02:30", ""),
    ("admin 2026-03-29 00:30-02:30", "Other admin", None, "2026-03-29 00:30", "2026-03-29 02:30", ""),
])
def test_parsed(ref, text, type_label, crn, start, end, notes):
    got = parse_quick(text, ref, NOW)
    assert got.error is None, got.error
    assert got.ok
    entry = got.checked.entry
    assert ref.types[entry.type_id].label == type_label
    assert entry.crn == crn
    assert (local(entry.start), local(entry.end)) == (start, end)
    assert entry.notes == notes
    assert entry.id is None
    assert got.preview


def test_clock_change_minutes_and_warning(ref):
    autumn = parse_quick("admin 2026-10-25 00:30-02:30", ref, NOW)
    assert autumn.checked.entry.minutes == 180
    spring = parse_quick("admin 2026-03-29 00:30-02:30", ref, NOW)
    assert spring.checked.entry.minutes == 60
    ambiguous = parse_quick("admin 2026-10-25 01:30-02:30", ref, NOW)
    assert ambiguous.ok and ambiguous.checked.entry.minutes == 120
    assert "happens twice" in ambiguous.preview


def test_preview_describes_the_entry(ref):
    got = parse_quick("CHVS X123456 14:00-15:10 discussed housing", ref, NOW)
    assert got.preview.startswith("Fri 20 Nov 14:00–15:10 (1 h 10 min)")
    # a past home visit with no outcome yet counts as admin, and the preview says why (issue 13)
    for part in ("CHVS", "counts as Admin (awaiting outcome)", "X123456", "discussed housing"):
        assert part in got.preview
    assert "Face to face" not in got.preview
    assert "\n" not in got.preview


@pytest.mark.parametrize("text, label", [
    ("leave fri", "Annual leave"),
    ("sick", "Sickness"),
    ("Annual leave 2026-11-23", "Annual leave"),
])
def test_whole_day_absence(ref, text, label):
    got = parse_quick(text, ref, NOW)
    assert got.ok, got.error
    entry = got.checked.entry
    assert entry.all_day
    assert ref.types[entry.type_id].label == label
    assert "whole day" in got.preview


def test_outcome_code(ref):
    got = parse_quick("yesterday COAP X123456 10:00 45m ATTC went well", ref, NOW)
    assert got.ok
    assert got.checked.entry.outcome_code == "ATTC"
    assert got.checked.entry.notes == "went well"


def test_every_alias_names_a_reference_type(ref):
    for word in ALIASES:
        assert parse_quick(f"{word} X123456 10:00-11:00", ref, NOW).draft is not None, word


@pytest.mark.parametrize("text, message", [
    ("", "Type an entry"),
    ("   ", "Type an entry"),
    ("discussed housing", "Start with the type"),
    ("14:00-15:00 X123456", "Start with the type"),
    ("CHVS X123456", "Give a time"),
    ("CHVS X123456 discussed housing", "Give a time"),
    ("CHVS X123456 14:00 notes", "Give an end or a duration after 14:00"),
    ("CHVS 14:00-15:10", "give their CRN"),
    ("CHVS X12345 14:00-15:10", "Give a time"),  # not a CRN: becomes notes before the time
    ("CHVS X123456 25:00-26:00", "is not a time"),
    ("CHVS X123456 15:00-15:00", "The end must be after the start"),
    ("admin 2026-03-29 01:30-02:30", "does not exist"),
    ("admin 2026-02-30 10:00-11:00", "not a date"),
    ("admin 31/02 10:00-11:00", "not a date"),
    ("yesterday admin 30m", "ending now"),
    ("admin 0m", "at least one minute"),
    ("COAP X123456 18:00-19:00 ATTC", "has not happened yet"),
    ("admin 10:00-11:00 AFTA", "takes no outcome"),
])
def test_rejected(ref, text, message):
    got = parse_quick(text, ref, NOW)
    assert not got.ok
    assert got.error and message in got.error, got.error
    assert got.preview == ""
    assert "\n" not in got.error


def test_an_end_before_the_start_is_an_error_unless_it_says_next_day(ref):
    got = parse_quick("admin 15:00-14:00", ref, NOW)
    assert not got.ok
    assert "end is before the start" in got.error and "+1" in got.error
    got = parse_quick("admin 15:00-14:59+1", ref, NOW)
    assert got.ok and got.checked.entry.minutes == 23 * 60 + 59
    got = parse_quick("admin 15:00 - 14:59+1 overnight", ref, NOW)
    assert got.ok and got.checked.entry.notes == "overnight"


def test_inactive_or_missing_alias_target_is_not_used(tmp_path):
    diary = Diary.open(tmp_path / "d.db")
    travel = diary.reference().find_type("Travel")
    diary.save_activity_type(travel.__class__(**{**travel.__dict__, "active": False}))
    got = parse_quick("travel 10:00-11:00", diary.reference(), NOW)
    assert got.error.startswith("Start with the type")
    diary.close()


def test_help_documents_the_examples():
    for example in ("CHVS X123456 14:00-15:10 discussed housing", "admin 30m Delius recording",
                    "yesterday", "mon..sun", "20/11", "2026-11-20", "30m"):
        assert example in QUICK_SYNTAX_HELP


def test_dates_read_as_every_date_field_reads_them(ref):
    got = parse_quick("admin 09/12/3202 10:00-11:00", ref, NOW)
    assert not got.ok and "1900 to 2199" in got.error
    got = parse_quick("admin -1w 10:00-11:00", ref, NOW)
    assert got.ok and clock.to_local(got.checked.entry.start).date() == dt.date(2026, 11, 13)
