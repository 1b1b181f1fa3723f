"""The CSV that a practitioner keys into nDelius, one row per contact (spec/delius-export.md).

Qt-free and disk-free: this module decides which entries go in, in what order, what each
of the 19 cells says, and which entries fail Delius's checks (and why). Writing the file
and recording the statuses is ``probation_diary.cli.delius``.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass, field
from typing import Iterable, NamedTuple, TextIO

from ..core import clock
from .csvsafe import protect
from ..core.model import (
    CHANGED, CRN_PATTERN, ENTERED, EXPORTED, NOT_EXPORTED, ActivityType, Entry, ReferenceData,
    Settings, format_ref,
)
from ..core.validation import NOTES_LIMIT, OFFICE_TYPES, starting_location  # noqa: F401 (re-exported)

HEADERS = (
    "CRN",
    "Contact Date",
    "Relates To",
    "Contact Type Code",
    "Contact Type",
    "Provider",
    "Team",
    "Alert",
    "Location",
    "Start Time",
    "End Time",
    "Outcome Code",
    "Outcome",
    "Enforcement Action",
    "Officer",
    "Sensitive",
    "RAR Activity",
    "Notes",
    "Diary Reference",
)

# The statuses exported by default: everything not yet keyed into Delius.
DEFAULT_STATUSES = frozenset({NOT_EXPORTED, EXPORTED, CHANGED})
ALL_STATUSES = DEFAULT_STATUSES | {ENTERED}

# The practitioner's codes every row needs, with the words the user knows them by.
REQUIRED_SETTINGS = {
    "provider_code": "provider code",
    "team_code": "team code",
    "staff_code": "staff (officer) code",
}

ENCODING = "utf-8-sig"  # UTF-8 with a byte-order mark, for Excel on Windows
LINE_END = "\r\n"


class Contact(NamedTuple):
    """The fields of an entry that an export reads. Every function here takes an Entry or a
    Contact alike; delius_io reads Contacts straight from the diary because building 100,000
    full Entry records costs more than the whole rest of the export."""

    id: int
    type_id: int
    crn: str | None
    start: dt.datetime
    end: dt.datetime
    all_day: bool
    outcome_code: str | None
    enforcement_code: str | None
    location_code: str | None
    event_number: int | None
    sensitive: bool
    alert: bool
    rar: bool
    notes: str
    delius_status: str


@dataclass(frozen=True)
class Problem:
    """One failed check on one entry."""

    entry_id: int
    reason: str

    @property
    def ref(self) -> str:
        return format_ref(self.entry_id)

    def __str__(self) -> str:
        return f"{self.ref}: {self.reason}"


@dataclass
class Export:
    """What an export would write, before anything is written."""

    first: dt.date
    last: dt.date
    rows: list[list[str]] = field(default_factory=list)  # cells as written (protected)
    entry_ids: list[int] = field(default_factory=list)  # the entry of each row, same order
    problems: list[Problem] = field(default_factory=list)  # in date and time order
    missing_settings: list[str] = field(default_factory=list)  # setting keys not set

    @property
    def left_out_ids(self) -> list[int]:
        """Entries left out, each once, in the order of their first problem."""
        return list(dict.fromkeys(p.entry_id for p in self.problems))

    @property
    def file_name(self) -> str:
        return default_file_name(self.first, self.last)


def default_file_name(first: dt.date, last: dt.date) -> str:
    return f"delius-contacts-{first.isoformat()}-to-{last.isoformat()}.csv"


def range_bounds(first: dt.date, last: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """UTC instants of local midnight starting `first` and ending `last` (inclusive)."""
    if last < first:
        raise ValueError("the last date is before the first date")
    return clock.local_midnight(first), clock.local_midnight(last + dt.timedelta(days=1))


def missing_settings(settings: Settings) -> list[str]:
    return [key for key in REQUIRED_SETTINGS if not getattr(settings, key)]


def describe_missing(keys: list[str]) -> str:
    names = [REQUIRED_SETTINGS[k] for k in keys]
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " and " + names[-1]


def is_exportable(entry: Entry, ref: ReferenceData) -> bool:
    """Only a type with a Delius contact type code is ever exported; diary-only time never is."""
    atype = ref.types.get(entry.type_id)
    return atype is not None and atype.exportable


def sort_key(entry: Entry):
    """Grouped by CRN (each person's record is opened once), then date and time."""
    return (entry.crn or "", entry.start, entry.end, entry.id or 0)


def select(entries: Iterable[Entry | Contact], ref: ReferenceData, first: dt.date, last: dt.date,
           include_entered: bool = False) -> list[Entry]:
    """The entries an export of [first, last] considers, in row order: exportable types,
    starting on a local date in the range, not yet entered in Delius (unless asked)."""
    start, end = range_bounds(first, last)
    statuses = ALL_STATUSES if include_entered else DEFAULT_STATUSES
    chosen = [
        e for e in entries
        if start <= e.start < end and e.delius_status in statuses and is_exportable(e, ref)
    ]
    chosen.sort(key=sort_key)
    return chosen


def check(entry: Entry, ref: ReferenceData, now: dt.datetime,
          local: tuple[dt.datetime, dt.datetime] | None = None) -> list[str]:
    """The reasons Delius would refuse this contact (empty when it is fine). `local` is the
    entry's start and end in local time, if the caller already has them."""
    reasons = []
    atype: ActivityType = ref.types[entry.type_id]
    if not entry.crn:
        reasons.append("no CRN: every Delius contact belongs to a person; add their CRN")
    elif not CRN_PATTERN.match(entry.crn):
        reasons.append("the CRN is not valid: a CRN is one letter and six digits, like X123456")

    start, end = local or (clock.to_local(entry.start), clock.to_local(entry.end))
    if entry.end <= entry.start:
        reasons.append("the end time is not after the start time")
    elif entry.all_day:
        reasons.append("a whole-day entry is not a contact: give it a start and an end time")
    elif end.date() != start.date():
        reasons.append("the contact does not lie within one day: it runs past midnight")
    elif (end.hour, end.minute) <= (start.hour, start.minute):
        reasons.append(
            f"the end time {end:%H:%M} is not after the start time {start:%H:%M} on the clock "
            "(the clocks went back during it)")

    outcome = ref.outcomes.get(entry.outcome_code) if entry.outcome_code else None
    if entry.outcome_code and outcome is None:
        reasons.append("the outcome code is not one Delius knows")
    if atype.needs_outcome and entry.start < now and not entry.outcome_code:
        reasons.append("a past appointment needs an outcome: record whether they attended")
    if entry.start > now and outcome is not None and outcome.attended:
        reasons.append("a future contact cannot have an 'attended' outcome")

    if entry.enforcement_code and (outcome is None or outcome.complied is not False):
        reasons.append(
            "an enforcement action goes only with an outcome that is not complied "
            "(for example AFTA or UAAB)")

    if len(entry.notes) > NOTES_LIMIT:
        reasons.append(
            f"the notes have {len(entry.notes):,} characters; Delius takes at most "
            f"{NOTES_LIMIT:,}, and they are never cut: shorten them")
    return reasons


def yes_no(flag: bool) -> str:
    return "Y" if flag else "N"


def row_values(entry: Entry, ref: ReferenceData, settings: Settings,
               local: tuple[dt.datetime, dt.datetime] | None = None) -> list[str]:
    """The 19 cells of one contact, as the user should read them (before protection)."""
    atype = ref.types[entry.type_id]
    outcome = ref.outcomes.get(entry.outcome_code) if entry.outcome_code else None
    start, end = local or (clock.to_local(entry.start), clock.to_local(entry.end))
    return [
        entry.crn or "",
        f"{start.day:02d}/{start.month:02d}/{start.year:04d}",
        "Person" if entry.event_number is None else f"Event {entry.event_number}",
        atype.delius_code or "",
        atype.label,
        settings.provider_code,
        settings.team_code,
        yes_no(entry.alert),
        entry.location_code or "",
        f"{start.hour:02d}:{start.minute:02d}",
        f"{end.hour:02d}:{end.minute:02d}",
        entry.outcome_code or "",
        outcome.label if outcome else "",
        entry.enforcement_code or "",
        settings.staff_code,
        yes_no(entry.sensitive),
        yes_no(entry.rar),
        entry.notes,
        format_ref(entry.id),
    ]


# Cells that hold text from the user or the reference data, which could start with a formula
# trigger. The others are made here from digits, fixed words and validated codes (dates,
# times, Y/N, "Person", the settings' letters-and-digits codes, PD-000123), so protect() can
# never change them; a test holds this to be true.
FREE_TEXT_COLUMNS = tuple(HEADERS.index(h) for h in (
    "CRN", "Contact Type Code", "Contact Type", "Location", "Outcome Code", "Outcome",
    "Enforcement Action", "Notes"))


def protect_row(values: list[str]) -> list[str]:
    """No formula injection: a cell a spreadsheet would run is written as text."""
    return [protect(v) for v in values]


def _protect_free_text(values: list[str]) -> list[str]:
    for i in FREE_TEXT_COLUMNS:
        values[i] = protect(values[i])
    return values


def build(entries: Iterable[Entry | Contact], ref: ReferenceData, settings: Settings, now: dt.datetime,
          first: dt.date, last: dt.date, include_entered: bool = False) -> Export:
    """Decide the whole export: the rows in order, and every entry left out with why."""
    result = Export(first, last, missing_settings=missing_settings(settings))
    chosen = select(entries, ref, first, last, include_entered)
    problems = []
    for entry, row, reasons in _checked(chosen, ref, settings, now):
        if reasons:
            problems.extend((entry.start, entry.id, Problem(entry.id, r)) for r in reasons)
            continue
        result.rows.append(row)
        result.entry_ids.append(entry.id)
    problems.sort(key=lambda p: (p[0], p[1]))  # stable: an entry's reasons stay in check order
    result.problems = [p[2] for p in problems]
    return result


def _checked(chosen: Iterable[Entry | Contact], ref: ReferenceData, settings: Settings, now: dt.datetime):
    """(entry, its protected row or None, the reasons Delius would refuse it) for each entry."""
    to_local = clock.to_local
    for entry in chosen:
        local = (to_local(entry.start), to_local(entry.end))
        reasons = check(entry, ref, now, local)
        if reasons:
            yield entry, None, reasons
        else:
            yield entry, _protect_free_text(row_values(entry, ref, settings, local)), reasons


def _chosen(entries, ref: ReferenceData, first: dt.date, last: dt.date, include_entered: bool):
    start, end = range_bounds(first, last)
    statuses = ALL_STATUSES if include_entered else DEFAULT_STATUSES
    return (e for e in entries
            if start <= e.start < end and e.delius_status in statuses and is_exportable(e, ref))


class Streamed:
    """What a streamed export wrote (see stream_rows): the entry of each row, compactly, and
    how many entries were left out. The problems themselves come from stream_problems."""

    def __init__(self):
        from array import array

        self.entry_ids = array("q")
        self.left_out = 0


def stream_rows(entries: Iterable[Entry | Contact], ref: ReferenceData, settings: Settings,
                now: dt.datetime, first: dt.date, last: dt.date, include_entered: bool,
                done: Streamed) -> Iterable[list[str]]:
    """The rows build() would make, one at a time, for writing straight to the file (issue
    18: memory does not grow with the diary). `entries` must already be in row order
    (sort_key; the diary's query sorts them). Fills `done` as the rows are taken."""
    for entry, row, reasons in _checked(_chosen(entries, ref, first, last, include_entered), ref, settings, now):
        if reasons:
            done.left_out += 1
        else:
            done.entry_ids.append(entry.id)
            yield row


def stream_problems(entries: Iterable[Entry | Contact], ref: ReferenceData, now: dt.datetime,
                    first: dt.date, last: dt.date, include_entered: bool = False) -> Iterable[Problem]:
    """build()'s problems, in its order, one at a time: `entries` in start order (start, id)."""
    for entry in _chosen(entries, ref, first, last, include_entered):
        for reason in check(entry, ref, now):
            yield Problem(entry.id, reason)


def write(rows: Iterable[list[str]], fh: TextIO) -> int:
    """Write the header and rows to a text file opened with newline="" and ENCODING."""
    writer = csv.writer(fh, dialect="excel", quoting=csv.QUOTE_MINIMAL, lineterminator=LINE_END)
    writer.writerow(HEADERS)
    count = 0
    for row in rows:
        writer.writerow(row)
        count += 1
    return count


# -- keying mode (issue 17): the same rows, one contact at a time, straight into Delius


@dataclass(frozen=True)
class Card:
    """One contact to key into Delius's Add Contact screen: the 19 cells of its export row, in
    HEADERS order, as Delius takes them (not protected: a leading ' is for spreadsheets, and
    pasted into Delius it would become part of the note), and the reasons Delius would refuse it
    (empty when it can be keyed)."""

    entry_id: int
    values: tuple[str, ...]
    reasons: tuple[str, ...]

    @property
    def ref(self) -> str:
        return format_ref(self.entry_id)

    @property
    def crn(self) -> str:
        return self.values[0]

    @property
    def ok(self) -> bool:
        return not self.reasons

    def field(self, header: str) -> str:
        return self.values[HEADERS.index(header)]


def missing_reasons(keys: list[str]) -> list[str]:
    return [f"your {REQUIRED_SETTINGS[k]} is not set: every contact needs it (Settings)" for k in keys]


def cards(entries: Iterable[Entry | Contact], ref: ReferenceData, settings: Settings, now: dt.datetime,
          first: dt.date, last: dt.date, include_entered: bool = False) -> list[Card]:
    """Every contact an export of [first, last] considers, in the export's order (grouped by
    CRN, then date and time), each with its row's cells and the export's checks. The cards that
    pass are exactly the export's rows: protect_row(card.values) == build(...).rows[i]."""
    missing = missing_reasons(missing_settings(settings))
    result = []
    to_local = clock.to_local
    for entry in select(entries, ref, first, last, include_entered):
        local = (to_local(entry.start), to_local(entry.end))
        reasons = check(entry, ref, now, local)
        result.append(Card(entry.id, tuple(row_values(entry, ref, settings, local)),
                           tuple(reasons + missing)))
    return result
