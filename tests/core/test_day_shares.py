"""Day shares in whole minutes that add up to the contract (spec time-split.md, issue 13 §3):
the remainder goes one minute each to the earliest working days of the week."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings as hsettings, strategies as st

from builders import add, utc
from probation_diary.core.clock import Week
from probation_diary.core.model import Settings, describe_day_shares

NOV = Week(dt.date(2026, 11, 16))  # no bank holiday
AFTER = utc("2026-12-31 12:00")
MON_THU = frozenset({0, 1, 2, 3})
MON_WED = frozenset({0, 1, 2})


@pytest.mark.parametrize("hours, days, shares", [
    ("22.5", MON_THU, [338, 338, 337, 337]),   # 1350 / 4 = 337 r 2
    ("37", MON_WED, [740, 740, 740]),          # 2220 / 3 exactly
    ("16", MON_WED, [320, 320, 320]),          # 960 / 3 exactly
    ("7.5", MON_THU, [113, 113, 112, 112]),    # 450 / 4 = 112 r 2
    ("37", frozenset(range(5)), [444] * 5),
    ("22.5", frozenset({1, 3, 6}), [450, 450, 450]),
    ("20", frozenset({2, 4, 5}), [400, 400, 400]),
    ("0.1", frozenset({0, 4, 6}), [2, 2, 2]),  # 6 minutes
    ("0.05", frozenset({0, 4, 6}), [1, 1, 1]),
    ("0.05", frozenset({0, 1, 2, 3, 4}), [1, 1, 1, 0, 0]),
])
def test_exact_shares(hours, days, shares):
    s = Settings(contracted_hours=Decimal(hours), working_days=days)
    assert [s.day_shares[d] for d in sorted(days)] == shares
    assert sum(s.day_shares.values()) == s.contracted_minutes


def test_remainder_goes_to_the_earliest_working_days_not_to_monday():
    s = Settings(contracted_hours=Decimal("7.5"), working_days=frozenset({2, 3, 5, 6}))  # Wed, Thu, Sat, Sun
    assert s.day_shares == {2: 113, 3: 113, 5: 112, 6: 112}
    assert s.day_share == 112 and s.share_on(0) == 112  # a non-working day: the smallest share


def test_four_days_leave_is_exactly_the_contract(diary):
    diary.set_settings({"contracted_hours": "22.5", "working_days": "Mon,Tue,Wed,Thu"})
    for d in ("2026-11-16", "2026-11-17", "2026-11-18", "2026-11-19"):
        add(diary, "Annual leave", day=d)
    s = diary.week_summary(NOV, now=AFTER)
    assert [d.minutes["absence"] for d in s.days] == [338, 338, 337, 337, 0, 0, 0]
    assert s.minutes["absence"] == 1350 == s.contracted_minutes
    assert s.expected_minutes == 0
    assert [d["absence_minutes"] for d in s.to_json()["per_day"]][:4] == [338, 338, 337, 337]


@pytest.mark.parametrize("hours, days, expected_absence", [
    ("37", "Mon,Tue,Wed", [740, 740, 740]),
    ("16", "Mon,Tue,Wed", [320, 320, 320]),
    ("7.5", "Mon,Tue,Wed,Thu", [113, 113, 112, 112]),
])
def test_whole_day_leave_counts_each_days_own_share(diary, hours, days, expected_absence):
    diary.set_settings({"contracted_hours": hours, "working_days": days})
    n = len(expected_absence)
    for i in range(n):
        add(diary, "Sickness", day=(NOV.monday + dt.timedelta(days=i)).isoformat())
    s = diary.week_summary(NOV, now=AFTER)
    assert [d.minutes["absence"] for d in s.days[:n]] == expected_absence
    assert s.expected_minutes == s.contracted_minutes - sum(expected_absence) == 0


def test_timed_absence_cap_is_that_days_share(diary):
    diary.set_settings({"contracted_hours": "22.5", "working_days": "Mon,Tue,Wed,Thu"})
    for d in ("2026-11-16", "2026-11-19", "2026-11-21"):  # Monday (338), Thursday (337), Saturday (off)
        add(diary, "Other absence", f"{d} 08:00", f"{d} 18:00")
    s = diary.week_summary(NOV, now=AFTER)
    by_day = {d.date.isoformat(): d.minutes["absence"] for d in s.days}
    assert by_day["2026-11-16"] == 338 and by_day["2026-11-19"] == 337
    assert by_day["2026-11-21"] == 337  # a non-working day: the smallest share
    assert s.expected_minutes == 1350 - 338 - 337


def test_settings_say_when_days_differ():
    s = Settings(contracted_hours=Decimal("22.5"), working_days=MON_THU)
    assert describe_day_shares(s) == "5 h 38 min (Mon, Tue) or 5 h 37 min (Wed, Thu)"
    assert describe_day_shares(Settings()) == "7 h 24 min"


@hsettings(max_examples=200, deadline=None)
@given(st.integers(1, 2000).map(lambda n: 3 * n),  # hours in twentieths: an exact decimal
       st.sets(st.integers(0, 6), min_size=1))
def test_shares_always_add_up_and_differ_by_at_most_a_minute(minutes, days):
    s = Settings(contracted_hours=Decimal(minutes) / 60, working_days=frozenset(days))
    shares = [s.day_shares[d] for d in sorted(days)]
    assert sum(shares) == s.contracted_minutes == minutes
    assert max(shares) - min(shares) <= 1
    assert shares == sorted(shares, reverse=True)  # the extra minutes go to the earliest days
    assert s.day_share == min(shares) == minutes // len(days)
