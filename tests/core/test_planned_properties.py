"""Property tests for planned time: whatever the entries and wherever "now" falls, the worked
classes plus the planned minutes are the union of the entries that are not absence, and
absence does not depend on now."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given, settings, strategies as st

from probation_diary.core.clock import Week
from probation_diary.core.model import ActivityType, Entry, Outcome, Settings
from probation_diary.core.timesplit import _union_length, epoch_minutes, summarise_week

TYPES = {
    1: ActivityType(1, "f2f", "face_to_face"),
    2: ActivityType(2, "remote", "remote_contact"),
    3: ActivityType(3, "travel", "travel"),
    4: ActivityType(4, "admin", "admin"),
    5: ActivityType(5, "absence", "absence"),
    6: ActivityType(6, "appointment", "face_to_face", needs_outcome=True),
}
OUTCOMES = {
    "ATTC": Outcome("ATTC", "attended", True, True, "attended"),
    "AFTA": Outcome("AFTA", "failed to attend", False, False, "not attended"),
}
# The October clock-change week (169 hours): days of 24 and 25 hours.
WEEK = Week(dt.date(2026, 10, 19))
BASE = WEEK.start
SPAN = 169 * 60

entry_st = st.tuples(
    st.sampled_from(sorted(TYPES)),
    st.integers(min_value=-600, max_value=SPAN + 600),
    st.integers(min_value=1, max_value=24 * 60),
    st.sampled_from([None, "ATTC", "AFTA"]),
)
now_st = st.integers(min_value=-120, max_value=SPAN + 120)
settings_st = st.builds(
    lambda n, days: Settings(contracted_hours=Decimal(3 * n) / 60, working_days=frozenset(days)),
    st.integers(1, 1500), st.sets(st.integers(0, 6), min_size=1))


def make(items, now):
    out = []
    for i, (t, s, n, outcome) in enumerate(items, start=1):
        start = BASE + dt.timedelta(minutes=s)
        # the diary refuses an "attended" outcome on an appointment that has not started
        if outcome == "ATTC" and start > now:
            outcome = None
        out.append(Entry(type_id=t, start=start, end=start + dt.timedelta(minutes=n),
                         outcome_code=outcome if TYPES[t].needs_outcome else None, id=i,
                         crn=None if TYPES[t].time_class == "absence" else ("X123456" if i % 2 else "Y654321")))
    return out


def clipped(entries, lo=None, hi=None):
    lo = epoch_minutes(WEEK.start) if lo is None else lo
    hi = epoch_minutes(WEEK.end) if hi is None else hi
    return [(max(epoch_minutes(e.start), lo), min(epoch_minutes(e.end), hi)) for e in entries
            if epoch_minutes(e.start) < hi and epoch_minutes(e.end) > lo]


@settings(max_examples=200, deadline=None)
@given(st.lists(entry_st, max_size=25), now_st)
def test_class_minutes_plus_planned_minutes_are_the_union_of_the_entries(items, now_offset):
    now = BASE + dt.timedelta(minutes=now_offset)
    entries = make(items, now)
    s = summarise_week(WEEK, entries, TYPES, OUTCOMES, Settings(), now)
    work = [e for e in entries if TYPES[e.type_id].time_class != "absence"]
    assert s.worked_minutes + s.planned_minutes == _union_length(clipped(work))
    # planned: exactly the part after now, each minute once; worked: exactly the part before
    now_m = epoch_minutes(now)
    after = [(max(a, now_m), b) for a, b in clipped(work) if b > now_m]
    assert s.planned_minutes == _union_length(after)
    assert s.worked_minutes == _union_length((a, min(b, now_m)) for a, b in clipped(work) if a < now_m)
    assert sum(d.planned for d in s.days) == s.planned_minutes
    assert sum(d.worked for d in s.days) == s.worked_minutes
    # awaiting and not-attended time has all happened, and is part of admin
    assert max(s.awaiting_outcome_minutes, s.not_attended_minutes) <= s.worked_minutes
    for p in s.per_person:
        mine = [e for e in work if e.crn == p.crn]
        assert p.total_minutes <= _union_length((a, min(b, now_m)) for a, b in clipped(mine) if a < now_m)


@settings(max_examples=150, deadline=None)
@given(st.lists(entry_st, max_size=20), now_st, now_st, settings_st)
def test_absence_and_expected_time_do_not_depend_on_now(items, first, second, contract):
    first_now, second_now = (BASE + dt.timedelta(minutes=m) for m in sorted((first, second)))
    # no appointments here: their class depends on their outcome, which depends on now
    items = [i for i in items if not TYPES[i[0]].needs_outcome]
    entries = make(items, first_now)
    a = summarise_week(WEEK, entries, TYPES, OUTCOMES, contract, first_now)
    b = summarise_week(WEEK, entries, TYPES, OUTCOMES, contract, second_now)
    work = [e for e in entries if TYPES[e.type_id].time_class != "absence"]
    absence = [e for e in entries if TYPES[e.type_id].time_class == "absence"]
    if not any(x < d and c < y for x, y in clipped(work) for c, d in clipped(absence)):
        # absence that no other entry overlaps counts the same whenever the week is looked at
        assert a.minutes["absence"] == b.minutes["absence"]
        assert a.expected_minutes == b.expected_minutes
        assert [d.minutes["absence"] for d in a.days] == [d.minutes["absence"] for d in b.days]
    else:
        # a planned minute takes nothing from absence; once it has happened it goes to its
        # class by precedence, and the overlap is reported
        assert a.minutes["absence"] >= b.minutes["absence"]
        assert a.minutes["absence"] - b.minutes["absence"] <= b.overlap_minutes
    # time only moves from planned to worked
    assert a.worked_minutes + a.planned_minutes == b.worked_minutes + b.planned_minutes
    assert a.worked_minutes <= b.worked_minutes and a.planned_minutes >= b.planned_minutes
    for d in a.days:
        assert d.minutes["absence"] <= contract.share_on(d.date.weekday())


@settings(max_examples=100, deadline=None)
@given(st.lists(entry_st, max_size=20))
def test_before_the_week_everything_is_planned_and_after_it_nothing_is(items):
    before, after = WEEK.start, WEEK.end
    entries = make(items, before)
    early = summarise_week(WEEK, entries, TYPES, OUTCOMES, Settings(), before)
    late = summarise_week(WEEK, entries, TYPES, OUTCOMES, Settings(), after)
    assert early.worked_minutes == 0 and early.awaiting_outcome_minutes == 0
    assert early.per_person == [] or all(p.total_minutes == 0 for p in early.per_person)
    assert late.planned_minutes == 0
    assert early.planned_minutes == late.worked_minutes
    # planned minutes are never overlap: with nothing happened, only absence can overlap
    absence = [e for e in entries if TYPES[e.type_id].time_class == "absence"]
    assert early.overlap_minutes == covered_twice(clipped(absence))


def covered_twice(spans) -> int:
    """Minutes covered by two or more of the spans."""
    edges = sorted({x for span in spans for x in span})
    return sum(b - a for a, b in zip(edges, edges[1:])
               if sum(1 for c, d in spans if c <= a and b <= d) >= 2)
