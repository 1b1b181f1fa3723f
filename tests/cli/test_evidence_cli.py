"""The evidence commands and the weekly report PDF (issue 7)."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import sys

import pytest

from probation_diary.formats import report_pdf
from probation_diary.core.clock import Week, format_minutes
from probation_diary.core.timesplit import share_percent
from probation_diary.store.diary import Diary

import evidence_helpers as h
from evidence_helpers import template_diary  # noqa: F401 (fixture)


@pytest.fixture
def built(diary_path, fixed_now, template_diary):  # noqa: F811
    fixed_now(h.NOW)
    return h.built_copy(template_diary, diary_path)


def pdf_text(path) -> str:
    """The PDF's text: pdftotext (poppler-utils) when installed, else the uncompressed content
    streams we write (text shows as '(...) Tj')."""
    if shutil.which("pdftotext"):
        return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                              check=True).stdout
    import re

    return " ".join(m.decode("latin-1") for m in re.findall(rb"\((.*?)\)\s*Tj", path.read_bytes()))


def pdf_pages(path) -> int:
    if shutil.which("pdfinfo"):
        out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
        pages = int(next(line.split()[-1] for line in out.splitlines() if line.startswith("Pages:")))
        assert pages == report_pdf.pdf_page_count(path.read_bytes())
        return pages
    return report_pdf.pdf_page_count(path.read_bytes())


# --- report -----------------------------------------------------------------------------------

def test_report_pdf_figures_equal_the_weekly_summary(built, run_cli, tmp_path):
    out = tmp_path / "week.pdf"
    result = run_cli("report", "--week", "2026-10-21", "--pdf", out)
    assert result.code == 0, result
    assert "anonymous" in result.out
    assert pdf_pages(out) == 1
    with Diary.open(built) as d:
        s = d.week_summary(Week(h.CLOCK_WEEK))
    text = pdf_text(out)
    assert share_percent(s.face_to_face_share) == "12%" and share_percent(s.direct_contact_share) == "17%"
    for figure in ("Face-to-face share", "12%", "Direct-contact share", "17%", "19/10/2026", "25/10/2026"):
        assert figure in text
    for minutes in (s.worked_minutes, s.expected_minutes, s.extra_minutes, s.unlogged_minutes,
                    *s.minutes.values()):
        assert format_minutes(minutes) in text
    assert "43:00" in text and "6:00" in text  # worked 43 h (169-hour week), extra 6 h
    assert "169 hours" in text
    for crn, name in h.PEOPLE.items():
        assert crn not in text and name.split()[1] not in text
    for phrase in h.NOTE_PHRASES:
        assert phrase not in text
    raw = out.read_bytes()
    assert not any(crn.encode() in raw for crn in h.PEOPLE)


def test_named_report_has_the_per_person_table(built, run_cli, tmp_path):
    out = tmp_path / "named.pdf"
    assert run_cli("report", "--week", "2026-10-21", "--pdf", out, "--named").code == 0
    text = pdf_text(out)
    assert pdf_pages(out) == 1
    assert "NAMED REPORT" in text
    assert "X100002" in text and "Quillfeather" in text
    for phrase in h.NOTE_PHRASES:  # notes never, even when named
        assert phrase not in text


def test_named_report_with_a_big_caseload_stays_on_one_page(diary, fixed_now):
    now = fixed_now(h.NOW)
    for i in range(80):
        crn = f"Y{i:06d}"
        diary.save_person(crn, f"Person Number {i} Ä")
        h.add(diary, "CTOB", dt.date(2026, 11, 16) + dt.timedelta(days=i % 5), "08:00", "08:10", crn)
    page = report_pdf.weekly_report(diary.week_summary(Week(h.LAST_WEEK), now), named=True,
                                    names={p.crn: p.name for p in diary.people()})
    data = report_pdf.render_pdf(page)
    assert report_pdf.pdf_page_count(data) == 1
    assert any("more (see the app)" in t for t in page.texts())
    assert max(i.y for i in page.items if isinstance(i, report_pdf.Text)) < report_pdf.A4[1] - 10


def test_report_with_no_time_logged(diary, fixed_now):
    fixed_now(h.NOW)
    page = report_pdf.weekly_report(diary.week_summary(Week(h.LAST_WEEK)))
    assert "no time logged" in page.texts()
    assert report_pdf.pdf_page_count(report_pdf.render_pdf(page)) == 1


def test_report_needs_a_pdf_name(built, run_cli, tmp_path):
    result = run_cli("report", "--week", "2026-10-21", "--pdf", tmp_path / "x.png")
    assert result.code == 2 and result.err.count("\n") == 1 and "must end in .pdf" in result.err


# --- trends and caseload ------------------------------------------------------------------------

def test_trends_json_and_table(built, run_cli):
    result = run_cli("trends", "--weeks", "12", "--json")
    assert result.code == 0, result
    data = json.loads(result.out)
    assert len(data["weeks"]) == 12 and data["first_week"] == "2026-08-31"
    leave = next(w for w in data["weeks"] if w["week_start"] == h.LEAVE_WEEK.isoformat())
    assert leave["status"] == "mostly absence" and leave["face_to_face_share"] is None
    assert data["summary"]["face_to_face_share"]["median"] == 0.125
    assert data["summary"]["extra_minutes"]["total"] == 2604

    table = run_cli("trends", "--weeks", "4").out
    assert "  mostly absence" not in table and "this week, so far" in table
    assert "MEDIAN" in table and "AVERAGE" in table
    assert "  mostly absence" in run_cli("trends").out  # 12 weeks by default

    bad = run_cli("trends", "--weeks", "5")
    assert bad.code == 2 and bad.err.count("\n") == 1


def test_caseload_command(built, run_cli):
    result = run_cli("caseload", "--from", "2026-11-16", "--to", "2026-11-20", "--not-seen-weeks", "2", "--json")
    assert result.code == 0, result
    data = json.loads(result.out)
    assert data["today"] == "2026-11-20" and data["concentration_top5"] == 1.0
    assert [p["crn"] for p in data["people"] if p["not_seen"]] == ["X100003"]
    text = run_cli("caseload", "--from", "2026-11-16", "--to", "2026-11-20", "--not-seen-weeks", "2").out
    line = next(x for x in text.splitlines() if x.startswith("X100003"))
    assert "NOT SEEN" in line and "02/11/2026" in line
    assert "Concentration: 100%" in text
    bad = run_cli("caseload", "--from", "2026-11-20", "--to", "2026-11-01")
    assert bad.code == 2 and "before its start" in bad.err


# --- export and team --------------------------------------------------------------------------

def test_export_figures_and_team_summary(built, run_cli, tmp_path):
    mine = tmp_path / "mine.json"
    result = run_cli("export-figures", "--out", mine, "--weeks", "4", "--label", "P1", "--grade", "pso", "--team", "T9")
    assert result.code == 0, result
    doc = json.loads(mine.read_text())
    # the last complete week by default: the week in progress is not exported
    assert [w["week_start"] for w in doc["weeks"]] == ["2026-10-19", "2026-10-26", "2026-11-02", "2026-11-09"]
    assert doc["practitioner"] == {"label": "P1", "grade": "PSO", "team": "T9"}
    other = tmp_path / "other.csv"
    assert run_cli("export-figures", "--out", other, "--weeks", "2", "--label", "P2").code == 0
    table = tmp_path / "team.csv"
    result = run_cli("team-summary", mine, other, mine, "--csv", table, "--json")
    assert result.code == 0, result
    data = json.loads(result.out)
    assert data["practitioners"] == ["P1", "P2"]
    week = next(w for w in data["weeks"] if w["week_start"] == "2026-11-09")
    assert week["practitioners"] == 2 and week["face_to_face_minutes"] == 600  # P1 twice: counted once
    assert len(data["replaced"]) == 4
    assert table.read_text(encoding="utf-8-sig").startswith("week_start,practitioners,")

    text = run_cli("team-summary", mine, other).out
    assert "MEDIAN" in text and "P1, P2" in text

    for secret in h.PEOPLE:
        assert secret.encode() not in mine.read_bytes() + other.read_bytes() + table.read_bytes()


def test_team_summary_bad_file_is_one_line(built, run_cli, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"format_version": 3, "weeks": []}))
    result = run_cli("team-summary", bad)
    assert result.code == 2
    assert result.err == "probation-diary: error: bad.json: format_version 3 is not supported (this app reads version 1)\n"


def test_export_figures_bad_grade(built, run_cli, tmp_path):
    result = run_cli("export-figures", "--out", tmp_path / "x.csv", "--grade", "SPO")
    assert result.code == 2 and result.err.count("\n") == 1


def test_evidence_commands_never_import_qt(built, tmp_path):
    code = (
        "import sys\n"
        "from probation_diary import cli\n"
        f"db = {str(built)!r}\n"
        f"out = {str(tmp_path)!r}\n"
        "for args in (['report', '--week', '2026-10-21', '--pdf', out + '/r.pdf'], ['trends', '--json'],\n"
        "             ['caseload', '--from', '2026-11-01', '--to', '2026-11-20'],\n"
        "             ['export-figures', '--out', out + '/f.csv', '--label', 'A'],\n"
        "             ['team-summary', out + '/f.csv']):\n"
        "    assert cli.main(['--db', db] + args) == 0, args\n"
        "qt = [m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))]\n"
        "assert not qt, qt\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            env={**__import__("os").environ, "PROBATION_DIARY_NOW": h.NOW})
    assert result.returncode == 0, result.stderr
