"""Migration 4: the covering index of the time split's reads (issue 18). A diary made at
schema 3 opens, gains the index, and gives the same figures; the trends query reads it."""

import datetime as dt

import pytest

from builders import add, utc
from probation_diary.core import evidence
from probation_diary.core.clock import Week
from probation_diary.store import diary as storage
from probation_diary.store.diary import Diary

NOW = utc("2026-12-10 12:00")
LAST = Week(dt.date(2026, 11, 30))


def _fill(diary) -> None:
    add(diary, "COAP", "2026-11-16 10:00", "2026-11-16 11:00", crn="X111111", outcome="ATTC")
    add(diary, "COAP", "2026-11-17 10:00", "2026-11-17 10:45", crn="X222222", outcome="AFTA")
    add(diary, "COAP", "2026-11-18 09:00", "2026-11-18 09:30", crn="X111111")  # awaiting outcome
    add(diary, "Travel", "2026-11-18 09:30", "2026-11-18 10:30", crn="X111111")
    add(diary, "Annual leave", day="2026-11-20")
    add(diary, "Travel", "2026-11-29 23:30", "2026-11-30 01:00")  # over a week's end
    add(diary, "COAP", "2026-12-01 10:00", "2026-12-01 11:00", crn="X222222", outcome="ATTC")
    add(diary, "COAP", "2025-06-02 10:00", "2025-06-02 11:00", crn="X333333", outcome="ATTC")  # a year back


def _figures(diary) -> tuple:
    diary.db.execute("DELETE FROM week_figures")  # computed from the rows, not the cache
    trend = evidence.diary_trend(diary, 52, last=LAST, now=NOW)
    spread = evidence.caseload_spread(diary, dt.date(2025, 12, 1), dt.date(2026, 11, 30), now=NOW)
    timings = diary.timing_between(utc("2025-01-01 00:00"), utc("2027-01-01 00:00"))
    return trend, spread, timings


def _indexes(diary) -> set[str]:
    return {r[1] for r in diary.db.conn.execute("PRAGMA index_list(entries)")}


@pytest.fixture
def schema_3_diary(diary_path, monkeypatch):
    """A diary file made by the app as it was at schema 3 (before migration 4)."""
    monkeypatch.setattr(storage, "MIGRATIONS", storage.MIGRATIONS[:3])
    monkeypatch.setattr(storage, "SCHEMA_VERSION", 3)
    with Diary.open(diary_path) as old:
        _fill(old)
        assert old.schema_version == 3 and "entries_timing" not in _indexes(old)
        before = _figures(old)
    monkeypatch.undo()
    return before


def test_a_schema_3_diary_migrates_and_gives_the_same_figures(diary_path, schema_3_diary):
    with Diary.open(diary_path) as new:
        assert new.schema_version == storage.SCHEMA_VERSION == 4
        assert {"entries_timing", "entries_start"} <= _indexes(new)
        assert new.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        after = _figures(new)
    assert after == schema_3_diary
    _, spread, timings = after
    assert len(timings) == 8 and {p.crn for p in spread.people} == {"X111111", "X222222"}


def test_the_index_stays_in_step_with_saving(diary):
    _fill(diary)
    entry = diary.timing_between(utc("2026-11-16 00:00"), utc("2026-11-17 00:00"))[0]
    moved = diary.get_entry(entry.id).with_changes(start=utc("2026-11-16 12:00"), end=utc("2026-11-16 13:30"))
    diary.update_entry(moved)
    diary.delete_entry(diary.timing_between(utc("2026-11-17 00:00"), utc("2026-11-18 00:00"))[0].id)
    assert diary.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    week = diary.timing_between(utc("2026-11-16 00:00"), utc("2026-11-23 00:00"))
    assert [(e.start, e.end) for e in week][0] == (utc("2026-11-16 12:00"), utc("2026-11-16 13:30"))
    assert len(week) == 4  # one deleted of the week's five (the leave included)


@pytest.mark.parametrize("with_crn", [True, False])
def test_the_trends_query_reads_only_the_covering_index(diary, with_crn):
    _fill(diary)
    sql = storage.TIMING_SQL.format(crn="crn" if with_crn else "NULL")
    args = ["2025-11-30T00:00:00Z", "2026-12-07T00:00:00Z", "2025-12-01T00:00:00Z"]
    plan = " ".join(str(r[3]) for r in diary.db.conn.execute("EXPLAIN QUERY PLAN " + sql, args))
    assert "COVERING INDEX entries_timing" in plan
    assert "TEMP B-TREE" not in plan  # already in the order asked for (start, then id)
