"""The diary as a table: a QAbstractTableModel over SQL.

Rows arrive a page at a time (canFetchMore/fetchMore) by keyset pagination on
(sort key, id), so a diary of a million entries opens at once and scrolls without loading
every row. Sorting and filtering are done by SQLite, never by a proxy over partial data.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from ...core import clock
from ...core.clock import format_utc, parse_utc, to_local
from ...core.model import (
    CLASS_LABELS, CRN_PATTERN, DELIUS_STATUS_LABELS, DELIUS_STATUSES, format_ref,
)
from ...store.diary import Diary
from .. import theme

PAGE = 256
OUTSTANDING = "outstanding"  # Delius filter: exportable and not yet entered
OUTCOME_FILTERS = {
    "awaiting": "Awaiting outcome",
    "attended": "Attended",
    "not_attended": "Not attended",
    "booked": "Booked (future)",
    "not_needed": "No outcome needed",
}
DELIUS_FILTERS = {OUTSTANDING: "Not yet entered in Delius", **DELIUS_STATUS_LABELS}

# key, header, SQL sort key (never NULL, so keyset comparisons work)
COLUMNS = (
    ("ref", "Ref", "e.id"),
    ("date", "Date", "e.start_utc"),
    ("time", "Time", "e.start_utc"),
    ("length", "Length", "(julianday(e.end_utc) - julianday(e.start_utc))"),
    ("type", "Type", "t.label"),
    ("crn", "CRN", "COALESCE(e.crn, '')"),
    ("name", "Name", "COALESCE(p.name, '')"),
    ("class", "Class", "t.time_class"),
    ("outcome", "Outcome", "COALESCE(o.label, '')"),
    ("delius", "Delius", "CASE WHEN t.delius_code IS NULL OR e.crn IS NULL THEN '' ELSE e.delius_status END"),
    ("notes", "Notes", "e.notes"),
)
COLUMN_INDEX = {c[0]: i for i, c in enumerate(COLUMNS)}

_SELECT = (
    "SELECT e.id, e.crn, e.start_utc, e.end_utc, e.all_day, e.outcome_code, e.delius_status,"
    " substr(e.notes, 1, 160), p.name, t.label, t.delius_code, t.time_class, t.needs_outcome,"
    " o.label, {key} AS sort_key"
    " FROM entries e JOIN activity_types t ON t.id = e.type_id"
    " LEFT JOIN people p ON p.crn = e.crn LEFT JOIN outcomes o ON o.code = e.outcome_code"
)
(_ID, _CRN, _START, _END, _ALLDAY, _OUTCODE, _DELIUS, _NOTES, _NAME, _TYPE, _CODE, _CLASS,
 _NEEDS, _OUTLABEL, _KEY) = range(15)


@dataclass(frozen=True)
class EntryFilter:
    person: str = ""             # a CRN, or part of a CRN or name
    type_id: int | None = None
    time_class: str | None = None
    outcome: str | None = None   # a key of OUTCOME_FILTERS
    delius: str | None = None    # a Delius status or OUTSTANDING
    text: str = ""               # in the notes
    start: dt.datetime | None = None  # UTC range on the start time
    end: dt.datetime | None = None

    def with_changes(self, **kw) -> "EntryFilter":
        return replace(self, **kw)

    @property
    def active(self) -> bool:
        return self != EntryFilter()


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def filter_sql(f: EntryFilter, now: dt.datetime) -> tuple[list[str], list]:
    where: list[str] = []
    args: list = []
    person = f.person.strip()
    if person:
        if CRN_PATTERN.match(person.upper()):
            where.append("e.crn = ?")
            args.append(person.upper())
        else:
            where.append("(e.crn LIKE ? ESCAPE '\\' OR p.name LIKE ? ESCAPE '\\')")
            args += [_like(person), _like(person)]
    if f.type_id is not None:
        where.append("e.type_id = ?")
        args.append(f.type_id)
    if f.time_class:
        where.append("t.time_class = ?")
        args.append(f.time_class)
    nowtext = format_utc(now)
    if f.outcome == "awaiting":
        where.append("t.needs_outcome = 1 AND e.outcome_code IS NULL AND e.start_utc <= ?")
        args.append(nowtext)
    elif f.outcome == "booked":
        where.append("t.needs_outcome = 1 AND e.outcome_code IS NULL AND e.start_utc > ?")
        args.append(nowtext)
    elif f.outcome == "attended":
        where.append("o.attended = 1")
    elif f.outcome == "not_attended":
        where.append("o.attended = 0")
    elif f.outcome == "not_needed":
        where.append("t.needs_outcome = 0")
    if f.delius:
        where.append("t.delius_code IS NOT NULL AND e.crn IS NOT NULL")
        if f.delius == OUTSTANDING:
            where.append("e.delius_status != 'entered'")
        elif f.delius in DELIUS_STATUSES:
            where.append("e.delius_status = ?")
            args.append(f.delius)
    if f.text.strip():
        where.append("e.notes LIKE ? ESCAPE '\\'")
        args.append(_like(f.text.strip()))
    if f.start is not None:
        where.append("e.start_utc >= ?")
        args.append(format_utc(f.start))
    if f.end is not None:
        where.append("e.start_utc < ?")
        args.append(format_utc(f.end))
    return where, args


class EntryTableModel(QAbstractTableModel):
    def __init__(self, diary: Diary, parent=None):
        super().__init__(parent)
        self.diary = diary
        self.filter = EntryFilter()
        self.sort_column = COLUMN_INDEX["date"]
        self.sort_order = Qt.SortOrder.DescendingOrder
        self._rows: list[tuple] = []
        self._exhausted = False
        self.pages_fetched = 0
        self.reload()

    # -- queries

    def set_filter(self, f: EntryFilter) -> None:
        if f != self.filter:
            self.filter = f
            self.reload()

    def reload(self) -> None:
        self.beginResetModel()
        # the first page is part of the reset: no row insertions while a reset is in flight
        self._rows = self._page(None)
        self.pages_fetched = 1
        self._exhausted = len(self._rows) < PAGE
        self.endResetModel()

    def _page(self, after: tuple | None) -> list[tuple]:
        key = COLUMNS[self.sort_column][2]
        where, args = filter_sql(self.filter, clock.now_utc())
        desc = self.sort_order == Qt.SortOrder.DescendingOrder
        if after is not None:
            where.append(f"({key}, e.id) {'<' if desc else '>'} (?, ?)")
            args += [after[_KEY], after[_ID]]
        sql = _SELECT.format(key=key)
        if where:
            sql += " WHERE " + " AND ".join(where)
        direction = "DESC" if desc else "ASC"
        sql += f" ORDER BY sort_key {direction}, e.id {direction} LIMIT {PAGE}"
        return self.diary.db.execute(sql, args).fetchall()

    # -- lazy loading

    def canFetchMore(self, parent=QModelIndex()) -> bool:
        return not parent.isValid() and not self._exhausted

    def fetchMore(self, parent=QModelIndex()) -> None:
        if parent.isValid() or self._exhausted:
            return
        rows = self._page(self._rows[-1] if self._rows else None)
        self.pages_fetched += 1
        if len(rows) < PAGE:
            self._exhausted = True
        if rows:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
            self._rows.extend(rows)
            self.endInsertRows()

    # -- the model

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            if role == Qt.ItemDataRole.DisplayRole:
                return COLUMNS[section][1]
        return None

    def flags(self, index):
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS):
            return
        self.sort_column, self.sort_order = column, Qt.SortOrder(order)
        self.reload()

    def entry_id(self, row: int) -> int | None:
        return self._rows[row][_ID] if 0 <= row < len(self._rows) else None

    def row_of(self, entry_id: int) -> int | None:
        for i, r in enumerate(self._rows):
            if r[_ID] == entry_id:
                return i
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        row = self._rows[index.row()]
        key = COLUMNS[index.column()][0]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._display(row, key)
        if role == Qt.ItemDataRole.UserRole:
            return row[_ID]
        if role == Qt.ItemDataRole.ToolTipRole and key == "notes":
            return row[_NOTES] or None
        if role == Qt.ItemDataRole.DecorationRole and key == "class":
            return theme.class_colour(row[_CLASS])
        if role == Qt.ItemDataRole.TextAlignmentRole and key in ("ref", "length"):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _display(self, row: tuple, key: str) -> str:
        if key == "ref":
            return format_ref(row[_ID])
        start = to_local(parse_utc(row[_START]))
        end = to_local(parse_utc(row[_END]))
        if key == "date":
            return f"{start:%a %d %b %Y}"
        if key == "time":
            return "All day" if row[_ALLDAY] else f"{start:%H:%M}–{end:%H:%M}"
        if key == "length":
            return clock.format_minutes(clock.minutes_between(start, end))
        if key == "type":
            return f"{row[_CODE]} – {row[_TYPE]}" if row[_CODE] else row[_TYPE]
        if key == "crn":
            return row[_CRN] or ""
        if key == "name":
            return row[_NAME] or ""
        if key == "class":
            return CLASS_LABELS.get(row[_CLASS], row[_CLASS])
        if key == "outcome":
            if row[_OUTLABEL]:
                return row[_OUTLABEL]
            if not row[_NEEDS]:
                return "—"
            return "Booked" if parse_utc(row[_START]) > clock.now_utc() else "Awaiting outcome"
        if key == "delius":
            if not row[_CODE] or not row[_CRN]:
                return "—"
            return DELIUS_STATUS_LABELS.get(row[_DELIUS], row[_DELIUS])
        if key == "notes":
            return (row[_NOTES] or "").splitlines()[0] if row[_NOTES] else ""
        return ""
