"""The entry editor, driven through its real widgets."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QDialog

from probation_diary.core import clock
from probation_diary.core.model import EXPORTED
from probation_diary.core.validation import EntryDraft, check_entry
from probation_diary.ui.entry.editor import EntryEditor


def local(instant):
    return clock.to_local(instant).strftime("%Y-%m-%d %H:%M")


def make(qtbot, diary, **kw):
    editor = EntryEditor(diary, **kw)
    qtbot.addWidget(editor)
    return editor


def retype(qtbot, edit, text):
    edit.selectAll()
    edit.clear()
    qtbot.keyClicks(edit, text)


def choose_type(qtbot, editor, text):
    editor.type_combo.lineEdit().selectAll()
    qtbot.keyClicks(editor.type_combo.lineEdit(), text)


def set_date(editor, day: dt.date):
    editor.date_edit.setDate(QDate(day.year, day.month, day.day))


def saved_entry(diary, text):
    checked = check_entry(text, diary.reference(), clock.now_utc())
    return diary.add_entry(checked.entry)


@pytest.mark.parametrize("kind, type_label, shows_crn, shows_outcome, whole_day", [
    ("appointment", "Planned office visit (NS)", True, True, False),
    ("home_visit", "Home visit to case (NS)", True, True, False),
    ("contact", "Phone contact to person on probation", True, False, False),
    ("admin", "Recording on Delius", False, False, False),
    ("absence", "Annual leave", False, False, True),
])
def test_kinds_pick_a_type_and_show_only_its_fields(qtbot, diary, kind, type_label, shows_crn,
                                                     shows_outcome, whole_day):
    editor = make(qtbot, diary, kind=kind, day=dt.date(2026, 11, 18))
    editor.show()
    assert editor.current_type().label == type_label
    assert editor.crn_edit.isVisible() == shows_crn
    assert editor.outcome_combo.isVisible() == shows_outcome
    assert editor.enforcement_combo.isVisible() == shows_outcome
    assert editor.all_day_check.isVisible() == whole_day
    assert editor.all_day_check.isChecked() == whole_day
    assert editor.start_edit.isVisible() == (not whole_day)
    assert "CRN" not in editor.windowTitle()


def test_new_appointment_typed_in(qtbot, diary):
    diary.save_person("X123456", "A.B.")
    editor = make(qtbot, diary, kind="appointment", day=dt.date(2026, 11, 18))
    editor.show()
    assert not editor.save_button.isEnabled()
    assert "give their CRN" in editor.save_button.toolTip()
    assert "Cannot save" in editor.why_label.text()
    assert not editor.messages["crn"].isVisible()  # not yet touched: no scolding

    qtbot.keyClicks(editor.crn_edit, "X12")
    assert editor.messages["crn"].isVisible()
    assert "is not a CRN" in editor.messages["crn"].text()
    qtbot.keyClicks(editor.crn_edit, "3456")
    assert not editor.messages["crn"].isVisible()
    assert editor.person_label.text() == "A.B."

    retype(qtbot, editor.start_edit, "14:00")
    retype(qtbot, editor.end_edit, "15:10")
    assert editor.length_label.text() == "1 h 10 min"
    editor.outcome_combo.setCurrentIndex(editor.outcome_combo.findData("ATTC"))
    qtbot.keyClicks(editor.notes, "Discussed housing")
    assert editor.save_button.isEnabled()
    assert editor.why_label.text() == ""

    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert editor.result() == QDialog.DialogCode.Accepted
    entry = editor.result_entry()
    assert entry.id is None
    assert diary.count_entries() == 0  # the editor never saves
    assert diary.reference().types[entry.type_id].delius_code == "COAP"
    assert (entry.crn, entry.outcome_code, entry.notes) == ("X123456", "ATTC", "Discussed housing")
    assert (local(entry.start), local(entry.end)) == ("2026-11-18 14:00", "2026-11-18 15:10")
    assert entry.minutes == 70


def test_inline_time_messages_appear_and_disappear(qtbot, diary):
    editor = make(qtbot, diary, kind="admin", day=dt.date(2026, 11, 18))
    editor.show()
    retype(qtbot, editor.start_edit, "25:00")
    assert "is not a time" in editor.messages["start"].text()
    assert editor.messages["start"].isVisible()
    assert not editor.save_button.isEnabled()
    retype(qtbot, editor.start_edit, "10:00")  # the default end is 10:00
    assert editor.messages["start"].text() == "The end must be after the start."
    retype(qtbot, editor.start_edit, "09:30")
    assert not editor.messages["start"].isVisible()
    retype(qtbot, editor.start_edit, "10:00")
    retype(qtbot, editor.end_edit, "")
    assert editor.messages["end"].text() == "Give an end time or a duration."
    qtbot.keyClicks(editor.duration_edit, "1h30")
    assert not editor.messages["end"].isVisible()
    assert editor.save_button.isEnabled()
    editor.save()
    entry = editor.result_entry()
    assert (local(entry.start), local(entry.end)) == ("2026-11-18 10:00", "2026-11-18 11:30")
    assert entry.crn is None


def test_event_and_location_messages(qtbot, diary):
    editor = make(qtbot, diary, kind="home_visit", day=dt.date(2026, 11, 18))
    editor.show()
    qtbot.keyClicks(editor.crn_edit, "x123456")
    qtbot.keyClicks(editor.event_edit, "1000")
    assert "1 to 999" in editor.messages["event"].text()
    retype(qtbot, editor.event_edit, "2")
    assert not editor.messages["event"].isVisible()
    qtbot.keyClicks(editor.location_edit, "TOOLONGCODE")
    assert "at most 7" in editor.messages["location"].text()
    assert not editor.save_button.isEnabled()
    retype(qtbot, editor.location_edit, "n07ho1")
    editor.save()
    entry = editor.result_entry()
    assert (entry.crn, entry.event_number, entry.location_code) == ("X123456", 2, "N07HO1")


def test_future_appointment_cannot_be_attended(qtbot, diary):
    editor = make(qtbot, diary, kind="appointment", day=dt.date(2026, 11, 27))
    editor.show()
    qtbot.keyClicks(editor.crn_edit, "X123456")
    editor.outcome_combo.setCurrentIndex(editor.outcome_combo.findData("ATTC"))
    assert "has not happened yet" in editor.messages["outcome"].text()
    assert "has not happened yet" in editor.save_button.toolTip()
    editor.outcome_combo.setCurrentIndex(0)
    assert editor.save_button.isEnabled()


def test_enforcement_warning_shown(qtbot, diary):
    editor = make(qtbot, diary, kind="appointment", day=dt.date(2026, 11, 18))
    editor.show()
    qtbot.keyClicks(editor.crn_edit, "X123456")
    editor.outcome_combo.setCurrentIndex(editor.outcome_combo.findData("ATTC"))
    editor.enforcement_combo.setCurrentIndex(editor.enforcement_combo.findData("EA02"))
    assert editor.warnings_label.isVisible()
    assert "not complied" in editor.warnings_label.text()
    editor.outcome_combo.setCurrentIndex(editor.outcome_combo.findData("AFTA"))
    assert not editor.warnings_label.isVisible()


def test_switching_to_an_admin_type_hides_and_drops_the_crn(qtbot, diary):
    editor = make(qtbot, diary, kind="appointment", day=dt.date(2026, 11, 18))
    editor.show()
    qtbot.keyClicks(editor.crn_edit, "X123456")
    choose_type(qtbot, editor, "Team meeting")
    assert editor.current_type().label == "Team meeting"
    assert not editor.crn_edit.isVisible()
    assert not editor.outcome_combo.isVisible()
    editor.save()
    assert editor.result_entry().crn is None
    assert diary.reference().types[editor.result_entry().type_id].label == "Team meeting"


def test_unknown_type_is_explained(qtbot, diary):
    editor = make(qtbot, diary, kind="admin", day=dt.date(2026, 11, 18))
    editor.show()
    choose_type(qtbot, editor, "Zumba")
    assert "unknown activity type" in editor.messages["type"].text().lower()
    assert not editor.save_button.isEnabled()


def test_types_are_grouped(qtbot, diary):
    editor = make(qtbot, diary)
    model = editor.type_combo.model()
    headers = [model.item(i).text() for i in range(model.rowCount()) if not model.item(i).isEnabled()]
    assert headers[:3] == ["Appointments", "Home visits", "Remote contact"]
    assert "Absence" in headers
    assert editor.type_combo.completer().filterMode() == Qt.MatchFlag.MatchContains


def test_whole_day_absence_and_timed_absence(qtbot, diary):
    editor = make(qtbot, diary, kind="absence", day=dt.date(2026, 11, 19))
    editor.show()
    assert not editor.start_edit.isVisible()
    editor.save()
    entry = editor.result_entry()
    assert entry.all_day and (local(entry.start), local(entry.end)) == ("2026-11-19 00:00", "2026-11-20 00:00")

    editor = make(qtbot, diary, kind="absence", day=dt.date(2026, 11, 19))
    editor.show()
    editor.all_day_check.setChecked(False)
    assert editor.start_edit.isVisible()
    retype(qtbot, editor.start_edit, "13:00")
    retype(qtbot, editor.end_edit, "17:00")
    editor.save()
    assert editor.result_entry().minutes == 240 and not editor.result_entry().all_day


def test_whole_day_absence_on_both_clock_change_days(qtbot, diary):
    """Issue 13: a whole day is the local calendar day, 25 or 23 hours on the change days."""
    for day, hours in ((dt.date(2026, 10, 25), 25), (dt.date(2026, 3, 29), 23), (dt.date(2025, 10, 26), 25)):
        editor = make(qtbot, diary, kind="absence", day=day)
        editor.show()
        assert editor.all_day_check.isChecked()
        assert editor.save_button.isEnabled(), (day, editor.messages["end"].text())
        editor.save()
        entry = editor.result_entry()
        assert entry.all_day and entry.minutes == hours * 60
        assert clock.to_local(entry.start).date() == day


def test_october_clock_change_day(qtbot, diary):
    editor = make(qtbot, diary, kind="admin", day=dt.date(2026, 10, 25))
    editor.show()
    retype(qtbot, editor.start_edit, "00:30")
    retype(qtbot, editor.end_edit, "02:30")
    assert editor.length_label.text() == "3 h"
    assert not editor.warnings_label.isVisible()
    retype(qtbot, editor.start_edit, "01:30")
    assert editor.warnings_label.isVisible()
    assert "happens twice" in editor.warnings_label.text()
    assert editor.save_button.isEnabled()  # a warning does not stop saving
    editor.save()
    entry = editor.result_entry()
    assert clock.format_utc(entry.start) == "2026-10-25T00:30:00Z"  # first 01:30, BST
    assert clock.format_utc(entry.end) == "2026-10-25T02:30:00Z"
    assert entry.minutes == 120


def test_march_gap_is_rejected(qtbot, diary):
    editor = make(qtbot, diary, kind="admin", day=dt.date(2026, 3, 29))
    editor.show()
    retype(qtbot, editor.start_edit, "01:30")
    assert "does not exist" in editor.messages["start"].text()
    assert not editor.save_button.isEnabled()


def test_past_midnight(qtbot, diary):
    editor = make(qtbot, diary, kind="admin", day=dt.date(2026, 11, 18))
    editor.show()
    retype(qtbot, editor.start_edit, "22:00")
    retype(qtbot, editor.end_edit, "01:15")
    assert not editor.save_button.isEnabled()  # never guessed: the user says so
    editor.next_day_check.setChecked(True)
    assert "ends next day" in editor.length_label.text()
    editor.save()
    assert local(editor.result_entry().end) == "2026-11-19 01:15"


def test_edit_keeps_id_and_delius_fields(qtbot, diary):
    entry = saved_entry(diary, EntryDraft(type="COAP", crn="X123456", start_date="2026-11-18",
                                          start_time="10:00", end_time="10:45", notes="first"))
    diary.set_delius_status([entry.id], EXPORTED, file="export.csv")
    entry = diary.get_entry(entry.id)
    editor = make(qtbot, diary, entry=entry)
    editor.show()
    assert editor.windowTitle() == f"Edit {entry.ref}"
    assert editor.crn_edit.text() == "X123456"
    assert (editor.start_edit.text(), editor.end_edit.text()) == ("10:00", "10:45")
    retype(qtbot, editor.end_edit, "11:00")
    editor.save()
    new = editor.result_entry()
    assert new.id == entry.id
    assert (new.delius_status, new.delius_export_file) == (EXPORTED, "export.csv")
    assert new.minutes == 60 and new.notes == "first"


def test_keyboard_ctrl_enter_saves_and_esc_cancels(qtbot, diary):
    editor = make(qtbot, diary, kind="admin", day=dt.date(2026, 11, 18))
    editor.show()
    editor.activateWindow()
    qtbot.waitUntil(editor.isActiveWindow, timeout=2000)
    editor.start_edit.setFocus()
    qtbot.keyClick(editor.start_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert editor.result() == QDialog.DialogCode.Accepted
    assert editor.result_entry() is not None

    editor = make(qtbot, diary, kind="admin", day=dt.date(2026, 11, 18))
    editor.show()
    qtbot.keyClick(editor.start_edit, Qt.Key.Key_Escape)
    assert editor.result() == QDialog.DialogCode.Rejected
    assert editor.result_entry() is None


def test_esc_asks_before_losing_notes(qtbot, diary, fake_dialogs):
    editor = make(qtbot, diary, kind="admin", day=dt.date(2026, 11, 18))
    editor.show()
    qtbot.keyClicks(editor.notes, "Important")
    fake_dialogs.confirm = False
    qtbot.keyClick(editor.start_edit, Qt.Key.Key_Escape)
    assert fake_dialogs.questions == ["Discard the notes you typed?"]
    assert editor.isVisible()
    fake_dialogs.confirm = True
    editor.reject()
    assert not editor.isVisible()
    assert editor.result() == QDialog.DialogCode.Rejected


def test_esc_without_notes_does_not_ask(qtbot, diary, fake_dialogs):
    editor = make(qtbot, diary, kind="admin")
    editor.show()
    retype(qtbot, editor.start_edit, "09:00")
    editor.reject()
    assert fake_dialogs.questions == []


def test_notes_autosave_and_recovery(qtbot, diary, monkeypatch):
    monkeypatch.setattr(EntryEditor, "AUTOSAVE_MS", 20)
    entry = saved_entry(diary, EntryDraft(type="COAP", crn="X123456", start_date="2026-11-18",
                                          start_time="10:00", end_time="10:45"))
    editor = make(qtbot, diary, entry=entry)
    editor.show()
    qtbot.keyClicks(editor.notes, "Talked about work")
    qtbot.waitUntil(lambda: any(d["key"] == f"editor:{entry.ref}" for d in diary.drafts()), timeout=2000)
    draft = next(d for d in diary.drafts() if d["key"] == f"editor:{entry.ref}")
    assert draft["entry_id"] == entry.id
    assert draft["data"]["notes"] == "Talked about work"
    editor.hide()  # the app is killed with the editor open: the draft stays

    again = make(qtbot, diary, entry=entry)
    again.show()
    assert again.recovery_bar.isVisible()
    assert again.notes.toPlainText() == ""
    qtbot.mouseClick(again.restore_button, Qt.MouseButton.LeftButton)
    assert again.notes.toPlainText() == "Talked about work"
    assert not again.recovery_bar.isVisible()
    again.save()
    assert again.result_entry().notes == "Talked about work"
    assert diary.drafts() == []  # discarded on save

    other = make(qtbot, diary, kind="admin")
    assert not other.recovery_bar.isVisible()  # drafts belong to their entry


def test_recovered_draft_can_be_discarded(qtbot, diary):
    diary.save_draft("editor:new", {"type": "COAP", "notes": "half typed", "crn": "X123456"})
    editor = make(qtbot, diary, kind="appointment")
    editor.show()
    assert editor.recovery_bar.isVisible()
    qtbot.mouseClick(editor.discard_draft_button, Qt.MouseButton.LeftButton)
    assert diary.drafts() == []
    assert not editor.recovery_bar.isVisible()


def test_deliberate_discard_removes_the_draft(qtbot, diary, monkeypatch, fake_dialogs):
    monkeypatch.setattr(EntryEditor, "AUTOSAVE_MS", 10)
    editor = make(qtbot, diary, kind="admin")
    editor.show()
    qtbot.keyClicks(editor.notes, "never mind")
    qtbot.waitUntil(lambda: diary.drafts() != [], timeout=2000)
    editor.reject()
    assert fake_dialogs.questions
    assert diary.drafts() == []


def test_crn_completion_from_names_and_initials(qtbot, diary):
    diary.save_person("X123456", "A.B.")
    diary.save_person("Y654321", "Jo Smith")
    editor = make(qtbot, diary, kind="contact")
    completer = editor.crn_edit.completer()
    completer.setCompletionPrefix("smith")
    assert completer.completionModel().index(0, 0).data() == "Y654321  Jo Smith"  # the list shows the name
    assert completer.currentCompletion() == "Y654321"  # the box takes only the CRN
    completer.activated[str].emit("Y654321  Jo Smith")
    assert editor.crn_edit.text() == "Y654321"
    assert editor.person_label.text() == "Jo Smith"


def test_arrange_another(qtbot, diary):
    entry = saved_entry(diary, EntryDraft(type="CHVS", crn="X123456", start_date="2026-11-18",
                                          start_time="14:00", end_time="15:10", outcome="ATTC",
                                          location="N07HV", event="2", notes="private"))
    editor = EntryEditor.arrange_another(diary, entry)
    qtbot.addWidget(editor)
    editor.show()
    assert editor.initial_focus is editor.date_edit
    qtbot.waitUntil(lambda: editor.focusWidget() is not None and
                    editor.date_edit.isAncestorOf(editor.focusWidget()) or editor.focusWidget() is editor.date_edit)
    assert editor.notes.toPlainText() == ""
    set_date(editor, dt.date(2026, 11, 25))
    editor.save()
    new = editor.result_entry()
    assert new.id is None
    assert diary.reference().types[new.type_id].delius_code == "CHVS"
    assert (new.crn, new.location_code, new.event_number) == ("X123456", "N07HV", 2)
    assert new.outcome_code is None and new.notes == ""
    assert (local(new.start), local(new.end)) == ("2026-11-25 14:00", "2026-11-25 15:10")


def test_record_outcome(qtbot, diary):
    entry = saved_entry(diary, EntryDraft(type="COAP", crn="X123456", start_date="2026-11-18",
                                          start_time="10:00", end_time="10:45", notes="kept"))
    editor = EntryEditor.record_outcome(diary, entry)
    qtbot.addWidget(editor)
    editor.show()
    assert editor.initial_focus is editor.outcome_combo
    qtbot.waitUntil(lambda: editor.focusWidget() is editor.outcome_combo)
    editor.outcome_combo.setCurrentIndex(editor.outcome_combo.findData("AFTA"))
    editor.enforcement_combo.setCurrentIndex(editor.enforcement_combo.findData("EA02"))
    editor.save()
    new = editor.result_entry()
    assert (new.id, new.outcome_code, new.enforcement_code, new.notes) == (entry.id, "AFTA", "EA02", "kept")


def test_every_field_has_an_accessible_name(qtbot, diary):
    editor = make(qtbot, diary, kind="appointment")
    for widget in (editor.type_combo, editor.crn_edit, editor.date_edit, editor.start_edit, editor.end_edit,
                   editor.duration_edit, editor.outcome_combo, editor.enforcement_combo, editor.location_edit,
                   editor.event_edit, editor.sensitive_check, editor.alert_check, editor.rar_check,
                   editor.notes, editor.save_button, editor.cancel_button):
        assert widget.accessibleName()


@pytest.mark.parametrize("key", [Qt.Key.Key_Return, Qt.Key.Key_S], ids=["ctrl-enter", "ctrl-s"])
def test_ctrl_enter_or_ctrl_s_in_the_notes_saves(qtbot, diary, key):
    """Ctrl+Enter, and the platform's Save key as in any editor, save from the notes too."""
    editor = make(qtbot, diary, kind="admin", day=dt.date(2026, 11, 18))
    editor.show()
    editor.activateWindow()
    qtbot.waitUntil(editor.isActiveWindow, timeout=2000)
    editor.notes.setFocus()
    qtbot.keyClicks(editor.notes, "one line")
    qtbot.keyClick(editor.notes, key, Qt.KeyboardModifier.ControlModifier)
    assert editor.result() == QDialog.DialogCode.Accepted
    assert editor.result_entry().notes == "one line"


def test_half_typed_type_does_not_make_the_form_jump(qtbot, diary):
    editor = make(qtbot, diary, kind="admin", day=dt.date(2026, 11, 18))
    editor.show()
    choose_type(qtbot, editor, "Team mee")
    assert editor.current_type() is None
    assert not editor.crn_edit.isVisible()
    assert "unknown activity type" in editor.messages["type"].text().lower()


def _shown(qtbot, dialog):
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    qtbot.waitUntil(lambda: dialog.focusWidget() is not None and dialog.focusWidget().hasFocus())
    return dialog


@pytest.mark.parametrize("kind", ["appointment", "home_visit", "contact", "admin", "absence"])
def test_a_new_entry_opens_with_the_cursor_in_the_type_never_on_save(qtbot, diary, kind):
    """New admin time and New absence opened with the focus on Save (user test: typing did
    nothing, and Space saved the untouched form)."""
    editor = _shown(qtbot, EntryEditor(diary, kind=kind, day=dt.date(2026, 11, 18)))
    assert editor.focusWidget() in (editor.type_combo, editor.type_combo.lineEdit())


def test_record_outcome_shows_where_the_focus_is_from_the_start(qtbot, diary, make_entry):
    """The outcome box had the focus but drew no focus frame until Tab was pressed (Qt draws
    it only after a keyboard focus change in the window)."""
    saved = diary.add_entry(make_entry("COAP", "2026-11-18 10:00", 60, crn="X123456"))
    editor = _shown(qtbot, EntryEditor.record_outcome(diary, saved))
    combo = editor.outcome_combo
    assert editor.focusWidget() is combo
    qtbot.waitUntil(lambda: editor.testAttribute(Qt.WidgetAttribute.WA_KeyboardFocusChange))  # one turn
    first = combo.grab().toImage()
    qtbot.keyClick(combo, Qt.Key.Key_Tab)
    qtbot.keyClick(editor.focusWidget(), Qt.Key.Key_Backtab)
    assert editor.focusWidget() is combo
    assert combo.grab().toImage() == first  # the frame Tab shows was there already
