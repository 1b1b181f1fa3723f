"""Evidence over time: trends over many weeks, caseload spread, anonymised weekly figures and
the team view. Qt-free.

Every weekly figure here comes from the one time split, ``timesplit.summarise_week``; this
module only slices, collects and aggregates. See docs/figures-format.md.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import statistics
from dataclasses import dataclass, field
from typing import Iterable, Sequence

from . import clock
from .clock import Week
from .model import FACE_TO_FACE, TIME_CLASSES, WORKED_CLASSES
from .timesplit import Timing, WeekSummary, summarise_weeks

FORMAT_NAME = "probation-diary-weekly-figures"
FORMAT_VERSION = 1
TREND_LENGTHS = (4, 12, 52)
GRADES = ("PO", "PSO")
TOP_PEOPLE = 5
BEFORE_DIARY = "before the diary started"


class EvidenceError(ValueError):
    """A problem the user must be told about, in plain words (never carries personal data)."""


# --- many weeks from one fetch ---------------------------------------------------------------

def weeks_ending(last: Week, count: int) -> list[Week]:
    """`count` weeks, oldest first, ending with `last`."""
    if count < 1:
        raise EvidenceError("the number of weeks must be at least 1")
    first = Week(last.monday - dt.timedelta(days=7 * (count - 1)))
    return [Week(first.monday + dt.timedelta(days=7 * i)) for i in range(count)]


def period_entries(diary, weeks: Sequence[Week], *, with_crn: bool = True) -> list[Timing]:
    """All entries overlapping the weeks, in one index-bounded query. Without CRNs when they
    are not needed: the class minutes do not depend on them, and it spares summarise_week its
    per-person work."""
    if not weeks:
        return []
    return diary.timing_between(weeks[0].start, weeks[-1].end, with_crn=with_crn)


def diary_summaries(diary, weeks: Sequence[Week], now: dt.datetime | None = None) -> list[WeekSummary]:
    """The weeks' summaries: weeks that are over come from the diary's cache of figures when
    nothing has changed since; the rest are computed from one fetch (Diary.week_summaries)."""
    return diary.week_summaries(weeks, now or clock.now_utc())


# --- one week's anonymised figures -----------------------------------------------------------

def is_mostly_absence(contracted_minutes: int, expected_minutes: int) -> bool:
    """A week is "mostly absence" when absence on working days takes at least half of the
    contracted time, i.e. expected time is at most half of contracted time. Its shares are
    shown but left out of averages and medians (they are not counted as 0%)."""
    if contracted_minutes <= 0:
        return True
    return 2 * (contracted_minutes - expected_minutes) >= contracted_minutes


def _share(part: int, whole: int) -> float | None:
    return None if whole <= 0 else part / whole


@dataclass(frozen=True)
class WeekFigures:
    """The figures of one week that may leave the diary: no CRN, name, note or entry time."""

    week_start: dt.date
    minutes: dict[str, int]
    contracted_minutes: int
    expected_minutes: int
    in_progress: bool = False
    # the week ends before the diary's first entry: not part of the record (left out of
    # averages, medians and totals, and of the anonymised figures)
    before_diary: bool = False
    planned_minutes: int = 0  # booked after now (only a week in progress or to come has any)

    @classmethod
    def from_summary(cls, summary: WeekSummary, now: dt.datetime | None = None, *,
                     record_from: dt.date | None = None) -> "WeekFigures":
        """``record_from``: the Monday of the week of the diary's first entry (weeks before it
        are marked before_diary); None: no such limit."""
        in_progress = now is not None and summary.week.start <= now < summary.week.end
        before = record_from is not None and summary.week.monday < record_from
        return cls(summary.week.monday, dict(summary.minutes), summary.contracted_minutes,
                   summary.expected_minutes, in_progress, before, summary.planned_minutes)

    @property
    def worked_minutes(self) -> int:
        return sum(self.minutes[c] for c in WORKED_CLASSES)

    @property
    def unlogged_minutes(self) -> int:
        return max(0, self.expected_minutes - self.worked_minutes)

    @property
    def extra_minutes(self) -> int:
        return max(0, self.worked_minutes - self.expected_minutes)

    @property
    def face_to_face_share(self) -> float | None:
        return _share(self.minutes[FACE_TO_FACE], self.worked_minutes)

    @property
    def direct_contact_share(self) -> float | None:
        return _share(self.minutes[FACE_TO_FACE] + self.minutes["remote_contact"], self.worked_minutes)

    @property
    def mostly_absence(self) -> bool:
        return is_mostly_absence(self.contracted_minutes, self.expected_minutes)

    @property
    def counts_for_shares(self) -> bool:
        """Whether this week's shares go into averages and medians."""
        return (not self.mostly_absence and not self.in_progress and not self.before_diary
                and self.worked_minutes > 0)

    @property
    def status(self) -> str:
        if self.before_diary:
            return BEFORE_DIARY
        if self.in_progress:
            return "this week, so far"
        if self.mostly_absence:
            return "mostly absence"
        if self.worked_minutes == 0:
            return "no time logged"
        return ""

    def to_json(self) -> dict:
        out = {"week_start": self.week_start.isoformat()}
        out.update({f"{c}_minutes": self.minutes[c] for c in TIME_CLASSES})
        out.update({
            "worked_minutes": self.worked_minutes,
            "contracted_minutes": self.contracted_minutes,
            "expected_minutes": self.expected_minutes,
            "unlogged_minutes": self.unlogged_minutes,
            "extra_minutes": self.extra_minutes,
            "face_to_face_share": _round_share(self.face_to_face_share),
            "direct_contact_share": _round_share(self.direct_contact_share),
            "mostly_absence": self.mostly_absence,
        })
        return out


def _round_share(share: float | None) -> float | None:
    return None if share is None else round(share, 4)


# --- trends --------------------------------------------------------------------------------

TREND_MEASURES = ("face_to_face_share", "direct_contact_share", "worked_minutes",
                  "expected_minutes", "extra_minutes", "unlogged_minutes")
SHARE_MEASURES = ("face_to_face_share", "direct_contact_share")


@dataclass
class Stat:
    average: float | None
    median: float | None
    total: int | None = None  # minutes measures only: over every week of the period
    weeks: int = 0  # how many weeks the average and median are over

    def to_json(self) -> dict:
        out = {"average": self.average, "median": self.median, "weeks": self.weeks}
        if self.total is not None:
            out["total"] = self.total
        return out


@dataclass
class Trend:
    weeks: list[WeekFigures]
    stats: dict[str, Stat]

    @property
    def overall_face_to_face_share(self) -> float | None:
        """Pooled over the counted weeks: their face-to-face time / their worked time."""
        counted = [w for w in self.weeks if w.counts_for_shares]
        return _share(sum(w.minutes[FACE_TO_FACE] for w in counted), sum(w.worked_minutes for w in counted))

    def to_json(self) -> dict:
        return {
            "first_week": self.weeks[0].week_start.isoformat() if self.weeks else None,
            "last_week": self.weeks[-1].week_start.isoformat() if self.weeks else None,
            "weeks": [dict(w.to_json(), status=w.status or "counted", planned_minutes=w.planned_minutes)
                      for w in self.weeks],
            "summary": {k: v.to_json() for k, v in self.stats.items()},
            "overall_face_to_face_share": self.overall_face_to_face_share,
        }


def _avg_median(values: list[float]) -> tuple[float | None, float | None]:
    if not values:
        return None, None
    return statistics.fmean(values), float(statistics.median(values))


def trend_from_figures(weeks: list[WeekFigures]) -> Trend:
    """Averages and medians over the weeks that count (not mostly absence, not the week in
    progress; for shares also not weeks with no time worked). Totals are over every week of
    the record: weeks before the diary started are not part of it."""
    recorded = [w for w in weeks if not w.before_diary]
    counted = [w for w in recorded if not w.mostly_absence and not w.in_progress]
    stats: dict[str, Stat] = {}
    for measure in TREND_MEASURES:
        if measure in SHARE_MEASURES:
            values = [getattr(w, measure) for w in counted if w.worked_minutes > 0]
            avg, med = _avg_median(values)
            stats[measure] = Stat(avg, med, None, len(values))
        else:
            values = [getattr(w, measure) for w in counted]
            avg, med = _avg_median(values)
            stats[measure] = Stat(avg, med, sum(getattr(w, measure) for w in recorded), len(values))
    return Trend(weeks, stats)


def diary_trend(diary, count: int, *, last: Week | None = None, now: dt.datetime | None = None) -> Trend:
    """The last `count` weeks (ending with the week containing now, or `last`), from one fetch."""
    now = now or clock.now_utc()
    last = last or Week.containing(clock.to_local(now).date())
    weeks = weeks_ending(last, count)
    summaries = diary_summaries(diary, weeks, now)
    record_from = diary_start(diary) or weeks[-1].next().monday  # no entry: no record yet
    return trend_from_figures([WeekFigures.from_summary(s, now, record_from=record_from) for s in summaries])


def diary_start(diary) -> dt.date | None:
    """The Monday of the week of the diary's first entry (None: the diary has no entry)."""
    first = diary.first_entry_start()
    return None if first is None else clock.week_monday(clock.to_local(first).date())


# --- caseload spread -------------------------------------------------------------------------

@dataclass
class PersonSpread:
    crn: str
    face_to_face_minutes: int
    total_minutes: int
    last_face_to_face: dt.date | None
    not_seen: bool  # no face-to-face contact for the chosen number of weeks (at "today")

    def to_json(self) -> dict:
        return {"crn": self.crn, "face_to_face_minutes": self.face_to_face_minutes,
                "total_minutes": self.total_minutes,
                "last_face_to_face": self.last_face_to_face.isoformat() if self.last_face_to_face else None,
                "not_seen": self.not_seen}


@dataclass
class CaseloadSpread:
    first: dt.date
    last: dt.date
    today: dt.date
    not_seen_weeks: int
    people: list[PersonSpread]  # most face-to-face time first

    @property
    def face_to_face_minutes(self) -> int:
        return sum(p.face_to_face_minutes for p in self.people)

    @property
    def top_people(self) -> list[PersonSpread]:
        return [p for p in self.people if p.face_to_face_minutes > 0][:TOP_PEOPLE]

    @property
    def concentration(self) -> float | None:
        """Share of the face-to-face time given to people that went to the top 5 of them."""
        return _share(sum(p.face_to_face_minutes for p in self.top_people), self.face_to_face_minutes)

    @property
    def not_seen_count(self) -> int:
        return sum(p.not_seen for p in self.people)

    def to_json(self) -> dict:
        return {"from": self.first.isoformat(), "to": self.last.isoformat(), "today": self.today.isoformat(),
                "not_seen_weeks": self.not_seen_weeks, "face_to_face_minutes": self.face_to_face_minutes,
                "concentration_top5": self.concentration, "not_seen_count": self.not_seen_count,
                "people": [p.to_json() for p in self.people]}


def _clip(entries: Iterable[Timing], start: dt.datetime, end: dt.datetime) -> list[Timing]:
    """The entries cut to [start, end), so that the split counts only the period's minutes."""
    out = []
    for e in entries:
        if e.all_day:
            if start <= e.start < end:
                out.append(e)
            continue
        a, b = max(e.start, start), min(e.end, end)
        if a < b:
            out.append(e if (a, b) == (e.start, e.end) else e._replace(start=a, end=b))
    return out


def person_minutes(summaries: Iterable[WeekSummary]) -> dict[str, tuple[int, int]]:
    totals: dict[str, list[int]] = {}
    for s in summaries:
        for p in s.per_person:
            t = totals.setdefault(p.crn, [0, 0])
            t[0] += p.face_to_face_minutes
            t[1] += p.total_minutes
    return {crn: (f, t) for crn, (f, t) in totals.items()}


def not_seen_since(today: dt.date, weeks: int) -> dt.date:
    """A person whose last face-to-face contact is before this date has not been seen for
    `weeks` weeks at `today`."""
    return today - dt.timedelta(days=7 * weeks)


def caseload_spread(diary, first: dt.date, last: dt.date, *, today: dt.date | None = None,
                    not_seen_weeks: int = 4, now: dt.datetime | None = None) -> CaseloadSpread:
    """Per person, over the local dates first..last (inclusive): face-to-face and total minutes
    from the weekly time split (entries clipped to the period), and their last face-to-face
    contact, looked up back beyond the period."""
    if last < first:
        raise EvidenceError("the end of the period is before its start")
    if not_seen_weeks < 1:
        raise EvidenceError("the number of weeks for 'not seen' must be at least 1")
    now = now or clock.now_utc()
    today = today or clock.to_local(now).date()
    start = clock.local_midnight(first)
    end = clock.local_midnight(last + dt.timedelta(days=1))
    weeks = []
    w = Week.containing(first)
    while w.monday <= last:
        weeks.append(w)
        w = w.next()
    ref = diary.reference()
    clipped = _clip(diary.timing_between(start, end), start, end)
    summaries = summarise_weeks(weeks, clipped, ref.types, ref.outcomes, diary.settings(), now)
    minutes = person_minutes(summaries)
    crns = sorted({e.crn for e in clipped if e.crn})
    seen_before = not_seen_since(today, not_seen_weeks)
    # as of today, but never a contact that has not happened yet
    cutoff = min(now, clock.local_midnight(today + dt.timedelta(days=1)))
    people = []
    for crn in crns:
        f2f, total = minutes.get(crn, (0, 0))
        last_seen = last_face_to_face(diary, crn, cutoff)
        people.append(PersonSpread(crn, f2f, total, last_seen,
                                   last_seen is None or last_seen < seen_before))
    people.sort(key=lambda p: (-p.face_to_face_minutes, -p.total_minutes, p.crn))
    return CaseloadSpread(first, last, today, not_seen_weeks, people)


def last_face_to_face(diary, crn: str, before: dt.datetime) -> dt.date | None:
    """The local date of the person's latest face-to-face contact that started before
    `before`: a face-to-face type, attended if it is an appointment. Walks the (crn, start_utc)
    index backwards and stops at the first match."""
    start = diary.last_face_to_face(crn, before)
    return clock.to_local(start).date() if start else None


# --- anonymised export -----------------------------------------------------------------------

@dataclass(frozen=True)
class Practitioner:
    """Pseudonymous details the user chooses to add to an export."""

    label: str = ""
    grade: str = ""
    team: str = ""

    def checked(self) -> "Practitioner":
        label = " ".join((self.label or "").split())
        grade = (self.grade or "").strip().upper()
        team = (self.team or "").strip().upper()
        if len(label) > 40:
            raise EvidenceError("the practitioner label can be at most 40 characters")
        if grade and grade not in GRADES:
            raise EvidenceError(f"the grade must be one of {', '.join(GRADES)}")
        if len(team) > 12 or (team and not team.replace("_", "").replace("-", "").isalnum()):
            raise EvidenceError("the team code can have at most 12 letters, digits, '-' or '_'")
        return Practitioner(label, grade, team)


CLASS_FIELDS = tuple(f"{c}_minutes" for c in TIME_CLASSES)
MINUTE_FIELDS = CLASS_FIELDS + ("worked_minutes", "contracted_minutes", "expected_minutes",
                                "unlogged_minutes", "extra_minutes")
WEEK_FIELDS = ("week_start",) + MINUTE_FIELDS + ("face_to_face_share", "direct_contact_share", "mostly_absence")
CSV_FIELDS = ("format_version",) + WEEK_FIELDS + ("label", "grade", "team")


def diary_figures(diary, count: int, *, last: Week | None = None,
                  now: dt.datetime | None = None) -> list[WeekFigures]:
    """The weeks' anonymised figures, leaving out weeks before the diary started (they are
    not part of the record)."""
    return [w for w in diary_trend(diary, count, last=last, now=now).weeks if not w.before_diary]


# --- team view: import ---------------------------------------------------------------------

@dataclass(frozen=True)
class ImportedWeek:
    label: str
    grade: str
    team: str
    figures: WeekFigures
    source: str


# --- team view: aggregation ------------------------------------------------------------------

@dataclass
class TeamWeek:
    week_start: dt.date
    practitioners: int
    counted: int  # practitioners whose share counts (worked time, not mostly absence)
    face_to_face_minutes: int
    worked_minutes: int
    extra_minutes: int
    shares: list[float]  # the counted practitioners' face-to-face shares, sorted

    @property
    def team_share(self) -> float | None:
        """The team's face-to-face time / its worked time, over the counted practitioners."""
        return _share(self.face_to_face_minutes, self.worked_minutes)

    def quantiles(self) -> tuple[float, float, float, float, float] | None:
        """min, lower quartile, median, upper quartile, max of the practitioners' shares."""
        s = self.shares
        if not s:
            return None
        if len(s) == 1:
            return (s[0],) * 5
        q1, med, q3 = statistics.quantiles(s, n=4, method="inclusive")
        return s[0], q1, med, q3, s[-1]

    @property
    def median_share(self) -> float | None:
        q = self.quantiles()
        return None if q is None else q[2]

    def to_json(self) -> dict:
        q = self.quantiles() or (None,) * 5
        return {
            "week_start": self.week_start.isoformat(), "practitioners": self.practitioners,
            "counted": self.counted, "face_to_face_minutes": self.face_to_face_minutes,
            "worked_minutes": self.worked_minutes, "team_face_to_face_share": _round_share(self.team_share),
            "median_face_to_face_share": _round_share(q[2]), "min_share": _round_share(q[0]),
            "lower_quartile_share": _round_share(q[1]), "upper_quartile_share": _round_share(q[3]),
            "max_share": _round_share(q[4]), "extra_minutes": self.extra_minutes,
        }


TEAM_CSV_FIELDS = ("week_start", "practitioners", "counted", "face_to_face_minutes", "worked_minutes",
                   "team_face_to_face_share", "median_face_to_face_share", "min_share",
                   "lower_quartile_share", "upper_quartile_share", "max_share", "extra_minutes")


@dataclass
class Team:
    """Imported figures, one per practitioner (label) and week: a later import of the same
    practitioner and week replaces the earlier one, so nothing is counted twice."""

    figures: dict[tuple[str, dt.date], ImportedWeek] = field(default_factory=dict)
    replaced: list[tuple[str, dt.date, str, str]] = field(default_factory=list)  # label, week, old, new source

    def add(self, weeks: Iterable[ImportedWeek]) -> int:
        count = 0
        for item in weeks:
            key = (item.label, item.figures.week_start)
            old = self.figures.get(key)
            if old is not None:
                self.replaced.append((item.label, item.figures.week_start, old.source, item.source))
            self.figures[key] = item
            count += 1
        return count

    @property
    def labels(self) -> list[str]:
        return sorted({label for label, _ in self.figures})

    def weeks(self) -> list[TeamWeek]:
        by_week: dict[dt.date, list[WeekFigures]] = {}
        for (label, monday), item in sorted(self.figures.items(), key=lambda kv: (kv[0][1], kv[0][0])):
            by_week.setdefault(monday, []).append(item.figures)
        out = []
        for monday in sorted(by_week):
            rows = by_week[monday]
            counted = [w for w in rows if w.counts_for_shares]
            out.append(TeamWeek(
                monday, len(rows), len(counted),
                sum(w.minutes[FACE_TO_FACE] for w in counted),
                sum(w.worked_minutes for w in counted),
                sum(w.extra_minutes for w in rows),
                sorted(w.face_to_face_share for w in counted),
            ))
        return out

    def to_json(self) -> dict:
        return {"practitioners": self.labels, "weeks": [w.to_json() for w in self.weeks()],
                "replaced": [{"label": l, "week_start": d.isoformat(), "earlier_file": a, "later_file": b}
                             for l, d, a, b in self.replaced]}

    def table_csv(self) -> str:
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\r\n")
        writer.writerow(TEAM_CSV_FIELDS)
        for w in self.weeks():
            data = w.to_json()
            writer.writerow(["" if data[f] is None else data[f] for f in TEAM_CSV_FIELDS])
        return buf.getvalue()
