import hashlib
import sqlite3

import pytest

from builders import add
from probation_diary.core.model import CHANGED, ENTERED, EXPORTED, NOT_EXPORTED
from probation_diary.store.diary import (
    APPLICATION_ID, SCHEMA_VERSION, Diary, DiaryError, default_path,
)


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_new_diary_is_set_up_with_wal_foreign_keys_and_migrations(diary, diary_path):
    conn = diary.db.conn
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert "entries_start" in {r[1] for r in conn.execute("PRAGMA index_list(entries)")}
    assert len(diary.reference().types) == 57
    assert diary.reference().find_type("chvs").label == "Home visit to case (NS)"
    assert diary.reference().outcomes["RSOF"].complied is None


def test_week_query_uses_the_start_index(diary):
    plan = diary.db.execute(
        "EXPLAIN QUERY PLAN SELECT id FROM entries WHERE start_utc >= ? AND start_utc < ? AND end_utc > ?",
        ["a", "b", "c"]).fetchall()
    plan = " ".join(str(r) for r in plan)  # either index led by start_utc (migration 4 added entries_timing)
    assert "INDEX entries_start (start_utc>" in plan or "INDEX entries_timing (start_utc>" in plan


def test_reopening_keeps_everything(diary_path):
    with Diary.open(diary_path) as d:
        add(d, "COAP", "2026-11-16 10:00", "2026-11-16 11:00", crn="X123456", outcome="ATTC", notes="Llanfairpwll")
        d.set_setting("team_code", "n07abc")
    with Diary.open(diary_path) as d:
        [entry] = d.all_entries()
        assert entry.notes == "Llanfairpwll" and entry.ref == "PD-000001"
        assert d.settings().team_code == "N07ABC"


def test_default_path_follows_xdg_and_env(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert default_path() == tmp_path / "xdg" / "probation-diary" / "diary.db"
    monkeypatch.setenv("PROBATION_DIARY_DB", str(tmp_path / "other.db"))
    assert default_path() == tmp_path / "other.db"


def test_newer_schema_is_refused_and_never_modified(diary_path):
    Diary.open(diary_path).close()
    conn = sqlite3.connect(diary_path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    before = digest(diary_path)
    with pytest.raises(DiaryError, match="newer version"):
        Diary.open(diary_path)
    assert digest(diary_path) == before


def test_foreign_sqlite_file_is_refused_and_untouched(tmp_path):
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE songs (title TEXT)")
    conn.commit()
    conn.close()
    before = digest(other)
    with pytest.raises(DiaryError, match="not a Probation Diary file"):
        Diary.open(other)
    assert digest(other) == before


def test_unreadable_file_is_refused_and_untouched(tmp_path):
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not a database at all" * 100)
    before = digest(junk)
    with pytest.raises(DiaryError, match="not a Probation Diary file"):
        Diary.open(junk)
    assert digest(junk) == before


def test_failed_write_leaves_the_file_as_it_was(diary):
    add(diary, "Travel", "2026-11-16 09:00", "2026-11-16 10:00")
    before = diary.count_entries()
    with pytest.raises(DiaryError):
        with diary._write():
            diary.db.execute("INSERT INTO people (crn) VALUES ('X111111')")
            diary.db.execute("INSERT INTO entries (type_id, start_utc, end_utc, created_utc, updated_utc)"
                             " VALUES (9999, 'b', 'a', 'x', 'x')")
    assert diary.count_entries() == before
    assert diary.person("X111111") is None


def test_edit_keeps_history_and_delete_goes_to_bin(diary):
    e = add(diary, "COAP", "2026-11-16 10:00", "2026-11-16 11:00", crn="X123456", notes="first")
    diary.update_entry(e.with_changes(notes="second"))
    [(when, old)] = diary.history(e.id)
    assert old.notes == "first"
    diary.delete_entry(e.id)
    assert diary.get_entry(e.id) is None
    assert [b.notes for _, b in diary.binned()] == ["second"]
    back = diary.undelete(e.id)
    assert back.notes == "second" and back.ref == e.ref and diary.binned() == []


def test_references_are_never_reused(diary):
    a = add(diary, "Travel", "2026-11-16 09:00", "2026-11-16 10:00")
    diary.delete_entry(a.id)
    b = add(diary, "Travel", "2026-11-16 09:00", "2026-11-16 10:00")
    assert b.id != a.id


def test_delius_status_transitions(diary):
    e = add(diary, "COAP", "2026-11-16 10:00", "2026-11-16 11:00", crn="X123456", outcome="ATTC")
    assert e.delius_status == NOT_EXPORTED
    diary.update_entry(e.with_changes(notes="edited before export"))
    assert diary.get_entry(e.id).delius_status == NOT_EXPORTED
    diary.set_delius_status([e.id], EXPORTED, file="week.csv")
    e = diary.get_entry(e.id)
    assert e.delius_status == EXPORTED and e.delius_export_file == "week.csv" and e.delius_exported_at
    e = diary.update_entry(e.with_changes(notes="changed after export"))
    assert e.delius_status == CHANGED
    diary.set_delius_status([e.id], ENTERED)
    e = diary.get_entry(e.id)
    assert e.delius_status == ENTERED and e.delius_entered_at
    same = diary.update_entry(e)  # saving without a change changes nothing
    assert same.delius_status == ENTERED
    assert diary.update_entry(e.with_changes(outcome_code="AFTC")).delius_status == CHANGED


def test_undo_of_mark_restores_previous_versions(diary):
    e = add(diary, "COAP", "2026-11-16 10:00", "2026-11-16 11:00", crn="X123456", outcome="ATTC")
    before = diary.set_delius_status([e.id], ENTERED)
    for old in before:
        diary.restore_version(old)
    assert diary.get_entry(e.id) == e


def test_activity_type_editing_is_validated(diary):
    from probation_diary.core.model import ActivityType

    with pytest.raises(DiaryError, match="already an activity type"):
        diary.save_activity_type(ActivityType(0, "Travel", "travel"))
    with pytest.raises(DiaryError, match="time class"):
        diary.save_activity_type(ActivityType(0, "Gardening", "leisure"))
    with pytest.raises(DiaryError, match="already used"):
        diary.save_activity_type(ActivityType(0, "Another office visit", "face_to_face", delius_code="coap"))
    new = diary.save_activity_type(ActivityType(0, "Court duty", "admin", group="Admin"))
    assert diary.reference().find_type("court duty") == new


def test_listeners_hear_about_writes(diary):
    heard = []
    diary.listeners.append(heard.append)
    add(diary, "Travel", "2026-11-16 09:00", "2026-11-16 10:00")
    diary.set_setting("staff_code", "ABC1234")
    assert heard == ["entries", "settings"]


def test_names_of_gives_the_names_of_just_those_crns(diary):
    diary.save_person("X123456", "Jo Bloggs")
    diary.save_person("X654321", "Sam Smith")
    add(diary, "COAP", "2026-11-17 10:00", "2026-11-17 11:00", crn="X111111")  # known, never named
    many = [f"Y{n:06d}" for n in range(1200)]  # more than one query's worth of parameters
    assert diary.names_of(["X123456", "X111111", "Z999999", *many]) == {"X123456": "Jo Bloggs"}
    assert diary.names_of(iter(["X654321", "X654321"])) == {"X654321": "Sam Smith"}
    assert diary.names_of([]) == {}
