"""The CRN completer's popup and the editor's Alt shortcuts: after Alt+letter the keys go to
the field the shortcut chose, never on to the CRN box."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from probation_diary.ui.entry.editor import EntryEditor


def open_popup(qtbot, diary):
    diary.save_person("X123456", "Jo Bloggs")
    diary.save_person("X123789", "Sam Smith")
    editor = EntryEditor(diary, kind="appointment")
    qtbot.addWidget(editor)
    editor.show()
    qtbot.waitExposed(editor)
    editor.activateWindow()
    editor.crn_edit.setFocus()
    qtbot.waitUntil(editor.crn_edit.hasFocus)
    qtbot.keyClicks(editor.crn_edit, "X123")
    popup = editor.crn_edit.completer().popup()
    qtbot.waitUntil(popup.isVisible)
    return editor, popup


def keys_now(qtbot, key, modifier=Qt.KeyboardModifier.NoModifier):
    """A key where the keyboard is now: the open popup if there is one (it holds the keyboard)."""
    qtbot.keyClick(QApplication.activePopupWidget() or QApplication.focusWidget(), key, modifier)


def test_the_key_after_an_alt_shortcut_goes_to_the_field_it_chose(qtbot, diary):
    editor, popup = open_popup(qtbot, diary)
    keys_now(qtbot, Qt.Key.Key_D, Qt.KeyboardModifier.AltModifier)  # &Date
    assert QApplication.focusWidget() is editor.date_edit.line
    assert not popup.isVisible()
    keys_now(qtbot, Qt.Key.Key_A)
    keys_now(qtbot, Qt.Key.Key_Backspace)
    for ch in "tue":
        keys_now(qtbot, getattr(Qt.Key, f"Key_{ch.upper()}"))
    assert editor.crn_edit.text() == "X123"  # nothing went on to the CRN box
    keys_now(qtbot, Qt.Key.Key_Return)
    assert editor.date_edit.day() == dt.date(2026, 11, 17)  # Tue before Fri 20 Nov 2026


def test_other_shortcuts_and_the_type_box_too(qtbot, diary):
    editor, popup = open_popup(qtbot, diary)
    keys_now(qtbot, Qt.Key.Key_E, Qt.KeyboardModifier.AltModifier)  # Not&es
    assert QApplication.focusWidget() is editor.notes and not popup.isVisible()
    keys_now(qtbot, Qt.Key.Key_H)
    assert editor.notes.toPlainText() == "h" and editor.crn_edit.text() == "X123"
    # the type box's completer behaves the same
    type_line = editor.type_combo.lineEdit()
    type_line.setFocus()
    qtbot.waitUntil(type_line.hasFocus)
    type_line.selectAll()
    qtbot.keyClicks(type_line, "offi")
    type_popup = editor.type_combo.completer().popup()
    qtbot.waitUntil(type_popup.isVisible)
    typed = type_line.text()
    keys_now(qtbot, Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)  # &Start
    assert QApplication.focusWidget() is editor.start_edit and not type_popup.isVisible()
    keys_now(qtbot, Qt.Key.Key_9)
    assert editor.start_edit.text().endswith("9") and type_line.text() == typed


def test_the_popup_still_completes_while_the_crn_box_has_the_focus(qtbot, diary):
    editor, popup = open_popup(qtbot, diary)
    keys_now(qtbot, Qt.Key.Key_7)
    assert popup.isVisible() and editor.crn_edit.text() == "X1237"
    keys_now(qtbot, Qt.Key.Key_Down)
    keys_now(qtbot, Qt.Key.Key_Return)
    assert editor.crn_edit.text() == "X123789" and not popup.isVisible()
