import hashlib
import json
import sqlite3
import subprocess
import sys

import pytest

from probation_diary.store.diary import SCHEMA_VERSION, Diary


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None


APPT = ["add", "--type", "COAP", "--crn", "X123456", "--start", "2026-11-16 10:00", "--end", "2026-11-16 11:00"]


def test_add_list_summary(run_cli, fixed_now):
    fixed_now("2026-11-20 17:00")
    r = run_cli(*APPT, "--outcome", "attc", "--notes", "Discussed housing")
    assert r.code == 0 and r.out.strip() == "Added PD-000001"
    assert run_cli("add", "--type", "Travel", "--start", "2026-11-16 09:15", "--end", "2026-11-16 10:00").code == 0
    assert run_cli("add", "--type", "annual leave", "--date", "2026-11-20", "--all-day").code == 0
    listing = run_cli("list", "--week", "2026-11-18")
    assert listing.code == 0
    assert "PD-000001" in listing.out and "X123456" in listing.out and "all day" in listing.out
    s = json.loads(run_cli("summary", "--week", "2026-11-22", "--json").out)
    assert s["week_start"] == "2026-11-16"
    assert (s["face_to_face_minutes"], s["travel_minutes"], s["absence_minutes"]) == (60, 45, 444)
    assert s["expected_minutes"] == 1776 and s["unlogged_minutes"] == 1776 - 105
    assert s["per_person"] == [{"crn": "X123456", "face_to_face_minutes": 60, "total_minutes": 60}]
    text = run_cli("summary", "--week", "2026-11-16").out
    assert "Face-to-face share:    57%" in text and "Expected" in text


def test_db_option_works_after_the_subcommand_too(run_cli, diary_path):
    r = run_cli(*APPT, "--db", str(diary_path), db=False)
    assert r.code == 0 and diary_path.exists()


def test_env_variable_chooses_the_diary(run_cli, monkeypatch, tmp_path):
    target = tmp_path / "env.db"
    monkeypatch.setenv("PROBATION_DIARY_DB", str(target))
    assert run_cli(*APPT, db=False).code == 0
    assert Diary.open(target).count_entries() == 1


@pytest.mark.parametrize("args, message", [
    (["--crn", "X12345"], "not a CRN"),
    (["--crn", "123456X"], "not a CRN"),
    (["--end", "2026-11-16 09:00"], "end must be after the start"),
    (["--type", "NOPE"], "Unknown activity type"),
    (["--outcome", "ZZZZ"], "not an outcome code"),
    (["--start", "2026-03-29 01:30", "--end", "2026-03-29 03:00"], "does not exist"),
    (["--start", "2026-11-16 25:00"], "not a time"),
    (["--start", "16/11/2026 10:00x"], "not a time"),
    (["--event", "abc"], "event number"),
    (["--location", "TOOLONGCODE"], "at most 7"),
    (["--end", "2026-11-18 11:00"], "at most 24 hours"),
])
def test_bad_input_gets_one_clear_line_and_nothing_written(run_cli, diary_path, args, message):
    assert run_cli(*APPT).code == 0
    before = digest(diary_path)
    base = dict(zip(APPT[1::2], APPT[2::2]))
    over = dict(zip(args[0::2], args[1::2]))
    merged = ["add"] + [x for k, v in {**base, **over}.items() for x in (k, v)]
    r = run_cli(*merged)
    assert r.code == 2
    assert message in r.err
    assert len(r.err.strip().splitlines()) == 1 and "Traceback" not in r.err
    assert digest(diary_path) == before


def test_attended_outcome_on_future_appointment_is_rejected(run_cli, fixed_now):
    fixed_now("2026-11-16 08:00")
    r = run_cli(*APPT, "--outcome", "ATTC")
    assert r.code == 2 and "has not happened yet" in r.err


def test_missing_crn_for_a_contact_type(run_cli):
    r = run_cli("add", "--type", "COAP", "--start", "2026-11-16 10:00", "--end", "2026-11-16 11:00")
    assert r.code == 2 and "CRN" in r.err


def test_ambiguous_time_is_accepted_with_a_warning(run_cli, diary_path):
    r = run_cli("add", "--type", "EOAS", "--crn", "X123456", "--start", "2026-10-25 01:30", "--end", "2026-10-25 02:30")
    assert r.code == 0 and "first time" in r.err
    assert next(Diary.open(diary_path).all_entries()).minutes == 120


@pytest.mark.parametrize("content", [b"not a database, just text" * 50, None])
def test_unreadable_or_foreign_db_is_refused_untouched(run_cli, tmp_path, content):
    path = tmp_path / "x.db"
    if content is None:
        conn = sqlite3.connect(path)
        conn.execute("CREATE TABLE accounts (n)")
        conn.commit()
        conn.close()
    else:
        path.write_bytes(content)
    before = digest(path)
    r = run_cli("--db", str(path), *APPT, db=False)
    assert r.code == 2 and "not a Probation Diary file" in r.err and "Traceback" not in r.err
    assert digest(path) == before


def test_newer_schema_db_is_refused_untouched(run_cli, diary_path):
    assert run_cli(*APPT).code == 0
    Diary.open(diary_path).close()
    conn = sqlite3.connect(diary_path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    conn.close()
    before = digest(diary_path)
    r = run_cli("summary")
    assert r.code == 2 and "newer version" in r.err
    assert digest(diary_path) == before


def test_folder_given_as_db(run_cli, tmp_path):
    r = run_cli("--db", str(tmp_path), "summary", db=False)
    assert r.code == 2 and "folder" in r.err


def test_edit_and_delete(run_cli, diary_path):
    run_cli(*APPT)
    r = run_cli("edit", "PD-000001", "--start", "2026-11-16 14:00")
    assert r.code == 0
    e = Diary.open(diary_path).get_entry(1)
    assert (e.minutes, e.start.hour) == (60, 14)  # the length is kept
    assert run_cli("edit", "pd-000001", "--notes", "new note", "--alert").code == 0
    e = Diary.open(diary_path).get_entry(1)
    assert e.notes == "new note" and e.alert
    assert run_cli("edit", "PD-000001", "--no-alert").code == 0
    assert not Diary.open(diary_path).get_entry(1).alert
    bad = run_cli("edit", "PD-000001", "--crn", "nope")
    assert bad.code == 2 and "not a CRN" in bad.err
    assert run_cli("edit", "PD-000099", "--notes", "x").code == 2
    assert run_cli("edit", "123", "--notes", "x").err.count("diary reference") == 1
    assert run_cli("delete", "PD-000001").code == 0
    assert Diary.open(diary_path).count_entries() == 0
    assert run_cli("delete", "PD-000001").code == 2


def test_settings_show_and_set(run_cli):
    r = run_cli("settings", "show")
    assert "contracted_hours = 37" in r.out and "working_days = Mon,Tue,Wed,Thu,Fri" in r.out
    assert run_cli("settings", "set", "contracted_hours", "22.5").code == 0
    assert run_cli("settings", "set", "working_days", "mon,tue,wed").code == 0
    assert run_cli("settings", "set", "bank_holidays", "off").code == 0
    assert run_cli("settings", "set", "provider_code", "n07").code == 0
    out = run_cli("settings", "show").out
    assert "contracted_hours = 22.5" in out and "working_days = Mon,Tue,Wed" in out
    assert "bank_holidays = off" in out and "provider_code = N07" in out
    for key, value in [("contracted_hours", "lots"), ("contracted_hours", "-1"), ("working_days", "Funday"),
                       ("bank_holidays", "maybe"), ("team_code", "TOOLONGX"), ("provider_code", "N7")]:
        r = run_cli("settings", "set", key, value)
        assert r.code == 2 and len(r.err.splitlines()) == 1, (key, value, r)
    r = run_cli("settings", "set", "colour", "blue")
    assert r.code == 2 and "invalid choice" in r.err


def test_export_import_round_trip_is_identical(run_cli, tmp_path, fixed_now):
    fixed_now("2026-11-25 12:00")
    run_cli(*APPT, "--outcome", "ATTC", "--notes", 'Comma, "quotes"\nand a new line; Ynys Môn', "--event", "2",
            "--sensitive", "--location", "LDN01")
    run_cli("add", "--type", "EOAS", "--crn", "X123456", "--start", "2026-10-25 01:30", "--end", "2026-10-25 01:45")
    run_cli("add", "--type", "Sickness", "--date", "2026-11-17", "--all-day")
    run_cli("add", "--type", "Email and correspondence", "--start", "2026-11-16 23:30",
            "--end", "2026-11-17 00:10", "--notes", "=1+1")
    run_cli("mark-entered", "PD-000001")
    first = tmp_path / "first.csv"
    assert run_cli("export", first).code == 0
    raw = first.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    other = tmp_path / "other.db"
    r = run_cli("--db", other, "import", first, db=False)
    assert r.code == 0 and "Imported 4" in r.out
    second = tmp_path / "second.csv"
    assert run_cli("--db", other, "export", second, db=False).code == 0
    assert second.read_bytes() == raw
    # importing the same file again is refused whole: nothing is doubled
    again = run_cli("--db", other, "import", first, db=False)
    assert again.code == 2 and "the diary already has PD-0000" in again.err
    assert Diary.open(other).count_entries() == 4


def test_import_spreadsheet_rows_all_or_nothing(run_cli, tmp_path, diary_path):
    sheet = tmp_path / "sheet.csv"
    sheet.write_text("type,crn,date,start,end,outcome,notes\n"
                     "COAP,x123456,2026-11-16,10:00,11:00,ATTC,ok\n"
                     "CHVS,X123457,16/11/2026,12:00,11:00,,bad times\n", encoding="utf-8")
    r = run_cli("import", sheet)
    assert r.code == 2 and "line 3" in r.err and "nothing was imported" in r.err
    assert Diary.open(diary_path).count_entries() == 0
    sheet.write_text("type,crn,date,start,end\nCOAP,x123456,2026-11-16,10:00,11:00\n", encoding="utf-8")
    assert run_cli("import", sheet).code == 0
    assert Diary.open(diary_path).get_entry(1).crn == "X123456"


def test_import_rejects_non_csv(run_cli, tmp_path):
    f = tmp_path / "photo.csv"
    f.write_bytes(b"\xff\xd8\xff\xe0 binary")
    r = run_cli("import", f)
    assert r.code == 2 and "not UTF-8" in r.err
    assert run_cli("import", tmp_path / "missing.csv").code == 2


def test_usage_errors_are_one_line(run_cli):
    r = run_cli("add", "--type", "COAP")
    assert r.code == 2 and len(r.err.splitlines()) == 1
    r = run_cli("frobnicate")
    assert r.code == 2 and "invalid choice" in r.err


def test_command_line_never_imports_qt(tmp_path):
    code = (
        "import sys; from probation_diary import cli;"
        f"rc = cli.main(['--db', r'{tmp_path / 'q.db'}', 'summary', '--json']);"
        "assert rc == 0, rc; assert not any(m.startswith('PySide6') for m in sys.modules), 'Qt imported'"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_the_installed_command_is_the_command_line(tmp_path):
    """pyproject's entry point names a real function, and the installed script runs it."""
    import importlib
    import tomllib
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    target = tomllib.loads((root / "pyproject.toml").read_text())["project"]["scripts"]["probation-diary"]
    module, _, name = target.partition(":")
    assert callable(getattr(importlib.import_module(module), name))
    script = Path(sys.executable).with_name("probation-diary")
    assert script.exists(), "./test installs the project, so its command is beside python"
    out = subprocess.run([str(script), "--version"], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0 and out.stdout.startswith("probation-diary "), out.stderr


def test_a_closed_pipe_is_not_an_error(tmp_path):
    """`probation-diary summary | head -1`: the reader stopped early; no error message."""
    import os

    read, write = os.pipe()
    os.close(read)
    try:
        out = subprocess.run([sys.executable, "-m", "probation_diary", "--db", str(tmp_path / "p.db"),
                              "--unencrypted", "summary", "--json"],
                             stdout=write, stderr=subprocess.PIPE, text=True, timeout=60)
    finally:
        os.close(write)
    assert out.returncode == 0 and "Broken pipe" not in out.stderr, out.stderr


def test_export_to_standard_output(tmp_path):
    """`probation-diary export /dev/stdout | ...`: the CSV streams into the pipe (the path's
    link leads to /proc/<pid>/fd/pipe:[...], which is no folder to write a temporary file in),
    and "Wrote ..." goes to the error stream, so the pipe holds the CSV alone."""
    import os

    if not os.path.exists("/dev/stdout"):
        pytest.skip("no /dev/stdout here")
    db = str(tmp_path / "p.db")
    base = [sys.executable, "-m", "probation_diary", "--db", db, "--unencrypted"]
    added = subprocess.run(base + ["add", "--type", "Team meeting", "--start", "2026-11-18 10:00",
                                   "--end", "2026-11-18 11:00"], capture_output=True, text=True, timeout=60)
    assert added.returncode == 0, added.stderr
    out = subprocess.run(base + ["export", "/dev/stdout"], capture_output=True, timeout=60)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("ref,type,") and len(lines) == 2 and "Team meeting" in lines[1]
    assert "Wrote 1 entry to /dev/stdout" in out.stderr.decode()  # the words beside the stream, not in it
    to_file = subprocess.run(base + ["export", str(tmp_path / "out.csv")], capture_output=True, text=True,
                             timeout=60)
    assert to_file.stdout.startswith("Wrote 1 entry to ") and "Wrote" not in to_file.stderr
    assert not [n for n in os.listdir(tmp_path) if n.endswith(".part")]
