"""The diary's own CSV: every field of every entry, so export then import loses nothing.

It is also how a practitioner brings a spreadsheet diary in: only type, date, start and end
(or all_day) are required; every other column may be missing or empty.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field

from ..core import clock
from .csvsafe import protect_reversibly, unprotect
from ..core.model import DELIUS_STATUSES, NOT_EXPORTED, Entry, ReferenceData, parse_ref
from ..core.validation import EntryDraft, check_entry

COLUMNS = [
    "ref", "type", "type_label", "crn", "name", "date", "start", "end", "end_date", "all_day",
    "outcome", "enforcement", "location", "event", "sensitive", "alert", "rar", "notes",
    "delius_status", "delius_exported_utc", "delius_export_file", "delius_entered_utc",
    "start_utc", "end_utc", "created_utc", "updated_utc",
]
REQUIRED = ("type", "date")


def _yn(flag: bool) -> str:
    return "Y" if flag else "N"


def write(entries, ref: ReferenceData, names: dict[str, str], out) -> int:
    """Write entries to a text stream (opened with newline=''). Returns the number written."""
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    count = 0
    for e in entries:
        atype = ref.types[e.type_id]
        start, end = clock.to_local(e.start), clock.to_local(e.end)
        row = {
            "ref": e.ref, "type": atype.delius_code or atype.label, "type_label": atype.label,
            "crn": e.crn or "", "name": names.get(e.crn or "", ""),
            "date": start.date().isoformat(),
            "start": "" if e.all_day else f"{start:%H:%M}",
            "end": "" if e.all_day else f"{end:%H:%M}",
            "end_date": "" if e.all_day or end.date() == start.date() else end.date().isoformat(),
            "all_day": _yn(e.all_day), "outcome": e.outcome_code or "",
            "enforcement": e.enforcement_code or "", "location": e.location_code or "",
            "event": "" if e.event_number is None else str(e.event_number),
            "sensitive": _yn(e.sensitive), "alert": _yn(e.alert), "rar": _yn(e.rar),
            "notes": e.notes, "delius_status": e.delius_status,
            "delius_exported_utc": clock.format_utc(e.delius_exported_at) if e.delius_exported_at else "",
            "delius_export_file": e.delius_export_file or "",
            "delius_entered_utc": clock.format_utc(e.delius_entered_at) if e.delius_entered_at else "",
            "start_utc": clock.format_utc(e.start), "end_utc": clock.format_utc(e.end),
            "created_utc": clock.format_utc(e.created) if e.created else "",
            "updated_utc": clock.format_utc(e.updated) if e.updated else "",
        }
        writer.writerow([protect_reversibly(row[c]) for c in COLUMNS])
        count += 1
    return count


@dataclass
class ImportResult:
    entries: list[Entry] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def read(text: str, ref: ReferenceData, now: dt.datetime) -> ImportResult:
    """Parse and check every row. Nothing is saved here; the caller saves all or nothing."""
    result = ImportResult()
    text = text.removeprefix("\ufeff")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    headers = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED if c not in headers]
    if missing:
        result.errors.append(f"the file has no {' or '.join(missing)} column; the first line must name the columns")
        return result
    twice = sorted({h for h in headers if h and headers.count(h) > 1})
    if twice:
        result.errors.append(f"line 1: the column {', '.join(twice)} appears more than once; name each column once")
        return result
    unknown = [h for h in headers if h not in COLUMNS]
    if unknown:
        result.warnings.append(f"ignored unknown columns: {', '.join(unknown)}")
    reader.fieldnames = headers
    seen_refs: set[int] = set()
    rows = iter(reader)
    line_no = 1
    while True:
        line_no += 1
        try:
            raw = next(rows)
        except StopIteration:
            break
        except csv.Error as exc:  # the csv module's own limits: no later line can be trusted
            where = max(line_no, reader.line_num)
            if "field larger" in str(exc):
                result.errors.append(f"line {where}: a cell is longer than {csv.field_size_limit():,} characters "
                                     "(the diary's notes hold at most 100,000)")
            else:
                result.errors.append(f"line {where}: the file cannot be read as CSV ({str(exc).split(chr(10))[0]})")
            return result
        if None in raw:
            result.errors.append(f"line {line_no}: more cells than column names")
            continue
        row = {k: unprotect(v or "") for k, v in raw.items()}
        if not any(v.strip() for v in row.values()):
            continue
        try:
            entry = _row_to_entry(row, ref, now, result, line_no)
        except ValueError as exc:
            result.errors.append(f"line {line_no}: {exc}")
            continue
        if entry is None:
            continue
        if entry.id is not None:
            if entry.id in seen_refs:
                result.errors.append(f"line {line_no}: {entry.ref} appears twice in the file")
                continue
            seen_refs.add(entry.id)
        result.entries.append(entry)
        if entry.crn and row.get("name", "").strip():
            result.names[entry.crn] = row["name"].strip()
    return result


def _flag(value: str, name: str) -> bool:
    v = value.strip().upper()
    if v in ("Y", "YES", "TRUE", "1"):
        return True
    if v in ("", "N", "NO", "FALSE", "0"):
        return False
    raise ValueError(f"{name} must be Y or N, not '{value}'")


def _opt_utc(value: str, name: str):
    if not value.strip():
        return None
    try:
        return clock.parse_utc(value.strip())
    except ValueError:
        raise ValueError(f"{name} must look like 2026-01-31T09:30:00Z, not '{value}'")


def _row_to_entry(row: dict, ref: ReferenceData, now, result: ImportResult, line_no: int) -> Entry | None:
    all_day = _flag(row.get("all_day", ""), "all_day")
    draft = EntryDraft(
        type=row.get("type", ""), crn=row.get("crn", ""), start_date=row.get("date", ""),
        start_time=row.get("start", ""), end_date=row.get("end_date", ""), end_time=row.get("end", ""),
        all_day=all_day, outcome=row.get("outcome", ""), enforcement=row.get("enforcement", ""),
        location=row.get("location", ""), event=row.get("event", ""),
        sensitive=_flag(row.get("sensitive", ""), "sensitive"), alert=_flag(row.get("alert", ""), "alert"),
        rar=_flag(row.get("rar", ""), "rar"), notes=row.get("notes", ""),
    )
    start_utc = _opt_utc(row.get("start_utc", ""), "start_utc")
    end_utc = _opt_utc(row.get("end_utc", ""), "end_utc")
    checked = check_entry(draft, ref, now)
    if not checked.ok:
        result.errors.append(f"line {line_no}: {checked.first_error()}")
        return None
    entry = checked.entry
    exact = bool(start_utc and end_utc)
    for w in checked.warnings:
        if not (exact and "happens twice" in w):  # the UTC columns settle the repeated hour
            result.warnings.append(f"line {line_no}: {w}")
    if exact:
        # The UTC instants are exact: they settle the repeated hour of a clock change.
        if clock.to_local(start_utc).date() != entry.start.astimezone(clock.LONDON).date() \
                or clock.minutes_between(start_utc, end_utc) <= 0:
            raise ValueError("start_utc and end_utc do not match the local date and times")
        entry = entry.with_changes(start=start_utc, end=end_utc)
    status = row.get("delius_status", "").strip() or NOT_EXPORTED
    if status not in DELIUS_STATUSES:
        raise ValueError(f"delius_status must be one of {', '.join(DELIUS_STATUSES)}, not '{status}'")
    ref_text = row.get("ref", "").strip()
    return entry.with_changes(
        id=parse_ref(ref_text) if ref_text else None,
        delius_status=status,
        delius_exported_at=_opt_utc(row.get("delius_exported_utc", ""), "delius_exported_utc"),
        delius_export_file=row.get("delius_export_file", "").strip() or None,
        delius_entered_at=_opt_utc(row.get("delius_entered_utc", ""), "delius_entered_utc"),
        created=_opt_utc(row.get("created_utc", ""), "created_utc"),
        updated=_opt_utc(row.get("updated_utc", ""), "updated_utc"),
    )
