"""The "Export for Delius" dialog and the Entry menu actions (issue 5)."""

from __future__ import annotations

import csv
import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from probation_diary.formats import delius
from probation_diary.core.model import CHANGED, ENTERED, EXPORTED, NOT_EXPORTED
from probation_diary.ui.delius import actions as delius_actions
from probation_diary.ui.delius.dialog import PRIVACY_NOTE, DeliusExportDialog, DeliusRowsModel
from delius_support import add, set_codes

MON, SUN = dt.date(2026, 11, 16), dt.date(2026, 11, 22)


@pytest.fixture
def week(diary):
    set_codes(diary)
    good = add(diary, "COAP", "2026-11-16 09:05", "2026-11-16 10:00", outcome="ATTC", notes="line 1\nline 2")
    other = add(diary, "CTOB", "2026-11-17 14:00", "2026-11-17 14:10", crn="A000001")
    bad = add(diary, "COAP", "2026-11-18 10:00", "2026-11-18 10:30")  # past, no outcome
    travel = add(diary, "Travel", "2026-11-18 11:00", "2026-11-18 12:00", crn="")
    return dict(good=good, other=other, bad=bad, travel=travel)


@pytest.fixture
def dialog(qtbot, diary, week):
    dlg = DeliusExportDialog(diary, MON, SUN)
    qtbot.addWidget(dlg)
    return dlg


def csv_rows(path):
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


def test_rows_model_passes_qtmodeltester(qtmodeltester, dialog):
    assert dialog.model.rowCount() == 2
    qtmodeltester.check(dialog.model)
    empty = DeliusRowsModel()
    qtmodeltester.check(empty)


def test_preview_shows_the_rows_as_the_file_will(dialog, week):
    m = dialog.model
    headers = [m.headerData(c, Qt.Orientation.Horizontal) for c in range(m.columnCount())]
    assert headers == list(delius.HEADERS)
    assert [m.index(r, 18).data() for r in range(m.rowCount())] == [week["other"].ref, week["good"].ref]
    notes = m.index(1, delius.HEADERS.index("Notes"))
    assert notes.data() == "line 1 ⏎ line 2"
    assert notes.data(Qt.ItemDataRole.ToolTipRole) == "line 1\nline 2"
    assert m.entry_id(0) == week["other"].id
    assert "2 rows to export" in dialog.summary_label.text()
    assert "1 entry left out" in dialog.summary_label.text()


def test_problems_are_listed_and_linked_to_their_entry(qtbot, diary, week):
    opened = []

    def fix(entry_id):  # the user opens the entry and records the outcome
        opened.append(entry_id)
        e = diary.get_entry(entry_id)
        diary.update_entry(e.with_changes(outcome_code="ATTC"))

    dlg = DeliusExportDialog(diary, MON, SUN, open_entry=fix)
    qtbot.addWidget(dlg)
    problems = dlg.problems_model
    assert problems.rowCount() == 1
    item = problems.index(0, 0)
    assert item.data() == f"{week['bad'].ref}: a past appointment needs an outcome: record whether they attended"
    dlg.show()
    dlg.problems.setFocus()
    dlg.problems.setCurrentIndex(item)
    saved = []
    dlg.save_button.clicked.connect(lambda: saved.append(True))
    qtbot.keyClick(dlg.problems, Qt.Key.Key_Return)  # Enter opens the entry, and does not also save
    assert opened == [week["bad"].id] and saved == []
    assert problems.rowCount() == 0  # refreshed after the fix
    assert dlg.model.rowCount() == 3


def test_enter_on_a_row_opens_its_entry_and_does_not_save(qtbot, diary, week):
    opened = []
    dlg = DeliusExportDialog(diary, MON, SUN, open_entry=opened.append)
    qtbot.addWidget(dlg)
    saved = []
    dlg.save_button.clicked.connect(lambda: saved.append(True))
    dlg.show()
    dlg.table.setFocus()
    dlg.table.setCurrentIndex(dlg.model.index(1, 0))
    qtbot.keyClick(dlg.table, Qt.Key.Key_Return)
    assert opened == [week["good"].id] and saved == []


def test_date_range_and_include_entered(qtbot, diary, dialog, week):
    diary.set_delius_status([week["good"].id], ENTERED)
    dialog.refresh()
    assert dialog.model.rowCount() == 1
    dialog.include_entered.setChecked(True)
    assert dialog.model.rowCount() == 2
    dialog.set_range(MON, MON)
    assert [dialog.model.entry_id(r) for r in range(dialog.model.rowCount())] == [week["good"].id]
    dialog.to_edit.setDate(dialog.to_edit.date().addDays(-3))
    assert dialog.model.rowCount() == 0 and not dialog.save_button.isEnabled()
    assert dialog.range_message.text() == "The last date is before the first date."


def type_in(qtbot, field, text):
    field.line.setFocus()
    field.line.selectAll()
    qtbot.keyClicks(field.line, text)
    qtbot.keyClick(field.line, Qt.Key.Key_Return)


def test_dates_are_typed_as_the_rest_of_the_window_takes_them(qtbot, dialog, week, fake_dialogs):
    dialog.show()
    type_in(qtbot, dialog.from_edit, "last mon")  # now is Fri 20 Nov 2026
    type_in(qtbot, dialog.to_edit, "tue")
    assert (dialog.first, dialog.last) == (MON, dt.date(2026, 11, 17))
    assert dialog.from_edit.text() == "Mon 16/11/2026"  # what it understood
    assert [dialog.model.entry_id(r) for r in range(dialog.model.rowCount())] == [week["other"].id, week["good"].id]
    # an impossible range says so beside the dates, at once, and Save is off: no popup after the fact
    type_in(qtbot, dialog.to_edit, "1/4")
    assert dialog.last == dt.date(2026, 4, 1)
    assert dialog.range_message.isVisible() and "before the first" in dialog.range_message.text()
    assert not dialog.save_button.isEnabled() and dialog.model.rowCount() == 0
    assert dialog.save() is False and not fake_dialogs.errors and not fake_dialogs.save_calls
    # a text that is not a date stays there to be corrected, and Save stays off
    type_in(qtbot, dialog.to_edit, "31/2")
    assert dialog.to_edit.text() == "31/2" and "no day 31 in month 2" in dialog.range_message.text()
    assert not dialog.save_button.isEnabled()
    type_in(qtbot, dialog.to_edit, "+2d")
    assert dialog.last == SUN and not dialog.range_message.isVisible() and dialog.save_button.isEnabled()
    assert dialog.model.rowCount() == 2


def test_a_date_typed_and_not_yet_read_is_read_before_saving(qtbot, dialog, fake_dialogs, tmp_path):
    dialog.show()
    dialog.to_edit.line.setFocus()
    dialog.to_edit.line.setText("mon")  # typed, Save pressed by its shortcut before leaving the field
    fake_dialogs.save_file = str(tmp_path / "x.csv")
    assert dialog.save() is True
    assert dialog.last == MON and fake_dialogs.save_calls[0][2] == "delius-contacts-2026-11-16-to-2026-11-16.csv"


def test_save_writes_the_file_and_marks_rows_exported(dialog, diary, week, fake_dialogs, tmp_path):
    target = tmp_path / "chosen.csv"
    fake_dialogs.save_file = str(target)
    assert dialog.save() is True
    assert fake_dialogs.save_calls[0][2] == "delius-contacts-2026-11-16-to-2026-11-22.csv"
    rows = csv_rows(target)
    assert rows[0] == list(delius.HEADERS)
    assert [r[-1] for r in rows[1:]] == [week["other"].ref, week["good"].ref]
    assert diary.get_entry(week["good"].id).delius_status == EXPORTED
    assert diary.get_entry(week["good"].id).delius_export_file == str(target)
    assert diary.get_entry(week["bad"].id).delius_status == NOT_EXPORTED
    assert "Saved 2 rows" in fake_dialogs.infos[0] and "1 entry was left out" in fake_dialogs.infos[0]
    assert dialog.result() != QDialog.DialogCode.Accepted  # kept open: there is something to fix


def test_cancelled_save_writes_nothing(dialog, diary, week, fake_dialogs, tmp_path):
    fake_dialogs.save_file = None
    assert dialog.save() is False
    assert diary.get_entry(week["good"].id).delius_status == NOT_EXPORTED
    assert list(tmp_path.glob("*.csv")) == []


def test_a_clean_save_closes_the_dialog(qtbot, diary, fake_dialogs, tmp_path):
    set_codes(diary)
    add(diary, "CTOB", "2026-11-17 14:00", "2026-11-17 14:10")
    dlg = DeliusExportDialog(diary, MON, SUN)
    qtbot.addWidget(dlg)
    fake_dialogs.save_file = str(tmp_path / "x.csv")
    assert dlg.save()
    assert dlg.result() == QDialog.DialogCode.Accepted


def test_missing_codes_are_asked_for_and_saved(qtbot, diary, fake_dialogs, tmp_path):
    diary.set_settings({"provider_code": "N07"})
    e = add(diary, "CTOB", "2026-11-17 14:00", "2026-11-17 14:10")
    dlg = DeliusExportDialog(diary, MON, SUN)
    qtbot.addWidget(dlg)
    dlg.show()
    assert dlg.codes_box.isVisible()
    fake_dialogs.save_file = str(tmp_path / "x.csv")
    assert dlg.save() is False
    assert "team code and staff (officer) code" in fake_dialogs.errors[0]
    assert fake_dialogs.save_calls == [] and not (tmp_path / "x.csv").exists()

    dlg.code_edits["team_code"].setText("n07t01")
    dlg.code_edits["staff_code"].setText("N07A123")
    assert dlg.save() is True
    s = diary.settings()
    assert (s.provider_code, s.team_code, s.staff_code) == ("N07", "N07T01", "N07A123")
    assert csv_rows(tmp_path / "x.csv")[1][5:7] == ["N07", "N07T01"]
    assert diary.get_entry(e.id).delius_status == EXPORTED


def test_bad_code_is_refused_in_plain_words(qtbot, diary, fake_dialogs, tmp_path):
    add(diary, "CTOB", "2026-11-17 14:00", "2026-11-17 14:10")
    dlg = DeliusExportDialog(diary, MON, SUN)
    qtbot.addWidget(dlg)
    dlg.code_edits["provider_code"].setText("N7")
    dlg.code_edits["team_code"].setText("T1")
    dlg.code_edits["staff_code"].setText("S1")
    fake_dialogs.save_file = str(tmp_path / "x.csv")
    assert dlg.save() is False
    assert "provider_code is 3 characters" in fake_dialogs.errors[0]
    assert diary.settings().team_code == ""  # all or nothing


def test_nothing_to_export_asks_first(qtbot, diary, fake_dialogs, tmp_path):
    set_codes(diary)
    dlg = DeliusExportDialog(diary, MON, SUN)
    qtbot.addWidget(dlg)
    fake_dialogs.confirm = False
    fake_dialogs.save_file = str(tmp_path / "x.csv")
    assert dlg.save() is False and fake_dialogs.questions


def test_write_failure_is_shown_and_nothing_marked(dialog, diary, week, fake_dialogs, tmp_path):
    fake_dialogs.save_file = str(tmp_path / "missing" / "x.csv")
    assert dialog.save() is False
    assert "does not exist" in fake_dialogs.errors[0]
    assert diary.get_entry(week["good"].id).delius_status == NOT_EXPORTED


def test_privacy_warning_is_shown(dialog):
    texts = [w.text() for w in dialog.findChildren(type(dialog.summary_label))]
    assert any(PRIVACY_NOTE in t for t in texts)
    assert "plain text" in PRIVACY_NOTE and "only where you choose" in PRIVACY_NOTE


def test_screenshot(dialog, tmp_path):
    dialog.show()
    path = tmp_path / "delius-dialog.png"
    assert dialog.grab().save(str(path))


# --- install(): the Entry menu, the toolbar, marking with undo --------------------------------

def test_install_adds_actions_to_entry_menu_and_toolbar(stand_in):
    actions = delius_actions.install(stand_in)
    assert actions.export_action in stand_in.menus["entry"].actions()
    assert actions.mark_action in stand_in.menus["entry"].actions()
    assert actions.export_action in stand_in.toolbar.actions()
    assert actions.mark_action in stand_in.toolbar.actions()
    assert actions.export_action.text() == "Export for &Delius…"
    assert actions.mark_action.text() == "&Mark as entered in Delius"


def test_export_action_opens_the_dialog_for_the_week(stand_in, week, fake_dialogs):
    actions = delius_actions.install(stand_in)
    actions.export_action.trigger()
    dlg = fake_dialogs.executed[0]
    assert isinstance(dlg, DeliusExportDialog)
    assert (dlg.first, dlg.last) == (MON, SUN)
    assert stand_in.refreshed == 1
    dlg.show_entry(week["bad"].id)
    assert stand_in.selected_calls == [week["bad"].id]
    assert stand_in.opened == [week["bad"].id]


def test_mark_entered_with_undo_and_redo(stand_in, diary, week, tmp_path, fake_dialogs):
    actions = delius_actions.install(stand_in)
    dlg = DeliusExportDialog(diary, MON, SUN)
    fake_dialogs.save_file = str(tmp_path / "x.csv")
    dlg.save()
    exported = diary.get_entry(week["good"].id)
    assert exported.delius_status == EXPORTED
    stand_in.selected = [week["good"].id, week["other"].id, week["travel"].id]
    actions.mark_action.trigger()
    assert diary.get_entry(week["good"].id).delius_status == ENTERED
    assert diary.get_entry(week["other"].id).delius_status == ENTERED
    assert diary.get_entry(week["travel"].id).delius_status == NOT_EXPORTED  # diary-only time
    assert stand_in.undo_stack.count() == 1
    assert stand_in.undo_stack.undoText() == "Mark 2 as entered in Delius"

    stand_in.undo_stack.undo()
    assert diary.get_entry(week["good"].id) == exported  # exactly as it was, file and time too
    assert diary.get_entry(week["other"].id).delius_status == EXPORTED
    stand_in.undo_stack.redo()
    assert diary.get_entry(week["good"].id).delius_status == ENTERED


def test_mark_entered_then_edit_makes_it_changed(stand_in, diary, week):
    actions = delius_actions.install(stand_in)
    stand_in.selected = [week["good"].id]
    actions.mark_entered()
    e = diary.get_entry(week["good"].id)
    assert e.delius_status == ENTERED
    assert diary.update_entry(e.with_changes(notes="more")).delius_status == CHANGED


def test_mark_entered_needs_a_markable_selection(stand_in, diary, week, fake_dialogs):
    actions = delius_actions.install(stand_in)
    stand_in.selected = [week["travel"].id]
    assert actions.mark_entered() is None
    assert stand_in.undo_stack.count() == 0
    assert "Select one or more contacts" in fake_dialogs.infos[0]
    stand_in.selected = []
    actions.mark_action.trigger()
    assert len(fake_dialogs.infos) == 2 and stand_in.undo_stack.count() == 0


def test_installs_into_the_real_main_window(qtbot, diary, monkeypatch):
    mainwindow = pytest.importorskip("probation_diary.ui.mainwindow")
    win = mainwindow.MainWindow(diary)
    qtbot.addWidget(win)
    assert "delius" not in win.install_errors
    names = [a.objectName() for a in win.menus["entry"].actions()]
    assert "exportDeliusAction" in names and "markEnteredAction" in names


def test_after_opening_a_left_out_entry_the_keyboard_stays_in_the_list(qtbot, diary, week):
    bad2 = add(diary, "COAP", "2026-11-19 10:00", "2026-11-19 10:30")  # another past one, no outcome
    dlg = DeliusExportDialog(diary, MON, SUN, open_entry=lambda _id: None)
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.activateWindow()
    dlg.problems.setFocus()
    qtbot.waitUntil(dlg.problems.hasFocus)
    dlg.problems.setCurrentIndex(dlg.problems_model.index(1, 0))
    qtbot.keyClick(dlg.problems, Qt.Key.Key_Return)
    assert dlg.problems.hasFocus() and dlg.problems.currentIndex().row() == 1
    assert dlg.problems.currentIndex().data().startswith(bad2.ref)
