"""The diary's side of the retention policy: which entries it would anonymise, found in SQL
(the rules: core/retention.py). Issue 18: the plan is one aggregate over the delius-status
index and a column of ids, instead of a full Entry for every row of the diary (46 s and memory
that grows with the diary at 1,000,000 entries)."""

from __future__ import annotations

import datetime as dt
from array import array

from ..core import retention
from ..core.clock import format_utc, parse_utc
from ..core.model import ENTERED
from .diary import Diary

# core.retention.plan's test, row by row: entered in Delius, ended by the cutoff, and still
# holding a note or a CRN
_WHERE = "delius_status = ? AND end_utc <= ? AND (notes != '' OR crn IS NOT NULL)"


def plan(diary: Diary, days, now: dt.datetime) -> retention.RetentionPlan:
    """The same plan as core.retention.plan(diary.all_entries(), days, now); its ids are a
    compact array (8 bytes each) in the same order."""
    days = retention.validate_days(days)
    cutoff = now - dt.timedelta(days=days)
    result = retention.RetentionPlan(days=days, cutoff=cutoff)
    params = [ENTERED, format_utc(cutoff)]
    conn = diary.db.conn
    result.ids = array("q", (r[0] for r in conn.execute(
        f"SELECT id FROM entries WHERE {_WHERE} ORDER BY start_utc, id", params)))
    if not result.ids:
        return result
    notes, first, last = conn.execute(
        f"SELECT sum(notes != ''), min(start_utc), max(start_utc) FROM entries WHERE {_WHERE}", params).fetchone()
    result.notes = notes
    result.first, result.last = parse_utc(first), parse_utc(last)
    result.crns = {r[0] for r in conn.execute(
        f"SELECT DISTINCT crn FROM entries WHERE {_WHERE} AND crn IS NOT NULL", params)}
    return result
