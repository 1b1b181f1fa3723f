"""The lock screen, the security menus and the window title, on the real main window."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDockWidget, QLineEdit, QPlainTextEdit, QVBoxLayout

from builders import add
from probation_diary.store import backup
from probation_diary.core import retention
from probation_diary.core.model import ENTERED
from probation_diary.store.diary import Diary
from probation_diary.ui.security import actions as security_actions
from probation_diary.ui.security.unlock import LockScreen

from builders import PASS


@pytest.fixture
def enc_diary(diary_path):
    d = Diary.open(diary_path, passphrase=PASS)
    yield d
    d.close()


def make_window(qtbot, diary):
    from probation_diary.ui.mainwindow import MainWindow

    win = MainWindow(diary)
    qtbot.addWidget(win)
    win.resize(1000, 700)
    win.show()
    qtbot.waitExposed(win)
    assert "security" not in win.install_errors, win.install_errors
    return win


def action_texts(menu):
    return [a.text() for a in menu.actions()]


def test_menus_and_title(qtbot, enc_diary, tmp_path):
    win = make_window(qtbot, enc_diary)
    file_texts = action_texts(win.menus["file"])
    for text in ("&Lock", "Change &passphrase…", "Create &backup now", "&Restore from backup…", "Re&tention policy…"):
        assert text in file_texts
    assert "&History of this entry…" in action_texts(win.menus["entry"])
    assert "&Bin (deleted entries)…" in action_texts(win.menus["edit"])
    assert "UNENCRYPTED" not in win.windowTitle()

    plain = Diary.open(tmp_path / "plain.db")
    try:
        other = make_window(qtbot, plain)
        assert other.windowTitle().endswith("(UNENCRYPTED)")
        other.setWindowTitle("plain.db – Probation Diary")  # whoever sets the title, the mark stays
        assert other.windowTitle().endswith("(UNENCRYPTED)")
        assert "&Encrypt this diary…" in action_texts(other.menus["file"])
        other.close()
    finally:
        plain.close()


def draft_dialog(win, qtbot):
    """Stands in for an entry editor with a note being typed (shown modal, as the app does)."""
    dlg = QDialog(win)
    dlg.setWindowTitle("New entry")
    notes = QPlainTextEdit(dlg)
    QVBoxLayout(dlg).addWidget(notes)
    dlg.setModal(True)
    dlg.show()
    qtbot.waitExposed(dlg)
    notes.setFocus()
    qtbot.keyClicks(notes, "Met at the library; discussed")
    return dlg, notes


def test_lock_hides_everything_and_unlock_restores_the_draft(qtbot, enc_diary):
    win = make_window(qtbot, enc_diary)
    sec = win.security
    docks = [d for d in win.findChildren(QDockWidget) if d.isVisible()]
    dlg, notes = draft_dialog(win, qtbot)

    sec.lock_action.trigger()
    assert sec.locked
    assert not win.centralWidget().isVisible()
    assert all(not d.isVisible() for d in docks)
    covers = [c for c in dlg.findChildren(LockScreen) if c.isVisible()]
    assert len(covers) == 1 and covers[0].geometry() == dlg.rect()  # the modal editor is covered...
    assert covers[0].edit is not None  # ... and holds the unlock field, since it has the input
    assert any(c.isVisible() for c in win.findChildren(LockScreen))  # the main window too
    assert "locked" in win.windowTitle() and "locked" in dlg.windowTitle()
    qtbot.keyClicks(notes, " SHOULD NOT APPEAR")  # input to anything under the lock is swallowed
    assert notes.toPlainText() == "Met at the library; discussed"
    win.grab().save(str(Path(win.diary.path).with_name("locked.png")))

    field = covers[0].edit
    qtbot.keyClicks(field, "not the passphrase")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert sec.locked and "not right" in covers[0].message.text()

    qtbot.keyClicks(field, PASS)
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert not sec.locked
    assert win.centralWidget().isVisible() and all(d.isVisible() for d in docks)
    assert dlg.isVisible() and dlg.windowTitle() == "New entry"
    assert not [c for c in win.findChildren(LockScreen) if c.isVisible()]
    qtbot.keyClicks(notes, " housing")
    assert notes.toPlainText() == "Met at the library; discussed housing"  # exactly where it was
    dlg.close()


def test_lock_screen_shows_no_data(qtbot, enc_diary, diary_path):
    add(enc_diary, "COAP", "2026-11-18 10:00", "2026-11-18 11:00", crn="X123456", outcome="ATTC")
    win = make_window(qtbot, enc_diary)
    win.security.lock()
    visible_text = " ".join(w.text() for w in win.findChildren(QLineEdit) + [] if w.isVisible())
    assert "X123456" not in visible_text
    shot = diary_path.with_name("lock.png")
    win.grab().save(str(shot))
    assert shot.exists()
    win.security.unlock()


def test_idle_lock(qtbot, enc_diary):
    win = make_window(qtbot, enc_diary)
    assert win.security.idle_minutes() == 10
    win.security.set_idle_minutes(0.002)  # 120 ms
    qtbot.waitUntil(lambda: win.security.locked, timeout=3000)
    win.security.set_idle_minutes(0)
    win.security.unlock()
    assert not win.security.idle_timer.isActive()


def test_unencrypted_lock_has_an_unlock_button(qtbot, tmp_path):
    plain = Diary.open(tmp_path / "p.db")
    try:
        win = make_window(qtbot, plain)
        win.security.lock()
        screen = win.security._lock_screen
        assert screen is not None and screen.edit is None
        screen.button.click()
        assert not win.security.locked
        win.close()
    finally:
        plain.close()


def test_backup_now_restore_and_undo_from_the_window(qtbot, enc_diary, fake_dialogs, diary_path):
    win = make_window(qtbot, enc_diary)
    first = add(enc_diary, "COAP", "2026-11-18 10:00", "2026-11-18 11:00", crn="X123456", outcome="ATTC")
    win.security.backup_action.trigger()
    assert "Backed up" in fake_dialogs.infos[-1]
    made = backup.list_backups(diary_path)[0]
    add(enc_diary, "COAP", "2026-11-18 12:00", "2026-11-18 13:00", crn="X123456", outcome="ATTC")

    def choose_oldest(dlg):
        dlg.list.setCurrentRow(dlg.list.count() - 1)
        dlg._accept()
        return QDialog.DialogCode.Accepted

    fake_dialogs.on_exec = choose_oldest
    win.security.restore_action.trigger()
    assert [e.id for e in enc_diary.all_entries()] == [first.id]
    assert "To undo this" in fake_dialogs.infos[-1]
    undo = [b for b in backup.list_backups(diary_path) if b.tag == "before-restore"][0]
    win.security.restore_file(undo.path)
    assert enc_diary.count_entries() == 2
    assert made.path.exists()


def test_bin_and_history_dialogs(qtbot, enc_diary, fake_dialogs):
    win = make_window(qtbot, enc_diary)
    e = add(enc_diary, "COAP", "2026-11-18 10:00", "2026-11-18 11:00", crn="X123456", outcome="ATTC", notes="first")
    enc_diary.update_entry(e.with_changes(notes="second"))
    win.refresh()
    win.select_entry(e.id)
    shown = []

    def look(dlg):
        shown.append([dlg.list.item(i).text() for i in range(dlg.list.count())])
        shown.append(dlg.notes.toPlainText())
        return QDialog.DialogCode.Rejected

    fake_dialogs.on_exec = look
    win.security.history_action.trigger()
    assert len(shown[0]) == 1 and "before" in shown[0][0] and shown[1] == "first"

    enc_diary.delete_entry(e.id)

    def recover(dlg):
        dlg._accept()
        return QDialog.DialogCode.Accepted

    fake_dialogs.on_exec = recover
    win.security.bin_action.trigger()
    assert enc_diary.get_entry(e.id).notes == "second"


def test_retention_policy_tells_first(qtbot, enc_diary, fake_dialogs):
    e = add(enc_diary, "COAP", "2026-06-15 10:00", "2026-06-15 11:00", crn="X123456", outcome="ATTC", notes="private")
    enc_diary.set_delius_status([e.id], ENTERED)
    enc_diary.set_area_setting(retention.SETTING_KEY, "90")
    fake_dialogs.confirm = False
    win = make_window(qtbot, enc_diary)
    qtbot.waitUntil(lambda: len(fake_dialogs.questions) == 1)  # offered at start, declined
    assert "1 entry" in fake_dialogs.questions[0] and enc_diary.get_entry(e.id).notes == "private"
    fake_dialogs.confirm = True
    assert win.security.apply_retention_policy() == 1
    assert enc_diary.get_entry(e.id).notes == "" and enc_diary.get_entry(e.id).crn is None


def test_automatic_backup_tick_and_close(qtbot, enc_diary, diary_path):
    win = make_window(qtbot, enc_diary)
    win.security.backup_tick()  # runs in a worker thread, through its own connection
    qtbot.waitUntil(lambda: win.security._backup_job is None, timeout=5000)
    assert len(backup.list_backups(diary_path)) == 1
    assert "Backed up" in win.statusBar().currentMessage()
    add(enc_diary, "COAP", "2026-11-18 10:00", "2026-11-18 11:00", crn="X123456", outcome="ATTC")
    win.security.backup_tick()  # changed, but not 30 minutes yet
    assert win.security._backup_job is None and len(backup.list_backups(diary_path)) == 1
    win.security.closing()  # at close: checked, then backed up
    assert len(backup.list_backups(diary_path)) == 2


def test_module_install_is_the_contract():
    assert callable(security_actions.install)


def test_shortcuts_do_nothing_while_locked(qtbot, enc_diary):
    from PySide6.QtGui import QAction, QKeySequence, QShortcut, QShortcutEvent
    from PySide6.QtWidgets import QApplication

    win = make_window(qtbot, enc_diary)
    fired = []
    action = QAction("Show something", win)
    action.setShortcut(QKeySequence("Ctrl+K"))
    action.triggered.connect(lambda: fired.append("action"))
    win.addAction(action)
    shortcut = QShortcut(QKeySequence("Ctrl+J"), win)
    shortcut.activated.connect(lambda: fired.append("shortcut"))

    def press():
        QApplication.sendEvent(action, QShortcutEvent(QKeySequence("Ctrl+K"), 0))
        QApplication.sendEvent(shortcut, QShortcutEvent(QKeySequence("Ctrl+J"), shortcut))

    press()
    assert fired == ["action", "shortcut"]
    win.security.lock()
    press()
    assert fired == ["action", "shortcut"]
    win.security.unlock()
    press()
    assert fired == ["action", "shortcut"] * 2
