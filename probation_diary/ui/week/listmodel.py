"""The diary as a table: a QAbstractTableModel over SQL.

Rows arrive a page at a time (canFetchMore/fetchMore) by keyset pagination on
(sort key, id), so a diary of a million entries opens at once and scrolls without loading
every row. Sorting and filtering are done by SQLite, never by a proxy over partial data.
"""

from __future__ import annotations

from types import SimpleNamespace

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt

from ...core import clock
from ...core.clock import parse_utc, to_local
from ...core.model import DELIUS_STATUS_LABELS, format_ref
from ...core.timesplit import CountsAs, counts_as
from ..dates import short_date
from ...store import listing as col  # a row's columns: col.ID, col.START, ...
from ...store.diary import Diary
from ...store.listing import (  # noqa: F401 (the window's filters use these names)
    DELIUS_FILTERS, OUTCOME_FILTERS, OUTSTANDING, PAGE, EntryFilter, entry_page,
)
from .. import theme

# key, header
COLUMNS = (
    ("ref", "Ref"),
    ("date", "Date"),
    ("time", "Time"),
    ("length", "Length"),
    ("type", "Type"),
    ("crn", "CRN"),
    ("name", "Name"),
    ("class", "Counts as"),
    ("outcome", "Outcome"),
    ("delius", "Delius"),
    ("notes", "Notes"),
)
COLUMN_INDEX = {c[0]: i for i, c in enumerate(COLUMNS)}


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
        return entry_page(self.diary, self.filter, COLUMNS[self.sort_column][0],
                          self.sort_order == Qt.SortOrder.DescendingOrder, after, clock.now_utc())

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
        return self._rows[row][col.ID] if 0 <= row < len(self._rows) else None

    def row_of(self, entry_id: int) -> int | None:
        for i, r in enumerate(self._rows):
            if r[col.ID] == entry_id:
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
            return row[col.ID]
        if role == Qt.ItemDataRole.ToolTipRole and key == "notes":
            return row[col.NOTES] or None
        if role == Qt.ItemDataRole.DecorationRole and key == "class":
            return theme.class_colour(self._counts(row).time_class or row[col.CLASS])
        if role == Qt.ItemDataRole.TextAlignmentRole and key in ("ref", "length"):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _counts(self, row: tuple):
        ref = self.diary.reference()
        atype = ref.types.get(row[col.TYPEID])
        if atype is None:
            return CountsAs(row[col.CLASS])
        when = SimpleNamespace(start=parse_utc(row[col.START]), end=parse_utc(row[col.END]))
        return counts_as(when, atype, ref.outcomes.get(row[col.OUTCODE] or ""), clock.now_utc())

    def _display(self, row: tuple, key: str) -> str:
        if key == "ref":
            return format_ref(row[col.ID])
        start = to_local(parse_utc(row[col.START]))
        end = to_local(parse_utc(row[col.END]))
        if key == "date":
            return short_date(start.date())
        if key == "time":
            return "All day" if row[col.ALLDAY] else f"{start:%H:%M}–{end:%H:%M}"
        if key == "length":
            return clock.format_minutes(clock.minutes_between(start, end))
        if key == "type":
            return f"{row[col.CODE]} – {row[col.TYPE]}" if row[col.CODE] else row[col.TYPE]
        if key == "crn":
            return row[col.CRN] or ""
        if key == "name":
            return row[col.NAME] or ""
        if key == "class":  # what it counts as now, as the summary and `list` say (not the type's class)
            return self._counts(row).short
        if key == "outcome":
            if row[col.OUTLABEL]:
                return row[col.OUTLABEL]
            if not row[col.NEEDS]:
                return "—"
            return "Booked" if parse_utc(row[col.START]) > clock.now_utc() else "Awaiting outcome"
        if key == "delius":
            if not row[col.CODE] or not row[col.CRN]:
                return "—"
            return DELIUS_STATUS_LABELS.get(row[col.DELIUS], row[col.DELIUS])
        if key == "notes":
            return (row[col.NOTES] or "").splitlines()[0] if row[col.NOTES] else ""
        return ""
