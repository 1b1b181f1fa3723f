"""The reminder to log the day, and the tray icon (issue 15 item 10).

A tray icon (``QSystemTrayIcon``) shows the running timer (its type and time, never a CRN) and
offers "Quick entry…". At the time set in Settings (default 16:30) on a working day, if today
has unlogged time, it shows one notification naming only that time. Nothing is shown while the
diary is locked. Where the desktop has no tray, the reminder goes to the status bar.

The rules are in ``core.reminder``; the tray is made by ``make_tray`` (tests pass a stand-in)
and the check runs on a timer, or by calling ``check()``.
"""

from __future__ import annotations

import datetime as dt
from typing import Callable

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

from ...core import clock
from ...core.reminder import TITLE, reminder_due, reminder_text, unlogged_today
from ..entry.timer import format_elapsed
from .. import dialogs

CHECK_MS = 30_000


def system_tray(window):
    """The real tray icon, or None where the desktop has no tray."""
    if not QSystemTrayIcon.isSystemTrayAvailable():
        return None
    tray = QSystemTrayIcon(window.windowIcon(), window)
    return tray


class LogReminder(QObject):
    def __init__(self, window, *, make_tray: Callable = system_tray,
                 now: Callable[[], dt.datetime] = clock.now_utc):
        super().__init__(window)
        self.window = window
        self.now = now
        self.last_shown: dt.date | None = None
        self.shown: list[str] = []  # what was shown, for tests (only ever the unlogged time)
        self.tray = make_tray(window)
        self.menu = QMenu(window)
        self.timer_item = QAction("No timer running", self.menu)
        self.timer_item.setEnabled(False)
        self.quick_item = QAction("Quick entry…", self.menu)
        self.quick_item.triggered.connect(self.quick_entry)
        self.show_item = QAction("Show the diary", self.menu)
        self.show_item.triggered.connect(self.bring_forward)
        for a in (self.timer_item, self.quick_item, self.show_item):
            self.menu.addAction(a)
        if self.tray is not None:
            self.tray.setContextMenu(self.menu)
            self.tray.setToolTip(TITLE)
            self.tray.show()
        timer = getattr(window, "timer", None)
        if timer is not None:
            timer.running_text_changed.connect(lambda _t: self.update_timer())
        security = getattr(window, "security", None)
        if security is not None and hasattr(security, "lock_changed"):  # the tray goes blank at once
            security.lock_changed.connect(lambda _locked: self.update_timer())
        self.ticker = QTimer(self)
        self.ticker.setInterval(CHECK_MS)
        self.ticker.timeout.connect(self.check)
        self.ticker.start()
        self.update_timer()

    # -- state

    def locked(self) -> bool:
        security = getattr(self.window, "security", None)
        return bool(security is not None and security.locked)

    def timer_text(self) -> str:
        """The running timer without its CRN: the tray can be seen by anyone near the screen."""
        timer = getattr(self.window, "timer", None)
        if timer is None or not timer.running or self.locked():
            return ""
        elapsed = (timer.now() - timer.started).total_seconds()
        return f"Timer: {timer.running_type} {format_elapsed(elapsed)}"

    def update_timer(self) -> None:
        text = self.timer_text()
        self.timer_item.setText(text or ("Locked" if self.locked() else "No timer running"))
        if self.tray is not None:
            self.tray.setToolTip(f"{TITLE} – {text}" if text else TITLE)

    # -- the reminder

    def check(self) -> str | None:
        """Show the reminder if it is due now; returns what was shown."""
        self.update_timer()
        if self.locked():
            return None  # nothing while locked; it shows after unlocking if still due
        try:
            settings = self.window.diary.settings()
            now = self.now()
            today = clock.to_local(now).date()
            week = clock.Week.containing(today)
            unlogged = unlogged_today(self.window.diary.week_summary(week), today, settings)
        except Exception:  # noqa: BLE001 - a closed or failing diary: a reminder never breaks the window
            return None
        if not reminder_due(clock.to_local(now).replace(tzinfo=None), settings, unlogged, self.last_shown):
            return None
        self.last_shown = today
        text = reminder_text(unlogged)
        self.shown.append(text)
        if self.tray is not None:
            self.tray.showMessage(TITLE, text, QSystemTrayIcon.MessageIcon.Information, 15_000)
        else:
            self.window.statusBar().showMessage(text, 60_000)
        return text

    # -- the menu

    def bring_forward(self) -> None:
        dialogs.bring_forward(self.window)

    def quick_entry(self) -> None:
        self.bring_forward()
        if not self.locked() and hasattr(self.window, "focus_quick_entry"):
            self.window.focus_quick_entry()


def install(window) -> LogReminder:
    window.reminder = LogReminder(window)
    return window.reminder
