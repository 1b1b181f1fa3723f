"""probation-diary export-delius: rows written, entries left out, exit codes."""

from __future__ import annotations

import csv
import subprocess
import sys

import pytest

from probation_diary.core.model import ENTERED, EXPORTED, NOT_EXPORTED
from probation_diary.store.diary import Diary
from delius_support import NOW, add, add_raw, set_codes, utc

WEEK = ("--from", "2026-11-16", "--to", "2026-11-22")


@pytest.fixture
def ready(diary, fixed_now):
    fixed_now(NOW)
    set_codes(diary)
    return diary


def refs(path):
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return [r[-1] for r in list(csv.reader(fh))[1:]]


def test_clean_export_exits_zero(ready, run_cli, tmp_path):
    a = add(ready, "CTOB", "2026-11-16 09:00", "2026-11-16 09:10")
    b = add(ready, "COAP", "2026-11-17 09:00", "2026-11-17 09:30", outcome="ATTC")
    out = tmp_path / "week.csv"
    result = run_cli("export-delius", *WEEK, "--out", out)
    assert result.code == 0, result
    assert result.out == f"Wrote 2 rows to {out}\n"
    assert result.err == ""
    assert refs(out) == [a.ref, b.ref]
    assert Diary.open(out.parent / "diary.db").get_entry(a.id).delius_status == EXPORTED


def test_left_out_entries_are_listed_and_exit_one(ready, run_cli, tmp_path):
    good = add(ready, "CTOB", "2026-11-16 09:00", "2026-11-16 09:10")
    past = add(ready, "COAP", "2026-11-17 09:00", "2026-11-17 09:30")
    i = add_raw(ready, "COAP", utc("2026-11-16 08:00"), utc("2026-11-16 08:30"), crn=None, outcome_code="ATTC")
    out = tmp_path / "week.csv"
    result = run_cli("export-delius", *WEEK, "--out", out)
    assert result.code == 1
    assert result.out.splitlines() == [
        f"Wrote 1 row to {out}",
        "Left out 2 entries that Delius would refuse:",
        f"  PD-{i:06d}: no CRN: every Delius contact belongs to a person; add their CRN",
        f"  {past.ref}: a past appointment needs an outcome: record whether they attended",
    ]
    assert "2 entries were left out" in result.err
    assert "Traceback" not in result.err
    assert refs(out) == [good.ref]


def test_nothing_to_export_still_writes_the_header(ready, run_cli, tmp_path):
    out = tmp_path / "week.csv"
    result = run_cli("export-delius", *WEEK, "--out", out)
    assert result.code == 0
    assert result.out == f"Wrote 0 rows to {out}\n"
    assert refs(out) == []


def test_include_entered(ready, run_cli, tmp_path):
    e = add(ready, "CTOB", "2026-11-16 09:00", "2026-11-16 09:10")
    ready.set_delius_status([e.id], ENTERED)
    assert run_cli("export-delius", *WEEK, "--out", tmp_path / "a.csv").code == 0
    assert refs(tmp_path / "a.csv") == []
    assert run_cli("export-delius", *WEEK, "--out", tmp_path / "b.csv", "--include-entered").code == 0
    assert refs(tmp_path / "b.csv") == [e.ref]


def test_out_folder_gets_the_default_name(ready, run_cli, tmp_path):
    add(ready, "CTOB", "2026-11-16 09:00", "2026-11-16 09:10")
    folder = tmp_path / "exports"
    folder.mkdir()
    result = run_cli("export-delius", *WEEK, "--out", folder)
    assert result.code == 0
    assert (folder / "delius-contacts-2026-11-16-to-2026-11-22.csv").exists()


def test_mark_entered_then_edit(ready, run_cli, tmp_path):
    e = add(ready, "CTOB", "2026-11-16 09:00", "2026-11-16 09:10")
    run_cli("export-delius", *WEEK, "--out", tmp_path / "a.csv")
    assert run_cli("mark-entered", e.ref).code == 0
    assert run_cli("export-delius", *WEEK, "--out", tmp_path / "b.csv").code == 0
    assert refs(tmp_path / "b.csv") == []
    assert run_cli("edit", e.ref, "--notes", "more").code == 0
    assert run_cli("export-delius", *WEEK, "--out", tmp_path / "c.csv").code == 0
    assert refs(tmp_path / "c.csv") == [e.ref]


def _assert_error(result, *words):
    assert result.code == 2, result
    assert result.out == ""
    lines = result.err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("probation-diary: error: ")
    for w in words:
        assert w in lines[0]


@pytest.mark.parametrize("args, words", [
    (("--from", "16/13/2026", "--to", "2026-11-22"), ["is not a date"]),
    (("--from", "2026-11-22", "--to", "2026-11-16"), ["before"]),
])
def test_bad_dates(ready, run_cli, tmp_path, args, words):
    add(ready, "CTOB", "2026-11-16 09:00", "2026-11-16 09:10")
    _assert_error(run_cli("export-delius", *args, "--out", tmp_path / "x.csv"), *words)
    assert not (tmp_path / "x.csv").exists()
    assert ready.get_entry(1).delius_status == NOT_EXPORTED


def test_missing_codes_are_named(diary, fixed_now, run_cli, tmp_path):
    fixed_now(NOW)
    diary.set_settings({"provider_code": "N07"})
    add(diary, "CTOB", "2026-11-16 09:00", "2026-11-16 09:10")
    result = run_cli("export-delius", *WEEK, "--out", tmp_path / "x.csv")
    _assert_error(result, "team code and staff (officer) code", "settings set team_code",
                  "settings set staff_code", "Nothing was written")
    assert "provider_code" not in result.err
    assert not (tmp_path / "x.csv").exists()
    assert diary.get_entry(1).delius_status == NOT_EXPORTED


def test_missing_folder(ready, run_cli, tmp_path):
    add(ready, "CTOB", "2026-11-16 09:00", "2026-11-16 09:10")
    _assert_error(run_cli("export-delius", *WEEK, "--out", tmp_path / "no" / "x.csv"), "does not exist")
    assert ready.get_entry(1).delius_status == NOT_EXPORTED


def test_unwritable_folder(ready, run_cli, tmp_path):
    import os

    if os.geteuid() == 0:
        pytest.skip("root can write anywhere")
    add(ready, "CTOB", "2026-11-16 09:00", "2026-11-16 09:10")
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        _assert_error(run_cli("export-delius", *WEEK, "--out", locked / "x.csv"), "Permission denied")
    finally:
        locked.chmod(0o700)
    assert ready.get_entry(1).delius_status == NOT_EXPORTED


def test_missing_options(run_cli, tmp_path):
    _assert_error(run_cli("export-delius", "--from", "2026-11-16", "--out", tmp_path / "x.csv"), "--to")


def test_the_export_never_imports_qt():
    code = ("import sys, probation_diary.cli.parser, probation_diary.cli.delius, probation_diary.formats.delius;"
            "probation_diary.cli.parser.build_parser();"
            "assert not [m for m in sys.modules if m.startswith('PySide6')]")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_mark_entered_file_marks_the_rows_of_an_export(ready, run_cli, tmp_path):
    a = add(ready, "CTOB", "2026-11-16 09:00", "2026-11-16 09:10")
    b = add(ready, "CTOB", "2026-11-16 10:00", "2026-11-16 10:10")
    c = add(ready, "CTOB", "2026-11-16 11:00", "2026-11-16 11:10")
    out = tmp_path / "week.csv"
    run_cli("export-delius", *WEEK, "--out", out)
    assert run_cli("edit", b.ref, "--notes", "changed after export").code == 0
    ready.delete_entry(c.id)
    result = run_cli("mark-entered-file", out)
    assert result.code == 1
    assert result.out.splitlines() == [
        "Marked 1 entry as entered in Delius",
        f"  {b.ref}: changed since it was exported; not marked. Export it again and key the new row",
        f"  {c.ref}: no longer in the diary; not marked",
    ]
    statuses = {e.id: e.delius_status for e in (ready.get_entry(a.id), ready.get_entry(b.id))}
    assert statuses == {a.id: ENTERED, b.id: "changed"}
    again = run_cli("mark-entered-file", out)
    assert again.out.startswith("Marked 0 entries")


def test_mark_entered_file_refuses_other_files(ready, run_cli, tmp_path):
    other = tmp_path / "other.csv"
    other.write_text("a,b\n1,2\n", encoding="utf-8")
    _assert_error(run_cli("mark-entered-file", other), "not a Delius CSV")
    _assert_error(run_cli("mark-entered-file", tmp_path / "none.csv"), "cannot read")
