"""Property tests: over random sets of entries, no minute is gained or lost."""

import datetime as dt

from hypothesis import given, settings, strategies as st

from probation_diary.core.clock import Week
from probation_diary.core.model import ActivityType, Entry, Settings
from probation_diary.core.timesplit import _union_length, epoch_minutes, summarise_week

TYPES = {
    1: ActivityType(1, "f2f", "face_to_face"),
    2: ActivityType(2, "remote", "remote_contact"),
    3: ActivityType(3, "travel", "travel"),
    4: ActivityType(4, "admin", "admin"),
    5: ActivityType(5, "absence", "absence"),
}
# The October clock-change week and its neighbours: days of 23, 24 and 25 hours are all covered.
WEEK = Week(dt.date(2026, 10, 19))
BASE = WEEK.start
NOW = BASE + dt.timedelta(days=60)

entry_st = st.builds(
    lambda t, start, length: (t, start, length),
    st.sampled_from([1, 2, 3, 4]),
    st.integers(min_value=-600, max_value=169 * 60 + 600),
    st.integers(min_value=1, max_value=24 * 60),
)


def make(items):
    return [
        Entry(type_id=t, start=BASE + dt.timedelta(minutes=s), end=BASE + dt.timedelta(minutes=s + n), id=i)
        for i, (t, s, n) in enumerate(items, start=1)
    ]


def clipped_union(entries, week):
    lo, hi = epoch_minutes(week.start), epoch_minutes(week.end)
    return _union_length(
        (max(epoch_minutes(e.start), lo), min(epoch_minutes(e.end), hi))
        for e in entries if epoch_minutes(e.start) < hi and epoch_minutes(e.end) > lo)


@settings(max_examples=150, deadline=None)
@given(st.lists(entry_st, max_size=25))
def test_class_minutes_add_up_to_the_union(items):
    entries = make(items)
    s = summarise_week(WEEK, entries, TYPES, {}, Settings(), NOW)
    assert s.worked_minutes == clipped_union(entries, WEEK)
    assert sum(d.worked for d in s.days) == s.worked_minutes
    assert s.overlap_minutes <= sum(e.minutes for e in entries)


@settings(max_examples=100, deadline=None)
@given(st.lists(entry_st, max_size=15))
def test_splitting_at_week_boundaries_never_gains_or_loses_a_minute(items):
    entries = make(items)
    weeks = [WEEK.previous(), WEEK, WEEK.next()]
    total = sum(summarise_week(w, entries, TYPES, {}, Settings(), NOW).worked_minutes for w in weeks)
    lo, hi = epoch_minutes(weeks[0].start), epoch_minutes(weeks[-1].end)
    assert total == _union_length((epoch_minutes(e.start), epoch_minutes(e.end)) for e in entries)
    assert all(lo <= epoch_minutes(e.start) and epoch_minutes(e.end) <= hi for e in entries)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.builds(lambda t, s, n: (t, s, n), st.sampled_from([1, 2, 3, 4, 5]),
                          st.integers(0, 167 * 60), st.integers(1, 24 * 60)), max_size=20))
def test_shares_stay_between_0_and_1_and_absence_is_capped(items):
    entries = make(items)
    s = summarise_week(WEEK, entries, TYPES, {}, Settings(), NOW)
    for share in (s.face_to_face_share, s.direct_contact_share):
        assert share is None or 0 <= share <= 1
    assert s.face_to_face_share is None or s.face_to_face_share <= s.direct_contact_share
    assert all(d.minutes["absence"] <= Settings().day_share for d in s.days)
    assert 0 <= s.expected_minutes <= s.contracted_minutes
    assert s.unlogged_minutes == max(0, s.expected_minutes - s.worked_minutes)
    assert s.extra_minutes == max(0, s.worked_minutes - s.expected_minutes)
