"""The diary file: the one place that talks to SQLite.

Every write is one transaction (``db.atomic()``), so a failure leaves the file as it was.
Schema changes are numbered migrations recorded in ``PRAGMA user_version``; a file from a
newer version of the app is refused and never modified.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import sys
from pathlib import Path
from collections.abc import Callable, Iterable, Sequence

TYPE_CHECKING = False  # typing's constant, without loading typing (15M instructions a command)
if TYPE_CHECKING:  # sqlite-utils and sqlcipher3 load when first needed (see _Database, _sqlcipher_loaded)
    import sqlite_utils

from ..core import clock
from ..core.clock import Week, format_utc, parse_utc
from ..core.model import (
    CHANGED, CONTENT_FIELDS, DELIUS_STATUSES, ENTERED, EXPORTED, NOT_EXPORTED, SETTING_KEYS,
    TIME_CLASSES, ActivityType, EnforcementAction, Entry, Outcome, Person, ReferenceData, Settings,
    parse_setting, settings_from_strings,
)
from ..core.timesplit import (
    FIGURES_VERSION, Timing, WeekSummary, summarise_week, summarise_weeks, summary_from_data,
    summary_to_data,
)

APPLICATION_ID = 0x50444941  # "PDIA": marks a file as a Probation Diary
# In a checkout and in the bundle, resources/ sits beside the probation_diary package.
RESOURCES = Path(__file__).resolve().parents[2] / "resources"
if not RESOURCES.exists():  # installed: resources sit inside the package
    RESOURCES = Path(__file__).resolve().parents[1] / "resources"


class DiaryError(Exception):
    """Something the user must be told, in plain words."""


class EncryptedDiaryError(DiaryError):
    """The file is encrypted (or is not an SQLite file at all) and no passphrase was given."""


class WrongPassphraseError(DiaryError):
    """The passphrase does not open the file. Nothing was written."""


class DamagedDiaryError(DiaryError):
    """The file is not a diary, fails its integrity check, or is newer than the app. It was
    not written to; the caller may offer the newest good backup."""


class DiskFullError(DiaryError):
    """The disk is full. Nothing was written."""


class ReadOnlyDiaryError(DiaryError):
    """The file or its folder cannot be written (a read-only disk, say). Nothing was written."""


class BusyError(DiaryError):
    """Another copy has the diary busy (or open, for a job that needs it alone)."""


# sqlite3 and sqlcipher3 each have their own exception classes. sqlcipher3 is imported only
# for an encrypted diary (security.sqlcipher()), which adds its classes here first.
_SQL_ERRORS = (sqlite3.Error,)
_DATABASE_ERRORS = (sqlite3.DatabaseError,)
_OPERATIONAL_ERRORS = (sqlite3.OperationalError,)


def _sqlcipher_loaded(module) -> None:
    """Catch sqlcipher3's exceptions too, from now on (called once sqlcipher3 is imported)."""
    global _SQL_ERRORS, _DATABASE_ERRORS, _OPERATIONAL_ERRORS
    if module.Error not in _SQL_ERRORS:
        _SQL_ERRORS += (module.Error,)
        _DATABASE_ERRORS += (module.DatabaseError,)
        _OPERATIONAL_ERRORS += (module.OperationalError,)


class _Database:
    """The diary's sqlite_utils.Database, made on first use (issue 18). Importing sqlite-utils
    costs more than the rest of a read-only command (python -X importtime: about 45-107 ms
    of a 170-330 ms start), so plain SELECTs through execute() and query() go straight to the
    connection, and everything else (writes, atomic(), tables) goes through sqlite-utils,
    which stays the data layer for every write."""

    def __init__(self, conn):
        self.conn = conn
        self._real = None
        # what sqlite_utils.Database(conn) does on creation, so that behaviour does not
        # depend on whether it has been made yet
        conn.execute("PRAGMA recursive_triggers=on;")

    def _database(self) -> "sqlite_utils.Database":
        if self._real is None:
            import sqlite_utils

            self._real = sqlite_utils.Database(self.conn, execute_plugins=False, recursive_triggers=False)
        return self._real

    @staticmethod
    def _is_select(sql: str) -> bool:
        return sql.lstrip()[:6].upper() == "SELECT"

    def execute(self, sql: str, parameters=None):
        if self._is_select(sql):
            return self.conn.execute(sql, parameters or ())
        return self._database().execute(sql, parameters)

    def query(self, sql: str, params=None):
        if not self._is_select(sql):
            return self._database().query(sql, params)
        cursor = self.conn.execute(sql, params or ())
        keys = [d[0] for d in cursor.description]
        return (dict(zip(keys, row)) for row in cursor)

    def close(self) -> None:
        self.conn.close()

    def __getitem__(self, name):
        return self._database()[name]

    def __getattr__(self, name):  # atomic(), table(), and the rest of sqlite-utils
        return getattr(self._database(), name)


def default_path() -> Path:
    """The embedded default diary, in the user's data directory."""
    env = os.environ.get("PROBATION_DIARY_DB")
    if env:
        return Path(env).expanduser()
    if sys.platform == "win32":
        base = Path(os.environ.get("APPDATA") or Path.home() / "AppData" / "Roaming")
        return base / "Probation Diary" / "diary.db"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / "Probation Diary" / "diary.db"
    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "probation-diary" / "diary.db"


def resource_csv(name: str) -> list[dict[str, str]]:
    import csv  # the reference tables are read when a diary is made or migrated, not at every open

    with open(RESOURCES / name, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


# --- migrations -------------------------------------------------------------------------

def _run_statements(db: sqlite_utils.Database, script: str) -> None:
    """Run a script statement by statement: executescript() would commit first and so break
    the migration's single transaction."""
    lines = [line for line in script.splitlines() if not line.strip().startswith("--")]
    for statement in "\n".join(lines).split(";"):
        if statement.strip():
            db.execute(statement)


def _migration_1(db: sqlite_utils.Database) -> None:
    _run_statements(
        db,
        """
        CREATE TABLE activity_types (
            id INTEGER PRIMARY KEY,
            delius_code TEXT UNIQUE CHECK (delius_code IS NULL OR length(delius_code) BETWEEN 1 AND 10),
            label TEXT NOT NULL UNIQUE CHECK (length(trim(label)) > 0),
            time_class TEXT NOT NULL CHECK (time_class IN
                ('face_to_face','remote_contact','travel','admin','absence')),
            needs_crn INTEGER NOT NULL DEFAULT 0,
            needs_outcome INTEGER NOT NULL DEFAULT 0,
            grp TEXT NOT NULL DEFAULT '',
            active INTEGER NOT NULL DEFAULT 1
        );
        CREATE TABLE outcomes (
            code TEXT PRIMARY KEY,
            label TEXT NOT NULL,
            attended INTEGER NOT NULL,
            complied INTEGER,
            kind TEXT NOT NULL
        );
        CREATE TABLE enforcement_actions (
            code TEXT PRIMARY KEY,
            label TEXT NOT NULL
        );
        CREATE TABLE people (
            crn TEXT PRIMARY KEY CHECK (crn GLOB '[A-Z][0-9][0-9][0-9][0-9][0-9][0-9]'),
            name TEXT NOT NULL DEFAULT ''
        );
        CREATE TABLE settings (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        CREATE TABLE entries (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            type_id INTEGER NOT NULL REFERENCES activity_types(id),
            crn TEXT REFERENCES people(crn),
            start_utc TEXT NOT NULL,
            end_utc TEXT NOT NULL,
            zone TEXT NOT NULL DEFAULT 'Europe/London',
            all_day INTEGER NOT NULL DEFAULT 0,
            outcome_code TEXT REFERENCES outcomes(code),
            enforcement_code TEXT REFERENCES enforcement_actions(code),
            location_code TEXT,
            event_number INTEGER,
            sensitive INTEGER NOT NULL DEFAULT 0,
            alert INTEGER NOT NULL DEFAULT 0,
            rar INTEGER NOT NULL DEFAULT 0,
            notes TEXT NOT NULL DEFAULT '',
            delius_status TEXT NOT NULL DEFAULT 'not_exported'
                CHECK (delius_status IN ('not_exported','exported','entered','changed')),
            delius_exported_utc TEXT,
            delius_export_file TEXT,
            delius_entered_utc TEXT,
            created_utc TEXT NOT NULL,
            updated_utc TEXT NOT NULL,
            CHECK (end_utc > start_utc)
        );
        CREATE INDEX entries_start ON entries(start_utc);
        CREATE INDEX entries_crn ON entries(crn, start_utc);
        CREATE INDEX entries_delius ON entries(delius_status, start_utc);
        -- earlier versions of edited entries, and deleted entries kept for 30 days
        CREATE TABLE entry_history (
            id INTEGER PRIMARY KEY,
            entry_id INTEGER NOT NULL,
            changed_utc TEXT NOT NULL,
            data TEXT NOT NULL
        );
        CREATE INDEX entry_history_entry ON entry_history(entry_id);
        CREATE TABLE bin (
            entry_id INTEGER PRIMARY KEY,
            deleted_utc TEXT NOT NULL,
            data TEXT NOT NULL
        );
        -- unsaved note drafts, so nothing typed is lost if the app closes
        CREATE TABLE drafts (
            key TEXT PRIMARY KEY,
            entry_id INTEGER,
            saved_utc TEXT NOT NULL,
            data TEXT NOT NULL
        );
        """
    )
    for row in resource_csv("activity-types.csv"):
        db.execute(
            "INSERT INTO activity_types (delius_code, label, time_class, needs_crn, needs_outcome, grp)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [row["delius_code"] or None, row["label"], row["time_class"],
             int(row["needs_crn"] == "Y"), int(row["needs_outcome"] == "Y"), row["group"]],
        )
    for row in resource_csv("outcomes.csv"):
        complied = {"Y": 1, "N": 0}.get(row["complied"])
        db.execute(
            "INSERT INTO outcomes (code, label, attended, complied, kind) VALUES (?, ?, ?, ?, ?)",
            [row["code"], row["label"], int(row["attended"] == "Y"), complied, row["kind"]],
        )
    for row in resource_csv("enforcement-actions.csv"):
        db.execute("INSERT INTO enforcement_actions (code, label) VALUES (?, ?)", [row["code"], row["label"]])


# The covering index of migration 4: what timing_between reads (TIMING_SQL), in its order.
TIMING_INDEX_COLUMNS = "start_utc, id, end_utc, type_id, all_day, outcome_code, crn"
TIMING_SQL = ("SELECT id, type_id, {crn}, start_utc, end_utc, all_day, outcome_code FROM entries"
              " WHERE start_utc >= ? AND start_utc < ? AND end_utc > ? ORDER BY start_utc, id")


def _migration_2(db: sqlite_utils.Database) -> None:
    """Calendar (.ics) import: which diary entry each calendar event became, so that a
    re-import updates instead of duplicating (issue 8). recurrence_id is '' for a single
    event; fingerprint is a hash of what the event said, never its text. (Plain execute, not
    executescript, so that the migration stays inside its transaction.)"""
    db.execute(
        """
        CREATE TABLE calendar_links (
            uid TEXT NOT NULL,
            recurrence_id TEXT NOT NULL DEFAULT '',
            entry_id INTEGER NOT NULL,
            sequence INTEGER NOT NULL DEFAULT 0,
            fingerprint TEXT NOT NULL DEFAULT '',
            guess TEXT NOT NULL DEFAULT '',
            last_seen_utc TEXT NOT NULL,
            PRIMARY KEY (uid, recurrence_id)
        )
        """
    )
    db.execute("CREATE INDEX calendar_links_entry ON calendar_links(entry_id)")


def _migration_3(db: sqlite_utils.Database) -> None:
    """A cache of the figures of weeks that are over, so that trends over many weeks need
    not recompute them. Triggers empty the affected weeks on every change to an entry (by
    any path, even plain SQL) and the whole cache on any change to settings or reference
    data, so a cached figure can never be stale."""
    db.execute(
        """
        CREATE TABLE week_figures (
            week_start_utc TEXT PRIMARY KEY,
            week_end_utc TEXT NOT NULL,
            app_version TEXT NOT NULL,
            data TEXT NOT NULL
        )
        """
    )
    forget = "DELETE FROM week_figures WHERE week_start_utc < {0}.end_utc AND week_end_utc > {0}.start_utc;"
    fields = "type_id, crn, start_utc, end_utc, all_day, outcome_code"
    db.execute(f"CREATE TRIGGER week_figures_entry_added AFTER INSERT ON entries"
               f" BEGIN {forget.format('NEW')} END")
    db.execute(f"CREATE TRIGGER week_figures_entry_changed AFTER UPDATE OF {fields} ON entries"
               f" BEGIN {forget.format('OLD')} {forget.format('NEW')} END")
    db.execute(f"CREATE TRIGGER week_figures_entry_deleted AFTER DELETE ON entries"
               f" BEGIN {forget.format('OLD')} END")
    for table in ("settings", "activity_types", "outcomes"):
        for event in ("INSERT", "UPDATE", "DELETE"):
            db.execute(f"CREATE TRIGGER week_figures_{table}_{event.lower()} AFTER {event} ON {table}"
                       " BEGIN DELETE FROM week_figures; END")


def _migration_4(db: sqlite_utils.Database) -> None:
    """A covering index for the time split's reads (timing_between: trends, the caseload
    spread, the week's summary), in their order (start, then id), so that a year of rows comes
    from the index alone instead of one table lookup per row scattered over the file (issue 18:
    the cold fetch of a year at 1,000,000 entries 0.92 s -> 0.23 s in the trial). entries_start
    stays: other queries name it, and it is the narrower index for them."""
    db.execute(f"CREATE INDEX entries_timing ON entries({TIMING_INDEX_COLUMNS})")


MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = [_migration_1, _migration_2, _migration_3,
                                                             _migration_4]
SCHEMA_VERSION = len(MIGRATIONS)


# --- rows <-> records ---------------------------------------------------------------------

ENTRY_COLUMNS = (
    "id, type_id, crn, start_utc, end_utc, zone, all_day, outcome_code, enforcement_code, "
    "location_code, event_number, sensitive, alert, rar, notes, delius_status, "
    "delius_exported_utc, delius_export_file, delius_entered_utc, created_utc, updated_utc"
)


def _opt_utc(text):
    return parse_utc(text) if text else None


def entry_from_row(row: Sequence) -> Entry:
    return Entry(
        id=row[0], type_id=row[1], crn=row[2], start=parse_utc(row[3]), end=parse_utc(row[4]),
        zone=row[5], all_day=bool(row[6]), outcome_code=row[7], enforcement_code=row[8],
        location_code=row[9], event_number=row[10], sensitive=bool(row[11]), alert=bool(row[12]),
        rar=bool(row[13]), notes=row[14], delius_status=row[15],
        delius_exported_at=_opt_utc(row[16]), delius_export_file=row[17],
        delius_entered_at=_opt_utc(row[18]), created=_opt_utc(row[19]), updated=_opt_utc(row[20]),
    )


def _storable(row: dict) -> dict:
    """Refuse, before anything is written, a row whose times would not read back (a year
    outside 1900-2199 would make every later read of its week fail)."""
    for key in ("start_utc", "end_utc"):
        text = row.get(key)
        try:
            year = parse_utc(text).year
        except (TypeError, ValueError):
            year = None
        if year is None or not clock.FIRST_YEAR <= year <= clock.LAST_YEAR:
            raise DiaryError(f"the diary keeps dates from 01/01/{clock.FIRST_YEAR} to 31/12/{clock.LAST_YEAR} "
                             "only; nothing was saved")
    return row


def entry_to_row(entry: Entry) -> dict:
    def opt(value):
        return format_utc(value) if value else None

    return {
        "type_id": entry.type_id, "crn": entry.crn, "start_utc": format_utc(entry.start),
        "end_utc": format_utc(entry.end), "zone": entry.zone, "all_day": int(entry.all_day),
        "outcome_code": entry.outcome_code, "enforcement_code": entry.enforcement_code,
        "location_code": entry.location_code, "event_number": entry.event_number,
        "sensitive": int(entry.sensitive), "alert": int(entry.alert), "rar": int(entry.rar),
        "notes": entry.notes, "delius_status": entry.delius_status,
        "delius_exported_utc": opt(entry.delius_exported_at),
        "delius_export_file": entry.delius_export_file,
        "delius_entered_utc": opt(entry.delius_entered_at),
        "created_utc": opt(entry.created), "updated_utc": opt(entry.updated),
    }


def _entry_json(entry: Entry) -> str:
    row = entry_to_row(entry)
    row["id"] = entry.id
    return json.dumps(row, ensure_ascii=False, sort_keys=True)


def _entry_from_json(text: str) -> Entry:
    row = json.loads(text)
    return entry_from_row([row[c.strip()] for c in ENTRY_COLUMNS.split(",")])


# --- the diary ------------------------------------------------------------------------------

class Diary:
    """An open diary file."""

    encrypted = False  # set by open() when the file is a SQLCipher file
    _passphrase: str | None = None  # kept for backups, restore and the lock screen

    def __init__(self, db: sqlite_utils.Database, path: Path | None):
        self.db = db
        self.path = path
        self._ref: ReferenceData | None = None
        self._settings: Settings | None = None
        self.listeners: list[Callable[[str], None]] = []

    # -- opening

    @classmethod
    def open(cls, path: str | os.PathLike | None = None, *, passphrase: str | None = None,
             create: bool = True, check: bool | None = None, reading: bool = False) -> "Diary":
        """Open or create a diary. With a passphrase it is a SQLCipher file (keyed before any
        other statement); without one, plain SQLite. `check` runs PRAGMA integrity_check
        before anything is written (default: security.needs_check_at_open). The file and its
        -wal/-shm are made private (0600), and the folders we create 0700. `reading`: the
        caller only reads, so a diary on a full disk is still opened (for reading only)."""
        from . import opening

        return opening.open_diary(cls, path, passphrase=passphrase, create=create, check=check, reading=reading)

    @classmethod
    def in_memory(cls) -> "Diary":
        return cls._from_connection(sqlite3.connect(":memory:"), None, True)

    @classmethod
    def _from_connection(cls, conn: sqlite3.Connection, path: Path | None, is_new: bool,
                         check: bool = False) -> "Diary":
        where = str(path) if path else "memory"
        # Read-only checks first: nothing is written to a file we do not recognise.
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        except _OPERATIONAL_ERRORS as exc:
            from .opening import plain_open_error

            raise plain_open_error(where, exc) from None
        except (_DATABASE_ERRORS + (UnicodeDecodeError, ValueError, OverflowError)) as exc:
            raise DamagedDiaryError(f"{where} is damaged or is not a Probation Diary file "
                                    f"({_damage_words(exc)}); it was left untouched") from None
        if app_id != APPLICATION_ID and (tables or version):
            raise DamagedDiaryError(f"{where} is not a Probation Diary file; it was left untouched")
        if version > SCHEMA_VERSION:
            raise DamagedDiaryError(
                f"{where} was written by a newer version of Probation Diary (file version {version}, "
                f"this app understands up to {SCHEMA_VERSION}); please update the app. The file was left untouched."
            )
        if app_id == APPLICATION_ID and version < SCHEMA_VERSION:
            pass  # an older diary: migrated below
        if check and tables:
            from .security import integrity_check

            if integrity_check(conn):
                raise DamagedDiaryError(
                    f"{where} is damaged (it failed its integrity check); it was left untouched")
        try:
            conn.execute("PRAGMA foreign_keys = ON")
            if path is not None:
                conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA synchronous = FULL")
            db = _Database(conn)  # sqlite_utils.Database, made on first write (issue 18)
            diary = cls(db, path)
            diary._migrate(version)
        except _OPERATIONAL_ERRORS as exc:
            from .opening import plain_open_error

            raise plain_open_error(where, exc) from None
        except (_DATABASE_ERRORS + (UnicodeDecodeError,)) as exc:
            raise DamagedDiaryError(f"{where} is damaged or not a diary ({_damage_words(exc)}); "
                                    "it was left untouched") from None
        return diary

    def _migrate(self, version: int) -> None:
        for number, migration in enumerate(MIGRATIONS, start=1):
            if number <= version:
                continue
            with self.db.atomic():
                migration(self.db)
                self.db.conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                self.db.conn.execute(f"PRAGMA user_version = {number}")

    notices: list[str] = []  # things the user should hear about at open (set by open())
    damaged = False  # set when an integrity check fails: from then on nothing is written
    # why the diary was opened for reading only ("full": its disk is full; "disk": a read-only
    # disk; "file": its write permission was taken away), or None: every save then says why,
    # before trying SQLite
    read_only: str | None = None
    on_busy: Callable[[str], None] | None = None  # told when a save must wait for another copy

    def close(self) -> None:
        """Close the connection; the last one of this process lets go of the diary's locks
        just before (store/handles.py)."""
        from . import handles

        path = self.path if getattr(self, "_registered", False) else None
        if path is not None:
            handles.closing(path)
        try:
            self.db.close()
        finally:
            if path is not None:
                self._registered = False
                handles.closed(path)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    @property
    def schema_version(self) -> int:
        return self.db.conn.execute("PRAGMA user_version").fetchone()[0]

    def _notify(self, what: str) -> None:
        for listener in list(self.listeners):
            listener(what)

    def _write(self):
        """A transaction that turns SQLite's errors into plain words."""
        return _WriteGuard(self)

    # -- reference data

    def reference(self) -> ReferenceData:
        if self._ref is None:
            ref = ReferenceData()
            for r in self.db.query("SELECT * FROM activity_types ORDER BY id"):
                ref.types[r["id"]] = ActivityType(
                    id=r["id"], label=r["label"], time_class=r["time_class"],
                    delius_code=r["delius_code"], needs_crn=bool(r["needs_crn"]),
                    needs_outcome=bool(r["needs_outcome"]), group=r["grp"], active=bool(r["active"]),
                )
            for r in self.db.query("SELECT * FROM outcomes ORDER BY rowid"):
                complied = None if r["complied"] is None else bool(r["complied"])
                ref.outcomes[r["code"]] = Outcome(r["code"], r["label"], bool(r["attended"]), complied, r["kind"])
            for r in self.db.query("SELECT * FROM enforcement_actions ORDER BY rowid"):
                ref.enforcement[r["code"]] = EnforcementAction(r["code"], r["label"])
            self._ref = ref
        return self._ref

    def save_activity_type(self, atype: ActivityType) -> ActivityType:
        """Add (id 0) or change an activity type."""
        label = atype.label.strip()
        code = (atype.delius_code or "").strip().upper() or None
        if not label:
            raise DiaryError("an activity type needs a label")
        if atype.time_class not in TIME_CLASSES:
            raise DiaryError(f"'{atype.time_class}' is not a time class; use one of {', '.join(TIME_CLASSES)}")
        if code and len(code) > 10:
            raise DiaryError(f"a Delius code is at most 10 characters; '{code}' has {len(code)}")
        if atype.needs_outcome and not code:
            raise DiaryError("only a type with a Delius code can need an outcome")
        row = {"delius_code": code, "label": label, "time_class": atype.time_class,
               "needs_crn": int(atype.needs_crn), "needs_outcome": int(atype.needs_outcome),
               "grp": atype.group.strip(), "active": int(atype.active)}
        with self._write():
            for other in self.reference().types.values():
                if other.id != atype.id and other.label.lower() == label.lower():
                    raise DiaryError(f"there is already an activity type called '{label}'")
                if code and other.id != atype.id and (other.delius_code or "") == code:
                    raise DiaryError(f"the Delius code {code} is already used by '{other.label}'")
            if atype.id:
                self.db["activity_types"].update(atype.id, row)
                new_id = atype.id
            else:
                new_id = self.db["activity_types"].insert(row).last_pk
        self._ref = None
        self._notify("reference")
        return self.reference().types[new_id]

    def save_outcome(self, outcome: Outcome) -> None:
        code = outcome.code.strip().upper()
        if not code or len(code) > 10 or not outcome.label.strip():
            raise DiaryError("an outcome needs a code of at most 10 characters and a label")
        with self._write():
            self.db["outcomes"].upsert(
                {"code": code, "label": outcome.label.strip(), "attended": int(outcome.attended),
                 "complied": None if outcome.complied is None else int(outcome.complied),
                 "kind": outcome.kind or ("attended" if outcome.attended else "not_attended")},
                pk="code",
            )
        self._ref = None
        self._notify("reference")

    def save_enforcement_action(self, action: EnforcementAction) -> None:
        code = action.code.strip().upper()
        if not code or len(code) > 10 or not action.label.strip():
            raise DiaryError("an enforcement action needs a code of at most 10 characters and a label")
        with self._write():
            self.db["enforcement_actions"].upsert({"code": code, "label": action.label.strip()}, pk="code")
        self._ref = None
        self._notify("reference")

    # -- settings

    def settings(self) -> Settings:
        if self._settings is None:
            values = {r["key"]: r["value"] for r in self.db.query("SELECT key, value FROM settings")}
            self._settings = settings_from_strings(values)
        return self._settings

    def set_setting(self, key: str, value: str) -> Settings:
        typed = parse_setting(key, value)  # raises SettingError with a plain message
        text = Settings(**{key: typed}).to_strings()[key]
        with self._write():
            self.db["settings"].upsert({"key": key, "value": text}, pk="key")
        self._settings = None
        self._notify("settings")
        return self.settings()

    def set_settings(self, values: dict[str, str]) -> Settings:
        """Several settings at once: all are checked before any is written."""
        texts = {}
        for key, value in values.items():
            typed = parse_setting(key, value)
            texts[key] = Settings(**{key: typed}).to_strings()[key]
        with self._write():
            for key, text in texts.items():
                self.db["settings"].upsert({"key": key, "value": text}, pk="key")
        self._settings = None
        self._notify("settings")
        return self.settings()

    def has_setting(self, key: str) -> bool:
        return bool(self.db.execute("SELECT 1 FROM settings WHERE key = ?", [key]).fetchone())

    # -- people

    def people(self) -> list[Person]:
        return [Person(r["crn"], r["name"]) for r in self.db.query("SELECT crn, name FROM people ORDER BY crn")]

    def names_of(self, crns) -> dict[str, str]:
        """The names given to these CRNs (those with one): what a week shows, without reading
        the whole caseload on every refresh."""
        wanted = sorted(set(crns))
        names: dict[str, str] = {}
        for i in range(0, len(wanted), 500):  # (well under SQLite's limit on parameters)
            part = wanted[i:i + 500]
            names.update(self.db.execute(
                f"SELECT crn, name FROM people WHERE name != '' AND crn IN ({', '.join('?' * len(part))})",
                part).fetchall())
        return names

    def person(self, crn: str) -> Person | None:
        row = self.db.execute("SELECT crn, name FROM people WHERE crn = ?", [crn]).fetchone()
        return Person(*row) if row else None

    def save_person(self, crn: str, name: str) -> None:
        from ..core.validation import check_crn

        crn = check_crn(crn)
        with self._write():
            self.db["people"].upsert({"crn": crn, "name": name.strip()}, pk="crn")
        self._notify("people")

    def _ensure_person(self, crn: str | None) -> None:
        if crn:
            self.db.execute("INSERT OR IGNORE INTO people (crn, name) VALUES (?, '')", [crn])

    # -- entries

    def get_entry(self, entry_id: int) -> Entry | None:
        row = self.db.execute(f"SELECT {ENTRY_COLUMNS} FROM entries WHERE id = ?", [entry_id]).fetchone()
        return entry_from_row(row) if row else None

    def add_entry(self, entry: Entry, *, keep_id: bool = False, keep_times: bool = False) -> Entry:
        now = clock.now_utc()
        if not keep_times:
            entry = entry.with_changes(created=now, updated=now)
        row = _storable(entry_to_row(entry))
        if keep_id and entry.id is not None:
            row["id"] = entry.id
        with self._write():
            self._ensure_person(entry.crn)
            new_id = self.db["entries"].insert(row).last_pk
        self._notify("entries")
        return self.get_entry(new_id)

    def add_entries(self, entries: list[Entry]) -> list[Entry]:
        """Several new entries at once (a calendar import), as add_entry saves one: one
        transaction, one notice to the listeners. Returns them as saved, in order."""
        if not entries:
            return []
        now = clock.now_utc()
        rows = [entry_to_row(e.with_changes(created=now, updated=now)) for e in entries]
        columns = list(rows[0])
        sql = f"INSERT INTO entries ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
        conn = self.db.conn
        with self._write():
            conn.executemany("INSERT OR IGNORE INTO people (crn, name) VALUES (?, '')",
                             [(e.crn,) for e in entries if e.crn])
            ids = [conn.execute(sql, [row[c] for c in columns]).lastrowid for row in rows]
        saved = {}
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            query = f"SELECT {ENTRY_COLUMNS} FROM entries WHERE id IN ({', '.join('?' * len(chunk))})"
            saved.update((row[0], entry_from_row(row)) for row in conn.execute(query, chunk))
        self._notify("entries")
        return [saved[i] for i in ids]

    def update_entry(self, entry: Entry) -> Entry:
        """Save an edited entry. The previous version goes to history, and an entry that was
        exported or entered becomes "changed since export" if anything the user sees changed."""
        old = self.get_entry(entry.id)
        if old is None:
            raise DiaryError(f"{entry.ref} is not in the diary (was it deleted?)")
        changed = any(getattr(old, f) != getattr(entry, f) for f in CONTENT_FIELDS)
        if not changed:
            return old
        status = entry.delius_status
        if old.delius_status in (EXPORTED, ENTERED) and status == old.delius_status:
            status = CHANGED
        now = clock.now_utc()
        new = entry.with_changes(updated=now, delius_status=status, created=old.created)
        with self._write():
            self._ensure_person(new.crn)
            self.db["entry_history"].insert(
                {"entry_id": old.id, "changed_utc": format_utc(now), "data": _entry_json(old)})
            self.db["entries"].update(entry.id, _storable(entry_to_row(new)))
        self._notify("entries")
        return self.get_entry(entry.id)

    def restore_version(self, entry: Entry) -> Entry:
        """Put back an entry exactly as it was (for undo): status and times included."""
        with self._write():
            self._ensure_person(entry.crn)
            row = entry_to_row(entry)
            if self.db.execute("SELECT 1 FROM entries WHERE id = ?", [entry.id]).fetchone():
                self.db["entries"].update(entry.id, row)
            else:
                row["id"] = entry.id
                self.db["entries"].insert(row)
            self.db.execute("DELETE FROM bin WHERE entry_id = ?", [entry.id])
        self._notify("entries")
        return self.get_entry(entry.id)

    def delete_entry(self, entry_id: int) -> Entry:
        """Move an entry to the bin, where it can be recovered for 30 days."""
        old = self.get_entry(entry_id)
        if old is None:
            raise DiaryError(f"{Entry(0, clock.now_utc(), clock.now_utc(), id=entry_id).ref} is not in the diary")
        with self._write():
            self.db["bin"].upsert(
                {"entry_id": entry_id, "deleted_utc": format_utc(clock.now_utc()), "data": _entry_json(old)},
                pk="entry_id")
            self.db.execute("DELETE FROM entries WHERE id = ?", [entry_id])
        self._notify("entries")
        return old

    def binned(self) -> list[tuple[dt.datetime, Entry]]:
        return [(parse_utc(r["deleted_utc"]), _entry_from_json(r["data"]))
                for r in self.db.query("SELECT deleted_utc, data FROM bin ORDER BY deleted_utc DESC")]

    def undelete(self, entry_id: int) -> Entry:
        row = self.db.execute("SELECT data FROM bin WHERE entry_id = ?", [entry_id]).fetchone()
        if row is None:
            raise DiaryError("that entry is not in the bin")
        return self.restore_version(_entry_from_json(row[0]))

    def history(self, entry_id: int) -> list[tuple[dt.datetime, Entry]]:
        return [(parse_utc(r["changed_utc"]), _entry_from_json(r["data"]))
                for r in self.db.query(
                    "SELECT changed_utc, data FROM entry_history WHERE entry_id = ? ORDER BY id DESC", [entry_id])]

    def entries_between(self, start: dt.datetime, end: dt.datetime) -> list[Entry]:
        """Entries overlapping [start, end), oldest first. The lower bound on start_utc lets
        SQLite use the index instead of scanning every earlier entry."""
        lower = start - dt.timedelta(minutes=clock.MAX_SPAN_MINUTES)
        rows = self.db.execute(
            f"SELECT {ENTRY_COLUMNS} FROM entries WHERE start_utc >= ? AND start_utc < ? AND end_utc > ?"
            " ORDER BY start_utc, id",
            [format_utc(lower), format_utc(end), format_utc(start)],
        ).fetchall()
        return [entry_from_row(r) for r in rows]

    def iter_entries_between(self, start: dt.datetime, end: dt.datetime) -> Iterable[Entry]:
        """entries_between, one at a time from the cursor (issue 18: a list of any length in
        constant memory). Each call runs the query afresh."""
        lower = start - dt.timedelta(minutes=clock.MAX_SPAN_MINUTES)
        for row in self.db.conn.execute(
                f"SELECT {ENTRY_COLUMNS} FROM entries WHERE start_utc >= ? AND start_utc < ? AND end_utc > ?"
                " ORDER BY start_utc, id", [format_utc(lower), format_utc(end), format_utc(start)]):
            yield entry_from_row(row)

    def all_entries(self) -> Iterable[Entry]:
        for row in self.db.execute(f"SELECT {ENTRY_COLUMNS} FROM entries ORDER BY start_utc, id"):
            yield entry_from_row(row)

    def first_entry_start(self) -> dt.datetime | None:
        """The start of the earliest entry (None: no entry); the diary's record begins there."""
        row = self.db.execute("SELECT min(start_utc) FROM entries").fetchone()
        return parse_utc(row[0]) if row and row[0] else None

    def changed_elsewhere(self) -> bool:
        """Whether another process (the command line, say) has written to the diary since the
        last call. SQLite's PRAGMA data_version moves only for other connections' commits, so
        this costs one tiny query; the cached settings and reference data are dropped too."""
        try:
            version = self.db.conn.execute("PRAGMA data_version").fetchone()[0]  # a read: no sqlite-utils
        except Exception:  # closed or unreadable: the next real read says why
            return False
        last, self._data_version = getattr(self, "_data_version", None), version
        if last is None or version == last:
            return False
        self._ref = None
        self._settings = None
        return True

    def last_face_to_face(self, crn: str, before: dt.datetime, *, inclusive: bool = False) -> dt.datetime | None:
        """The start (UTC) of the person's latest face-to-face contact starting before
        ``before`` (or at it, when inclusive): a face-to-face type, attended if it needs an
        outcome. Walks the (crn, start_utc) index backwards and stops at the first match."""
        ref = self.reference()
        plain = [t.id for t in ref.types.values() if t.time_class == "face_to_face" and not t.needs_outcome]
        booked = [t.id for t in ref.types.values() if t.time_class == "face_to_face" and t.needs_outcome]
        attended = [o.code for o in ref.outcomes.values() if o.attended]
        if not plain and not booked:
            return None

        def marks(items):
            return ",".join("?" * len(items)) or "NULL"

        row = self.db.execute(
            "SELECT start_utc FROM entries INDEXED BY entries_crn"
            f" WHERE crn = ? AND start_utc {'<=' if inclusive else '<'} ?"
            f" AND (type_id IN ({marks(plain)}) OR (type_id IN ({marks(booked)}) AND outcome_code IN ({marks(attended)})))"
            " ORDER BY start_utc DESC LIMIT 1",
            [crn, format_utc(before), *plain, *booked, *attended],
        ).fetchone()
        return parse_utc(row[0]) if row else None

    def is_usable(self) -> bool:
        """False once closed (a window can outlive its diary) or when the file cannot be read."""
        try:
            self.db.conn.execute("SELECT 1").fetchone()
        except Exception:
            return False
        return True

    def count_entries(self) -> int:
        return self.db.execute("SELECT count(*) FROM entries").fetchone()[0]

    def timing_between(self, start: dt.datetime, end: dt.datetime, *, with_crn: bool = True) -> list[Timing]:
        """The entries entries_between would return (same index-bounded query, same order), but
        only the fields the time split reads: much cheaper over many weeks of a large diary.
        Without CRNs when the figures do not need them (it spares the per-person work)."""
        lower = start - dt.timedelta(minutes=clock.MAX_SPAN_MINUTES)
        rows = self.db.execute(
            TIMING_SQL.format(crn="crn" if with_crn else "NULL"),
            [format_utc(lower), format_utc(end), format_utc(start)],
        ).fetchall()
        return [Timing(r[0], r[1], r[2], parse_utc(r[3]), parse_utc(r[4]), bool(r[5]), r[6]) for r in rows]

    def week_summaries(self, weeks: Sequence[Week], now: dt.datetime | None = None) -> list[WeekSummary]:
        """Summaries of many weeks (in order). A week that is over comes from the cache of
        figures (kept exact by triggers, see migration 3); the others are computed from one
        fetch, and the finished ones among them are cached."""
        from .. import __version__

        # figures cached under older rules are never served (see timesplit.FIGURES_VERSION)
        version = f"{__version__}+figures{FIGURES_VERSION}"
        now = now or clock.now_utc()
        weeks = list(weeks)
        if not weeks:
            return []
        cached = {
            r[0]: r[1] for r in self.db.execute(
                "SELECT week_start_utc, data FROM week_figures WHERE app_version = ?"
                " AND week_start_utc >= ? AND week_start_utc <= ?",
                [version, format_utc(min(w.start for w in weeks)), format_utc(max(w.start for w in weeks))])
        }
        found: dict[Week, WeekSummary] = {}
        for w in weeks:
            data = cached.get(format_utc(w.start))
            if data is not None and w.end <= now:
                found[w] = summary_from_data(w, json.loads(data))
        missing = sorted((w for w in weeks if w not in found), key=lambda w: w.monday)
        if missing:
            ref = self.reference()
            timings = self.timing_between(missing[0].start, missing[-1].end)
            fresh = summarise_weeks(missing, timings, ref.types, ref.outcomes, self.settings(), now)
            found.update(zip(missing, fresh))
            done = [(w, s) for w, s in zip(missing, fresh) if w.end <= now]
            if done:
                try:
                    with self._write():
                        self.db.conn.executemany(
                            "INSERT OR REPLACE INTO week_figures (week_start_utc, week_end_utc, app_version, data)"
                            " VALUES (?, ?, ?, ?)",
                            [(format_utc(w.start), format_utc(w.end), version,
                              json.dumps(summary_to_data(s), separators=(",", ":"))) for w, s in done])
                except DiaryError:
                    pass  # a read-only diary: the figures are right, just not kept
        return [found[w] for w in weeks]

    def week_summary(self, week: Week, now: dt.datetime | None = None) -> WeekSummary:
        ref = self.reference()
        return summarise_week(
            week, self.timing_between(week.start, week.end), ref.types, ref.outcomes,
            self.settings(), now or clock.now_utc())

    # -- Delius status

    def set_delius_status(self, ids: Iterable[int], status: str, *, file: str | None = None,
                          when: dt.datetime | None = None) -> list[Entry]:
        """Move entries to a Delius status; returns their previous versions (for undo)."""
        if status not in DELIUS_STATUSES:
            raise DiaryError(f"unknown Delius status {status}")
        when = when or clock.now_utc()
        before = []
        with self._write():
            for entry_id in ids:
                old = self.get_entry(entry_id)
                if old is None:
                    continue
                before.append(old)
                changes = {"delius_status": status}
                if status == EXPORTED:
                    changes.update(delius_exported_utc=format_utc(when), delius_export_file=file)
                elif status == ENTERED:
                    changes.update(delius_entered_utc=format_utc(when))
                elif status == NOT_EXPORTED:
                    changes.update(delius_exported_utc=None, delius_export_file=None, delius_entered_utc=None)
                self.db["entries"].update(entry_id, changes)
        self._notify("entries")
        return before

    def mark_exported(self, ids: Iterable[int], file: str, when: dt.datetime | None = None) -> int:
        """Record one Delius export of many entries at once (issue 5): each becomes
        "exported" with the time and the file; an entry already entered in Delius stays
        entered. Returns how many entries changed."""
        stamp = format_utc(when or clock.now_utc())
        with self._write():
            # The ids go through a temporary table, not a Python list (issue 18: an export of
            # any size in constant memory); its primary key keeps them in table order, so each
            # page of the table is written once.
            conn = self.db.conn
            conn.execute("CREATE TEMP TABLE IF NOT EXISTS exported_ids (id INTEGER PRIMARY KEY)")
            conn.execute("DELETE FROM temp.exported_ids")
            conn.executemany("INSERT OR IGNORE INTO temp.exported_ids (id) VALUES (?)", ((i,) for i in ids))
            count = conn.execute(
                "UPDATE entries SET delius_status = ?, delius_exported_utc = ?, delius_export_file = ?"
                " WHERE id IN (SELECT id FROM temp.exported_ids) AND delius_status != ?",
                [EXPORTED, stamp, file, ENTERED]).rowcount
            conn.execute("DELETE FROM temp.exported_ids")
        self._notify("entries")
        return count

    # -- calendar (.ics) import, issue 8

    def transaction(self):
        """Group several writes (including the methods above) into one: all or nothing."""
        return self._write()

    def area_setting(self, key: str) -> str | None:
        """A setting an area keeps for itself (such as 'ics_keywords'), as stored text."""
        row = self.db.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
        return row[0] if row else None

    def set_area_setting(self, key: str, value: str) -> None:
        if key in SETTING_KEYS:
            raise DiaryError(f"{key} is one of the main settings; use set_setting")
        with self._write():
            self.db["settings"].upsert({"key": key, "value": value}, pk="key")
        self._notify("settings")

    def calendar_links(self) -> dict[tuple[str, str], dict]:
        """(uid, recurrence_id) -> the calendar_links row."""
        return {(r["uid"], r["recurrence_id"]): r for r in self.db.query("SELECT * FROM calendar_links")}

    def save_calendar_link(self, row: dict) -> None:
        with self._write():
            self.db["calendar_links"].upsert(row, pk=("uid", "recurrence_id"))

    def save_calendar_links(self, rows: list[dict]) -> None:
        """Several calendar_links rows at once (as save_calendar_link, in one statement)."""
        if not rows:
            return
        columns = list(rows[0])
        sql = (f"INSERT OR REPLACE INTO calendar_links ({', '.join(columns)})"
               f" VALUES ({', '.join('?' * len(columns))})")
        with self._write():
            self.db.conn.executemany(sql, [[row[c] for c in columns] for row in rows])

    def delete_calendar_links(self, keys) -> None:
        """Forget which entry these (uid, recurrence_id) events became (undo of an import)."""
        with self._write():
            for uid, rid in keys:
                self.db.execute("DELETE FROM calendar_links WHERE uid = ? AND recurrence_id = ?", [uid, rid])

    def calendar_linked_entry_ids(self) -> set[int]:
        return {r[0] for r in self.db.execute("SELECT entry_id FROM calendar_links")}

    # -- drafts

    def save_draft(self, key: str, data: dict, entry_id: int | None = None) -> None:
        with self._write():
            self.db["drafts"].upsert(
                {"key": key, "entry_id": entry_id, "saved_utc": format_utc(clock.now_utc()),
                 "data": json.dumps(data, ensure_ascii=False)}, pk="key")

    def drafts(self) -> list[dict]:
        return [{"key": r["key"], "entry_id": r["entry_id"], "saved": parse_utc(r["saved_utc"]),
                 "data": json.loads(r["data"])} for r in self.db.query("SELECT * FROM drafts ORDER BY saved_utc")]

    def discard_draft(self, key: str) -> None:
        with self._write():
            self.db.execute("DELETE FROM drafts WHERE key = ?", [key])

    # -- integrity and retention (issue 6)

    def integrity_check(self) -> list[str]:
        """[] if the full PRAGMA integrity_check passes (indexes checked against their tables
        too), else plain complaints."""
        from .security import integrity_check

        return integrity_check(self.db.conn)

    def quick_check(self) -> list[str]:
        """[] if PRAGMA quick_check passes, else SQLite's complaints."""
        from .security import quick_check

        return quick_check(self.db.conn)

    def purge_bin(self, now: dt.datetime | None = None, days: int = 30) -> int:
        """Delete for good the entries binned more than `days` ago, with their earlier versions."""
        cutoff = format_utc((now or clock.now_utc()) - dt.timedelta(days=days))
        old = [r[0] for r in self.db.execute("SELECT entry_id FROM bin WHERE deleted_utc < ?", [cutoff])]
        if not old:
            return 0
        self.db.conn.execute("PRAGMA secure_delete = ON")
        with self._write():
            for entry_id in old:
                if self.db.execute("SELECT 1 FROM entries WHERE id = ?", [entry_id]).fetchone() is None:
                    self.db.execute("DELETE FROM entry_history WHERE entry_id = ?", [entry_id])
                self.db.execute("DELETE FROM bin WHERE entry_id = ?", [entry_id])
        return len(old)

    def anonymise_entries(self, ids: Sequence[int]) -> int:
        """Remove the personal data of these entries, keeping their time figures: notes and
        CRN go, their earlier versions and drafts go, and a person's name goes once no entry
        refers to them. One transaction; freed pages are zeroed (secure_delete)."""
        if not hasattr(ids, "__getitem__"):
            ids = list(ids)  # a list or a compact array (store.retention.plan) is used as it is
        self.db.conn.execute("PRAGMA secure_delete = ON")
        with self._write():
            for i in range(0, len(ids), 500):
                chunk = list(ids[i:i + 500])
                marks = ",".join("?" * len(chunk))
                self.db.execute(f"UPDATE entries SET notes = '', crn = NULL WHERE id IN ({marks})", chunk)
                self.db.execute(f"DELETE FROM entry_history WHERE entry_id IN ({marks})", chunk)
                self.db.execute(f"DELETE FROM drafts WHERE entry_id IN ({marks})", chunk)
            self.db.execute(
                "DELETE FROM people WHERE crn NOT IN (SELECT crn FROM entries WHERE crn IS NOT NULL)")
        self._notify("entries")
        self._notify("people")
        return len(ids)


def read_damage_words(exc: BaseException) -> str | None:
    """SQLite's or SQLCipher's words when ``exc`` says a page of the file read back damaged
    (SQLITE_CORRUPT "database disk image is malformed", SQLITE_NOTADB "file is not a
    database", which is also how SQLCipher reports a page failing its HMAC check), else None.
    For a command line that hit a damaged page after the file opened (issue 18: a command that
    only reads skips the integrity check at open)."""
    if type(exc).__name__ != "DatabaseError" or not isinstance(exc, _DATABASE_ERRORS):
        return None  # locked, full, read-only, a constraint: not damage
    text = str(exc).lower()
    if "malformed" not in text and "not a database" not in text:
        return None
    return _damage_words(exc)


def _damage_words(exc: BaseException) -> str:
    """SQLite's complaint without anything read from the file (a codec error quotes bytes)."""
    if isinstance(exc, UnicodeDecodeError):
        return "its text is not readable"
    return str(exc).split("\n")[0][:120] or type(exc).__name__


BUSY_FIRST_MS = 2_000  # how long a write waits quietly for another copy to finish saving
BUSY_LONG_MS = 120_000  # then, having said so, how long it waits in all
BUSY_QUIET_MS = 10_000  # how long it waits more when there is no one to tell (on_busy unset)


class _WriteGuard:
    def __init__(self, diary: Diary):
        self.diary = diary
        self.atomic = None

    def __enter__(self):
        diary = self.diary
        if diary.damaged:
            raise DamagedDiaryError("the diary failed its integrity check, so nothing more is written to it; "
                                    "restore the newest good backup")
        if diary.read_only == "full":
            raise DiskFullError("the disk holding the diary was full when it was opened, so it is open for "
                                "reading only; free some space, then close it and open it again")
        if diary.read_only == "disk":
            raise ReadOnlyDiaryError("the diary is on a read-only disk, so it is open for reading only and "
                                     "nothing was saved")
        if diary.read_only == "file":
            raise ReadOnlyDiaryError("the diary file is read-only (its write permission was taken away), so "
                                     "nothing was saved")
        conn = diary.db.conn
        self.began = False
        if not conn.in_transaction and diary.path is not None:
            self._begin(conn)
            self.began = True
        self.atomic = diary.db.atomic()
        self.atomic.__enter__()
        return diary.db

    def _begin(self, conn) -> None:
        """BEGIN IMMEDIATE: take the write lock up front. If another copy is saving (a long
        import, say), wait quietly for a moment, then say so and wait much longer."""
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_FIRST_MS}")
            conn.execute("BEGIN IMMEDIATE")
            return
        except _OPERATIONAL_ERRORS as exc:
            if "locked" not in str(exc) and "busy" not in str(exc):
                raise DiaryError(_plain_sqlite_error(exc)) from None
        notice = getattr(self.diary, "on_busy", None)
        if notice is not None:
            notice(f"the diary is busy: another copy of Probation Diary is saving (a long import?); "
                   f"waiting up to {BUSY_LONG_MS // 1000} seconds")
        # without anyone to tell (the window's thread must not freeze for minutes), a shorter
        # wait; the window then says "busy, try again" and keeps what was typed
        wait = BUSY_LONG_MS if notice is not None else BUSY_QUIET_MS
        try:
            conn.execute(f"PRAGMA busy_timeout = {wait}")
            conn.execute("BEGIN IMMEDIATE")
        except _OPERATIONAL_ERRORS as exc:
            raise BusyError(_plain_sqlite_error(exc)) from None
        finally:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_FIRST_MS}")

    def __exit__(self, exc_type, exc, tb):
        conn = self.diary.db.conn
        try:
            suppressed = self.atomic.__exit__(exc_type, exc, tb)
            if self.began:
                if exc_type is None or suppressed:
                    conn.commit()
                elif conn.in_transaction:
                    conn.rollback()
        except _SQL_ERRORS as commit_error:
            if self.began and conn.in_transaction:
                try:
                    conn.rollback()
                except _SQL_ERRORS:
                    pass
            exc = commit_error
            exc_type = type(commit_error)
            suppressed = False
        if exc_type is None or suppressed:
            return suppressed
        if isinstance(exc, _SQL_ERRORS):
            # the transaction was rolled back: nothing was written
            self.diary._ref = None
            self.diary._settings = None
            text = str(exc)
            kind = (DiskFullError if "full" in text else ReadOnlyDiaryError if "readonly" in text
                    else BusyError if ("locked" in text or "busy" in text) else DiaryError)
            raise kind(_plain_sqlite_error(exc)) from exc
        return False


def _plain_sqlite_error(exc: sqlite3.Error) -> str:
    text = str(exc)
    if "full" in text:
        return "the disk is full, so nothing was saved; free some space and save again"
    if "readonly" in text:
        return "the diary file is read-only, so nothing was saved"
    if "locked" in text or "busy" in text:
        return "the diary is busy in another copy of Probation Diary, so nothing was saved; try again"
    if "FOREIGN KEY" in text:
        return "that refers to a type, outcome or action the diary does not have, so nothing was saved"
    if "UNIQUE" in text:
        return "that would duplicate something already in the diary, so nothing was saved"
    return f"the diary could not save this ({text}), so nothing was saved"


def import_entries(diary: Diary, entries: list[Entry], names: dict[str, str]) -> list[Entry]:
    """Save imported entries, all or nothing. Entries that carry a reference keep it, so an
    export imported into an empty diary exports again identically."""
    taken = [e.ref for e in entries if e.id is not None and diary.get_entry(e.id) is not None]
    if taken:
        more = f" and {len(taken) - 5} more" if len(taken) > 5 else ""
        raise DiaryError(f"the diary already has {', '.join(taken[:5])}{more}; nothing was imported")
    now = clock.now_utc()
    saved = []
    with diary._write():
        for crn, name in names.items():
            diary.db.execute(
                "INSERT INTO people (crn, name) VALUES (?, ?) ON CONFLICT(crn) DO UPDATE SET name = excluded.name",
                [crn, name])
        for e in entries:
            e = e.with_changes(created=e.created or now, updated=e.updated or now)
            row = _storable(entry_to_row(e))
            if e.id is not None:
                row["id"] = e.id
            diary._ensure_person(e.crn)
            saved.append(diary.db["entries"].insert(row).last_pk)
    diary._notify("entries")
    return [diary.get_entry(i) for i in saved]
