"""The caseload spread: time per person over a chosen period, their last face-to-face
contact, and who has not been seen for N weeks (highlighted)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QHBoxLayout, QHeaderView, QLabel, QSpinBox, QTableView, QVBoxLayout, QWidget,
)

from ..datefield import DateField, DateRange
from ..dates import short_date
from ...core import clock, evidence
from ...core.clock import format_minutes
from ...core.timesplit import share_percent
from .. import theme
from ..rowsmodel import RowsModel

HEADERS = ("CRN", "Name", "Face to face", "Total", "Last seen face to face", "")


class CaseloadModel(RowsModel):
    headers = HEADERS
    right_aligned = frozenset({2, 3})

    def __init__(self, parent=None):
        super().__init__(parent)
        self.names: dict[str, str] = {}

    def set_spread(self, spread: evidence.CaseloadSpread | None, names: dict[str, str]) -> None:
        self.names = dict(names)
        self.set_rows(spread.people if spread else [])

    def cells(self, p: evidence.PersonSpread) -> tuple:
        return (p.crn, self.names.get(p.crn, ""), format_minutes(p.face_to_face_minutes),
                format_minutes(p.total_minutes),
                short_date(p.last_face_to_face) if p.last_face_to_face else "never",
                "not seen" if p.not_seen else "")

    def role_data(self, p: evidence.PersonSpread, column: int, role):
        if role == Qt.ItemDataRole.UserRole:
            return p.not_seen
        if p.not_seen and role == Qt.ItemDataRole.ForegroundRole:
            return theme.warning_colour()
        if p.not_seen and role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setBold(True)
            return font
        return None


class CaseloadView(QWidget):
    def __init__(self, diary, parent=None):
        super().__init__(parent)
        self.diary = diary
        self.setObjectName("caseloadView")
        today = clock.today_local()
        self.from_edit = DateField(self, day=today - dt.timedelta(weeks=12))
        self.from_edit.setAccessibleName("Period from")
        self.to_edit = DateField(self, day=today)
        self.to_edit.setAccessibleName("Period to")
        self.range = DateRange(self.from_edit, self.to_edit, self,
                               before="The end of the period is before its start.")
        self.range.changed.connect(self.refresh)
        self.weeks_spin = QSpinBox(self)
        self.weeks_spin.setRange(1, 52)
        self.weeks_spin.setValue(4)
        self.weeks_spin.setSuffix(" weeks")
        self.weeks_spin.valueChanged.connect(self.refresh)
        bar = QHBoxLayout()
        highlight = QHBoxLayout()  # a line of its own, so the view fits a narrow (or 200%) screen
        for row, text, w in ((bar, "&From", self.from_edit), (bar, "&to", self.to_edit),
                             (highlight, "&Highlight people not seen for", self.weeks_spin)):
            label = QLabel(text, self)
            label.setBuddy(w)
            row.addWidget(label)
            row.addWidget(w)
        bar.addStretch(1)
        highlight.addStretch(1)
        self.summary = QLabel(self)
        self.summary.setObjectName("caseloadSummary")
        self.summary.setWordWrap(True)
        self.model = CaseloadModel(self)
        self.table = QTableView(self)
        self.table.setObjectName("caseloadTable")
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addLayout(highlight)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        self.spread: evidence.CaseloadSpread | None = None

    def set_period(self, first: dt.date, last: dt.date) -> None:
        self.range.set_range(first, last)

    def refresh(self) -> None:
        first, last = self.range.first, self.range.last
        problem = self.range.problem()
        self.summary.setStyleSheet("color: #c0392b;" if problem else "")
        if problem:
            self.spread = None
            self.model.set_spread(None, {})
            self.summary.setText(problem)
            return
        self.spread = evidence.caseload_spread(self.diary, first, last, not_seen_weeks=self.weeks_spin.value())
        self.model.set_spread(self.spread, {p.crn: p.name for p in self.diary.people()})
        s = self.spread
        top = len(s.top_people)
        conc = "–" if s.concentration is None else share_percent(s.concentration)
        self.summary.setText(
            f"{len(s.people)} people with time in the period. Concentration: {conc} of face-to-face time "
            f"went to the top {top}. {s.not_seen_count} not seen face to face for {s.not_seen_weeks} weeks "
            f"or more (at {short_date(s.today)}).")
