"""Issue 15 item 1: Enter at the lock screen unlocks and goes no further; the editor that was
open comes back exactly as it was, with the cursor where it was."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from builders import PASS
from probation_diary.store.diary import Diary
from probation_diary.ui.entry.editor import EntryEditor
from probation_diary.ui.security.unlock import LockScreen


@pytest.fixture
def enc_diary(diary_path):
    d = Diary.open(diary_path, passphrase=PASS)
    yield d
    d.close()


def open_editor_with_a_note(qtbot, win):
    from probation_diary.ui.mainwindow import MainWindow  # noqa: F401 - the window is built

    editor = EntryEditor(win.diary, kind="contact", day=dt.date(2026, 11, 20), parent=win)
    editor.crn_edit.setText("X123456")
    editor.setModal(True)  # as the app runs it
    editor.show()
    qtbot.waitExposed(editor)
    editor.activateWindow()
    editor.notes.setFocus()
    qtbot.waitUntil(editor.notes.hasFocus)
    qtbot.keyClicks(editor.notes, "Discussed the")
    assert editor.save_button.isEnabled() and editor.save_button.isDefault()
    return editor


@pytest.mark.parametrize("encrypted", [True, False])
def test_enter_at_the_lock_screen_never_saves_the_editor(qtbot, enc_diary, tmp_path, encrypted):
    from probation_diary.ui.mainwindow import MainWindow

    diary = enc_diary if encrypted else Diary.open(tmp_path / "plain.db")
    win = MainWindow(diary)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    editor = open_editor_with_a_note(qtbot, win)
    win.security.lock()
    cover = next(c for c in editor.findChildren(LockScreen) if c.isVisible())
    if encrypted:
        qtbot.keyClicks(cover.edit, PASS)
        qtbot.keyClick(cover.edit, Qt.Key.Key_Return)
    else:
        qtbot.keyClick(cover.button, Qt.Key.Key_Return)
    assert not win.security.locked
    assert editor.isVisible() and editor.result() == 0 and editor.result_entry() is None
    assert diary.count_entries() == 0  # nothing was saved
    assert editor.notes.toPlainText() == "Discussed the"
    qtbot.waitUntil(lambda: QApplication.focusWidget() is editor.notes)  # the cursor is back in the notes
    qtbot.keyClicks(QApplication.focusWidget(), " housing")
    assert editor.notes.toPlainText() == "Discussed the housing"
    editor.notes.clear()
    editor.done(0)
    if not encrypted:
        diary.close()


def test_escape_at_the_lock_screen_does_not_cancel_the_editor(qtbot, enc_diary, fake_dialogs):
    from probation_diary.ui.mainwindow import MainWindow

    win = MainWindow(enc_diary)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    editor = open_editor_with_a_note(qtbot, win)
    win.security.lock()
    cover = next(c for c in editor.findChildren(LockScreen) if c.isVisible())
    qtbot.keyClick(cover.edit, Qt.Key.Key_Escape)
    assert win.security.locked and editor.isVisible()
    assert fake_dialogs.questions == []  # not even "discard the notes?"
    win.security.unlock()
    editor.notes.clear()
    editor.done(0)
