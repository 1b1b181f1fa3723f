"""Keying mode (issue 17): the week's contacts one card at a time, field by field onto the
clipboard, marked entered as the user goes, and no file at all."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from probation_diary.cli import delius as delius_io
from probation_diary.core.model import ENTERED, EXPORTED, NOT_EXPORTED
from probation_diary.formats import delius
from probation_diary.ui.delius import keying as keying_mod
from probation_diary.ui.delius.dialog import KEYING_NOTE, DeliusExportDialog
from probation_diary.ui.delius.hotkey import GlobalKey
from delius_support import add, set_codes

MON, SUN = dt.date(2026, 11, 16), dt.date(2026, 11, 22)
CTRL_ALT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
# The Add Contact screen's fields, in order (spec/delius-export.md, "Columns")
SPEC_FIELDS = [
    "CRN", "Contact Date", "Relates To", "Contact Type Code", "Contact Type", "Provider", "Team",
    "Alert", "Location", "Start Time", "End Time", "Outcome Code", "Outcome", "Enforcement Action",
    "Officer", "Sensitive", "RAR Activity", "Notes", "Diary Reference",
]


@pytest.fixture
def week(diary):
    set_codes(diary, office_location="N07HO1")
    diary.save_person("X123456", "Sam Example")
    first = add(diary, "COAP", "2026-11-16 09:05", "2026-11-16 10:00", outcome="ATTC",
                notes="Discussed housing, work\nand \"next steps\"", location="N07HO1", event="2",
                sensitive=True)
    second = add(diary, "CTOB", "2026-11-17 14:00", "2026-11-17 14:10", crn="A000001",
                 notes="-phoned, no answer")
    bad = add(diary, "COAP", "2026-11-18 10:00", "2026-11-18 10:30", crn="B000002")  # past, no outcome
    third = add(diary, "CHVS", "2026-11-19 11:00", "2026-11-19 12:00", outcome="ATTC")
    travel = add(diary, "Travel", "2026-11-18 11:00", "2026-11-18 12:00", crn="")
    return dict(first=first, second=second, bad=bad, third=third, travel=travel)


@pytest.fixture
def keying(qtbot, window, week):
    win = window.delius_actions.key_into_delius(MON, SUN)
    qtbot.waitExposed(win)
    return win


def clipboard() -> str:
    return QGuiApplication.clipboard().text()


def press_copy_key(qtbot, win):
    qtbot.keyClick(win.card, Qt.Key.Key_V, CTRL_ALT)


def activate(qtbot, win):
    win.activateWindow()
    win.card.setFocus()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is win)


def test_menu_and_dialog_open_keying_mode(qtbot, window, week):
    action = window.delius_actions.keying_action
    assert action in window.menus["entry"].actions()
    assert action.shortcut().toString() == "Ctrl+Shift+I"
    action.trigger()
    win = window.delius_actions.keying
    assert win.isVisible() and win.windowTitle() == "Key into Delius"
    assert win.windowFlags() & Qt.WindowType.WindowStaysOnTopHint
    win.close()
    dialog = DeliusExportDialog(window.diary, MON, SUN, open_keying=window.delius_actions.key_into_delius)
    qtbot.addWidget(dialog)
    assert KEYING_NOTE in [lbl.text() for lbl in dialog.findChildren(type(dialog.summary_label))]
    assert "needs no file" in KEYING_NOTE
    dialog.from_edit.setDate(dialog.from_edit.date().addDays(1))
    dialog.keying_button.click()
    assert win.isVisible() and (win.first, win.last) == (MON + dt.timedelta(days=1), SUN)
    assert not dialog.isVisible()


def test_cards_come_in_export_order_with_the_exported_values(keying, week, diary):
    export = delius_io.plan_export(diary, MON, SUN)
    cards = keying.cards
    # every contact not yet entered, grouped by person as the export is; the blocked one too
    assert [c.entry_id for c in cards] == [week[k].id for k in ("second", "bad", "first", "third")]
    assert [c.entry_id for c in cards if c.ok] == export.entry_ids
    for card, row in zip([c for c in cards if c.ok], export.rows):
        assert delius.protect_row(list(card.values)) == row  # the same cells the CSV writes
    assert [r.header for r in keying.rows] == SPEC_FIELDS == list(delius.HEADERS)
    # the first card on screen is the first row of the export, field by field
    assert keying.current_id == week["second"].id
    assert [r.text() for r in keying.rows] == list(cards[0].values)
    assert cards[0].field("Notes") == "-phoned, no answer"  # what Delius takes; the CSV has '-phoned…
    assert export.rows[0][17] == "'-phoned, no answer"
    assert "4 still to enter: contact 1 " in keying.position_label.text()
    assert "person 1 of 3" in keying.position_label.text()


def test_copy_key_walks_the_fields_and_puts_exactly_the_exported_text(qtbot, keying, week, diary):
    activate(qtbot, keying)
    keying.skip(), keying.skip()  # to Sam's office visit, with a note over two lines
    assert keying.current_id == week["first"].id
    expected = list(keying.current.values)
    assert expected[:3] == ["X123456", "16/11/2026", "Event 2"]
    assert expected[8] == "N07HO1" and expected[15] == "Y"
    assert keying.person_label.text() == "X123456  Sam Example"
    for i, value in enumerate(expected):
        assert keying.rows[i].property("current") is True
        press_copy_key(qtbot, keying)
        assert clipboard() == value
        assert keying.field == i + 1
    assert clipboard() == week["first"].ref
    notes = QGuiApplication.clipboard()
    keying.copy_field(17)
    assert notes.text() == "Discussed housing, work\nand \"next steps\""  # whole, newlines kept
    assert notes.mimeData().data("x-kde-passwordManagerHint").data() == b"secret"
    assert keying.rows[18].property("current") is True


def test_entered_next_marks_and_undo_unmarks(qtbot, window, keying, week, diary):
    activate(qtbot, keying)
    first_id = keying.current_id
    press_copy_key(qtbot, keying)  # the CRN
    qtbot.keyClick(keying.card, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert diary.get_entry(first_id).delius_status == ENTERED
    assert keying.current_id == week["bad"].id  # the next one
    assert window.undo_stack.canUndo()
    assert window.undo_stack.undoText() == "Mark as entered in Delius"
    keying.undo_button.click()
    assert diary.get_entry(first_id).delius_status == NOT_EXPORTED
    assert keying.current_id == first_id  # back to it
    window.undo_stack.redo()
    assert diary.get_entry(first_id).delius_status == ENTERED
    window.undo_stack.undo()  # the main window's undo works too
    assert diary.get_entry(first_id).delius_status == NOT_EXPORTED


def test_a_contact_delius_would_refuse_shows_why_and_cannot_be_keyed(qtbot, window, keying, week, diary):
    keying.skip()
    assert keying.current_id == week["bad"].id
    assert keying.problems_box.isVisible()
    assert "a past appointment needs an outcome" in keying.problems_label.text()
    assert not keying.copy_next_button.isEnabled() and not keying.entered_button.isEnabled()
    assert keying.copy_next() is False and keying.entered_next() is False
    assert diary.get_entry(week["bad"].id).delius_status == NOT_EXPORTED

    seen = []

    def fix(entry_id):
        seen.append(keying.isVisible())  # out of the editor's way: it stays on top
        diary.update_entry(diary.get_entry(entry_id).with_changes(outcome_code="ATTC"))

    keying.open_entry = fix
    keying.fix_button.click()
    assert seen == [False] and keying.isVisible()
    assert keying.current_id == week["bad"].id and keying.current.ok
    assert not keying.problems_box.isVisible() and keying.copy_next_button.isEnabled()
    # the others are still fine: a contact with no problems shows none
    keying.skip()
    assert not keying.problems_box.isVisible()


def test_missing_codes_stop_every_card(qtbot, window, week, diary):
    diary.set_settings({"staff_code": ""})
    win = window.delius_actions.key_into_delius(MON, SUN)
    assert all(not c.ok for c in win.cards)
    assert "your staff (officer) code is not set" in win.problems_label.text()


def test_moving_on_clears_a_crn_or_note_but_leaves_the_users_own_copy(qtbot, keying, week):
    activate(qtbot, keying)
    press_copy_key(qtbot, keying)
    assert clipboard() == "A000001"
    keying.skip()
    assert clipboard() == ""
    keying.skip()  # past the one Delius would refuse
    keying.copy_field(17)  # a note
    assert keying.clipboard.holds_ours()
    keying.entered_next()
    assert clipboard() == ""
    keying.copy_field(0)
    QGuiApplication.clipboard().setText("something the user copied")
    keying.skip()
    assert clipboard() == "something the user copied"


def test_locking_clears_the_clipboard_and_hides_the_card(qtbot, window, keying):
    keying.copy_field(0)
    assert clipboard() == "A000001"
    window.security.lock()
    assert clipboard() == ""
    assert not keying.card.isVisible()
    assert keying.locked_page.isVisible()
    assert not any(r.value.isVisible() for r in keying.rows)
    assert keying.position_label.text() == ""
    assert keying.copy_next() is False and keying.entered_next() is False
    assert clipboard() == ""
    window.security.unlock()
    assert keying.card.isVisible() and keying.current_id is not None


def test_closing_clears_the_clipboard(qtbot, window, keying):
    keying.copy_field(17)
    assert clipboard() == "-phoned, no answer"
    keying.close()
    assert clipboard() == ""
    again = window.delius_actions.key_into_delius(MON, SUN)
    assert again is keying
    keying.copy_field(0)
    window.close()  # the app closing
    assert clipboard() == ""
    assert not keying.isVisible()


def test_quitting_clears_the_clipboard(qtbot, keying):
    keying.copy_field(0)
    QApplication.instance().aboutToQuit.emit()
    assert clipboard() == ""


def test_the_window_title_never_names_anyone(keying):
    for _ in range(4):
        assert keying.windowTitle() == "Key into Delius"
        keying.skip()


def test_all_entered_says_so(qtbot, keying, week, diary):
    assert keying.entered_next()
    assert keying.current_id == week["bad"].id  # Delius would refuse it
    keying.skip()
    assert keying.entered_next() and keying.entered_next()
    assert keying.done_page.isVisible() and "1 contact skipped" in keying.done_label.text()
    keying.again_button.click()
    assert keying.current_id == week["bad"].id
    diary.set_delius_status([week["bad"].id], ENTERED)
    assert keying.done_page.isVisible()
    assert "Every contact from 16/11/2026 to 22/11/2026 is entered" in keying.done_label.text()


def test_exported_and_changed_contacts_are_still_to_key(qtbot, window, week, diary):
    diary.set_delius_status([week["first"].id], EXPORTED, file="x.csv", when=dt.datetime.now(dt.timezone.utc))
    diary.set_delius_status([week["second"].id], ENTERED)
    win = window.delius_actions.key_into_delius(MON, SUN)
    assert [c.entry_id for c in win.cards] == [week["bad"].id, week["first"].id, week["third"].id]


class FakeKey(GlobalKey):
    def __init__(self, consumes):
        super().__init__()
        self.started = 0
        self._consumes = consumes

    def start(self):
        self.started += 1
        self.active, self.consumes = True, self._consumes
        return True


def test_system_wide_key_copies_while_the_browser_has_the_focus(qtbot, window, week, diary):
    key = FakeKey(consumes=True)  # X11: the grab takes the key from every window
    win = keying_mod.KeyingWindow(window, MON, SUN, global_key=key)
    qtbot.addWidget(win)
    win.show()
    assert key.started == 1 and key.active
    key.pressed.emit()
    assert clipboard() == "A000001" and win.field == 1
    first = win.current_id
    key.entered.emit()  # Ctrl+Alt+Enter from the browser: entered, next
    assert diary.get_entry(first).delius_status == ENTERED and win.current_id != first
    assert clipboard() == ""
    win.system_wide.setChecked(False)  # the user turns it off: kept in the diary
    assert not key.active and diary.area_setting(keying_mod.SYSTEM_WIDE_KEY) == "off"
    win.close()
    again = keying_mod.KeyingWindow(window, MON, SUN, global_key=FakeKey(consumes=True))
    qtbot.addWidget(again)
    again.show()
    assert not again.system_wide.isChecked() and again.global_key.started == 0


def test_a_hook_that_does_not_take_the_key_leaves_it_to_the_window(qtbot, window, week, monkeypatch):
    key = FakeKey(consumes=False)  # Windows: both the hook and the window see the key
    win = keying_mod.KeyingWindow(window, MON, SUN, global_key=key)
    qtbot.addWidget(win)
    win.show()
    monkeypatch.setattr(QApplication, "activeWindow", staticmethod(lambda: win))
    key.pressed.emit()
    assert win.field == 0  # the window's own shortcut copies; not twice
    monkeypatch.setattr(QApplication, "activeWindow", staticmethod(lambda: None))
    key.pressed.emit()
    assert win.field == 1


def test_the_real_key_degrades_without_a_display():
    key = GlobalKey()
    assert key.start() is False  # offscreen
    assert "not available" in key.reason
    key.stop()
    assert not key.active
