"""How a week's time is split: the product's central calculation (spec/time-split.md).

Everything is done in whole minutes on integer "epoch minutes", so totals are exact sums.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
import bisect
from collections import namedtuple
from collections.abc import Iterable, Sequence

from . import holidays as bank_holidays
from .clock import MAX_SPAN_MINUTES, Week, day_bounds, to_local
from .model import (
    ABSENCE, ADMIN, CLASS_LABELS, FACE_TO_FACE, REMOTE_CONTACT, TIME_CLASSES, WORKED_CLASSES,
    ActivityType, Entry, Outcome, Settings,
)
from .record import factory, record

NOT_ATTENDED = "not_attended"
AWAITING_OUTCOME = "awaiting_outcome"
PLANNED = "planned"
# Why an entry counts other than by its type's class, in the words the user sees.
REASONS = {AWAITING_OUTCOME: "awaiting outcome", NOT_ATTENDED: "did not attend", PLANNED: "planned"}

# The version of the rules behind stored figures (storage's cache of finished weeks). Bump it
# whenever a rule or the stored data changes, so that figures cached by an older version are
# recomputed rather than served. 2: whole-minute day shares that add up to the contract, and
# planned time.
FIGURES_VERSION = 2


def epoch_minutes(instant: dt.datetime) -> int:
    return int(instant.timestamp()) // 60  # instants are aware and whole minutes


# (collections' namedtuple, not typing's NamedTuple: a command need not load typing, 15M
# instructions of a summary's start)
Timing = namedtuple("Timing", "id type_id crn start end all_day outcome_code")
Timing.__doc__ = """The fields of an entry that the time split reads (an Entry works as well):
id, type_id, crn (or None), start and end (aware UTC), all_day, outcome_code (or None)."""


@record(frozen=True)
class Counted:
    """How one entry counts: its class for the split (None: counts nowhere) and why."""

    time_class: str | None
    flag: str | None = None  # NOT_ATTENDED or AWAITING_OUTCOME


def classify(entry: Entry, atype: ActivityType, outcome: Outcome | None, now: dt.datetime) -> Counted:
    """The outcome rule: an appointment counts as contact only once attended."""
    if not atype.needs_outcome:
        return Counted(atype.time_class)
    if entry.start > now:
        return Counted(None)  # a future appointment counts nowhere until it has happened
    if outcome is None:
        return Counted(ADMIN, AWAITING_OUTCOME)
    if outcome.attended:
        return Counted(atype.time_class)
    return Counted(ADMIN, NOT_ATTENDED)


@record(frozen=True)
class CountsAs:
    """What an entry counts as at a given moment, for the words and colours the user sees
    (the quick-entry preview, the week view, the list). The week's figures come from
    summarise_week; this says the same thing about one entry."""

    time_class: str | None  # the class its minutes up to now go to; None: nothing yet
    flag: str | None = None  # NOT_ATTENDED or AWAITING_OUTCOME
    planned: bool = False  # some or all of it is after now (and it is not absence)
    started: bool = True  # some of it has happened (or it is absence, which counts from the start)

    @property
    def short(self) -> str:
        """For a column headed "counts as": "Admin (awaiting outcome)", "Face to face so far
        (the rest is planned)", "not yet (planned)"."""
        if not self.started or self.time_class is None:
            return f"not yet ({REASONS[PLANNED]})" if self.planned else "not yet"
        label = CLASS_LABELS.get(self.time_class, self.time_class)
        reasons = [REASONS[self.flag]] if self.flag else []
        if self.planned:
            reasons.append("the rest is planned")
            label += " so far"
        return label + (f" ({'; '.join(reasons)})" if reasons else "")

    @property
    def text(self) -> str:
        """As a phrase: "counts as Admin (did not attend)", "not counted yet (planned)"."""
        if not self.started or self.time_class is None:
            return f"not counted yet ({REASONS[PLANNED]})" if self.planned else "not counted"
        return "counts as " + self.short


def counts_as(entry, atype: ActivityType, outcome: Outcome | None, now: dt.datetime) -> CountsAs:
    """How an entry counts at `now`: the class of its minutes that have happened, why (outcome
    rule), and whether any of it is still planned (spec: "Only time that has happened is
    worked"). Absence counts from the start, so it is never planned."""
    counted = classify(entry, atype, outcome, now)
    if atype.time_class == ABSENCE:
        return CountsAs(counted.time_class, counted.flag)
    started = entry.start < now
    return CountsAs(counted.time_class if started else None, counted.flag if started else None,
                    planned=entry.end > now, started=started)


def entry_counts(entries: Iterable[Entry], types: dict[int, ActivityType], outcomes: dict[str, Outcome],
                 now: dt.datetime) -> dict[int, CountsAs]:
    """counts_as for each entry (by id), for a view to colour and describe them."""
    return {e.id: counts_as(e, types[e.type_id], outcomes.get(e.outcome_code or ""), now)
            for e in entries if e.type_id in types}


def share_percent(share: float | None) -> str:
    """A share as the nearest whole percentage (halves round up), or 'no time logged'."""
    if share is None:
        return "no time logged"
    return f"{int(Fraction(share).limit_denominator(10**9) * 100 + Fraction(1, 2))}%"


def _share(part: int, whole: int) -> float | None:
    return None if whole == 0 else part / whole


@record
class DaySplit:
    date: dt.date
    minutes: dict[str, int] = factory(lambda: dict.fromkeys(TIME_CLASSES, 0))
    working_day: bool = False
    bank_holiday: str | None = None
    planned: int = 0  # minutes after now of entries that are not absence (counted in no class)
    share: int = 0  # this day's share of the contract (the cap on its absence)

    @property
    def worked(self) -> int:
        return sum(self.minutes[c] for c in WORKED_CLASSES)

    def to_json(self) -> dict:
        out = {"date": self.date.isoformat()}
        out.update({f"{c}_minutes": self.minutes[c] for c in TIME_CLASSES})
        out["worked_minutes"] = self.worked
        out["planned_minutes"] = self.planned
        return out


@record
class PersonSplit:
    crn: str
    face_to_face_minutes: int = 0
    total_minutes: int = 0


@record
class WeekSummary:
    week: Week
    minutes: dict[str, int]
    days: list[DaySplit]
    contracted_minutes: int
    expected_minutes: int
    overlap_minutes: int
    not_attended_minutes: int
    awaiting_outcome_minutes: int
    per_person: list[PersonSplit]
    planned_minutes: int = 0  # minutes after now of entries that are not absence, each once
    # entry ids behind the figures the user may want to act on
    overlap_ids: set[int] = factory(set)
    not_attended_ids: set[int] = factory(set)
    awaiting_outcome_ids: set[int] = factory(set)

    @property
    def worked_minutes(self) -> int:
        return sum(self.minutes[c] for c in WORKED_CLASSES)

    @property
    def face_to_face_share(self) -> float | None:
        return _share(self.minutes[FACE_TO_FACE], self.worked_minutes)

    @property
    def direct_contact_share(self) -> float | None:
        return _share(self.minutes[FACE_TO_FACE] + self.minutes[REMOTE_CONTACT], self.worked_minutes)

    @property
    def unlogged_minutes(self) -> int:
        return max(0, self.expected_minutes - self.worked_minutes)

    @property
    def extra_minutes(self) -> int:
        return max(0, self.worked_minutes - self.expected_minutes)

    def to_json(self) -> dict:
        out = {"week_start": self.week.monday.isoformat()}
        out.update({f"{c}_minutes": self.minutes[c] for c in TIME_CLASSES})
        out.update({
            "worked_minutes": self.worked_minutes,
            "face_to_face_share": self.face_to_face_share,
            "direct_contact_share": self.direct_contact_share,
            "contracted_minutes": self.contracted_minutes,
            "expected_minutes": self.expected_minutes,
            "unlogged_minutes": self.unlogged_minutes,
            "extra_minutes": self.extra_minutes,
            "overlap_minutes": self.overlap_minutes,
            "not_attended_minutes": self.not_attended_minutes,
            "awaiting_outcome_minutes": self.awaiting_outcome_minutes,
            "planned_minutes": self.planned_minutes,
            "per_day": [d.to_json() for d in self.days],
            "per_person": [
                {"crn": p.crn, "face_to_face_minutes": p.face_to_face_minutes, "total_minutes": p.total_minutes}
                for p in self.per_person
            ],
        })
        return out


def _union_length(intervals: Iterable[tuple[int, int]]) -> int:
    total = 0
    cur_start = cur_end = None
    for a, b in sorted(intervals):
        if cur_end is None or a > cur_end:
            if cur_end is not None:
                total += cur_end - cur_start
            cur_start, cur_end = a, b
        else:
            cur_end = max(cur_end, b)
    if cur_end is not None:
        total += cur_end - cur_start
    return total


def _merge(intervals: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """The union of intervals, as disjoint sorted intervals."""
    out: list[list[int]] = []
    for a, b in sorted(intervals):
        if out and a <= out[-1][1]:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return [(a, b) for a, b in out]


def _per_day(disjoint: list[tuple[int, int]], day_edges: list[int]) -> list[int]:
    """Minutes of disjoint intervals (inside the week) on each day between the edges."""
    out = [0] * (len(day_edges) - 1)
    for a, b in disjoint:
        for i in range(len(out)):
            lo, hi = max(a, day_edges[i]), min(b, day_edges[i + 1])
            if lo < hi:
                out[i] += hi - lo
    return out


def _overlapping_ids(timed) -> set[int]:
    """Ids of entries that overlap at least one other (for the "act on" list)."""
    found: set[int] = set()
    holder = None  # (end, id) of the furthest-reaching entry so far
    for a, b, _cls, entry_id, *_ in sorted(timed):
        if holder is not None and a < holder[0]:
            found.update((entry_id, holder[1]))
        if holder is None or b > holder[0]:
            holder = (b, entry_id)
    return found


def summarise_week(
    week: Week,
    entries: Iterable[Entry],
    types: dict[int, ActivityType],
    outcomes: dict[str, Outcome],
    settings: Settings,
    now: dt.datetime,
) -> WeekSummary:
    week_start, week_end = epoch_minutes(week.start), epoch_minutes(week.end)
    day_edges = [epoch_minutes(day_bounds(d)[0]) for d in week.days] + [week_end]
    rank = {c: i for i, c in enumerate(TIME_CLASSES)}

    now_minute = epoch_minutes(now)

    # (start, end, class, entry id, crn, flag), clipped to the week. Only the part of an entry
    # that has happened (before now) counts in a worked class; absence counts from the start.
    timed: list[tuple[int, int, str, int, str | None, str | None]] = []
    planned: list[tuple[int, int]] = []  # the parts after now of entries that are not absence
    whole_day_absence: set[dt.date] = set()
    for entry in entries:
        atype = types[entry.type_id]
        counted = classify(entry, atype, outcomes.get(entry.outcome_code or ""), now)
        if entry.all_day:
            local_day = to_local(entry.start).date()
            if week.monday <= local_day < week.next().monday and counted.time_class == ABSENCE:
                whole_day_absence.add(local_day)
            continue
        a = max(epoch_minutes(entry.start), week_start)
        b = min(epoch_minutes(entry.end), week_end)
        if a >= b:
            continue
        if atype.time_class != ABSENCE:
            if b > now_minute:
                planned.append((max(a, now_minute), b))
            b = min(b, now_minute)
        if a < b and counted.time_class is not None:
            timed.append((a, b, counted.time_class, entry.id or 0, entry.crn, counted.flag))

    # Sweep over every boundary: each elementary piece goes to its best class, once.
    deltas: dict[int, list[tuple[int, int]]] = {edge: [] for edge in day_edges}
    for a, b, cls, *_ in timed:
        r = rank[cls]
        deltas.setdefault(a, []).append((r, 1))
        deltas.setdefault(b, []).append((r, -1))
    points = sorted(deltas)
    raw = [[0] * 5 for _ in range(7)]  # [day][class rank]
    counts = [0] * 5
    active = 0
    overlap = 0
    day_index = 0
    next_edge = day_edges[1]
    for a, b in zip(points, points[1:]):
        for r, d in deltas[a]:
            counts[r] += d
            active += d
        if not active:
            continue
        while next_edge <= a:
            day_index += 1
            next_edge = day_edges[day_index + 1]
        best = 0
        while not counts[best]:
            best += 1
        raw[day_index][best] += b - a
        if active > 1:
            overlap += b - a
    raw_days = [dict(zip(TIME_CLASSES, day)) for day in raw]
    overlap_ids = _overlapping_ids(timed)

    planned_by_day = _per_day(_merge(planned), day_edges)

    holiday_names = bank_holidays.england_and_wales(week.days) if settings.bank_holidays else {}
    days: list[DaySplit] = []
    for i, day in enumerate(week.days):
        share = settings.share_on(day.weekday())
        split = DaySplit(day, working_day=day.weekday() in settings.working_days,
                         bank_holiday=holiday_names.get(day), planned=planned_by_day[i], share=share)
        split.minutes.update({c: raw_days[i][c] for c in WORKED_CLASSES})
        whole_day = split.working_day and (day in whole_day_absence or split.bank_holiday is not None)
        absence = (share if whole_day else 0) + raw_days[i][ABSENCE]
        split.minutes[ABSENCE] = min(absence, share)
        days.append(split)

    minutes = {c: sum(d.minutes[c] for d in days) for c in TIME_CLASSES}
    absence_on_working_days = sum(d.minutes[ABSENCE] for d in days if d.working_day)
    expected = max(0, settings.contracted_minutes - absence_on_working_days)

    not_attended = [(s[0], s[1]) for s in timed if s[5] == NOT_ATTENDED]
    awaiting = [(s[0], s[1]) for s in timed if s[5] == AWAITING_OUTCOME]

    by_crn: dict[str, list] = {}
    for seg in timed:
        if seg[4]:
            by_crn.setdefault(seg[4], []).append(seg)
    people: dict[str, PersonSplit] = {}
    for crn, mine in sorted(by_crn.items()):
        people[crn] = PersonSplit(
            crn,
            face_to_face_minutes=_union_length((s[0], s[1]) for s in mine if s[2] == FACE_TO_FACE),
            total_minutes=_union_length((s[0], s[1]) for s in mine),
        )

    return WeekSummary(
        week=week,
        minutes=minutes,
        days=days,
        contracted_minutes=settings.contracted_minutes,
        expected_minutes=expected,
        overlap_minutes=overlap,
        not_attended_minutes=_union_length(not_attended),
        awaiting_outcome_minutes=_union_length(awaiting),
        per_person=list(people.values()),
        planned_minutes=sum(planned_by_day),
        overlap_ids=overlap_ids,
        not_attended_ids={s[3] for s in timed if s[5] == NOT_ATTENDED},
        awaiting_outcome_ids={s[3] for s in timed if s[5] == AWAITING_OUTCOME},
    )


def slice_for_week(entries: Sequence[Timing], starts: Sequence[dt.datetime], week: Week) -> list[Timing]:
    """The entries (sorted by start, with `starts` their start instants) that overlap `week`:
    the same set that ``Diary.entries_between(week.start, week.end)`` returns."""
    lower = week.start - dt.timedelta(minutes=MAX_SPAN_MINUTES)
    lo = bisect.bisect_left(starts, lower)
    mid = bisect.bisect_left(starts, week.start, lo)
    hi = bisect.bisect_left(starts, week.end, mid)
    # only entries that start before the week need their end checked
    return [e for e in entries[lo:mid] if e.end > week.start] + list(entries[mid:hi])


def summarise_weeks(
    weeks: Sequence[Week],
    entries: Sequence[Timing],
    types: dict[int, ActivityType],
    outcomes: dict[str, Outcome],
    settings: Settings,
    now: dt.datetime,
) -> list[WeekSummary]:
    """``summarise_week`` for each week, on in-memory slices of one list of entries fetched
    once for the whole period (``period_entries``), which must be in start order."""
    starts = [e.start for e in entries]
    if any(a > b for a, b in zip(starts, starts[1:])):
        raise ValueError("summarise_weeks needs the entries in start order")
    return [summarise_week(w, slice_for_week(entries, starts, w), types, outcomes, settings, now)
            for w in weeks]


# --- the figures of a week, stored (storage's cache of weeks that are over) ----------------

def summary_to_data(s: WeekSummary) -> dict:
    return {
        "minutes": s.minutes,
        "days": [[d.date.isoformat(), d.minutes, d.working_day, d.bank_holiday, d.planned, d.share]
                 for d in s.days],
        "planned": s.planned_minutes,
        "contracted": s.contracted_minutes, "expected": s.expected_minutes,
        "overlap": s.overlap_minutes, "not_attended": s.not_attended_minutes,
        "awaiting": s.awaiting_outcome_minutes,
        "people": [[p.crn, p.face_to_face_minutes, p.total_minutes] for p in s.per_person],
        "overlap_ids": sorted(s.overlap_ids), "not_attended_ids": sorted(s.not_attended_ids),
        "awaiting_ids": sorted(s.awaiting_outcome_ids),
    }


def summary_from_data(week: Week, data: dict) -> WeekSummary:
    return WeekSummary(
        week=week,
        minutes=dict(data["minutes"]),
        days=[DaySplit(dt.date.fromisoformat(d), dict(m), w, h, p, share) for d, m, w, h, p, share in data["days"]],
        contracted_minutes=data["contracted"], expected_minutes=data["expected"],
        overlap_minutes=data["overlap"], not_attended_minutes=data["not_attended"],
        awaiting_outcome_minutes=data["awaiting"],
        per_person=[PersonSplit(*p) for p in data["people"]],
        planned_minutes=data["planned"],
        overlap_ids=set(data["overlap_ids"]), not_attended_ids=set(data["not_attended_ids"]),
        awaiting_outcome_ids=set(data["awaiting_ids"]),
    )
