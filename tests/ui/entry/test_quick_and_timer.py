"""The quick-entry box and the timer, through their real widgets; the clock is injected."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt

from probation_diary.core import clock
from probation_diary.core.quickentry import QUICK_SYNTAX_HELP
from probation_diary.ui.entry.quick import QuickEntryBox
from probation_diary.ui.entry.timer import TimerWidget


def local(instant):
    return clock.to_local(instant).strftime("%Y-%m-%d %H:%M")


class FakeClock:
    def __init__(self, local_text: str):
        self.t = clock.local_to_utc(clock.parse_local_datetime(local_text)).instant

    def __call__(self):
        return self.t

    def advance(self, **kw):
        self.t += dt.timedelta(**kw)


def test_quick_entry_preview_and_enter(qtbot, diary):
    box = QuickEntryBox(diary)
    qtbot.addWidget(box)
    box.show()
    assert box.line.toolTip() == QUICK_SYNTAX_HELP
    qtbot.keyClicks(box.line, "CHVS X123456 14:00-15:10 discussed housing")
    assert box.preview.text().startswith("Will save: Fri 20 Nov 14:00–15:10")
    with qtbot.waitSignal(box.entry_ready) as blocker:
        qtbot.keyClick(box.line, Qt.Key.Key_Return)
    entry = blocker.args[0]
    assert entry.id is None and diary.count_entries() == 0
    assert (entry.crn, entry.notes) == ("X123456", "discussed housing")
    assert (local(entry.start), local(entry.end)) == ("2026-11-20 14:00", "2026-11-20 15:10")
    assert box.line.text() == ""


def test_quick_entry_duration_ends_now(qtbot, diary):
    box = QuickEntryBox(diary, now=FakeClock("2026-11-18 11:07"))
    qtbot.addWidget(box)
    qtbot.keyClicks(box.line, "admin 30m Delius recording")
    with qtbot.waitSignal(box.entry_ready) as blocker:
        box.line.returnPressed.emit()
    assert (local(blocker.args[0].start), local(blocker.args[0].end)) == ("2026-11-18 10:37", "2026-11-18 11:07")


def test_quick_entry_rejected_shows_the_error(qtbot, diary):
    box = QuickEntryBox(diary)
    qtbot.addWidget(box)
    box.show()
    qtbot.keyClicks(box.line, "CHVS 14:00-15:10")
    assert box.preview.text().startswith("Not ready:")
    with qtbot.assertNotEmitted(box.entry_ready):
        qtbot.keyClick(box.line, Qt.Key.Key_Return)
    assert box.preview.text() == "Home visit to case (NS) is a contact with a person on probation: give their CRN."
    assert box.preview.property("error") is True
    assert box.line.text() == "CHVS 14:00-15:10"  # kept, to be corrected
    qtbot.keyClicks(box.line, " X123456")
    assert box.preview.text().startswith("Will save:")
    assert box.preview.property("error") is False


def test_quick_entry_escape_clears(qtbot, diary):
    box = QuickEntryBox(diary)
    qtbot.addWidget(box)
    qtbot.keyClicks(box.line, "admin")
    qtbot.keyClick(box.line, Qt.Key.Key_Escape)
    assert box.line.text() == "" and not box.preview.isVisibleTo(box)


def test_timer_start_and_stop(qtbot, diary):
    fake = FakeClock("2026-11-20 10:00")
    fake.advance(seconds=20)
    timer = TimerWidget(diary, now=fake)
    qtbot.addWidget(timer)
    timer.show()
    assert not timer.stop_button.isEnabled()
    qtbot.keyClicks(timer.crn_edit, "x123456")
    with qtbot.waitSignal(timer.running_text_changed) as blocker:
        qtbot.mouseClick(timer.start_button, Qt.MouseButton.LeftButton)
    assert blocker.args == ["CTOB X123456 0:00:00"]
    assert timer.running and timer.stop_button.isEnabled() and not timer.start_button.isEnabled()
    assert timer.ticker.isActive() and timer.ticker.interval() == 1000
    fake.advance(minutes=12, seconds=5)
    with qtbot.waitSignal(timer.running_text_changed) as blocker:
        timer.ticker.timeout.emit()
    assert blocker.args == ["CTOB X123456 0:12:05"]
    assert timer.running_label.text() == "CTOB X123456 0:12:05"
    fake.advance(minutes=30)
    with qtbot.waitSignal(timer.entry_ready) as got:
        qtbot.mouseClick(timer.stop_button, Qt.MouseButton.LeftButton)
    entry = got.args[0]
    assert (local(entry.start), local(entry.end)) == ("2026-11-20 10:00", "2026-11-20 10:42")
    assert entry.crn == "X123456" and entry.id is None
    assert diary.reference().types[entry.type_id].delius_code == "CTOB"
    assert not timer.running and not timer.ticker.isActive()
    assert timer.crn_edit.text() == "" and timer.start_button.isVisible() and not timer.stop_button.isVisible()
    assert timer.running_label.text() == ""
    assert diary.drafts() == [] and diary.count_entries() == 0


def test_timer_needs_a_crn_for_a_contact(qtbot, diary):
    timer = TimerWidget(diary, now=FakeClock("2026-11-20 10:00"))
    qtbot.addWidget(timer)
    timer.start()
    assert not timer.running
    assert "give their CRN" in timer.message.text()
    timer.type_combo.setCurrentIndex(timer.type_combo.findData("Recording on Delius"))
    timer.start()
    assert timer.running and timer.message.text() == ""


def test_timer_survives_a_restart(qtbot, diary):
    fake = FakeClock("2026-11-20 09:58")
    timer = TimerWidget(diary, now=fake)
    qtbot.addWidget(timer)
    timer.type_combo.setCurrentIndex(timer.type_combo.findData("Team meeting"))
    timer.start()
    timer.deleteLater()  # the app closes

    fake.advance(hours=1, minutes=2)
    again = TimerWidget(diary, now=fake)
    qtbot.addWidget(again)
    assert again.running
    assert again.running_label.text() == "Team meeting 1:02:00"
    with qtbot.waitSignal(again.entry_ready) as got:
        again.stop()
    assert (local(got.args[0].start), local(got.args[0].end)) == ("2026-11-20 09:58", "2026-11-20 11:00")


def test_timer_under_a_minute_counts_one_minute(qtbot, diary):
    fake = FakeClock("2026-11-20 10:00")
    timer = TimerWidget(diary, now=fake)
    qtbot.addWidget(timer)
    timer.crn_edit.setText("X123456")
    timer.start()
    fake.advance(seconds=40)
    with qtbot.waitSignal(timer.entry_ready) as got:
        timer.stop()
    assert got.args[0].minutes == 1


def test_timer_across_the_october_clock_change(qtbot, diary):
    fake = FakeClock("2026-10-25 00:50")
    timer = TimerWidget(diary, now=fake)
    qtbot.addWidget(timer)
    timer.type_combo.setCurrentIndex(timer.type_combo.findData("Other admin"))
    timer.start()
    fake.advance(minutes=90)  # 01:20 GMT, after the clocks went back
    with qtbot.waitSignal(timer.entry_ready) as got:
        timer.stop()
    assert got.args[0].minutes == 90


def test_timer_discard_asks_first(qtbot, diary, fake_dialogs):
    fake = FakeClock("2026-11-20 10:00")
    timer = TimerWidget(diary, now=fake)
    qtbot.addWidget(timer)
    timer.show()
    timer.crn_edit.setText("X123456")
    timer.start()
    assert timer.discard_button.isVisible()
    fake_dialogs.confirm = False
    timer.discard()
    assert timer.running
    fake_dialogs.confirm = True
    with qtbot.assertNotEmitted(timer.entry_ready):
        qtbot.mouseClick(timer.discard_button, Qt.MouseButton.LeftButton)
    assert not timer.running and diary.drafts() == []
    assert len(fake_dialogs.questions) == 2


def test_timer_over_a_day_is_refused_but_can_be_discarded(qtbot, diary, fake_dialogs):
    fake = FakeClock("2026-11-20 10:00")
    timer = TimerWidget(diary, now=fake)
    qtbot.addWidget(timer)
    timer.crn_edit.setText("X123456")
    timer.start()
    fake.advance(hours=30)
    with qtbot.assertNotEmitted(timer.entry_ready):
        timer.stop()
    assert "at most 24 hours" in timer.message.text()
    assert timer.running
    timer.discard()
    assert not timer.running and timer.message.text() == ""


def test_quick_entry_label_buddy_reaches_the_line(qtbot, diary):
    box = QuickEntryBox(diary)
    qtbot.addWidget(box)
    assert box.focusProxy() is box.line


def test_ctrl_z_after_a_quick_entry_undoes_the_save_not_the_typing(window, qtbot, activate):
    """After Enter saved a quick entry, Ctrl+Z in the (now empty) line undoes the save; it
    used to bring the saved line back, ready to be saved a second time with Enter."""
    from PySide6.QtCore import Qt

    activate(window)
    line = window.quick_entry.line
    line.setFocus()
    qtbot.keyClicks(line, "admin 09:00-09:30 mon recording")
    qtbot.keyClick(line, Qt.Key.Key_Return)
    saved = window.undo_stack.count()
    assert saved == 1 and line.text() == ""
    qtbot.keyClick(line, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert line.text() == ""
    assert window.undo_stack.index() == 0  # the save was undone
    # while there is typing, Ctrl+Z undoes the typing, as in any text box
    qtbot.keyClicks(line, "trav")
    qtbot.keyClick(line, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert line.text() == "" and window.undo_stack.index() == 0


def test_a_quick_entry_or_timed_contact_that_cannot_be_saved_is_not_lost(window, qtbot, monkeypatch,
                                                                          fake_dialogs):
    """A save that fails (a read-only or full disk, say) is said, and the typed line comes back
    and the timer runs on from its start, so nothing the user did is lost."""
    from PySide6.QtCore import Qt

    from probation_diary.store.diary import DiaryError

    def refuse(*args, **kwargs):
        raise DiaryError("the diary file is read-only, so nothing was saved")

    timer, line, real = window.timer, window.quick_entry.line, window.diary.add_entry
    timer.crn_edit.setText("X123456")
    timer.start()  # (starting writes a draft: before saves are refused)
    assert timer.running
    started = timer.started
    monkeypatch.setattr(window.diary, "add_entry", refuse)

    qtbot.keyClicks(line, "admin 09:00-09:30 mon recording")
    qtbot.keyClick(line, Qt.Key.Key_Return)
    assert "read-only" in fake_dialogs.errors[-1]
    assert line.text() == "admin 09:00-09:30 mon recording"
    timer.stop()
    assert timer.running and timer.started == started  # Stop can be pressed again
    assert window.diary.count_entries() == 0

    monkeypatch.setattr(window.diary, "add_entry", real)
    timer.stop()
    assert not timer.running and window.diary.count_entries() == 1
