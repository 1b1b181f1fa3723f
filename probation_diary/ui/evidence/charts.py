"""Small QPainter charts for the trends view: one column per week."""

from __future__ import annotations

import math
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QFontMetrics, QPainter, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from .. import theme


@dataclass
class Column:
    label: str  # e.g. "19/10"
    value: float | None  # None: nothing to draw (no time logged)
    second: float | None = None  # drawn as a tick (e.g. expected hours)
    muted: bool = False  # mostly absence, or the week in progress: drawn hatched, not averaged
    note: str = ""  # tooltip / accessible text


class WeekChart(QWidget):
    """Columns per week with an optional second series drawn as a tick, and the period's
    average as a dashed line. Muted columns are hatched; missing values are marked '–'."""

    def __init__(self, title: str, formatter, colour: QColor, parent=None, *, step: float = 1.0):
        super().__init__(parent)
        self.step = step  # the scale's top is a whole number of steps (10% for shares, 5 h for hours)
        self.title = title
        self.formatter = formatter
        self.colour = QColor(colour)
        self.columns: list[Column] = []
        self.average: float | None = None
        self.second_label = ""
        self.setAccessibleName(title)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)

    def set_data(self, columns: list[Column], average: float | None = None, second_label: str = "") -> None:
        self.columns = list(columns)
        self.average = average
        self.second_label = second_label
        parts = [f"{c.label}: {self.formatter(c.value) if c.value is not None else 'no time logged'}"
                 + (f" ({c.note})" if c.note else "") for c in self.columns]
        self.setAccessibleDescription("; ".join(parts))
        self.setToolTip("\n".join(parts[-16:]))
        self.update()

    def top(self) -> float:
        values = [v for c in self.columns for v in (c.value, c.second) if v is not None]
        if self.average is not None:
            values.append(self.average)
        biggest = max(values + [0])
        return self.step * max(1, math.ceil(biggest / self.step - 1e-9))

    def sizeHint(self) -> QSize:
        return QSize(520, 150)

    def minimumSizeHint(self) -> QSize:
        return QSize(200, 110)

    def paintEvent(self, event):
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        dark = theme.is_dark(self)
        text = self.palette().color(QPalette.ColorRole.WindowText)
        fm = QFontMetrics(self.font())
        line_h = fm.height()
        p.setPen(text)
        title_font = self.font()
        title_font.setBold(True)
        p.setFont(title_font)
        title = self.title
        if self.average is not None:
            title += f"   (average {self.formatter(self.average)})"
        p.drawText(QRectF(0, 0, self.width(), line_h), Qt.AlignmentFlag.AlignLeft, title)
        p.setFont(self.font())
        if not self.columns:
            return
        axis_w = fm.horizontalAdvance(self.formatter(self.top())) + 8
        area = QRectF(axis_w, line_h + 6, self.width() - axis_w - 4, self.height() - 2 * line_h - 12)
        top = self.top()
        grid = theme.grid_line(dark)
        p.setPen(QPen(grid, 1))
        p.drawLine(area.bottomLeft(), area.bottomRight())
        p.setPen(text)
        p.drawText(QRectF(0, area.top() - line_h / 2, axis_w - 4, line_h),
                   Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, self.formatter(top))
        p.drawText(QRectF(0, area.bottom() - line_h / 2, axis_w - 4, line_h),
                   Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, self.formatter(0))
        p.drawText(QRectF(0, area.center().y() - line_h / 2, axis_w - 4, line_h),
                   Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, self.formatter(top / 2))
        p.setPen(QPen(grid, 1, Qt.PenStyle.DotLine))
        p.drawLine(QPointF(area.left(), area.top()), QPointF(area.right(), area.top()))
        p.drawLine(QPointF(area.left(), area.center().y()), QPointF(area.right(), area.center().y()))
        n = len(self.columns)
        slot = area.width() / n
        bar_w = max(2.0, slot * 0.7)
        every = max(1, int(fm.horizontalAdvance("00/00 ") / slot) + 1)
        for i, c in enumerate(self.columns):
            x = area.left() + i * slot + (slot - bar_w) / 2
            if c.value is not None and c.value > 0:
                h = area.height() * c.value / top
                rect = QRectF(x, area.bottom() - h, bar_w, h)
                colour = QColor(self.colour)
                if c.muted:
                    colour.setAlpha(90)
                    p.fillRect(rect, colour)
                    p.fillRect(rect, QBrush(text, Qt.BrushStyle.BDiagPattern))
                else:
                    p.fillRect(rect, colour)
            elif c.value is None:
                p.setPen(text)
                mark = "abs." if c.note == "mostly absence" else "–"
                p.drawText(QRectF(x - slot, area.bottom() - line_h, bar_w + 2 * slot, line_h),
                           Qt.AlignmentFlag.AlignCenter, mark)
            if c.second is not None:
                y = area.bottom() - area.height() * c.second / top
                p.setPen(QPen(text, 2))
                p.drawLine(QPointF(x - 1, y), QPointF(x + bar_w + 1, y))
            if i % every == 0 or i == n - 1:
                p.setPen(text)
                p.drawText(QRectF(area.left() + i * slot - slot, area.bottom() + 2, 3 * slot, line_h),
                           Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, c.label)
        if self.average is not None:
            y = area.bottom() - area.height() * self.average / top
            p.setPen(QPen(theme.warning_colour(dark), 1.5, Qt.PenStyle.DashLine))
            p.drawLine(QPointF(area.left(), y), QPointF(area.right(), y))
        p.end()
