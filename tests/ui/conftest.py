"""Fixtures for the main window: no real modal dialog or file chooser can ever run."""

from __future__ import annotations

import datetime as dt
import os

import pytest

# The QApplication is made before function-scoped fixtures run: choose the platform now.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox  # noqa: E402

from probation_diary.core.clock import local_to_utc, parse_local_datetime  # noqa: E402
from probation_diary.core.model import Entry  # noqa: E402
from probation_diary.ui import dialogs  # noqa: E402


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


class Dialogs:
    """Stands in for probation_diary.ui.dialogs; records what would have been shown."""

    def __init__(self):
        self.confirm_answer = True
        self.questions: list[str] = []
        self.errors: list[str] = []
        self.infos: list[str] = []
        self.executed: list[QDialog] = []
        self.on_exec = None  # fn(dialog) -> int; default: reject

    def ask_confirmation(self, parent, text, **kw):
        self.questions.append(text)
        return self.confirm_answer

    def show_error(self, parent, text, **kw):
        self.errors.append(text)

    def show_info(self, parent, text, **kw):
        self.infos.append(text)

    def exec_dialog(self, dialog):
        self.executed.append(dialog)
        if self.on_exec is None:
            return int(QDialog.DialogCode.Rejected)
        return self.on_exec(dialog)


@pytest.fixture(autouse=True)
def fake_dialogs(monkeypatch):
    fake = Dialogs()
    for name in ("ask_confirmation", "show_error", "show_info", "exec_dialog"):
        monkeypatch.setattr(dialogs, name, getattr(fake, name))
    monkeypatch.setattr(dialogs, "choose_save_file", lambda *a, **k: None)
    monkeypatch.setattr(dialogs, "choose_open_file", lambda *a, **k: None)
    return fake


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
def window(qtbot, diary):
    from probation_diary.ui.mainwindow import MainWindow

    diary.set_settings({"contracted_hours": "37"})
    win = MainWindow(diary)
    qtbot.addWidget(win)
    win.resize(1280, 800)
    return win
