import datetime as dt
import json

import holidays

from probation_diary.core import holidays as bank
from probation_diary.store.diary import RESOURCES


def test_snapshot_matches_the_holidays_package():
    data = json.loads((RESOURCES / "bank-holidays-england-and-wales.json").read_text(encoding="utf-8"))
    for year in range(data["first_year"], data["last_year"] + 1):
        expected = dict(holidays.country_holidays("GB", subdiv="ENG", years=year).items())
        assert bank._year(year) == expected, f"run scripts/update_bank_holidays.py ({year} differs)"


def test_known_bank_holidays_and_one_offs():
    found = bank.england_and_wales([dt.date(2026, 8, 31), dt.date(2026, 12, 28), dt.date(2022, 9, 19),
                                     dt.date(2023, 5, 8), dt.date(2026, 3, 17)])
    assert set(found) == {dt.date(2026, 8, 31), dt.date(2026, 12, 28), dt.date(2022, 9, 19), dt.date(2023, 5, 8)}


def test_years_outside_the_snapshot_come_from_the_package():
    assert dt.date(2061, 12, 26) in bank.england_and_wales([dt.date(2061, 12, 26)])
