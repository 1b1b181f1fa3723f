"""Fixtures for the evidence UI: a built diary, a fixed now, and no real modal dialog."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from probation_diary.storage import Diary
from fake_dialogs import FakeDialogs

import test_evidence_helpers as h
from test_evidence_helpers import template_diary  # noqa: F401 (fixture)


@pytest.fixture(autouse=True)
def fake_dialogs(monkeypatch):
    return FakeDialogs().install(monkeypatch)


@pytest.fixture
def built(diary_path, fixed_now, template_diary):  # noqa: F811
    fixed_now(h.NOW)
    d = Diary.open(h.built_copy(template_diary, diary_path))
    yield d
    d.close()
