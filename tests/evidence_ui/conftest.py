"""Fixtures for the evidence UI: a built diary, a fixed now, and no real modal dialog."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from PySide6.QtWidgets import QDialog  # noqa: E402

from probation_diary.storage import Diary
from probation_diary.ui import dialogs

import test_evidence_helpers as h
from test_evidence_helpers import template_diary  # noqa: F401 (fixture)


class FakeDialogs:
    def __init__(self):
        self.errors: list[str] = []
        self.infos: list[str] = []
        self.executed: list[QDialog] = []
        self.handlers = []  # fn(dialog) -> int, used in turn
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
    monkeypatch.setattr(dialogs, "choose_save_file", lambda *a, **k: fake.save_file)
    monkeypatch.setattr(dialogs, "choose_open_file", lambda *a, **k: None)
    return fake


@pytest.fixture
def built(diary_path, fixed_now, template_diary):  # noqa: F811
    fixed_now(h.NOW)
    d = Diary.open(h.built_copy(template_diary, diary_path))
    yield d
    d.close()
