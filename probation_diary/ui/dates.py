"""How dates are written in the window: one short form and one long form, from the user's
locale (en-GB when the system names none, as under the "C" locale).

- ``short_date`` — "Mon 7 Dec 2026" (the locale's long form with abbreviated names);
- ``long_date`` — "Monday 7 December 2026" (the locale's long form);
- ``day_label`` — the short form without the year, for a week's day columns ("Mon 7 Dec");
- ``week_label`` — a week as "Mon 7 Dec – Sun 13 Dec 2026".

Only this module chooses a date format; every screen asks it.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from PySide6.QtCore import QDate, QLocale

DEFAULT_LOCALE = "en_GB"


@lru_cache(maxsize=1)
def locale() -> QLocale:
    system = QLocale.system()
    if system.language() in (QLocale.Language.C, QLocale.Language.AnyLanguage) \
            or system.name() in ("C", "en_US_POSIX"):
        return QLocale(DEFAULT_LOCALE)
    return system


def _long_format() -> str:
    fmt = locale().dateFormat(QLocale.FormatType.LongFormat)
    # day-first locales read "Monday 7 December 2026" (no comma after the day's name)
    return "dddd " + fmt[6:] if fmt.startswith("dddd, d") else fmt


def short_format() -> str:
    """A QDate display format: the long form with abbreviated day and month names."""
    return _long_format().replace("dddd", "ddd").replace("MMMM", "MMM")


def long_format() -> str:
    return _long_format()


def drop_field(fmt: str, letter: str) -> str:
    """The format with each run of ``letter`` (a year's y, a month's M), the separators just
    before it (space, comma, full stop, slash, hyphen) and the spaces and full stops just
    after it, replaced by one space: ``re.sub(r"[\\s,./-]*L+[.\\s]*", " ", fmt)``, without
    compiling a pattern before the first paint (issue 18)."""
    out: list[str] = []
    kept = 0  # what an earlier replacement took cannot be taken again
    i, n = 0, len(fmt)
    while i < n:
        if fmt[i] != letter:
            out.append(fmt[i])
            i += 1
            continue
        while len(out) > kept and (out[-1].isspace() or out[-1] in ",./-"):
            out.pop()
        while i < n and fmt[i] == letter:
            i += 1
        while i < n and (fmt[i].isspace() or fmt[i] == "."):
            i += 1
        out.append(" ")
        kept = len(out)
    return "".join(out)


def _one_space(text: str) -> str:
    """Each run of white space as one space (``re.sub(r"\\s+", " ", text)``)."""
    out: list[str] = []
    space = False
    for ch in text:
        if ch.isspace():
            if not space:
                out.append(" ")
            space = True
        else:
            out.append(ch)
            space = False
    return "".join(out)


def _no_year(fmt: str) -> str:
    return _one_space(drop_field(fmt, "y").strip(" ,"))


def _q(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def short_date(day: dt.date) -> str:
    return locale().toString(_q(day), short_format())


def long_date(day: dt.date) -> str:
    return locale().toString(_q(day), long_format())


def day_label(day: dt.date, *, long: bool = False, compact: bool = False) -> str:
    """The day in a week's column header: the short (or long) form without the year; compact,
    without the month too ("Tue 17"), for a column too narrow for that."""
    fmt = _no_year(long_format() if long else short_format())
    if compact:
        fmt = drop_field(fmt, "M").strip(" ,")
    return locale().toString(_q(day), fmt)


def week_label(monday: dt.date) -> str:
    sunday = monday + dt.timedelta(days=6)
    return f"{day_label(monday)} – {short_date(sunday)}"


def short_datetime(when: dt.datetime) -> str:
    return f"{short_date(when.date())} {when:%H:%M}"
