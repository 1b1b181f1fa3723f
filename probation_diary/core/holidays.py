"""Bank holidays in England and Wales."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Iterable


@lru_cache(maxsize=64)
def _year(year: int) -> dict[dt.date, str]:
    import holidays  # imported late: it is only needed once a week is summarised

    return dict(holidays.country_holidays("GB", subdiv="ENG", years=year).items())


def england_and_wales(days: Iterable[dt.date]) -> dict[dt.date, str]:
    """The bank holidays among these days, with their names."""
    found = {}
    for day in days:
        name = _year(day.year).get(day)
        if name:
            found[day] = name
    return found
