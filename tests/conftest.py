"""Every test gets its own data directory and diary; nothing touches the user's real data."""

from __future__ import annotations

import datetime as dt
import os

import pytest

# Before any test module creates the session's QApplication: never open a real window. The
# offscreen screen is a 1280x800 laptop's (windows are fitted to the screen), not 800x600.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
if os.environ["QT_QPA_PLATFORM"] == "offscreen":
    from screens import offscreen_platform

    os.environ["QT_QPA_PLATFORM"] = offscreen_platform(1280, 800)
PLATFORM = os.environ["QT_QPA_PLATFORM"]

from probation_diary import cli
from probation_diary.core import clock
from probation_diary.store.diary import Diary


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory, monkeypatch):
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("APPDATA", str(home / "appdata"))
    monkeypatch.delenv("PROBATION_DIARY_DB", raising=False)
    monkeypatch.delenv("PROBATION_DIARY_NOW", raising=False)
    monkeypatch.setenv("QT_QPA_PLATFORM", PLATFORM if PLATFORM.startswith("offscreen") else "offscreen")
    return home


@pytest.fixture
def diary_path(tmp_path):
    return tmp_path / "diary.db"


@pytest.fixture
def diary(diary_path):
    d = Diary.open(diary_path)
    yield d
    d.close()


@pytest.fixture
def fixed_now(monkeypatch):
    """Fix 'now' (local Europe/London time) for the app and the command line."""

    def set_now(local: str) -> dt.datetime:
        monkeypatch.setenv("PROBATION_DIARY_NOW", local)
        return clock.now_utc()

    return set_now


class CliResult:
    def __init__(self, code, out, err):
        self.code, self.out, self.err = code, out, err

    def __repr__(self):
        return f"CliResult(code={self.code}, out={self.out!r}, err={self.err!r})"


@pytest.fixture
def run_cli(capsys, diary_path):
    """Run the command line in-process against the test's diary file."""

    def run(*args, db=True):
        argv = (["--db", str(diary_path)] if db else []) + [str(a) for a in args]
        code = cli.main(argv)
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run
