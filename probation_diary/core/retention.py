"""The optional retention policy: personal data goes from entries that are already entered in
nDelius and older than N days (90 by default). Qt-free and storage-free: this module decides
which entries and describes what will go; Diary.anonymise_entries() removes it.

What goes: the note, the CRN (and so the per-person lines of the weekly summary), the
entry's earlier versions and drafts, and a person's name once no entry refers to them.
What stays: type, times, outcome, location, event, Delius status, so every weekly time figure
(minutes per class, shares, unlogged, extra hours) is unchanged.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Iterable

from .model import ENTERED, Entry

SETTING_KEY = "security.retention_days"  # absent or "0": no policy
ASKED_KEY = "security.retention_asked"  # first run asked about it
DEFAULT_DAYS = 90


@dataclass
class RetentionPlan:
    days: int
    cutoff: dt.datetime
    ids: list[int] = field(default_factory=list)
    crns: set[str] = field(default_factory=set)
    notes: int = 0
    first: dt.datetime | None = None
    last: dt.datetime | None = None

    @property
    def empty(self) -> bool:
        return not self.ids

    def describe(self) -> str:
        """What will be removed, in plain words (no personal data in it)."""
        if self.empty:
            return (f"No entries entered in Delius are older than {self.days} days with personal details; "
                    "nothing would be removed.")
        from . import clock

        n = len(self.ids)
        span = f"from {clock.to_local(self.first):%d/%m/%Y} to {clock.to_local(self.last):%d/%m/%Y}"
        return (
            f"{n} entr{'y' if n == 1 else 'ies'} entered in Delius and older than {self.days} days "
            f"({span}) will lose their notes ({self.notes} with a note), their CRN ({len(self.crns)} "
            f"{'person' if len(self.crns) == 1 else 'people'}), their earlier versions and drafts; "
            "names of people with no other entries are removed too. "
            "The times, types and outcomes stay, so the weekly time figures do not change. "
            "This cannot be undone (older backups still hold the details until they are thinned out)."
        )


def validate_days(days) -> int:
    try:
        value = int(str(days).strip())
    except ValueError:
        raise ValueError(f"the retention period must be a whole number of days, not '{days}'")
    if value < 1 or value > 3650:
        raise ValueError("the retention period must be between 1 and 3650 days")
    return value


def plan(entries: Iterable[Entry], days: int, now: dt.datetime) -> RetentionPlan:
    """Entries entered in Delius (status "entered", not "changed since") that ended more than
    `days` days before `now` and still hold a note or a CRN."""
    days = validate_days(days)
    cutoff = now - dt.timedelta(days=days)
    result = RetentionPlan(days=days, cutoff=cutoff)
    for e in entries:
        if e.delius_status != ENTERED or e.end > cutoff:
            continue
        if not e.notes and not e.crn:
            continue
        result.ids.append(e.id)
        if e.crn:
            result.crns.add(e.crn)
        if e.notes:
            result.notes += 1
        result.first = e.start if result.first is None or e.start < result.first else result.first
        result.last = e.start if result.last is None or e.start > result.last else result.last
    return result
