"""Issue 15 items 4-7 on the real main window: Go to date, one search box, naming a person,
and what a quick entry or an action with nothing selected does."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QCursor
from PySide6.QtWidgets import QApplication, QLineEdit

from probation_diary.core import clock
from probation_diary.core.clock import Week
from probation_diary.ui.entry.editor import EntryEditor
from probation_diary.ui.mainwindow import LIST_PAGE, PEOPLE_PAGE





def test_go_to_date_waits_for_enter_and_understands_typed_dates(window, qtbot, activate):
    activate(window)
    start = window.current_week()
    qtbot.keyClick(window, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier)
    picker = window.date_picker
    assert picker.isAncestorOf(QApplication.focusWidget())
    qtbot.keyClicks(QApplication.focusWidget(), "15/03/2026")
    assert window.current_week() == start  # not one jump per keystroke
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    assert window.current_week() == Week.containing(dt.date(2026, 3, 15))
    assert picker.text() == "Sun 15/03/2026"  # what it understood
    assert window.week_view.hasFocus()  # back to the week, ready for the keys that move in it
    qtbot.keyClick(window, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(QApplication.focusWidget(), "3202-12-09")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    assert window.current_week() == Week.containing(dt.date(2026, 3, 15))  # refused, not jumped
    assert "1900 to 2199" in picker.problem
    window.date_picker.line.selectAll()
    qtbot.keyClicks(QApplication.focusWidget(), "tue")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)  # leaving the field reads it too
    assert window.current_week() == Week.containing(dt.date(2026, 11, 17))


def test_ctrl_f_goes_to_one_search_box_for_crn_name_type_and_notes(window, make_entry, qtbot, activate):
    window.diary.save_person("X123456", "J. Bloggs")
    a = window.save_new(make_entry("COAP", "2026-11-18 10:00", 60, crn="X123456", outcome_code="ATTC"))
    b = window.save_new(make_entry("Team meeting", "2026-11-18 12:00", 60, notes="rota for December"))
    c = window.save_new(make_entry("CTOB", "2026-11-18 14:00", 15, crn="X654321"))
    activate(window)
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentIndex() == LIST_PAGE
    box = QApplication.focusWidget()
    assert box is window.list_panel.text and "CRN" in box.placeholderText()
    model = window.list_panel.model

    def found(text):
        box.selectAll()
        qtbot.keyClicks(box, text)
        qtbot.keyClick(box, Qt.Key.Key_Return)
        return {model.entry_id(r) for r in range(model.rowCount())}

    assert found("X123456") == {a.id}
    assert found("bloggs") == {a.id}
    assert found("team meet") == {b.id}
    assert found("CTOB") == {c.id}
    assert found("december") == {b.id}


def test_name_a_person_in_the_people_view_undoably(window, make_entry, qtbot, activate):
    window.save_new(make_entry("COAP", "2026-11-18 10:00", 60, crn="X123456", outcome_code="ATTC"))
    activate(window)
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)  # the cursor in the list's search
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentIndex() == PEOPLE_PAGE
    panel = window.people_panel
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1)
    qtbot.waitUntil(panel.view.hasFocus)  # the people table, ready for the keys
    index = panel.model.index(0, 1)
    assert panel.model.flags(index) & Qt.ItemFlag.ItemIsEditable
    qtbot.keyClick(panel.view, Qt.Key.Key_Home)
    qtbot.keyClick(panel.view, Qt.Key.Key_Right)
    assert panel.view.currentIndex().column() == 1
    qtbot.keyClick(panel.view, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit) and panel.view.isAncestorOf(editor)
    qtbot.keyClicks(editor, "JB")
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # the view commits it just after
    qtbot.waitUntil(lambda: window.diary.person("X123456").name == "JB")
    qtbot.waitUntil(lambda: panel.model.rows[0].name == "JB")
    window.undo_action.trigger()
    assert window.diary.person("X123456").name == ""
    window.redo_action.trigger()
    assert window.diary.person("X123456").name == "JB"


def test_name_a_person_from_the_editor(window, qtbot, fake_dialogs):
    def fill(editor: EntryEditor):
        editor.crn_edit.setText("X777777")
        assert editor.name_edit.isEnabled()
        editor.name_edit.setText("A.B.")
        editor.save()
        return editor.result()

    fake_dialogs.on_exec = fill
    saved = window.new_entry("contact", day=dt.date(2026, 11, 18))
    assert saved.crn == "X777777"
    assert window.diary.person("X777777").name == "A.B."
    window.undo_action.trigger()  # one undo: the entry and the name
    assert window.diary.count_entries() == 0 and window.diary.person("X777777").name == ""


def test_quick_entry_selects_what_it_saved_and_keeps_the_cursor(window, qtbot, activate):
    activate(window)
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    line = window.quick_entry.line
    assert line.hasFocus()
    qtbot.keyClicks(line, "office X123456 16/11 10:00-11:00 ATTC")
    qtbot.keyClick(line, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.selected_entry_ids() != [])
    saved = window.diary.get_entry(window.selected_entry_ids()[0])
    assert clock.to_local(saved.start).date() == dt.date(2026, 11, 16)
    assert window.current_week() == Week.containing(dt.date(2026, 11, 16))
    assert line.hasFocus()  # ready for the next line


def test_record_outcome_with_nothing_selected(window, make_entry, qtbot, fake_dialogs, activate):
    saved = window.save_new(make_entry("COAP", "2026-11-18 10:00", 60, crn="X123456"))
    activate(window)
    window.week_view.select(None)
    QCursor.setPos(window.mapToGlobal(QPoint(0, 0)))  # not over an entry
    window.outcome_action.trigger()
    assert fake_dialogs.infos and "Select the appointment" in fake_dialogs.infos[-1]
    assert fake_dialogs.executed == []
    # with the pointer over the entry, it acts on that entry
    block = next(b for b in window.week_view.blocks if b.entry_id == saved.id)
    centre = block.rect.center()
    pos = QPoint(int(centre.x()), int(centre.y() + window.week_view._body_offset()))
    assert window.week_view.item_at(pos) == saved.id
    QCursor.setPos(window.week_view.viewport().mapToGlobal(pos))
    window.outcome_action.trigger()
    assert fake_dialogs.executed and fake_dialogs.executed[-1].entry.id == saved.id
    assert window.selected_entry_ids() == [saved.id]


def test_mark_entered_with_nothing_selected_says_what_to_select(window, make_entry, qtbot, fake_dialogs, activate):
    window.save_new(make_entry("COAP", "2026-11-18 10:00", 60, crn="X123456", outcome_code="ATTC"))
    activate(window)
    window.week_view.select(None)
    QCursor.setPos(window.mapToGlobal(QPoint(0, 0)))
    window.delius_actions.mark_action.trigger()
    assert fake_dialogs.infos and "Select" in fake_dialogs.infos[-1]


def test_mark_entered_acts_on_the_entry_under_the_pointer(window, make_entry, qtbot, fake_dialogs, activate):
    from probation_diary.core.model import ENTERED

    saved = window.save_new(make_entry("COAP", "2026-11-18 10:00", 60, crn="X123456", outcome_code="ATTC"))
    activate(window)
    window.week_view.select(None)
    block = next(b for b in window.week_view.blocks if b.entry_id == saved.id)
    centre = block.rect.center()
    pos = QPoint(int(centre.x()), int(centre.y() + window.week_view._body_offset()))
    QCursor.setPos(window.week_view.viewport().mapToGlobal(pos))
    window.delius_actions.mark_action.trigger()
    assert window.diary.get_entry(saved.id).delius_status == ENTERED
    assert fake_dialogs.infos == []
    window.undo_action.trigger()
    assert window.diary.get_entry(saved.id).delius_status != ENTERED
