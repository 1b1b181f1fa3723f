"""Crash safety: SIGKILL at random moments, drafts after a kill, a full disk, a damaged file."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import random
import select
import signal

import pytest

from builders import PASS, add
from probation_diary.store import backup, security
from probation_diary.core import clock
from probation_diary.core.validation import EntryDraft, check_entry
from probation_diary.store.diary import DamagedDiaryError, Diary, DiaryError


pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork and SIGKILL")


def _child_saves(path, passphrase, write_fd, draft: bool):
    """In a forked child: open the diary, then save entries (or a draft) for ever, reporting
    each committed id on the pipe. Never returns."""
    try:
        diary = Diary.open(path, passphrase=passphrase)
        ref, now = diary.reference(), clock.now_utc()
        n = 0
        while True:
            n += 1
            if draft:
                diary.save_draft("new", {"notes": f"typed so far {n}"})
                os.write(write_fd, f"{n}\n".encode())
                continue
            day = dt.date(2026, 1, 5) + dt.timedelta(days=n % 300)
            checked = check_entry(EntryDraft(type="COAP", crn="X123456", start_date=day.isoformat(),
                                             start_time="10:00", end_time="10:30", outcome="ATTC",
                                             notes=f"note {n} " * 20), ref, now)
            entry = diary.add_entry(checked.entry)
            os.write(write_fd, f"{entry.id}\n".encode())  # only after the commit returned
    except BaseException:
        os._exit(3)
    os._exit(0)


def _run_and_kill(path, passphrase, rng, draft=False) -> list[int]:
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        os.close(read_fd)
        _child_saves(path, passphrase, write_fd, draft)
    os.close(write_fd)
    reported, buf = [], b""
    deadline_lines = rng.randint(0, 6)
    # kill after a random number of reported saves, plus a random extra moment
    while len(reported) < deadline_lines:
        ready, _, _ = select.select([read_fd], [], [], 5)
        if not ready:
            break
        chunk = os.read(read_fd, 4096)
        if not chunk:
            break
        buf += chunk
        *lines, buf = buf.split(b"\n")
        reported += [int(x) for x in lines]
    select.select([read_fd], [], [], rng.uniform(0, 0.004))
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    while True:  # whatever was reported before the kill landed
        chunk = os.read(read_fd, 4096)
        if not chunk:
            break
        buf += chunk
    os.close(read_fd)
    reported += [int(x) for x in buf.split(b"\n") if x.strip()]
    return reported


@pytest.mark.parametrize("passphrase, rounds", [(None, 200), (PASS, 15)], ids=["plain", "encrypted"])
def test_sigkill_never_loses_a_reported_save(tmp_path, passphrase, rounds):
    path = tmp_path / "kill.db"
    Diary.open(path, passphrase=passphrase).close()
    rng = random.Random(20261123)
    reported: list[int] = []
    for _ in range(rounds):
        reported += _run_and_kill(path, passphrase, rng)
    assert len(reported) > rounds  # the loop really saved things
    with Diary.open(path, passphrase=passphrase, check=True) as diary:
        assert diary.quick_check() == []
        ids = {e.id for e in diary.all_entries()}
        missing = set(reported) - ids
        assert not missing, f"{len(missing)} reported saves lost"
        assert all(e.minutes == 30 for e in diary.all_entries())


def test_draft_survives_a_kill(tmp_path, fixed_now):
    fixed_now("2026-11-20 17:00")
    path = tmp_path / "draft.db"
    Diary.open(path, passphrase=PASS).close()
    rng = random.Random(7)
    reported = []
    while not reported:
        reported = _run_and_kill(path, PASS, rng, draft=True)
    with Diary.open(path, passphrase=PASS) as diary:
        drafts = diary.drafts()
    assert len(drafts) == 1
    assert int(drafts[0]["data"]["notes"].split()[-1]) >= reported[-1]
    assert clock.now_utc() - drafts[0]["saved"] <= dt.timedelta(seconds=5)


def test_full_disk_gives_a_clear_error_and_keeps_what_was_saved(diary_path):
    diary = Diary.open(diary_path, passphrase=PASS)
    kept = [add(diary, "COAP", "2026-11-16 10:00", "2026-11-16 11:00", crn="X123456", outcome="ATTC",
                notes="kept safe") for _ in range(3)]
    pages = diary.db.conn.execute("PRAGMA page_count").fetchone()[0]
    diary.db.conn.execute(f"PRAGMA max_page_count = {pages + 2}")
    with pytest.raises(DiaryError, match="disk is full.*nothing was saved"):
        for _ in range(50):
            add(diary, "COAP", "2026-11-17 10:00", "2026-11-17 11:00", crn="X123456", outcome="ATTC",
                notes="x" * 20_000)
    # still usable for reading; earlier data intact
    assert all(diary.get_entry(e.id) == e for e in kept)
    diary.close()
    with Diary.open(diary_path, passphrase=PASS, check=True) as again:
        assert again.quick_check() == []
        assert [e.notes for e in again.all_entries()][:3] == ["kept safe"] * 3


def _sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("passphrase", [None, PASS], ids=["plain", "encrypted"])
def test_corrupt_file_is_refused_untouched_and_a_backup_offered(diary_path, passphrase):
    diary = Diary.open(diary_path, passphrase=passphrase)
    for i in range(300):
        add(diary, "COAP", "2026-11-16 10:00", "2026-11-16 11:00", crn="X123456", outcome="ATTC",
            notes=f"entry {i} " * 30)
    good = backup.make_backup(diary)
    diary.close()
    size = diary_path.stat().st_size
    with open(diary_path, "r+b") as fh:  # overwrite bytes in the middle
        fh.seek(size // 2)
        fh.write(os.urandom(3000))
    before = _sha(diary_path)
    with pytest.raises(DamagedDiaryError, match="damaged.*left untouched"):
        Diary.open(diary_path, passphrase=passphrase)
    assert _sha(diary_path) == before
    assert not security.wal_path(diary_path).exists() or security.wal_path(diary_path).stat().st_size == 0
    offer = backup.newest_good_backup(diary_path, passphrase)
    assert offer is not None and offer.path == good.path
    aside = backup.recover_from_backup(diary_path, offer)
    assert _sha(aside) == before  # the damaged file is kept as it was
    with Diary.open(diary_path, passphrase=passphrase) as diary:
        assert diary.count_entries() == 300


def test_corrupt_file_found_at_close_makes_no_backup(diary_path):
    diary = Diary.open(diary_path)
    add(diary, "COAP", "2026-11-16 10:00", "2026-11-16 11:00", crn="X123456", outcome="ATTC")
    sched = backup.BackupScheduler(diary)
    diary.integrity_check = lambda: ["row 1 missing from index entries_start"]  # as SQLite reports it
    with pytest.raises(DamagedDiaryError, match="no backup"):
        sched.closing()
    assert backup.list_backups(diary_path) == []
    diary.close()

