"""Build diary entries in tests through the same validation path as the app."""

from __future__ import annotations

import datetime as dt

from probation_diary.core import clock
from probation_diary.core.validation import EntryDraft, check_entry

PASS = "correct horse battery staple"  # the passphrase of every encrypted test diary
FAR_FUTURE = clock.local_to_utc(dt.datetime(2099, 1, 1, 12, 0)).instant


def add(diary, type_, start=None, end=None, *, crn=None, outcome=None, day=None, notes="",
        now=FAR_FUTURE, **extra):
    """add(diary, "COAP", "2026-11-16 10:00", "2026-11-16 11:00", crn="X123456", outcome="ATTC")
    or add(diary, "Annual leave", day="2026-11-20") for a whole-day absence."""
    if day is not None:
        draft = EntryDraft(type=type_, crn=crn or "", start_date=day, all_day=True, notes=notes)
    else:
        s = clock.parse_local_datetime(start)
        e = clock.parse_local_datetime(end)
        draft = EntryDraft(
            type=type_, crn=crn or "", start_date=s.date().isoformat(), start_time=f"{s:%H:%M}",
            end_date=e.date().isoformat(), end_time=f"{e:%H:%M}", outcome=outcome or "", notes=notes,
        )
    for key, value in extra.items():
        setattr(draft, key, value)
    checked = check_entry(draft, diary.reference(), now)
    assert checked.ok, checked.errors
    return diary.add_entry(checked.entry)


def utc(local: str) -> dt.datetime:
    return clock.local_to_utc(clock.parse_local_datetime(local)).instant
