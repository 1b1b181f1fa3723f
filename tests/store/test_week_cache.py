"""The cache of finished weeks' figures (migration 3) can never be stale."""

import datetime as dt

import pytest

from builders import add, utc
from probation_diary.store import diary as storage
from probation_diary.core import timesplit
from probation_diary.core.clock import Week
from probation_diary.store.diary import Diary

NOW = utc("2026-12-10 12:00")
W1, W2, W3 = Week(dt.date(2026, 11, 2)), Week(dt.date(2026, 11, 9)), Week(dt.date(2026, 11, 16))


@pytest.fixture
def counted(monkeypatch):
    """How many weeks were computed rather than read from the cache."""
    calls = []
    real = storage.summarise_weeks

    def spy(weeks, *args):
        calls.extend(weeks)
        return real(weeks, *args)

    monkeypatch.setattr(storage, "summarise_weeks", spy)
    return calls


@pytest.fixture
def filled(diary):
    add(diary, "COAP", "2026-11-03 10:00", "2026-11-03 11:00", crn="X123456", outcome="ATTC")
    add(diary, "Recording on Delius", "2026-11-10 09:00", "2026-11-10 11:00")
    add(diary, "CHVS", "2026-11-17 14:00", "2026-11-17 15:30", crn="Y654321")
    add(diary, "Annual leave", day="2026-11-20")
    return diary


def fresh(diary, week):
    return diary.week_summary(week, now=NOW).to_json()


def test_cached_figures_equal_fresh_ones_and_are_reused(filled, counted):
    first = filled.week_summaries([W1, W2, W3], now=NOW)
    assert [s.to_json() for s in first] == [fresh(filled, w) for w in (W1, W2, W3)]
    assert counted == [W1, W2, W3]
    counted.clear()
    again = filled.week_summaries([W1, W2, W3], now=NOW)
    assert counted == []
    assert [s.to_json() for s in again] == [s.to_json() for s in first]
    assert again[2].awaiting_outcome_ids == first[2].awaiting_outcome_ids


def test_adding_editing_and_deleting_forget_exactly_the_weeks_touched(filled, counted):
    filled.week_summaries([W1, W2, W3], now=NOW)
    counted.clear()
    e = add(filled, "Travel", "2026-11-10 08:00", "2026-11-10 09:00")
    assert filled.week_summaries([W1, W2, W3], now=NOW)[1].minutes["travel"] == 60
    assert counted == [W2]
    counted.clear()
    filled.update_entry(e.with_changes(start=utc("2026-11-17 08:00"), end=utc("2026-11-17 09:30")))
    got = filled.week_summaries([W1, W2, W3], now=NOW)
    assert sorted(counted, key=lambda w: w.monday) == [W2, W3]
    assert (got[1].minutes["travel"], got[2].minutes["travel"]) == (0, 90)
    counted.clear()
    filled.delete_entry(e.id)
    assert filled.week_summaries([W1, W2, W3], now=NOW)[2].minutes["travel"] == 0
    assert counted == [W3]


def test_plain_sql_changes_are_caught_too(filled, counted):
    filled.week_summaries([W1, W2, W3], now=NOW)
    filled.db.execute("UPDATE entries SET outcome_code = 'ATTC' WHERE crn = 'Y654321'")
    assert filled.week_summaries([W3], now=NOW)[0].minutes["face_to_face"] == 90
    counted.clear()
    filled.db.execute("UPDATE entries SET notes = 'only the notes'")  # figures unaffected
    filled.week_summaries([W1, W2, W3], now=NOW)
    assert counted == []


def test_settings_and_reference_changes_forget_everything(filled, counted):
    from probation_diary.core.record import replace

    filled.week_summaries([W1, W2, W3], now=NOW)
    counted.clear()
    filled.set_setting("contracted_hours", "30")
    assert filled.week_summaries([W1, W2, W3], now=NOW)[0].expected_minutes == 1800
    assert counted == [W1, W2, W3]
    counted.clear()
    coap = filled.reference().find_type("COAP")
    filled.save_activity_type(replace(coap, time_class="remote_contact"))
    assert filled.week_summaries([W1], now=NOW)[0].minutes["remote_contact"] == 60
    assert counted == [W1]


def test_weeks_not_over_are_never_cached(filled, counted):
    now = utc("2026-11-18 12:00")  # during W3
    filled.week_summaries([W2, W3], now=now)
    counted.clear()
    filled.week_summaries([W2, W3], now=now)
    assert counted == [W3]


def test_figures_from_another_app_version_are_not_used(filled, counted):
    filled.week_summaries([W1], now=NOW)
    filled.db.execute("UPDATE week_figures SET app_version = '0.0.1'")
    counted.clear()
    filled.week_summaries([W1], now=NOW)
    assert counted == [W1]


def test_a_diary_from_schema_2_opens_and_gains_the_cache(diary_path, monkeypatch):
    monkeypatch.setattr(storage, "MIGRATIONS", storage.MIGRATIONS[:2])
    monkeypatch.setattr(storage, "SCHEMA_VERSION", 2)
    with Diary.open(diary_path) as old:
        add(old, "Travel", "2026-11-03 09:00", "2026-11-03 10:00")
    monkeypatch.undo()
    with Diary.open(diary_path) as new:
        assert new.schema_version == storage.SCHEMA_VERSION >= 3
        assert new.week_summaries([W1], now=NOW)[0].minutes["travel"] == 60
        assert new.db.execute("SELECT count(*) FROM week_figures").fetchone()[0] == 1


def test_round_trip_of_stored_figures(filled):
    s = filled.week_summary(W3, now=NOW)
    back = timesplit.summary_from_data(W3, timesplit.summary_to_data(s))
    assert back.to_json() == s.to_json() and back.days[4].working_day
