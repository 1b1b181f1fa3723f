"""The reminder to log the day (issue 15): when it is due and what it says. Qt-free.

At the time the user set (default 16:30) on a working day, if today still has unlogged time,
the window shows one desktop notification naming only how much time is unlogged: never a CRN,
a name or a note. Once a day; never while the diary is locked (the window checks that).
"""

from __future__ import annotations

import datetime as dt

from .model import ABSENCE, Settings
from .quickentry import format_duration
from .timesplit import WeekSummary

TITLE = "Probation Diary"


def unlogged_today(summary: WeekSummary, day: dt.date, settings: Settings) -> int:
    """Minutes of today's share of the contracted week not yet covered by worked time,
    absence or time booked for later today; 0 on a day off or a bank holiday."""
    split = next((d for d in summary.days if d.date == day), None)
    if split is None or not split.working_day or split.bank_holiday:
        return 0
    covered = split.worked + split.minutes.get(ABSENCE, 0) + getattr(split, "planned", 0)  # booked later: logged
    return max(0, (getattr(split, "share", 0) or settings.day_share) - covered)


def reminder_text(unlogged_minutes: int) -> str:
    """The notification: only the amount of time, nothing about anyone."""
    return (f"{format_duration(unlogged_minutes)} of today is not logged yet. "
            "Quick entry (Ctrl+L) takes one line an entry.")


def reminder_due(now_local: dt.datetime, settings: Settings, unlogged_minutes: int,
                 last_shown: dt.date | None) -> bool:
    """True when the reminder should show now: switched on, a working day, at or after the
    time set, not shown yet today, and something unlogged."""
    at = settings.reminder
    if at is None or unlogged_minutes <= 0:
        return False
    today = now_local.date()
    if today.weekday() not in settings.working_days or last_shown == today:
        return False
    return now_local.time() >= at
