"""The main window: its contract, saving through the undo stack, navigation, selection."""

from __future__ import annotations

import datetime as dt
import sys
import types

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QMenu, QToolBar

from probation_diary.core.clock import Week
from probation_diary.core.model import ENTERED, NOT_EXPORTED
from probation_diary.core.validation import EntryDraft
from probation_diary.ui.commands import SetDeliusStatusCommand, push
from probation_diary.ui.mainwindow import LIST_PAGE, PEOPLE_PAGE, WEEK_PAGE, MainWindow


def week_ids(win):
    return set(win.week_view.entries)


def test_contract(window, diary_path):
    assert set(window.menus) == {"file", "edit", "view", "entry", "reports", "help"}
    assert all(isinstance(m, QMenu) for m in window.menus.values())
    assert isinstance(window.toolbar, QToolBar)
    assert window.current_week() == Week(dt.date(2026, 11, 16))
    assert window.selected_entry_ids() == []
    assert diary_path.name in window.windowTitle()
    assert window.install_errors == {}
    assert not window.windowIcon().isNull()


def test_titles_never_carry_case_details(window, make_entry):
    window.save_new(make_entry("COAP", "2026-11-18 10:00", 60, crn="X123456"))
    window.refresh()
    assert "X123456" not in window.windowTitle()


def test_area_modules_are_installed(qtbot, diary, monkeypatch):
    installed = []
    fake = types.ModuleType("probation_diary.ui.evidence.actions")
    fake.install = lambda win: installed.append(win.menus["reports"].addAction("Evidence report"))
    monkeypatch.setitem(sys.modules, "probation_diary.ui.evidence.actions", fake)
    broken = types.ModuleType("probation_diary.ui.calendar.actions")

    def fail(win):
        raise RuntimeError("boom")

    broken.install = fail
    monkeypatch.setitem(sys.modules, "probation_diary.ui.calendar.actions", broken)
    win = MainWindow(diary)
    qtbot.addWidget(win)
    assert len(installed) == 1
    assert "Evidence report" in [a.text() for a in win.menus["reports"].actions()]
    assert "calendar" in win.install_errors  # reported, and the window still opened


def test_create_undo_redo(window, make_entry, qtbot):
    saved = window.save_new(make_entry("COAP", "2026-11-18 10:00", 60, crn="X123456"))
    qtbot.waitUntil(lambda: saved.id in week_ids(window))
    assert window.undo_stack.count() == 1
    window.undo_action.trigger()
    qtbot.waitUntil(lambda: saved.id not in week_ids(window))
    assert window.diary.get_entry(saved.id) is None
    window.redo_action.trigger()
    qtbot.waitUntil(lambda: saved.id in week_ids(window))
    assert window.diary.get_entry(saved.id) == saved  # the same entry, same reference


def test_edit_undo_redo(window, make_entry, qtbot):
    saved = window.save_new(make_entry("CHVS", "2026-11-17 14:00", 70, crn="X123456"))
    edited = window.save_edit(saved.with_changes(notes="discussed housing", outcome_code="ATTC"))
    assert edited.notes == "discussed housing"
    window.undo_action.trigger()
    assert window.diary.get_entry(saved.id).notes == ""
    assert window.diary.get_entry(saved.id).outcome_code is None
    window.redo_action.trigger()
    assert window.diary.get_entry(saved.id).outcome_code == "ATTC"


def test_delete_asks_and_is_undoable(window, make_entry, fake_dialogs, qtbot):
    saved = window.save_new(make_entry("Team meeting", "2026-11-19 09:00", 60))
    window.refresh()
    window.week_view.select(saved.id)
    assert window.selected_entry_ids() == [saved.id]
    fake_dialogs.confirm = False
    window.delete_action.trigger()
    assert fake_dialogs.questions and window.diary.get_entry(saved.id) is not None
    fake_dialogs.confirm = True
    window.delete_action.trigger()
    assert window.diary.get_entry(saved.id) is None
    qtbot.waitUntil(lambda: saved.id not in week_ids(window))
    window.undo_action.trigger()
    assert window.diary.get_entry(saved.id) == saved
    qtbot.waitUntil(lambda: saved.id in week_ids(window))


def test_each_kind_through_the_editor(window, fake_dialogs, qtbot):
    drafts = {
        "appointment": EntryDraft(type="COAP", crn="X123456", start_date="2026-11-18", start_time="10:00",
                                  end_time="11:00", outcome="ATTC"),
        "home_visit": EntryDraft(type="CHVS", crn="X123457", start_date="2026-11-17", start_time="14:00",
                                 end_time="15:10", outcome="ATTC"),
        "contact": EntryDraft(type="CTOB", crn="X123456", start_date="2026-11-19", start_time="09:00",
                              end_time="09:15"),
        "admin": EntryDraft(type="Recording on Delius", start_date="2026-11-19", start_time="10:00",
                            end_time="10:30"),
        "absence": EntryDraft(type="Annual leave", start_date="2026-11-16", all_day=True),
    }
    current = {}

    def fill(editor):
        editor.load_draft(current["draft"])
        editor.save()
        return int(editor.result())

    fake_dialogs.on_exec = fill
    for kind, draft in drafts.items():
        current["draft"] = draft
        saved = window.new_entry(kind)
        assert saved is not None, (kind, fake_dialogs.errors)
        assert saved.id in {e.id for e in window.diary.all_entries()}
    assert window.undo_stack.count() == 5
    for _ in range(5):
        window.undo_action.trigger()
    assert list(window.diary.all_entries()) == []
    for _ in range(5):
        window.redo_action.trigger()
    assert len(list(window.diary.all_entries())) == 5


def test_open_editor_saves_an_edit(window, make_entry, fake_dialogs):
    saved = window.save_new(make_entry("COAP", "2026-11-18 10:00", 60, crn="X123456"))

    def give_outcome(editor):
        draft = editor.draft()
        draft.outcome = "ATTC"
        editor.load_draft(draft)
        editor.save()
        return int(editor.result())

    fake_dialogs.on_exec = give_outcome
    window.open_editor(saved.id)
    assert window.diary.get_entry(saved.id).outcome_code == "ATTC"
    window.undo_action.trigger()
    assert window.diary.get_entry(saved.id).outcome_code is None


def test_cancelled_editor_saves_nothing(window, fake_dialogs):
    assert window.new_entry("admin") is None
    assert fake_dialogs.executed and window.undo_stack.count() == 0


def test_delius_status_command_undo(window, make_entry):
    saved = window.save_new(make_entry("COAP", "2026-11-18 10:00", 60, crn="X123456", outcome_code="ATTC"))
    push(window.undo_stack, SetDeliusStatusCommand(window.diary, [saved.id], ENTERED))
    assert window.diary.get_entry(saved.id).delius_status == ENTERED
    window.undo_action.trigger()
    assert window.diary.get_entry(saved.id).delius_status == NOT_EXPORTED
    window.redo_action.trigger()
    assert window.diary.get_entry(saved.id).delius_status == ENTERED


def test_save_error_is_reported_not_pushed(window, make_entry, fake_dialogs):
    bad = make_entry("COAP", "2026-11-18 10:00", 60, crn="X123456", outcome_code="NOPE")
    assert window.save_new(bad) is None
    assert fake_dialogs.errors and window.undo_stack.count() == 0


def test_week_navigation(window, qtbot):
    start = window.current_week()
    window.next_action.trigger()
    assert window.current_week() == start.next()
    window.previous_action.trigger()
    window.previous_action.trigger()
    assert window.current_week() == start.previous()
    window.today_action.trigger()
    assert window.current_week() == start
    assert window.previous_action.shortcut().toString() == "Ctrl+Left"
    assert window.next_action.shortcut().toString() == "Ctrl+Right"
    assert window.today_action.shortcut().toString() == "Ctrl+T"
    window.date_picker.setDate(window.date_picker.date().addDays(30))
    assert window.current_week() == Week.containing(dt.date(2026, 12, 16))
    assert window.week_view.week == window.current_week()


def test_shortcut_keys_navigate(window, qtbot):
    window.show()
    qtbot.waitExposed(window)
    window.windowHandle().requestActivate()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    window.week_view.setFocus()
    start = window.current_week()
    qtbot.keyClick(window.week_view, Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier)
    assert window.current_week() == start.next()
    qtbot.keyClick(window.week_view, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    assert window.current_week() == start
    qtbot.keyClick(window.week_view, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentIndex() == LIST_PAGE
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentIndex() == WEEK_PAGE


def test_select_entry_goes_to_its_week(window, make_entry, qtbot):
    saved = window.save_new(make_entry("COAP", "2026-12-02 10:00", 60, crn="X123456"))
    window.select_entry(saved.id)
    assert window.current_week() == Week(dt.date(2026, 11, 30))
    assert window.selected_entry_ids() == [saved.id]


def test_list_view_selection_and_people_filter(window, make_entry, qtbot):
    a = window.save_new(make_entry("COAP", "2026-11-18 10:00", 60, crn="X123456", outcome_code="ATTC"))
    window.save_new(make_entry("COAP", "2026-11-18 12:00", 60, crn="X654321", outcome_code="ATTC"))
    window.show_page(PEOPLE_PAGE)
    people = window.people_panel.model
    qtbot.waitUntil(lambda: people.rowCount() == 2)
    row = [r.crn for r in people.rows].index("X123456")
    window.people_panel.view.activated.emit(people.index(row, 0))
    assert window.stack.currentIndex() == LIST_PAGE
    model = window.list_panel.model
    assert model.rowCount() == 1 and model.entry_id(0) == a.id
    window.list_panel.view.selectRow(0)
    assert window.selected_entry_ids() == [a.id]


def test_outstanding_item_lists_contacts_not_in_delius(window, make_entry, qtbot):
    window.save_new(make_entry("COAP", "2026-11-18 10:00", 60, crn="X123456", outcome_code="ATTC"))
    window.save_new(make_entry("Team meeting", "2026-11-18 12:00", 60))
    qtbot.waitUntil(lambda: any("Delius" in t for t, _ in window.summary.items()))
    window.summary.delius_outstanding_clicked.emit()
    assert window.stack.currentIndex() == LIST_PAGE
    assert window.list_panel.model.rowCount() == 1


def test_layout_is_remembered(qtbot, diary):
    diary.set_settings({"contracted_hours": "37"})
    first = MainWindow(diary)
    qtbot.addWidget(first)
    first.resize(1000, 700)
    first.show_page(LIST_PAGE)
    first.close()
    assert QSettings("Probation Diary", "Probation Diary").value("window/geometry") is not None
    second = MainWindow(diary)
    qtbot.addWidget(second)
    assert second.stack.currentIndex() == LIST_PAGE
    assert not diary.has_setting("window/geometry")  # QSettings only, never the diary


def test_first_run_offers_the_first_run_screen(qtbot, diary, fake_dialogs):
    win = MainWindow(diary)
    qtbot.addWidget(win)
    shown = win.maybe_first_run()
    assert shown and fake_dialogs.executed
    diary.set_settings({"contracted_hours": "30"})
    fake_dialogs.executed.clear()
    assert not win.maybe_first_run() and not fake_dialogs.executed


def test_every_control_has_an_accessible_name(window):
    from PySide6.QtWidgets import QAbstractButton, QAbstractItemView, QComboBox, QLineEdit, QDateEdit, QHeaderView

    window.show()
    missing = []
    for cls in (QAbstractButton, QAbstractItemView, QComboBox, QLineEdit, QDateEdit):
        for w in window.findChildren(cls):
            if not w.isVisibleTo(window) or w.parent() is None or isinstance(w, QHeaderView):
                continue
            if isinstance(w, QLineEdit) and isinstance(w.parent(), (QComboBox, QDateEdit)):
                continue
            name = w.accessibleName() or (w.text() if isinstance(w, QAbstractButton) else "")
            if not name.strip() and not (isinstance(w, QAbstractButton) and w.toolTip()):
                missing.append(f"{type(w).__name__} {w.objectName()}")
            if w.focusPolicy() == Qt.FocusPolicy.NoFocus and not isinstance(w, QAbstractButton):
                missing.append(f"unfocusable {type(w).__name__}")
    assert missing == []


def test_one_write_per_save(window, make_entry):
    """Pushing a command must not redo it a second time."""
    calls = []
    window.diary.listeners.append(calls.append)
    saved = window.save_new(make_entry("Team meeting", "2026-11-19 09:00", 60))
    assert calls == ["entries"]
    window.save_edit(saved.with_changes(notes="agenda"))
    assert calls == ["entries", "entries"]
    assert len(window.diary.history(saved.id)) == 1
    window.undo_action.trigger()
    window.redo_action.trigger()
    assert window.diary.get_entry(saved.id).notes == "agenda"


def test_timer_shows_in_status_bar_and_saves_through_the_stack(window):
    if window.timer is None:
        return
    window.timer.crn_edit.setText("X123456")
    window.timer_start_action.trigger()
    assert window.timer.running and window.status_timer.text()
    window.timer_stop_action.trigger()
    assert not window.timer.running and window.status_timer.text() == ""
    assert window.undo_stack.count() == 1
    saved = [e for e in window.diary.all_entries()]
    assert len(saved) == 1 and saved[0].crn == "X123456"
    window.undo_action.trigger()
    assert list(window.diary.all_entries()) == []


def test_quick_entry_saves_through_the_stack(window, qtbot):
    if window.quick_entry is None:
        return
    line = window.quick_entry.line
    qtbot.keyClicks(line, "CHVS X123456 14:00-15:10 discussed housing")
    qtbot.keyClick(line, Qt.Key.Key_Return)
    saved = list(window.diary.all_entries())
    assert len(saved) == 1 and saved[0].crn == "X123456" and saved[0].minutes == 70
    assert window.undo_stack.count() == 1
    qtbot.keyClicks(line, "nonsense words only")
    qtbot.keyClick(line, Qt.Key.Key_Return)
    assert window.undo_stack.count() == 1  # rejected: nothing saved
    window.undo_action.trigger()
    assert list(window.diary.all_entries()) == []


def test_ctrl_y_redoes_as_well_as_ctrl_shift_z(window, make_entry, qtbot, activate):
    from PySide6.QtCore import Qt


    activate(window)
    saved = window.save_new(make_entry("Travel", "2026-11-16 09:00", 30))
    window.week_view.setFocus()
    for redo in (Qt.KeyboardModifier.ControlModifier,
                 Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier):
        qtbot.keyClick(window.week_view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
        assert window.diary.get_entry(saved.id) is None
        key = Qt.Key.Key_Y if redo == Qt.KeyboardModifier.ControlModifier else Qt.Key.Key_Z
        qtbot.keyClick(window.week_view, key, redo)
        assert window.diary.get_entry(saved.id) is not None


def test_after_a_delete_the_next_entry_is_selected(window, make_entry, qtbot, activate):
    """In the week and in the list: Delete again (or Edit) works from the keyboard at once."""

    from probation_diary.ui.mainwindow import LIST_PAGE

    activate(window)
    ids = [window.save_new(make_entry("Travel", f"2026-11-1{6 + i} 09:00", 30)).id for i in range(3)]
    qtbot.waitUntil(lambda: window.selected_entry_ids() == [ids[-1]])  # each save selects what it saved
    window.select_entry(ids[0])
    qtbot.waitUntil(lambda: window.selected_entry_ids() == [ids[0]])
    assert window.delete_entries([ids[0]])
    qtbot.waitUntil(lambda: window.selected_entry_ids() == [ids[1]])
    assert window.delete_action.isEnabled()
    window.undo_stack.undo()
    window.select_entry(ids[2])  # the last: the one before it is selected
    qtbot.waitUntil(lambda: window.selected_entry_ids() == [ids[2]])
    window.delete_entries([ids[2]])
    qtbot.waitUntil(lambda: window.selected_entry_ids() == [ids[1]])
    window.undo_stack.undo()
    # the list: the row below, in the list's own order
    window.show_page(LIST_PAGE)
    model = window.list_panel.model
    qtbot.waitUntil(lambda: model.rowCount() == 3)
    order = [model.entry_id(r) for r in range(3)]
    assert window._neighbour([order[0]]) == order[1]
    assert window._neighbour([order[1], order[2]]) == order[0]


def test_an_entry_the_diary_refuses_brings_the_editor_back_with_it(window, fake_dialogs, monkeypatch):
    """Save in the editor, and the diary cannot take it (read-only, full disk): the message
    says so and the editor comes back with everything typed, to try again or cancel."""
    from probation_diary.core.validation import EntryDraft
    from probation_diary.store.diary import DiaryError

    real = window.diary.add_entry

    def refuse(*args, **kwargs):
        raise DiaryError("the disk is full, so nothing was saved")

    seen = []

    def first(editor):
        editor.load_draft(EntryDraft(type="Recording on Delius", start_date="2026-11-19", start_time="10:00",
                                     end_time="10:30", notes="wrote up the home visit"))
        editor.save()
        return int(editor.result())

    def again(editor):
        seen.append(editor.draft().notes)
        monkeypatch.setattr(window.diary, "add_entry", real)
        editor.save()
        return int(editor.result())

    monkeypatch.setattr(window.diary, "add_entry", refuse)
    fake_dialogs.handlers = [first, again]
    saved = window.new_entry("admin")
    assert "disk is full" in fake_dialogs.errors[-1]
    assert seen == ["wrote up the home visit"]
    assert saved is not None and window.diary.get_entry(saved.id).notes == "wrote up the home visit"
