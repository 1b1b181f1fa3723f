"""The one-line quick-entry box: type, see what will be saved, press Enter.

Parsing and checking live in ``core.quickentry``; this box only shows the preview and hands
the checked (unsaved) entry to the window through ``entry_ready``.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Callable

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QKeySequence, QPalette
from PySide6.QtWidgets import QLabel, QLineEdit, QVBoxLayout, QWidget

from ...core import clock
from ...core.quickhelp import QUICK_SYNTAX_HELP
from ...store.diary import Diary
from .. import dialogs
from ..theme import warning_colour

if TYPE_CHECKING:
    from ...core.quickentry import QuickParse

# core.quickentry (its parser and patterns) and core.validation load at the first typed
# line, not before the window's first paint (issue 18)


class _QuickLine(QLineEdit):
    """The typing line. Ctrl+Z undoes typing while there is typing to undo; in an empty line
    (after a save, say) it goes to the window, and undoes the save."""

    def event(self, event) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and (
                event.matches(QKeySequence.StandardKey.Undo) and not self.isUndoAvailable()
                or event.matches(QKeySequence.StandardKey.Redo) and not self.isRedoAvailable()):
            event.ignore()
            return False
        return super().event(event)


class QuickEntryBox(QWidget):
    entry_ready = Signal(object)  # an unsaved, checked Entry

    def __init__(self, diary: Diary, parent: QWidget | None = None, *,
                 now: Callable[[], dt.datetime] | None = None):
        super().__init__(parent)
        self.diary = diary
        self.now = now or clock.now_utc
        self.last: QuickParse | None = None
        self._sent = ""  # the line Enter last sent to be saved

        self.line = _QuickLine()
        self.line.setObjectName("quick_entry")
        self.line.setPlaceholderText("Quick entry, e.g. CHVS X123456 14:00-15:10 discussed housing  (Enter saves)")
        self.line.setAccessibleName("Quick entry")
        self.line.setToolTip(QUICK_SYNTAX_HELP)
        self.line.setClearButtonEnabled(True)
        self.preview = QLabel()
        self.preview.setObjectName("quick_entry_preview")
        self.preview.setAccessibleName("Quick entry preview")
        self.preview.setTextFormat(Qt.TextFormat.PlainText)
        self.preview.setWordWrap(True)
        self.preview.setToolTip(QUICK_SYNTAX_HELP)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.line)
        layout.addWidget(self.preview)
        self.setToolTip(QUICK_SYNTAX_HELP)
        self.setFocusProxy(self.line)

        self.line.textChanged.connect(self._update_preview)
        self.line.returnPressed.connect(self.submit)
        self._update_preview("")

    def _parse(self) -> QuickParse:
        from ...core.quickentry import parse_quick

        self.last = parse_quick(self.line.text(), self.diary.reference(), self.now(),
                                office_location=self.diary.settings().office_location)
        return self.last

    def _update_preview(self, text: str) -> None:
        if not text.strip():
            self._show("", error=False)
            return
        got = self._parse()
        if got.ok:
            self._show(f"Will save: {got.preview}", error=False)
        else:
            self._show(f"Not ready: {got.error}", error=False, muted=True)

    def _show(self, text: str, *, error: bool, muted: bool = False) -> None:
        self.preview.setText(text)
        self.preview.setProperty("error", error)
        palette = self.palette()
        if error:
            palette.setColor(QPalette.ColorRole.WindowText, warning_colour())
        elif muted:
            palette.setColor(QPalette.ColorRole.WindowText, palette.color(QPalette.ColorRole.PlaceholderText))
        self.preview.setPalette(palette)
        self.preview.setVisible(bool(text))

    def submit(self) -> None:
        got = self._parse()
        if not got.ok:
            self._show(got.error or "", error=True)
            return
        from ...core.quickentry import format_duration
        from ...core.validation import LONG_ENTRY_MINUTES

        entry = got.checked.entry
        if not entry.all_day and entry.minutes > LONG_ENTRY_MINUTES:  # asked once, before saving
            if not dialogs.ask_confirmation(self, f"This entry lasts {format_duration(entry.minutes)}. Save it?",
                                            confirm="Save", detail="Entries over 12 hours are unusual; "
                                            "check the times and the date."):
                return
        self._sent = self.line.text()
        self.line.setText("")  # and forgets the typing: Ctrl+Z now undoes the save, and the
        self._show("", error=False)  # saved line cannot come back to be saved twice
        self.entry_ready.emit(entry)

    def not_saved(self) -> None:
        """The window could not save what Enter sent (it has said why): the line comes back,
        to try again, rather than being lost."""
        if self._sent:
            self.line.setText(self._sent)
            self._sent = ""

    def keyPressEvent(self, event) -> None:
        if event.key() == Qt.Key.Key_Escape and self.line.text():
            self.line.clear()
            return
        super().keyPressEvent(event)
