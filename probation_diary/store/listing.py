"""The diary as a list: one page of entries at a time, filtered and sorted by SQLite.

Keyset pagination on (sort key, id), so a diary of a million entries opens at once and scrolls
without loading every row (the window's list model asks for the next page as it scrolls).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from ..core.clock import MAX_SPAN_MINUTES, format_utc
from ..core.model import CRN_PATTERN, DELIUS_STATUS_LABELS, DELIUS_STATUSES
from .diary import Diary

PAGE = 256  # rows a page
OUTSTANDING = "outstanding"  # Delius filter: exportable and not yet entered
OUTCOME_FILTERS = {
    "awaiting": "Awaiting outcome",
    "attended": "Attended",
    "not_attended": "Not attended",
    "booked": "Booked (future)",
    "not_needed": "No outcome needed",
}
DELIUS_FILTERS = {OUTSTANDING: "Not yet entered in Delius", **DELIUS_STATUS_LABELS}

# The list's sort keys by column, as SQL (never NULL, so keyset comparisons work).
SORT_KEYS = {
    "ref": "e.id",
    "date": "e.start_utc",
    "time": "e.start_utc",
    "length": "(julianday(e.end_utc) - julianday(e.start_utc))",
    "type": "t.label",
    "crn": "COALESCE(e.crn, '')",
    "name": "COALESCE(p.name, '')",
    "class": "t.time_class",
    "outcome": "COALESCE(o.label, '')",
    "delius": "CASE WHEN t.delius_code IS NULL OR e.crn IS NULL THEN '' ELSE e.delius_status END",
    "notes": "e.notes",
}

_SELECT = (
    "SELECT e.id, e.crn, e.start_utc, e.end_utc, e.all_day, e.outcome_code, e.delius_status,"
    " substr(e.notes, 1, 160), p.name, t.label, t.delius_code, t.time_class, t.needs_outcome,"
    " o.label, {key} AS sort_key, e.type_id"
    " FROM entries e JOIN activity_types t ON t.id = e.type_id"
    " LEFT JOIN people p ON p.crn = e.crn LEFT JOIN outcomes o ON o.code = e.outcome_code"
)
# The columns of a row, in order.
(ID, CRN, START, END, ALLDAY, OUTCODE, DELIUS, NOTES, NAME, TYPE, CODE, CLASS,
 NEEDS, OUTLABEL, KEY, TYPEID) = range(16)


@dataclass(frozen=True)
class EntryFilter:
    person: str = ""             # a CRN, or part of a CRN or name
    type_id: int | None = None
    time_class: str | None = None
    outcome: str | None = None   # a key of OUTCOME_FILTERS
    delius: str | None = None    # a Delius status or OUTSTANDING
    text: str = ""               # anywhere: CRN, name, type or notes
    start: dt.datetime | None = None  # UTC range on the start time
    end: dt.datetime | None = None

    def with_changes(self, **kw) -> "EntryFilter":
        return replace(self, **kw)

    @property
    def active(self) -> bool:
        return self != EntryFilter()


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def filter_sql(f: EntryFilter, now: dt.datetime) -> tuple[list[str], list]:
    where: list[str] = []
    args: list = []
    person = f.person.strip()
    if person:
        if CRN_PATTERN.match(person.upper()):
            where.append("e.crn = ?")
            args.append(person.upper())
        else:
            where.append("(e.crn LIKE ? ESCAPE '\\' OR p.name LIKE ? ESCAPE '\\')")
            args += [_like(person), _like(person)]
    if f.type_id is not None:
        where.append("e.type_id = ?")
        args.append(f.type_id)
    if f.time_class:
        where.append("t.time_class = ?")
        args.append(f.time_class)
    nowtext = format_utc(now)
    if f.outcome == "awaiting":
        where.append("t.needs_outcome = 1 AND e.outcome_code IS NULL AND e.start_utc <= ?")
        args.append(nowtext)
    elif f.outcome == "booked":
        where.append("t.needs_outcome = 1 AND e.outcome_code IS NULL AND e.start_utc > ?")
        args.append(nowtext)
    elif f.outcome == "attended":
        where.append("o.attended = 1")
    elif f.outcome == "not_attended":
        where.append("o.attended = 0")
    elif f.outcome == "not_needed":
        where.append("t.needs_outcome = 0")
    if f.delius:
        where.append("t.delius_code IS NOT NULL AND e.crn IS NOT NULL")
        if f.delius == OUTSTANDING:
            where.append("e.delius_status != 'entered'")
        elif f.delius in DELIUS_STATUSES:
            where.append("e.delius_status = ?")
            args.append(f.delius)
    if f.text.strip():  # the one search box: CRN, name, type (label or Delius code) and notes
        where.append("(e.notes LIKE ? ESCAPE '\\' OR COALESCE(e.crn, '') LIKE ? ESCAPE '\\'"
                     " OR COALESCE(p.name, '') LIKE ? ESCAPE '\\' OR t.label LIKE ? ESCAPE '\\'"
                     " OR COALESCE(t.delius_code, '') LIKE ? ESCAPE '\\')")
        args += [_like(f.text.strip())] * 5
    if f.start is not None:
        where.append("e.start_utc >= ?")
        args.append(format_utc(f.start))
    if f.end is not None:
        where.append("e.start_utc < ?")
        args.append(format_utc(f.end))
    return where, args


def entry_page(diary: Diary, f: EntryFilter, sort: str, descending: bool, after: tuple | None,
               now: dt.datetime, limit: int = PAGE) -> list[tuple]:
    """The next ``limit`` rows after ``after`` (the last row of the page before, or None)."""
    key = SORT_KEYS[sort]
    where, args = filter_sql(f, now)
    if after is not None:
        where.append(f"({key}, e.id) {'<' if descending else '>'} (?, ?)")
        args += [after[KEY], after[ID]]
    sql = _SELECT.format(key=key)
    if where:
        sql += " WHERE " + " AND ".join(where)
    direction = "DESC" if descending else "ASC"
    sql += f" ORDER BY sort_key {direction}, e.id {direction} LIMIT {int(limit)}"
    return diary.db.execute(sql, args).fetchall()


# --- the command line's list: column widths without a second pass over the rows (issue 18) ---

@dataclass(frozen=True)
class SpanGroup:
    """Entries of a span that print alike in every column whose width Python works out (type,
    outcome, Delius status, and where start and end fall against now), with what the other
    columns' widths need: the longest reference, length and CRN-and-name."""

    type_id: int
    outcome_code: str | None
    delius_status: str
    sample_id: int  # one entry of the group: what it counts as stands for all of them
    count: int
    max_id: int
    timed: bool  # some entry is not all day
    all_day: bool  # some entry is all day
    max_minutes: int | None  # over entries not all day (None: none)
    min_minutes: int | None
    who: int  # the longest "CRN (name)" as the list prints it


def span_groups(diary: Diary, start: dt.datetime, end: dt.datetime,
                now: dt.datetime) -> list[SpanGroup]:
    """One aggregate over the entries that ``Diary.iter_entries_between(start, end)`` yields
    (the same WHERE), grouped so that a caller can work out every column's width from a few
    dozen groups instead of a first pass over the rows. Stored times are fixed-width UTC text,
    so comparing them with ``format_utc(now)`` as text compares the instants."""
    lower = start - dt.timedelta(minutes=MAX_SPAN_MINUTES)
    nowtext = format_utc(now)
    minutes = "(CAST(strftime('%s', e.end_utc) AS INTEGER) - CAST(strftime('%s', e.start_utc) AS INTEGER)) / 60"
    sql = (
        "SELECT e.type_id, e.outcome_code, e.delius_status, min(e.id), count(*), max(e.id),"
        " max(e.all_day = 0), max(e.all_day != 0),"
        f" max(CASE WHEN e.all_day = 0 THEN {minutes} END), min(CASE WHEN e.all_day = 0 THEN {minutes} END),"
        " max(length(CASE WHEN COALESCE(e.crn, '') = '' THEN ''"
        "  WHEN COALESCE(p.name, '') = '' THEN e.crn ELSE e.crn || ' (' || p.name || ')' END))"
        " FROM entries e LEFT JOIN people p ON p.crn = e.crn"
        " WHERE e.start_utc >= ? AND e.start_utc < ? AND e.end_utc > ?"
        " GROUP BY e.type_id, e.outcome_code, e.delius_status,"
        "  e.start_utc < ?, e.start_utc > ?, e.end_utc > ?"
    )
    rows = diary.db.conn.execute(
        sql, [format_utc(lower), format_utc(end), format_utc(start), nowtext, nowtext, nowtext])
    return [SpanGroup(r[0], r[1], r[2], r[3], r[4], r[5], bool(r[6]), bool(r[7]), r[8], r[9], r[10] or 0)
            for r in rows]
