"""Opening the diary in the app: first run, unlock, wrong passphrase, damaged file, two copies."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time

from PySide6.QtWidgets import QDialog

from builders import add
from probation_diary.store import backup, security
from probation_diary.core import retention
from probation_diary.store.diary import Diary
from probation_diary.ui.security import unlock
from probation_diary.ui.security.single_instance import SingleInstance, lock_path

from builders import PASS

ACCEPTED = QDialog.DialogCode.Accepted


def sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def close(diary):
    guard = getattr(diary, "instance_guard", None)
    if guard is not None:
        guard.release()
    diary.close()


def test_first_run_creates_an_encrypted_diary(qtbot, diary_path, fake_dialogs):
    def fill(dlg):
        qtbot.addWidget(dlg)
        assert security.LOST_PASSPHRASE_WARNING in dlg.findChild(object, "lostPassphraseWarning").text()
        dlg.first.setText("short")
        assert not dlg.create_button.isEnabled() and "short" in dlg.problem.text()
        dlg.first.setText(PASS)
        assert not dlg.create_button.isEnabled()  # not confirmed yet
        dlg.second.setText(PASS)
        assert dlg.create_button.isEnabled() and dlg.meter.value() >= 3
        dlg.retention_box.setChecked(True)
        dlg.create_button.click()
        return dlg.result()

    fake_dialogs.on_exec = fill
    diary = unlock.open_diary_interactively(diary_path)
    assert diary is not None and diary.encrypted
    assert diary.area_setting(retention.SETTING_KEY) == "90"
    assert security.file_state(diary_path) == "encrypted"
    assert lock_path(diary_path).exists()
    close(diary)
    assert not lock_path(diary_path).exists()


def test_first_run_can_explicitly_not_encrypt(qtbot, diary_path, fake_dialogs):
    def plain(dlg):
        qtbot.addWidget(dlg)
        dlg.plain_button.click()
        return dlg.result()

    fake_dialogs.on_exec = plain
    diary = unlock.open_diary_interactively(diary_path)
    assert diary is not None and not diary.encrypted
    assert diary.area_setting(retention.SETTING_KEY) is None
    close(diary)


def test_cancel_at_first_run_creates_nothing(diary_path, fake_dialogs):
    assert unlock.open_diary_interactively(diary_path) is None
    assert not diary_path.exists() and not lock_path(diary_path).exists()


def test_unlock_wrong_then_right_with_growing_delay(qtbot, diary_path, fake_dialogs):
    Diary.open(diary_path, passphrase=PASS).close()
    before = sha(diary_path)
    seen = {}

    def type_passphrases(dlg):
        qtbot.addWidget(dlg)
        for attempt in range(1, 5):
            qtbot.waitUntil(dlg.unlock_button.isEnabled, timeout=2000)
            dlg.edit.setText(f"wrong guess number {attempt}")
            dlg.unlock_button.click()
            assert "not right" in dlg.message.text() and dlg.diary is None
        seen["waiting"] = not dlg.unlock_button.isEnabled()
        seen["message"] = dlg.message.text()
        dlg.edit.setText(PASS)
        dlg.try_unlock()  # ignored while waiting
        assert dlg.diary is None
        qtbot.waitUntil(dlg.unlock_button.isEnabled, timeout=2000)
        dlg.try_unlock()
        return dlg.result()

    fake_dialogs.on_exec = type_passphrases
    diary = unlock.open_diary_interactively(diary_path)
    assert seen["waiting"] and "Wait 2 seconds" in seen["message"]
    assert diary is not None and diary.encrypted
    close(diary)
    assert sha(diary_path) == before


def test_failure_delay_grows():
    assert [unlock.failure_delay(n) for n in range(1, 9)] == [0, 0, 1, 2, 4, 8, 16, 32]
    assert unlock.failure_delay(30) == 60


def test_damaged_diary_offers_the_newest_good_backup(qtbot, diary_path, fake_dialogs):
    diary = Diary.open(diary_path, passphrase=PASS)
    for i in range(200):
        add(diary, "COAP", "2026-11-16 10:00", "2026-11-16 11:00", crn="X123456", outcome="ATTC", notes="n" * 200)
    backup.make_backup(diary)
    diary.close()
    with open(diary_path, "r+b") as fh:
        fh.seek(diary_path.stat().st_size // 2)
        fh.write(os.urandom(4096))
    before = sha(diary_path)

    def right(dlg):
        qtbot.addWidget(dlg)
        dlg.edit.setText(PASS)
        dlg.try_unlock()
        return dlg.result()

    fake_dialogs.on_exec = right
    fake_dialogs.confirm = False
    assert unlock.open_diary_interactively(diary_path) is None
    assert "damaged" in fake_dialogs.questions[-1] and "newest good backup" in fake_dialogs.questions[-1]
    assert sha(diary_path) == before  # declined: the damaged file is as it was

    fake_dialogs.confirm = True
    diary = unlock.open_diary_interactively(diary_path)
    assert diary is not None and diary.count_entries() == 200
    kept = [p for p in diary_path.parent.iterdir() if ".damaged-" in p.name and not p.name.endswith(("-wal", "-shm"))]
    assert len(kept) == 1 and sha(kept[0]) == before
    close(diary)


def test_not_a_diary_is_refused_untouched(diary_path, fake_dialogs):
    diary_path.write_bytes(b"hello, not a diary\n" * 10)
    before = sha(diary_path)
    assert unlock.open_diary_interactively(diary_path) is None
    assert fake_dialogs.errors and "not a Probation Diary file" in fake_dialogs.errors[-1]
    assert sha(diary_path) == before


def test_second_copy_brings_the_first_forward(qtbot, diary_path):
    first = SingleInstance(diary_path)
    assert first.acquire() == "ok"
    second = SingleInstance(diary_path)
    with qtbot.waitSignal(first.activated, timeout=3000):
        assert second.acquire() == "forwarded"
    first.release()
    assert not lock_path(diary_path).exists()
    assert second.acquire() == "ok"  # free again
    second.release()


def test_file_in_use_by_a_live_copy_that_does_not_answer(diary_path):
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        lock_path(diary_path).write_text(f"{other.pid}\n")
        message = SingleInstance(diary_path).acquire()
        assert "already open in another copy" in message and "locked" not in message
    finally:
        other.kill()
        other.wait()
    assert SingleInstance(diary_path).acquire() == "ok"  # a dead copy's lock is taken over


def test_second_launch_of_the_app_opens_nothing(qtbot, diary_path, fake_dialogs):
    Diary.open(diary_path).close()
    first = unlock.open_diary_interactively(diary_path)
    assert first is not None
    with qtbot.waitSignal(first.instance_guard.activated, timeout=3000):
        assert unlock.open_diary_interactively(diary_path) is None
    assert not fake_dialogs.errors
    close(first)


STARTING_COPY = r"""
import sys, time
from PySide6.QtCore import QCoreApplication, QTimer
from probation_diary.ui.security.single_instance import SingleInstance
app = QCoreApplication([])
guard = SingleInstance(sys.argv[1])
assert guard.acquire(listen=False) == "ok"
print("locked", "PySide6.QtNetwork" in sys.modules, flush=True)
time.sleep(0.6)  # still starting: the lock is taken, nothing listens yet
guard.listen()
guard.activated.connect(lambda: (print("raised", flush=True), app.quit()))
QTimer.singleShot(10000, app.quit)
app.exec()
guard.release()
"""


def test_a_second_launch_waits_for_a_copy_still_starting(diary_path):
    """The app listens only after its first paint: a second launch meanwhile waits for it (up
    to two seconds) and hands over, rather than calling the file in use. The first copy
    does not load QtNetwork before it listens (issue 18)."""
    first = subprocess.Popen([sys.executable, "-c", STARTING_COPY, str(diary_path)], stdout=subprocess.PIPE,
                             text=True, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    try:
        assert first.stdout.readline().split() == ["locked", "False"]
        assert SingleInstance(diary_path).acquire() == "forwarded"
        assert first.stdout.readline().strip() == "raised"
    finally:
        first.kill()
        first.wait()
        first.stdout.close()


def test_a_normal_start_and_a_start_after_a_crash_do_not_load_qtnetwork(tmp_path):
    db = tmp_path / "d.db"
    code = ("import sys; from probation_diary.ui.security.single_instance import SingleInstance, lock_path\n"
            "lock_path(sys.argv[1]).write_text('999999999\\n')  # left by a copy that crashed\n"
            "g = SingleInstance(sys.argv[1]); print(g.acquire(listen=False), 'PySide6.QtNetwork' in sys.modules,"
            " 'hashlib' in sys.modules); g.release()")
    out = subprocess.run([sys.executable, "-c", code, str(db)], capture_output=True, text=True, timeout=60)
    assert out.stdout.split() == ["ok", "False", "False"], out.stderr[-2000:]


def test_a_killed_copy_not_yet_reaped_leaves_the_diary_free(diary_path):
    """kill -9 leaves a zombie until its parent reaps it: it holds nothing, so its lock file is
    taken over at once, by the window and in the command line's words alike."""
    from probation_diary.store.opening import process_alive, running_window

    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        lock_path(diary_path).write_text(f"{other.pid}\n")
        assert process_alive(other.pid) and running_window(diary_path) == other.pid
        other.kill()
        for _ in range(100):  # the kill lands; nobody waits for the child yet
            if not process_alive(other.pid):
                break
            time.sleep(0.02)
        assert os.path.exists(f"/proc/{other.pid}")  # still a zombie: not reaped
        assert running_window(diary_path) is None
        guard = SingleInstance(diary_path)
        assert guard.acquire() == "ok"
        guard.release()
    finally:
        other.kill()
        other.wait()
