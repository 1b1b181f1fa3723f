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
