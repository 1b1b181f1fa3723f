"""The summary panel, always beside the week. Every figure comes from the diary's
WeekSummary (core.timesplit); this module only lays them out and paints the charts."""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QBrush, QFont, QFontMetrics, QPainter, QPalette, QPen
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from ..core.clock import format_minutes
from ..core.model import CLASS_LABELS, TIME_CLASSES, WEEKDAY_NAMES
from ..core.timesplit import WeekSummary, share_percent
from . import theme
from .dates import short_date

DELIUS_ITEM = -2  # item data for "contacts not yet entered in Delius"


class ClassChart(QWidget):
    """One horizontal bar per time class, with its hours."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setAccessibleName("Week by time class")
        self.minutes: dict[str, int] = {}
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)

    def set_minutes(self, minutes: dict[str, int]) -> None:
        if minutes == self.minutes:
            return
        self.minutes = dict(minutes)
        self.setAccessibleDescription(", ".join(
            f"{CLASS_LABELS[c]} {format_minutes(self.minutes.get(c, 0))}" for c in TIME_CLASSES))
        self.setToolTip(self.accessibleDescription().replace(", ", "\n"))
        self.update()

    def _row(self) -> int:
        return QFontMetrics(self.font()).height() + 6

    def sizeHint(self) -> QSize:
        return QSize(260, self._row() * len(TIME_CLASSES) + 4)

    def minimumSizeHint(self) -> QSize:
        return QSize(180, self.sizeHint().height())

    def paintEvent(self, event):
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        fm = QFontMetrics(self.font())
        label_w = max(fm.horizontalAdvance(CLASS_LABELS[c]) for c in TIME_CLASSES) + 8
        value_w = fm.horizontalAdvance("000:00") + 6
        bar_w = max(10, self.width() - label_w - value_w)
        biggest = max([self.minutes.get(c, 0) for c in TIME_CLASSES] + [1])
        row = self._row()
        text = self.palette().color(QPalette.ColorRole.WindowText)
        for i, c in enumerate(TIME_CLASSES):
            y = i * row + 2
            p.setPen(text)
            p.drawText(QRectF(0, y, label_w - 6, row), Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                       CLASS_LABELS[c])
            value = self.minutes.get(c, 0)
            w = bar_w * value / biggest
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(theme.class_colour(c, theme.is_dark(self)))
            if w > 0:
                p.drawRoundedRect(QRectF(label_w, y + 3, max(2.0, w), row - 6), 2, 2)
            p.setPen(text)
            p.drawText(QRectF(label_w + bar_w, y, value_w, row),
                       Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight, format_minutes(value))


class DayChart(QWidget):
    """One stacked column per day, coloured by class, with the day's worked hours above."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setAccessibleName("Week by day")
        self.days: list[tuple[str, dict[str, int], int]] = []
        self.planned: list[int] = []
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)

    def set_days(self, days: list[tuple[str, dict[str, int], int]], planned: list[int] | None = None) -> None:
        """(label, minutes by class, worked minutes) for each day, as the summary gives them,
        and each day's planned minutes (drawn hatched on top)."""
        planned = list(planned) if planned else [0] * len(days)
        if (days, planned) == (self.days, self.planned):
            return
        self.days = days
        self.planned = planned
        self.setAccessibleDescription(", ".join(
            f"{d[0]} {format_minutes(d[2])} worked" + (f", {format_minutes(later)} planned" if later else "")
            for d, later in zip(days, self.planned)))
        self.setToolTip(self.accessibleDescription().replace(", ", "\n"))
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(260, QFontMetrics(self.font()).height() * 8)

    def minimumSizeHint(self) -> QSize:
        return QSize(180, self.sizeHint().height())

    def paintEvent(self, event):
        if not self.days:
            return
        p = QPainter(self)  # square columns: no antialiasing (exact, and a fifth of the time)
        fm = QFontMetrics(self.font())
        small = QFont(self.font())
        small.setPointSizeF(max(6.0, self.font().pointSizeF() * 0.85))
        sfm = QFontMetrics(small)
        text = self.palette().color(QPalette.ColorRole.WindowText)
        top, bottom = sfm.height() + 2, self.height() - fm.height() - 2
        col = self.width() / len(self.days)
        biggest = max([sum(m.values()) + later for (_, m, _), later in zip(self.days, self.planned)] + [60])
        p.setPen(QPen(theme.grid_line(theme.is_dark(self)), 1))
        p.drawLine(0, int(bottom), self.width(), int(bottom))
        for i, (label, minutes, worked) in enumerate(self.days):
            x = i * col
            y = bottom
            for c in TIME_CLASSES:
                value = minutes.get(c, 0)
                if not value:
                    continue
                h = (bottom - top) * value / biggest
                p.setPen(Qt.PenStyle.NoPen)
                p.setBrush(theme.class_colour(c, theme.is_dark(self)))
                p.drawRect(QRectF(x + col * 0.18, y - h, col * 0.64, h))
                y -= h
            if self.planned[i]:  # planned: an outline, hatched, not a class colour
                h = (bottom - top) * self.planned[i] / biggest
                rect = QRectF(x + col * 0.18, y - h, col * 0.64, h)
                p.setPen(QPen(theme.grid_line(theme.is_dark(self)).darker(130), 1))
                p.setBrush(QBrush(text, Qt.BrushStyle.BDiagPattern))
                p.drawRect(rect)
                y -= h
            p.setPen(text)
            p.setFont(self.font())
            p.drawText(QRectF(x, bottom + 1, col, fm.height()), Qt.AlignmentFlag.AlignCenter, label)
            if worked:
                p.setFont(small)
                value = format_minutes(worked)
                if sfm.horizontalAdvance(value) > col:
                    value = str(round(worked / 60))
                p.drawText(QRectF(x, y - sfm.height() - 1, col, sfm.height()), Qt.AlignmentFlag.AlignCenter, value)


class SummaryPanel(QFrame):
    entry_clicked = Signal(int)
    delius_outstanding_clicked = Signal()

    def __init__(self, parent=None, *, act_on_now: bool = True):
        """``act_on_now=False`` leaves the act-on list to ``build_act_on()``, which the window
        calls just after its first paint: the list's item-view classes, its rows and their
        wrapped lines were a twentieth of the start-up (issue 18). Until then the figures show,
        and the place under "To act on" is empty."""
        super().__init__(parent)
        self.setObjectName("summaryPanel")
        self.setAccessibleName("Week summary")
        self.setFrameShape(QFrame.Shape.NoFrame)

        self.share = QLabel("–", self)
        self.share.setObjectName("faceToFaceShare")
        big = QFont(self.font())
        big.setPointSizeF(self.font().pointSizeF() * 2.4)
        big.setBold(True)
        self.share.setFont(big)
        self._big_font = big
        self.share.setAccessibleName("Face-to-face share")
        self.share.setWordWrap(True)
        self.direct = QLabel("–", self)
        self.direct.setObjectName("directContactShare")
        mid = QFont(self.font())
        mid.setPointSizeF(self.font().pointSizeF() * 1.5)
        mid.setBold(True)
        self.direct.setFont(mid)
        self._mid_font = mid
        self.direct.setAccessibleName("Direct-contact share")

        shares = QHBoxLayout()
        left = QVBoxLayout()
        left.addWidget(QLabel("Face to face", self))
        left.addWidget(self.share)
        right = QVBoxLayout()
        right.addWidget(QLabel("All direct contact", self))
        right.addWidget(self.direct)
        right.addStretch(1)
        shares.addLayout(left)
        shares.addSpacing(16)
        shares.addLayout(right)
        shares.addStretch(1)

        self.class_chart = ClassChart(self)
        self.day_chart = DayChart(self)

        self.hours: dict[str, QLabel] = {}
        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        for i, (key, label) in enumerate((("worked", "Worked"), ("expected", "Expected"),
                                          ("unlogged", "Unlogged"), ("extra", "Extra"),
                                          ("planned", "Planned"))):
            name = QLabel(label, self)
            value = QLabel("0:00", self)
            value.setObjectName(f"{key}Hours")
            value.setAccessibleName(f"{label} hours")
            value.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            name.setBuddy(value)
            grid.addWidget(name, i // 2, (i % 2) * 2)
            grid.addWidget(value, i // 2, (i % 2) * 2 + 1)
            self.hours[key] = value

        self.act_on = None  # the QListWidget, once built
        self._act_on_rows: tuple | None = None  # what the list shows, to leave it be when unchanged
        self._act_on_waiting: tuple | None = None  # set_summary's rows for a list not built yet
        # "To &act on" once the list is there for Alt+A to reach (without a buddy the & would show)
        act_label = self._act_on_label = QLabel("To act on", self)
        # the list's place, holding the panel's spare height until the list comes, so that nothing
        # moves when it does (an empty layout would give that height to the other rows)
        self._act_on_place = QWidget(self)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        heading = QLabel("This week", self)
        bold = QFont(self.font())
        bold.setBold(True)
        heading.setFont(bold)
        heading.setWordWrap(True)
        self.heading = heading
        layout.addWidget(heading)
        layout.addLayout(shares)
        layout.addWidget(self._caption("By time class"))
        layout.addWidget(self.class_chart)
        layout.addWidget(self._caption("By day"))
        layout.addWidget(self.day_chart)
        layout.addLayout(grid)
        layout.addWidget(act_label)
        layout.addWidget(self._act_on_place, 1)
        if act_on_now:
            self.build_act_on()

    def build_act_on(self) -> None:
        """The act-on list, once; it shows the rows the last set_summary gave."""
        if self.act_on is not None:
            return
        from PySide6.QtWidgets import QListWidget

        self.act_on = QListWidget(self)
        self.act_on.setObjectName("actOnList")
        self.act_on.setAccessibleName("To act on")
        self.act_on.setWordWrap(True)
        self.act_on.itemActivated.connect(self._item_clicked)
        self.act_on.itemClicked.connect(self._item_clicked)
        self._act_on_label.setText("To &act on")
        self._act_on_label.setBuddy(self.act_on)
        place, self._act_on_place = self._act_on_place, None
        self.layout().replaceWidget(place, self.act_on)
        place.deleteLater()
        self.act_on.show()  # (added to a panel already on screen, it would wait for the next loop)
        waiting, self._act_on_waiting = self._act_on_waiting, None
        if waiting is not None:
            self._show_act_on(*waiting)

    def _caption(self, text: str) -> QLabel:
        label = QLabel(text, self)
        label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        return label

    def set_summary(self, summary: WeekSummary, *, outstanding: int = 0,
                    describe: Callable[[int], str] = str) -> None:
        """Show a summary. ``outstanding`` is store.delius.outstanding_count for the week;
        ``describe`` turns an entry id into a line of text for the act-on list."""
        self.heading.setText(f"Week of {short_date(summary.week.monday)}")
        self.share.setText(share_percent(summary.face_to_face_share))
        self.direct.setText(share_percent(summary.direct_contact_share))
        # "no time logged" is words, not a figure: the headline size would not fit the panel
        nothing = summary.face_to_face_share is None
        self.share.setFont(self._mid_font if nothing else self._big_font)
        self.direct.setFont(self.font() if nothing else self._mid_font)
        self.class_chart.set_minutes(summary.minutes)
        self.day_chart.set_days([(WEEKDAY_NAMES[i], d.minutes, d.worked) for i, d in enumerate(summary.days)],
                                [d.planned for d in summary.days])
        for key, value in (("worked", summary.worked_minutes), ("expected", summary.expected_minutes),
                           ("unlogged", summary.unlogged_minutes), ("extra", summary.extra_minutes),
                           ("planned", summary.planned_minutes)):
            self.hours[key].setText(format_minutes(value))
        self.hours["planned"].setToolTip("Booked for later: counted as worked once it has happened")

        if self.act_on is None:
            self._act_on_waiting = (summary, outstanding, describe)
            return
        self._show_act_on(summary, outstanding, describe)

    def _show_act_on(self, summary: WeekSummary, outstanding: int, describe: Callable[[int], str]) -> None:
        from PySide6.QtWidgets import QListWidgetItem

        groups = (
            (f"Overlapping entries ({format_minutes(summary.overlap_minutes)})", summary.overlap_ids),
            (f"Awaiting an outcome ({format_minutes(summary.awaiting_outcome_minutes)})",
             summary.awaiting_outcome_ids),
            (f"Booked, not attended ({format_minutes(summary.not_attended_minutes)})", summary.not_attended_ids),
        )
        rows = [(title, [(i, describe(i)) for i in sorted(ids)]) for title, ids in groups if ids]
        if (rows, outstanding) == self._act_on_rows:
            return  # most saves leave this list as it was: rebuilding it is most of a frame
        self._act_on_rows = (rows, outstanding)
        self.act_on.clear()
        for title, lines in rows:
            self._header_item(title)
            for entry_id, text in lines:
                item = QListWidgetItem("   " + text)
                item.setData(Qt.ItemDataRole.UserRole, entry_id)
                self.act_on.addItem(item)
        if outstanding:
            item = QListWidgetItem(
                f"Not yet entered in Delius: {outstanding} contact{'s' if outstanding != 1 else ''}")
            item.setData(Qt.ItemDataRole.UserRole, DELIUS_ITEM)
            item.setToolTip("List them")
            self.act_on.addItem(item)
        if self.act_on.count() == 0:
            self._header_item("Nothing to act on")

    def _header_item(self, text: str) -> None:
        from PySide6.QtWidgets import QListWidgetItem

        item = QListWidgetItem(text)
        font = QFont(self.font())
        font.setBold(True)
        item.setFont(font)
        item.setFlags(Qt.ItemFlag.ItemIsEnabled)
        self.act_on.addItem(item)

    def items(self) -> list[tuple[str, int | None]]:
        self.build_act_on()
        return [(self.act_on.item(i).text().strip(), self.act_on.item(i).data(Qt.ItemDataRole.UserRole))
                for i in range(self.act_on.count())]

    def _item_clicked(self, item) -> None:
        data = item.data(Qt.ItemDataRole.UserRole)
        if data == DELIUS_ITEM:
            self.delius_outstanding_clicked.emit()
        elif isinstance(data, int):
            self.entry_clicked.emit(data)
