"""Shared set-up for the Delius export tests (no tests here).

Entries are built through the app's one validation path; entries that validation would stop
(an invalid CRN, an attended outcome in the future, ...) are written straight into the table,
as an older version of the app or a damaged import might have left them.
"""

from __future__ import annotations

import datetime as dt

from probation_diary.core import clock
from probation_diary.core.clock import format_utc
from probation_diary.core.validation import EntryDraft, check_entry

FAR_FUTURE = clock.local_to_utc(dt.datetime(2099, 1, 1, 12, 0)).instant
CODES = {"provider_code": "N07", "team_code": "N07T01", "staff_code": "N07A123"}
# Now, for every test that does not say otherwise: Friday 20 November 2026, 17:00.
NOW = "2026-11-20 17:00"


def utc(local: str) -> dt.datetime:
    return clock.local_to_utc(clock.parse_local_datetime(local)).instant


def set_codes(diary, **overrides):
    diary.set_settings({**CODES, **overrides})


def add(diary, type_, start, end, *, crn="X123456", outcome="", now=FAR_FUTURE, **extra):
    """add(diary, "COAP", "2026-11-16 10:00", "2026-11-16 11:00", outcome="ATTC")"""
    s = clock.parse_local_datetime(start)
    e = clock.parse_local_datetime(end)
    draft = EntryDraft(
        type=type_, crn=crn or "", start_date=s.date().isoformat(), start_time=f"{s:%H:%M}",
        end_date=e.date().isoformat(), end_time=f"{e:%H:%M}", outcome=outcome or "",
    )
    for key, value in extra.items():
        setattr(draft, key, value)
    checked = check_entry(draft, diary.reference(), now)
    assert checked.ok, checked.errors
    return diary.add_entry(checked.entry)


def type_id(diary, code_or_label: str) -> int:
    return diary.reference().find_type(code_or_label).id


def add_raw(diary, type_, start_utc: dt.datetime, end_utc: dt.datetime, *, crn="X123456",
            foreign_keys=True, **columns) -> int:
    """Insert a row directly, bypassing validation. Returns its id."""
    row = {
        "type_id": type_id(diary, type_), "crn": crn, "start_utc": format_utc(start_utc),
        "end_utc": format_utc(end_utc), "created_utc": format_utc(start_utc),
        "updated_utc": format_utc(start_utc), **columns,
    }
    conn = diary.db.conn
    if not foreign_keys:
        conn.execute("PRAGMA foreign_keys = OFF")
    try:
        if crn and foreign_keys:
            conn.execute("INSERT OR IGNORE INTO people (crn, name) VALUES (?, '')", [crn])
        names = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        cur = conn.execute(f"INSERT INTO entries ({names}) VALUES ({marks})", list(row.values()))
        conn.commit()
    finally:
        if not foreign_keys:
            conn.execute("PRAGMA foreign_keys = ON")
    return cur.lastrowid
