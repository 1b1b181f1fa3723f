"""Dates as people type them: ``15/03/2026``, ``15/3``, ``15 mar``, ``tue``, ``yesterday``, ``+1w``.

Qt-free. Every date field in the window reads its text with ``read_date`` when the user presses
Enter or leaves the field, and shows ``show_date`` of the result, so the user sees what was
understood. Dates outside 1900-2199 are refused (a typo such as 3202 is never saved).
"""

from __future__ import annotations

import datetime as dt

from .patterns import LazyPattern

FIRST_YEAR, LAST_YEAR = 1900, 2199

MONTHS = {name: i for i, names in enumerate(
    [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
     ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
     ("oct", "october"), ("nov", "november"), ("dec", "december")], start=1) for name in names}
WEEKDAYS = {name: i for i, names in enumerate(
    [("mon", "monday"), ("tue", "tues", "tuesday"), ("wed", "weds", "wednesday"),
     ("thu", "thur", "thurs", "thursday"), ("fri", "friday"), ("sat", "saturday"),
     ("sun", "sunday")]) for name in names}

HINT = "Type a date: 15/03/2026, 15/3, 15 mar, tue, yesterday, +1w"

_NUMERIC = LazyPattern(r"^(\d{1,2})[/.\-](\d{1,2})(?:[/.\-](\d{2}|\d{4}))?$")
_ISO = LazyPattern(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_WORDS = LazyPattern(r"^(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?(?:\s+(\d{2}|\d{4}))?$")
_WORDS_US = LazyPattern(r"^([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(\d{2}|\d{4}))?$")
_OFFSET = LazyPattern(r"^([+-])\s*(\d{1,4})\s*(d|day|days|w|wk|week|weeks|m|month|months)?$")
_DAY_ONLY = LazyPattern(r"^(\d{1,2})$")


class DateError(ValueError):
    """The text is not a date the diary can use; the message says what to type."""


def show_date(day: dt.date) -> str:
    """How a date field shows a date: 'Tue 15/03/2026'."""
    return f"{day:%a} {day.day:02d}/{day.month:02d}/{day.year:04d}"


def read_date(text: str, today: dt.date) -> dt.date:
    """The date the user meant, relative to ``today``; raises DateError in plain words."""
    raw = (text or "").strip()
    t = " ".join(raw.lower().replace(",", " ").split())
    if not t:
        raise DateError("Type a date, for example 15/03/2026, 15 mar or yesterday.")
    if t in ("today", "tod", "now"):
        return today
    if t in ("yesterday", "yest", "yday"):
        return today - dt.timedelta(days=1)
    if t in ("tomorrow", "tom", "tmrw"):
        return today + dt.timedelta(days=1)
    # "Tue 15/03/2026" (how the field shows a date) and "tue 15 mar": the weekday is decoration
    first, _, rest = t.partition(" ")
    if rest and first.rstrip(".") in WEEKDAYS and first not in ("next", "last"):
        return read_date(rest, today)
    words = t.split()
    if len(words) == 2 and words[0] in ("next", "last") and words[1] in WEEKDAYS:
        wanted = WEEKDAYS[words[1]]
        if words[0] == "next":
            return today + dt.timedelta(days=(wanted - today.weekday() - 1) % 7 + 1)
        return today - dt.timedelta(days=(today.weekday() - wanted - 1) % 7 + 1)
    if t in WEEKDAYS:  # the most recent such day (today counts), as in quick entry
        return today - dt.timedelta(days=(today.weekday() - WEEKDAYS[t]) % 7)
    if m := _OFFSET.match(t):
        n = int(m.group(2)) * (1 if m.group(1) == "+" else -1)
        unit = (m.group(3) or "d")[0]
        if unit == "m":
            return _checked(*_add_months(today, n), text=raw)
        return _range(today + dt.timedelta(days=n * (7 if unit == "w" else 1)), raw)
    if m := _ISO.match(t):
        return _checked(int(m.group(1)), int(m.group(2)), int(m.group(3)), text=raw)
    if m := _NUMERIC.match(t):
        year = _year(m.group(3), today)
        return _checked(year, int(m.group(2)), int(m.group(1)), text=raw)
    for pattern, day_group, month_group in ((_WORDS, 1, 2), (_WORDS_US, 2, 1)):
        if m := pattern.match(t):
            month = _month(m.group(month_group))
            if month is None:
                break
            return _checked(_year(m.group(3), today), month, int(m.group(day_group)), text=raw)
    if m := _DAY_ONLY.match(t):
        return _checked(today.year, today.month, int(m.group(1)), text=raw)
    raise DateError(f"'{raw}' is not a date. {HINT}.")


def _month(word: str) -> int | None:
    if word in MONTHS:
        return MONTHS[word]
    matches = {v for k, v in MONTHS.items() if len(word) >= 3 and k.startswith(word)}
    return matches.pop() if len(matches) == 1 else None


def _year(text: str | None, today: dt.date) -> int:
    if not text:
        return today.year
    year = int(text)
    return year + 2000 if len(text) == 2 else year


def _add_months(day: dt.date, n: int) -> tuple[int, int, int]:
    index = day.year * 12 + day.month - 1 + n
    year, month = divmod(index, 12)
    month += 1
    if not 1 <= year <= 9998:
        return year, month, 1  # refused by the year range
    last = (dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return year, month, min(day.day, last)


def _checked(year: int, month: int, day: int, *, text: str) -> dt.date:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise DateError(f"'{text}' is in {year}; the diary takes dates from {FIRST_YEAR} to {LAST_YEAR}.")
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise DateError(f"'{text}' is not a date: there is no day {day} in month {month} of {year}.")


def _range(day: dt.date, text: str) -> dt.date:
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise DateError(f"'{text}' is in {day.year}; the diary takes dates from {FIRST_YEAR} to {LAST_YEAR}.")
    return day
