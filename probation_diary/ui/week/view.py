"""The week view: Monday to Sunday over a time grid, like a calendar's week view.

A custom-painted QAbstractScrollArea. It is given what to show (entries, reference data,
names, flags and bank holidays, all from the diary and its week summary) and computes no
figure itself; the only arithmetic here is geometry.
"""

from __future__ import annotations

import datetime as dt
import math

from PySide6.QtCore import QEvent, QPointF, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QBrush, QColor, QFont, QFontMetrics, QPainter, QPainterPath, QPalette, QPen, QPixmap,
)
from PySide6.QtWidgets import QAbstractScrollArea, QToolTip, QWidget

from ...core.clock import Week, to_local
from ...core.record import record
from ...core.model import (
    ABSENCE, CHANGED, DELIUS_STATUS_LABELS, ENTERED, EXPORTED, NOT_EXPORTED, ActivityType, Entry,
    ReferenceData,
)
from ...core.timesplit import AWAITING_OUTCOME, NOT_ATTENDED, CountsAs
from .. import theme
from .layout import (
    Block, day_edges, day_weights, layout_day, marker_at_top, overlap_spans, overlapping_ids,
)
from ..dates import day_label, long_date, short_date

BLOCK_PAD = 2  # pixels round a block's pixmap, for the selection's outline
BLOCK_PIXMAPS_KEPT = 400  # blocks drawn before, kept for the next paint (a week has about 50)

DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@record
class StripItem:
    entry_id: int | None    # None for a bank holiday
    day: int
    text: str
    time_class: str
    row: int = 0


def person_label(entry: Entry, names: dict[str, str]) -> str:
    if not entry.crn:
        return ""
    return names.get(entry.crn) or entry.crn


def describe(entry: Entry, ref: ReferenceData, names: dict[str, str], flag: str | None = None,
             counts: CountsAs | None = None) -> str:
    """A one-line plain description, for tooltips, accessible text and the act-on list. With
    ``counts`` (core.timesplit.counts_as), it says what the entry counts as now and why."""
    atype = ref.types.get(entry.type_id)
    start, end = to_local(entry.start), to_local(entry.end)
    when = short_date(start.date()) + ("" if entry.all_day else f" {start:%H:%M}–{end:%H:%M}")
    parts = [when, atype.label if atype else "?"]
    who = person_label(entry, names)
    if who:
        parts.append(who if who == entry.crn else f"{who} ({entry.crn})")
    if counts is not None:
        parts.append(counts.text)
    elif flag == AWAITING_OUTCOME:
        parts.append("awaiting outcome")
    elif flag == NOT_ATTENDED:
        parts.append("booked, not attended")
    return " · ".join(parts)


def short_type(atype: ActivityType | None) -> str:
    """The short type label: the Delius code, or the label of a type without one."""
    if atype is None:
        return "?"
    return atype.delius_code or atype.label


def block_lines(e: Entry, atype: ActivityType | None, who: str, flag: str | None, rows: int,
                fits, *, planned: bool = False) -> list[tuple[str, bool]]:
    """What a block says in ``rows`` lines of text: the person (CRN or name, bold), the type
    (its full "CODE – label" when that ``fits(text, bold)``, else the short label), the time,
    and a flag ("Planned" first); with fewer rows the later parts share the last line ("COAP · 10:00–11:00")."""
    start, end = to_local(e.start), to_local(e.end)
    full = atype.display if atype else "?"
    kind = full if fits(full, False) else short_type(atype)
    time = f"{start:%H:%M}–{end:%H:%M}"
    if not fits(time, False):
        time = f"{start:%H:%M}"
    parts: list[tuple[str, bool]] = []
    if who:
        parts.append((who, True))
    parts.append((kind, False))
    parts.append((time, False))
    if planned:  # not started yet (issue 13): says so before any other flag
        parts.append(("Planned", False))
    elif flag == AWAITING_OUTCOME:
        parts.append(("Awaiting outcome", False))
    elif flag == NOT_ATTENDED:
        parts.append(("Not attended", False))
    if rows >= len(parts):
        return parts
    if rows == 1:
        return [(" · ".join(t for t in (who, short_type(atype), f"{start:%H:%M}") if t), bool(who))]
    head, tail = parts[:rows - 1], parts[rows - 1:]
    shared = " · ".join(t for t, _ in tail[:2] if t)
    return head + [(shared, tail[0][1] and len(tail) == 1)]


class WeekView(QAbstractScrollArea):
    entry_selected = Signal(int)      # -1 when the selection is cleared
    entry_activated = Signal(int)     # double-click or Enter on a block
    slot_activated = Signal(object)   # double-click on empty time: a naive local datetime

    def __init__(self, parent: QWidget | None = None, *, accessible_now: bool = True):
        """``accessible_now=False`` leaves the entry-by-entry interface for assistive technology
        to ``install_accessible()``, called by the window just after its first paint (its Qt
        classes cost about 1.5% of the start-up, issue 18)."""
        if accessible_now:
            from . import access

            access.install()  # before the widget exists, so Qt asks the factory for it from the start
        super().__init__(parent)
        # a viewport made here has its Python type already: asking for the scroll area's own
        # one makes PySide look through every widget class it has not set up yet (~20 ms at start-up)
        self.setViewport(QWidget())
        self.setObjectName("weekView")
        self.setAccessibleName("Week view")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.viewport().setAutoFillBackground(False)
        # every pixel of the viewport is painted here: Qt need not paint the window, splitter and
        # stack beneath it first (a repaint after a save was four full-size fills before the grid)
        self.viewport().setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.week: Week | None = None
        self.today: dt.date | None = None
        self.entries: dict[int, Entry] = {}
        self.ref = ReferenceData()
        self.names: dict[str, str] = {}
        self.flags: dict[int, str] = {}
        self.counts: dict[int, CountsAs] = {}  # what each entry counts as now (core.timesplit)
        self.now: dt.datetime | None = None  # local; the part of an entry after it is planned
        self.holidays: dict[dt.date, str] = {}
        self.working_days: frozenset[int] = frozenset(range(5))
        self.blocks: list[Block] = []
        self.strip: list[StripItem] = []
        self.selected_id: int | None = None
        self._weights = (1.0,) * 7
        self._fm: QFontMetrics | None = None  # the font's metrics, until the font changes
        self._edges_key: tuple | None = None
        self._edges: list[float] = []
        # each block drawn once into a pixmap, kept while it looks the same: a save repaints the
        # week, and all but the changed blocks are then copies (issue 18: one frame at 1M entries)
        self._block_pixmaps: dict[tuple, QPixmap] = {}
        self._grid: tuple[tuple, QPixmap] | None = None  # (what it shows, the grid's pixmap)
        self.overlaps: dict[int, list[tuple[int, int]]] = {}
        self.overlapping: set[int] = set()
        self._scrolled_once = False
        self._last_hour_height = 44

    # -- content

    def set_content(self, week: Week, entries: list[Entry], ref: ReferenceData, *,
                    names: dict[str, str] | None = None, flags: dict[int, str] | None = None,
                    holidays: dict[dt.date, str] | None = None, today: dt.date | None = None,
                    working_days: frozenset[int] | None = None,
                    counts: dict[int, CountsAs] | None = None, now: dt.datetime | None = None) -> None:
        """``counts``: what each entry counts as now (core.timesplit.entry_counts), for its
        colour and words; ``now`` (aware): the parts of entries after it are drawn as planned."""
        other_week = week != self.week
        self.week, self.ref = week, ref
        self.today = today
        self.counts = counts or {}
        self.now = to_local(now) if now is not None else None
        self.entries = {e.id: e for e in entries}
        self.names = names or {}
        self.flags = flags or {}
        self.holidays = holidays or {}
        if working_days is not None:
            self.working_days = working_days
        if self.selected_id not in self.entries:
            self.selected_id = None
        self._build()
        self._relayout()
        if not self._scrolled_once:
            self._scrolled_once = True
            self.scroll_to_minute(7 * 60 + 30)
        if other_week and self.blocks:  # entries above the view (a night shift, say) are brought into it
            earliest = min(b.start_min for b in self.blocks)
            if earliest * self.hour_height / 60 < self.verticalScrollBar().value():
                self.scroll_to_minute(max(0, earliest - 30))
        self.setAccessibleDescription(f"Week beginning {long_date(week.monday)}, {len(entries)} entries")
        self.viewport().update()

    def _build(self) -> None:
        self.blocks, self.strip = [], []
        days = self.week.days
        for i, day in enumerate(days):
            if day in self.holidays:
                self.strip.append(StripItem(None, i, f"Bank holiday: {self.holidays[day]}", ABSENCE))
        for e in self.entries.values():
            atype = self.ref.types.get(e.type_id)
            if e.all_day:
                d = to_local(e.start).date()
                if self.week.monday <= d <= days[-1]:
                    who = person_label(e, self.names)
                    text = atype.label if atype else "?"
                    self.strip.append(StripItem(e.id, d.weekday(), f"{text} {who}".strip(),
                                                atype.time_class if atype else ABSENCE))
                continue
            start, end = to_local(e.start), to_local(e.end)
            day = start.date()
            while day <= end.date() and day <= days[-1]:  # split at midnight
                if day >= self.week.monday:
                    a = start.hour * 60 + start.minute if day == start.date() else 0
                    b = end.hour * 60 + end.minute if day == end.date() else 24 * 60
                    if b > a:
                        self.blocks.append(Block(e.id, (day - self.week.monday).days, a, b))
                day += dt.timedelta(days=1)
        min_minutes = -(-(self._metrics().height() + 4) * 60 // self.hour_height)
        self.overlaps: dict[int, list[tuple[int, int]]] = {}
        self.overlapping: set[int] = set()
        for i in range(7):
            day_blocks = [b for b in self.blocks if b.day == i]
            layout_day(day_blocks, min_minutes)
            self.overlaps[i] = overlap_spans(day_blocks)
            self.overlapping |= overlapping_ids(day_blocks)
        self._weights = tuple(day_weights(self.blocks))
        rows: dict[int, int] = {}
        for item in self.strip:
            item.row = rows.get(item.day, 0)
            rows[item.day] = item.row + 1

    # -- geometry

    def _metrics(self) -> QFontMetrics:
        if self._fm is None:
            self._fm = QFontMetrics(self.font())
            self._gutter = self._fm.horizontalAdvance("00:00") + 14
        return self._fm

    @property
    def gutter(self) -> int:
        self._metrics()
        return self._gutter

    VISIBLE_HOURS = 13  # on a tall screen the hours grow so that about this many fill the view

    @property
    def hour_height(self) -> int:
        base = max(44, int(self._metrics().height() * 3.0))
        visible = self.viewport().height() - self.header_height
        return max(base, visible // self.VISIBLE_HOURS)

    @property
    def day_header_height(self) -> int:
        return int(self._metrics().height() * 1.8)

    @property
    def strip_row_height(self) -> int:
        return self._metrics().height() + 6

    @property
    def header_height(self) -> int:
        rows = max([i.row + 1 for i in self.strip] + [1])
        return self.day_header_height + rows * self.strip_row_height + 6

    def body_height(self) -> int:
        return 24 * self.hour_height

    def column_width(self) -> float:
        """The width of a day with no side-by-side blocks."""
        return self.day_width(min(range(7), key=lambda i: self._weights[i]))

    def day_x(self, day: int) -> float:
        """The left edge of a day's column (viewport x); ``day_x(7)`` is the right edge."""
        return self.edges()[day]

    def edges(self) -> list[float]:
        """Every day's left edge and the last one's right edge, worked out again only when
        the width, the font or the days' weights change."""
        gutter = self.gutter
        key = (self.viewport().width(), gutter, self._weights)
        if key != self._edges_key:
            width = max(20.0 * 7, key[0] - gutter)
            self._edges = [gutter + x for x in day_edges(width, list(self._weights))]
            self._edges_key = key
        return self._edges

    def day_width(self, day: int) -> float:
        return self.day_x(day + 1) - self.day_x(day)

    def day_at(self, x: float) -> int | None:
        for i in range(7):
            if self.day_x(i) <= x < self.day_x(i + 1):
                return i
        return None

    def _relayout(self) -> None:
        hh = self._last_hour_height = self.hour_height
        edges, line = self.edges(), self._metrics().height()
        for b in self.blocks:
            x, cw = edges[b.day] + 2, edges[b.day + 1] - edges[b.day]
            w = (cw - 6) / b.columns
            y1 = b.start_min * hh / 60
            y2 = max(b.end_min * hh / 60, y1 + line + 4)
            # on whole pixels: crisp edges, and a block that has not moved keeps its pixmap
            left, right = round(x + b.column * w), round(x + b.column * w + w * b.span - 2)
            top, bottom = round(y1 + 1), round(y2 - 1)
            b.rect = QRectF(left, top, right - left, bottom - top)
        visible = max(0, self.viewport().height() - self.header_height)
        self.verticalScrollBar().setRange(0, max(0, self.body_height() - visible))
        self.verticalScrollBar().setPageStep(visible)
        self.verticalScrollBar().setSingleStep(hh // 4)

    def is_working(self, day: int) -> bool:
        """A working day of the settings that is not a bank holiday."""
        return day in self.working_days and (self.week is None or self.week.days[day] not in self.holidays)

    def scroll_to_minute(self, minute: int) -> None:
        self.verticalScrollBar().setValue(int(minute * self.hour_height / 60))

    def resizeEvent(self, event):
        old_hour = self.verticalScrollBar().value() / max(1, self._last_hour_height)
        super().resizeEvent(event)
        if self.week is not None:
            self._build()  # the columns of short blocks depend on the hour height
        self._relayout()
        self.verticalScrollBar().setValue(int(old_hour * self.hour_height))

    def changeEvent(self, event):
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange, QEvent.Type.PaletteChange,
                            QEvent.Type.ApplicationFontChange):
            self._fm = None
            self._block_pixmaps.clear()
            self._grid = None
        super().changeEvent(event)
        if self.week is not None:
            self._relayout()

    def sizeHint(self) -> QSize:
        return QSize(self.gutter + 7 * 120, 12 * self.hour_height)

    def minimumSizeHint(self) -> QSize:
        return QSize(self.gutter + 7 * 40, 4 * self.hour_height)

    def _strip_rect(self, item: StripItem) -> QRectF:
        y = self.day_header_height + item.row * self.strip_row_height + 2
        return QRectF(self.day_x(item.day) + 2, y, self.day_width(item.day) - 4, self.strip_row_height - 3)

    def _body_offset(self) -> float:
        return self.header_height - self.verticalScrollBar().value()

    def item_at(self, pos) -> int | None:
        """The entry id under a viewport position (None: empty)."""
        if pos.y() < self.header_height:
            for item in self.strip:
                if item.entry_id is not None and self._strip_rect(item).contains(QPointF(pos)):
                    return item.entry_id
            return None
        body = QPointF(pos.x(), pos.y() - self._body_offset())
        for b in reversed(self.blocks):
            if b.rect.contains(body):
                return b.entry_id
        return None

    def time_at(self, pos) -> dt.datetime | None:
        if self.week is None or pos.y() < self.header_height or pos.x() < self.gutter:
            return None
        day = self.day_at(pos.x())
        if day is None:
            return None
        minute = int((pos.y() - self._body_offset()) * 60 / self.hour_height)
        minute = max(0, min(24 * 60 - 30, minute // 30 * 30))
        return dt.datetime.combine(self.week.days[day], dt.time(minute // 60, minute % 60))

    # -- selection

    def select(self, entry_id: int | None, *, emit: bool = True, reveal: bool = True) -> None:
        if entry_id is not None and entry_id not in self.entries:
            entry_id = None
        changed = entry_id != self.selected_id
        self.selected_id = entry_id
        if entry_id is not None and reveal:
            blocks = [b for b in self.blocks if b.entry_id == entry_id]
            if blocks:
                top = blocks[0].rect.top()
                visible = self.viewport().height() - self.header_height
                sb = self.verticalScrollBar()
                if top < sb.value() or blocks[0].rect.bottom() > sb.value() + visible:
                    sb.setValue(int(top - self.hour_height / 2))
            e = self.entries[entry_id]
            self.setAccessibleDescription(
                "Selected: " + describe(e, self.ref, self.names, self.flags.get(entry_id),
                                        self.counts.get(entry_id)))
        self.viewport().update()
        if changed:
            from .access import announce_selection

            announce_selection(self)
        if changed and emit:
            self.entry_selected.emit(-1 if entry_id is None else entry_id)

    def install_accessible(self) -> None:
        """One accessible child per entry (ui/week/access.py)."""
        from . import access

        access.install(self)

    def accessible_ids(self) -> list[int]:
        """The entries shown this week, each once, in time order (whole-day ones first)."""
        return self._ordered_ids()

    def entry_rect(self, entry_id: int) -> QRect | None:
        """Where an entry is drawn in viewport coordinates (its first block), or None when it
        is scrolled out of sight."""
        header = self.header_height
        for item in self.strip:
            if item.entry_id == entry_id:
                return self._strip_rect(item).toAlignedRect()
        offset = self._body_offset()
        for b in self.blocks:
            if b.entry_id == entry_id and b.rect is not None:
                r = b.rect.translated(0, offset)
                if r.bottom() < header or r.top() > self.viewport().height():
                    continue
                return r.toAlignedRect()
        return None

    def _ordered_ids(self) -> list[int]:
        return [e.id for e in sorted(self.entries.values(), key=lambda e: (not e.all_day, e.start, e.id))]

    # -- events

    def mousePressEvent(self, event):
        if event.button() == Qt.MouseButton.LeftButton:
            self.select(self.item_at(event.position().toPoint()), reveal=False)
        super().mousePressEvent(event)

    def mouseDoubleClickEvent(self, event):
        pos = event.position().toPoint()
        hit = self.item_at(pos)
        if hit is not None:
            self.select(hit, reveal=False)
            self.entry_activated.emit(hit)
        else:
            when = self.time_at(pos)
            if when is not None:
                self.slot_activated.emit(when)

    def keyPressEvent(self, event):
        key = event.key()
        ids = self._ordered_ids()
        if key in (Qt.Key.Key_Down, Qt.Key.Key_Right, Qt.Key.Key_Up, Qt.Key.Key_Left) and ids \
                and not event.modifiers() & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier):
            if self.selected_id not in ids:
                new = ids[0]
            else:
                step = 1 if key in (Qt.Key.Key_Down, Qt.Key.Key_Right) else -1
                new = ids[max(0, min(len(ids) - 1, ids.index(self.selected_id) + step))]
            self.select(new)
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.selected_id is not None:
            self.entry_activated.emit(self.selected_id)
            return
        if key == Qt.Key.Key_Escape and self.selected_id is not None:
            self.select(None)
            return
        super().keyPressEvent(event)

    def viewportEvent(self, event):
        if event.type() == event.Type.ToolTip:
            hit = self.item_at(event.pos())
            if hit is not None:
                QToolTip.showText(event.globalPos(), self._tooltip(hit), self.viewport())
            else:
                QToolTip.hideText()
            return True
        return super().viewportEvent(event)

    def _tooltip(self, entry_id: int) -> str:
        e = self.entries[entry_id]
        text = describe(e, self.ref, self.names, self.flags.get(entry_id), self.counts.get(entry_id))
        atype = self.ref.types.get(e.type_id)
        if atype and atype.exportable and e.crn:
            text += f"\nDelius: {DELIUS_STATUS_LABELS.get(e.delius_status, e.delius_status)}"
        if entry_id in self.overlapping:
            text += "\nOverlaps another entry"
        return f"{e.ref}: {text}"

    # -- painting

    def paintEvent(self, event):
        bold = QFont(self.font())
        bold.setBold(True)
        self._bold = (bold, QFontMetrics(bold))
        p = QPainter(self.viewport())
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        pal = self.palette()
        dark = theme.is_dark(self)
        w, h = self.viewport().width(), self.viewport().height()
        if self.week is None:
            p.fillRect(0, 0, w, h, pal.color(QPalette.ColorRole.Base))
            return
        hh, gutter = self.hour_height, self.gutter
        header = self.header_height
        offset = self._body_offset()
        fm = self._metrics()
        text_col = pal.color(QPalette.ColorRole.Text)
        muted = pal.color(QPalette.ColorRole.PlaceholderText)
        line = theme.grid_line(dark)

        # body: the grid from its pixmap (drawn again only when it changes), then the blocks in sight
        p.drawPixmap(0, header, self._grid_pixmap(w, h, header, offset, dark))
        p.save()
        p.setClipRect(QRectF(0, header, w, h - header))
        p.translate(0, offset)
        top = header - offset  # the body's y at the top of the view
        bottom = top + h - header
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        cache, used = self._block_pixmaps, 0
        for b in self.blocks:
            r = b.rect
            if r.bottom() < top - BLOCK_PAD or r.top() > bottom + BLOCK_PAD:
                continue
            key = self._block_key(b, dark)
            pixmap = cache.pop(key, None)  # and put back last: the least recently drawn go first
            if pixmap is None:
                pixmap = self._block_pixmap(b, dark)
            cache[key] = pixmap
            used += 1
            p.drawPixmap(QPointF(math.floor(r.left()) - BLOCK_PAD, math.floor(r.top()) - BLOCK_PAD), pixmap)
        while len(cache) > max(used, BLOCK_PIXMAPS_KEPT):
            del cache[next(iter(cache))]
        self._paint_overlaps(p, dark)
        if self.now is not None and self.week.monday <= self.now.date() <= self.week.days[-1]:
            day = self.now.weekday()
            x, cw = self.day_x(day), self.day_width(day)
            y = (self.now.hour * 60 + self.now.minute) * hh / 60
            p.setPen(QPen(theme.now_line(dark), 2))
            p.drawLine(QPointF(x, y), QPointF(x + cw, y))
        p.restore()

        # header: day names, then the whole-day strip
        p.fillRect(QRectF(0, 0, w, header), pal.color(QPalette.ColorRole.Window))
        bold, bold_fm = self._bold
        # one form for every day: the long one only if each day has room for it
        long_names = all(bold_fm.horizontalAdvance(day_label(d, long=True)) <= self.day_width(i) - 6
                         for i, d in enumerate(self.week.days))
        for i, day in enumerate(self.week.days):
            x, cw = self.day_x(i), self.day_width(i)
            r = QRectF(x, 0, cw, self.day_header_height)
            if day == self.today:
                p.fillRect(r, pal.color(QPalette.ColorRole.Highlight))
                p.setPen(pal.color(QPalette.ColorRole.HighlightedText))
            else:
                p.setPen(text_col if self.is_working(i) else muted)
            p.setFont(bold if day == self.today else self.font())
            name = day_label(day, long=long_names)
            if not long_names and bold_fm.horizontalAdvance(name) > cw - 4:
                name = day_label(day, compact=True)  # "Tue 17" where even "Tue 17 Nov" is too wide
            p.drawText(r, Qt.AlignmentFlag.AlignCenter, name)
        p.setFont(self.font())
        for item in self.strip:
            r = self._strip_rect(item)
            colour = theme.class_colour(item.time_class, dark)
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(colour)
            p.drawRoundedRect(r, 3, 3)
            if item.entry_id is None:  # bank holiday: hatched so it differs from leave
                p.setBrush(QBrush(QColor(0, 0, 0, 60), Qt.BrushStyle.BDiagPattern))
                p.drawRoundedRect(r, 3, 3)
            if item.entry_id is not None and item.entry_id == self.selected_id:
                p.setPen(QPen(pal.color(QPalette.ColorRole.Highlight), 3))
                p.setBrush(Qt.BrushStyle.NoBrush)
                p.drawRoundedRect(r.adjusted(1, 1, -1, -1), 3, 3)
            p.setPen(theme.BLOCK_TEXT)
            p.drawText(r.adjusted(4, 0, -4, 0), Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                       fm.elidedText(item.text, Qt.TextElideMode.ElideRight, int(r.width() - 8)))
        p.setPen(QPen(line, 1))
        p.drawLine(QPointF(0, header - 1), QPointF(w, header - 1))
        for i in range(8):
            x = self.day_x(i)
            p.drawLine(QPointF(x, 0), QPointF(x, header))
        p.setPen(muted)
        p.drawText(QRectF(0, self.day_header_height, gutter - 4, self.strip_row_height),
                   Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, "All day")
        if self.hasFocus() and self.selected_id is None:
            p.setPen(QPen(pal.color(QPalette.ColorRole.Highlight), 2))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRect(QRectF(1, 1, w - 2, h - 2))

    def _grid_pixmap(self, w: int, h: int, header: int, offset: int, dark: bool) -> QPixmap:
        """The visible part of the body's background: day columns (non-working days shaded and
        hatched, today tinted), hour and half-hour lines, hour labels."""
        hh, gutter = self.hour_height, self.gutter
        ratio = self.devicePixelRatioF()
        key = (w, h, header, offset, hh, gutter, tuple(self.edges()), self.week, self.today, self.working_days,
               tuple(sorted(self.holidays)), dark, ratio)
        if self._grid is not None and self._grid[0] == key:
            return self._grid[1]
        pal = self.palette()
        muted = pal.color(QPalette.ColorRole.PlaceholderText)
        line = theme.grid_line(dark)
        pixmap = QPixmap(max(1, math.ceil(w * ratio)), max(1, math.ceil((h - header) * ratio)))
        pixmap.setDevicePixelRatio(ratio)
        pixmap.fill(pal.color(QPalette.ColorRole.Base))
        p = QPainter(pixmap)
        p.setFont(self.font())
        p.translate(0, offset - header)
        top = header - offset
        bottom = top + h - header
        first, last = max(0, int(top // hh)), min(24, int(bottom // hh) + 1)
        for i, day in enumerate(self.week.days):
            x, cw = self.day_x(i), self.day_width(i)
            column = QRectF(x, top, cw, bottom - top)
            if not self.is_working(i):  # shaded and hatched, so it shows on any screen
                p.fillRect(column, theme.non_working_fill(dark))
                p.fillRect(column, QBrush(theme.non_working_hatch(dark), Qt.BrushStyle.BDiagPattern))
            if day == self.today:
                p.fillRect(column, theme.today_tint(dark))
        p.setPen(QPen(line, 1))
        fm = self._metrics()
        for hour in range(first, last + 1):
            y = hour * hh
            p.drawLine(QPointF(gutter, y), QPointF(w, y))
            if 0 < hour < 24:
                p.setPen(muted)
                p.drawText(QRectF(0, y - fm.height() / 2, gutter - 6, fm.height()),
                           Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, f"{hour:02d}:00")
                p.setPen(QPen(line, 1))
        half = QPen(line, 1, Qt.PenStyle.DotLine)
        p.setPen(half)
        for hour in range(first, min(24, last + 1)):
            y = hour * hh + hh / 2
            p.drawLine(QPointF(gutter, y), QPointF(w, y))
        p.setPen(QPen(line, 1))
        for i in range(8):
            x = self.day_x(i)
            p.drawLine(QPointF(x, top), QPointF(x, min(bottom, self.body_height())))
        p.end()
        self._grid = (key, pixmap)
        return pixmap

    def counted_class(self, entry_id: int) -> str:
        """The class an entry is coloured by: what it counts as now (an appointment with no
        outcome or not attended counts as admin); a planned entry, what its type counts as."""
        e = self.entries[entry_id]
        counts = self.counts.get(entry_id)
        if counts is not None and counts.started and counts.time_class is not None:
            return counts.time_class
        atype = self.ref.types.get(e.type_id)
        return atype.time_class if atype else ""

    def planned_from(self, b: Block) -> int | None:
        """The local minute of the block's day from which it is planned (after now), or None
        when none of it is planned."""
        counts = self.counts.get(b.entry_id)
        if counts is None or not counts.planned or self.now is None or self.week is None:
            return None
        day = self.week.days[b.day]
        if day < self.now.date():
            return None
        minute = 0 if day > self.now.date() else self.now.hour * 60 + self.now.minute
        return max(b.start_min, minute) if minute < b.end_min else None

    def _block_key(self, b: Block, dark: bool) -> tuple:
        """Everything a block's pixmap depends on (the font and palette clear the cache; the
        block's rect is on whole pixels, so only its size matters)."""
        e = self.entries[b.entry_id]
        r = b.rect
        return (e, self.ref.types.get(e.type_id), self.names.get(e.crn) if e.crn else None,
                self.counts.get(e.id), self.flags.get(e.id), self.planned_from(b), e.id == self.selected_id,
                e.id in self.overlapping, dark, r.width(), r.height(), self.devicePixelRatioF())

    def _block_pixmap(self, b: Block, dark: bool) -> QPixmap:
        r = b.rect
        x0, y0 = math.floor(r.left()) - BLOCK_PAD, math.floor(r.top()) - BLOCK_PAD
        width, height = math.ceil(r.right()) + BLOCK_PAD - x0, math.ceil(r.bottom()) + BLOCK_PAD - y0
        ratio = self.devicePixelRatioF()
        pixmap = QPixmap(max(1, math.ceil(width * ratio)), max(1, math.ceil(height * ratio)))
        pixmap.setDevicePixelRatio(ratio)
        pixmap.fill(Qt.GlobalColor.transparent)
        q = QPainter(pixmap)
        q.setRenderHint(QPainter.RenderHint.Antialiasing)
        q.setFont(self.font())  # a pixmap's painter starts with the application's font
        q.translate(-x0, -y0)  # drawn in the body's coordinates, as on the view
        self._paint_block(q, b, dark)
        q.end()
        return pixmap

    def _paint_block(self, p: QPainter, b: Block, dark: bool) -> None:
        e = self.entries[b.entry_id]
        atype: ActivityType | None = self.ref.types.get(e.type_id)
        r = b.rect
        colour = theme.class_colour(self.counted_class(e.id), dark)
        counts = self.counts.get(e.id)
        flag = counts.flag if counts is not None else self.flags.get(e.id)
        p.setPen(QPen(colour.darker(150), 1))
        p.setBrush(colour)
        p.drawRoundedRect(r, 4, 4)
        planned = self.planned_from(b)
        if planned is not None:  # the part after now: pale, hatched and dashed, not yet counted
            span = max(1, b.end_min - b.start_min)
            top = r.top() + r.height() * (planned - b.start_min) / span
            part = QRectF(r.left(), top, r.width(), r.bottom() - top)
            p.save()
            p.setClipRect(part)
            pale = QColor(self.palette().color(QPalette.ColorRole.Base))
            pale.setAlpha(150)
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(pale)
            p.drawRoundedRect(r, 4, 4)
            p.setBrush(QBrush(colour.darker(130), Qt.BrushStyle.FDiagPattern))
            p.drawRoundedRect(r, 4, 4)
            p.setPen(QPen(colour.darker(170), 1.5, Qt.PenStyle.DashLine))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRoundedRect(r.adjusted(0.5, 0.5, -0.5, -0.5), 4, 4)
            p.restore()
        if flag == NOT_ATTENDED:
            p.setBrush(QBrush(QColor(0, 0, 0, 70), Qt.BrushStyle.BDiagPattern))
            p.drawRoundedRect(r, 4, 4)
        if flag == AWAITING_OUTCOME:
            p.setPen(QPen(theme.BLOCK_TEXT, 2, Qt.PenStyle.DashLine))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRoundedRect(r.adjusted(1, 1, -1, -1), 4, 4)
        if e.id == self.selected_id:
            pal = self.palette()
            p.setPen(QPen(pal.color(QPalette.ColorRole.Highlight), 3))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRoundedRect(r.adjusted(0.5, 0.5, -0.5, -0.5), 4, 4)
            p.setPen(QPen(pal.color(QPalette.ColorRole.HighlightedText), 1, Qt.PenStyle.DotLine))
            p.drawRoundedRect(r.adjusted(3, 3, -3, -3), 3, 3)

        fm = self._metrics()
        marker = atype is not None and atype.exportable and bool(e.crn)
        msize = fm.height() * 0.7
        bold, bold_fm = self._bold
        width = r.width() - 8
        lines = block_lines(e, atype, person_label(e, self.names), flag,
                            max(1, int((r.height() - 2) // fm.height())),
                            lambda text, strong: (bold_fm if strong else fm).horizontalAdvance(text) <= width,
                            planned=counts is not None and not counts.started)
        # in a narrow block (overlaps side by side) the first line (the CRN or name) needs the
        # whole width: the Delius marker then goes to the bottom corner, if there is room
        marker_top = marker
        if marker and lines:
            text0, strong0 = lines[0]
            marker_top = marker_at_top((bold_fm if strong0 else fm).horizontalAdvance(text0), width,
                                       msize, r.height(), fm.height())
        y = r.top() + 1
        p.setPen(theme.BLOCK_TEXT)
        for i, (text, strong) in enumerate(lines):
            p.setFont(bold if strong else self.font())
            beside = (marker_top and i == 0) or (
                marker and not marker_top and y + fm.height() > r.bottom() - msize - 3)
            room = int(width - (msize + 2 if beside else 0))
            shown = (bold_fm if strong else fm).elidedText(text, Qt.TextElideMode.ElideRight, max(0, room))
            if shown == "…":  # too narrow for anything before the ellipsis: the start, cut off
                shown = text
            p.save()
            p.setClipRect(r.adjusted(1, 1, -1, -1))
            p.drawText(QRectF(r.left() + 4, y, room, fm.height()),
                       Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, shown)
            p.restore()
            y += fm.height()
        p.setFont(self.font())
        if marker:
            top = r.top() + 3 if marker_top else r.bottom() - msize - 3
            self._paint_marker(p, QRectF(r.right() - msize - 3, top, msize, msize), e.delius_status)
        if e.id in self.overlapping:
            p.setPen(QPen(theme.warning_colour(dark), 2))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRoundedRect(r.adjusted(1, 1, -1, -1), 4, 4)

    def _paint_overlaps(self, p: QPainter, dark: bool) -> None:
        """Overlap marked: a warning bar down the left of the day over the minutes when entries
        overlap (each overlapping block has a warning edge: _paint_block)."""
        colour = theme.warning_colour(dark)
        hh = self.hour_height
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(colour)
        for day, spans in self.overlaps.items():
            x = self.day_x(day)
            for start, end in spans:
                p.drawRect(QRectF(x + 0.5, start * hh / 60, 3, (end - start) * hh / 60))

    @staticmethod
    def _paint_marker(p: QPainter, r: QRectF, status: str) -> None:
        """Delius status by shape, not only colour: ring (not exported), half disc (exported),
        disc with a tick (entered), triangle (changed since export)."""
        ink = theme.BLOCK_TEXT
        p.setPen(QPen(ink, 1.4))
        if status == NOT_EXPORTED:
            p.setBrush(QColor(255, 255, 255, 200))
            p.drawEllipse(r)
        elif status == EXPORTED:
            p.setBrush(QColor(255, 255, 255, 200))
            p.drawEllipse(r)
            path = QPainterPath()
            path.moveTo(r.center().x(), r.top())
            path.arcTo(r, 90, 180)
            path.closeSubpath()
            p.setBrush(ink)
            p.drawPath(path)
        elif status == ENTERED:
            p.setBrush(ink)
            p.drawEllipse(r)
            p.setPen(QPen(QColor("white"), 1.6))
            p.drawPolyline([QPointF(r.left() + r.width() * 0.25, r.center().y()),
                            QPointF(r.left() + r.width() * 0.45, r.bottom() - r.height() * 0.25),
                            QPointF(r.right() - r.width() * 0.2, r.top() + r.height() * 0.25)])
        elif status == CHANGED:
            path = QPainterPath()
            path.moveTo(r.center().x(), r.top())
            path.lineTo(r.right(), r.bottom())
            path.lineTo(r.left(), r.bottom())
            path.closeSubpath()
            p.setBrush(QColor("#F0E442"))
            p.drawPath(path)
