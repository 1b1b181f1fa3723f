"""A real spreadsheet program reads the Delius CSV (issue 5).

LibreOffice Calc opens the file headless with an explicit CSV import filter: comma, quote ",
UTF-8, from line 1, standard column types, special-number detection off (Calc's default),
and "evaluate formulas" ON, as Excel would have it. It saves the sheet as flat ODS XML, which
records each cell's type, its formula (if it became one) and its text, line by line.

A control file without protection proves that this import really does evaluate formulas, so
the protected export passing is not an accident of the set-up.
"""

from __future__ import annotations

import csv
import datetime as dt
import shutil
import subprocess
import xml.etree.ElementTree as ET

import pytest

from probation_diary.cli import delius as delius_io
from delius_support import NOW, add, set_codes

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")

# Tokens: separator 44 (,), text delimiter 34 ("), charset 76 (UTF-8), first line 1, column
# formats (standard), language en-GB, quoted field as text: no, detect special numbers: no,
# (export-only tokens 9-12), evaluate formulas: yes.
CSV_IMPORT = "CSV:44,34,76,1,,2057,false,false,false,false,false,-1,true"

NS = {
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
}
T, O, X = ("{%s}" % NS[k] for k in ("table", "office", "text"))

HYPERLINK = '=HYPERLINK("http://x","y")'
PHONE = "+44 7700 900123"
MULTILINE = "Met at Pen-y-ffordd, then Llanfairpwllgwyngyll\nSaid: \"all fine\"\nNext: Ynys Môn"


def convert(csv_path, tmp_path) -> list[list[dict]]:
    """Open the CSV in LibreOffice Calc and return the sheet's cells."""
    profile = tmp_path / "lo-profile"
    out = tmp_path / "converted"
    cmd = [
        SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
        f"--infilter={CSV_IMPORT}", "--convert-to", "fods", "--outdir", str(out), str(csv_path),
    ]
    subprocess.run(cmd, check=True, timeout=180, capture_output=True)
    fods = out / (csv_path.stem + ".fods")
    assert fods.exists(), "LibreOffice wrote no file"
    return read_fods(fods)


def _paragraph_text(p) -> str:
    parts = [p.text or ""]
    for child in p:
        if child.tag == X + "s":
            parts.append(" " * int(child.get(X + "c", "1")))
        elif child.tag == X + "tab":
            parts.append("\t")
        elif child.tag == X + "line-break":
            parts.append("\n")
        else:
            parts.append("".join(child.itertext()))
        parts.append(child.tail or "")
    return "".join(parts)


def read_fods(path) -> list[list[dict]]:
    sheet = ET.parse(path).getroot().find(f".//{T}table")
    rows = []
    for row in sheet.iter(T + "table-row"):
        cells = []
        for cell in row:
            if cell.tag not in (T + "table-cell", T + "covered-table-cell"):
                continue
            info = {
                "type": cell.get(O + "value-type"),
                "formula": cell.get(T + "formula"),
                "text": "\n".join(_paragraph_text(p) for p in cell.findall(X + "p")),
            }
            cells.extend([info] * int(cell.get(T + "number-columns-repeated", "1")))
        while cells and not cells[-1]["text"] and cells[-1]["type"] is None:
            cells.pop()
        if cells:
            rows.append(cells)
    return rows


@pytest.fixture
def exported(diary, fixed_now, tmp_path):
    fixed_now(NOW)
    set_codes(diary)
    add(diary, "COAP", "2026-11-16 09:05", "2026-11-16 09:50", outcome="ATTC", notes=MULTILINE)
    add(diary, "CTOB", "2026-11-17 08:00", "2026-11-17 08:07", notes=HYPERLINK, location="OFF1")
    add(diary, "CMOB", "2026-11-18 07:30", "2026-11-18 07:35", crn="A000001", notes=PHONE, event="3")
    add(diary, "COAP", "2026-10-25 00:30", "2026-10-25 02:30", crn="A000001", outcome="ATTC",
        notes="-3 points; @home")
    plan = delius_io.plan_export(diary, dt.date(2026, 10, 25), dt.date(2026, 11, 22))
    path = tmp_path / plan.file_name
    delius_io.export_to_file(diary, plan, path)
    with open(path, encoding="utf-8-sig", newline="") as fh:
        expected = list(csv.reader(fh))
    return path, expected


def test_libreoffice_reads_every_cell_intact_and_runs_no_formula(exported, tmp_path):
    path, expected = exported
    sheet = convert(path, tmp_path)
    texts = [[c["text"] for c in row] for row in sheet]
    assert texts == expected  # every cell, as written; the header row first
    assert len(sheet) == 5 and all(len(r) == 19 for r in sheet)

    for row in sheet:
        for cell in row:
            assert cell["formula"] is None, cell  # nothing became a formula
            assert cell["type"] in (None, "string"), cell  # nor a number, date or time

    header = texts[0]
    by_ref = {r[-1]: dict(zip(header, r)) for r in texts[1:]}
    first = by_ref["PD-000001"]
    assert first["Contact Date"] == "16/11/2026"
    assert first["Start Time"] == "09:05" and first["End Time"] == "09:50"
    assert first["Notes"] == MULTILINE
    assert by_ref["PD-000002"]["Notes"] == "'" + HYPERLINK
    assert by_ref["PD-000002"]["Start Time"] == "08:00"
    assert by_ref["PD-000003"]["Notes"] == "'" + PHONE
    assert by_ref["PD-000003"]["Relates To"] == "Event 3"
    autumn = by_ref["PD-000004"]
    assert (autumn["Contact Date"], autumn["Start Time"], autumn["End Time"]) == ("25/10/2026", "00:30", "02:30")
    assert autumn["Notes"] == "'-3 points; @home"


def test_control_unprotected_cells_are_evaluated_by_this_import(tmp_path):
    """Without the leading apostrophe the same import runs the formula: the check above bites."""
    path = tmp_path / "unprotected.csv"
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh, lineterminator="\r\n").writerows([["Notes", "Sum"], [HYPERLINK, "=1+1"]])
    sheet = convert(path, tmp_path)
    link, total = sheet[1]
    assert link["formula"] and link["text"] == "y"
    assert total["formula"] == "of:=1+1" and total["text"] == "2"
