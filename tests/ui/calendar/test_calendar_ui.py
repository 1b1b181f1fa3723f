"""The calendar menu actions and the import preview."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import icalendar
import pytest
from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDialog

from probation_diary.core import clock
from probation_diary.formats import ics
from probation_diary.ui.calendar import actions as calendar_actions
from probation_diary.ui.calendar.dialog import (
    CRN, INCLUDE, NOTE, TYPE, CalendarImportDialog, KeywordsDialog, RangeDialog,
)

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
FIRST, LAST = dt.date(2026, 10, 12), dt.date(2026, 11, 22)
ACCEPT = int(QDialog.DialogCode.Accepted)


@pytest.fixture(autouse=True)
def now(fixed_now):
    """Thursday 1 October 2026, 09:00 in London: before the calendar files' range."""
    return fixed_now("2026-10-01 09:00")


def set_range(first=FIRST, last=LAST, names=False):
    def handle(dialog):
        assert isinstance(dialog, RangeDialog)
        dialog.first_edit.setDate(QDate(first.year, first.month, first.day))
        dialog.last_edit.setDate(QDate(last.year, last.month, last.day))
        if dialog.names_box is not None:
            dialog.names_box.setChecked(names)
        dialog.accept()
        return int(dialog.result())
    return handle


def preview(diary, name="outlook.ics", qtbot=None):
    dialog = CalendarImportDialog(diary, (FIXTURES / name).read_bytes(), FIRST, LAST, clock.now_utc())
    if qtbot is not None:
        qtbot.addWidget(dialog)
    return dialog


def row_of(dialog, crn=None, when=None):
    for row, p in enumerate(dialog.rows):
        if (crn is None or p.crn == crn) and (when is None or p.occurrence.when().startswith(when)):
            return row
    raise LookupError((crn, when))


def test_install_adds_file_menu_actions(stand_in):
    actions = calendar_actions.install(stand_in)
    texts = [a.text() for a in stand_in.menus["file"].actions()]
    assert "Import calendar (.ics)…" in texts and "Export appointments (.ics)…" in texts
    assert stand_in.calendar_actions is actions


def test_main_window_installs_calendar_actions(qtbot, diary):
    from probation_diary.ui.mainwindow import MainWindow

    win = MainWindow(diary)
    qtbot.addWidget(win)
    assert "calendar" not in win.install_errors
    assert any(a.objectName() == "importCalendarAction" for a in win.menus["file"].actions())


def test_preview_shows_every_guess(qtbot, diary):
    dialog = preview(diary, qtbot=qtbot)
    types = [dialog.table.cellWidget(r, TYPE).currentData() for r in range(dialog.table.rowCount())]
    crns = [dialog.table.cellWidget(r, CRN).text() for r in range(dialog.table.rowCount())]
    assert types == ["COAP", "COAP", "CCMM", "CHVS", "COAP", "Annual leave", "Annual leave", "COAP", "COAP"]
    assert crns[:5] == ["X123456", "X123456", "Z345678", "Y234567", "X123456"]
    assert dialog.skipped_list.count() == 1 and "Team away day" in dialog.skipped_list.item(0).text()
    assert "9 new, 0 to update" in dialog.heading.text()
    assert not dialog.gone_box.isVisibleTo(dialog) and not dialog.problems_box.isVisibleTo(dialog)


def test_changing_a_guess_and_importing(qtbot, diary, stand_in, fake_dialogs):
    calendar_actions.install(stand_in)
    fake_dialogs.open_file = str(FIXTURES / "outlook.ics")

    def change_and_accept(dialog):
        assert isinstance(dialog, CalendarImportDialog)
        row = row_of(dialog, crn="Y234567")
        combo = dialog.table.cellWidget(row, TYPE)
        combo.setCurrentIndex(combo.findData("CODC"))
        dialog.table.cellWidget(row_of(dialog, when="Tue 17/11"), INCLUDE).setChecked(False)
        return ACCEPT

    fake_dialogs.handlers = [set_range(), change_and_accept]
    assert stand_in.calendar_actions.import_calendar()
    ref = diary.reference()
    codes = [ref.types[e.type_id].delius_code or ref.types[e.type_id].label for e in diary.all_entries()]
    assert codes == ["COAP", "COAP", "CCMM", "CODC", "COAP", "Annual leave", "Annual leave", "COAP"]
    assert fake_dialogs.infos == ["Added 8 and updated 0 entries."]
    assert stand_in.refreshed == 1


def test_an_import_is_one_undo_step(diary, stand_in, fake_dialogs):
    calendar_actions.install(stand_in)
    ics.apply_plan(diary, ics.plan_import((FIXTURES / "google.ics").read_bytes(), diary, FIRST, LAST))
    before = {e.id: e for e in diary.all_entries()}
    fake_dialogs.open_file = str(FIXTURES / "outlook.ics")
    fake_dialogs.handlers = [set_range(), lambda dialog: ACCEPT]
    assert stand_in.calendar_actions.import_calendar()
    assert diary.count_entries() == 14 and stand_in.undo_stack.undoText() == "Import calendar"
    stand_in.undo_stack.undo()
    assert {e.id: e for e in diary.all_entries()} == before
    plan = ics.plan_import((FIXTURES / "outlook.ics").read_bytes(), diary, FIRST, LAST)
    assert plan.count(ics.NEW, True) == 9  # offered again after the undo
    stand_in.undo_stack.redo()
    assert diary.count_entries() == 14
    plan = ics.plan_import((FIXTURES / "outlook.ics").read_bytes(), diary, FIRST, LAST)
    assert {p.action for p in plan.proposals} == {ics.UNCHANGED}


def test_cancel_saves_nothing(diary, stand_in, fake_dialogs):
    calendar_actions.install(stand_in)
    fake_dialogs.open_file = str(FIXTURES / "outlook.ics")
    fake_dialogs.handlers = [set_range()]  # then the preview is rejected
    assert not stand_in.calendar_actions.import_calendar()
    assert diary.count_entries() == 0 and isinstance(fake_dialogs.executed[-1], CalendarImportDialog)


def test_a_row_without_a_type_is_left_out_until_one_is_chosen(qtbot, diary):
    dialog = preview(diary, "google.ics", qtbot)
    row = row_of(dialog, crn="", when="Tue 27/10/2026 13:00")  # "Dentist"
    assert not dialog.table.cellWidget(row, INCLUDE).isChecked()
    assert "needs a type" in dialog.table.item(row, NOTE).text()
    dialog.table.cellWidget(row, INCLUDE).setChecked(True)  # cannot be ticked yet
    assert not dialog.rows[row].include
    combo = dialog.table.cellWidget(row, TYPE)
    combo.setCurrentIndex(combo.findData("Other admin"))
    assert dialog.rows[row].include and dialog.table.item(row, NOTE).text() == "OK"


def test_a_bad_crn_is_explained_and_left_out(qtbot, diary):
    dialog = preview(diary, qtbot=qtbot)
    row = row_of(dialog, crn="Z345678")
    edit = dialog.table.cellWidget(row, CRN)
    edit.setText("Z34")
    edit.editingFinished.emit()
    assert not dialog.rows[row].include and "not a CRN" in dialog.table.item(row, NOTE).text()
    edit.setText("z345679")
    edit.editingFinished.emit()
    assert dialog.rows[row].include and dialog.rows[row].crn == "Z345679"


def test_gone_entries_are_for_the_user_to_decide(qtbot, diary, tmp_path, stand_in, fake_dialogs):
    ics.apply_plan(diary, ics.plan_import((FIXTURES / "outlook.ics").read_bytes(), diary, FIRST, LAST))
    smaller = tmp_path / "smaller.ics"
    smaller.write_text((FIXTURES / "outlook.ics").read_text().replace("COUNT=6", "COUNT=5"))
    calendar_actions.install(stand_in)
    fake_dialogs.open_file = str(smaller)

    def tick_and_accept(dialog):
        assert dialog.gone_table.rowCount() == 1
        assert "PD-000009" in dialog.gone_table.item(0, 1).text()
        assert not dialog.gone_table.cellWidget(0, 0).isChecked()
        assert dialog.save_button.isEnabled() is False  # nothing new yet
        dialog.gone_table.cellWidget(0, 0).setChecked(True)
        assert dialog.save_button.isEnabled()
        return ACCEPT

    fake_dialogs.handlers = [set_range(), tick_and_accept]
    assert stand_in.calendar_actions.import_calendar()
    assert diary.get_entry(9) is None and diary.count_entries() == 8
    assert "Moved 1 to the bin" in fake_dialogs.infos[-1]
    stand_in.undo_stack.undo()
    assert diary.get_entry(9) is not None and diary.count_entries() == 9


def test_broken_events_are_listed(qtbot, diary):
    dialog = preview(diary, "broken.ics", qtbot)
    assert dialog.problems_list.count() == 2 and dialog.table.rowCount() == 2


def test_not_a_calendar_is_an_error(diary, stand_in, fake_dialogs, tmp_path):
    bad = tmp_path / "bad.ics"
    bad.write_text("nonsense")
    calendar_actions.install(stand_in)
    fake_dialogs.open_file = str(bad)
    fake_dialogs.handlers = [set_range()]
    assert not stand_in.calendar_actions.import_calendar()
    assert fake_dialogs.errors and "not a calendar file" in fake_dialogs.errors[0]


def test_export_writes_the_chosen_file(diary, stand_in, fake_dialogs, tmp_path):
    from probation_diary.core.validation import EntryDraft, check_entry

    checked = check_entry(EntryDraft(type="COAP", crn="X123456", start_date="2026-10-27", start_time="10:00",
                                     end_time="11:00"), diary.reference(), clock.now_utc())
    diary.add_entry(checked.entry)
    diary.save_person("X123456", "Jo Bloggs")
    calendar_actions.install(stand_in)
    out = tmp_path / "out.ics"
    fake_dialogs.save_file = str(out)
    fake_dialogs.handlers = [set_range(names=False)]
    assert stand_in.calendar_actions.export_appointments()
    event = icalendar.Calendar.from_ical(out.read_bytes()).walk("VEVENT")[0]
    assert str(event["UID"]) == "PD-000001@probation-diary" and "Bloggs" not in str(event["SUMMARY"])
    fake_dialogs.handlers = [set_range(names=True)]
    assert stand_in.calendar_actions.export_appointments()
    assert b"Jo Bloggs" in out.read_bytes()
    assert fake_dialogs.infos[-1] == "Wrote 1 planned appointment(s) to out.ics."


def test_range_dialog_refuses_a_backwards_range(qtbot):
    dialog = RangeDialog("x", LAST, FIRST)
    qtbot.addWidget(dialog)
    dialog.accept()
    assert dialog.result() != ACCEPT and "before" in dialog.error.text()


def test_keywords_dialog_saves_and_checks(qtbot, diary):
    dialog = KeywordsDialog(diary)
    qtbot.addWidget(dialog)
    dialog.editor.setPlainText("dentist = Nonsense")
    dialog.accept()
    assert "no activity type 'Nonsense'" in dialog.error.text()
    dialog.editor.setPlainText("dentist = Other absence")
    dialog.accept()
    assert ics.load_keywords(diary).pairs == [("dentist", "Other absence")]


def test_keywords_from_the_preview_replan(qtbot, diary, fake_dialogs):
    dialog = preview(diary, "google.ics", qtbot)

    def edit(kw_dialog):
        kw_dialog.editor.setPlainText(kw_dialog.editor.toPlainText() + "\ndentist = Other absence")
        kw_dialog.accept()
        return int(kw_dialog.result())

    fake_dialogs.handlers = [edit]
    dialog.edit_keywords()
    row = row_of(dialog, when="Tue 27/10/2026 13:00")
    assert dialog.table.cellWidget(row, TYPE).currentData() == "Other absence" and dialog.rows[row].include


def test_screenshot(qtbot, diary, tmp_path):
    ics.apply_plan(diary, ics.plan_import((FIXTURES / "outlook.ics").read_bytes(), diary, FIRST, LAST))
    text = (FIXTURES / "outlook.ics").read_text().replace("COUNT=6", "COUNT=5").replace(
        "SUMMARY;LANGUAGE=en-gb:HV", "SUMMARY;LANGUAGE=en-gb:Telephone").replace("Home visit with", "Call with")
    text = text.replace("END:VCALENDAR", "BEGIN:VEVENT\nUID:b\nDTSTART:2026AB\nEND:VEVENT\nEND:VCALENDAR")
    dialog = CalendarImportDialog(diary, text.encode(), FIRST, LAST, clock.now_utc())
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    path = tmp_path / "calendar-preview.png"
    assert dialog.grab().save(str(path))
    assert path.stat().st_size > 1000
    if os.environ.get("PROBATION_DIARY_SCREENSHOTS"):
        shutil.copy(path, os.environ["PROBATION_DIARY_SCREENSHOTS"])


# --- issue 14: the review ------------------------------------------------------------------------

ICS_FILES = FIXTURES / "ics"


def review(diary, qtbot, name="leave-and-types.ics"):
    dialog = CalendarImportDialog(diary, (ICS_FILES / name).read_bytes(), FIRST, LAST, clock.now_utc())
    qtbot.addWidget(dialog)
    return dialog


def test_review_shows_leave_supervision_and_events_that_need_a_type(qtbot, diary):
    from probation_diary.ui.calendar.dialog import ACTION

    dialog = review(diary, qtbot)
    texts = {dialog.rows[r].occurrence.summary: r for r in range(len(dialog.rows))}
    catch_up = texts["Catch-up with Sam"]
    assert dialog.table.item(catch_up, ACTION).text() == "Needs a type"
    assert not dialog.table.cellWidget(catch_up, INCLUDE).isChecked()
    assert "1 needs a type" in dialog.heading.text()
    assert dialog.table.cellWidget(texts["Supervision with SPO"], TYPE).currentData() == "Supervision with manager"
    leave = [r for r, p in enumerate(dialog.rows) if p.occurrence.all_day]
    assert len(leave) == 5 and all(dialog.table.cellWidget(r, TYPE).currentData() == "Annual leave" for r in leave)


def test_every_guess_can_be_changed_from_the_keyboard(qtbot, diary):
    from PySide6.QtCore import Qt

    dialog = review(diary, qtbot)
    dialog.show()
    qtbot.waitExposed(dialog)
    row = next(r for r, p in enumerate(dialog.rows) if p.needs_type)
    box, combo, crn = (dialog.table.cellWidget(row, c) for c in (INCLUDE, TYPE, CRN))
    assert box.nextInFocusChain() is combo and combo.nextInFocusChain() is crn  # Tab: row by row
    assert not dialog.table.tabKeyNavigation()
    combo.setFocus()
    qtbot.keyClicks(combo, "Other admin")
    assert combo.currentData() == "Other admin"
    assert dialog.rows[row].include and dialog.table.item(row, NOTE).text() == "OK"
    spo = next(r for r, p in enumerate(dialog.rows) if "SPO" in p.occurrence.summary)
    spo_box = dialog.table.cellWidget(spo, INCLUDE)
    qtbot.keyClick(spo_box, Qt.Key.Key_Space)
    assert not dialog.rows[spo].include
    assert "1 needs a type" not in dialog.heading.text()


def test_problems_and_what_was_left_out_are_listed(qtbot, diary):
    dialog = review(diary, qtbot, "unreadable-lines.ics")
    assert dialog.problems_box.isVisibleTo(dialog) and dialog.problems_list.count() == 2
    assert "reminder (VALARM)" in dialog.problems_list.item(1).text()


def test_range_dialog_from_the_keyboard_with_typed_dates(qtbot):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    dialog = RangeDialog("Import calendar: which dates?", FIRST, LAST, names_option=True)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.first_edit.setFocus()
    qtbot.waitUntil(lambda: dialog.first_edit.line.hasFocus())

    def type_here(text, key=Qt.Key.Key_Tab):
        line = QApplication.focusWidget()
        line.selectAll()
        qtbot.keyClicks(line, text)
        qtbot.keyClick(line, key)

    type_here("last mon")  # Thu 1 Oct 2026: Mon 28 Sep; Tab takes it and goes on in one press
    assert dialog.first == dt.date(2026, 9, 28) and dialog.first_edit.text() == "Mon 28/09/2026"
    assert QApplication.focusWidget() is dialog.last_edit.line
    type_here("1/4")  # 1 April: before the first date, said at once beside the dates, OK off
    assert dialog.last == dt.date(2026, 4, 1)
    assert dialog.error.isVisible() and dialog.error.text() == "The last date is before the first."
    assert not dialog.ok_button.isEnabled()
    assert QApplication.focusWidget() is dialog.names_box
    qtbot.keyClick(dialog.names_box, Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)
    type_here("fortnight", Qt.Key.Key_Return)  # not a date: kept to be corrected, OK still off
    assert dialog.last_edit.text() == "fortnight" and "is not a date" in dialog.error.text()
    assert not dialog.ok_button.isEnabled() and dialog.isVisible()
    type_here("+3w", Qt.Key.Key_Return)  # Enter reads the date, and does not press OK yet
    assert dialog.last == dt.date(2026, 10, 22) and not dialog.error.isVisible() and dialog.ok_button.isEnabled()
    assert dialog.isVisible()
    qtbot.keyClick(dialog.last_edit.line, Qt.Key.Key_Return)  # Enter on a date already read: OK
    assert dialog.result() == ACCEPT and (dialog.first, dialog.last) == (dt.date(2026, 9, 28), dt.date(2026, 10, 22))


def test_range_dialog_reads_a_date_typed_when_ok_is_pressed(qtbot):
    dialog = RangeDialog("x", FIRST, LAST)
    qtbot.addWidget(dialog)
    dialog.last_edit.line.setText("1/10")  # typed; OK pressed (its shortcut) before leaving the field
    dialog.accept()
    assert dialog.result() != ACCEPT and "before" in dialog.error.text() and not dialog.ok_button.isEnabled()


def test_range_dialog_grows_to_show_a_long_message_whole(qtbot):
    dialog = RangeDialog("x", FIRST, LAST)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.last_edit.line.setText("nonsense")
    dialog.last_edit.commit()
    label = dialog.error
    assert label.isVisible() and label.height() >= label.heightForWidth(label.width())


def test_a_file_that_breaks_the_reader_is_a_message_not_a_crash(diary, stand_in, fake_dialogs, monkeypatch):
    """Whatever a calendar file makes the reader raise, the window says so and imports nothing."""
    from probation_diary.ui.calendar import dialog as calendar_dialog

    def broken(*args, **kwargs):
        raise RecursionError("deeply nested components")

    monkeypatch.setattr(calendar_dialog, "CalendarImportDialog", broken)
    calendar_actions.install(stand_in)
    fake_dialogs.open_file = str(FIXTURES / "outlook.ics")
    fake_dialogs.handlers = [set_range()]
    assert not stand_in.calendar_actions.import_calendar()
    assert "could not be read as a calendar (RecursionError)" in fake_dialogs.errors[-1]
    assert diary.count_entries() == 0


def test_reading_and_saving_a_calendar_show_the_wait_cursor_and_say_so(qtbot, diary, stand_in, fake_dialogs,
                                                                        monkeypatch):
    """Reading a large calendar file takes seconds and cannot say how far it has got: the
    pointer waits and the status bar names the file, until it is read; saving says so too."""
    from PySide6.QtWidgets import QApplication

    calendar_actions.install(stand_in)
    fake_dialogs.open_file = str(FIXTURES / "outlook.ics")
    fake_dialogs.handlers = [set_range(), lambda dialog: ACCEPT]
    seen = []

    def watching(name, real):
        def watched(*args, **kwargs):
            cursor = QApplication.overrideCursor()
            seen.append((name, cursor.shape() if cursor is not None else None, stand_in.statusBar().currentMessage()))
            return real(*args, **kwargs)
        return watched

    monkeypatch.setattr(ics, "plan_import", watching("read", ics.plan_import))
    monkeypatch.setattr(ics, "apply_plan", watching("save", ics.apply_plan))
    assert stand_in.calendar_actions.import_calendar()
    from PySide6.QtCore import Qt

    assert seen == [("read", Qt.CursorShape.WaitCursor, "Reading outlook.ics…"),
                    ("save", Qt.CursorShape.WaitCursor, "Saving the calendar's appointments…")]
    assert QApplication.overrideCursor() is None and stand_in.statusBar().currentMessage() == ""
