"""Issue 15 item 10: the reminder to log, with a stand-in tray (no real desktop needed)."""

from __future__ import annotations

import datetime as dt

from probation_diary.core import clock
from probation_diary.ui.reminder.actions import LogReminder


class FakeTray:
    def __init__(self, window):
        self.messages: list[tuple[str, str]] = []
        self.tooltip = ""
        self.menu = None
        self.visible = False

    def setContextMenu(self, menu):  # noqa: N802
        self.menu = menu

    def setToolTip(self, text):  # noqa: N802
        self.tooltip = text

    def show(self):
        self.visible = True

    def showMessage(self, title, text, *args):  # noqa: N802
        self.messages.append((title, text))


def at(text):
    return clock.local_to_utc(clock.parse_local_datetime(text)).instant


def test_reminder_names_only_the_unlogged_time_once_a_day(window, make_entry):
    window.diary.add_entry(make_entry("COAP", "2026-11-20 09:00", 120, crn="X123456", outcome_code="ATTC",
                                      notes="private words"))
    window.diary.save_person("X123456", "Jo Bloggs")
    times = iter([at("2026-11-20 16:29"), at("2026-11-20 16:30"), at("2026-11-20 16:45")])
    reminder = LogReminder(window, make_tray=FakeTray, now=lambda: next(times))
    tray = reminder.tray
    assert tray.visible and [a.text() for a in tray.menu.actions()][:2] == ["No timer running", "Quick entry…"]
    assert reminder.check() is None  # 16:29: not yet
    text = reminder.check()
    assert text.startswith("5 h 24 min of today is not logged yet")  # 7 h 24 min a day, 2 h logged
    assert tray.messages == [("Probation Diary", text)]
    for secret in ("X123456", "Bloggs", "private", "COAP"):
        assert secret not in text
    assert reminder.check() is None  # once a day
    assert len(tray.messages) == 1


def test_nothing_while_locked_and_off_switch(window, make_entry):
    reminder = LogReminder(window, make_tray=FakeTray, now=lambda: at("2026-11-20 16:40"))
    window.security.lock()
    assert reminder.check() is None and reminder.tray.messages == []
    window.security.unlock()
    assert reminder.check() is not None  # still due after unlocking
    window.diary.set_setting("reminder", "off")
    reminder.last_shown = None
    assert reminder.check() is None


def test_nothing_on_a_day_off_or_when_the_day_is_logged(window, make_entry):
    reminder = LogReminder(window, make_tray=FakeTray, now=lambda: at("2026-11-21 16:40"))  # Saturday
    assert reminder.check() is None
    window.diary.add_entry(make_entry("Team meeting", "2026-11-20 09:00", 8 * 60))
    reminder.now = lambda: at("2026-11-20 16:40")
    assert reminder.check() is None


def test_tray_shows_the_running_timer_without_its_crn_and_quick_entry(window, qtbot):
    reminder = LogReminder(window, make_tray=FakeTray, now=lambda: at("2026-11-20 16:00"))
    timer = window.timer
    timer.crn_edit.setText("X123456")
    timer.start()
    assert timer.running
    assert reminder.tray.tooltip.startswith("Probation Diary – Timer: CTOB")
    assert "X123456" not in reminder.tray.tooltip and "X123456" not in reminder.timer_item.text()
    window.security.lock()
    reminder.update_timer()
    assert "CTOB" not in reminder.tray.tooltip  # nothing while locked
    window.security.unlock()
    window.show()
    qtbot.waitExposed(window)
    reminder.quick_item.trigger()
    qtbot.waitUntil(lambda: window.quick_entry.line.hasFocus())
    timer._clear()


def test_installed_on_the_window(window):
    assert isinstance(window.reminder, LogReminder)
    assert "reminder" not in window.install_errors
    assert dt.time(16, 30) == window.diary.settings().reminder
