"""A diary on a full or a read-only disk: the window still opens it, for reading only, and says
so; every save is refused in words that name the disk, and nothing is written (nor the lock
file beside it)."""

from __future__ import annotations

import pytest

from builders import PASS, add
from disks import fill, small_disk
from probation_diary.store.diary import Diary
from probation_diary.store.opening import window_lock
from probation_diary.ui.mainwindow import MainWindow
from probation_diary.ui.security.opening import open_diary_interactively


@pytest.mark.parametrize("passphrase", [None, PASS], ids=["plain", "encrypted"])
def test_on_a_full_disk_the_window_opens_the_diary_for_reading(tmp_path, fake_dialogs, make_entry, qtbot,
                                                               passphrase):
    with small_disk(tmp_path / "small", "700k") as disk:
        path = disk / "diary.db"
        with Diary.open(path, passphrase=passphrase) as d:
            add(d, "Travel", "2026-11-16 09:00", "2026-11-16 09:30")
        fill(disk)
        before = path.read_bytes()

        def unlock(dlg):  # the passphrase, typed into the unlock dialog
            qtbot.addWidget(dlg)
            dlg.edit.setText(passphrase)
            dlg.try_unlock()
            return dlg.result()

        fake_dialogs.on_exec = unlock
        diary = open_diary_interactively(path, listen=False)
        assert diary is not None, fake_dialogs.errors
        try:
            assert diary.read_only == "full"
            assert fake_dialogs.errors == []
            assert any("full" in t and "reading only" in t for t in fake_dialogs.infos), fake_dialogs.infos
            assert not window_lock(path).exists()  # nothing could be written beside the diary either
            window = MainWindow(diary)
            qtbot.addWidget(window)
            assert "(read only)" in window.windowTitle()
            assert len(window.week_view.entries) == 1  # the week is there to read
            unlocked = len(fake_dialogs.executed)
            assert window.maybe_first_run() is False  # nothing to set up: nothing could be kept
            assert len(fake_dialogs.executed) == unlocked
            assert window.save_new(make_entry("Team meeting", "2026-11-18 10:00", 60)) is None
            assert "full" in fake_dialogs.errors[-1] and "reading only" in fake_dialogs.errors[-1]
            window.close()
        finally:
            diary.instance_guard.release()
            diary.close()
        assert path.read_bytes() == before


def test_on_a_read_only_disk_the_window_opens_the_diary_for_reading(tmp_path, fake_dialogs, make_entry, qtbot):
    import subprocess

    with small_disk(tmp_path / "ro", "4m", "a real read-only disk") as disk:
        path = disk / "diary.db"
        with Diary.open(path) as d:
            add(d, "Travel", "2026-11-16 09:00", "2026-11-16 09:30")
        assert subprocess.run(["mount", "-o", "remount,ro", str(disk)]).returncode == 0
        diary = open_diary_interactively(path, listen=False)
        assert diary is not None, fake_dialogs.errors
        try:
            assert diary.read_only == "disk" and fake_dialogs.errors == []
            assert any("read-only disk" in t for t in fake_dialogs.infos), fake_dialogs.infos
            window = MainWindow(diary)
            qtbot.addWidget(window)
            assert "(read only)" in window.windowTitle() and len(window.week_view.entries) == 1
            assert window.save_new(make_entry("Team meeting", "2026-11-18 10:00", 60)) is None
            assert "read-only disk" in fake_dialogs.errors[-1]
            window.close()
        finally:
            diary.instance_guard.release()
            diary.close()
