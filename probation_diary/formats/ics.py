"""Calendar files (.ics): import from Outlook or Google, export planned appointments.

Qt-free. Parsing is the `icalendar` package's; expanding series (RRULE, RDATE with dates or
periods, EXDATE, moved occurrences by RECURRENCE-ID, the newest SEQUENCE) is
`recurring-ical-events`', with `x-wr-timezone` for Google's calendar-wide zone. This module keeps
what only the diary knows: which zone a Windows name means, what a real-world file gets wrong,
how many occurrences are sensible, CRNs, activity types, the preview, and the link from each
event to the entry it became. Every entry is made through core.validation.check_entry, so
imports obey the same rules as the window and the command line.

Import works in two steps so that a person can look before anything is saved:

1. `plan_import(data, diary, first, last)` reads the file and returns an `ImportPlan`: one
   `Proposal` per event occurrence (new, update, unchanged or skipped, with the guessed type
   and CRN, which the preview may change), the whole-day events that are not leave, the
   previously imported entries that are gone from the calendar, the events that could not be
   read (`problems`) and what was read only in part (`notes`).
2. `apply_plan(diary, plan)` saves the included proposals in one transaction, and records
   which entry each event became (table calendar_links, keyed by UID and recurrence id), so a
   later import of the same file updates rather than duplicates.

Nothing here prints or logs: messages that leave this module never carry an event's text.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import json
import math
import re
import warnings
from dataclasses import dataclass, field
from functools import lru_cache
from zoneinfo import ZoneInfo

import icalendar
from icalendar.cal.component_factory import ComponentFactory
from icalendar.parser.ical.calendar import CalendarIcalParser
from icalendar.prop import vBroken

from ..core import clock
from .windows_zones import zone_for_tzid
from ..core.model import ABSENCE, Entry, ReferenceData
from ..core.validation import EntryDraft, check_entry, starting_location

KEYWORDS_SETTING = "ics_keywords"
UID_DOMAIN = "probation-diary"
PRODID = "-//Probation Diary//Probation Diary//EN"

# Keyword -> activity type (Delius code or label, as in resources/activity-types.csv). The
# longest keyword found wins, so "annual leave" beats "leave" and "supervision with SPO" (a
# practitioner's own supervision by their manager: admin) beats "supervision" (a person on
# probation reporting: an office visit).
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
    ("drug key worker", "C090"),
    ("alcohol key worker", "C089"),
    ("ETE", "C007"),
    ("telephone", "COPT"),
    ("phone", "COPT"),
    ("video", "COVC"),
    ("teams call", "COVC"),
    ("MAPPA", "CCMM"),
    ("MARAC", "C005"),
    ("child protection", "C078"),
    ("strategy meeting", "C160"),
    ("case conference", "CCON"),
    ("case discussion", "C238"),
    ("case consultation", "CSPO"),
    ("consultation with SPO", "CSPO"),
    ("consultation with manager", "CSPO"),
    ("police liaison", "C204"),
    ("prison liaison", "C202"),
    ("OASys", "EOAS"),
    ("sentence plan", "CSPR"),
    ("PSR", "Report writing (PSR or parole)"),
    ("parole report", "Report writing (PSR or parole)"),
    ("team meeting", "Team meeting"),
    ("supervision with manager", "Supervision with manager"),
    ("supervision with SPO", "Supervision with manager"),
    ("SPO supervision", "Supervision with manager"),
    ("supervision with line manager", "Supervision with manager"),
    ("management supervision", "Supervision with manager"),
    ("manager supervision", "Supervision with manager"),
    ("1:1 with SPO", "Supervision with manager"),
    ("1:1 with manager", "Supervision with manager"),
    ("recording", "Recording on Delius"),
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
NEEDS_TYPE = "needs a type: choose one to import it"

# Series: at most this many occurrences of one event in the dates chosen; a rule whose upper
# bound is far beyond it is refused before anything is expanded.
MAX_OCCURRENCES = 1000
MAX_ESTIMATE = 20_000
JUMP_AFTER = 500  # periods before the window after which a series' start is moved up to it

PROPERTY_WORDS = {
    "DTSTART": "start (DTSTART)", "DTEND": "end (DTEND)", "DURATION": "length (DURATION)",
    "RRULE": "repeat rule (RRULE)", "RDATE": "extra dates (RDATE)", "EXDATE": "left-out dates (EXDATE)",
    "RECURRENCE-ID": "RECURRENCE-ID",
}
FREQ_WORDS = {"SECONDLY": "every second", "MINUTELY": "every minute", "HOURLY": "every hour",
              "DAILY": "every day", "WEEKLY": "every week", "MONTHLY": "every month", "YEARLY": "every year"}
FREQ_RANK = {"SECONDLY": 0, "MINUTELY": 1, "HOURLY": 2, "DAILY": 3, "WEEKLY": 4, "MONTHLY": 5, "YEARLY": 6}
PERIOD = {"SECONDLY": dt.timedelta(seconds=1), "MINUTELY": dt.timedelta(minutes=1),
          "HOURLY": dt.timedelta(hours=1), "DAILY": dt.timedelta(days=1), "WEEKLY": dt.timedelta(days=7)}
KEPT_PROPERTIES = ("UID", "DTSTART", "DTEND", "DURATION", "RRULE", "RDATE", "EXDATE", "RECURRENCE-ID",
                   "SEQUENCE", "SUMMARY", "DESCRIPTION", "STATUS", "X-PD-MOVED", "X-PD-LENGTH")
BY_RANK = {"BYSECOND": 0, "BYMINUTE": 1, "BYHOUR": 2, "BYDAY": 3, "BYMONTHDAY": 3, "BYYEARDAY": 3,
           "BYWEEKNO": 4, "BYMONTH": 5}


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


@lru_cache(maxsize=16)
def _keyword_pattern(pairs: tuple[tuple[str, str], ...]):
    """One regular expression for the whole table, longest keywords first, and the type of
    each keyword (lower case)."""
    words = sorted({k for k, _ in pairs}, key=len, reverse=True)
    types: dict[str, str] = {}
    for k, t in pairs:
        types.setdefault(k.lower(), t)
    if not words:
        return None, types
    body = "|".join(re.escape(k) for k in words)
    return re.compile(r"(?<![A-Za-z0-9])(?:" + body + r")(?![A-Za-z0-9])", re.IGNORECASE), types


def guess_type(text: str, keywords: Keywords) -> str:
    """The activity type (as written in the table) of the longest keyword in the text."""
    pattern, types = _keyword_pattern(tuple(keywords.pairs))
    if pattern is None or not text:
        return ""
    best = ""
    for match in pattern.finditer(text):
        if len(match.group(0)) > len(best):
            best = match.group(0)
    return types.get(best.lower(), "") if best else ""


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
    problems: list[str] = field(default_factory=list)  # events (or occurrences) skipped, and why
    notes: list[str] = field(default_factory=list)  # what was left out of events that were read
    cancelled: set[tuple[str, str]] = field(default_factory=set)
    seen: set[tuple[str, str]] = field(default_factory=set)
    cancelled_days: set[tuple[str, str]] = field(default_factory=set)


# -- parsing, tolerant of broken lines anywhere (icalendar is tolerant only inside VEVENT)

@lru_cache(maxsize=None)
def _tolerant(cls):
    return type(cls.__name__, (cls,), {"ignore_exceptions": True})


class _TolerantFactory(ComponentFactory):
    """Every component keeps what it can read and records the rest in `.errors`: a reminder
    (VALARM) with a bad trigger, or a broken line in a VTIMEZONE, no longer fails the file."""

    def __init__(self) -> None:
        super().__init__()
        for name, cls in list(self.items()):
            self[name] = _tolerant(cls)

    def get_component_class(self, name: str):
        cls = self.get(name)
        if cls is None:
            cls = _tolerant(super().get_component_class(name))
            self[cls.name] = cls
        return cls


class _TolerantParser(CalendarIcalParser):
    """icalendar's parser, where what it raises on despite a tolerant component is kept to the
    part that is broken: a VTIMEZONE it cannot turn into a zone (an RFC 7808 line such as
    TZUNTIL or TZID-ALIAS-OF, a blank or repeated TZID, an RDATE with VALUE=DATE), a value
    it reads but cannot build (a PERIOD that ends before it starts), a line outside any
    component. Each failed the whole file before."""

    def handle_end_component(self, vals: str) -> None:
        try:
            super().handle_end_component(vals)
        except Exception as exc:
            if not self._stack and not self._components:
                raise  # an END before any BEGIN: not a calendar
            done = (self._stack[-1].subcomponents[-1] if self._stack and self._stack[-1].subcomponents
                    else (self._components[-1] if self._components else None))
            if done is not None and done.name == vals.upper():
                done.errors.append(("", f"{type(exc).__name__}"))  # the zone: events read as UK time
            else:
                raise

    def parse_and_add_property(self, name, params, val, tzid, line):
        try:
            super().parse_and_add_property(name, params, val, tzid, line)
        except (ValueError, TypeError) as exc:
            self.handle_property_parse_error(exc, name, params, val, line)

    def handle_property(self, name, params, vals, line):
        if not self.component:
            return  # a line between or after the calendars: nothing of an event
        super().handle_property(name, params, vals, line)


class _TolerantCalendar(icalendar.Calendar):
    _components_factory = _TolerantFactory()

    @classmethod
    def _get_ical_parser(cls, st):
        return _TolerantParser(st, cls._get_component_factory(), cls.types_factory)


def _parse(data: bytes) -> list:
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:  # older Outlook exports in Windows-1252
            text = data.decode("cp1252", errors="replace")
    else:
        text = data
    if "BEGIN:VCALENDAR" not in text[:4096].upper():
        if not re.match(r"\s*BEGIN:VEVENT\s*$", text[:256], re.IGNORECASE | re.MULTILINE):
            raise IcsError("this is not a calendar file (.ics) that can be read")
        # one event saved on its own, without the VCALENDAR around it: read as a calendar
        text = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n" + text.rstrip("\r\n") + "\r\nEND:VCALENDAR\r\n"
    if "END:VCALENDAR" not in text[-4096:].upper():  # cut short (a download that stopped)
        text = text.rstrip("\r\n") + "\r\nEND:VCALENDAR\r\n"
    icalendar.use_zoneinfo()  # forget zones cached from another file's VTIMEZONEs
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            components = _TolerantCalendar.from_ical(text, multiple=True)
    except Exception:  # the library's message could quote the file: never shown
        raise IcsError("this is not a calendar file (.ics) that can be read")
    calendars = [c for c in components if c.name == "VCALENDAR"]
    if not calendars:
        raise IcsError("this is not a calendar file (.ics): it has no VCALENDAR")
    return calendars


def _calendar_zone(cal):
    """The zone for floating times: Google's X-WR-TIMEZONE (any name we know), else UK time."""
    name = cal.get("X-WR-TIMEZONE")
    if isinstance(name, list):
        name = name[0] if name else None
    zone = zone_for_tzid(str(name)) if name else None
    return zone or clock.LONDON


def _one(component, name):
    value = component.get(name)
    if isinstance(value, list):
        value = value[0] if value else None
    return value


def _text(component, name: str) -> str:
    value = _one(component, name)
    return "" if value is None else str(value).strip()


def _is_broken(prop) -> bool:
    return prop is not None and not hasattr(prop, "dt") and not hasattr(prop, "dts")


@lru_cache(maxsize=64)
def _equivalent_zone(tzinfo, years: tuple[int, ...] = tuple(range(2024, 2029))):
    """A tz database zone that keeps the same clock as a zone built from a file's VTIMEZONE
    (Outlook's "Customized Time Zone") in the years given (the time's own and the dates
    chosen: zones change their rules, so today's twin may not be 2008's), or None. Such zones
    work out every offset from rules that start in 1601: thousands of steps per time, the
    import's biggest cost by far."""
    from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

    samples = [dt.datetime(year, month, day, 12) for year in years for month in range(1, 13)
               for day in (1, 15)]
    try:
        theirs = [tzinfo.utcoffset(s) for s in samples]
    except Exception:
        return None
    for name in ["Europe/London", *sorted(set(WINDOWS_TO_OLSON.values()))]:
        zone = zone_for_tzid(name)
        if zone is not None and all(zone.utcoffset(s) == o for s, o in zip(samples, theirs)):
            return zone
    return None


def _zone_years(value: dt.datetime, window: tuple[int, ...]) -> tuple[int, ...]:
    """The years a zone swap must keep the clock in: around the time itself and the window."""
    years = {y for y in range(value.year - 1, value.year + 3) if 1 <= y <= 9999} | set(window)
    return tuple(sorted(years))


def _localise(value, tzid, fallback, window: tuple[int, ...] = ()):
    """A DTSTART-like value as a date or an aware datetime: a TZID the parser did not know
    (Windows display names) mapped, a floating time given `fallback` (None: left floating,
    for x-wr-timezone to give the calendar's zone). A zone built from the file's VTIMEZONE is
    swapped for the tz database zone it names or keeps the same clock as (same wall time)."""
    if not isinstance(value, dt.datetime):
        return value, False
    if value.tzinfo is not None:
        if isinstance(value.tzinfo, ZoneInfo) or value.tzinfo is dt.timezone.utc:
            return value, False
        zone = (zone_for_tzid(tzid) if tzid else None) or _equivalent_zone(value.tzinfo,
                                                                            _zone_years(value, window))
        return (value.replace(tzinfo=zone) if zone is not None else value), False
    if tzid:
        zone = zone_for_tzid(tzid)
        if zone is not None:
            return value.replace(tzinfo=zone), False
        return (value.replace(tzinfo=fallback) if fallback else value), True
    return (value.replace(tzinfo=fallback) if fallback else value), False


def _as_given(prop):
    """A property's date or time; a date when it says VALUE=DATE (icalendar makes a DATE with a
    TZID, as Google and Mozilla write them, midnight in that zone)."""
    value = prop.dt
    if isinstance(value, dt.datetime) and str(prop.params.get("VALUE", "")).upper() == "DATE" \
            and value.time() == dt.time():  # VALUE=DATE:20090117T200000 (ical.net's files) is a time
        return value.date()
    return value


def _add_length(start, length: dt.timedelta):
    """start + a DURATION: whole days by the calendar (the same time of day), the rest in real
    elapsed time (RFC 5545 3.3.6), back in the start's zone."""
    if not isinstance(start, dt.datetime) or start.tzinfo is None or not length.seconds:
        return start + length
    day_later = start + dt.timedelta(days=length.days)
    return (day_later.astimezone(clock.UTC) + dt.timedelta(seconds=length.seconds)).astimezone(start.tzinfo)


def _set_dates(event, name: str, values: list) -> None:
    del event[name]
    for value in values:
        event.add(name, value)


def _exists(value: dt.datetime) -> bool:
    """Whether an aware wall-clock time exists (is not in a spring-forward gap)."""
    if not isinstance(value, dt.datetime) or value.tzinfo is None:
        return True
    back = value.astimezone(clock.UTC).astimezone(value.tzinfo)
    return back.replace(tzinfo=None) == value.replace(tzinfo=None)


def _ambiguous(value: dt.datetime) -> bool:
    """Whether an aware wall-clock time happens twice (in an autumn fall-back hour)."""
    if value.tzinfo is None or isinstance(value.tzinfo, dt.timezone) or getattr(value.tzinfo, "key", "") == "UTC":
        return False
    return value.replace(fold=0).utcoffset() != value.replace(fold=1).utcoffset()


def _gap_words(value: dt.datetime, what: str) -> str:
    base = f"it {what} at {value:%H:%M} on {value:%a %d/%m/%Y}, a time that does not exist"
    if getattr(value.tzinfo, "key", "") in ("Europe/London", "GB", "Europe/Belfast"):
        return base + " in the UK: the clocks go forward from 01:00 to 02:00 that night"
    return base + " in its time zone: the clocks go forward then"


def _local_words(value: dt.datetime) -> str:
    """UK date and time of an aware time, for messages; one the diary cannot hold is given as the
    file has it."""
    try:
        return f"{clock.to_local(value):%a %d/%m/%Y %H:%M}"
    except (OverflowError, ValueError):
        return f"{value:%d/%m/%Y %H:%M}"


def _rid_text(value) -> str:
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=clock.LONDON)
        return value.astimezone(clock.UTC).strftime("%Y%m%dT%H%M%SZ")
    return value.strftime("%Y%m%d")


def _utc_minute(value: dt.datetime) -> dt.datetime:
    return value.astimezone(clock.UTC).replace(second=0, microsecond=0)


@dataclass
class _Event:
    """One VEVENT as read and repaired, before the series are expanded."""

    position: int
    component: object
    uid: str
    rid: str  # '' for a master (or single) event
    sequence: int
    stamp: str
    all_day_series: bool = False


def _prepare(event, position: int, cal_zone, calendar_name: str, parsed: ParsedCalendar,
             window: tuple[int, ...] = ()) -> _Event:
    """Check one VEVENT and repair what real files get wrong, in place. Raises EventProblem
    when its dates cannot be used; notes in `parsed.notes` what was left out."""
    errors = getattr(event, "errors", None) or []
    broken = {str(name).upper() for name, _ in errors if name}
    lines = sum(1 for name, _ in errors if not name)
    for name in ("EXDATE", "RDATE"):
        # An empty line (Google writes 'EXDATE;VALUE=DATE:') leaves out or adds nothing. An
        # unreadable extra date (Google's birthdays: 'RDATE:20131210Z') costs only that date;
        # an unreadable left-out date still skips the event (else it would be added).
        values = event.get(name)
        values = values if isinstance(values, list) else [values] if values is not None else []
        bad = [v for v in values if isinstance(v, vBroken)]
        empty = all(not str(v).strip() for v in bad)
        if name in broken and bad and (empty or name == "RDATE"):
            kept = [v for v in values if not isinstance(v, vBroken)]
            del event[name]
            if kept:
                event[name] = kept if len(kept) > 1 else kept[0]
            broken.discard(name)
            what = "an empty" if empty else f"{len(bad)} unreadable"
            parsed.notes.append(f"event {position} in the file: {what} {PROPERTY_WORDS[name]} line(s) left "
                                "out; the rest of the event was read")
    for name in ("DTSTART", "DTEND", "DURATION", "RRULE", "RDATE", "EXDATE", "RECURRENCE-ID"):
        if name in broken:
            raise EventProblem(f"its {PROPERTY_WORDS[name]} cannot be read")
    start_prop = _one(event, "DTSTART")
    if start_prop is None:
        raise EventProblem("it has no start (DTSTART)")
    if lines:
        parsed.notes.append(f"event {position} in the file: {lines} line(s) that could not be read were "
                            "left out; the rest of the event was read")
    alarms = [c for c in event.subcomponents if c.name == "VALARM"]
    if any(getattr(a, "errors", None) for a in alarms):
        parsed.notes.append(f"event {position} in the file: a reminder (VALARM) that could not be read "
                            "was left out; the event itself was read")
    event.subcomponents = [c for c in event.subcomponents if c.name != "VALARM"]  # never used

    unknown_zone = False
    start, unknown = _localise(_as_given(start_prop), start_prop.params.get("TZID"), None, window=window)
    unknown_zone |= unknown
    if unknown and isinstance(start, dt.datetime) and start.tzinfo is None:
        start = start.replace(tzinfo=cal_zone)
    zone = start.tzinfo if isinstance(start, dt.datetime) else None
    if start is not start_prop.dt or isinstance(event.get("DTSTART"), list):  # repeated: the first
        del event["DTSTART"]
        event.add("DTSTART", start)

    # DTEND: in the start's zone when it names none (older Mozilla exports)
    end_prop = _one(event, "DTEND")
    end = None
    if end_prop is not None:
        end, unknown = _localise(_as_given(end_prop), end_prop.params.get("TZID"), zone, window=window)
        unknown_zone |= unknown
        if isinstance(start, dt.date) and not isinstance(start, dt.datetime) and isinstance(end, dt.datetime):
            end = end.date() if end.time() == dt.time() else end.date() + dt.timedelta(days=1)
        elif isinstance(start, dt.datetime) and not isinstance(end, dt.datetime):
            end = dt.datetime.combine(end, dt.time(), start.tzinfo)
        if "DURATION" in event:
            del event["DURATION"]
        if end is not end_prop.dt or isinstance(event.get("DTEND"), list):
            del event["DTEND"]
            event.add("DTEND", end)
    elif event.get("DURATION") is not None:
        length = _one(event, "DURATION").dt
        if not isinstance(length, dt.timedelta):
            raise EventProblem(f"its {PROPERTY_WORDS['DURATION']} cannot be read")
        end = _add_length(start, length)
        if isinstance(start, dt.datetime) and start.tzinfo is not None and length.seconds:
            # RFC 5545: hours and minutes are exact time, days are calendar days. Python adds
            # both by the clock on the wall, which makes PT2H three hours over the autumn change.
            event["X-PD-LENGTH"] = f"{length.days} {length.seconds}"
    if unknown_zone:
        parsed.notes.append(f"event {position} in the file: its time zone is not one the diary knows, so its "
                            "times were read as UK time")

    # lengths: what is actually wrong, in words
    if isinstance(start, dt.datetime):
        s = start if start.tzinfo else start.replace(tzinfo=cal_zone)
        if end is None:
            # RFC 5545: a start time with neither DTEND nor DURATION ends as it starts (a
            # reminder or a marker): a diary entry needs a length, so it is listed, not guessed
            raise EventProblem("it has only a start time and no end (no DTEND or DURATION), so it takes "
                               f"no time ({_local_words(s)}): add it yourself if it was an appointment")
        e = end if end.tzinfo else end.replace(tzinfo=cal_zone)
        if not _exists(s):
            raise EventProblem(_gap_words(s, "starts"))
        if e < s:
            raise EventProblem("it ends before it starts")
        if e == s or _utc_minute(e) == _utc_minute(s):
            raise EventProblem("it has no length: it ends at the moment it starts "
                               f"({_local_words(s)})")
        if not _exists(e):
            raise EventProblem(_gap_words(e, "ends"))
    elif end is not None and end <= start:
        if end < start:
            raise EventProblem("it ends before it starts")
        event.pop("DTEND", None)  # ends as it starts, for a whole day: one day, as calendars show it
        event.pop("DURATION", None)
        event.add("DTEND", start + dt.timedelta(days=1))

    # RECURRENCE-ID, EXDATE, RDATE: in the start's zone when they name none
    rid_prop = _one(event, "RECURRENCE-ID")
    rid = ""
    if rid_prop is not None:
        value, _ = _localise(_as_given(rid_prop), rid_prop.params.get("TZID"), zone or cal_zone, window=window)
        params = {k: v for k, v in rid_prop.params.items() if k.upper() == "RANGE"}
        del event["RECURRENCE-ID"]
        event.add("RECURRENCE-ID", value, parameters=params or None)
        rid = _rid_text(value)
        if params and type(start) is type(value):
            # RANGE=THISANDFUTURE: every later occurrence is a copy of this event carrying this
            # RECURRENCE-ID; how far it moved them tells each one's own recurrence id back
            try:
                event["X-PD-MOVED"] = str(int((start - value).total_seconds()))
            except TypeError:  # one floating, one not: the library cannot move them either
                pass
    for name in ("EXDATE", "RDATE"):
        props = event.get(name)
        if props is None:
            continue
        values = []
        for prop in props if isinstance(props, list) else [props]:
            for item in prop.dts:
                value = item.dt
                if isinstance(value, dt.datetime) and str(prop.params.get("VALUE", "")).upper() == "DATE" \
                        and value.time() == dt.time():
                    value = value.date()
                if isinstance(value, tuple):  # RDATE;VALUE=PERIOD: (start, end or duration)
                    first, unknown = _localise(value[0], prop.params.get("TZID"), zone, window=window)
                    second = value[1]
                    if isinstance(second, dt.datetime):
                        second, _ = _localise(second, prop.params.get("TZID"), zone, window=window)
                    values.append((first, second))
                    continue
                value, _ = _localise(value, item.params.get("TZID") or prop.params.get("TZID"), zone,
                                     window=window)
                if isinstance(start, dt.datetime) and not isinstance(value, dt.datetime):
                    value = dt.datetime.combine(value, start.timetz().replace(tzinfo=None), start.tzinfo)
                values.append(value)
        _set_dates(event, name, [values] if values else [])

    # RRULE: an empty one means no repeat; one without a frequency cannot be used
    rules = event.get("RRULE")
    if rules is not None:
        rules = [r for r in (rules if isinstance(rules, list) else [rules])]
        if all(not r for r in rules):
            del event["RRULE"]
            parsed.notes.append(f"event {position} in the file: its repeat rule (RRULE) is empty, so it was "
                                "read as a single event")
        else:
            for rule in rules:
                freq = rule.get("FREQ")
                freq = (freq[0] if isinstance(freq, list) else freq) if freq else None
                if not freq or str(freq).upper() not in FREQ_RANK:
                    raise EventProblem(f"its {PROPERTY_WORDS['RRULE']} cannot be read")
                _check_rule(rule)

    uid = _text(event, "UID")
    if not uid:
        # Exchange 2010 and OWA exports: an identity from what does not change on re-export
        raw = "|".join([calendar_name, start_prop.to_ical().decode("utf-8", "replace"),
                        str(start_prop.params.get("TZID") or ""), _text(event, "SUMMARY")])
        uid = "no-uid-" + hashlib.sha256(raw.encode("utf-8")).hexdigest()[:24] + "@" + UID_DOMAIN
        event["UID"] = uid
    try:
        sequence = int(_text(event, "SEQUENCE") or 0)
    except ValueError:
        sequence = 0
    stamp = ""
    for name in ("LAST-MODIFIED", "DTSTAMP"):
        if name in broken:
            continue
        try:
            stamp = _rid_text(_one(event, name).dt)
            break
        except Exception:  # absent or not a date: it only orders copies of one event
            continue
    # Only what the expansion and the diary use goes on: every occurrence is a copy of its event,
    # and Outlook's own lines (X-MICROSOFT-..., LOCATION, CLASS...) would be copied with it.
    slim = icalendar.Event()
    for name in KEPT_PROPERTIES:
        value = event.get(name)
        if value is not None:
            slim[name] = value
    if "SEQUENCE" in slim:
        slim["SEQUENCE"] = sequence  # as read: the library fails on one it cannot (ENCODING=BASE64)
    slim["X-PD-POSITION"] = str(position)
    all_day = isinstance(start, dt.date) and not isinstance(start, dt.datetime)
    return _Event(position, slim, uid, rid, sequence, stamp, all_day)


def _check_rule(rule) -> None:
    """Refuse rule parts dateutil cannot use, in our own words (never the rule's text)."""
    from dateutil.rrule import rrulestr

    text = rule.to_ical().decode("ascii", "replace")
    text = re.sub(r";?UNTIL=[^;]*", "", text).lstrip(";")
    try:
        rrulestr(text, dtstart=dt.datetime(2000, 1, 1))
    except (ValueError, TypeError, KeyError, IndexError):
        raise EventProblem(f"its {PROPERTY_WORDS['RRULE']} cannot be read")


def _newest_copies(events: list[_Event], parsed: ParsedCalendar) -> list[_Event]:
    """One VEVENT per UID and RECURRENCE-ID: the highest SEQUENCE, then the latest
    LAST-MODIFIED or DTSTAMP, then the later in the file."""
    best: dict[tuple[str, str], _Event] = {}
    for ev in events:
        key = (ev.uid, ev.rid)
        other = best.get(key)
        if other is None:
            best[key] = ev
            continue
        newer, older = (ev, other) if (ev.sequence, ev.stamp, ev.position) >= (other.sequence, other.stamp,
                                                                                 other.position) else (other, ev)
        best[key] = newer
        parsed.notes.append(f"event {older.position} in the file is another copy of event {newer.position} "
                            "(the same UID): only the newest copy is used")
    kept = set(id(ev) for ev in best.values())
    return [ev for ev in events if id(ev) in kept]


def _rule_parts(rule) -> dict:
    return {str(k).upper(): (v if isinstance(v, list) else [v]) for k, v in rule.items()}


SUB_DAY = {"BYHOUR": 24, "BYMINUTE": 60, "BYSECOND": 60}  # coarse to fine
OWN_PART = {"HOURLY": "BYHOUR", "MINUTELY": "BYMINUTE", "SECONDLY": "BYSECOND"}


def _times_a_day(freq: str, parts: dict, interval: int) -> float | None:
    """At most how many times a day a rule finer than daily fires when BYHOUR, BYMINUTE or
    BYSECOND hold it to some times of day (FREQ=MINUTELY;BYHOUR=9;BYMINUTE=30 is daily at
    09:30); None for any other rule."""
    own = OWN_PART.get(freq)
    if own is None or not any(name in parts for name in SUB_DAY):
        return None
    names = list(SUB_DAY)
    n = 1.0
    for name, size in SUB_DAY.items():
        if name in parts:
            n *= len(parts[name])
        elif names.index(name) < names.index(own):
            n *= size  # not limited: every hour (or minute) of the day
        elif name == own:
            n *= size / interval
    return min(n, 86400 / (PERIOD[freq].total_seconds() * interval))


def _until_span(parts: dict, start, lo, hi) -> dt.timedelta | None:
    """How much of the dates chosen a series with UNTIL can reach (from its start or the
    window's, to its UNTIL or the window's end); None when it has no UNTIL or it cannot tell."""
    until = parts.get("UNTIL")
    if not until:
        return None
    until = until[0]
    try:
        if isinstance(lo, dt.datetime):
            if not isinstance(until, dt.datetime):
                until = dt.datetime.combine(until, dt.time(23, 59, 59), lo.tzinfo)
            elif (until.tzinfo is None) != (lo.tzinfo is None):
                until = until.replace(tzinfo=lo.tzinfo) if until.tzinfo is None else until.replace(tzinfo=None)
            first = max(lo, start)
        else:
            until = until.date() if isinstance(until, dt.datetime) else until
            first = max(lo, start)
        last = min(hi, until)
        gap = last - first
        return max(gap, dt.timedelta(0)) if isinstance(gap, dt.timedelta) else None
    except (TypeError, ValueError, OverflowError):
        return None


def _guard(ev: _Event, window_start: dt.datetime, window_end: dt.datetime) -> None:
    """Keep a series from running away before the library expands it: move a fast series'
    start up to the dates chosen (whole periods, so every occurrence stays where it was), and
    refuse one that would give far too many occurrences. Raises EventProblem."""
    event = ev.component
    rules = event.get("RRULE")
    if rules is None:
        return
    rules = rules if isinstance(rules, list) else [rules]
    start = event["DTSTART"].dt
    end_prop = event.get("DTEND")
    length = (end_prop.dt - start) if end_prop is not None else dt.timedelta(0)
    timed = isinstance(start, dt.datetime)
    if timed:
        zone = start.tzinfo or clock.LONDON
        lo = window_start.astimezone(zone)
        hi = window_end.astimezone(zone)
        if start.tzinfo is None:
            lo, hi = lo.replace(tzinfo=None), hi.replace(tzinfo=None)
    else:
        lo, hi = clock.to_local(window_start).date(), clock.to_local(window_end).date()
    estimate = 0
    for rule in rules:
        parts = _rule_parts(rule)
        freq = str(parts["FREQ"][0]).upper()
        try:
            interval = max(1, int(parts.get("INTERVAL", [1])[0]))
        except (TypeError, ValueError):
            interval = 1
        step = PERIOD.get(freq)
        span = (hi - lo) if timed else dt.timedelta(days=(hi - lo).days)
        span = min(span, _until_span(parts, start, lo, hi) or span)
        if step is not None:
            periods = span / (step * interval) + 2
        else:
            periods = span / dt.timedelta(days=28 if freq == "MONTHLY" else 365) / interval + 2
        factor = 1
        rank = FREQ_RANK[freq]
        per_day = _times_a_day(freq, parts, interval)
        for name, values in parts.items():
            if name in BY_RANK and BY_RANK[name] < rank and not (per_day and name in SUB_DAY):
                factor *= len(values) * ({5: 5, 6: 53}.get(rank, 1) if name == "BYDAY" else 1)
        if per_day is not None:  # e.g. every minute, but only at 09:30: once a day
            periods = (span / dt.timedelta(days=1) + 2) * per_day
        count = parts.get("COUNT")
        try:
            limit = int(count[0]) if count else None
        except (TypeError, ValueError):
            limit = None
        # a COUNT bounds the series whatever its frequency (every 15 minutes, 6 times)
        estimate += int(periods * factor) if limit is None else min(int(periods * factor), limit)
        if step is None or len(rules) > 1:
            continue
        # move the start up to the window: k whole periods (whole days too when the rule picks
        # hours, minutes or seconds, so the start keeps its place in the day)
        unit = step * interval
        if per_day is not None:
            seconds = int(unit.total_seconds())
            unit = dt.timedelta(seconds=seconds * 86400 // math.gcd(seconds, 86400))
        gap = (lo - length - unit) - (start if timed else start)
        if timed:
            k = int(gap / unit) if gap > dt.timedelta(0) else 0
        else:
            k = (gap.days // (step.days * interval)) if gap.days > 0 and step.days else 0
        if k <= JUMP_AFTER:
            continue
        count = parts.get("COUNT")
        if count:
            count = int(count[0])
            if any(name.startswith("BY") for name in parts):
                if count > 100_000:
                    raise EventProblem(f"it repeats {FREQ_WORDS[freq]} {count:,} times from {start:%d/%m/%Y}: "
                                       "far too often to work out, so it was not imported")
                continue
            if count - k <= 0:
                del event["RRULE"]  # its count ran out before the dates chosen (RDATEs stay)
                return
            rule["COUNT"] = [count - k]
        delta = unit * k
        del event["DTSTART"]
        event.add("DTSTART", start + delta)
        if end_prop is not None:
            del event["DTEND"]
            event.add("DTEND", end_prop.dt + delta)
    if estimate > MAX_ESTIMATE:
        freq = str(_rule_parts(rules[0])["FREQ"][0]).upper()
        raise EventProblem(f"it repeats {FREQ_WORDS[freq]}, about {estimate:,} times between the dates chosen: "
                           f"far too often for a diary (at most {MAX_OCCURRENCES:,} a series), so it was not imported")


def read_calendar(data: bytes, first: dt.date, last: dt.date) -> ParsedCalendar:
    """Read an .ics file and expand its events for local dates first..last (inclusive).
    A broken event is reported in `problems` and skipped; the rest still import."""
    import recurring_ical_events  # with x-wr-timezone; loaded only when a calendar is read

    if last < first:
        raise IcsError("the end of the range is before its start")
    calendars = _parse(data)
    window_start = clock.local_midnight(first)
    window_end = clock.local_midnight(last + dt.timedelta(days=1))
    parsed = ParsedCalendar()
    cal_zone = _calendar_zone(calendars[0])
    calendar_name = _text(calendars[0], "X-WR-CALNAME")
    window_years = tuple(range(first.year, last.year + 1))[:3] or (first.year,)
    prepared: list[_Event] = []
    position = 0
    for cal in calendars:
        for event in cal.subcomponents:
            if event.name != "VEVENT":
                continue
            position += 1
            try:
                prepared.append(_prepare(event, position, cal_zone, calendar_name, parsed, window_years))
            except EventProblem as exc:
                parsed.problems.append(f"event {position} in the file was skipped: {exc}")
            except Exception:  # never the library's message: it could quote the event
                parsed.problems.append(f"event {position} in the file was skipped: its dates cannot be read")
    prepared = _newest_copies(prepared, parsed)

    # Outlook moves one day of a whole-day series with RECURRENCE-ID;TZID=...:20200416T000000:
    # that names the day, so it must be a date to replace the series' own occurrence.
    all_day_uids = {ev.uid for ev in prepared if not ev.rid and ev.all_day_series}
    for ev in prepared:
        if ev.rid and ev.uid in all_day_uids:
            rid = ev.component["RECURRENCE-ID"].dt
            if isinstance(rid, dt.datetime):
                del ev.component["RECURRENCE-ID"]
                ev.component.add("RECURRENCE-ID", rid.date())
                ev.rid = rid.strftime("%Y%m%d")

    expand = icalendar.Calendar()
    expand.add("PRODID", PRODID)
    expand.add("VERSION", "2.0")
    by_uid: dict[str, list[_Event]] = {}
    for ev in prepared:
        if not ev.rid:
            try:
                _guard(ev, window_start, window_end)
            except EventProblem as exc:
                parsed.problems.append(f"event {ev.position} in the file was skipped: {exc}")
                continue
        by_uid.setdefault(ev.uid, []).append(ev)
        expand.add_component(ev.component)
    recurring = {uid for uid, evs in by_uid.items()
                 if any(e.rid or "RRULE" in e.component or "RDATE" in e.component for e in evs)}
    expand = _floating_to(cal_zone).walk(expand)

    try:
        series_list = recurring_ical_events.of(expand).series
    except Exception:  # find which event the library cannot take, one UID at a time
        series_list = []
        for uid, evs in by_uid.items():
            one = icalendar.Calendar()
            for ev in evs:
                one.add_component(ev.component)
            one = _floating_to(cal_zone).walk(one)
            try:
                series_list += recurring_ical_events.of(one).series
            except Exception:
                parsed.problems += [f"event {ev.position} in the file was skipped: its dates or repeat rule "
                                    "cannot be worked out" for ev in evs]

    lo, hi = window_start.astimezone(clock.LONDON), window_end.astimezone(clock.LONDON)
    for series in series_list:
        uid = str(series.uid)
        try:
            found = list(itertools.islice(series.between(lo, hi), MAX_OCCURRENCES + 1))
        except Exception:
            positions = sorted({ev.position for ev in by_uid.get(uid, [])})
            parsed.problems += [f"event {p} in the file was skipped: its dates or repeat rule cannot be worked out"
                                for p in positions]
            continue
        if len(found) > MAX_OCCURRENCES:
            positions = sorted({ev.position for ev in by_uid.get(uid, [])})
            parsed.problems += [f"event {p} in the file was skipped: it repeats more than {MAX_OCCURRENCES:,} "
                                "times between the dates chosen, far too often for a diary" for p in positions[:1]]
            continue
        is_series = uid in recurring
        for occurrence in found:
            _add_occurrence(occurrence.as_component(False), uid, is_series, parsed)
    parsed.timed.sort(key=lambda o: (o.start, o.uid))
    parsed.all_day.sort(key=lambda a: (a.first, a.uid))
    return parsed


def _floating_to(zone):
    """x-wr-timezone's walker, for floating times only: Google's calendar-wide zone (or UK
    time). UTC times stay UTC: turned into local times, Python would compare two times in the
    repeated hour of October by the clock on the wall and lose which came first."""
    import x_wr_timezone

    class FloatingOnly(x_wr_timezone.UTCChangingWalker):
        def walk_value_datetime(self, value):
            # floating is no zone at all: a zone from a VTIMEZONE without TZNAME lines (Lotus
            # Notes, Outlook) has no name either, and is not floating
            return value.replace(tzinfo=self.new_timezone) if value.tzinfo is None else value

    return FloatingOnly(zone)


def _midnight(value: dt.datetime) -> bool:
    return value.time() == dt.time() or clock.to_local(value).time() == dt.time()


def _add_occurrence(comp, uid: str, is_series: bool, parsed: ParsedCalendar) -> None:
    position = int(str(comp.get("X-PD-POSITION", "0")) or 0)
    start, end = comp["DTSTART"].dt, comp["DTEND"].dt
    exact = comp.get("X-PD-LENGTH")
    exact = exact is not None and isinstance(start, dt.datetime) and start.tzinfo is not None and str(exact)
    if exact:
        days, seconds = (int(x) for x in exact.split())
        end = _add_length(start, dt.timedelta(days=days, seconds=seconds))
    rid_prop = comp.get("RECURRENCE-ID")
    rid = _rid_text(rid_prop.dt) if (is_series and rid_prop is not None) else ""
    moved = comp.get("X-PD-MOVED")
    if rid and moved is not None:
        # a copy of a RANGE=THISANDFUTURE change: its own recurrence id is where the series had
        # it before the move (else every later occurrence would share the change's one)
        rid = _rid_text(start - dt.timedelta(seconds=int(str(moved))))
    summary, description = _text(comp, "SUMMARY"), _text(comp, "DESCRIPTION")
    try:
        sequence = int(_text(comp, "SEQUENCE") or 0)
    except ValueError:
        sequence = 0
    cancelled = _text(comp, "STATUS").upper() == "CANCELLED"
    key = (uid, rid)

    whole_day = not isinstance(start, dt.datetime)
    if not whole_day and _midnight(start) and _midnight(end) and end - start >= dt.timedelta(hours=23):
        # Outlook's whole-day events written as midnight to midnight
        in_own = start.time() == dt.time() and end.time() == dt.time()
        s, e = (start, end) if in_own else (clock.to_local(start), clock.to_local(end))
        start, end, whole_day = s.date(), e.date(), True
    if whole_day:
        last_day = max(start, end - dt.timedelta(days=1))
        if cancelled:
            day = start
            while day <= last_day:
                parsed.cancelled_days.add((uid, f"{rid}/{day.isoformat()}"))
                day += dt.timedelta(days=1)
            return
        parsed.all_day.append(AllDayEvent(uid, rid, summary, description, start, last_day, position, sequence))
        return

    parsed.seen.add(key)
    if cancelled:
        parsed.cancelled.add(key)
        return
    when = f" ({start:%a %d/%m/%Y})" if is_series else ""
    if not _exists(start):
        parsed.problems.append(f"event {position} in the file{when} was skipped: {_gap_words(start, 'starts')}")
        return
    if not _exists(end):
        parsed.problems.append(f"event {position} in the file{when} was skipped: {_gap_words(end, 'ends')}")
        return
    s, e = _utc_minute(start), _utc_minute(end)
    for value, what in ((start, "starts"), (end, "ends")):
        if what == "ends" and exact:
            continue  # worked out in real time from the start: it is known which 01:30 it is
        if _ambiguous(value):  # only a local time can be: UTC times are kept as UTC
            first = " (British Summer Time)" if getattr(value.tzinfo, "key", "") == "Europe/London" else ""
            parsed.notes.append(f"event {position} in the file {what} at {value:%H:%M} on {value:%a %d/%m/%Y}, "
                                f"which happens twice as the clocks go back: taken as the first time{first}")
    if e < s:
        parsed.problems.append(f"event {position} in the file{when} was skipped: it ends before it starts")
        return
    if e == s:
        parsed.problems.append(f"event {position} in the file{when} was skipped: it has no length: it ends at the "
                               f"moment it starts ({clock.to_local(s):%a %d/%m/%Y %H:%M})")
        return
    parsed.timed.append(Occurrence(uid, rid, summary, description, s, e, None, sequence, False, position))


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
    _checked: tuple | None = field(default=None, repr=False, compare=False)  # (inputs, Checked)

    @property
    def ref(self) -> str:
        return f"PD-{self.entry_id:06d}" if self.entry_id else ""

    @property
    def needs_type(self) -> bool:
        """A new event that matched no keyword: listed so that the user chooses its type."""
        return self.action == NEW and not self.type_text

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
            draft.start_utc, draft.end_utc = occ.start, occ.end  # exact: never re-guessed
        return draft

    def check(self, diary, now: dt.datetime):
        """Validate as the diary would save it (core.validation.check_entry). A new entry's
        check depends only on the proposal, so it is kept until the type or CRN changes."""
        ref = diary.reference()
        if self.entry_id is None:
            office = diary.settings().office_location
            inputs = (self.type_text, self.crn, now, id(ref), office)
            if self._checked is not None and self._checked[0] == inputs:
                return self._checked[1]
            checked = check_entry(self._new_draft(ref, office), ref, now)
            self._checked = (inputs, checked)
            return checked
        base = diary.get_entry(self.entry_id)
        if base is None:
            return check_entry(self._new_draft(ref, diary.settings().office_location), ref, now)
        return check_entry(self.draft(base, ref), ref, now, base=base)

    def _new_draft(self, ref: ReferenceData, office_location: str) -> EntryDraft:
        """A new office visit starts at the office (spec/delius-export.md, Location)."""
        draft = self.draft(None, ref)
        try:
            code = ref.find_type(draft.type).delius_code
        except LookupError:
            code = None
        draft.location = starting_location(code, office_location)
        return draft


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
    notes: list[str] = field(default_factory=list)  # events read with something left out

    def count(self, action: str, included_only: bool = False) -> int:
        return sum(1 for p in self.proposals if p.action == action and (p.include or not included_only))

    @property
    def needing_type(self) -> int:
        return sum(1 for p in self.proposals if p.needs_type)


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
    plan = ImportPlan(first, last, problems=list(parsed.problems), notes=list(parsed.notes))
    cancelled = parsed.cancelled | parsed.cancelled_days
    present = set(parsed.seen) | parsed.cancelled_days
    all_day = list(parsed.all_day)

    for occ in parsed.timed:
        if occ.end - occ.start > dt.timedelta(hours=24) and _is_absence(occ.text, keywords, ref):
            # leave written as one long appointment (Mon 09:00 to Fri 17:30): whole days
            last_moment = clock.to_local(occ.end - dt.timedelta(minutes=1))
            present.add(occ.key)
            all_day.append(AllDayEvent(occ.uid, occ.recurrence_id, occ.summary, occ.description,
                                       clock.to_local(occ.start).date(), last_moment.date(), occ.position,
                                       occ.sequence))
            continue
        linked = links.get(occ.key)
        if not (window_start <= occ.start < window_end) and linked is None:
            continue
        plan.proposals.append(_propose(occ, linked, diary, ref, keywords, now))

    for event in all_day:
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

    present_ids = {link["entry_id"] for key, link in links.items() if key in present and key not in cancelled}
    gone = {}
    for key, link in links.items():
        if key in present and key not in cancelled:
            continue
        if link["entry_id"] in present_ids:
            continue  # the entry is linked again under the event's new recurrence id
        entry = diary.get_entry(link["entry_id"])
        if entry is None or not (window_start <= entry.start < window_end):
            continue
        reason = "cancelled in the calendar" if key in cancelled else "no longer in the calendar"
        gone[key] = (key, link, Gone(entry, reason))

    # A whole series moved (say every Tuesday 10:00 becomes 11:00) gives every occurrence a new
    # recurrence id. Match each new occurrence with the entry of the same event on the same day,
    # so the entry is updated instead of duplicated.
    by_day: dict[tuple, list] = {}
    for key, link, g in gone.values():
        if key not in cancelled:
            by_day.setdefault((key[0], clock.to_local(g.entry.start).date(), g.entry.all_day), []).append(key)
    if by_day:
        for p in plan.proposals:
            if p.action != NEW:
                continue
            day = p.occurrence.day or clock.to_local(p.occurrence.start).date()
            keys = by_day.get((p.occurrence.uid, day, p.occurrence.all_day))
            while keys:
                key = keys.pop(0)
                if key in gone:
                    _key, link, g = gone.pop(key)
                    _rebase(p, link, g.entry, diary, ref, now)
                    break
    plan.gone = [g for _key, _link, g in gone.values()]
    plan.gone.sort(key=lambda g: g.entry.start)
    plan.proposals.sort(key=lambda p: (p.occurrence.start or clock.local_midnight(p.occurrence.day),
                                       p.occurrence.uid))
    return plan


def _is_absence(text: str, keywords: Keywords, ref: ReferenceData) -> bool:
    type_text = guess_type(text, keywords)
    try:
        return bool(type_text) and ref.find_type(type_text).time_class == ABSENCE
    except LookupError:
        return False


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
        p.reason = NEEDS_TYPE
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
        p.include, p.reason, p.changes = False, NEEDS_TYPE, []
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
    links: list[dict] = []  # in the order of the proposals
    new_entries: list[Entry] = []
    new_links: list[dict] = []
    with diary.transaction():
        for p in plan.proposals:
            occ = p.occurrence
            link = {"uid": occ.uid, "recurrence_id": occ.recurrence_id, "entry_id": p.entry_id,
                    "sequence": occ.sequence, "fingerprint": occ.fingerprint(),
                    "guess": json.dumps([p.guessed_type, p.guessed_crn]), "last_seen_utc": seen}
            if p.action == UNCHANGED:
                links.append(link)
                continue
            if p.action == SKIP or not p.include:
                continue
            checked = p.check(diary, now)
            if not checked.ok:
                result.failed.append(f"{occ.when()}: {checked.first_error()}")
                continue
            result.warnings += [f"{occ.when()}: {w}" for w in checked.warnings]
            if p.action == NEW:
                new_entries.append(checked.entry)
                new_links.append(link)
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
            links.append(link)
            result.links_saved.append(link)
        result.created = diary.add_entries(new_entries)
        for link, entry in zip(new_links, result.created):
            link["entry_id"] = entry.id
        diary.save_calendar_links(links)
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
