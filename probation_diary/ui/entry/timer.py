"""A timer for a live contact or task: "Start contact now" … "Stop".

The running timer is kept in the diary as the draft "timer", so it survives closing the app.
The clock is injectable (``now``), so tests never sleep; the display ticks once a second.
"""

from __future__ import annotations

import datetime as dt
import os
from typing import Callable

from PySide6.QtCore import QTimer, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QSizePolicy, QVBoxLayout, QWidget,
)

from ...core import clock
from ...store.diary import Diary, DiaryError
from .. import dialogs
from ..theme import warning_colour

DRAFT_KEY = "timer"
DEFAULT_TYPE = "CTOB"


def real_now() -> dt.datetime:
    """Now, with seconds (PROBATION_DIARY_NOW fixes it, to the minute, for tests)."""
    if os.environ.get("PROBATION_DIARY_NOW"):
        return clock.now_utc()
    return dt.datetime.now(clock.UTC).replace(microsecond=0)


def format_elapsed(seconds: int) -> str:
    seconds = max(0, int(seconds))
    return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


class TimerWidget(QWidget):
    entry_ready = Signal(object)  # an unsaved, checked Entry from start to stop
    running_text_changed = Signal(str)  # "" when stopped

    def __init__(self, diary: Diary, parent: QWidget | None = None, *,
                 now: Callable[[], dt.datetime] | None = None):
        super().__init__(parent)
        self.diary = diary
        self.now = now or real_now
        self.started: dt.datetime | None = None
        self.running_type = ""
        self.running_crn = ""
        self._sent = None  # (start, type, CRN) of the contact Stop last sent to be saved

        self.type_combo = QComboBox()
        self.type_combo.setAccessibleName("Timer activity type")
        self.type_combo.setEditable(True)
        self.type_combo.lineEdit().setAccessibleName("Timer activity type")
        self.type_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.type_combo.completer().setFilterMode(Qt.MatchFlag.MatchContains)
        self.type_combo.completer().setCompletionMode(self.type_combo.completer().CompletionMode.PopupCompletion)
        for t in diary.reference().types.values():
            if t.active:
                self.type_combo.addItem(t.display, t.delius_code or t.label)
        self.type_combo.setMinimumContentsLength(26)
        # never narrower than its longest label's first 26 characters plus the arrow
        self.type_combo.setMinimumWidth(self.type_combo.minimumSizeHint().width())
        self.type_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self._select_type(DEFAULT_TYPE)
        self.crn_edit = QLineEdit()
        self.crn_edit.setAccessibleName("Timer CRN")
        self.crn_edit.setPlaceholderText("CRN (optional)")
        # room for a whole CRN (or the placeholder) at any scale, never squeezed to "C…"
        fm = self.crn_edit.fontMetrics()
        self.crn_edit.setMinimumWidth(max(fm.horizontalAdvance("X000000W"),
                                          fm.horizontalAdvance("CRN (optional)")) + 16)
        self.crn_edit.setMaximumWidth(self.crn_edit.minimumWidth() + 4 * fm.averageCharWidth())
        self.start_button = QPushButton("Start contact &now")
        self.start_button.setAccessibleName("Start contact now")
        self.stop_button = QPushButton("St&op")
        self.stop_button.setAccessibleName("Stop timer")
        self.discard_button = QPushButton("Discard")
        self.discard_button.setAccessibleName("Discard timer")
        self.discard_button.setToolTip("Stop the timer without logging anything")
        self.running_label = QLabel()
        self.running_label.setObjectName("timer_running")
        self.running_label.setAccessibleName("Running time")
        self.message = QLabel()
        self.message.setObjectName("timer_message")
        self.message.setStyleSheet(f"color: {warning_colour().name()};")
        # one line under the controls, the width of the timer: never a column of single words
        self.message.setWordWrap(True)  # wraps at the timer's whole width, not a word's
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.message.hide()
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(1)
        layout = QHBoxLayout()
        layout.setContentsMargins(0, 0, 0, 0)
        outer.addLayout(layout)
        outer.addWidget(self.message)
        layout.addWidget(self.type_combo, 3)  # grows with the window, so long type names show
        for w in (self.crn_edit, self.start_button, self.running_label, self.stop_button,
                  self.discard_button):
            layout.addWidget(w)
        # the whole name on hover when the box is too narrow for it
        self.type_combo.currentTextChanged.connect(self.type_combo.setToolTip)
        self.type_combo.setToolTip(self.type_combo.currentText())
        self.type_combo.currentTextChanged.connect(self._update_hint)
        self.crn_edit.returnPressed.connect(self.start)  # Enter in the CRN box starts the timer
        self.type_combo.lineEdit().returnPressed.connect(self._enter_in_type)
        self.crn_edit.textEdited.connect(lambda _t: self.set_message(""))
        self._update_hint()

        self.ticker = QTimer(self)
        self.ticker.setInterval(1000)
        self.ticker.timeout.connect(self.tick)
        self.start_button.clicked.connect(self.start)
        self.stop_button.clicked.connect(self.stop)
        self.discard_button.clicked.connect(self.discard)
        self._resume()
        self._update_state()

    # -- messages and hints

    def set_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setToolTip(text)  # the whole sentence, when the line is too narrow for it
        self.message.setVisible(bool(text))

    def _needs_crn(self) -> bool:
        try:
            return self.diary.reference().find_type(self._type_text()).needs_crn
        except LookupError:
            return False

    def _update_hint(self, *args) -> None:
        self.crn_edit.setPlaceholderText("CRN (needed)" if self._needs_crn() else "CRN (optional)")

    def _enter_in_type(self) -> None:
        if self._needs_crn() and not self.crn_edit.text().strip():
            self.crn_edit.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self.start()

    # -- state

    @property
    def running(self) -> bool:
        return self.started is not None

    def _select_type(self, text: str) -> None:
        index = self.type_combo.findData(text)
        if index >= 0:
            self.type_combo.setCurrentIndex(index)

    def _type_text(self) -> str:
        index = self.type_combo.findText(self.type_combo.currentText())
        if index >= 0:
            return self.type_combo.itemData(index)
        return self.type_combo.currentText()

    def _resume(self) -> None:
        found = next((d for d in self.diary.drafts() if d["key"] == DRAFT_KEY), None)
        if found is None:
            return
        data = found["data"]
        try:
            self.started = dt.datetime.fromisoformat(data["start"])
        except (KeyError, TypeError, ValueError):
            return
        self.running_type = data.get("type", "")
        self.running_crn = data.get("crn", "")
        self._select_type(self.running_type)
        self.crn_edit.setText(self.running_crn)

    def _update_state(self) -> None:
        running = self.running
        # while running, only the running time and its buttons show
        for w in (self.type_combo, self.crn_edit, self.start_button):
            w.setVisible(not running)
        self.start_button.setEnabled(not running)
        self.stop_button.setEnabled(running)
        self.stop_button.setVisible(running)
        self.discard_button.setVisible(running)
        self.type_combo.lineEdit().setCursorPosition(0)
        if running:
            self.ticker.start()
        else:
            self.ticker.stop()
        self.tick()

    def running_text(self) -> str:
        if not self.running:
            return ""
        elapsed = (self.now() - self.started).total_seconds()
        who = f" {self.running_crn}" if self.running_crn else ""
        return f"{self.running_type}{who} {format_elapsed(elapsed)}"

    def tick(self) -> None:
        text = self.running_text()
        self.running_label.setText(text)
        self.running_label.setVisible(bool(text))
        self.running_text_changed.emit(text)

    # -- actions

    def _check(self, start: dt.datetime, end: dt.datetime):
        from ...core.validation import EntryDraft, check_entry, starting_location  # at the first stop

        local = clock.to_local(start)
        draft = EntryDraft(type=self._type_text() if not self.running else self.running_type,
                           crn=self.crn_edit.text() if not self.running else self.running_crn,
                           start_date=local.date().isoformat(), start_time=f"{local:%H:%M}",
                           duration=str(max(1, clock.minutes_between(start, end))))
        try:  # a new office visit starts at the office (spec/delius-export.md, Location)
            code = self.diary.reference().find_type(draft.type).delius_code
        except LookupError:
            code = None
        draft.location = starting_location(code, self.diary.settings().office_location)
        return check_entry(draft, self.diary.reference(), self.now())

    def start(self) -> None:
        if self.running:
            return
        now = self.now()
        minute = now.replace(second=0, microsecond=0)
        checked = self._check(minute, minute + dt.timedelta(minutes=1))
        if not checked.ok:
            self.set_message(checked.first_error())
            (self.crn_edit if "crn" in checked.errors else self.type_combo).setFocus()
            return
        self.set_message("")
        self.running_type = self._type_text()
        self.running_crn = checked.entry.crn or ""
        try:
            self.diary.save_draft(DRAFT_KEY, {"type": self.running_type, "crn": self.running_crn,
                                              "start": now.isoformat()})
        except DiaryError as exc:
            self.set_message(f"The timer could not start: {exc}")
            return
        self.started = now
        self._update_state()

    def discard(self) -> None:
        if not self.running:
            return
        if not dialogs.ask_confirmation(self, "Discard the running timer without logging it?",
                                        confirm="Discard"):
            return
        self._clear()

    def _clear(self) -> None:
        try:
            self.diary.discard_draft(DRAFT_KEY)
        except DiaryError:
            pass
        self.set_message("")
        self.started = None
        self.running_type = self.running_crn = ""
        self.crn_edit.clear()  # the next contact is likely someone else
        self._update_state()

    def stop(self) -> None:
        if not self.running:
            return
        start = self.started.replace(second=0, microsecond=0)
        end = self.now().replace(second=0, microsecond=0)
        if end <= start:
            end = start + dt.timedelta(minutes=1)  # a contact of under a minute counts as one
        checked = self._check(start, end)
        if not checked.ok:
            self.set_message(checked.first_error())
            return
        entry = checked.entry.with_changes(start=start, end=end)  # exact instants, even at clock changes
        self._sent = (self.started, self.running_type, self.running_crn)
        self._clear()
        self.entry_ready.emit(entry)

    def not_saved(self) -> None:
        """The window could not save the stopped contact (it has said why): the timer runs on
        from the same start, so Stop can be pressed again and nothing is lost."""
        if self._sent is None or self.running:
            return
        self.started, self.running_type, self.running_crn = self._sent
        self._sent = None
        try:
            self.diary.save_draft(DRAFT_KEY, {"type": self.running_type, "crn": self.running_crn,
                                              "start": self.started.isoformat()})
        except DiaryError:
            pass  # it still runs in this window
        self._update_state()
