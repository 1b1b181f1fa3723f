"""Fixtures for the forms: no modal dialog ever runs; 'now' is fixed."""

from __future__ import annotations

import os

import pytest

# The session-wide QApplication is made before any function-scoped fixture runs, so the
# platform must be chosen when this file is imported.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from probation_diary.ui import dialogs


class Asked:
    """Stands in for dialogs.ask_confirmation: records questions, gives a set answer."""

    def __init__(self):
        self.questions: list[str] = []
        self.answer = True

    def __call__(self, parent, text, **kw):
        self.questions.append(text)
        return self.answer


@pytest.fixture(autouse=True)
def asked(monkeypatch):
    fake = Asked()
    monkeypatch.setattr(dialogs, "ask_confirmation", fake)

    def no_modal(*args, **kwargs):
        raise AssertionError("a modal dialog was about to run in a test")

    for name in ("show_error", "show_info", "choose_save_file", "choose_open_file", "exec_dialog"):
        monkeypatch.setattr(dialogs, name, no_modal)
    return fake


@pytest.fixture(autouse=True)
def now(fixed_now):
    """Friday 20 November 2026, 17:00 in London."""
    return fixed_now("2026-11-20 17:00")
