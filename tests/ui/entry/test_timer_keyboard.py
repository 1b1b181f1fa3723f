"""Issue 15 item 9: the timer from the keyboard, its errors inline under it."""

from __future__ import annotations

from PySide6.QtCore import Qt



def test_timer_error_is_one_line_under_the_timer_and_enter_in_the_crn_box_starts(window, qtbot, activate):
    activate(window)
    timer = window.timer
    grid_top = window.stack.mapTo(window, window.stack.rect().topLeft()).y()
    assert timer.crn_edit.placeholderText() == "CRN (needed)"  # the default type is a contact
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert not timer.running
    assert "give their CRN" in timer.message.text() and timer.message.isVisible()
    qtbot.waitUntil(lambda: timer.crn_edit.hasFocus())  # straight to the box that needs filling
    window.grab().save(str(window.diary.path.with_name("timer-error.png")))
    # the message spans the timer's width: a line or two, not a column of single words
    line = timer.message.fontMetrics().height()
    assert timer.message.width() > 300
    assert timer.message.height() <= 3 * line
    assert window.stack.mapTo(window, window.stack.rect().topLeft()).y() - grid_top <= 3 * line
    qtbot.keyClicks(timer.crn_edit, "X123456")
    assert not timer.message.isVisible()  # typing clears it
    qtbot.keyClick(timer.crn_edit, Qt.Key.Key_Return)
    assert timer.running and timer.running_crn == "X123456"
    qtbot.keyClick(window, Qt.Key.Key_X, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert not timer.running
    assert window.diary.count_entries() == 1


def test_the_hint_says_optional_only_for_types_that_take_no_crn(window):
    timer = window.timer
    timer.type_combo.setCurrentIndex(timer.type_combo.findData("Team meeting"))
    assert timer.crn_edit.placeholderText() == "CRN (optional)"
    timer.type_combo.setCurrentIndex(timer.type_combo.findData("CHVS"))
    assert timer.crn_edit.placeholderText() == "CRN (needed)"
