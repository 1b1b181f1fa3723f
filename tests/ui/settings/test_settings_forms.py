"""Settings and first-run screens, driven through their widgets."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from probation_diary.core import clock
from probation_diary.core.model import SettingError
from probation_diary.store.diary import DiaryError
from probation_diary.ui.settings.firstrun import DEMO, START, FirstRunDialog
from probation_diary.ui.settings.dialog import SettingsDialog


def retype(qtbot, edit, text):
    edit.selectAll()
    edit.clear()
    qtbot.keyClicks(edit, text)


@pytest.fixture
def settings_dialog(qtbot, diary):
    def make():
        dlg = SettingsDialog(diary)
        qtbot.addWidget(dlg)
        dlg.show()
        return dlg
    return make


def test_settings_round_trip(qtbot, diary, settings_dialog):
    dlg = settings_dialog()
    form = dlg.practitioner
    assert form.edits["contracted_hours"].text() == "37"
    assert [b.isChecked() for b in form.day_checks] == [True] * 5 + [False] * 2
    retype(qtbot, form.edits["provider_code"], "n07")
    retype(qtbot, form.edits["team_code"], "N07T01")
    retype(qtbot, form.edits["staff_code"], "N07A123")
    retype(qtbot, form.edits["office_location"], "N07HO1")
    retype(qtbot, form.edits["contracted_hours"], "22.5")
    qtbot.mouseClick(form.day_checks[4], Qt.MouseButton.LeftButton)  # not Fridays
    # shares in whole minutes that add up to the contract (issue 13)
    assert form.day_share.text() == ("A working day is 5 h 38 min (Mon, Tue) or 5 h 37 min (Wed, Thu) "
                                     "of your 22.5 hours.")
    qtbot.mouseClick(form.day_checks[3], Qt.MouseButton.LeftButton)  # nor Thursdays
    qtbot.mouseClick(form.bank_holidays, Qt.MouseButton.LeftButton)
    assert form.day_share.text() == "A working day is 7 h 30 min of your 22.5 hours."
    qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
    assert dlg.result() == QDialog.DialogCode.Accepted

    s = diary.settings()
    assert (s.provider_code, s.team_code, s.staff_code, s.office_location) == ("N07", "N07T01", "N07A123", "N07HO1")
    assert s.contracted_hours == Decimal("22.5") and s.working_days == frozenset({0, 1, 2})
    assert s.bank_holidays is False

    again = settings_dialog()
    form = again.practitioner
    assert form.edits["provider_code"].text() == "N07"
    assert form.edits["contracted_hours"].text() == "22.5"
    assert [b.isChecked() for b in form.day_checks] == [True, True, True, False, False, False, False]
    assert not form.bank_holidays.isChecked()


@pytest.mark.parametrize("key, text, message", [
    ("contracted_hours", "lots", "Contracted hours must be a number of hours"),
    ("contracted_hours", "0", "more than 0"),
    ("contracted_hours", "37.123", "whole number of minutes"),
    ("provider_code", "N7", "Provider code is 3 characters"),
    ("staff_code", "N07-123", "only letters and digits"),
    ("office_location", "TOOLONGCODE", "at most 7 characters"),
])
def test_settings_inline_messages(qtbot, diary, settings_dialog, key, text, message):
    dlg = settings_dialog()
    form = dlg.practitioner
    retype(qtbot, form.edits[key], text)
    assert form.messages[key].isVisible()
    assert message in form.messages[key].text()
    assert form.messages[key].text().endswith(".")
    assert not dlg.save_button.isEnabled()
    assert message in dlg.save_button.toolTip()
    form.edits[key].clear()
    if key == "contracted_hours":
        qtbot.keyClicks(form.edits[key], "37")
    assert not form.messages[key].isVisible()
    assert dlg.save_button.isEnabled()


def test_settings_need_a_working_day(qtbot, diary, settings_dialog):
    dlg = settings_dialog()
    for box in dlg.practitioner.day_checks[:5]:
        box.setChecked(False)
    assert "at least one day" in dlg.practitioner.messages["working_days"].text()
    assert not dlg.save_button.isEnabled()


@pytest.mark.parametrize("error", [SettingError("contracted_hours must be more than 0"),
                                   DiaryError("the diary file is read-only, so nothing was saved")])
def test_settings_save_errors_are_shown_not_raised(qtbot, diary, settings_dialog, monkeypatch, error):
    dlg = settings_dialog()

    def fail(values):
        raise error
    monkeypatch.setattr(diary, "set_settings", fail)
    assert dlg.save() is False
    assert dlg.message.isVisible() and dlg.message.text().endswith(".")
    assert dlg.isVisible()


def type_page(qtbot, settings_dialog):
    dlg = settings_dialog()
    dlg.tabs.setCurrentWidget(dlg.types_page)
    assert not dlg.save_button.isVisible()  # the types save themselves
    return dlg.types_page


def test_activity_type_added_and_edited(qtbot, diary, settings_dialog):
    page = type_page(qtbot, settings_dialog)
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(page.label_edit, "Court duty")
    page.class_combo.setCurrentIndex(page.class_combo.findData("admin"))
    page.group_combo.setEditText("Admin")
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert not page.message.isVisible()
    created = diary.reference().find_type("Court duty")
    assert (created.time_class, created.group, created.delius_code) == ("admin", "Admin", None)
    assert page.table.selected_key() == created.id

    video = diary.reference().find_type("COVC")
    page.table.select_key(video.id)
    assert page.label_edit.text() == video.label
    page.class_combo.setCurrentIndex(page.class_combo.findData("face_to_face"))  # a team's choice
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert diary.reference().types[video.id].time_class == "face_to_face"
    assert page.status.text() == f"Saved '{video.label}'"


@pytest.mark.parametrize("label, code, time_class, needs_outcome, message", [
    ("travel", "", "admin", False, "There is already an activity type called 'travel'."),
    ("Fresh type", "chvs", "admin", False, "The Delius code CHVS is already used by 'Home visit to case (NS)'."),
    ("", "", "admin", False, "An activity type needs a label."),
    ("Fresh type", "", "admin", True, "Only a type with a Delius code can need an outcome."),
    ("Fresh type", "ABCDEFGHIJK", "admin", False, "A Delius code is at most 10 characters"),
    ("Fresh type", "", "meetings", False, "'meetings' is not a time class"),
])
def test_activity_type_rejected_inline(qtbot, diary, settings_dialog, label, code, time_class,
                                       needs_outcome, message):
    page = type_page(qtbot, settings_dialog)
    before = dict(diary.reference().types)
    page.new()
    qtbot.keyClicks(page.label_edit, label)
    qtbot.keyClicks(page.code_edit, code)
    if page.class_combo.findData(time_class) < 0:  # not offered by the form: as if it came from elsewhere
        page.class_combo.addItem(time_class, time_class)
    page.class_combo.setCurrentIndex(page.class_combo.findData(time_class))
    page.needs_outcome.setChecked(needs_outcome)
    assert page.save() is False
    assert page.message.isVisible()
    assert page.message.text().startswith(message)
    assert diary.reference().types == before


def test_outcome_and_enforcement_editors(qtbot, diary, settings_dialog):
    dlg = settings_dialog()
    page = dlg.outcomes_page
    page.new()
    qtbot.keyClicks(page.code_edit, "atvc")
    qtbot.keyClicks(page.label_edit, "Attended - video")
    page.attended.setChecked(True)
    page.complied.setCurrentIndex(page.complied.findData(True))
    page.kind.setCurrentIndex(page.kind.findData("attended"))
    assert page.save()
    got = diary.reference().outcomes["ATVC"]
    assert (got.label, got.attended, got.complied, got.kind) == ("Attended - video", True, True, "attended")
    page.new()
    qtbot.keyClicks(page.code_edit, "X")
    assert page.save() is False
    assert "needs a code" in page.message.text()

    page = dlg.enforcement_page
    page.table.select_key("EA02")
    assert page.code_edit.isReadOnly()
    retype(qtbot, page.label_edit, "First warning letter (sent)")
    assert page.save()
    assert diary.reference().enforcement["EA02"].label == "First warning letter (sent)"
    page.new()
    assert page.save() is False and "needs a code" in page.message.text()


def test_first_run_defaults_and_save(qtbot, diary):
    assert FirstRunDialog.needed(diary)
    dlg = FirstRunDialog(diary)
    qtbot.addWidget(dlg)
    dlg.show()
    form = dlg.form
    assert form.edits["contracted_hours"].text() == "37"
    assert [b.isChecked() for b in form.day_checks] == [True] * 5 + [False] * 2
    assert form.bank_holidays.isChecked()
    assert form.day_share.text() == "A working day is 7 h 24 min of your 37 hours."
    retype(qtbot, form.edits["contracted_hours"], "x")
    assert not dlg.start_button.isEnabled()
    assert "number of hours" in dlg.start_button.toolTip()
    retype(qtbot, form.edits["contracted_hours"], "30")
    qtbot.keyClicks(form.edits["staff_code"], "N07A123")
    qtbot.mouseClick(dlg.start_button, Qt.MouseButton.LeftButton)
    assert dlg.result() == QDialog.DialogCode.Accepted and dlg.choice == START
    s = diary.settings()
    assert s.contracted_hours == Decimal("30") and s.staff_code == "N07A123" and s.bank_holidays
    assert not FirstRunDialog.needed(diary)
    assert diary.count_entries() == 0


def test_first_run_offers_a_separate_demo_diary(qtbot, diary):
    dlg = FirstRunDialog(diary)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.mouseClick(dlg.demo_button, Qt.MouseButton.LeftButton)
    assert dlg.choice == DEMO and dlg.result() == QDialog.DialogCode.Accepted
    demo = dlg.demo_diary(dt.date(2026, 11, 9))
    try:
        summary = demo.week_summary(clock.Week(dt.date(2026, 11, 9)))
        assert 0.20 <= summary.face_to_face_share <= 0.25
        assert demo.path is None
    finally:
        demo.close()
    assert diary.count_entries() == 0  # nothing fictional in the real diary
    assert FirstRunDialog.needed(diary)


def test_first_run_demo_defaults_to_this_week(qtbot, diary):
    dlg = FirstRunDialog(diary)
    qtbot.addWidget(dlg)
    demo = dlg.demo_diary()
    try:
        this_week = clock.Week(dt.date(2026, 11, 16))
        assert len(demo.entries_between(this_week.start, this_week.end)) == demo.count_entries()
        future = [e for e in demo.all_entries() if e.start > clock.now_utc()]
        assert future == []  # 'now' is Friday 17:00, after the last demo entry
    finally:
        demo.close()


def _mnemonics(widget):
    from PySide6.QtWidgets import QAbstractButton, QLabel, QTabWidget

    found = []
    for child in widget.findChildren(QAbstractButton) + widget.findChildren(QLabel):
        if child.isVisibleTo(widget) and "&" in child.text().replace("&&", ""):
            found.append(child.text().split("&", 1)[1][:1].lower())
    for tabs in widget.findChildren(QTabWidget):
        found += [tabs.tabText(i).split("&", 1)[1][:1].lower() for i in range(tabs.count()) if "&" in tabs.tabText(i)]
    return found


@pytest.mark.parametrize("tab", [0, 1, 2, 3])
def test_settings_mnemonics_do_not_clash(qtbot, diary, settings_dialog, tab):
    dlg = settings_dialog()
    dlg.tabs.setCurrentIndex(tab)
    keys = _mnemonics(dlg)
    assert len(keys) == len(set(keys)), keys


def test_first_run_and_editor_mnemonics_do_not_clash(qtbot, diary):
    from probation_diary.ui.entry.editor import EntryEditor

    for dlg in (FirstRunDialog(diary), EntryEditor(diary, kind="appointment"), EntryEditor(diary, kind="absence")):
        qtbot.addWidget(dlg)
        dlg.show()
        keys = _mnemonics(dlg)
        assert len(keys) == len(set(keys)), (dlg.windowTitle(), keys)


def test_closing_with_unsaved_settings_asks(qtbot, diary, settings_dialog, fake_dialogs):
    dlg = settings_dialog()
    dlg.reject()
    assert fake_dialogs.questions == [] and not dlg.isVisible()  # nothing changed: no question

    dlg = settings_dialog()
    retype(qtbot, dlg.practitioner.edits["contracted_hours"], "37.0")
    dlg.reject()
    assert fake_dialogs.questions == []  # the same number of hours

    dlg = settings_dialog()
    retype(qtbot, dlg.practitioner.edits["contracted_hours"], "30")
    fake_dialogs.confirm = False
    qtbot.mouseClick(dlg.close_button, Qt.MouseButton.LeftButton)
    assert fake_dialogs.questions == ["Close without saving your settings?"] and dlg.isVisible()
    fake_dialogs.confirm = True
    dlg.reject()
    assert not dlg.isVisible()
    assert diary.settings().contracted_hours == Decimal("37")


def test_settings_open_with_a_visible_focus_in_the_first_field(qtbot, diary):
    """Settings opened with the focus on the tab bar, drawn with no focus frame: nothing on
    the screen said where a key would go (user test, keyboard only)."""
    from probation_diary.ui.settings.dialog import SettingsDialog

    dlg = SettingsDialog(diary)
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.activateWindow()
    qtbot.waitUntil(dlg.isActiveWindow)
    first = dlg.practitioner.edits["provider_code"]
    qtbot.waitUntil(first.hasFocus)
    qtbot.waitUntil(lambda: dlg.testAttribute(Qt.WidgetAttribute.WA_KeyboardFocusChange))  # frames drawn
