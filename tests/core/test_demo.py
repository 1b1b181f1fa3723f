"""The demo week: realistic, fictional, and the figures a practitioner would expect."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from probation_diary.core import clock
from probation_diary.core.demo import DEMO_PEOPLE, build_demo_week
from probation_diary.core.model import ABSENCE
from probation_diary.core.timesplit import share_percent

MONDAY = dt.date(2026, 11, 9)
AFTER = clock.local_to_utc(dt.datetime(2026, 11, 20, 17, 0)).instant


def test_demo_week_figures(diary):
    saved = build_demo_week(diary, MONDAY, now=AFTER)
    assert len(saved) == diary.count_entries() > 30
    summary = diary.week_summary(clock.Week(MONDAY), now=AFTER)
    assert 0.20 <= summary.face_to_face_share <= 0.25
    assert share_percent(summary.face_to_face_share) == "23%"
    assert summary.minutes["face_to_face"] == 470
    assert summary.minutes["travel"] == 60
    assert summary.worked_minutes == 2030
    assert summary.minutes[ABSENCE] == 120  # the timed medical appointment
    assert summary.expected_minutes == 2220 - 120
    assert summary.not_attended_minutes == 45
    assert summary.awaiting_outcome_minutes == 45
    assert summary.overlap_minutes == 0
    assert summary.direct_contact_share > summary.face_to_face_share


def test_demo_week_has_the_promised_kinds(diary):
    saved = build_demo_week(diary, MONDAY, now=AFTER)
    ref = diary.reference()
    labels = {ref.types[e.type_id].delius_code or ref.types[e.type_id].label for e in saved}
    for wanted in ("COAP", "CHVS", "Travel", "CTOB", "EOAS", "CCMM", "Recording on Delius",
                   "Team meeting", "Other absence"):
        assert wanted in labels
    assert any(e.outcome_code == "AFTA" for e in saved)
    assert not any(e.all_day for e in saved)


def test_demo_people_are_invented(diary):
    build_demo_week(diary, MONDAY, now=AFTER)
    people = {p.crn: p.name for p in diary.people()}
    assert people == DEMO_PEOPLE
    for crn, name in people.items():
        assert crn.startswith("Z9")
        assert re.fullmatch(r"([A-Z]\.){2}", name)


def test_future_appointments_are_booked_without_outcome(diary):
    wednesday_noon = clock.local_to_utc(dt.datetime(2026, 11, 11, 12, 0)).instant
    saved = build_demo_week(diary, MONDAY, now=wednesday_noon)
    for e in saved:
        if e.start > wednesday_noon:
            assert e.outcome_code is None and e.enforcement_code is None
    assert any(e.outcome_code for e in saved if e.start < wednesday_noon)


def test_demo_week_over_the_october_clock_change(diary):
    saved = build_demo_week(diary, dt.date(2026, 10, 19), now=AFTER)
    assert sum(e.minutes for e in saved) == 2030 + 120


def test_demo_needs_a_monday(diary):
    with pytest.raises(ValueError, match="Monday"):
        build_demo_week(diary, dt.date(2026, 11, 10))
    assert diary.count_entries() == 0
