"""The diary's records, as plain data."""

from __future__ import annotations

import datetime as dt
import re
from .record import factory, record, replace
from decimal import Decimal, InvalidOperation

FACE_TO_FACE = "face_to_face"
REMOTE_CONTACT = "remote_contact"
TRAVEL = "travel"
ADMIN = "admin"
ABSENCE = "absence"
# Highest precedence first: an overlapping minute goes to the first class in this list.
TIME_CLASSES = (FACE_TO_FACE, REMOTE_CONTACT, TRAVEL, ADMIN, ABSENCE)
WORKED_CLASSES = (FACE_TO_FACE, REMOTE_CONTACT, TRAVEL, ADMIN)
CLASS_LABELS = {
    FACE_TO_FACE: "Face to face",
    REMOTE_CONTACT: "Other direct contact",
    TRAVEL: "Travel",
    ADMIN: "Admin",
    ABSENCE: "Absence",
}

CRN_PATTERN = re.compile(r"^[A-Z][0-9]{6}$")
REF_PATTERN = re.compile(r"^PD-(\d{6,})$")

# Delius status of an exportable entry (see spec/delius-export.md, "Reconciliation").
NOT_EXPORTED = "not_exported"
EXPORTED = "exported"
ENTERED = "entered"
CHANGED = "changed"
DELIUS_STATUSES = (NOT_EXPORTED, EXPORTED, ENTERED, CHANGED)
DELIUS_STATUS_LABELS = {
    NOT_EXPORTED: "Not exported",
    EXPORTED: "Exported",
    ENTERED: "Entered in Delius",
    CHANGED: "Changed since export",
}

WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def format_ref(entry_id: int) -> str:
    return f"PD-{entry_id:06d}"


def parse_ref(text: str) -> int:
    match = REF_PATTERN.match((text or "").strip().upper())
    if not match:
        raise ValueError(f"'{text}' is not a diary reference; they look like PD-000123")
    if len(match.group(1).lstrip("0")) > 15:  # beyond any diary (and SQLite's integers)
        raise ValueError(f"{text.strip().upper()[:24]} is not in the diary (no reference is that long)")
    return int(match.group(1))


@record(frozen=True)
class ActivityType:
    id: int
    label: str
    time_class: str
    delius_code: str | None = None
    needs_crn: bool = False
    needs_outcome: bool = False
    group: str = ""
    active: bool = True

    @property
    def exportable(self) -> bool:
        return bool(self.delius_code)

    @property
    def display(self) -> str:
        return f"{self.delius_code} – {self.label}" if self.delius_code else self.label


@record(frozen=True)
class Outcome:
    code: str
    label: str
    attended: bool
    complied: bool | None
    kind: str


@record(frozen=True)
class EnforcementAction:
    code: str
    label: str


@record(frozen=True)
class Person:
    crn: str
    name: str = ""


@record(frozen=True)
class Entry:
    """One diary entry. start and end are aware UTC instants; an all-day entry spans one
    local day, midnight to midnight."""

    type_id: int
    start: dt.datetime
    end: dt.datetime
    crn: str | None = None
    all_day: bool = False
    outcome_code: str | None = None
    enforcement_code: str | None = None
    location_code: str | None = None
    event_number: int | None = None
    sensitive: bool = False
    alert: bool = False
    rar: bool = False
    notes: str = ""
    id: int | None = None
    delius_status: str = NOT_EXPORTED
    delius_exported_at: dt.datetime | None = None
    delius_export_file: str | None = None
    delius_entered_at: dt.datetime | None = None
    created: dt.datetime | None = None
    updated: dt.datetime | None = None
    zone: str = "Europe/London"

    @property
    def ref(self) -> str:
        return format_ref(self.id) if self.id is not None else "(new)"

    @property
    def minutes(self) -> int:
        return int((self.end - self.start).total_seconds() // 60)

    def with_changes(self, **changes) -> "Entry":
        return replace(self, **changes)


# The fields a user edits; a change to any of them makes an exported entry "changed".
CONTENT_FIELDS = (
    "type_id", "start", "end", "crn", "all_day", "outcome_code", "enforcement_code",
    "location_code", "event_number", "sensitive", "alert", "rar", "notes",
)


@record(frozen=True)
class Settings:
    contracted_hours: Decimal = Decimal("37")
    working_days: frozenset[int] = frozenset({0, 1, 2, 3, 4})
    bank_holidays: bool = True
    provider_code: str = ""
    team_code: str = ""
    staff_code: str = ""
    office_location: str = ""
    reminder: dt.time | None = dt.time(16, 30)  # "remind me to log" on working days; None: off

    @property
    def contracted_minutes(self) -> int:
        return int(self.contracted_hours * 60)

    @property
    def day_shares(self) -> dict[int, int]:
        """Each working day's share of the contract (weekday -> whole minutes). They add up to
        the contract exactly: the remainder of contracted minutes / working days goes one
        minute each to the earliest working days of the week (22.5 hours over Monday to
        Thursday: 338, 338, 337, 337)."""
        days = sorted(self.working_days)
        if not days:
            return {}
        base, extra = divmod(self.contracted_minutes, len(days))
        return {d: base + (1 if i < extra else 0) for i, d in enumerate(days)}

    @property
    def day_share(self) -> int:
        """The smallest day's share: contracted minutes / working days, rounded down. It is
        every working day's share when the division is exact, and the cap on timed absence on
        a non-working day."""
        if not self.working_days:
            return 0
        return self.contracted_minutes // len(self.working_days)

    def share_on(self, weekday: int) -> int:
        """The share of the day with this weekday (0 = Monday): its own on a working day, the
        smallest share on any other (the cap on its timed absence)."""
        return self.day_shares.get(weekday, self.day_share)

    def to_strings(self) -> dict[str, str]:
        return {
            "contracted_hours": format_hours(self.contracted_hours),
            "working_days": ",".join(WEEKDAY_NAMES[d] for d in sorted(self.working_days)),
            "bank_holidays": "on" if self.bank_holidays else "off",
            "provider_code": self.provider_code,
            "team_code": self.team_code,
            "staff_code": self.staff_code,
            "office_location": self.office_location,
            "reminder": "off" if self.reminder is None else f"{self.reminder:%H:%M}",
        }


def describe_day_shares(settings: Settings) -> str:
    """'7 h 24 min', or when the shares differ by the remainder minute,
    '5 h 38 min (Mon, Tue) or 5 h 37 min (Wed, Thu)'."""
    def hm(minutes: int) -> str:
        return f"{minutes // 60} h {minutes % 60:02d} min"

    shares = settings.day_shares
    if len(set(shares.values())) <= 1:
        return hm(settings.day_share)
    groups: dict[int, list[str]] = {}
    for day, minutes in sorted(shares.items()):
        groups.setdefault(minutes, []).append(WEEKDAY_NAMES[day])
    return " or ".join(f"{hm(m)} ({', '.join(days)})" for m, days in sorted(groups.items(), reverse=True))


def format_hours(hours: Decimal) -> str:
    return format(hours.normalize(), "f")


SETTING_KEYS = tuple(Settings().to_strings())


class SettingError(ValueError):
    pass


def parse_setting(key: str, value: str):
    """Check one setting as the user typed it; return the typed value or raise SettingError."""
    value = (value or "").strip()
    if key == "contracted_hours":
        try:
            hours = Decimal(value)
        except InvalidOperation:
            raise SettingError(f"contracted_hours must be a number of hours, like 37 or 22.5, not '{value}'")
        if not hours.is_finite() or hours <= 0 or hours > 100:
            raise SettingError("contracted_hours must be more than 0 and at most 100")
        if (hours * 60) != (hours * 60).to_integral_value():
            raise SettingError("contracted_hours must be a whole number of minutes, like 37 or 22.5")
        return hours
    if key == "working_days":
        days = set()
        for part in value.replace(" ", "").split(","):
            if not part:
                continue
            name = part[:3].title()
            if name not in WEEKDAY_NAMES or part.title() not in (name, _full_day(name)):
                raise SettingError(f"'{part}' is not a day; use Mon,Tue,Wed,Thu,Fri,Sat,Sun")
            days.add(WEEKDAY_NAMES.index(name))
        if not days:
            raise SettingError("working_days needs at least one day, e.g. Mon,Tue,Wed,Thu,Fri")
        return frozenset(days)
    if key == "bank_holidays":
        lowered = value.lower()
        if lowered in ("on", "yes", "true", "1"):
            return True
        if lowered in ("off", "no", "false", "0"):
            return False
        raise SettingError("bank_holidays must be 'on' or 'off'")
    if key == "reminder":
        lowered = value.lower()
        if lowered in ("off", "no", "false", "0", "never"):
            return None
        m = re.fullmatch(r"(\d{1,2})[:.](\d{2})", value)
        if not m or int(m.group(1)) > 23 or int(m.group(2)) > 59:
            raise SettingError(f"reminder must be a time such as 16:30, or 'off', not '{value}'")
        return dt.time(int(m.group(1)), int(m.group(2)))
    limits = {"provider_code": 3, "team_code": 6, "staff_code": 7, "office_location": 7}
    if key in limits:
        code = value.upper()
        if len(code) > limits[key]:
            raise SettingError(f"{key} can be at most {limits[key]} characters; '{value}' has {len(code)}")
        if code and not re.fullmatch(r"[A-Z0-9_]+", code):
            raise SettingError(f"{key} may contain only letters and digits, not '{value}'")
        if key == "provider_code" and code and len(code) != 3:
            raise SettingError(f"provider_code is 3 characters, such as N07; '{value}' has {len(code)}")
        return code
    raise SettingError(f"unknown setting '{key}'; the settings are: {', '.join(SETTING_KEYS)}")


def _full_day(short: str) -> str:
    return {
        "Mon": "Monday", "Tue": "Tuesday", "Wed": "Wednesday", "Thu": "Thursday",
        "Fri": "Friday", "Sat": "Saturday", "Sun": "Sunday",
    }[short]


def settings_from_strings(values: dict[str, str]) -> Settings:
    base = Settings()
    typed = {}
    for key in SETTING_KEYS:
        if key in values and values[key] is not None:
            typed[key] = parse_setting(key, values[key])
    return replace(base, **typed)


@record
class ReferenceData:
    """Activity types, outcomes and enforcement actions, as the diary holds them."""

    types: dict[int, ActivityType] = factory(dict)
    outcomes: dict[str, Outcome] = factory(dict)
    enforcement: dict[str, EnforcementAction] = factory(dict)

    def find_type(self, text: str) -> ActivityType:
        """By Delius code or label, ignoring case."""
        wanted = (text or "").strip().lower()
        if not wanted:
            raise LookupError("an activity type is needed")
        for t in self.types.values():
            if t.delius_code and t.delius_code.lower() == wanted:
                return t
        for t in self.types.values():
            if t.label.lower() == wanted:
                return t
        raise LookupError(
            f"unknown activity type '{text}'; give a Delius code such as COAP or a label such as 'Travel'"
        )
