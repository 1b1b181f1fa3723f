"""The trends view: the last 4, 12 or 52 weeks, as charts and a table, with averages and
medians. Mostly-absent weeks are shown as such, never as 0%."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QComboBox, QGridLayout, QHBoxLayout, QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget,
)

from ..dates import short_date
from ...core import clock, evidence
from ...core.clock import format_minutes
from ...core.timesplit import share_percent
from .. import theme
from .charts import Column, WeekChart

COLUMNS = (
    ("Week", None), ("Face to face", "face_to_face_share"), ("Direct contact", "direct_contact_share"),
    ("Worked", "worked_minutes"), ("Expected", "expected_minutes"), ("Extra", "extra_minutes"),
    ("Unlogged", "unlogged_minutes"), ("Note", None),
)


def _pct(value) -> str:
    return "–" if value is None else share_percent(value)


def _hours(value) -> str:
    return "–" if value is None else format_minutes(round(value))


class TrendTableModel(QAbstractTableModel):
    """One row per week, then the average, median and total rows."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.trend: evidence.Trend | None = None

    def set_trend(self, trend: evidence.Trend | None) -> None:
        self.beginResetModel()
        self.trend = trend
        self.endResetModel()

    def _weeks(self):
        return self.trend.weeks if self.trend else []

    def rowCount(self, parent=QModelIndex()) -> int:
        if parent.isValid() or self.trend is None:
            return 0
        return len(self._weeks()) + 3

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            return COLUMNS[section][0]
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or self.trend is None:
            return None
        row, col = index.row(), index.column()
        weeks = self._weeks()
        name, measure = COLUMNS[col]
        if row < len(weeks):
            w = weeks[row]
            if role == Qt.ItemDataRole.DisplayRole:
                if col == 0:
                    return short_date(w.week_start)
                if name == "Note":
                    return w.status
                value = None if w.before_diary else getattr(w, measure)
                return _pct(value) if measure in evidence.SHARE_MEASURES else _hours(value)
            if role == Qt.ItemDataRole.ForegroundRole and (w.mostly_absence or w.in_progress or w.before_diary):
                return QColor(Qt.GlobalColor.gray)
            if role == Qt.ItemDataRole.ToolTipRole and w.mostly_absence:
                return "Mostly absence: shown, but left out of the averages and medians (not counted as 0%)"
        else:
            kind = ("average", "median", "total")[row - len(weeks)]
            if role == Qt.ItemDataRole.DisplayRole:
                if col == 0:
                    return kind.capitalize()
                if measure is None:
                    return f"over {self.trend.stats['face_to_face_share'].weeks} weeks" if kind != "total" else ""
                stat = self.trend.stats[measure]
                if kind == "total":
                    return "" if measure in evidence.SHARE_MEASURES else _hours(stat.total)
                value = getattr(stat, kind)
                return _pct(value) if measure in evidence.SHARE_MEASURES else _hours(value)
            if role == Qt.ItemDataRole.FontRole:
                font = QFont()
                font.setBold(True)
                return font
        if role == Qt.ItemDataRole.TextAlignmentRole and 0 < col < len(COLUMNS) - 1:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class TrendsView(QWidget):
    def __init__(self, diary, parent=None):
        super().__init__(parent)
        self.diary = diary
        self.setObjectName("trendsView")
        self.weeks_box = QComboBox(self)
        self.weeks_box.setObjectName("trendWeeks")
        for n in evidence.TREND_LENGTHS:
            self.weeks_box.addItem(f"Last {n} weeks", n)
        self.weeks_box.setCurrentIndex(1)
        self.weeks_box.currentIndexChanged.connect(self.refresh)
        self.headline = QLabel(self)
        self.headline.setObjectName("trendHeadline")
        self.headline.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(QLabel("Show:", self))
        top.addWidget(self.weeks_box)
        top.addWidget(self.headline, 1)

        self.f2f_chart = WeekChart("Face-to-face share", _pct, theme.class_colour("face_to_face"), self, step=0.1)
        self.direct_chart = WeekChart("Direct-contact share", _pct, theme.class_colour("remote_contact"), self, step=0.1)
        self.worked_chart = WeekChart("Worked hours (tick: expected)", _hours, theme.class_colour("admin"), self, step=300)
        self.extra_chart = WeekChart("Extra hours", _hours, theme.class_colour("travel"), self, step=300)
        self.unlogged_chart = WeekChart("Unlogged hours", _hours, theme.class_colour("absence"), self, step=300)
        charts = QGridLayout()
        charts.addWidget(self.f2f_chart, 0, 0)
        charts.addWidget(self.direct_chart, 0, 1)
        charts.addWidget(self.worked_chart, 1, 0)
        charts.addWidget(self.extra_chart, 1, 1)
        charts.addWidget(self.unlogged_chart, 2, 0)
        self.legend = QLabel("Hatched: mostly absence or this week so far (left out of the averages). "
                             "abs.: mostly absence, no time worked. –: no time logged, or before the diary started. "
                             "Dashed line: average.", self)
        self.legend.setWordWrap(True)
        charts.addWidget(self.legend, 2, 1)

        self.model = TrendTableModel(self)
        self.table = QTableView(self)
        self.table.setObjectName("trendTable")
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(charts, 3)
        layout.addWidget(self.table, 2)
        self.trend: evidence.Trend | None = None

    @property
    def weeks(self) -> int:
        return self.weeks_box.currentData()

    def set_weeks(self, count: int) -> None:
        self.weeks_box.setCurrentIndex(evidence.TREND_LENGTHS.index(count))

    def refresh(self) -> None:
        self.trend = evidence.diary_trend(self.diary, self.weeks, now=clock.now_utc())
        self.model.set_trend(self.trend)
        weeks = self.trend.weeks
        stats = self.trend.stats

        def cols(measure, second=None):
            return [Column(f"{w.week_start:%d/%m}", None if w.before_diary else getattr(w, measure),
                           getattr(w, second) if second and not w.before_diary else None,
                           muted=not w.counts_for_shares and (w.mostly_absence or w.in_progress), note=w.status)
                    for w in weeks]

        self.f2f_chart.set_data(cols("face_to_face_share"), stats["face_to_face_share"].average)
        self.direct_chart.set_data(cols("direct_contact_share"), stats["direct_contact_share"].average)
        self.worked_chart.set_data(cols("worked_minutes", "expected_minutes"), stats["worked_minutes"].average)
        self.extra_chart.set_data(cols("extra_minutes"), stats["extra_minutes"].average)
        self.unlogged_chart.set_data(cols("unlogged_minutes"), stats["unlogged_minutes"].average)
        f2f = stats["face_to_face_share"]
        absent = sum(w.mostly_absence for w in weeks)
        self.headline.setText(
            f"Face to face: average {_pct(f2f.average)}, median {_pct(f2f.median)} over {f2f.weeks} weeks. "
            f"Extra hours in the period: {_hours(stats['extra_minutes'].total)}."
            + (f" {absent} week(s) mostly absence, not counted." if absent else ""))
