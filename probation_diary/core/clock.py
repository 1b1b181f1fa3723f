"""Instants, local times and weeks in Europe/London.

Instants are stored as UTC text ("2026-03-29T00:30:00Z"); everything a practitioner sees or
types is Europe/London local time. Weeks run Monday 00:00 to the next Monday 00:00, local.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
from zoneinfo import ZoneInfo

from .record import record

LONDON = ZoneInfo("Europe/London")
ZONE_NAME = "Europe/London"
UTC = dt.timezone.utc

# No timed entry may be longer than this (validation).
MAX_ENTRY_MINUTES = 24 * 60
# No stored entry is longer than this: a whole day is the local calendar day, and the October
# clock-change day lasts 25 hours. It bounds the "entries overlapping a period" queries from
# below, so that they can use the start-time index instead of scanning the table.
MAX_SPAN_MINUTES = 25 * 60


class TimeError(ValueError):
    """A date or time the user typed cannot be used."""


@record(frozen=True)
class LocalTime:
    """The result of reading a local time: the instant, and a warning if it was ambiguous."""

    instant: dt.datetime  # aware, UTC
    warning: str | None = None


def now_utc() -> dt.datetime:
    """The current instant. PROBATION_DIARY_NOW (local "YYYY-MM-DD HH:MM") fixes it for tests."""
    fixed = os.environ.get("PROBATION_DIARY_NOW")
    if fixed:
        return local_to_utc(parse_local_datetime(fixed)).instant
    return dt.datetime.now(UTC).replace(second=0, microsecond=0)


def today_local() -> dt.date:
    return now_utc().astimezone(LONDON).date()


# The diary keeps dates from 1900 to 2199: nDelius refuses any after 31/12/2199, and a year
# outside four digits would not survive the stored UTC text.
FIRST_YEAR, LAST_YEAR = 1900, 2199


def check_date_range(day: dt.date) -> dt.date:
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise TimeError(f"{day.day:02d}/{day.month:02d}/{day.year:04d} is outside the dates the diary keeps "
                        f"(01/01/{FIRST_YEAR} to 31/12/{LAST_YEAR})")
    return day


def parse_date(text: str) -> dt.date:
    text = (text or "").strip()
    try:
        return check_date_range(dt.date.fromisoformat(text))
    except TimeError:
        raise
    except ValueError:
        pass
    for fmt in ("%d/%m/%Y", "%d/%m/%y"):
        try:
            return check_date_range(dt.datetime.strptime(text, fmt).date())
        except TimeError:
            raise
        except ValueError:
            continue
    raise TimeError(f"'{text}' is not a date; use YYYY-MM-DD, for example 2026-11-23")


def parse_time(text: str) -> dt.time:
    text = (text or "").strip()
    for fmt in ("%H:%M", "%H.%M", "%H%M"):
        try:
            return dt.datetime.strptime(text, fmt).time()
        except ValueError:
            continue
    raise TimeError(f"'{text}' is not a time; use 24-hour HH:MM, for example 14:05")


def parse_local_datetime(text: str) -> dt.datetime:
    """Read "YYYY-MM-DD HH:MM" (or with a T) as a naive local date-time."""
    raw = (text or "").strip()
    parts = raw.replace("T", " ").split()
    if len(parts) != 2:
        raise TimeError(f"'{raw}' is not a date and time; use \"YYYY-MM-DD HH:MM\"")
    return dt.datetime.combine(parse_date(parts[0]), parse_time(parts[1]))


def local_to_utc(local: dt.datetime) -> LocalTime:
    """Turn a naive Europe/London wall-clock time into a UTC instant.

    A time that does not exist (in the spring-forward gap) is rejected. An ambiguous time
    (in the autumn fall-back hour) is taken as its first occurrence, British Summer Time,
    and a warning says so.
    """
    if local.tzinfo is not None:
        raise TypeError("local_to_utc expects a naive local time")
    check_date_range(local.date())
    local = local.replace(second=0, microsecond=0)
    first = local.replace(tzinfo=LONDON, fold=0)
    second = local.replace(tzinfo=LONDON, fold=1)
    utc_first = first.astimezone(UTC)
    if utc_first.astimezone(LONDON).replace(tzinfo=None) != local:
        raise TimeError(
            f"{local:%H:%M} on {local:%d/%m/%Y} does not exist: the clocks go forward "
            "from 01:00 to 02:00 that night"
        )
    warning = None
    if first.utcoffset() != second.utcoffset():
        warning = (
            f"{local:%H:%M} on {local:%d/%m/%Y} happens twice as the clocks go back; "
            "taken as the first time (British Summer Time)"
        )
    return LocalTime(utc_first, warning)


def to_local(instant: dt.datetime) -> dt.datetime:
    return instant.astimezone(LONDON)


def format_utc(instant: dt.datetime) -> str:
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_utc(text: str) -> dt.datetime:
    if len(text) != 20 or text[-1] != "Z":
        raise ValueError(f"'{text}' is not a UTC time like 2026-01-31T09:30:00Z")
    return dt.datetime.fromisoformat(text)  # fast path: the stored format is fixed


def local_midnight(day: dt.date) -> dt.datetime:
    """The UTC instant of 00:00 local on this day (midnight always exists in London)."""
    return dt.datetime.combine(day, dt.time()).replace(tzinfo=LONDON).astimezone(UTC)


def week_monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


@record(frozen=True)
class Week:
    monday: dt.date

    @classmethod
    def containing(cls, day: dt.date) -> "Week":
        return cls(week_monday(day))

    @functools.cached_property  # asked for many times a paint; a frozen Week's days never change
    def days(self) -> tuple[dt.date, ...]:
        return tuple(self.monday + dt.timedelta(days=i) for i in range(7))

    @property
    def start(self) -> dt.datetime:
        return local_midnight(self.monday)

    @property
    def end(self) -> dt.datetime:
        return local_midnight(self.monday + dt.timedelta(days=7))

    def next(self) -> "Week":
        return Week(self.monday + dt.timedelta(days=7))

    def previous(self) -> "Week":
        return Week(self.monday - dt.timedelta(days=7))

    @property
    def minutes(self) -> int:
        return minutes_between(self.start, self.end)


def day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    return local_midnight(day), local_midnight(day + dt.timedelta(days=1))


def minutes_between(start: dt.datetime, end: dt.datetime) -> int:
    """Whole elapsed minutes; instants are always stored to the minute. Both are taken to UTC
    first: Python subtracts two times of one zone by the wall clock, so 00:30-02:30 local on
    the October change day came out as 2 hours, not 3."""
    seconds = (end.astimezone(UTC) - start.astimezone(UTC)).total_seconds()
    return int(seconds // 60)


def format_minutes(minutes: int) -> str:
    """1234 -> '20:34' (hours and minutes, exact)."""
    sign = "-" if minutes < 0 else ""
    minutes = abs(minutes)
    return f"{sign}{minutes // 60}:{minutes % 60:02d}"
