"""People: the caseload list. Figures come from core.caseload; this only shows them."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget

from ..core import clock
from ..core.caseload import CaseloadRow, caseload
from ..core.clock import Week, format_minutes, to_local
from .dates import short_date
from .rowsmodel import RowsModel

HEADERS = ("CRN", "Name or initials", "Last face to face", "Face to face this week", "Total this week",
           "Last 4 weeks")
NAME_COLUMN = 1
NAME_LIMIT = 80


class RenamePersonCommand(QUndoCommand):
    """Give a CRN a name or initials, through the diary's ``save_person``; undo puts back the
    old name. The first redo is done by ``apply()`` so a DiaryError reaches the caller."""

    def __init__(self, diary, crn: str, name: str):
        super().__init__("Name a person")
        self.diary = diary
        person = diary.person(crn)
        self.crn = crn
        self.before = person.name if person else ""
        self.after = name.strip()
        self._skip = False

    def apply(self) -> None:
        self.diary.save_person(self.crn, self.after)
        self._skip = True

    def redo(self) -> None:
        if self._skip:
            self._skip = False
            return
        self.diary.save_person(self.crn, self.after)

    def undo(self) -> None:
        self.diary.save_person(self.crn, self.before)


class CaseloadModel(RowsModel):
    rename_requested = Signal(str, str)  # CRN, the new name or initials
    headers = HEADERS
    right_aligned = frozenset({3, 4, 5})
    sortable = True

    def cells(self, row: CaseloadRow) -> tuple:
        last = short_date(to_local(row.last_face_to_face).date()) if row.last_face_to_face else "none yet"
        return (row.crn, row.name, last, format_minutes(row.week_face_to_face_minutes),
                format_minutes(row.week_minutes), format_minutes(row.four_week_minutes))

    def sort_keys(self, row: CaseloadRow) -> tuple:
        return (row.crn, row.name.lower(), row.last_face_to_face.isoformat() if row.last_face_to_face else "",
                row.week_face_to_face_minutes, row.week_minutes, row.four_week_minutes)

    def role_data(self, row: CaseloadRow, column: int, role):
        if role == Qt.ItemDataRole.EditRole and column == NAME_COLUMN:
            return row.name
        return row.crn if role == Qt.ItemDataRole.UserRole else None

    def flags(self, index):
        flags = super().flags(index)
        if index.isValid() and index.column() == NAME_COLUMN:
            flags |= Qt.ItemFlag.ItemIsEditable  # F2, or just type, to name a person
        return flags

    def setData(self, index, value, role=Qt.ItemDataRole.EditRole):  # noqa: N802
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or index.column() != NAME_COLUMN:
            return False
        name = str(value or "").strip()[:NAME_LIMIT]
        row = self.rows[index.row()]
        if name == row.name:
            return False
        self.rename_requested.emit(row.crn, name)  # the window saves it, undoably, and refreshes
        return True


class PeoplePanel(QWidget):
    person_activated = Signal(str)  # a CRN
    rename_requested = Signal(str, str)  # a CRN and the name or initials the user typed

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
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.EditKeyPressed
                                  | QAbstractItemView.EditTrigger.AnyKeyPressed
                                  | QAbstractItemView.EditTrigger.SelectedClicked)
        self.model.rename_requested.connect(self.rename_requested)
        hint = QLabel("Double-click a person (or press Enter) to list their entries. To give a CRN a name "
                      "or initials, select its name cell and press F2 (or just type).", self)
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
