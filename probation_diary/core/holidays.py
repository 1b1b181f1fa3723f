"""Bank holidays in England and Wales.

Read from a snapshot of the `holidays` package (resources/bank-holidays-england-and-wales.json,
made by scripts/update_bank_holidays.py), so start-up does not pay for importing the package;
years outside the snapshot come from the package itself.
"""

from __future__ import annotations

import datetime as dt
import json
from functools import lru_cache
from pathlib import Path
from collections.abc import Iterable

_SNAPSHOT_NAME = "bank-holidays-england-and-wales.json"


@lru_cache(maxsize=1)
def _snapshot() -> tuple[int, int, dict[dt.date, str]]:
    here = Path(__file__).resolve().parent
    for folder in (here.parent.parent / "resources", here.parent / "resources"):
        path = folder / _SNAPSHOT_NAME
        if path.exists():
            data = json.loads(path.read_text(encoding="utf-8"))
            days = {dt.date.fromisoformat(k): v for k, v in data["days"].items()}
            return data["first_year"], data["last_year"], days
    return 1, 0, {}


@lru_cache(maxsize=64)
def _year(year: int) -> dict[dt.date, str]:
    first, last, days = _snapshot()
    if first <= year <= last:
        return {d: n for d, n in days.items() if d.year == year}
    import holidays  # only for years outside the snapshot

    return dict(holidays.country_holidays("GB", subdiv="ENG", years=year).items())


def england_and_wales(days: Iterable[dt.date]) -> dict[dt.date, str]:
    """The bank holidays among these days, with their names."""
    found = {}
    for day in days:
        name = _year(day.year).get(day)
        if name:
            found[day] = name
    return found
