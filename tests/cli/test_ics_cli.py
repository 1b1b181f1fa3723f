"""The calendar commands (import-ics, export-ics, ics-keywords), --version and --self-test."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import icalendar
import pytest

from probation_diary import __version__
from probation_diary.cli.selftest import run_self_test
from probation_diary.store.diary import Diary

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
OUTLOOK = FIXTURES / "outlook.ics"
RANGE = ["--from", "2026-10-12", "--to", "2026-11-22"]
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _now(fixed_now):
    fixed_now("2026-10-01 09:00")


def count(diary_path) -> int:
    with Diary.open(diary_path) as d:
        return d.count_entries()


def test_preview_saves_nothing(run_cli, diary_path):
    r = run_cli("import-ics", OUTLOOK, *RANGE)
    assert r.code == 0, r
    assert "new        Tue 27/10/2026 10:00-11:00" in r.out
    assert "Thu 22/10/2026 (all day)" in r.out  # the skipped away day
    assert "Nothing was saved. Run again with --yes to add 9 and update 0." in r.out
    assert "Supervision" not in r.out and "away day" not in r.out  # no event text
    assert count(diary_path) == 0


def test_yes_saves_and_a_second_run_duplicates_nothing(run_cli, diary_path):
    r = run_cli("import-ics", OUTLOOK, *RANGE, "--yes")
    assert r.code == 0 and "Added 9, updated 0" in r.out, r
    r = run_cli("import-ics", OUTLOOK, *RANGE, "--yes")
    assert r.code == 0 and "unchanged  9 event(s)" in r.out and "Added 0, updated 0" in r.out, r
    assert count(diary_path) == 9
    r = run_cli("list", "--from", "2026-10-26", "--to", "2026-10-27")
    assert "Mon 26/10/2026  14:00-15:30" in r.out and "Tue 27/10/2026  10:00-11:00" in r.out


def test_gone_events_are_listed_not_deleted(run_cli, diary_path, tmp_path):
    assert run_cli("import-ics", OUTLOOK, *RANGE, "--yes").code == 0
    text = OUTLOOK.read_text().replace("COUNT=6", "COUNT=5")  # 17/11 dropped from the series
    smaller = tmp_path / "smaller.ics"
    smaller.write_text(text)
    r = run_cli("import-ics", smaller, *RANGE, "--yes")
    assert r.code == 0
    assert "No longer in the calendar" in r.out and "PD-000009  Tue 17/11/2026 10:00-11:00" in r.out
    assert count(diary_path) == 9


def test_broken_events_are_warned_about_and_the_rest_saved(run_cli, diary_path):
    r = run_cli("import-ics", FIXTURES / "broken.ics", *RANGE, "--yes")
    assert r.code == 0
    assert "warning: event 2 in the file was skipped: its start (DTSTART) cannot be read" in r.err
    assert "Added 2" in r.out and count(diary_path) == 2


@pytest.mark.parametrize("args, message", [
    (["import-ics", "missing.ics", *RANGE], "cannot read missing.ics"),
    (["import-ics", OUTLOOK, "--from", "2026-11-22", "--to", "2026-10-12"], "--to is before --from"),
    (["import-ics", OUTLOOK, "--from", "tomorrow", "--to", "2026-10-12"], "'tomorrow' is not a date"),
    (["import-ics", OUTLOOK], "the following arguments are required: --from, --to"),
    (["export-ics", *RANGE], "the following arguments are required: --out"),
    (["ics-keywords", "--set", "nothing"], "--set takes KEYWORD=TYPE"),
    (["ics-keywords", "--set", "x=Nonsense"], "no activity type 'Nonsense'"),
    (["ics-keywords", "--remove", "not-there"], "there is no keyword 'not-there'"),
])
def test_errors_are_one_line_exit_2(run_cli, args, message):
    r = run_cli(*args)
    assert r.code == 2, r
    assert message in r.err and r.err.count("error:") == 1 and "Traceback" not in r.err


def test_not_a_calendar(run_cli, tmp_path):
    bad = tmp_path / "notes.ics"
    bad.write_text("just some text")
    r = run_cli("import-ics", bad, *RANGE)
    assert r.code == 2 and "not a calendar file" in r.err


def test_export_ics(run_cli, tmp_path):
    assert run_cli("add", "--type", "COAP", "--crn", "x123456", "--start", "2026-10-27 10:00",
                   "--end", "2026-10-27 11:00", "--notes", "very private").code == 0
    run_cli("settings", "show")
    with Diary.open(tmp_path / "diary.db") as d:
        d.save_person("X123456", "Jo Bloggs")
    out = tmp_path / "out.ics"
    r = run_cli("export-ics", *RANGE, "--out", out)
    assert r.code == 0 and "Wrote 1 planned appointment(s)" in r.out and "no names" in r.out
    data = out.read_bytes()
    assert b"Bloggs" not in data and b"very private" not in data
    event = icalendar.Calendar.from_ical(data).walk("VEVENT")[0]
    assert str(event["UID"]) == "PD-000001@probation-diary"
    assert event["DTSTART"].to_ical() == b"20261027T100000" and event["DTSTART"].params["TZID"] == "Europe/London"
    assert run_cli("export-ics", *RANGE, "--out", out, "--with-names").code == 0
    assert b"X123456 Jo Bloggs" in out.read_bytes()
    assert not list(tmp_path.glob("*.part"))


def test_export_to_a_folder_fails(run_cli, tmp_path):
    r = run_cli("export-ics", *RANGE, "--out", tmp_path)
    assert r.code == 2 and "is a folder" in r.err


def test_keywords_command(run_cli):
    r = run_cli("ics-keywords", "--set", "Dentist=Other absence", "--remove", "HV")
    assert r.code == 0 and "Dentist = Other absence" in r.out and "\nHV = " not in r.out
    r = run_cli("ics-keywords")
    assert "Dentist = Other absence" in r.out
    r = run_cli("ics-keywords", "--reset")
    assert "HV = CHVS" in r.out and "Dentist" not in r.out


def test_import_never_reads_stdin(diary_path):
    """Not a tty and no --yes: a preview, and no wait for input."""
    env = dict(os.environ, PROBATION_DIARY_NOW="2026-10-01 09:00")
    proc = subprocess.run([sys.executable, "-m", "probation_diary", "--db", str(diary_path), "import-ics",
                           str(OUTLOOK), *RANGE], stdin=subprocess.PIPE, capture_output=True, text=True,
                          timeout=60, env=env, cwd=ROOT)
    assert proc.returncode == 0 and "Nothing was saved" in proc.stdout


def test_calendar_cli_imports_no_qt():
    code = ("import sys; from probation_diary.cli import parser; parser.build_parser(); import probation_diary.formats.ics;"
            "import probation_diary.cli.calendar; print(any(m.startswith('PySide6') for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert out.stdout.strip() == "False", out.stderr


# --- --version and --self-test, from source ------------------------------------------------

def test_self_test_in_process(capsys, _isolated_home):
    assert run_self_test() == 0
    out = capsys.readouterr().out
    assert "Self-test passed" in out and "FAIL" not in out
    assert "main window opens" in out
    assert not any(_isolated_home.rglob("*.db"))  # the user's data folder is never touched
    assert not [p for p in _isolated_home.rglob("*") if p.is_file()]  # nor their settings


def test_self_test_reports_failure(monkeypatch, capsys):
    from probation_diary.store import diary as storage

    monkeypatch.setattr(storage, "RESOURCES", Path("/nonexistent"))
    assert run_self_test() == 1
    assert "Self-test FAILED" in capsys.readouterr().out


@pytest.mark.parametrize("args, expect", [
    (["--version"], f"probation-diary {__version__}"),
    (["--self-test"], "Self-test passed"),
])
def test_version_and_self_test_from_source(args, expect, _isolated_home):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env.pop("DISPLAY", None)
    env.pop("WAYLAND_DISPLAY", None)
    proc = subprocess.run([sys.executable, "-m", "probation_diary", *args], capture_output=True, text=True,
                          timeout=120, env=env, cwd=ROOT, stdin=subprocess.DEVNULL)
    assert proc.returncode == 0, proc.stderr
    assert expect in proc.stdout
    assert not (_isolated_home / "data" / "probation-diary").exists()


def test_preview_lists_events_that_need_a_type_and_what_was_left_out(run_cli, tmp_path):
    ics_files = FIXTURES / "ics"
    r = run_cli("import-ics", ics_files / "leave-and-types.ics", *RANGE)
    assert r.code == 0 and "  needs type Thu 22/10/2026 11:00-12:00" in r.out, r
    assert "Catch-up" not in r.out and "Sam" not in r.out  # never the event's text
    r = run_cli("import-ics", ics_files / "unreadable-lines.ics", *RANGE)
    assert "Read in part" in r.out and "a reminder (VALARM) that could not be read was left out" in r.out
    assert "X777777" not in r.out.split("Read in part")[1]
