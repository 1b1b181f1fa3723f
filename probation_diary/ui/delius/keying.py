"""Keying mode (issue 17): a compact window, on top beside the browser, that walks a week's
contacts not yet entered in Delius one card at a time, and puts each field on the clipboard
in the order of Delius's Add Contact screen. No file is written.

Thin: which contacts, in which order, what each of the 19 fields says and why Delius would
refuse one are decided by formats/delius (``cards``), read through cli/delius
(``plan_keying``), the same way as the CSV's rows. Marking is the undoable status command on
the main window's undo stack.

The clipboard: each copy is marked for clipboard managers as a secret (KDE's
``x-kde-passwordManagerHint``, Windows' monitor and history exclusions), and what keying mode
put there is cleared when the user moves to another contact, when the diary locks, when this
window closes and when the app quits; text the user copied from elsewhere is left alone.
"""

from __future__ import annotations

import datetime as dt
import weakref
from typing import Callable

from PySide6.QtCore import QEvent, QMimeData, QObject, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication, QCheckBox, QFrame, QGridLayout, QHBoxLayout, QLabel, QPlainTextEdit,
    QPushButton, QStackedWidget, QToolButton, QVBoxLayout, QWidget,
)

from ...cli import delius as delius_io
from ...core.model import ENTERED
from ...formats import delius
from ...store.diary import Diary, DiaryError
from .. import dialogs
from ..commands import SetDeliusStatusCommand, push
from .hotkey import KEY_TEXT, GlobalKey

SYSTEM_WIDE_KEY = "delius.keying_system_wide"  # area setting: "on" (default) or "off"
ENTERED_KEYS = ("Ctrl+Return", "Ctrl+Enter", "Ctrl+Alt+Return", "Ctrl+Alt+Enter")
# KDE Klipper and others: keep no history of this copy
SECRET_FORMATS = {"x-kde-passwordManagerHint": b"secret"}
# Windows: clipboard monitors and the clipboard history (Win+V) leave it out
WINDOWS_SECRET_FORMATS = {
    'application/x-qt-windows-mime;value="ExcludeClipboardContentFromMonitorProcessing"': b"\x01\x00\x00\x00",
    'application/x-qt-windows-mime;value="CanIncludeInClipboardHistory"': b"\x00\x00\x00\x00",
}


class ClipboardKeeper:
    """Puts keying mode's text on the clipboard and takes away only its own."""

    def __init__(self):
        self._ours: str | None = None

    @staticmethod
    def _board():
        return QGuiApplication.clipboard()

    def put(self, text: str) -> None:
        mime = QMimeData()
        mime.setText(text)
        formats = dict(SECRET_FORMATS)
        if QGuiApplication.platformName() == "windows":
            formats.update(WINDOWS_SECRET_FORMATS)
        for kind, data in formats.items():
            mime.setData(kind, data)
        self._board().setMimeData(mime)
        self._ours = text

    def holds_ours(self) -> bool:
        return self._ours is not None and self._board().text() == self._ours

    def clear(self) -> bool:
        """Clear the clipboard if it still holds what we put there. True if it did."""
        cleared = self.holds_ours()
        if cleared:
            self._board().clear()
        self._ours = None
        return cleared


class FieldRow(QFrame):
    """One of the 19 fields: its number and name, its value, and a copy button."""

    copy_requested = Signal(int)

    def __init__(self, index: int, header: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.index = index
        self.header = header
        self.setObjectName(f"field{index + 1}")
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setAutoFillBackground(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 1, 4, 1)
        layout.setSpacing(6)
        self.name = QLabel(f"{index + 1}. {header}")
        longest = "14. Enforcement Action"  # the widest name
        self.name.setMinimumWidth(self.name.fontMetrics().horizontalAdvance(longest) + 12)
        layout.addWidget(self.name)
        if header == "Notes":
            self.value = QPlainTextEdit()
            self.value.setReadOnly(True)
            self.value.setFixedHeight(self.value.fontMetrics().lineSpacing() * 5 + 10)
            self.value.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        else:
            self.value = QLabel()
            self.value.setTextFormat(Qt.TextFormat.PlainText)
            self.value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.value.setAccessibleName(header)
        layout.addWidget(self.value, 1)
        self.copy_button = QToolButton()
        self.copy_button.setObjectName(f"copy{index + 1}")
        self.copy_button.setText("Copy")
        self.copy_button.setToolTip(f"Copy {header} to the clipboard")
        self.copy_button.setAccessibleName(f"Copy {header}")
        self.copy_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the card keeps the focus
        self.copy_button.clicked.connect(lambda checked=False: self.copy_requested.emit(self.index))
        layout.addWidget(self.copy_button)

    def set_value(self, text: str) -> None:
        if isinstance(self.value, QPlainTextEdit):
            self.value.setPlainText(text)
        else:
            self.value.setText(text if text else "—")
            self.value.setToolTip("(empty: leave this field blank)" if not text else "")

    def text(self) -> str:
        if isinstance(self.value, QPlainTextEdit):
            return self.value.toPlainText()
        return "" if self.value.text() == "—" else self.value.text()

    def set_current(self, current: bool) -> None:
        self.setProperty("current", current)
        palette = self.palette()
        role = self.backgroundRole()
        app_palette = QApplication.palette(self)
        palette.setColor(role, app_palette.highlight().color() if current else app_palette.window().color())
        self.setPalette(palette)
        for label in (self.name,) + ((self.value,) if isinstance(self.value, QLabel) else ()):
            p = label.palette()
            p.setColor(label.foregroundRole(), app_palette.highlightedText().color() if current
                       else app_palette.windowText().color())
            label.setPalette(p)
        font = self.name.font()
        font.setBold(current)
        self.name.setFont(font)


class KeyingWindow(QWidget):
    """Key into Delius. `window` is the main window (its diary, undo stack and security)."""

    def __init__(self, window, first: dt.date, last: dt.date, *,
                 open_entry: Callable[[int], None] | None = None,
                 global_key: GlobalKey | None = None):
        super().__init__(window, Qt.WindowType.Window | Qt.WindowType.WindowStaysOnTopHint)
        self.main = window
        self.diary: Diary = window.diary
        self.first, self.last = first, last
        self.open_entry = open_entry
        self.clipboard = ClipboardKeeper()
        self.cards: list[delius.Card] = []
        self.current_id: int | None = None
        self.field = 0  # the field the copy key copies next
        self.skipped: set[int] = set()
        self.locked = False
        self._marks: dict[int, int] = {}  # id(command) -> entry id, for undo
        self.setObjectName("deliusKeyingWindow")
        self.setWindowTitle("Key into Delius")  # never a CRN or a name
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
        self._build()

        self.global_key = global_key or GlobalKey(self)
        self.global_key.pressed.connect(self._global_key_pressed)
        self.global_key.entered.connect(self._global_entered_pressed)

        self.diary.listeners.append(self._make_listener())
        security = getattr(window, "security", None)
        if security is not None and hasattr(security, "lock_changed"):
            security.lock_changed.connect(self.set_locked)
            self.locked = bool(security.locked)
        QApplication.instance().aboutToQuit.connect(self.clipboard.clear)
        window.installEventFilter(self)  # the main window closing clears the clipboard too
        window.undo_stack.canUndoChanged.connect(self._undo_changed)
        self.replan()

    # -- building

    def _build(self) -> None:
        self.resize(440, 640)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        self.position_label = QLabel()
        self.position_label.setObjectName("keyingPosition")
        layout.addWidget(self.position_label)

        self.stack = QStackedWidget()
        layout.addWidget(self.stack, 1)

        # the card
        self.card = QWidget()
        self.card.setObjectName("keyingCard")
        self.card.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.card.setAccessibleName("Contact to key into Delius")
        card_layout = QVBoxLayout(self.card)
        card_layout.setContentsMargins(0, 0, 0, 0)
        card_layout.setSpacing(2)
        self.person_label = QLabel()
        self.person_label.setObjectName("keyingPerson")
        self.person_label.setTextFormat(Qt.TextFormat.PlainText)
        font = self.person_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.person_label.setFont(font)
        card_layout.addWidget(self.person_label)
        self.problems_box = QFrame()
        self.problems_box.setObjectName("keyingProblems")
        self.problems_box.setFrameShape(QFrame.Shape.StyledPanel)
        pl = QVBoxLayout(self.problems_box)
        pl.setContentsMargins(6, 4, 6, 4)
        self.problems_label = QLabel()
        self.problems_label.setWordWrap(True)
        self.problems_label.setTextFormat(Qt.TextFormat.PlainText)
        from ..theme import warning_colour

        self.problems_label.setStyleSheet(f"color: {warning_colour().name()};")
        pl.addWidget(self.problems_label)
        self.fix_button = QPushButton("&Open the entry to fix it")
        self.fix_button.clicked.connect(self.fix_current)
        pl.addWidget(self.fix_button, 0, Qt.AlignmentFlag.AlignLeft)
        card_layout.addWidget(self.problems_box)
        grid_box = QWidget()
        grid = QGridLayout(grid_box)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setVerticalSpacing(0)
        self.rows: list[FieldRow] = []
        for i, header in enumerate(delius.HEADERS):
            row = FieldRow(i, header)
            row.copy_requested.connect(self.copy_field)
            grid.addWidget(row, i, 0)
            self.rows.append(row)
        card_layout.addWidget(grid_box)
        card_layout.addStretch(1)
        self.stack.addWidget(self.card)

        # nothing (left) to key
        self.done_page = QWidget()
        dl = QVBoxLayout(self.done_page)
        self.done_label = QLabel()
        self.done_label.setObjectName("keyingDone")
        self.done_label.setWordWrap(True)
        dl.addWidget(self.done_label)
        self.again_button = QPushButton("&Back to the skipped contacts")
        self.again_button.clicked.connect(self.back_to_skipped)
        dl.addWidget(self.again_button, 0, Qt.AlignmentFlag.AlignLeft)
        dl.addStretch(1)
        self.stack.addWidget(self.done_page)

        # locked: no data at all
        self.locked_page = QLabel("The diary is locked. Unlock it to go on keying.")
        self.locked_page.setObjectName("keyingLocked")
        self.locked_page.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack.addWidget(self.locked_page)

        buttons = QHBoxLayout()
        self.copy_next_button = QPushButton(f"&Copy next ({KEY_TEXT})")
        self.copy_next_button.setObjectName("keyingCopyNext")
        self.copy_next_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.copy_next_button.clicked.connect(self.copy_next)
        self.skip_button = QPushButton("&Skip")
        self.skip_button.setObjectName("keyingSkip")
        self.skip_button.setToolTip("Leave this contact for now; it stays to be entered")
        self.skip_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.skip_button.clicked.connect(self.skip)
        self.entered_button = QPushButton("&Entered, next (Ctrl+Enter)")
        self.entered_button.setObjectName("keyingEntered")
        self.entered_button.setToolTip("Mark this contact as entered in Delius (undo works) and show the next; "
                                       "Ctrl+Alt+Enter from the browser")
        self.entered_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.entered_button.clicked.connect(self.entered_next)
        self.undo_button = QPushButton("&Undo")
        self.undo_button.setObjectName("keyingUndo")
        self.undo_button.setToolTip("Undo the last change (Ctrl+Z)")
        self.undo_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.undo_button.clicked.connect(self.undo)
        for b in (self.copy_next_button, self.skip_button, self.entered_button, self.undo_button):
            buttons.addWidget(b)
        layout.addLayout(buttons)

        self.system_wide = QCheckBox(f"{KEY_TEXT} and Ctrl+Alt+Enter also work while the browser has the focus")
        self.system_wide.setObjectName("keyingSystemWide")
        self.system_wide.setChecked(self.diary.area_setting(SYSTEM_WIDE_KEY) != "off")
        self.system_wide.toggled.connect(self.set_system_wide)
        layout.addWidget(self.system_wide)
        self.status = QLabel()
        self.status.setObjectName("keyingStatus")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)

        self.copy_shortcut = QShortcut(QKeySequence(KEY_TEXT), self)
        self.copy_shortcut.activated.connect(self.copy_next)
        self.entered_shortcuts = []
        for keys in ENTERED_KEYS:
            s = QShortcut(QKeySequence(keys), self)
            s.activated.connect(self.entered_next)
            self.entered_shortcuts.append(s)
        self.undo_shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.Undo), self)
        self.undo_shortcut.activated.connect(self.undo)

    # -- the plan

    def set_range(self, first: dt.date, last: dt.date) -> None:
        if (first, last) != (self.first, self.last):
            self.first, self.last = first, last
            self.skipped.clear()
        self.replan()

    @property
    def current(self) -> delius.Card | None:
        return next((c for c in self.cards if c.entry_id == self.current_id), None)

    def replan(self) -> None:
        """Read the range again (the diary changed, or keying starts) and keep the place."""
        old = [c.entry_id for c in self.cards]
        self.cards = delius_io.plan_keying(self.diary, self.first, self.last)
        present = {c.entry_id for c in self.cards}
        want = self.current_id
        if want not in present:
            after = old[old.index(want) + 1:] if want in old else []
            want = next((i for i in after if i in present and i not in self.skipped), None)
            if want is None:
                want = self._first_unskipped()
        self._show(want)

    def _first_unskipped(self, after: int | None = None) -> int | None:
        ids = [c.entry_id for c in self.cards]
        start = ids.index(after) + 1 if after in ids else 0
        return next((i for i in ids[start:] if i not in self.skipped), None)

    def _show(self, entry_id: int | None) -> None:
        if entry_id != self.current_id:
            self.clipboard.clear()  # a CRN or a note never outlives its contact
            self.field = 0
        self.current_id = entry_id
        self._render()

    def _render(self) -> None:
        card = self.current
        if self.locked:
            self.stack.setCurrentWidget(self.locked_page)
            self.position_label.setText("")
        elif card is None:
            self.stack.setCurrentWidget(self.done_page)
            left = len(self.cards)
            if left:
                self.done_label.setText(
                    f"{left} contact{'s' if left != 1 else ''} skipped, still to enter in Delius.")
            else:
                self.done_label.setText(
                    f"Every contact from {self.first:%d/%m/%Y} to {self.last:%d/%m/%Y} is entered in Delius.")
            self.again_button.setVisible(bool(left))
            self.position_label.setText("")
        else:
            self.stack.setCurrentWidget(self.card)
            ids = [c.entry_id for c in self.cards]
            people = list(dict.fromkeys(c.crn for c in self.cards))
            same = [c for c in self.cards if c.crn == card.crn]
            self.position_label.setText(
                f"{len(ids)} still to enter: contact {ids.index(card.entry_id) + 1} · person "
                f"{people.index(card.crn) + 1} of {len(people)}, contact {same.index(card) + 1} of {len(same)} for them")
            person = self.diary.person(card.crn) if card.crn else None
            name = person.name if person is not None and person.name else ""
            self.person_label.setText(f"{card.crn}  {name}".strip() if card.crn else "No CRN")
            for row, value in zip(self.rows, card.values):
                row.set_value(value)
            self.problems_box.setVisible(not card.ok)
            if not card.ok:
                self.problems_label.setText(
                    "Delius would not accept this contact:\n" + "\n".join(f"• {r}" for r in card.reasons))
        self._highlight()
        self._update_buttons()

    def _highlight(self) -> None:
        for i, row in enumerate(self.rows):
            row.set_current(i == self.field and self.current is not None and self.current.ok and not self.locked)

    def _update_buttons(self) -> None:
        card = None if self.locked else self.current
        can_key = card is not None and card.ok
        self.copy_next_button.setEnabled(can_key and self.field < len(self.rows))
        for row in self.rows:
            row.copy_button.setEnabled(can_key)
        self.entered_button.setEnabled(can_key)
        self.skip_button.setEnabled(card is not None)
        try:
            can_undo = self.main.undo_stack.canUndo()
        except RuntimeError:  # the main window is being taken down
            can_undo = False
        self.undo_button.setEnabled(not self.locked and can_undo)

    def _undo_changed(self, _can_undo: bool) -> None:
        self._update_buttons()

    def _say(self, text: str) -> None:
        self.status.setText(text)  # names fields, never values

    # -- copying

    def copy_field(self, index: int) -> bool:
        card = self.current
        if self.locked or card is None:
            return False
        if not card.ok:
            self._say("Fix this contact first (or skip it): Delius would not accept it.")
            return False
        self.clipboard.put(card.values[index])
        self.field = index + 1
        header = delius.HEADERS[index]
        if index + 1 < len(self.rows):
            self._say(f"Copied {header}. Next: {delius.HEADERS[index + 1]}.")
        else:
            self._say(f"Copied {header}, the last field. Ctrl+Enter when it is saved in Delius.")
        self._highlight()
        self._update_buttons()
        return True

    def copy_next(self) -> bool:
        if self.field >= len(self.rows):
            self._say("Every field is copied. Ctrl+Enter when the contact is saved in Delius.")
            return False
        return self.copy_field(self.field)

    def _from_elsewhere(self) -> bool:
        """A system-wide key press this window should act on (and not twice)."""
        if not self.isVisible():
            return False
        # a hook that does not take the key: while a diary window is active, Qt has it too
        return self.global_key.consumes or QApplication.activeWindow() is None

    def _global_key_pressed(self) -> None:
        if self._from_elsewhere():
            self.copy_next()

    def _global_entered_pressed(self) -> None:
        if self._from_elsewhere():
            self.entered_next()

    # -- moving on

    def entered_next(self) -> bool:
        card = self.current
        if self.locked or card is None or not card.ok:
            return False
        command = SetDeliusStatusCommand(self.diary, [card.entry_id], ENTERED,
                                         text="Mark as entered in Delius")
        try:
            push(self.main.undo_stack, command)  # the diary's listener replans: the next card shows
        except DiaryError as exc:
            dialogs.show_error(self, f"It was not marked: {exc}")
            return False
        self._marks[id(command)] = card.entry_id
        if self.current_id == card.entry_id:  # in case no listener ran
            self.replan()
        self.main.refresh()
        self._say("Marked as entered in Delius (Undo brings it back).")
        return True

    def skip(self) -> None:
        card = self.current
        if self.locked or card is None:
            return
        self.skipped.add(card.entry_id)
        self._show(self._first_unskipped(after=card.entry_id))
        self._say("Skipped; it stays to be entered.")

    def back_to_skipped(self) -> None:
        self.skipped.clear()
        self._show(self._first_unskipped())

    def undo(self) -> None:
        stack = self.main.undo_stack
        if self.locked or not stack.canUndo():
            return
        command = stack.command(stack.index() - 1)
        entry_id = self._marks.pop(id(command), None) if command is not None else None
        stack.undo()
        self.replan()
        if entry_id is not None and any(c.entry_id == entry_id for c in self.cards):
            self.skipped.discard(entry_id)
            self._show(entry_id)
            self._say("Undone: it is not marked as entered.")
        self.main.refresh()

    def fix_current(self) -> None:
        card = self.current
        if card is not None and self.open_entry is not None:
            shown = self.isVisible()
            self.hide()  # this window stays on top: out of the editor's way while it is open
            try:
                self.open_entry(card.entry_id)
            finally:
                if shown:
                    self.show()
        self.replan()

    # -- outside events

    def _make_listener(self):
        """A diary listener that does not keep this window alive, and goes when it does."""
        me = weakref.ref(self)
        listeners = self.diary.listeners

        def listener(what: str = "") -> None:
            window = me()
            try:
                if window is None:
                    raise RuntimeError("gone")
                window._diary_changed(what)
            except RuntimeError:  # the window (its C++ side) is gone
                if listener in listeners:
                    listeners.remove(listener)

        self._listener = listener
        return listener

    def _diary_changed(self, what: str = "") -> None:
        if not self.locked:
            self.replan()

    def set_locked(self, locked: bool) -> None:
        self.locked = bool(locked)
        if self.locked:
            self.clipboard.clear()
        else:
            self.replan()
        self._render()

    def set_system_wide(self, on: bool) -> None:
        try:
            self.diary.set_area_setting(SYSTEM_WIDE_KEY, "on" if on else "off")
        except DiaryError:
            pass  # the choice holds for this session
        self._apply_system_wide()

    def _apply_system_wide(self) -> None:
        if self.system_wide.isChecked() and self.isVisible():
            if self.global_key.start():
                self.system_wide.setToolTip("")
            else:
                self.system_wide.setToolTip(f"Not available: {self.global_key.reason}.")
                self._say(f"{KEY_TEXT} works in this window only: {self.global_key.reason}.")
        else:
            self.global_key.stop()

    def place(self) -> None:
        """Beside the browser: the right-hand edge of the screen, as tall as it fits."""
        screen = (self.main.screen() if self.main is not None else None) or QGuiApplication.primaryScreen()
        if screen is None:
            return
        area = screen.availableGeometry()
        handle = self.windowHandle()
        margins = handle.frameMargins() if handle is not None else None
        extra_w = margins.left() + margins.right() if margins is not None else 0
        extra_h = margins.top() + margins.bottom() if margins is not None else 0
        height = min(max(self.sizeHint().height(), 560), area.height() - extra_h)
        self.resize(self.width(), height)
        corner = QPoint(area.right() + 1 - self.width() - extra_w, area.top())
        if handle is not None:
            handle.setFramePosition(corner)  # the title bar stays on the screen
        else:
            self.move(corner)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not getattr(self, "_placed", False):
            self._placed = True
            QTimer.singleShot(0, self, self.place)  # once the window manager has framed it
        self._apply_system_wide()
        self.card.setFocus()

    def hideEvent(self, event) -> None:
        if not event.spontaneous():  # closed or hidden, not minimised
            self.global_key.stop()
            self.clipboard.clear()
        super().hideEvent(event)

    def keyPressEvent(self, event) -> None:
        if event.key() == Qt.Key.Key_Escape and not event.modifiers():
            self.close()  # Escape closes a secondary window, as it closes a dialog
            return
        super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.global_key.stop()
        self.clipboard.clear()
        super().closeEvent(event)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if obj is self.main and event.type() == QEvent.Type.Close:
            self.clipboard.clear()
            self.close()
        return False

    def detach(self) -> None:
        """Stop listening to the diary (the window is going away)."""
        self.global_key.stop()
        self.clipboard.clear()
        if self._listener in self.diary.listeners:
            self.diary.listeners.remove(self._listener)
