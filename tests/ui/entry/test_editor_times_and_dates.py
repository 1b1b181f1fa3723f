"""Issue 15, items 2-4: the editor saves only the times and the date the user meant."""

from __future__ import annotations

import datetime as dt

import pytest

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableView

from probation_diary.core import clock
from probation_diary.ui.entry.editor import EntryEditor


def local(instant):
    return clock.to_local(instant).strftime("%Y-%m-%d %H:%M")


def make(qtbot, diary, **kw):
    editor = EntryEditor(diary, **kw)
    qtbot.addWidget(editor)
    editor.show()
    editor.activateWindow()
    qtbot.waitUntil(editor.isActiveWindow)
    return editor


def retype(qtbot, edit, text):
    edit.selectAll()
    edit.clear()
    qtbot.keyClicks(edit, text)


def test_end_before_start_is_an_inline_error_not_a_23_hour_entry(qtbot, diary):
    editor = make(qtbot, diary, kind="admin", day=dt.date(2026, 11, 18))
    retype(qtbot, editor.start_edit, "15:00")
    retype(qtbot, editor.end_edit, "14:00")
    assert not editor.save_button.isEnabled()
    assert "end is before the start" in editor.messages["end"].text()
    assert editor.messages["end"].isVisible()
    assert "23 h" not in editor.length_label.text()
    assert editor.next_day_check.isVisible()  # the way to say it does end tomorrow
    editor.save()
    assert editor.result_entry() is None


def test_ends_next_day_when_the_user_says_so(qtbot, diary, fake_dialogs):
    editor = make(qtbot, diary, kind="admin", day=dt.date(2026, 11, 18))
    retype(qtbot, editor.start_edit, "22:00")
    retype(qtbot, editor.end_edit, "01:00")
    qtbot.keyClick(editor.next_day_check, Qt.Key.Key_Space)
    assert editor.next_day_check.isChecked()
    assert editor.save_button.isEnabled()
    editor.save()
    assert local(editor.result_entry().end) == "2026-11-19 01:00"
    assert fake_dialogs.questions == []  # 3 hours: nothing to ask


def test_over_twelve_hours_asks_once(qtbot, diary, fake_dialogs):
    editor = make(qtbot, diary, kind="admin", day=dt.date(2026, 11, 18))
    retype(qtbot, editor.start_edit, "07:00")
    retype(qtbot, editor.end_edit, "20:30")
    fake_dialogs.confirm = False
    editor.save()
    assert editor.result_entry() is None
    assert len(fake_dialogs.questions) == 1 and "13 h 30 min" in fake_dialogs.questions[0]
    fake_dialogs.confirm = True
    editor.save()
    assert len(fake_dialogs.questions) == 2
    assert editor.result_entry().minutes == 13 * 60 + 30
    editor.save()  # once said, not asked again for the same times
    assert len(fake_dialogs.questions) == 2


def test_duration_typed_last_sets_the_end(qtbot, diary, make_entry):
    saved = diary.add_entry(make_entry("CTOB", "2026-11-18 12:30", 15, crn="X123456"))
    editor = make(qtbot, diary, entry=saved)
    assert editor.duration_edit.text() == "15m"
    retype(qtbot, editor.duration_edit, "20m")
    assert editor.end_edit.text() == "12:50"
    assert editor.length_label.text() == "20 min"
    editor.save()
    assert (local(editor.result_entry().start), local(editor.result_entry().end)) == \
        ("2026-11-18 12:30", "2026-11-18 12:50")


def test_end_typed_last_sets_the_duration(qtbot, diary):
    editor = make(qtbot, diary, kind="admin", day=dt.date(2026, 11, 18))
    retype(qtbot, editor.start_edit, "10:00")
    retype(qtbot, editor.duration_edit, "45m")
    assert editor.end_edit.text() == "10:45"
    retype(qtbot, editor.end_edit, "11:30")
    assert editor.duration_edit.text() == "1h30"
    retype(qtbot, editor.start_edit, "10:30")  # the end was typed last: it stays, the duration follows
    assert editor.end_edit.text() == "11:30" and editor.duration_edit.text() == "1h"
    retype(qtbot, editor.duration_edit, "2h")
    retype(qtbot, editor.start_edit, "09:00")  # now the duration was typed last: the end follows
    assert editor.end_edit.text() == "11:00"
    editor.save()
    assert editor.result_entry().minutes == 120


def test_typed_dates_are_read_on_enter_or_leaving(qtbot, diary):
    editor = make(qtbot, diary, kind="admin", day=dt.date(2026, 11, 18))
    field = editor.date_edit
    for typed, expected in (("15/3", dt.date(2026, 3, 15)), ("15/03/2026", dt.date(2026, 3, 15)),
                            ("15 mar", dt.date(2026, 3, 15)), ("tue", dt.date(2026, 11, 17)),
                            ("yesterday", dt.date(2026, 11, 19)), ("+1w", dt.date(2026, 11, 27))):
        retype(qtbot, field.line, typed)
        assert field.pending()  # nothing read while typing
        qtbot.keyClick(field.line, Qt.Key.Key_Return)
        assert field.day() == expected, typed
        assert field.text() == f"{expected:%a} {expected:%d/%m/%Y}"  # shows what it understood
        assert editor.isVisible()  # Enter read the date; it did not save the entry
    assert editor.result_entry() is None


def test_a_date_outside_1900_2199_is_refused_and_save_is_disabled(qtbot, diary):
    editor = make(qtbot, diary, kind="admin", day=dt.date(2026, 11, 18))
    editor.date_edit.setFocus()
    retype(qtbot, editor.date_edit.line, "09/12/3202")
    qtbot.keyClick(editor.date_edit.line, Qt.Key.Key_Tab)
    assert "1900 to 2199" in editor.messages["start_date"].text()
    assert not editor.save_button.isEnabled()
    assert editor.date_edit.text() == "09/12/3202"  # kept, so it can be corrected
    retype(qtbot, editor.date_edit.line, "9/12")
    qtbot.keyClick(editor.date_edit.line, Qt.Key.Key_Return)
    assert editor.save_button.isEnabled()
    assert editor.date_edit.day() == dt.date(2026, 12, 9)


def test_tab_leaves_the_date_in_one_press_and_alt_down_opens_the_calendar(qtbot, diary):
    editor = make(qtbot, diary, kind="admin", day=dt.date(2026, 11, 18))
    editor.date_edit.setFocus()
    qtbot.waitUntil(lambda: editor.date_edit.line.hasFocus())
    qtbot.keyClick(editor.date_edit.line, Qt.Key.Key_Tab)
    assert not editor.date_edit.isAncestorOf(editor.focusWidget())
    editor.date_edit.setFocus()
    qtbot.keyClick(editor.date_edit.line, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    popup = editor.date_edit.popup
    assert popup is not None and popup.isVisible()
    assert popup.calendar.selectedDate() == editor.date_edit.date()
    grid = popup.calendar.findChild(QTableView)
    qtbot.keyClick(grid, Qt.Key.Key_Right)
    qtbot.keyClick(grid, Qt.Key.Key_Return)
    assert not popup.isVisible()
    assert editor.date_edit.day() == dt.date(2026, 11, 19)


def test_save_reads_a_date_still_being_typed(qtbot, diary):
    editor = make(qtbot, diary, kind="admin", day=dt.date(2026, 11, 18))
    retype(qtbot, editor.date_edit.line, "16/11")
    editor.save()
    assert local(editor.result_entry().start).startswith("2026-11-16")


def test_quick_entry_over_twelve_hours_asks_once(qtbot, diary, fake_dialogs):
    from probation_diary.ui.entry.quick import QuickEntryBox

    box = QuickEntryBox(diary)
    qtbot.addWidget(box)
    saved = []
    box.entry_ready.connect(saved.append)
    box.line.setText("admin 16/11 07:00-20:30")
    fake_dialogs.confirm = False
    box.submit()
    assert saved == [] and box.line.text() == "admin 16/11 07:00-20:30"  # kept, to correct
    assert len(fake_dialogs.questions) == 1 and "13 h 30 min" in fake_dialogs.questions[0]
    fake_dialogs.confirm = True
    box.submit()
    assert len(saved) == 1 and len(fake_dialogs.questions) == 2
    box.line.setText("admin 16/11 07:00-12:00")
    box.submit()
    assert len(saved) == 2 and len(fake_dialogs.questions) == 2  # 5 hours: nothing to ask


def test_on_the_october_change_day_the_duration_shows_the_real_length(qtbot, diary):
    """01:30 (BST, the first time) to 02:30 (GMT) on 25/10/2026 lasts 2 hours: the "or for"
    box said 1h beside a length of "2 h" (user test, wall-clock arithmetic)."""
    editor = make(qtbot, diary, kind="admin", day=dt.date(2026, 10, 25))
    retype(qtbot, editor.start_edit, "01:30")
    retype(qtbot, editor.end_edit, "02:30")
    assert editor.length_label.text() == "2 h"
    assert editor.duration_edit.text() == "2h"
    retype(qtbot, editor.start_edit, "00:30")  # the end stays, the duration follows: 3 real hours
    assert editor.duration_edit.text() == "3h"
    editor.save()
    assert editor.result_entry().minutes == 180


@pytest.mark.parametrize("day, duration, minutes", [
    # 00:30 for 1h on 28/03/2027 ends at 02:30 BST: the end box said 01:30, an hour that does
    # not exist that night, while 00:30-02:30 was saved
    (dt.date(2027, 3, 28), "1h", 60),
    # 00:30 for 3h on 25/10/2026 ends at 02:30 GMT: the end box said 03:30
    (dt.date(2026, 10, 25), "3h", 180),
], ids=["march", "october"])
def test_on_a_clock_change_day_a_duration_sets_the_end_that_is_saved(qtbot, diary, day, duration, minutes):
    editor = make(qtbot, diary, kind="admin", day=day)
    retype(qtbot, editor.start_edit, "00:30")
    retype(qtbot, editor.duration_edit, duration)
    assert editor.end_edit.text() == "02:30"
    editor.save()
    entry = editor.result_entry()
    assert (local(entry.start), local(entry.end), entry.minutes) == (f"{day} 00:30", f"{day} 02:30", minutes)
