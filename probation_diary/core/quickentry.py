"""One-line quick entry, in the style of Hamster: ``CHVS X123456 14:00-15:10 discussed housing``.

Qt-free. ``parse_quick`` reads the line into an ``EntryDraft`` and checks it with the one
validation path (``check_entry``), so quick entry accepts exactly what the editor accepts.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from . import clock
from .model import ABSENCE, CLASS_LABELS, ActivityType, ReferenceData
from .dates import DateError, read_date
from .patterns import LazyPattern
from .timesplit import counts_as
from .validation import Checked, EntryDraft, check_entry, parse_duration, starting_location

from .quickhelp import QUICK_SYNTAX_HELP  # noqa: E402,F401 (its home before)

# short words -> the type they mean, by Delius code or label (skipped if the diary lacks it)
ALIASES: dict[str, str] = {
    "office": "COAP",
    "appt": "COAP",
    "appointment": "COAP",
    "hv": "CHVS",
    "homevisit": "CHVS",
    "doorstep": "CODC",
    "phone": "CTOB",
    "call": "CTOB",
    "video": "COVC",
    "text": "CMOB",
    "letter": "CLOB",
    "oasys": "EOAS",
    "mappa": "CCMM",
    "marac": "C005",
    "admin": "Other admin",
    "recording": "Recording on Delius",
    "delius": "Recording on Delius",
    "meeting": "Team meeting",
    "email": "Email and correspondence",
    "report": "Report writing (PSR or parole)",
    "psr": "Report writing (PSR or parole)",
    "training": "Training or e-learning",
    "supervision": "Supervision with manager",
    "travel": "Travel",
    "leave": "Annual leave",
    "al": "Annual leave",
    "holiday": "Annual leave",
    "sick": "Sickness",
    "sickness": "Sickness",
    "toil": "TOIL taken",
}

_DAYS = {name: i for i, names in enumerate(
    [("mon", "monday"), ("tue", "tues", "tuesday"), ("wed", "wednesday"), ("thu", "thur", "thurs", "thursday"),
     ("fri", "friday"), ("sat", "saturday"), ("sun", "sunday")]) for name in names}
_TIME = r"\d{1,2}[:.]\d{2}"
_RANGE = LazyPattern(rf"^({_TIME})\s*[-–]\s*({_TIME})(\+1)?$")  # +1: ends the next day
_START = LazyPattern(rf"^{_TIME}$")
_DURATION = LazyPattern(r"^(\d+(\.\d+)?h(\d+(m|min|mins)?)?|\d+(m|min|mins))$", re.IGNORECASE)
_CRN = LazyPattern(r"^[A-Za-z]\d{6}$")
_ISO_DATE = LazyPattern(r"^\d{4}-\d{2}-\d{2}$")
_DAY_MONTH = LazyPattern(r"^(\d{1,2})/(\d{1,2})(/(\d{2}|\d{4}))?$")
_OUTCOME = LazyPattern(r"^[A-Z]{4}$")
_OFFSET = LazyPattern(r"^[+-]\d{1,3}[dw]$")  # +1w, -2d (a unit is needed: "+1" alone is not a date)


@dataclass
class QuickParse:
    draft: EntryDraft | None
    checked: Checked | None
    error: str | None
    preview: str

    @property
    def ok(self) -> bool:
        return self.error is None and self.checked is not None and self.checked.ok


class _Fail(Exception):
    pass


def parse_quick(text: str, ref: ReferenceData, now: dt.datetime, office_location: str = "") -> QuickParse:
    """Read one line of quick entry; ``now`` is an aware instant (ending-now durations, dates).
    An office visit starts with ``office_location`` (the settings' office location code)."""
    try:
        draft = _read(text or "", ref, now)
    except _Fail as exc:
        return QuickParse(None, None, str(exc), "")
    if not draft.location:
        draft.location = starting_location(ref.find_type(draft.type).delius_code, office_location)
    checked = check_entry(draft, ref, now)
    if not checked.ok:
        if "end" in checked.errors and _ends_before_it_starts(draft):
            checked.errors["end"] = END_BEFORE_START
        return QuickParse(draft, checked, checked.first_error(), "")
    return QuickParse(draft, checked, None, describe(checked, ref, now))


def describe(checked: Checked, ref: ReferenceData, now: dt.datetime | None = None) -> str:
    """One line saying what will be saved, and what it counts as at ``now`` (with the reason:
    awaiting outcome, did not attend, planned); without ``now``, its type's class."""
    entry = checked.entry
    atype = ref.types[entry.type_id]
    start, end = clock.to_local(entry.start), clock.to_local(entry.end)
    if entry.all_day:
        when = f"{start:%a %d %b} (whole day)"
    else:
        until = f"{end:%H:%M}" if end.date() == start.date() else f"{end:%a %H:%M}"
        when = f"{start:%a %d %b} {start:%H:%M}–{until} ({format_duration(entry.minutes)})"
    if now is None:
        counts = CLASS_LABELS.get(atype.time_class, atype.time_class)
    else:
        counts = counts_as(entry, atype, ref.outcomes.get(entry.outcome_code or ""), now).text
    parts = [when, atype.display, counts]
    if entry.crn:
        parts.append(entry.crn)
    if entry.outcome_code:
        parts.append(f"outcome {entry.outcome_code}")
    if entry.notes:
        notes = entry.notes if len(entry.notes) <= 40 else entry.notes[:39] + "…"
        parts.append(f"“{notes}”")
    line = " · ".join(parts)
    if checked.warnings:
        line += "  ⚠ " + " ".join(checked.warnings)
    return line


def format_duration(minutes: int) -> str:
    """70 -> '1 h 10 min', 30 -> '30 min', 120 -> '2 h'."""
    hours, mins = divmod(minutes, 60)
    if not hours:
        return f"{mins} min"
    return f"{hours} h {mins} min" if mins else f"{hours} h"


def _tokens(text: str) -> tuple[str, list[tuple[str, int]]]:
    # a range written with spaces ("14:00 - 15:10") is one token
    text = re.sub(rf"({_TIME})\s*[-–]\s*({_TIME})(\+1)?", r"\1-\2\3", text)
    return text, [(m.group(), m.start()) for m in re.finditer(r"\S+", text)]


def _active_types(ref: ReferenceData) -> list[ActivityType]:
    return [t for t in ref.types.values() if t.active]


def _match_type(words: list[str], ref: ReferenceData) -> tuple[ActivityType, int] | None:
    """The type named at the start of words, and how many words it took (longest label wins)."""
    types = _active_types(ref)
    lowered = [w.lower() for w in words]
    best = None
    for t in types:
        label_words = t.label.lower().split()
        n = len(label_words)
        if n and lowered[:n] == label_words and (best is None or n > best[1]):
            best = (t, n)
    if best:
        return best
    first = lowered[0] if lowered else ""
    for t in types:
        if t.delius_code and t.delius_code.lower() == first:
            return t, 1
    target = ALIASES.get(first)
    if target:
        try:
            t = ref.find_type(target)
        except LookupError:
            return None
        if t.active:
            return t, 1
    return None


def _read_date(word: str, today: dt.date) -> dt.date | None:
    lw = word.lower()
    if lw == "today":
        return today
    if lw == "yesterday":
        return today - dt.timedelta(days=1)
    if lw in _DAYS:
        return today - dt.timedelta(days=(today.weekday() - _DAYS[lw]) % 7)
    if lw == "tomorrow" or _ISO_DATE.match(word) or _DAY_MONTH.match(word) or _OFFSET.match(lw):
        try:  # the same reading as every date field (core.dates): 1900-2199 only
            return read_date(word, today)
        except DateError as exc:
            raise _Fail(_sentence(str(exc)))
    return None


def _read(text: str, ref: ReferenceData, now: dt.datetime) -> EntryDraft:
    text, tokens = _tokens(text.strip())
    if not tokens:
        raise _Fail("Type an entry, for example: CHVS X123456 14:00-15:10 discussed housing.")
    today = clock.to_local(now).date()
    atype = crn = day = start = end = duration = outcome = None
    next_day = False
    notes_at = None
    i = 0
    while i < len(tokens):
        word = tokens[i][0]
        taken = 1
        if atype is None and (found := _match_type([w for w, _ in tokens[i:]], ref)):
            atype, taken = found
        elif crn is None and _CRN.match(word):
            crn = word.upper()
        elif day is None and (d := _read_date(word, today)) is not None:
            day = d
        elif start is None and (m := _RANGE.match(word)):
            start, end = m.group(1), m.group(2)
            next_day = bool(m.group(3))
        elif start is None and _START.match(word):
            start = word
        elif duration is None and end is None and _DURATION.match(word):
            duration = word
        elif outcome is None and _OUTCOME.match(word) and word in ref.outcomes:
            outcome = word
        else:
            notes_at = tokens[i][1]
            break
        i += taken
    if atype is None:
        raise _Fail("Start with the type: a Delius code (CHVS), a label (Team meeting) or a word such as admin, phone or hv.")
    notes = text[notes_at:].strip() if notes_at is not None else ""
    draft = EntryDraft(type=atype.delius_code or atype.label, crn=crn or "", outcome=outcome or "", notes=notes)
    day_given = day is not None
    day = day or today

    if start is None and duration is None:
        if atype.time_class == ABSENCE:
            draft.all_day = True
            draft.start_date = day.isoformat()
            return draft
        raise _Fail("Give a time: a range (14:00-15:10), a start and a duration (14:00 45m), or a duration ending now (30m).")
    if start is None:
        if day_given and day != today:
            raise _Fail("A duration alone means 'ending now'; for another day give a start too, e.g. 'yesterday 14:00 30m'.")
        try:
            minutes = parse_duration(duration)
        except clock.TimeError as exc:
            raise _Fail(_sentence(str(exc)))
        begin = clock.to_local(now.replace(second=0, microsecond=0) - dt.timedelta(minutes=minutes))
        finish = clock.to_local(now.replace(second=0, microsecond=0))
        draft.start_date = begin.date().isoformat()
        draft.start_time = f"{begin:%H:%M}"
        draft.end_date = "" if finish.date() == begin.date() else finish.date().isoformat()
        draft.end_time = f"{finish:%H:%M}"
        return draft
    draft.start_date = day.isoformat()
    draft.start_time = start.replace(".", ":")
    if end is not None:
        draft.end_time = end.replace(".", ":")
        if next_day:  # 22:00-01:00+1: the user says it ends the next day (never guessed)
            draft.end_date = (day + dt.timedelta(days=1)).isoformat()
    elif duration is not None:
        draft.duration = duration
    else:
        raise _Fail(f"Give an end or a duration after {start}, e.g. {start}-{_plus_hour(start)} or {start} 45m.")
    return draft


END_BEFORE_START = ("The end is before the start. If it ends the next day, say so: "
                    "22:00-01:00+1.")


def _ends_before_it_starts(draft: EntryDraft) -> bool:
    if draft.end_date or not draft.end_time:
        return False
    try:
        return clock.parse_time(draft.end_time) < clock.parse_time(draft.start_time)
    except clock.TimeError:
        return False


def _plus_hour(start: str) -> str:
    try:
        t = clock.parse_time(start.replace(".", ":"))
    except clock.TimeError:
        return "15:00"
    return f"{(t.hour + 1) % 24:02d}:{t.minute:02d}"


def _sentence(text: str) -> str:
    text = text.strip()
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."
