"""Issue 18: each command loads what it needs (checked in a fresh interpreter's sys.modules),
and the streamed exports write exactly what the held ones did."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys

import pytest

from probation_diary.cli import parser
from probation_diary.core import clock, retention
from probation_diary.formats import diarycsv, sealed
from probation_diary.store import retention as store_retention
from probation_diary.store import security
from probation_diary.store.diary import Diary
from tests.builders import PASS
from tests.delius_support import add, add_raw, set_codes, utc

ENTRY = "import sys; from probation_diary.cli import main; sys.exit(main())"
HEAVY = ("sqlite_utils", "sqlite3", "sqlcipher3", "PySide6", "argparse")


def _modules_after(args, env=None) -> tuple[str, set[str]]:
    """Run the command line in a fresh interpreter; its output and the modules it loaded."""
    code = ENTRY.replace("sys.exit(main())",
                         "code = main(); print('MODULES', ','.join(sorted(sys.modules))); sys.exit(code)")
    proc = subprocess.run([sys.executable, "-c", code, *map(str, args)], capture_output=True, text=True,
                          env={**os.environ, **(env or {})})
    assert proc.returncode == 0, proc.stderr
    out, _, modules = proc.stdout.rpartition("MODULES ")
    return out, set(modules.strip().split(","))


def test_version_loads_neither_the_parser_nor_sqlite_nor_qt():
    out, modules = _modules_after(["--version"])
    assert out.strip() == "probation-diary 0.1.0"
    assert not [m for m in modules if m.split(".")[0] in HEAVY]
    assert "probation_diary.cli.parser" not in modules


def test_version_with_other_options_still_works(run_cli):
    result = run_cli("--version")
    assert result.code == 0 and result.out.strip() == "probation-diary 0.1.0"


def _a_week(diary):
    set_codes(diary)
    add(diary, "COAP", "2026-11-16 10:00", "2026-11-16 11:00", outcome="ATTC")
    add(diary, "Travel", "2026-11-16 11:00", "2026-11-16 11:30", crn="")


def test_summary_on_a_plain_diary_reads_without_sqlite_utils_or_sqlcipher(diary, diary_path, run_cli):
    _a_week(diary)
    diary.close()
    expected = run_cli("summary", "--week", "2026-11-18", "--json")
    out, modules = _modules_after(["--db", diary_path, "summary", "--week", "2026-11-18", "--json"],
                                  env={"PROBATION_DIARY_NOW": "2026-11-20 17:00"})
    assert json.loads(out) == json.loads(expected.out)
    assert "sqlite_utils" not in modules and "sqlcipher3" not in modules
    # the records are core.record's: no dataclasses, so no inspect (with ast, dis, tokenize);
    # nor typing (collections.abc names the types), nor getpass (no passphrase is asked)
    assert not {"dataclasses", "inspect", "typing", "getpass"} & modules
    # only the area that adds `summary` was imported
    assert "probation_diary.cli.evidence" not in modules and "probation_diary.formats.figures" not in modules


def test_a_write_after_reads_goes_through_sqlite_utils(diary, diary_path):
    diary.close()  # made (and migrated) through sqlite-utils; open it again as a command would
    diary = Diary.open(diary_path)
    assert diary.db._real is None  # opened and read lean
    list(diary.db.query("SELECT * FROM settings"))
    assert diary.db._real is None
    diary.set_setting("contracted_hours", "30")
    assert diary.db._real is not None and diary.settings().contracted_hours == 30
    assert diary.db.conn.execute("PRAGMA recursive_triggers").fetchone()[0] == 1
    diary.close()


def test_read_only_commands_skip_the_check_at_open_and_writing_ones_do_not(diary, run_cli, monkeypatch):
    _a_week(diary)
    diary.close()
    checks = []
    real = security.integrity_check  # the check at open (issue 12)
    monkeypatch.setattr(security, "integrity_check", lambda conn: checks.append(1) or real(conn))
    assert run_cli("summary").code == 0 and run_cli("list").code == 0
    assert checks == []
    assert run_cli("settings", "set", "contracted_hours", "30").code == 0
    assert checks == [1]


def test_a_usage_error_reads_as_the_whole_parser_says_it(run_cli):
    lean = run_cli("summary", "--nonsense")
    assert lean.code == 2 and "unrecognized arguments: --nonsense" in lean.err
    assert "invalid choice" in run_cli("summery").err
    assert parser._command_word(["--db", "x.db", "--unencrypted", "list", "--week", "y"]) == "list"


# --- exports that stream -------------------------------------------------------------------

def _mixed_diary(diary):
    set_codes(diary)
    add(diary, "COAP", "2026-11-16 10:00", "2026-11-16 11:00", crn="X222222", outcome="ATTC",
        notes='Said "ok",\nthen left; =SUM(A1) Ynys Môn')
    add(diary, "COAP", "2026-11-17 10:00", "2026-11-17 10:30", crn="X111111", outcome="ATTC")
    add(diary, "COAP", "2026-11-15 09:00", "2026-11-15 09:45", crn="X111111", outcome="AFTA")
    add(diary, "Travel", "2026-11-17 11:00", "2026-11-17 11:30", crn="")
    add_raw(diary, "COAP", utc("2026-11-18 10:00"), utc("2026-11-18 11:00"), crn=None)  # no CRN: left out
    add_raw(diary, "COAP", utc("2026-11-14 10:00"), utc("2026-11-14 11:00"), crn="X333333")  # no outcome


def test_export_streams_the_same_bytes(diary, run_cli, tmp_path):
    _mixed_diary(diary)
    buffer = io.StringIO(newline="")
    diarycsv.write(diary.all_entries(), diary.reference(), {p.crn: p.name for p in diary.people()}, buffer)
    out = tmp_path / "all.csv"
    assert run_cli("export", out).code == 0
    assert out.read_bytes() == buffer.getvalue().encode("utf-8-sig")
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]


def test_the_streamed_seal_is_seal_byte_for_byte(tmp_path, monkeypatch):
    data = ("ref,notes\r\n" + "PD-000001,some notes é\r\n" * 5000).encode("utf-8-sig")
    randoms = iter([b"s" * 16, b"n" * 12, b"s" * 16, b"n" * 12])
    monkeypatch.setattr(sealed.os, "urandom", lambda n: next(randoms))
    whole = sealed.seal(data, PASS)
    fh = io.BytesIO()
    sink = sealed.Sealer(fh, PASS)
    for i in range(0, len(data), 777):
        sink.write(data[i:i + 777])
    sink.finish()
    assert fh.getvalue() == whole and sealed.unseal(whole, PASS) == data


def test_export_delius_streams_the_same_file_statuses_and_problems(diary, diary_path, run_cli, tmp_path, fixed_now):
    from probation_diary.cli import delius as delius_io

    fixed_now("2026-11-20 17:00")
    _mixed_diary(diary)
    first, last = clock.parse_date("2026-11-09"), clock.parse_date("2026-11-22")
    now = clock.now_utc()
    plan = delius_io.plan_export(diary, first, last, now=now)
    held = tmp_path / "held.csv"
    delius_io.write_file(plan.rows, held)
    assert plan.problems and plan.rows
    diary.close()

    out = tmp_path / "streamed.csv"
    result = run_cli("export-delius", "--from", "2026-11-09", "--to", "2026-11-22", "--out", out)
    assert result.code == 1
    assert out.read_bytes() == held.read_bytes()
    listed = [line.strip() for line in result.out.splitlines() if line.startswith("  PD-")]
    assert listed == [str(p) for p in plan.problems]
    assert f"Left out {len(plan.left_out_ids)} entries" in result.out
    with Diary.open(diary_path) as again:
        statuses = {e.id: e.delius_status for e in again.all_entries()}
    assert {i for i, s in statuses.items() if s == "exported"} == set(plan.entry_ids)


def test_mark_exported_takes_any_iterable_of_ids(diary):
    _mixed_diary(diary)
    ids = [e.id for e in diary.all_entries()][:3]
    from array import array

    assert diary.mark_exported(array("q", ids + ids), "f.csv") == 3
    assert diary.mark_exported(iter([ids[0]]), "g.csv") == 1
    assert diary.get_entry(ids[0]).delius_export_file == "g.csv"


def _columns_are_tight(lines: list[str]) -> None:
    """Every column is as wide as its widest cell, as a pass over every row would make it: no
    cell runs into the two spaces after its column, and some cell (or the header) fills it."""
    header = lines[0]
    starts = [i for i in range(len(header)) if header[i] != " " and (i == 0 or header[i - 1] == " ")
              and (i < 2 or header[i - 2:i] == "  ")]
    assert len(starts) == 10, header
    wide = max(map(len, lines))
    lines = [line.ljust(wide) for line in lines]  # rows end rstripped
    for a, b in zip(starts, starts[1:]):
        cells = [line[a:b] for line in lines]
        assert all(c[-2:].strip() == "" for c in cells), (header[a:b], [c for c in cells if c[-2:].strip()])
        assert max(len(c.rstrip()) for c in cells) == b - a - 2, header[a:b]


def test_list_prints_the_same_table_in_one_streamed_pass(diary, run_cli, fixed_now, monkeypatch):
    _mixed_diary(diary)
    diary.save_person("X222222", "A much longer name than the others")
    from tests.builders import add as add_entry

    add_entry(diary, "Annual leave", day="2026-11-20")  # all day: no length
    add_entry(diary, "Travel", "2026-11-21 00:05", "2026-11-21 23:55")  # the longest length, 23:50
    add_entry(diary, "COAP", "2026-11-19 16:30", "2026-11-19 17:30", crn="X111111")  # under way at now
    add_raw(diary, "COAP", utc("2026-11-22 10:00"), utc("2026-11-22 11:00"), crn="X111111")  # booked
    diary.set_delius_status([e.id for e in diary.all_entries()][:2], "entered")
    fixed_now("2026-11-19 17:00")
    passes = []
    real = Diary.iter_entries_between

    def counted(self, start, end):
        passes.append((start, end))
        return real(self, start, end)

    monkeypatch.setattr(Diary, "iter_entries_between", counted)
    result = run_cli("list", "--from", "2026-11-09", "--to", "2026-11-22")
    assert result.code == 0 and len(passes) == 1  # the rows are read and built once
    lines = result.out.splitlines()
    assert lines[0].startswith("REF") and lines[-1] == "10 entries from 09/11/2026 to 22/11/2026"
    assert len(lines) == 12
    body = "\n".join(lines)
    for text in ("all day", "23:50", "Admin so far (awaiting outcome; the rest is planned)", "not yet (planned)",
                 "Admin (did not attend)", "Entered in Delius", "X222222 (A much longer name than the others)"):
        assert text in body
    _columns_are_tight(lines[:-1])
    header = lines[0]
    named = next(line for line in lines if "A much longer name" in line)
    assert named.index("X222222") == header.index("CRN")
    # A narrower span: its own widths (no long name, no long length), still tight.
    week = run_cli("list", "--from", "2026-11-16", "--to", "2026-11-17").out.splitlines()
    assert week[-1] == "3 entries from 16/11/2026 to 17/11/2026"
    _columns_are_tight(week[:-1])
    assert len(week[0]) < len(header)
    empty = run_cli("list", "--week", "2030-01-07").out.splitlines()
    assert empty == ["REF  DATE  TIME  LENGTH  CODE  TYPE  CRN  OUTCOME  COUNTS AS  DELIUS",
                     "0 entries from 07/01/2030 to 13/01/2030"]


@pytest.mark.parametrize("days", [1, 90])
def test_retention_planned_in_sql_is_the_core_plan(diary, days):
    _mixed_diary(diary)
    ids = [e.id for e in diary.all_entries()]
    diary.set_delius_status(ids[:4], "entered")
    now = utc("2027-06-01 12:00")
    rule = retention.plan(diary.all_entries(), days, now)
    planned = store_retention.plan(diary, days, now)
    assert list(planned.ids) == rule.ids and planned.crns == rule.crns
    assert (planned.notes, planned.first, planned.last, planned.cutoff) == (rule.notes, rule.first, rule.last, rule.cutoff)
    assert planned.describe() == rule.describe()
    assert diary.anonymise_entries(planned.ids) == len(rule.ids)


def test_retention_command_plans_in_sql(diary, run_cli):
    _mixed_diary(diary)
    diary.set_delius_status([e.id for e in diary.all_entries()], "entered")
    result = run_cli("retention", "--days", "1", "--yes")
    assert result.code == 0 and "Removed the personal details from 4 entries" in result.out


@pytest.mark.parametrize("argv, db", [
    ([], ""), (["--db", "d.db"], "d.db"), (["--db=d.db"], "d.db"), (["--db", ""], ""),
    (["--db"], None), (["--db", "-x"], None), (["--db="], None), (["--unencrypted"], None),
    (["summary"], None), (["--db", "d.db", "list"], None), (["--help"], None),
])
def test_only_a_plain_window_launch_skips_the_parser(argv, db):
    """`probation-diary` and `probation-diary --db FILE` open the window without building the
    parser (issue 18: first paint); every other command line goes to the parser, as before."""
    from probation_diary import cli

    assert cli._window_only(argv) == db


def test_a_plain_window_launch_opens_the_diary_it_names(monkeypatch, tmp_path):
    from probation_diary import cli
    from probation_diary.ui import app

    opened = []
    monkeypatch.setattr(app, "run", lambda db: opened.append(db) or 0)
    assert cli.main(["--db", str(tmp_path / "d.db")]) == 0
    assert cli.main([]) == 0
    assert opened == [str(tmp_path / "d.db"), None]


@pytest.mark.parametrize("outcome", ["returns", "raises"])
def test_the_window_start_pauses_the_collector_and_always_turns_it_back_on(monkeypatch, outcome):
    """launch_app turns the cyclic garbage collector off for the start-up (issue 18) and on
    again however the window ends: returning, or an error before it ever painted."""
    import gc

    from probation_diary import cli
    from probation_diary.ui import app

    seen = []

    def run(db):
        seen.append(gc.isenabled())
        if outcome == "raises":
            raise RuntimeError("the diary could not be opened")
        return 0

    monkeypatch.setattr(app, "run", run)
    assert gc.isenabled()
    if outcome == "raises":
        with pytest.raises(RuntimeError):
            cli.launch_app("x.db")
    else:
        assert cli.launch_app("x.db") == 0
    assert seen == [False]
    assert gc.isenabled()
