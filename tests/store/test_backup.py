"""Backups: thinning over a simulated year, automatic schedule, restore and its undo, retention."""

from __future__ import annotations

import datetime as dt

import pytest

from builders import PASS, add, utc
from probation_diary.store import backup
from probation_diary.core import clock, retention
from probation_diary.core.clock import Week
from probation_diary.core.model import ENTERED
from probation_diary.store.diary import Diary, DiaryError, WrongPassphraseError


def test_thinning_rule_over_a_simulated_year(diary_path):
    """A backup every 30 minutes of a working day (09:00-17:00), every day for 400 days,
    thinned after each one, as the app would."""
    folder = backup.backup_dir(diary_path)
    folder.mkdir(parents=True)
    start = dt.date(2025, 10, 20)
    for d in range(400):
        day = start + dt.timedelta(days=d)
        for half_hour in range(0, 17):
            local = dt.datetime.combine(day, dt.time(9, 0)) + dt.timedelta(minutes=30 * half_hour)
            when = clock.local_to_utc(local).instant
            (folder / f"diary-{when:%Y%m%d-%H%M%S}.backup").write_bytes(b"")
        backup.thin_backups(diary_path, now=when)
    today = start + dt.timedelta(days=399)
    kept = backup.list_backups(diary_path)
    days = [clock.to_local(b.when).date() for b in kept]
    ages = [(today - d).days for d in days]
    # all from today and yesterday
    assert ages.count(0) == 17 and ages.count(1) == 17
    # one a day for the rest of the first two weeks, the newest of that day (16:59 local)
    daily = [b for b, a in zip(kept, ages) if 2 <= a < 14]
    assert len(daily) == 12 and all(clock.to_local(b.when).time() == dt.time(17, 0) for b in daily)
    assert len({clock.to_local(b.when).date() for b in daily}) == 12
    weekly = [d for d, a in zip(days, ages) if 14 <= a < 91]
    assert len(set((d.isocalendar()[0], d.isocalendar()[1]) for d in weekly)) == len(weekly)
    assert 10 <= len(weekly) <= 12
    monthly = [d for d, a in zip(days, ages) if 91 <= a <= 365]
    assert len(set((d.year, d.month) for d in monthly)) == len(monthly)
    assert 9 <= len(monthly) <= 10
    assert max(ages) <= 365
    assert len(kept) < 80


def test_newest_is_always_kept():
    old = [utc("2020-01-01 10:00")]
    assert backup.backups_to_keep(old, dt.date(2026, 11, 20)) == set(old)


def test_automatic_backup_when_changed_at_most_every_30_minutes(diary_path, fixed_now):
    now = fixed_now("2026-11-20 09:00")
    diary = Diary.open(diary_path, passphrase=PASS)
    sched = backup.BackupScheduler(diary)
    assert sched.tick(now) is not None  # no backup yet
    assert sched.tick(now + dt.timedelta(minutes=40)) is None  # nothing changed
    add(diary, "COAP", "2026-11-16 10:00", "2026-11-16 11:00", crn="X123456", outcome="ATTC")
    assert sched.tick(now + dt.timedelta(minutes=10)) is None  # too soon
    assert sched.tick(now + dt.timedelta(minutes=31)) is not None
    assert sched.tick(now + dt.timedelta(minutes=70)) is None
    add(diary, "COAP", "2026-11-16 12:00", "2026-11-16 13:00", crn="X123456", outcome="ATTC")
    made = sched.closing(now + dt.timedelta(minutes=75))  # at close: no 30-minute wait
    assert made is not None and len(backup.list_backups(diary_path)) == 3
    diary.close()
    with Diary.open(made.path, passphrase=PASS) as b:
        assert b.count_entries() == 2


def test_restore_then_undo_round_trips(diary_path, fixed_now):
    fixed_now("2026-11-20 09:00")
    diary = Diary.open(diary_path, passphrase=PASS)
    first = add(diary, "COAP", "2026-11-16 10:00", "2026-11-16 11:00", crn="X123456", outcome="ATTC", notes="one")
    old = backup.make_backup(diary)
    add(diary, "COAP", "2026-11-16 12:00", "2026-11-16 13:00", crn="X123456", outcome="ATTC", notes="two")
    diary.update_entry(first.with_changes(notes="one, edited"))
    state_before = sorted((e.id, e.notes) for e in diary.all_entries())
    seen = []
    diary.listeners.append(seen.append)

    fixed_now("2026-11-20 09:05")
    undo = backup.restore(diary, old.path)
    assert "entries" in seen
    assert sorted((e.id, e.notes) for e in diary.all_entries()) == [(first.id, "one")]
    assert undo.tag == "before-restore"

    fixed_now("2026-11-20 09:06")
    backup.restore(diary, undo.path)  # undo the restore
    assert sorted((e.id, e.notes) for e in diary.all_entries()) == state_before
    assert [v.notes for _, v in diary.history(first.id)] == ["one"]
    add(diary, "COAP", "2026-11-16 14:00", "2026-11-16 15:00", crn="X123456", outcome="ATTC")
    diary.close()
    with Diary.open(diary_path, passphrase=PASS, check=True) as again:
        assert again.count_entries() == 3


def test_restore_backup_made_under_old_passphrase(diary_path):
    from probation_diary.store import security

    diary = Diary.open(diary_path, passphrase=PASS)
    add(diary, "COAP", "2026-11-16 10:00", "2026-11-16 11:00", crn="X123456", outcome="ATTC")
    old = backup.make_backup(diary)
    security.rekey(diary, "a completely new passphrase")
    with pytest.raises(WrongPassphraseError, match="different passphrase"):
        backup.restore(diary, old.path)
    backup.restore(diary, old.path, backup_passphrase=PASS)
    diary.close()
    with Diary.open(diary_path, passphrase="a completely new passphrase") as d:
        assert d.count_entries() == 1


def test_restore_refuses_a_damaged_backup(diary_path):
    diary = Diary.open(diary_path)
    add(diary, "COAP", "2026-11-16 10:00", "2026-11-16 11:00", crn="X123456", outcome="ATTC")
    bad = diary_path.with_name("bad.backup")
    bad.write_bytes(b"rubbish" * 1000)
    with pytest.raises(DiaryError):
        backup.restore(diary, bad)
    assert diary.count_entries() == 1 and backup.list_backups(diary_path) == []
    diary.close()


# --- retention ----------------------------------------------------------------------------

def test_retention_removes_personal_data_and_keeps_weekly_figures(diary_path, fixed_now):
    fixed_now("2026-11-20 17:00")
    diary = Diary.open(diary_path, passphrase=PASS)
    diary.save_person("X123456", "Alice Example")
    diary.save_person("Y654321", "Bob Example")
    old_week = Week.containing(dt.date(2026, 6, 15))
    olds = [
        add(diary, "COAP", "2026-06-15 10:00", "2026-06-15 11:00", crn="X123456", outcome="ATTC", notes="private one"),
        add(diary, "COPT", "2026-06-16 10:00", "2026-06-16 10:20", crn="X123456", outcome="ATTC", notes="private two"),
        add(diary, "COAP", "2026-06-17 10:00", "2026-06-17 11:30", crn="Y654321", outcome="ATTC", notes="bob note"),
    ]
    not_entered = add(diary, "COAP", "2026-06-18 10:00", "2026-06-18 11:00", crn="Y654321", outcome="ATTC",
                      notes="not yet in Delius")
    recent = add(diary, "COAP", "2026-11-16 10:00", "2026-11-16 11:00", crn="X123456", outcome="ATTC", notes="recent")
    diary.update_entry(olds[0].with_changes(notes="private one, edited"))
    diary.set_delius_status([e.id for e in olds] + [recent.id], ENTERED)
    before = diary.week_summary(old_week).to_json()
    before_recent = diary.week_summary(Week.containing(dt.date(2026, 11, 16))).to_json()

    plan = retention.plan(diary.all_entries(), 90, clock.now_utc())
    assert sorted(plan.ids) == sorted(e.id for e in olds)
    text = plan.describe()
    assert "3 entries" in text and "2 people" in text and "private" not in text and "X123456" not in text
    diary.anonymise_entries(plan.ids)

    after = diary.week_summary(old_week).to_json()
    for key in before:
        if key != "per_person":
            assert after[key] == before[key], key
    assert [p["crn"] for p in after["per_person"]] == ["Y654321"]  # only the entry not yet entered
    assert diary.week_summary(Week.containing(dt.date(2026, 11, 16))).to_json() == before_recent
    for e in olds:
        got = diary.get_entry(e.id)
        assert got.notes == "" and got.crn is None and diary.history(e.id) == []
    assert diary.get_entry(not_entered.id).notes == "not yet in Delius"
    assert {p.crn: p.name for p in diary.people()} == {"X123456": "Alice Example", "Y654321": "Bob Example"}
    # a second run finds nothing
    assert retention.plan(diary.all_entries(), 90, clock.now_utc()).empty
    diary.close()


def test_retention_removes_names_of_people_with_no_entries_left(diary, fixed_now):
    fixed_now("2026-11-20 17:00")
    diary.save_person("Z111111", "Only Old")
    e = add(diary, "COAP", "2026-06-15 10:00", "2026-06-15 11:00", crn="Z111111", outcome="ATTC")
    diary.set_delius_status([e.id], ENTERED)
    diary.anonymise_entries(retention.plan(diary.all_entries(), 30, clock.now_utc()).ids)
    assert diary.people() == []


def test_retention_cli_tells_first_then_acts(run_cli, fixed_now, monkeypatch):
    fixed_now("2026-11-20 17:00")
    monkeypatch.setenv("PROBATION_DIARY_PASSPHRASE", PASS)
    run_cli("add", "--type", "COAP", "--crn", "X123456", "--start", "2026-06-15 10:00", "--end",
            "2026-06-15 11:00", "--outcome", "ATTC", "--notes", "private")
    run_cli("mark-entered", "PD-000001")
    r = run_cli("retention", "--days", "90")
    assert r.code == 0 and "1 entry" in r.out and "Nothing was changed" in r.out
    r = run_cli("retention", "--days", "90", "--yes")
    assert r.code == 0 and "Removed" in r.out
    assert "X123456" not in run_cli("list", "--week", "2026-06-15").out
    assert run_cli("retention", "--days", "0").code == 2


def test_bin_is_emptied_after_30_days_at_close(diary_path, fixed_now):
    fixed_now("2026-10-01 09:00")
    diary = Diary.open(diary_path)
    old = add(diary, "COAP", "2026-09-30 10:00", "2026-09-30 11:00", crn="X123456", outcome="ATTC", notes="a")
    diary.update_entry(old.with_changes(notes="b"))
    diary.delete_entry(old.id)
    fixed_now("2026-10-25 09:00")
    recent = add(diary, "COAP", "2026-10-24 10:00", "2026-10-24 11:00", crn="X123456", outcome="ATTC")
    diary.delete_entry(recent.id)
    sched = backup.BackupScheduler(diary)
    sched.closing(utc("2026-10-31 10:00"))  # 30 days and a bit after the first deletion
    assert [e.id for _, e in diary.binned()] == [recent.id]
    assert diary.history(old.id) == []
    diary.close()
