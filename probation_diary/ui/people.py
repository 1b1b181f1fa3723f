"""People: the caseload list. Figures come from core.caseload; this only shows them."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget

from ..core import clock
from ..core.caseload import CaseloadRow, caseload
from ..core.clock import Week, format_minutes, to_local

HEADERS = ("CRN", "Name or initials", "Last face to face", "This week", "Last 4 weeks")


class CaseloadModel(QAbstractTableModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list[CaseloadRow] = []

    def set_rows(self, rows: list[CaseloadRow]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole \
                and 0 <= section < len(HEADERS):
            return HEADERS[section]
        return None

    def flags(self, index):
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def _sort_key(self, row: CaseloadRow, column: int):
        return (row.crn, row.name.lower(), row.last_face_to_face.isoformat() if row.last_face_to_face else "",
                row.week_minutes, row.four_week_minutes)[column]

    def sort(self, column, order=Qt.SortOrder.AscendingOrder):
        if not 0 <= column < len(HEADERS):
            return
        self.layoutAboutToBeChanged.emit()
        self.rows.sort(key=lambda r: (self._sort_key(r, column), r.crn),
                       reverse=order == Qt.SortOrder.DescendingOrder)
        self.layoutChanged.emit()

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row = self.rows[index.row()]
        col = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            if col == 0:
                return row.crn
            if col == 1:
                return row.name
            if col == 2:
                return f"{to_local(row.last_face_to_face):%a %d %b %Y}" if row.last_face_to_face else "none yet"
            if col == 3:
                return format_minutes(row.week_minutes)
            if col == 4:
                return format_minutes(row.four_week_minutes)
        if role == Qt.ItemDataRole.UserRole:
            return row.crn
        if role == Qt.ItemDataRole.TextAlignmentRole and col >= 3:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class PeoplePanel(QWidget):
    person_activated = Signal(str)  # a CRN

    def __init__(self, diary, parent=None):
        super().__init__(parent)
        self.diary = diary
        self.model = CaseloadModel(self)
        self.view = QTableView(self)
        self.view.setObjectName("caseloadTable")
        self.view.setAccessibleName("Caseload")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.view.verticalHeader().hide()
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setMinimumSectionSize(self.fontMetrics().horizontalAdvance("Last 4 weeks") + 24)
        header.setStretchLastSection(False)
        self.view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.view.activated.connect(self._activated)  # double-click, or Enter on a row
        hint = QLabel("Double-click a person (or press Enter) to list their entries.", self)
        hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        layout.addWidget(hint)
        self.week: Week | None = None

    def refresh(self, week: Week) -> None:
        self.week = week
        self.model.set_rows(caseload(self.diary, week, clock.now_utc()))
        header = self.view.horizontalHeader()
        self.model.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())

    def _activated(self, index):
        if index.isValid():
            self.person_activated.emit(self.model.rows[index.row()].crn)
