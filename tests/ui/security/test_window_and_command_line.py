"""Issue 12 with the window and the command line on one diary at the same time (items 1, 2
and 11), and the window's open errors (items 4, 5, 6)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog

from builders import PASS, add
from probation_diary.store import backup
from probation_diary.store.diary import Diary, DiskFullError
from probation_diary.ui import dialogs
from probation_diary.ui.dialogs import choose_save_file as real_choose_save_file
from probation_diary.ui.security import unlock
from probation_diary.ui.security.single_instance import SingleInstance

ROOT = Path(__file__).resolve().parents[3]
linux_only = pytest.mark.skipif(sys.platform != "linux", reason="POSIX lock semantics are checked on Linux")


def cli(path, *args, passphrase=None, wait=True):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env.pop("PROBATION_DIARY_PASSPHRASE", None)
    if passphrase:
        env["PROBATION_DIARY_PASSPHRASE"] = passphrase
    argv = [sys.executable, "-m", "probation_diary", "--db", str(path), *map(str, args)]
    if not wait:
        return subprocess.Popen(argv, env=env, cwd=str(ROOT), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True)
    return subprocess.run(argv, env=env, cwd=str(ROOT), capture_output=True, text=True, timeout=60)


def sniff(path: Path) -> None:
    """What a file dialog listing the diary's folder does in the window's process."""
    for name in (path, path.with_name(path.name + "-shm"), path.with_name(path.name + "-wal")):
        if name.exists():
            with open(name, "rb") as fh:
                fh.read(64)


@linux_only
def test_a_command_while_the_window_has_the_diary_never_costs_the_window_a_save(window, diary, diary_path, qtbot):
    add(diary, "Travel", "2026-11-16 09:00", "2026-11-16 09:30", notes="window before")
    sniff(diary_path)  # the window's SQLite locks are gone now
    done = cli(diary_path, "add", "--type", "Travel", "--start", "2026-11-17 09:00", "--end",
               "2026-11-17 09:30", "--notes", "command line", "--unencrypted")
    assert done.returncode == 0, done.stderr
    add(diary, "Travel", "2026-11-18 09:00", "2026-11-18 09:30", notes="window after")  # acknowledged
    window.refresh()
    seen = cli(diary_path, "export", diary_path.with_name("seen.csv"), "--plain")
    assert seen.returncode == 0, seen.stderr
    text = diary_path.with_name("seen.csv").read_text(encoding="utf-8-sig")
    assert "window before" in text and "command line" in text
    assert "window after" in text, "the window's save went into a WAL the command line had deleted"


@linux_only
def test_restore_from_the_command_line_refuses_while_the_window_is_open(window, diary, diary_path, qtbot):
    guard = SingleInstance(diary_path)
    assert guard.acquire() == "ok"
    try:
        add(diary, "Travel", "2026-11-16 09:00", "2026-11-16 09:30")
        made = backup.make_backup(diary)
        sniff(diary_path)
        done = cli(diary_path, "restore", made.path)
        assert done.returncode == 2
        assert f"the Probation Diary window (process {os.getpid()})" in done.stderr
        add(diary, "Travel", "2026-11-17 09:00", "2026-11-17 09:30")
        assert diary.count_entries() == 2
    finally:
        guard.release()


def test_the_window_restore_refuses_while_a_command_holds_the_diary(stand_in, diary, diary_path, fake_dialogs):
    from probation_diary.ui.security import actions

    actions.install(stand_in)
    add(diary, "Travel", "2026-11-16 09:00", "2026-11-16 09:30")
    made = backup.make_backup(diary)
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
                               "c.execute('select count(*) from entries').fetchall(); print('ok', flush=True); "
                               "sys.stdin.read()", str(diary_path)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ok"
        assert stand_in.security.restore_file(made.path) is None
        assert fake_dialogs.errors and f"process {holder.pid}" in fake_dialogs.errors[-1]
    finally:
        holder.stdin.close()
        holder.wait()
        holder.stdout.close()


def test_a_command_waits_for_the_window_and_says_so(window, diary, diary_path, qtbot):
    with diary.transaction():  # a long import in the window
        add(diary, "Travel", "2026-11-16 09:00", "2026-11-16 09:30")
        proc = cli(diary_path, "add", "--type", "Travel", "--start", "2026-11-17 09:00", "--end",
                   "2026-11-17 09:30", "--unencrypted", wait=False)
        first = proc.stderr.readline()  # blocks until the command says it is waiting
        assert "busy" in first and "waiting" in first
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0 and "Added" in out


# --- file choosers ---------------------------------------------------------------------------

def test_file_choosers_start_in_documents_never_the_diarys_folder(qtbot, diary, diary_path, monkeypatch, tmp_path):
    docs = Path.home() / "Documents"
    docs.mkdir(exist_ok=True)
    monkeypatch.setattr(dialogs, "documents_folder", lambda: docs)
    monkeypatch.setattr(dialogs, "_last_folder", None)
    seen = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda parent, caption, start, filters: (seen.append(start), ("", ""))[1]))
    real_choose_save_file(None, "Save", "delius.csv")
    real_choose_save_file(None, "Save", str(diary_path.with_name("delius.csv")))  # the diary's folder
    assert seen == [str(docs / "delius.csv")] * 2
    elsewhere = tmp_path / "exports"
    elsewhere.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a: (str(elsewhere / "chosen.csv"), "")))
    real_choose_save_file(None, "Save", "x.csv")
    assert dialogs.start_path("next.csv") == str(elsewhere / "next.csv")  # then the last folder used


# --- the window's open errors ----------------------------------------------------------------

def test_unlock_tells_a_full_disk_from_a_wrong_passphrase(qtbot, diary_path, monkeypatch):
    Diary.open(diary_path, passphrase=PASS).close()
    dlg = unlock.UnlockDialog(diary_path)
    qtbot.addWidget(dlg)

    def full(*a, **k):
        raise DiskFullError("the disk holding the diary is full, so the diary cannot be opened")

    monkeypatch.setattr(unlock.Diary, "open", full)
    for _ in range(4):
        dlg.edit.setText(PASS)
        dlg.try_unlock()
    assert "full" in dlg.message.text() and "passphrase" not in dlg.message.text()
    assert dlg.throttle.failures == 0 and dlg.unlock_button.isEnabled()


def test_an_empty_diary_with_backups_is_not_replaced_in_the_window(qtbot, diary_path, fake_dialogs):
    with Diary.open(diary_path) as d:
        add(d, "Travel", "2026-11-16 09:00", "2026-11-16 09:30")
        backup.make_backup(d)
    diary_path.write_bytes(b"")
    fake_dialogs.confirm = False
    assert unlock.open_diary_interactively(diary_path) is None
    assert fake_dialogs.questions and "empty" in fake_dialogs.questions[0]
    assert not any(isinstance(d, unlock.CreateDiaryDialog) for d in fake_dialogs.executed)
    assert diary_path.stat().st_size == 0
    fake_dialogs.confirm = True
    diary = unlock.open_diary_interactively(diary_path)
    try:
        assert diary is not None and diary.count_entries() == 1
    finally:
        diary.instance_guard.release()
        diary.close()


def test_a_damaged_plain_diary_never_crashes_the_window(qtbot, diary_path, fake_dialogs):
    with Diary.open(diary_path) as d:
        add(d, "Travel", "2026-11-16 09:00", "2026-11-16 09:30")
    data = bytearray(diary_path.read_bytes())
    for i in range(100, 4096):
        data[i] = 0xFF if i % 3 else data[i]
    diary_path.write_bytes(bytes(data))
    assert unlock.open_diary_interactively(diary_path) is None  # no exception, no traceback
    assert fake_dialogs.errors and "could not be opened" in fake_dialogs.errors[0]
    assert "damaged" in fake_dialogs.errors[0] and "codec" not in fake_dialogs.errors[0]


def test_a_missing_journal_is_reported_and_the_backup_offered(qtbot, diary_path, fake_dialogs):
    script = ("import os, sys\n"
              "from probation_diary.store.diary import Diary\n"
              "from builders import add\n"
              f"d = Diary.open({str(diary_path)!r})\n"
              "add(d, 'Travel', '2026-11-17 09:00', '2026-11-17 09:30')\n"
              "os._exit(0)\n")
    with Diary.open(diary_path) as d:
        add(d, "Travel", "2026-11-16 09:00", "2026-11-16 09:30")
        backup.make_backup(d)
    env = dict(os.environ, PYTHONPATH=f"{ROOT}{os.pathsep}{ROOT / 'tests'}")
    subprocess.run([sys.executable, "-c", script], env=env, check=True, cwd=str(ROOT))
    diary_path.with_name("diary.db-wal").unlink()  # another tool removed the journal after the crash
    fake_dialogs.confirm = False
    diary = unlock.open_diary_interactively(diary_path)
    try:
        assert diary is not None
        assert fake_dialogs.questions and "may be lost" in fake_dialogs.questions[0]
        assert "Restore the newest good backup" in fake_dialogs.questions[0]
    finally:
        diary.instance_guard.release()
        diary.close()
