"""Fixtures for the Delius export UI: no real modal dialog or file chooser ever runs."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtGui import QUndoStack  # noqa: E402
from PySide6.QtWidgets import QMainWindow, QToolBar  # noqa: E402

from probation_diary.core import clock  # noqa: E402
from probation_diary.core.clock import Week  # noqa: E402
from fake_dialogs import FakeDialogs  # noqa: E402


@pytest.fixture(autouse=True)
def fake_dialogs(monkeypatch):
    return FakeDialogs().install(monkeypatch)


@pytest.fixture(autouse=True)
def _now(fixed_now):
    return fixed_now("2026-11-20 17:00")  # Friday; the week is Mon 16 to Sun 22 November 2026


class StandInWindow(QMainWindow):
    """The main-window contract (docs/HELPERS.md), recording what the area asked of it."""

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
    win = StandInWindow(diary)
    qtbot.addWidget(win)
    return win
