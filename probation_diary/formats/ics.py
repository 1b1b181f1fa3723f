"""Calendar files (.ics): import from Outlook or Google, export planned appointments.

Qt-free. Parsing is the `icalendar` package's; recurrences are expanded with dateutil's rrule.
Every entry is made through core.validation.check_entry, so imports obey the same rules as the
window and the command line.

Import works in two steps so that a person can look before anything is saved:

1. `plan_import(data, diary, first, last)` reads the file and returns an `ImportPlan`: one
   `Proposal` per event occurrence (new, update, unchanged or skipped, with the guessed type
   and CRN, which the preview may change), the whole-day events that are not leave, the
   previously imported entries that are gone from the calendar, and the broken events.
2. `apply_plan(diary, plan)` saves the included proposals in one transaction, and records
   which entry each event became (table calendar_links, keyed by UID and recurrence id), so a
   later import of the same file updates rather than duplicates.

Nothing here prints or logs: messages that leave this module never carry an event's text.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import icalendar
from dateutil.rrule import rruleset, rrulestr

from ..core import clock
from ..core.model import ABSENCE, Entry, ReferenceData
from ..core.validation import EntryDraft, check_entry, starting_location

KEYWORDS_SETTING = "ics_keywords"
UID_DOMAIN = "probation-diary"
PRODID = "-//Probation Diary//Probation Diary//EN"

# Keyword -> activity type (Delius code or label). The longest keyword found wins, so
# "annual leave" beats "leave" and "supervision with manager" beats "supervision".
DEFAULT_KEYWORDS: list[tuple[str, str]] = [
    ("home visit", "CHVS"),
    ("HV", "CHVS"),
    ("doorstep", "CODC"),
    ("office visit", "COAP"),
    ("supervision", "COAP"),
    ("reporting", "COAP"),
    ("induction", "COAI"),
    ("initial appointment", "COAI"),
    ("three way", "C084"),
    ("3 way", "C084"),
    ("drug test", "C240"),
    ("telephone", "COPT"),
    ("phone", "COPT"),
    ("video", "COVC"),
    ("teams call", "COVC"),
    ("MAPPA", "CCMM"),
    ("MARAC", "C005"),
    ("child protection", "C078"),
    ("case conference", "CCON"),
    ("case discussion", "C238"),
    ("OASys", "EOAS"),
    ("sentence plan", "CSPR"),
    ("PSR", "Report writing (PSR or parole)"),
    ("parole report", "Report writing (PSR or parole)"),
    ("team meeting", "Team meeting"),
    ("supervision with manager", "Supervision with manager"),
    ("training", "Training or e-learning"),
    ("e-learning", "Training or e-learning"),
    ("travel", "Travel"),
    ("leave", "Annual leave"),
    ("annual leave", "Annual leave"),
    ("holiday", "Annual leave"),
    ("A/L", "Annual leave"),
    ("sick", "Sickness"),
    ("sickness", "Sickness"),
    ("TOIL", "TOIL taken"),
]
# An event that names a CRN but matches no keyword is most often an office appointment.
DEFAULT_WITH_CRN = "COAP"

CRN_IN_TEXT = re.compile(r"(?<![A-Za-z0-9])([A-Za-z][0-9]{6})(?![A-Za-z0-9])")

NEW, UPDATE, UNCHANGED, SKIP = "new", "update", "unchanged", "skip"
# A parse error in one of these makes an event unusable; errors elsewhere (an odd X- property,
# a malformed LAST-MODIFIED) are ignored.
NEEDED_PROPERTIES = {"UID", "DTSTART", "DTEND", "DURATION", "RRULE", "RDATE", "EXDATE", "RECURRENCE-ID",
                     "SUMMARY", "DESCRIPTION", "STATUS"}


class IcsError(ValueError):
    """The file cannot be used at all (not a calendar). Plain words, no event text."""


class EventProblem(ValueError):
    """One event cannot be used. Our own plain words only: never the event's text."""


# --- keywords --------------------------------------------------------------------------------

@dataclass
class Keywords:
    pairs: list[tuple[str, str]] = field(default_factory=lambda: list(DEFAULT_KEYWORDS))
    with_crn: str = DEFAULT_WITH_CRN  # '' for "no guess"

    def to_json(self) -> str:
        return json.dumps({"keywords": [list(p) for p in self.pairs], "with_crn": self.with_crn},
                          ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str | None) -> "Keywords":
        if not text:
            return cls()
        try:
            data = json.loads(text)
            pairs = [(str(k).strip(), str(t).strip()) for k, t in data.get("keywords", [])]
            return cls([(k, t) for k, t in pairs if k and t], str(data.get("with_crn", DEFAULT_WITH_CRN)))
        except (ValueError, TypeError, AttributeError):
            return cls()

    @classmethod
    def parse_lines(cls, text: str, with_crn: str = DEFAULT_WITH_CRN) -> "Keywords":
        """'keyword = type' per line, as the user edits them."""
        pairs = []
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            if "=" not in line:
                raise ValueError(f"line {number}: write it as 'keyword = type', e.g. 'home visit = CHVS'")
            k, _, t = line.partition("=")
            if not k.strip() or not t.strip():
                raise ValueError(f"line {number}: both a keyword and a type are needed")
            pairs.append((k.strip(), t.strip()))
        return cls(pairs, with_crn)

    def to_lines(self) -> str:
        return "\n".join(f"{k} = {t}" for k, t in self.pairs)

    def check(self, ref: ReferenceData) -> list[str]:
        """Problems with the table: types the diary does not have."""
        problems = []
        for k, t in self.pairs:
            try:
                ref.find_type(t)
            except LookupError:
                problems.append(f"'{k}': there is no activity type '{t}'")
        if self.with_crn:
            try:
                ref.find_type(self.with_crn)
            except LookupError:
                problems.append(f"there is no activity type '{self.with_crn}' for events with only a CRN")
        return problems


def load_keywords(diary) -> Keywords:
    return Keywords.from_json(diary.area_setting(KEYWORDS_SETTING))


def save_keywords(diary, keywords: Keywords) -> None:
    problems = keywords.check(diary.reference())
    if problems:
        raise ValueError(problems[0])
    diary.set_area_setting(KEYWORDS_SETTING, keywords.to_json())


def find_crn(text: str) -> str:
    """The first CRN (one letter, six digits, any case) in the text, upper-cased; '' if none."""
    match = CRN_IN_TEXT.search(text or "")
    return match.group(1).upper() if match else ""


def guess_type(text: str, keywords: Keywords) -> str:
    """The activity type (as written in the table) of the longest keyword in the text."""
    best = ""
    best_len = 0
    for keyword, type_text in keywords.pairs:
        pattern = r"(?<![A-Za-z0-9])" + re.escape(keyword) + r"(?![A-Za-z0-9])"
        if len(keyword) > best_len and re.search(pattern, text or "", re.IGNORECASE):
            best, best_len = type_text, len(keyword)
    return best


# --- reading -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Occurrence:
    """One event occurrence as the calendar has it. Timed: start/end are aware UTC. Whole day:
    day is the local date and start/end are None."""

    uid: str
    recurrence_id: str  # '' for a single event
    summary: str
    description: str
    start: dt.datetime | None
    end: dt.datetime | None
    day: dt.date | None = None
    sequence: int = 0
    cancelled: bool = False
    position: int = 0  # which VEVENT in the file (1-based), for messages

    @property
    def key(self) -> tuple[str, str]:
        return (self.uid, self.recurrence_id)

    @property
    def all_day(self) -> bool:
        return self.day is not None

    @property
    def text(self) -> str:
        return f"{self.summary}\n{self.description}"

    @property
    def local_start(self) -> dt.datetime | None:
        return clock.to_local(self.start) if self.start else None

    def when(self) -> str:
        if self.all_day:
            return f"{self.day:%a %d/%m/%Y} (all day)"
        s, e = clock.to_local(self.start), clock.to_local(self.end)
        end = f"{e:%H:%M}" if e.date() == s.date() else f"{e:%d/%m %H:%M}"
        return f"{s:%a %d/%m/%Y %H:%M}-{end}"

    def fingerprint(self) -> str:
        raw = "|".join([
            clock.format_utc(self.start) if self.start else "", clock.format_utc(self.end) if self.end else "",
            self.day.isoformat() if self.day else "", self.summary, self.description,
        ])
        return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:32]


@dataclass(frozen=True)
class AllDayEvent:
    """A whole-day event (possibly several days) before it is split into days."""

    uid: str
    recurrence_id: str
    summary: str
    description: str
    first: dt.date
    last: dt.date  # inclusive
    position: int
    sequence: int = 0

    def when(self) -> str:
        if self.first == self.last:
            return f"{self.first:%a %d/%m/%Y} (all day)"
        return f"{self.first:%a %d/%m/%Y} to {self.last:%a %d/%m/%Y} (all day)"


@dataclass
class ParsedCalendar:
    timed: list[Occurrence] = field(default_factory=list)
    all_day: list[AllDayEvent] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # broken events, reported and skipped
    cancelled: set[tuple[str, str]] = field(default_factory=set)
    seen: set[tuple[str, str]] = field(default_factory=set)


def _windows_zones() -> dict[str, str]:
    try:
        from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON
    except ImportError:  # pragma: no cover - older icalendar
        return {"GMT Standard Time": "Europe/London"}
    return WINDOWS_TO_OLSON


def _zone_for(tzid: str | None):
    """A real tz database zone for a TZID: IANA names as they are, Windows names mapped."""
    if not tzid:
        return None
    tzid = tzid.strip().strip('"')
    name = tzid if "/" in tzid or tzid in ("UTC", "GMT") else _windows_zones().get(tzid)
    if name is None:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def _normalise(prop):
    """The value of a DTSTART/DTEND/RECURRENCE-ID/EXDATE item: a date, or an aware datetime in
    a zone that handles clock changes (Windows names mapped to tz database zones; floating
    times taken as Europe/London)."""
    value = prop.dt
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            return value.replace(tzinfo=clock.LONDON)
        zone = _zone_for(prop.params.get("TZID"))
        if zone is not None:
            return value.replace(tzinfo=zone)  # same wall time, in a zone we trust
        return value
    if isinstance(value, dt.date):
        return value
    raise EventProblem("not a date or time")


def _utc_minute(value: dt.datetime) -> dt.datetime:
    return value.astimezone(clock.UTC).replace(second=0, microsecond=0)


def _rid_text(value) -> str:
    if isinstance(value, dt.datetime):
        return value.astimezone(clock.UTC).strftime("%Y%m%dT%H%M%SZ")
    return value.strftime("%Y%m%d")


def _text(component, name: str) -> str:
    value = component.get(name)
    if value is None:
        return ""
    if isinstance(value, list):
        value = value[0]
    return str(value).strip()


def _dates_of(component, name: str) -> list:
    """All values of EXDATE/RDATE (which may repeat and hold lists)."""
    props = component.get(name)
    if props is None:
        return []
    if not isinstance(props, list):
        props = [props]
    values = []
    for prop in props:
        if not hasattr(prop, "dts"):
            raise EventProblem(f"{name} cannot be read")
        for item in prop.dts:
            if not item.params.get("TZID") and prop.params.get("TZID"):
                item.params["TZID"] = prop.params["TZID"]
            values.append(_normalise(item))
    return values


def _rule_text(rule, base) -> str:
    """The RRULE as text, with UNTIL made to agree with DTSTART (dateutil insists on it)."""
    rule = icalendar.prop.vRecur(rule)
    until = rule.get("UNTIL")
    if until:
        u = until[0] if isinstance(until, list) else until
        if isinstance(base, dt.datetime) and base.tzinfo is not None:
            if isinstance(u, dt.datetime):
                u = u if u.tzinfo else u.replace(tzinfo=base.tzinfo)
            else:
                u = dt.datetime.combine(u, dt.time(23, 59, 59), tzinfo=base.tzinfo)
            u = u.astimezone(clock.UTC)
        else:  # naive base (whole-day events)
            if isinstance(u, dt.datetime):
                u = u.replace(tzinfo=None) if u.tzinfo is None else u.astimezone(clock.LONDON).replace(tzinfo=None)
            else:
                u = dt.datetime.combine(u, dt.time(23, 59, 59))
        rule["UNTIL"] = [u]
    return rule.to_ical().decode("ascii")


def _expand(event, start, window_start, window_end, overridden: set[str]) -> list:
    """Starts of a recurring event's occurrences within [window_start, window_end)."""
    base = start if isinstance(start, dt.datetime) else dt.datetime.combine(start, dt.time())
    rules = event.get("RRULE")
    rules = rules if isinstance(rules, list) else [rules]
    rs = rruleset()
    for rule in rules:
        rs.rrule(rrulestr(_rule_text(rule, start), dtstart=base))
    for extra in _dates_of(event, "RDATE"):
        rs.rdate(extra if isinstance(extra, dt.datetime) else dt.datetime.combine(extra, dt.time()))
    for ex in _dates_of(event, "EXDATE"):
        if isinstance(base, dt.datetime) and base.tzinfo is not None:
            if not isinstance(ex, dt.datetime):
                ex = dt.datetime.combine(ex, base.timetz())
        else:
            ex = ex.replace(tzinfo=None) if isinstance(ex, dt.datetime) else dt.datetime.combine(ex, dt.time())
        rs.exdate(ex)
    if isinstance(start, dt.datetime):
        lo, hi = window_start.astimezone(start.tzinfo), window_end.astimezone(start.tzinfo)
    else:
        lo = window_start.astimezone(clock.LONDON).replace(tzinfo=None) - dt.timedelta(days=366)
        hi = window_end.astimezone(clock.LONDON).replace(tzinfo=None)
    found = []
    for occ in rs.between(lo, hi, inc=True):
        value = occ if isinstance(start, dt.datetime) else occ.date()
        if _rid_text(value) in overridden:
            continue
        found.append(value)
        if len(found) > 5000:
            raise EventProblem("the event repeats too often to import")
    return found


def read_calendar(data: bytes, first: dt.date, last: dt.date) -> ParsedCalendar:
    """Read an .ics file and expand its events for local dates first..last (inclusive).
    A broken event is reported in `problems` and skipped; the rest still import."""
    if last < first:
        raise IcsError("the end of the range is before its start")
    try:
        cal = icalendar.Calendar.from_ical(data)
    except Exception:
        raise IcsError("this is not a calendar file (.ics) that can be read")
    if isinstance(cal, list):
        cal = cal[0] if cal else None
    if cal is None or cal.name != "VCALENDAR":
        raise IcsError("this is not a calendar file (.ics): it has no VCALENDAR")
    window_start = clock.local_midnight(first)
    window_end = clock.local_midnight(last + dt.timedelta(days=1))
    parsed = ParsedCalendar()
    events = list(cal.walk("VEVENT"))
    overrides: dict[str, set[str]] = {}
    for event in events:
        if event.get("RECURRENCE-ID") is not None:
            try:
                overrides.setdefault(_text(event, "UID"), set()).add(_rid_text(_normalise(event["RECURRENCE-ID"])))
            except Exception:
                pass  # reported when the event itself is read
    for position, event in enumerate(events, start=1):
        try:
            _read_event(event, position, window_start, window_end, overrides, parsed)
        except Exception as exc:  # a broken event: say which, never what it said
            # only our own messages: a library's message could quote the event
            reason = str(exc) if isinstance(exc, EventProblem) else "its dates or repeat rule cannot be read"
            parsed.problems.append(f"event {position} in the file was skipped: {_plain(reason)}")
    parsed.timed.sort(key=lambda o: (o.start, o.uid))
    parsed.all_day.sort(key=lambda a: (a.first, a.uid))
    return parsed


def _plain(reason: str) -> str:
    return reason[0].lower() + reason[1:] if reason else reason


def _read_event(event, position, window_start, window_end, overrides, parsed: ParsedCalendar) -> None:
    errors = getattr(event, "errors", None) or []
    names = sorted({name for name, _ in errors if name.upper() in NEEDED_PROPERTIES})
    if names:
        raise EventProblem(f"its {', '.join(names)} cannot be read")
    uid = _text(event, "UID")
    if not uid:
        raise EventProblem("it has no UID")
    if event.get("DTSTART") is None:
        raise EventProblem("it has no start (DTSTART)")
    start = _normalise(event["DTSTART"])
    if event.get("DTEND") is not None:
        end = _normalise(event["DTEND"])
        length = end - start
    elif event.get("DURATION") is not None:
        length = event["DURATION"].dt
    elif isinstance(start, dt.datetime):
        raise EventProblem("it has no end (DTEND or DURATION)")
    else:
        length = dt.timedelta(days=1)
    if isinstance(start, dt.datetime) and length <= dt.timedelta(0):
        raise EventProblem("it ends before it starts")
    summary = _text(event, "SUMMARY")
    description = _text(event, "DESCRIPTION")
    try:
        sequence = int(_text(event, "SEQUENCE") or 0)
    except ValueError:
        sequence = 0
    cancelled = _text(event, "STATUS").upper() == "CANCELLED"

    rid_prop = event.get("RECURRENCE-ID")
    if rid_prop is not None:
        starts = [(start, _rid_text(_normalise(rid_prop)))]
    elif event.get("RRULE") is not None:
        starts = [(s, _rid_text(s)) for s in _expand(event, start, window_start, window_end, overrides.get(uid, set()))]
    else:
        starts = [(start, "")]

    for occ_start, rid in starts:
        key = (uid, rid)
        parsed.seen.add(key)
        if cancelled:
            parsed.cancelled.add(key)
            continue
        if isinstance(occ_start, dt.datetime):
            # Same-zone arithmetic is wall-clock: a 10:00-11:00 meeting stays 10:00-11:00 local
            # on both sides of a clock change.
            s, e = _utc_minute(occ_start), _utc_minute(occ_start + length)
            parsed.timed.append(Occurrence(uid, rid, summary, description, s, e, None, sequence,
                                           False, position))
        else:
            last_day = occ_start + dt.timedelta(days=max(1, length.days) - 1)
            parsed.all_day.append(AllDayEvent(uid, rid, summary, description, occ_start, last_day,
                                              position, sequence))


# --- planning an import ---------------------------------------------------------------------

@dataclass
class Proposal:
    """What one calendar occurrence would do to the diary. type_text and crn are the guesses;
    the preview may change them, and `include`."""

    occurrence: Occurrence
    action: str  # NEW, UPDATE, UNCHANGED or SKIP
    type_text: str = ""
    crn: str = ""
    guessed_type: str = ""  # as guessed from the text (kept in calendar_links)
    guessed_crn: str = ""
    include: bool = True
    reason: str = ""  # why it is skipped or left out, in plain words
    entry_id: int | None = None
    changes: list[str] = field(default_factory=list)
    several_crns: bool = False
    replaces: tuple[str, str] | None = None  # the old calendar link this update takes over

    @property
    def ref(self) -> str:
        return f"PD-{self.entry_id:06d}" if self.entry_id else ""

    def draft(self, base: Entry | None, ref: ReferenceData) -> EntryDraft:
        occ = self.occurrence
        draft = EntryDraft.from_entry(base, ref) if base is not None else EntryDraft()
        draft.type = self.type_text
        draft.crn = self.crn
        if occ.all_day:
            draft.all_day = True
            draft.start_date = occ.day.isoformat()
            draft.start_time = draft.end_time = draft.end_date = draft.duration = ""
        else:
            s, e = clock.to_local(occ.start), clock.to_local(occ.end)
            draft.all_day = False
            draft.start_date, draft.start_time = s.date().isoformat(), f"{s:%H:%M}"
            draft.end_date = "" if e.date() == s.date() else e.date().isoformat()
            draft.end_time = f"{e:%H:%M}"
            draft.duration = ""
        return draft

    def check(self, diary, now: dt.datetime):
        """Validate as the diary would save it (core.validation.check_entry)."""
        ref = diary.reference()
        base = diary.get_entry(self.entry_id) if self.entry_id else None
        draft = self.draft(base, ref)
        if base is None:  # a new office visit starts at the office (spec/delius-export.md, Location)
            try:
                code = ref.find_type(draft.type).delius_code
            except LookupError:
                code = None
            draft.location = starting_location(code, diary.settings().office_location)
        return check_entry(draft, ref, now, base=base)


@dataclass
class Gone:
    """A previously imported entry whose event is no longer in the calendar (or cancelled)."""

    entry: Entry
    reason: str
    delete: bool = False  # the user's decision; nothing is deleted unless they say so


@dataclass
class ImportPlan:
    first: dt.date
    last: dt.date
    proposals: list[Proposal] = field(default_factory=list)
    gone: list[Gone] = field(default_factory=list)
    skipped: list[tuple[AllDayEvent, str]] = field(default_factory=list)  # whole-day, not leave
    problems: list[str] = field(default_factory=list)  # broken events

    def count(self, action: str, included_only: bool = False) -> int:
        return sum(1 for p in self.proposals if p.action == action and (p.include or not included_only))


def _type_key(ref: ReferenceData, type_text: str) -> str:
    try:
        t = ref.find_type(type_text)
    except LookupError:
        return ""
    return t.delius_code or t.label


def plan_import(data: bytes, diary, first: dt.date, last: dt.date,
                now: dt.datetime | None = None, keywords: Keywords | None = None) -> ImportPlan:
    now = now or clock.now_utc()
    keywords = keywords or load_keywords(diary)
    ref = diary.reference()
    parsed = read_calendar(data, first, last)
    links = diary.calendar_links()
    working_days = diary.settings().working_days
    window_start, window_end = clock.local_midnight(first), clock.local_midnight(last + dt.timedelta(days=1))
    plan = ImportPlan(first, last, problems=list(parsed.problems))
    present = set(parsed.seen)

    for occ in parsed.timed:
        linked = links.get(occ.key)
        if not (window_start <= occ.start < window_end) and linked is None:
            continue
        plan.proposals.append(_propose(occ, linked, diary, ref, keywords, now))

    for event in parsed.all_day:
        text = f"{event.summary}\n{event.description}"
        days = [event.first + dt.timedelta(days=i) for i in range((event.last - event.first).days + 1)]
        for day in days:
            present.add((event.uid, f"{event.recurrence_id}/{day.isoformat()}"))
        in_range = [d for d in days if first <= d <= last]
        if not in_range:
            continue
        type_text = guess_type(text, keywords)
        atype = None
        if type_text:
            try:
                atype = ref.find_type(type_text)
            except LookupError:
                atype = None
        if atype is None or atype.time_class != ABSENCE:
            plan.skipped.append((event, "a whole-day event that does not look like leave"))
            continue
        for day in in_range:
            if day.weekday() not in working_days:
                continue  # leave counts only on working days; weekends need no entry
            occ = Occurrence(event.uid, f"{event.recurrence_id}/{day.isoformat()}", event.summary,
                             event.description, None, None, day, event.sequence, False, event.position)
            plan.proposals.append(_propose(occ, links.get(occ.key), diary, ref, keywords, now))

    present_ids = {link["entry_id"] for key, link in links.items() if key in present and key not in parsed.cancelled}
    gone = []
    for key, link in links.items():
        if key in present and key not in parsed.cancelled:
            continue
        if link["entry_id"] in present_ids:
            continue  # the entry is linked again under the event's new recurrence id
        entry = diary.get_entry(link["entry_id"])
        if entry is None or not (window_start <= entry.start < window_end):
            continue
        reason = "cancelled in the calendar" if key in parsed.cancelled else "no longer in the calendar"
        gone.append((key, link, Gone(entry, reason)))

    # A whole series moved (say every Tuesday 10:00 becomes 11:00) gives every occurrence a new
    # recurrence id. Match each new occurrence with the entry of the same event on the same day,
    # so the entry is updated instead of duplicated.
    for p in plan.proposals:
        if p.action != NEW:
            continue
        day = p.occurrence.day or clock.to_local(p.occurrence.start).date()
        for i, (key, link, g) in enumerate(gone):
            if key[0] == p.occurrence.uid and key not in parsed.cancelled \
                    and clock.to_local(g.entry.start).date() == day and g.entry.all_day == p.occurrence.all_day:
                del gone[i]
                _rebase(p, link, g.entry, diary, ref, now)
                break
    plan.gone = [g for _key, _link, g in gone]
    plan.gone.sort(key=lambda g: g.entry.start)
    plan.proposals.sort(key=lambda p: (p.occurrence.start or clock.local_midnight(p.occurrence.day),
                                       p.occurrence.uid))
    return plan


def _propose(occ: Occurrence, linked: dict | None, diary, ref: ReferenceData, keywords: Keywords,
             now: dt.datetime) -> Proposal:
    text = occ.text
    crns = {m.upper() for m in CRN_IN_TEXT.findall(text)}
    crn = find_crn(occ.summary) or find_crn(occ.description)
    type_text = guess_type(text, keywords) or (keywords.with_crn if crn else "")
    type_text = _type_key(ref, type_text) or type_text
    p = Proposal(occ, NEW, type_text, crn, type_text, crn, several_crns=len(crns) > 1)
    if linked is not None:
        p.entry_id = linked["entry_id"]
        entry = diary.get_entry(p.entry_id)
        if entry is None:
            p.action, p.include = SKIP, False
            p.reason = f"imported before as {p.ref}, which you have since deleted; not imported again"
            return p
        if linked["fingerprint"] == occ.fingerprint():
            p.action, p.include = UNCHANGED, False
            atype = ref.types[entry.type_id]
            p.type_text, p.crn = atype.delius_code or atype.label, entry.crn or ""
            p.reason = f"already in the diary as {p.ref}"
            return p
        p.action = UPDATE
        try:
            old_type, old_crn = json.loads(linked["guess"] or "[]") or ["", ""]
        except ValueError:
            old_type, old_crn = "", ""
        atype = ref.types[entry.type_id]
        # Keep what the user chose last time unless the calendar now says something else.
        if not type_text or type_text == old_type:
            p.type_text = atype.delius_code or atype.label
        if not crn or crn == old_crn:
            p.crn = entry.crn or ""
    elif not type_text:
        p.include = False
        p.reason = "no activity type could be guessed: choose one to import it"
        return p
    refresh(p, diary, now)
    return p


def _rebase(p: Proposal, link: dict, entry: Entry, diary, ref: ReferenceData, now: dt.datetime) -> None:
    """Turn a NEW proposal into an UPDATE of an entry imported from the same event before."""
    p.action, p.entry_id, p.include = UPDATE, entry.id, True
    p.replaces = (link["uid"], link["recurrence_id"])
    try:
        old_type, old_crn = json.loads(link["guess"] or "[]") or ["", ""]
    except ValueError:
        old_type, old_crn = "", ""
    atype = ref.types[entry.type_id]
    if not p.guessed_type or p.guessed_type == old_type:
        p.type_text = atype.delius_code or atype.label
    if not p.guessed_crn or p.guessed_crn == old_crn:
        p.crn = entry.crn or ""
    refresh(p, diary, now)


def refresh(p: Proposal, diary, now: dt.datetime) -> None:
    """Re-check a proposal after its type or CRN changed (the preview calls this)."""
    if p.action in (UNCHANGED, SKIP):
        return
    if not p.type_text:
        p.include, p.reason, p.changes = False, "no activity type: choose one to import it", []
        return
    checked = p.check(diary, now)
    if not checked.ok:
        p.include = False
        p.reason = checked.first_error()
        p.changes = []
        return
    p.reason = ""
    if p.action == UPDATE:
        p.changes = _describe_changes(diary.get_entry(p.entry_id), checked.entry, diary.reference())
        if not p.changes:
            p.changes = ["nothing the diary keeps has changed"]


def _describe_changes(old: Entry, new: Entry, ref: ReferenceData) -> list[str]:
    def when(e: Entry) -> str:
        s, f = clock.to_local(e.start), clock.to_local(e.end)
        return f"{s:%a %d/%m/%Y} (all day)" if e.all_day else f"{s:%a %d/%m/%Y %H:%M}-{f:%H:%M}"

    changes = []
    if (old.start, old.end, old.all_day) != (new.start, new.end, new.all_day):
        changes.append(f"time {when(old)} -> {when(new)}")
    if old.type_id != new.type_id:
        short = lambda t: t.delius_code or t.label  # noqa: E731
        changes.append(f"type {short(ref.types[old.type_id])} -> {short(ref.types[new.type_id])}")
    if (old.crn or "") != (new.crn or ""):
        changes.append(f"CRN {old.crn or '(none)'} -> {new.crn or '(none)'}")
    return changes


@dataclass
class ImportResult:
    created: list[Entry] = field(default_factory=list)
    updated: list[Entry] = field(default_factory=list)
    deleted: list[Entry] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # for undo: the entries as they were before the update, and the calendar links as they were
    before: list[Entry] = field(default_factory=list)
    links_saved: list[dict] = field(default_factory=list)
    links_before: list[dict] = field(default_factory=list)
    links_new: list[tuple[str, str]] = field(default_factory=list)


def apply_plan(diary, plan: ImportPlan, now: dt.datetime | None = None) -> ImportResult:
    """Save the included proposals, and delete the gone entries the user chose, all in one
    transaction. An occurrence that no longer passes the checks is reported, not saved."""
    now = now or clock.now_utc()
    result = ImportResult()
    seen = clock.format_utc(now)
    existing = diary.calendar_links()
    with diary.transaction():
        for p in plan.proposals:
            occ = p.occurrence
            link = {"uid": occ.uid, "recurrence_id": occ.recurrence_id, "sequence": occ.sequence,
                    "fingerprint": occ.fingerprint(), "guess": json.dumps([p.guessed_type, p.guessed_crn]),
                    "last_seen_utc": seen}
            if p.action == UNCHANGED:
                link["entry_id"] = p.entry_id
                diary.save_calendar_link(link)
                continue
            if p.action == SKIP or not p.include:
                continue
            checked = p.check(diary, now)
            if not checked.ok:
                result.failed.append(f"{occ.when()}: {checked.first_error()}")
                continue
            result.warnings += [f"{occ.when()}: {w}" for w in checked.warnings]
            if p.action == NEW:
                entry = diary.add_entry(checked.entry)
                result.created.append(entry)
            else:
                result.before.append(diary.get_entry(p.entry_id))
                entry = diary.update_entry(checked.entry)
                result.updated.append(entry)
            link["entry_id"] = entry.id
            if occ.key in existing:
                result.links_before.append(existing[occ.key])
            else:
                result.links_new.append(occ.key)
            if p.replaces and p.replaces in existing:
                result.links_before.append(existing[p.replaces])
                diary.delete_calendar_links([p.replaces])
            diary.save_calendar_link(link)
            result.links_saved.append(link)
        for gone in plan.gone:
            if gone.delete:
                result.deleted.append(diary.delete_entry(gone.entry.id))
    return result


# --- export ---------------------------------------------------------------------------------------

def export_uid(entry: Entry) -> str:
    return f"{entry.ref}@{UID_DOMAIN}"


def appointments_to_export(diary, first: dt.date, last: dt.date, now: dt.datetime | None = None) -> list[Entry]:
    """Planned appointments: future, timed entries with a CRN, that did not come from a calendar
    (those are in the calendar already)."""
    now = now or clock.now_utc()
    from_calendar = diary.calendar_linked_entry_ids()
    entries = diary.entries_between(clock.local_midnight(first), clock.local_midnight(last + dt.timedelta(days=1)))
    return [e for e in entries if e.start >= now and not e.all_day and e.crn and e.id not in from_calendar]


def export_calendar(entries: list[Entry], ref: ReferenceData, now: dt.datetime,
                    sequence_of=lambda e: 0, names: dict[str, str] | None = None) -> bytes:
    """An .ics file of these entries. UIDs are stable (PD-000123@probation-diary) and SEQUENCE
    grows with every edit, so a calendar that imports it again updates rather than
    duplicates. It holds no notes; names only when `names` is given."""
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", "Probation Diary")
    stamp = now.astimezone(clock.UTC).replace(microsecond=0)
    for e in entries:
        atype = ref.types[e.type_id]
        title = f"{atype.display} - {e.crn}" if e.crn else atype.display
        if names and e.crn and names.get(e.crn):
            title += f" {names[e.crn]}"
        ev = icalendar.Event()
        ev.add("uid", export_uid(e))
        ev.add("dtstamp", stamp)
        ev.add("sequence", int(sequence_of(e)))
        ev.add("summary", title)
        ev.add("dtstart", clock.to_local(e.start))
        ev.add("dtend", clock.to_local(e.end))
        ev.add("categories", ["Probation Diary"])
        ev.add("transp", "OPAQUE")
        cal.add_component(ev)
    cal.add_component(icalendar.Timezone.from_ical(LONDON_VTIMEZONE))
    return cal.to_ical()


# The rules rather than a list of dates, so it never runs out (as Google and Outlook write it).
LONDON_VTIMEZONE = "\r\n".join([
    "BEGIN:VTIMEZONE", "TZID:Europe/London", "X-LIC-LOCATION:Europe/London",
    "BEGIN:DAYLIGHT", "TZOFFSETFROM:+0000", "TZOFFSETTO:+0100", "TZNAME:BST",
    "DTSTART:19700329T010000", "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU", "END:DAYLIGHT",
    "BEGIN:STANDARD", "TZOFFSETFROM:+0100", "TZOFFSETTO:+0000", "TZNAME:GMT",
    "DTSTART:19701025T020000", "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU", "END:STANDARD",
    "END:VTIMEZONE", "",
])
