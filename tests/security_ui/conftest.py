"""Fixtures for the security UI: no real modal dialog ever runs; dialogs are recorded."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QDialog, QMessageBox  # noqa: E402

from probation_diary.ui import dialogs, unlock  # noqa: E402

PASS = "correct horse battery staple"


class FakeDialogs:
    def __init__(self):
        self.confirm_answer = True
        self.questions, self.errors, self.infos, self.executed = [], [], [], []
        self.on_exec = None  # fn(dialog) -> int

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
        return int(self.on_exec(dialog))


@pytest.fixture(autouse=True)
def fake_dialogs(monkeypatch):
    fake = FakeDialogs()
    for name in ("ask_confirmation", "show_error", "show_info", "exec_dialog"):
        monkeypatch.setattr(dialogs, name, getattr(fake, name))
    for kind in ("critical", "warning", "information", "question"):
        monkeypatch.setattr(QMessageBox, kind, staticmethod(lambda *a, **k: QMessageBox.StandardButton.Ok))
    monkeypatch.setattr(unlock, "DELAY_UNIT_MS", 20)  # growing delays, in 20 ms "seconds"
    return fake


@pytest.fixture(autouse=True)
def _now(fixed_now):
    return fixed_now("2026-11-20 17:00")
