"""Delius export on disk and on the command line (issue 5). Qt-free."""

from __future__ import annotations

import datetime as dt

from .core.clock import format_utc
from .storage import Diary


def outstanding_count(diary: Diary, start: dt.datetime, end: dt.datetime) -> int:
    """Contacts in [start, end) that still have to be keyed into Delius."""
    row = diary.db.execute(
        "SELECT count(*) FROM entries e JOIN activity_types t ON t.id = e.type_id"
        " WHERE t.delius_code IS NOT NULL AND e.crn IS NOT NULL AND e.delius_status != 'entered'"
        " AND e.start_utc >= ? AND e.start_utc < ?",
        [format_utc(start), format_utc(end)],
    ).fetchone()
    return row[0]


def register(sub, common, commands) -> None:
    """Add this module's subcommands to the command-line parser (export-delius lives in cli.py)."""


def export_delius_command(diary: Diary, args, warn) -> int:
    raise NotImplementedError("export-delius is not built yet")
