"""The diary's side of the Delius export: the lean reads it needs (rules: formats/delius.py)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from ..core.clock import format_utc
from .diary import Diary

if TYPE_CHECKING:
    from ..formats import delius


def outstanding_count(diary: Diary, start: dt.datetime, end: dt.datetime) -> int:
    """Contacts in [start, end) that still have to be keyed into Delius."""
    row = diary.db.execute(
        "SELECT count(*) FROM entries e JOIN activity_types t ON t.id = e.type_id"
        " WHERE t.delius_code IS NOT NULL AND e.crn IS NOT NULL AND e.delius_status != 'entered'"
        " AND e.start_utc >= ? AND e.start_utc < ?",
        [format_utc(start), format_utc(end)],
    ).fetchone()
    return row[0]


# The columns of delius.Contact, in its order. Only entries of a type with a Delius code.
_CONTACTS_SQL = (
    "SELECT e.id, e.type_id, e.crn, e.start_utc, e.end_utc, e.all_day, e.outcome_code,"
    " e.enforcement_code, e.location_code, e.event_number, e.sensitive, e.alert, e.rar, e.notes,"
    " e.delius_status"
    " FROM entries e JOIN activity_types t ON t.id = e.type_id"
    " WHERE t.delius_code IS NOT NULL AND e.start_utc >= ? AND e.start_utc < ?"
)
_ORDERS = {
    "row": " ORDER BY e.crn, e.start_utc, e.end_utc, e.id",  # the file's order (delius.sort_key)
    "start": " ORDER BY e.start_utc, e.id",  # the problems' order
}


def read_contacts(diary: Diary, start: dt.datetime, end: dt.datetime) -> list[delius.Contact]:
    """Exportable entries starting in [start, end), read lean (see delius.Contact)."""
    return list(iter_contacts(diary, start, end))


def iter_contacts(diary: Diary, start: dt.datetime, end: dt.datetime, order: str = "row"):
    """read_contacts, one at a time from the cursor (issue 18: exports that stream), sorted by
    SQLite in the file's order ("row") or in start order ("start")."""
    from ..formats import delius

    utc = dt.datetime.fromisoformat  # reads the stored "...Z" form as an aware UTC instant
    contact = delius.Contact
    for (i, t, crn, s, e, ad, oc, ec, loc, ev, sens, al, rar, notes, status) in diary.db.conn.execute(
            _CONTACTS_SQL + _ORDERS[order], [format_utc(start), format_utc(end)]):
        yield contact(i, t, crn, utc(s), utc(e), bool(ad), oc, ec, loc, ev, bool(sens), bool(al), bool(rar),
                      notes, status)


# Pages of the same reads, for the export dialog's preview and its count (keyset pagination,
# as store/listing.py pages the list): no cursor stays open between pages, so the diary can be
# written between two of them. Each order walks its own index, so a page costs the same at the
# start of a 20-year range as at its end.
_PAGE_SQL = (
    "SELECT e.id, e.type_id, e.crn, e.start_utc, e.end_utc, e.all_day, e.outcome_code,"
    " e.enforcement_code, e.location_code, e.event_number, e.sensitive, e.alert, e.rar, e.notes,"
    " e.delius_status"
    " FROM entries e INDEXED BY {index} JOIN activity_types t ON t.id = e.type_id"
    " WHERE t.delius_code IS NOT NULL AND e.start_utc >= ? AND e.start_utc < ?"
)
_KEYSETS = {
    # the file's order; an entry without a CRN is never a row (Delius refuses it), so it is not read
    "row": ("entries_crn", " AND e.crn IS NOT NULL", "(e.crn, e.start_utc, e.end_utc, e.id)"),
    "start": ("entries_start", "", "(e.start_utc, e.id)"),  # the problems' order
}


def contacts_page(diary: Diary, start: dt.datetime, end: dt.datetime, statuses, *, after: tuple | None = None,
                  limit: int = 256, order: str = "row") -> tuple[list[delius.Contact], tuple | None]:
    """Up to ``limit`` exportable entries starting in [start, end) whose Delius status is one of
    ``statuses``, after the key ``after`` in ``order`` ("row": the file's, "start": the
    problems'). Returns them and the key to pass as ``after`` for the next page (None when
    this page is empty)."""
    from ..formats import delius

    index, only, key = _KEYSETS[order]
    statuses = sorted(statuses)
    sql = _PAGE_SQL.format(index=index) + only
    sql += f" AND e.delius_status IN ({', '.join('?' for _ in statuses)})"
    lower = format_utc(start)
    if after is not None and order == "start":
        lower = after[0]  # the range's start bound would have SQLite walk every page before this one
    args: list = [lower, format_utc(end), *statuses]
    if after is not None:
        sql += f" AND {key} > ({', '.join('?' for _ in after)})"
        args += list(after)
    sql += f" ORDER BY {key[1:-1]} LIMIT {int(limit)}"
    raw = diary.db.conn.execute(sql, args).fetchall()
    if not raw:
        return [], None
    utc = dt.datetime.fromisoformat
    contact = delius.Contact
    contacts = [contact(i, t, crn, utc(s), utc(e), bool(ad), oc, ec, loc, ev, bool(sens), bool(al), bool(rar),
                        notes, status)
                for (i, t, crn, s, e, ad, oc, ec, loc, ev, sens, al, rar, notes, status) in raw]
    last = raw[-1]
    next_key = (last[2], last[3], last[4], last[0]) if order == "row" else (last[3], last[0])
    return contacts, next_key
