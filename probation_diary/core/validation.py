"""Checking an entry as the user typed it. The same path serves the window, the command line
and imports, so each gets the same plain-words messages."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from . import clock
from .model import (
    ABSENCE, CRN_PATTERN, Entry, ReferenceData,
)

NOTES_LIMIT = 4000  # the Delius API limit; longer notes are flagged at export, never cut
LONG_ENTRY_MINUTES = 12 * 60  # a timed entry longer than this asks once before saving
MAX_NOTES = 100_000  # a sanity limit on what the diary itself will hold
LOCATION_LIMIT = 7
# spec/delius-export.md, Location: a new entry of an office-based type starts with the office
# location from settings (the user may change or clear it; an entry's location is what is exported)
OFFICE_TYPES = frozenset({"COAP", "COAI"})


def starting_location(type_code: str | None, office_location: str) -> str:
    """The location a new entry of this type starts with: the office's for COAP and COAI."""
    return (office_location or "").strip().upper() if type_code in OFFICE_TYPES else ""


@dataclass
class EntryDraft:
    """An entry as text, the way a form or a command line gives it."""

    type: str = ""
    crn: str = ""
    start_date: str = ""
    start_time: str = ""
    end_date: str = ""  # empty: same day as the start
    end_time: str = ""
    duration: str = ""  # used when end_time is empty: "70", "1h10", "1:10"
    all_day: bool = False
    outcome: str = ""
    enforcement: str = ""
    location: str = ""
    event: str = ""
    sensitive: bool = False
    alert: bool = False
    rar: bool = False
    notes: str = ""
    # Exact instants, when the source has them (a calendar file): used instead of the local
    # times above, so that a time in the repeated hour in October is never guessed.
    start_utc: dt.datetime | None = None
    end_utc: dt.datetime | None = None

    @classmethod
    def from_entry(cls, entry: Entry, ref: ReferenceData) -> "EntryDraft":
        start = clock.to_local(entry.start)
        end = clock.to_local(entry.end)
        atype = ref.types[entry.type_id]
        return cls(
            type=atype.delius_code or atype.label,
            crn=entry.crn or "",
            start_date=start.date().isoformat(),
            start_time="" if entry.all_day else f"{start:%H:%M}",
            end_date="" if entry.all_day or end.date() == start.date() else end.date().isoformat(),
            end_time="" if entry.all_day else f"{end:%H:%M}",
            all_day=entry.all_day,
            outcome=entry.outcome_code or "",
            enforcement=entry.enforcement_code or "",
            location=entry.location_code or "",
            event="" if entry.event_number is None else str(entry.event_number),
            sensitive=entry.sensitive,
            alert=entry.alert,
            rar=entry.rar,
            notes=entry.notes,
        )


@dataclass
class Checked:
    entry: Entry | None
    errors: dict[str, str] = field(default_factory=dict)  # field name -> message
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def first_error(self) -> str:
        return next(iter(self.errors.values()), "")


def parse_duration(text: str) -> int:
    """'70', '70m', '1h10', '1h 10m', '1:10', '1.5h' -> minutes."""
    raw = (text or "").strip().lower().replace(" ", "")
    try:
        if ":" in raw:
            h, m = raw.split(":", 1)
            minutes = int(h) * 60 + int(m)
        elif "h" in raw:
            h, _, m = raw.partition("h")
            m = m.rstrip("m").rstrip("in").rstrip("m")
            minutes = round(float(h) * 60) + (int(m) if m else 0)
        else:
            minutes = int(raw.removesuffix("mins").removesuffix("min").removesuffix("m"))
    except ValueError:
        raise clock.TimeError(f"'{text}' is not a duration; use minutes (45), 1h30 or 1:30")
    if minutes <= 0:
        raise clock.TimeError("the duration must be at least one minute")
    return minutes


def check_crn(text: str) -> str:
    crn = (text or "").strip().upper()
    if not CRN_PATTERN.match(crn):
        raise ValueError(f"'{text.strip()}' is not a CRN: a CRN is one letter and six digits, like X123456")
    return crn


def check_entry(
    draft: EntryDraft,
    ref: ReferenceData,
    now: dt.datetime,
    base: Entry | None = None,
) -> Checked:
    """Validate a draft. Returns the entry to save (keeping base's identity and Delius
    status fields) or the errors, keyed by field, in plain words."""
    errors: dict[str, str] = {}
    warnings: list[str] = []

    atype = None
    try:
        atype = ref.find_type(draft.type)
    except LookupError as exc:
        errors["type"] = _sentence(str(exc))

    crn = None
    if draft.crn.strip():
        try:
            crn = check_crn(draft.crn)
        except ValueError as exc:
            errors["crn"] = _sentence(str(exc))
    elif atype is not None and atype.needs_crn:
        errors["crn"] = f"{atype.label} is a contact with a person on probation: give their CRN."

    start = end = None
    if draft.all_day:
        if atype is not None and atype.time_class != ABSENCE:
            errors["all_day"] = "Only absences (leave, sickness) can be whole-day entries; give a start and an end."
        try:
            day = clock.parse_date(draft.start_date)
            start, end = clock.day_bounds(day)
        except clock.TimeError as exc:
            errors["start_date"] = _sentence(str(exc))
    else:
        start, end = _check_times(draft, errors, warnings)

    if start is not None and end is not None and "end" not in errors:
        minutes = clock.minutes_between(start, end)
        if minutes <= 0:
            errors["end"] = "The end must be after the start."
        elif minutes > clock.MAX_ENTRY_MINUTES and not draft.all_day:
            # a whole day is the local calendar day, whatever its length (23, 24 or 25 hours)
            errors["end"] = "An entry can last at most 24 hours; record leave as whole-day absences."

    outcome = None
    if draft.outcome.strip():
        outcome = ref.outcomes.get(draft.outcome.strip().upper())
        if outcome is None:
            errors["outcome"] = f"'{draft.outcome.strip()}' is not an outcome code (for example ATTC, AFTA, RSOF)."
        elif atype is not None and not atype.exportable:
            errors["outcome"] = f"{atype.label} is diary-only time and takes no outcome."
        elif outcome.attended and start is not None and start > now and atype is not None and atype.needs_outcome:
            errors["outcome"] = "This appointment has not happened yet, so it cannot have an 'attended' outcome."

    enforcement = None
    if draft.enforcement.strip():
        code = draft.enforcement.strip().upper()
        if code not in ref.enforcement:
            errors["enforcement"] = f"'{draft.enforcement.strip()}' is not an enforcement action code (for example EA02)."
        else:
            enforcement = code
            if outcome is None or outcome.complied is not False:
                warnings.append(
                    "An enforcement action goes only with an outcome that is not complied; "
                    "Delius will not take this entry until that is fixed."
                )

    location = draft.location.strip().upper() or None
    if location and len(location) > LOCATION_LIMIT:
        errors["location"] = f"A location code is at most {LOCATION_LIMIT} characters; this one has {len(location)}."

    event = None
    if draft.event.strip():
        try:
            event = int(draft.event.strip())
            if event < 1 or event > 999:
                raise ValueError
        except ValueError:
            errors["event"] = "The event number is a whole number from 1 to 999, or empty for the person."

    notes = draft.notes or ""
    if "\x00" in notes:
        errors["notes"] = "The notes contain a character that cannot be stored (NUL)."
    elif len(notes) > MAX_NOTES:
        errors["notes"] = f"The notes are too long for the diary ({len(notes):,} characters; at most {MAX_NOTES:,})."
    elif len(notes) > NOTES_LIMIT and atype is not None and atype.exportable:
        warnings.append(
            f"The notes have {len(notes):,} characters; Delius takes at most {NOTES_LIMIT:,}. "
            "They are kept in full here, and the export will flag them."
        )

    if errors or atype is None:
        return Checked(None, errors, warnings)

    values = dict(
        type_id=atype.id,
        crn=crn,
        start=start,
        end=end,
        all_day=bool(draft.all_day),
        outcome_code=outcome.code if outcome else None,
        enforcement_code=enforcement,
        location_code=location,
        event_number=event,
        sensitive=bool(draft.sensitive),
        alert=bool(draft.alert),
        rar=bool(draft.rar),
        notes=notes,
    )
    entry = base.with_changes(**values) if base is not None else Entry(**values)
    return Checked(entry, errors, warnings)


def _check_times(draft: EntryDraft, errors: dict, warnings: list):
    if draft.start_utc is not None and draft.end_utc is not None:
        return draft.start_utc.astimezone(clock.UTC), draft.end_utc.astimezone(clock.UTC)
    try:
        day = clock.parse_date(draft.start_date)
    except clock.TimeError as exc:
        errors["start_date"] = _sentence(str(exc))
        return None, None
    start = end = None
    try:
        local_start = dt.datetime.combine(day, clock.parse_time(draft.start_time))
        got = clock.local_to_utc(local_start)
        start = got.instant
        if got.warning:
            warnings.append(_sentence("Start: " + got.warning))
    except clock.TimeError as exc:
        errors["start"] = _sentence(str(exc))
        return None, None
    if draft.end_time.strip():
        try:
            end_day = clock.parse_date(draft.end_date) if draft.end_date.strip() else day
            local_end = dt.datetime.combine(end_day, clock.parse_time(draft.end_time))
            got = clock.local_to_utc(local_end)
            end = got.instant
            if got.warning:
                warnings.append(_sentence("End: " + got.warning))
        except clock.TimeError as exc:
            errors["end"] = _sentence(str(exc))
    elif draft.duration.strip():
        try:
            end = start + dt.timedelta(minutes=parse_duration(draft.duration))
        except clock.TimeError as exc:
            errors["end"] = _sentence(str(exc))
    else:
        errors["end"] = "Give an end time or a duration."
    return start, end


def _sentence(text: str) -> str:
    text = text.strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."
