"""The anonymised weekly figures file (.csv or .json; docs/figures-format.md): written from a
practitioner's diary, read back in the team view. No CRN, name or note is ever in it."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

from ..core.evidence import (
    CSV_FIELDS, FORMAT_NAME, FORMAT_VERSION, MINUTE_FIELDS, WEEK_FIELDS, EvidenceError, ImportedWeek,
    Practitioner, Team, WeekFigures,
)
from ..core.model import TIME_CLASSES
from .csvsafe import protect
from .safefile import write_atomically


def figures_json(weeks: list[WeekFigures], who: Practitioner = Practitioner()) -> str:
    who = who.checked()
    doc = {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "practitioner": {"label": who.label, "grade": who.grade, "team": who.team},
        "weeks": [w.to_json() for w in weeks],
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def figures_csv(weeks: list[WeekFigures], who: Practitioner = Practitioner()) -> str:
    who = who.checked()
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(CSV_FIELDS)
    for w in weeks:
        data = w.to_json()
        row = [FORMAT_VERSION]
        for name in WEEK_FIELDS:
            value = data[name]
            if value is None:
                value = ""
            elif isinstance(value, bool):
                value = "yes" if value else "no"
            row.append(value)
        row += [protect(who.label), who.grade, who.team]
        writer.writerow(row)
    return buf.getvalue()


def write_figures(path: str | Path, weeks: list[WeekFigures], who: Practitioner = Practitioner()) -> None:
    """Write a .csv or .json figures file (chosen by the extension), atomically."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        text, encoding = figures_csv(weeks, who), "utf-8-sig"
    elif suffix == ".json":
        text, encoding = figures_json(weeks, who), "utf-8"
    else:
        raise EvidenceError(f"the figures file must end in .csv or .json, not '{path.suffix or path.name}'")
    write_atomically(path, text.encode(encoding))


def _int_field(row: dict, name: str, where: str) -> int:
    raw = row.get(name)
    if isinstance(raw, bool):
        raise EvidenceError(f"{where}: {name} must be a whole number of minutes, not {raw!r}")
    if isinstance(raw, int):
        value = raw
    else:
        text = str(raw if raw is not None else "").strip()
        if not text.lstrip("-").isdigit():
            raise EvidenceError(f"{where}: {name} must be a whole number of minutes, not '{text}'")
        value = int(text)
    if value < 0:
        raise EvidenceError(f"{where}: {name} cannot be negative ({value})")
    if value > 7 * 25 * 60:
        raise EvidenceError(f"{where}: {name} is more than a week ({value} minutes)")
    return value


def _week_from_row(row: dict, where: str) -> WeekFigures:
    missing = [f for f in WEEK_FIELDS if f not in row]
    if missing:
        raise EvidenceError(f"{where}: missing {', '.join(missing)}")
    text = str(row["week_start"] or "").strip()
    try:
        monday = dt.date.fromisoformat(text)
    except ValueError:
        raise EvidenceError(f"{where}: week_start '{text}' is not a date (YYYY-MM-DD)")
    if monday.weekday() != 0:
        raise EvidenceError(f"{where}: week_start {text} is not a Monday")
    values = {name: _int_field(row, name, where) for name in MINUTE_FIELDS}
    minutes = {c: values[f"{c}_minutes"] for c in TIME_CLASSES}
    figures = WeekFigures(monday, minutes, values["contracted_minutes"], values["expected_minutes"])
    for name in ("worked_minutes", "unlogged_minutes", "extra_minutes"):
        if values[name] != getattr(figures, name):
            raise EvidenceError(f"{where}: {name} is {values[name]} but the other figures give {getattr(figures, name)}")
    if values["expected_minutes"] > values["contracted_minutes"]:
        raise EvidenceError(f"{where}: expected_minutes is more than contracted_minutes")
    for name in ("face_to_face_share", "direct_contact_share"):
        raw = row.get(name)
        if raw is None or raw == "":
            continue
        try:
            share = float(raw)
        except (TypeError, ValueError):
            raise EvidenceError(f"{where}: {name} must be a number from 0 to 1 or empty, not '{raw}'")
        if not 0 <= share <= 1:
            raise EvidenceError(f"{where}: {name} must be from 0 to 1, not {raw}")
    return figures


def _read_json(text: str, name: str) -> list[ImportedWeek]:
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise EvidenceError(f"{name}: not valid JSON (line {exc.lineno})")
    if not isinstance(doc, dict) or "weeks" not in doc and "format_version" not in doc:
        raise EvidenceError(f"{name}: not a Probation Diary weekly figures file")
    _check_version(doc.get("format_version"), name)
    who = doc.get("practitioner") or {}
    if not isinstance(who, dict):
        raise EvidenceError(f"{name}: 'practitioner' must be an object with label, grade and team")
    label = _check_label(who.get("label"), name)
    grade, team = str(who.get("grade") or ""), str(who.get("team") or "")
    weeks = doc.get("weeks")
    if not isinstance(weeks, list):
        raise EvidenceError(f"{name}: missing the list of weeks")
    out, seen = [], set()
    for i, row in enumerate(weeks, start=1):
        where = f"{name}, week {i}"
        if not isinstance(row, dict):
            raise EvidenceError(f"{where}: not an object")
        figures = _week_from_row(row, where)
        if figures.week_start in seen:
            raise EvidenceError(f"{where}: the week of {figures.week_start} appears twice in this file")
        seen.add(figures.week_start)
        out.append(ImportedWeek(label, grade, team, figures, name))
    return out


def _check_version(value, name: str) -> None:
    if value is None or value == "":
        raise EvidenceError(f"{name}: no format_version; is this a Probation Diary weekly figures file?")
    if str(value).strip() != str(FORMAT_VERSION):
        raise EvidenceError(f"{name}: format_version {value} is not supported (this app reads version {FORMAT_VERSION})")


def _check_label(value, where: str) -> str:
    label = " ".join(str(value or "").split())
    if label.startswith("'"):
        label = label[1:]
    if not label:
        raise EvidenceError(f"{where}: no practitioner label; export the figures with a label (e.g. --label A)")
    return label


def _read_csv(text: str, name: str) -> list[ImportedWeek]:
    reader = csv.DictReader(io.StringIO(text))
    header = reader.fieldnames or []
    if "format_version" not in header:
        raise EvidenceError(f"{name}: no format_version column; is this a Probation Diary weekly figures file?")
    missing = [f for f in CSV_FIELDS if f not in header]
    if missing:
        raise EvidenceError(f"{name}: missing column(s) {', '.join(missing)}")
    out, seen = [], {}
    for row in reader:
        where = f"{name}, line {reader.line_num}"
        _check_version(row.get("format_version"), where)
        label = _check_label(row.get("label"), where)
        figures = _week_from_row(row, where)
        key = (label, figures.week_start)
        if key in seen:
            raise EvidenceError(f"{where}: {label}'s week of {figures.week_start} is already on line {seen[key]}")
        seen[key] = reader.line_num
        out.append(ImportedWeek(label, (row.get("grade") or "").strip(), (row.get("team") or "").strip(),
                                figures, name))
    if not out:
        raise EvidenceError(f"{name}: has no weeks")
    return out


def read_figures(path: str | Path) -> list[ImportedWeek]:
    """Read and check one figures file (.csv or .json). Raises EvidenceError naming the file."""
    path = Path(path)
    name = path.name
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise EvidenceError(f"cannot read {name}: {exc.strerror or exc}")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise EvidenceError(f"{name}: not UTF-8 text")
    return read_figures_text(text, name)


def read_figures_text(text: str, name: str) -> list[ImportedWeek]:
    if name.lower().endswith(".json") or text.lstrip().startswith("{"):
        return _read_json(text, name)
    return _read_csv(text, name)


def add_file(team: Team, path: str | Path) -> int:
    """Add one practitioner's figures file to the team; how many weeks it brought."""
    return team.add(read_figures(path))


def write_team_csv(team: Team, path: str | Path) -> None:
    write_atomically(Path(path), team.table_csv().encode("utf-8-sig"))
