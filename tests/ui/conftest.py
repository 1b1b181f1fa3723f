"""Fixtures for the main window: no real modal dialog or file chooser can ever run."""

from __future__ import annotations

import datetime as dt
import os

import pytest

# The QApplication is made before function-scoped fixtures run: choose the platform now.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtGui import QUndoStack  # noqa: E402
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMessageBox, QToolBar  # noqa: E402

from probation_diary.core import clock  # noqa: E402
from probation_diary.core.clock import Week, local_to_utc, parse_local_datetime  # noqa: E402
from probation_diary.core.model import Entry  # noqa: E402
from fake_dialogs import FakeDialogs  # noqa: E402


@pytest.fixture(scope="session", autouse=True)
def _no_blocking_dialogs():
    """Session-wide: a stray static QMessageBox / QFileDialog returns at once instead of
    hanging the run, and is recorded so the test that caused it can fail."""
    mp = pytest.MonkeyPatch()
    shown: list[tuple[str, str]] = []

    def box(kind, answer):
        def fake(parent, title, text, *args, **kwargs):
            shown.append((kind, text))
            return answer
        return fake

    for kind, answer in (("critical", QMessageBox.StandardButton.Ok),
                         ("warning", QMessageBox.StandardButton.Ok),
                         ("information", QMessageBox.StandardButton.Ok),
                         ("question", QMessageBox.StandardButton.No)):
        mp.setattr(QMessageBox, kind, staticmethod(box(kind, answer)))
    for name in ("getSaveFileName", "getOpenFileName"):
        mp.setattr(QFileDialog, name, staticmethod(lambda *a, **k: ("", "")))
    mp.setattr(QFileDialog, "getExistingDirectory", staticmethod(lambda *a, **k: ""))
    yield shown
    mp.undo()


@pytest.fixture(autouse=True)
def fake_dialogs(monkeypatch):
    return FakeDialogs().install(monkeypatch)


@pytest.fixture(autouse=True)
def _short_unlock_delays(monkeypatch):
    """Growing delays after wrong passphrases, in 20 ms "seconds"."""
    from probation_diary.ui.security import unlock

    monkeypatch.setattr(unlock, "DELAY_UNIT_MS", 20)


@pytest.fixture(autouse=True)
def _fresh_window_settings():
    """Qt fixes the QSettings folder on first use in a process, so the per-test HOME does not
    isolate it: clear the window layout before and after each test instead."""
    from PySide6.QtCore import QSettings

    settings = QSettings("Probation Diary", "Probation Diary")
    settings.clear()
    yield
    settings.clear()
    settings.sync()


@pytest.fixture(autouse=True)
def now(fixed_now):
    """Friday 20 November 2026, 17:00 in London."""
    return fixed_now("2026-11-20 17:00")


def at(local: str) -> dt.datetime:
    return local_to_utc(parse_local_datetime(local)).instant


@pytest.fixture
def make_entry(diary):
    """An unsaved Entry: make_entry("COAP", "2026-11-18 10:00", 60, crn="X123456")."""
    ref = diary.reference()

    def make(type_text, start, minutes, **kw):
        atype = ref.find_type(type_text)
        begin = at(start)
        return Entry(type_id=atype.id, start=begin, end=begin + dt.timedelta(minutes=minutes), **kw)

    return make


@pytest.fixture
def activate(qtbot):
    """activate(win): shown, exposed and the active window (shortcuts reach only that one)."""
    from PySide6.QtWidgets import QApplication

    def run(win):
        win.show()
        qtbot.waitExposed(win)
        win.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is win)
        return win

    return run


@pytest.fixture
def window(qtbot, diary):
    from probation_diary.ui.mainwindow import MainWindow

    diary.set_settings({"contracted_hours": "37"})
    win = MainWindow(diary)
    qtbot.addWidget(win)
    win.resize(1280, 800)
    return win


class StandInWindow(QMainWindow):
    """The main-window contract (docs/HELPERS.md), recording what an area asked of it."""

    def __init__(self, diary):
        super().__init__()
        self.diary = diary
        self.undo_stack = QUndoStack(self)
        self.menus = {}
        bar = self.menuBar()
        for key in ("file", "edit", "view", "entry", "reports", "help"):
            self.menus[key] = bar.addMenu(key.title())
        self.toolbar = QToolBar(self)
        self.selected: list[int] = []
        self.refreshed = 0
        self.selected_calls: list[int] = []
        self.opened: list[int] = []
        self.on_open = None

    def current_week(self):
        return Week.containing(clock.today_local())

    def select_entry(self, entry_id):
        self.selected_calls.append(entry_id)

    def selected_entry_ids(self):
        return list(self.selected)

    def refresh(self):
        self.refreshed += 1

    def open_editor(self, entry_id):
        self.opened.append(entry_id)
        if self.on_open:
            self.on_open(entry_id)


@pytest.fixture
def stand_in(qtbot, diary):
    """An area installed on a bare window, without the real main window."""
    win = StandInWindow(diary)
    qtbot.addWidget(win)
    return win
