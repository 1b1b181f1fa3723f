"""Fixtures for the calendar UI: no real modal dialog or file chooser ever runs."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QDialog, QMainWindow, QMenu, QToolBar  # noqa: E402
from PySide6.QtGui import QUndoStack  # noqa: E402

from probation_diary.core import clock  # noqa: E402
from probation_diary.core.clock import Week  # noqa: E402
from probation_diary.ui import dialogs  # noqa: E402


class FakeDialogs:
    def __init__(self):
        self.errors: list[str] = []
        self.infos: list[str] = []
        self.executed: list[QDialog] = []
        self.handlers = []  # fn(dialog) -> int, used in turn
        self.open_file = None
        self.save_file = None

    def exec_dialog(self, dialog):
        self.executed.append(dialog)
        if not self.handlers:
            return int(QDialog.DialogCode.Rejected)
        return self.handlers.pop(0)(dialog)


@pytest.fixture(autouse=True)
def fake_dialogs(monkeypatch):
    fake = FakeDialogs()
    monkeypatch.setattr(dialogs, "exec_dialog", fake.exec_dialog)
    monkeypatch.setattr(dialogs, "show_error", lambda parent, text, **kw: fake.errors.append(text))
    monkeypatch.setattr(dialogs, "show_info", lambda parent, text, **kw: fake.infos.append(text))
    monkeypatch.setattr(dialogs, "ask_confirmation", lambda *a, **k: True)
    monkeypatch.setattr(dialogs, "choose_open_file", lambda *a, **k: fake.open_file)
    monkeypatch.setattr(dialogs, "choose_save_file", lambda *a, **k: fake.save_file)
    return fake


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
