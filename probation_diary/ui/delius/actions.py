"""Entry menu and toolbar: "Export for Delius…" and "Mark as entered in Delius" (issue 5).

`install(window)` follows the main-window contract in docs/HELPERS.md. Marking is one undoable
command on the window's undo stack; every dialog goes through ui.dialogs.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Iterable

from PySide6.QtGui import QAction, QKeySequence, QUndoCommand

from ...core.model import ENTERED, Entry
from ...store.diary import Diary, DiaryError
from .. import dialogs

if TYPE_CHECKING:  # the dialog (and the export rules) load when the action is first used
    from .dialog import DeliusExportDialog
    from .keying import KeyingWindow


class MarkEnteredCommand(QUndoCommand):
    """Mark entries as entered in Delius. Undo puts back each entry exactly as it was."""

    def __init__(self, diary: Diary, ids: Iterable[int]):
        ids = list(ids)
        super().__init__(f"Mark {len(ids)} as entered in Delius" if len(ids) != 1 else "Mark as entered in Delius")
        self.diary = diary
        self.ids = ids
        self.before: list[Entry] = []
        self.after: list[Entry] = []
        self._applied = False
        self._skip_redo = False

    def apply(self) -> None:
        """The first redo, run before the command goes on the stack so errors reach the user
        (QUndoStack.push then calls redo(), which has nothing left to do)."""
        self.before = self.diary.set_delius_status(self.ids, ENTERED)
        self.after = [e for e in (self.diary.get_entry(b.id) for b in self.before) if e is not None]
        self._applied = self._skip_redo = True

    def redo(self) -> None:
        if not self._applied:
            self.apply()
            self._skip_redo = False
            return
        if self._skip_redo:
            self._skip_redo = False
            return
        self._guard(self.after)

    def undo(self) -> None:
        self._guard(self.before)

    def _guard(self, versions: list[Entry]) -> None:
        try:
            for e in versions:
                self.diary.restore_version(e)
        except DiaryError as exc:
            dialogs.show_error(None, f"That could not be undone or redone: {exc}")


class DeliusActions:
    def __init__(self, window):
        self.window = window
        self.dialog: DeliusExportDialog | None = None
        self.keying: KeyingWindow | None = None
        menu = window.menus["entry"]
        menu.addSeparator()
        self.export_action = QAction("Export for &Delius…", window)
        self.export_action.setObjectName("exportDeliusAction")
        self.export_action.setShortcut(QKeySequence("Ctrl+Shift+D"))
        self.export_action.setStatusTip("A CSV of the week's contacts, to key into nDelius")
        self.export_action.setToolTip("Export for Delius (Ctrl+Shift+D)")
        self.export_action.triggered.connect(lambda checked=False: self.export())
        menu.addAction(self.export_action)
        self.mark_action = QAction("&Mark as entered in Delius", window)
        self.mark_action.setObjectName("markEnteredAction")
        self.mark_action.setShortcut(QKeySequence("Ctrl+Shift+E"))
        self.mark_action.setStatusTip("Record that the selected contacts are now in nDelius (undo works)")
        self.mark_action.setToolTip("Mark as entered in Delius (Ctrl+Shift+E)")
        self.mark_action.triggered.connect(lambda checked=False: self.mark_entered())
        self.keying_action = QAction("&Key into Delius…", window)
        self.keying_action.setObjectName("keyIntoDeliusAction")
        self.keying_action.setShortcut(QKeySequence("Ctrl+Shift+I"))
        self.keying_action.setStatusTip("Walk the week's contacts field by field into nDelius; no file")
        self.keying_action.setToolTip("Key into Delius (Ctrl+Shift+I)")
        self.keying_action.triggered.connect(lambda checked=False: self.key_into_delius())
        menu.addAction(self.keying_action)
        # Always enabled: the window signals no selection changes to areas, and a toolbar
        # button disabled at the wrong moment would be worse than a plain "select some first".
        menu.addAction(self.mark_action)
        toolbar = getattr(window, "toolbar", None)
        if toolbar is not None:
            # short labels on the toolbar, so it fits a 1280-pixel window; the menu keeps the wording
            toolbar.addSeparator()
            self.export_action.setIconText("Delius export")
            self.mark_action.setIconText("Mark entered")
            from ..icons import set_icon

            set_icon(self.export_action, "delius-export")
            set_icon(self.mark_action, "delius-entered")
            toolbar.addAction(self.export_action)
            toolbar.addAction(self.mark_action)

    # -- export

    def default_range(self) -> tuple[dt.date, dt.date]:
        monday = self.window.current_week().monday
        return monday, monday + dt.timedelta(days=6)

    def export(self) -> DeliusExportDialog:
        from .dialog import DeliusExportDialog

        first, last = self.default_range()
        self.dialog = DeliusExportDialog(self.window.diary, first, last, parent=self.window,
                                         open_entry=self.open_entry, open_keying=self.key_into_delius)
        dialogs.exec_dialog(self.dialog)
        self.window.refresh()
        return self.dialog

    def key_into_delius(self, first: dt.date | None = None, last: dt.date | None = None) -> KeyingWindow:
        """Keying mode for [first, last] (the window's week by default): one window, reused."""
        from .keying import KeyingWindow

        if first is None or last is None:
            first, last = self.default_range()
        if self.keying is None:
            self.keying = KeyingWindow(self.window, first, last, open_entry=self.open_entry)
        else:
            self.keying.set_range(first, last)
        self.keying.show()
        self.keying.raise_()
        self.keying.activateWindow()
        return self.keying

    def open_entry(self, entry_id: int) -> None:
        self.window.select_entry(entry_id)
        self.window.open_editor(entry_id)

    # -- marking

    def markable_ids(self) -> list[int]:
        """Selected contacts that can be marked: exportable and not entered yet."""
        from ...formats import delius

        diary = self.window.diary
        ref = diary.reference()
        ids = []
        # the selection, else the entry under the pointer (the main window offers it)
        for entry_id in getattr(self.window, "target_entry_ids", self.window.selected_entry_ids)():
            e = diary.get_entry(entry_id)
            if e is not None and delius.is_exportable(e, ref) and e.delius_status != ENTERED:
                ids.append(entry_id)
        return ids

    def mark_entered(self) -> MarkEnteredCommand | None:
        ids = self.markable_ids()
        if not ids:
            dialogs.show_info(self.window, "Select one or more contacts that are not yet entered in "
                                           "Delius (diary-only time is never exported).")
            return None
        command = MarkEnteredCommand(self.window.diary, ids)
        try:
            command.apply()
        except DiaryError as exc:
            dialogs.show_error(self.window, f"Nothing was marked: {exc}")
            return None
        self.window.undo_stack.push(command)
        self.window.refresh()
        self.window.statusBar().showMessage(command.text(), 5000)
        return command


def install(window) -> DeliusActions:
    window.delius_actions = DeliusActions(window)
    return window.delius_actions
