"""Regenerate resources/bank-holidays-england-and-wales.json from the `holidays` package.

The app reads this snapshot at start-up instead of importing `holidays` (which costs about
150 ms); years outside it still come from the package. tests/test_holidays.py fails when the
snapshot and the package disagree, so run this after upgrading `holidays`.
"""

import json
from pathlib import Path

import holidays

FIRST, LAST = 2000, 2040
OUT = Path(__file__).resolve().parent.parent / "resources" / "bank-holidays-england-and-wales.json"


def snapshot() -> dict:
    days = {}
    for year in range(FIRST, LAST + 1):
        for day, name in sorted(holidays.country_holidays("GB", subdiv="ENG", years=year).items()):
            days[day.isoformat()] = name
    return {"source": f"holidays {holidays.__version__}, GB subdivision ENG",
            "first_year": FIRST, "last_year": LAST, "days": days}


if __name__ == "__main__":
    OUT.write_text(json.dumps(snapshot(), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {OUT}")
