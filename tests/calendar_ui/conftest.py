"""Fixtures for the calendar UI: no real modal dialog or file chooser ever runs."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QMainWindow, QToolBar  # noqa: E402
from PySide6.QtGui import QUndoStack  # noqa: E402

from probation_diary.core import clock  # noqa: E402
from probation_diary.core.clock import Week  # noqa: E402
from fake_dialogs import FakeDialogs  # noqa: E402


@pytest.fixture(autouse=True)
def fake_dialogs(monkeypatch):
    return FakeDialogs().install(monkeypatch)


@pytest.fixture(autouse=True)
def _now(fixed_now):
    return fixed_now("2026-10-01 09:00")


class StandInWindow(QMainWindow):
    """The main-window contract (docs/HELPERS.md), nothing more."""

    def __init__(self, diary):
        super().__init__()
        self.diary = diary
        self.undo_stack = QUndoStack(self)
        self.menus = {}
        bar = self.menuBar()
        for key in ("file", "edit", "view", "entry", "reports", "help"):
            self.menus[key] = bar.addMenu(key.title())
        self.toolbar = QToolBar(self)
        self.refreshed = 0

    def current_week(self):
        return Week.containing(clock.today_local())

    def select_entry(self, entry_id):
        pass

    def selected_entry_ids(self):
        return []

    def refresh(self):
        self.refreshed += 1

    def open_editor(self, entry_id):
        pass


@pytest.fixture
def stand_in(qtbot, diary):
    win = StandInWindow(diary)
    qtbot.addWidget(win)
    return win
