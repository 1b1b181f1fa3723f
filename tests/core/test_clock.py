import datetime as dt

import pytest

from probation_diary.core import clock
from probation_diary.core.clock import TimeError, Week


def test_march_gap_time_is_rejected_with_clear_message():
    with pytest.raises(TimeError, match="does not exist"):
        clock.local_to_utc(dt.datetime(2026, 3, 29, 1, 30))


def test_october_repeated_time_is_first_occurrence_with_warning():
    got = clock.local_to_utc(dt.datetime(2026, 10, 25, 1, 30))
    assert got.instant == dt.datetime(2026, 10, 25, 0, 30, tzinfo=dt.timezone.utc)  # 01:30 BST
    assert got.warning and "twice" in got.warning


def test_ordinary_times_have_no_warning():
    got = clock.local_to_utc(dt.datetime(2026, 7, 1, 9, 0))
    assert got.instant == dt.datetime(2026, 7, 1, 8, 0, tzinfo=dt.timezone.utc)
    assert got.warning is None
    assert clock.local_to_utc(dt.datetime(2026, 12, 1, 9, 0)).instant.hour == 9


@pytest.mark.parametrize("day, hours", [("2026-03-25", 167), ("2026-10-21", 169), ("2026-11-23", 168)])
def test_week_lengths_across_clock_changes(day, hours):
    assert Week.containing(dt.date.fromisoformat(day)).minutes == hours * 60


def test_week_runs_monday_to_monday_local():
    week = Week.containing(dt.date(2026, 11, 29))  # a Sunday
    assert week.monday == dt.date(2026, 11, 23)
    assert week.start == dt.datetime(2026, 11, 23, 0, 0, tzinfo=dt.timezone.utc)
    summer = Week.containing(dt.date(2026, 7, 1))
    assert summer.start == dt.datetime(2026, 6, 28, 23, 0, tzinfo=dt.timezone.utc)  # Monday 00:00 BST


@pytest.mark.parametrize("text", ["2026-13-01", "yesterday-ish", "", "31/02/2026"])
def test_bad_dates_are_rejected(text):
    with pytest.raises(TimeError):
        clock.parse_date(text)


@pytest.mark.parametrize("text", ["25:00", "9", "ab:cd", "12:60"])
def test_bad_times_are_rejected(text):
    with pytest.raises(TimeError):
        clock.parse_time(text)


def test_utc_text_round_trip():
    instant = dt.datetime(2026, 10, 25, 0, 30, tzinfo=dt.timezone.utc)
    assert clock.parse_utc(clock.format_utc(instant)) == instant
    assert clock.format_utc(instant) == "2026-10-25T00:30:00Z"


def test_now_can_be_fixed_for_tests(monkeypatch):
    monkeypatch.setenv("PROBATION_DIARY_NOW", "2026-07-01 09:15")
    assert clock.now_utc() == dt.datetime(2026, 7, 1, 8, 15, tzinfo=dt.timezone.utc)
    assert clock.today_local() == dt.date(2026, 7, 1)


def test_format_minutes():
    assert clock.format_minutes(0) == "0:00"
    assert clock.format_minutes(2220) == "37:00"
    assert clock.format_minutes(61) == "1:01"


def test_minutes_between_local_times_is_elapsed_time_across_the_clock_changes():
    """Python subtracts two times of the same zone by the wall clock: the list showed
    00:30-02:30 on 25/10/2026 as 2:00 (it lasts 3 hours) and a whole day as 24:00."""
    from probation_diary.core.clock import local_to_utc, minutes_between, to_local

    def span(day, a, b):
        start = to_local(local_to_utc(dt.datetime.combine(day, dt.time(*a))).instant)
        end = to_local(local_to_utc(dt.datetime.combine(day, dt.time(*b))).instant)
        return minutes_between(start, end)

    assert span(dt.date(2026, 10, 25), (0, 30), (2, 30)) == 180
    assert span(dt.date(2027, 3, 28), (0, 30), (2, 30)) == 60
    assert span(dt.date(2026, 11, 18), (9, 0), (10, 15)) == 75
    october = to_local(local_to_utc(dt.datetime(2026, 10, 25)).instant)
    assert minutes_between(october, to_local(local_to_utc(dt.datetime(2026, 10, 26)).instant)) == 25 * 60
