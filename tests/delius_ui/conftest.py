"""Fixtures for the Delius export UI: no real modal dialog or file chooser ever runs."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtGui import QUndoStack  # noqa: E402
from PySide6.QtWidgets import QDialog, QMainWindow, QToolBar  # noqa: E402

from probation_diary.core import clock  # noqa: E402
from probation_diary.core.clock import Week  # noqa: E402
from probation_diary.ui import dialogs  # noqa: E402


class FakeDialogs:
    def __init__(self):
        self.errors: list[str] = []
        self.infos: list[str] = []
        self.questions: list[str] = []
        self.confirm = True
        self.executed: list[QDialog] = []
        self.handlers = []  # fn(dialog) -> int, used in turn
        self.save_file = None
        self.save_calls: list[tuple] = []

    def exec_dialog(self, dialog):
        self.executed.append(dialog)
        if not self.handlers:
            return int(QDialog.DialogCode.Rejected)
        return self.handlers.pop(0)(dialog)

    def choose_save_file(self, *args, **kwargs):
        self.save_calls.append(args)
        return self.save_file


@pytest.fixture(autouse=True)
def fake_dialogs(monkeypatch):
    fake = FakeDialogs()
    monkeypatch.setattr(dialogs, "exec_dialog", fake.exec_dialog)
    monkeypatch.setattr(dialogs, "show_error", lambda parent, text, **kw: fake.errors.append(text))
    monkeypatch.setattr(dialogs, "show_info", lambda parent, text, **kw: fake.infos.append(text))

    def confirm(parent, text, **kw):
        fake.questions.append(text)
        return fake.confirm

    monkeypatch.setattr(dialogs, "ask_confirmation", confirm)
    monkeypatch.setattr(dialogs, "choose_open_file", lambda *a, **k: None)
    monkeypatch.setattr(dialogs, "choose_save_file", fake.choose_save_file)
    return fake


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
