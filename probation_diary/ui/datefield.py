"""One date field for the whole window (the editor's date, Go to date).

The user types a date the way they say it (``15/03/2026``, ``15/3``, ``15 mar``, ``tue``,
``yesterday``, ``+1w``; see ``core.dates``). The text is read only when they press Enter or
leave the field; the field then shows what it understood (``Sun 15/03/2026``), or keeps the
text and says why it is not a date. Alt+Down (or the button) opens a calendar; Tab leaves the
field in one press. ``dateChanged`` fires only when a new date is taken, never per keystroke.

It keeps the parts of the QDateEdit API the window used: ``date()``/``setDate()`` (QDate) and
``dateChanged``; ``day()``/``set_day()`` use ``datetime.date``.

``DateRange`` reads two fields as a first and a last date, for the dialogs that take a range:
one plain message while either is not a date or the last is before the first, so the dialog
says so beside the fields and keeps its OK button off, instead of refusing after the fact.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QObject, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QSizePolicy, QToolButton, QVBoxLayout, QWidget

from ..core import clock
from ..core.dates import FIRST_YEAR, HINT, LAST_YEAR, DateError, read_date, show_date


def to_qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def from_qdate(q: QDate) -> dt.date:
    return dt.date(q.year(), q.month(), q.day())


class _Line(QLineEdit):
    """Enter reads a changed text and stops there (so a dialog does not also save); Enter
    on a date already read goes on to the dialog's default button as usual."""

    def __init__(self, field: "DateField"):
        super().__init__(field)
        self.field = field

    def keyPressEvent(self, event) -> None:
        key, mods = event.key(), event.modifiers()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not mods & Qt.KeyboardModifier.ControlModifier:
            if self.field.pending():
                if self.field.commit():
                    self.field.entered.emit()
                event.accept()
                return
        if key == Qt.Key.Key_Down and mods & Qt.KeyboardModifier.AltModifier:
            self.field.open_calendar()
            event.accept()
            return
        if key == Qt.Key.Key_Escape and self.field.pending():
            self.field.revert()
            event.accept()
            return
        super().keyPressEvent(event)

    def focusOutEvent(self, event) -> None:
        super().focusOutEvent(event)
        if event.reason() != Qt.FocusReason.PopupFocusReason:
            self.field.commit()


class _Popup(QWidget):
    def __init__(self, field: "DateField"):
        from PySide6.QtWidgets import QCalendarWidget  # (its class and enums: when first opened)

        super().__init__(field, Qt.WindowType.Popup)
        self.field = field
        self.calendar = QCalendarWidget(self)
        self.calendar.setObjectName("datePopupCalendar")
        self.calendar.setGridVisible(True)
        self.calendar.setFirstDayOfWeek(Qt.DayOfWeek.Monday)
        self.calendar.setMinimumDate(QDate(FIRST_YEAR, 1, 1))
        self.calendar.setMaximumDate(QDate(LAST_YEAR, 12, 31))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.calendar)
        self.calendar.activated.connect(self._chosen)  # Enter or double-click
        self.calendar.clicked.connect(self._chosen)

    def _chosen(self, q: QDate) -> None:
        self.hide()
        self.field.set_day(from_qdate(q), emit=True)
        self.field.line.setFocus(Qt.FocusReason.PopupFocusReason)


class DateField(QWidget):
    dateChanged = Signal(QDate)  # a new date was taken (Enter, leaving the field, the calendar)
    problemChanged = Signal(str)  # "" once the text is a date again
    entered = Signal()  # Enter read a new date

    def __init__(self, parent: QWidget | None = None, *, day: dt.date | None = None,
                 today=clock.today_local):
        super().__init__(parent)
        self._today = today
        self._day = day or today()
        self.problem = ""
        self.line = _Line(self)
        self.line.setPlaceholderText("15/03/2026, 15 mar, tue, +1w")
        self.line.setToolTip(f"{HINT}. Enter or Tab reads it; Alt+Down opens a calendar.")
        self.button = QToolButton(self)
        self.button.setText("▾")
        self.button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes straight on to the next field
        self.button.setAccessibleName("Open calendar")
        self.button.setToolTip("Calendar (Alt+Down)")
        self.button.clicked.connect(self.open_calendar)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.line, 1)
        layout.addWidget(self.button)
        self.setFocusProxy(self.line)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._popup: _Popup | None = None
        width = self.line.fontMetrics().horizontalAdvance("Wed 30/09/2026") + 24
        self.line.setMinimumWidth(width)
        self.line.setMaximumWidth(width + 60)  # room for "15 march 2026"; no wider in a toolbar
        self.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        self._show()

    # -- the API

    def day(self) -> dt.date:
        """The last date taken (a text that is not a date leaves it as it was)."""
        return self._day

    def date(self) -> QDate:
        return to_qdate(self._day)

    def setDate(self, q: QDate) -> None:  # noqa: N802 - QDateEdit's name
        self.set_day(from_qdate(q), emit=True)

    def set_day(self, day: dt.date, *, emit: bool = False) -> None:
        changed = day != self._day
        self._day = day
        self._set_problem("")
        self._show()
        if changed and emit:
            self.dateChanged.emit(self.date())

    def setAccessibleName(self, name: str) -> None:  # noqa: N802
        super().setAccessibleName(name)
        self.line.setAccessibleName(name)

    def setToolTip(self, text: str) -> None:  # noqa: N802
        self.line.setToolTip(f"{text}. {HINT}; Alt+Down opens a calendar.")

    def text(self) -> str:
        return self.line.text()

    def pending(self) -> bool:
        """Typed text not yet read."""
        return self.line.text().strip() != show_date(self._day)

    def commit(self) -> bool:
        """Read the typed text now. False (and ``problem`` set) if it is not a date."""
        if not self.pending():
            if self.problem:
                self._set_problem("")
            return True
        try:
            day = read_date(self.line.text(), self._today())
        except DateError as exc:
            self._set_problem(str(exc))
            return False
        self.set_day(day, emit=True)
        return True

    def revert(self) -> None:
        self._set_problem("")
        self._show()

    def open_calendar(self) -> None:
        self.commit()
        if self._popup is None:
            self._popup = _Popup(self)
        popup = self._popup
        popup.calendar.setSelectedDate(self.date())
        popup.adjustSize()
        popup.move(self.mapToGlobal(self.rect().bottomLeft()))
        popup.show()
        popup.calendar.setFocus(Qt.FocusReason.PopupFocusReason)

    @property
    def popup(self) -> _Popup | None:
        return self._popup

    # -- inside

    def _show(self) -> None:
        self.line.setText(show_date(self._day))
        self.line.setCursorPosition(0)

    def _set_problem(self, text: str) -> None:
        if text == self.problem:
            return
        self.problem = text
        self.line.setProperty("invalid", bool(text))
        self.line.setStyleSheet("QLineEdit { border: 1px solid #c0392b; }" if text else "")
        self.problemChanged.emit(text)


class DateRange(QObject):
    """Two DateFields as one range [first, last]. ``changed`` fires once when a new range is
    taken or its problem changes (never per keystroke); ``problem()`` is "" when the range can
    be used."""

    changed = Signal()

    def __init__(self, first: DateField, last: DateField, parent: QObject | None = None, *,
                 before: str = "The last date is before the first date."):
        super().__init__(parent)
        self.first_field, self.last_field = first, last
        self.before = before
        self._quiet = False
        for field in (first, last):
            field.dateChanged.connect(self._changed)
            field.problemChanged.connect(self._changed)

    @property
    def first(self) -> dt.date:
        return self.first_field.day()

    @property
    def last(self) -> dt.date:
        return self.last_field.day()

    def problem(self) -> str:
        """What is wrong with the range, in plain words ("" when nothing is)."""
        for field, name in ((self.first_field, "First"), (self.last_field, "Last")):
            if field.problem:
                return f"{name} date: {field.problem}"
        if self.last < self.first:
            return self.before
        return ""

    def ok(self) -> bool:
        return not self.problem()

    def commit(self) -> bool:
        """Read any text typed but not yet read (as leaving the fields would); True if the
        range can be used."""
        self._quiet = True
        try:
            changed = [f.pending() for f in (self.first_field, self.last_field)]
            problems = (self.first_field.problem, self.last_field.problem)
            self.first_field.commit()
            self.last_field.commit()
        finally:
            self._quiet = False
        if any(changed) or problems != (self.first_field.problem, self.last_field.problem):
            self.changed.emit()
        return self.ok()

    def set_range(self, first: dt.date, last: dt.date) -> None:
        """Both dates at once: one ``changed``, never a passing "last before first"."""
        self._quiet = True
        try:
            self.first_field.set_day(first, emit=True)
            self.last_field.set_day(last, emit=True)
        finally:
            self._quiet = False
        self.changed.emit()

    def _changed(self, *_args) -> None:
        if not self._quiet:
            self.changed.emit()
