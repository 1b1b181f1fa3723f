import datetime as dt

from probation_diary.core.model import Settings
from probation_diary.core.reminder import reminder_due, reminder_text

FRI = dt.datetime(2026, 11, 20, 16, 30)


def test_due_at_the_time_on_a_working_day_with_unlogged_time():
    s = Settings()
    assert s.reminder == dt.time(16, 30)
    assert reminder_due(FRI, s, 60, None)
    assert not reminder_due(FRI - dt.timedelta(minutes=1), s, 60, None)  # not yet
    assert not reminder_due(FRI, s, 0, None)  # nothing unlogged
    assert not reminder_due(FRI, s, 60, FRI.date())  # once a day
    assert reminder_due(FRI, s, 60, FRI.date() - dt.timedelta(days=1))
    assert not reminder_due(FRI + dt.timedelta(days=1), s, 60, None)  # Saturday is not a working day


def test_off_switch_and_own_time():
    assert not reminder_due(FRI, Settings(reminder=None), 60, None)
    assert not reminder_due(FRI, Settings(reminder=dt.time(17, 0)), 60, None)
    assert reminder_due(FRI.replace(hour=17), Settings(reminder=dt.time(17, 0)), 60, None)


def test_text_names_only_the_time():
    assert reminder_text(135).startswith("2 h 15 min of today is not logged yet.")


def test_setting_round_trip():
    from probation_diary.core.model import SettingError, parse_setting
    import pytest

    assert parse_setting("reminder", "off") is None
    assert parse_setting("reminder", "9:05") == dt.time(9, 5)
    assert Settings(reminder=dt.time(9, 5)).to_strings()["reminder"] == "09:05"
    with pytest.raises(SettingError):
        parse_setting("reminder", "25:00")
