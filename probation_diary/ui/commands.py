"""Undoable diary changes. Every create, edit, delete and Delius status change made in the
window is one of these on the window's QUndoStack.

The first "redo" is done by ``apply()`` before the command goes on the stack, so that a
DiaryError (disk full, file locked...) reaches the user and nothing is pushed. Later redos and
undos put back exact versions with ``diary.restore_version``.
"""

from __future__ import annotations

from typing import Callable, Iterable

from PySide6.QtGui import QUndoCommand, QUndoStack

from ..core.model import DELIUS_STATUS_LABELS, Entry
from ..store.diary import Diary, DiaryError
from . import dialogs


class DiaryCommand(QUndoCommand):
    def __init__(self, diary: Diary, text: str, select: Callable[[int], None] | None = None):
        super().__init__(text)
        self.diary = diary
        self._select = select
        self._applied = False
        self._just_applied = False

    # subclasses implement these three
    def _first(self) -> None: ...
    def _again(self) -> None: ...
    def _back(self) -> None: ...

    def apply(self) -> None:
        self._first()
        self._applied = True
        self._just_applied = True

    def redo(self) -> None:
        if self._just_applied:  # QUndoStack.push() calls redo(): the change is already made
            self._just_applied = False
            return
        if not self._applied:
            self.apply()
            self._just_applied = False
            return
        self._guard(self._again)

    def undo(self) -> None:
        self._guard(self._back)

    def _guard(self, fn) -> None:
        try:
            fn()
        except DiaryError as exc:
            dialogs.show_error(None, f"That could not be undone or redone: {exc}")

    def _show(self, entry_id: int | None) -> None:
        if self._select and entry_id is not None:
            self._select(entry_id)


def push(stack: QUndoStack, command: DiaryCommand) -> DiaryCommand:
    """Apply a command and, if that worked, put it on the stack. DiaryError propagates."""
    command.apply()
    stack.push(command)  # redo() is a no-op now: it has been applied
    return command


class AddEntryCommand(DiaryCommand):
    def __init__(self, diary: Diary, entry: Entry, select=None, text: str = "New entry"):
        super().__init__(diary, text, select)
        self.entry = entry
        self.saved: Entry | None = None

    def _first(self):
        self.saved = self.diary.add_entry(self.entry)
        self._show(self.saved.id)

    def _again(self):
        self.diary.restore_version(self.saved)
        self._show(self.saved.id)

    def _back(self):
        self.diary.delete_entry(self.saved.id)


class EditEntryCommand(DiaryCommand):
    def __init__(self, diary: Diary, entry: Entry, select=None, text: str = "Edit entry"):
        super().__init__(diary, text, select)
        self.entry = entry
        self.before: Entry | None = None
        self.after: Entry | None = None

    def _first(self):
        self.before = self.diary.get_entry(self.entry.id)
        if self.before is None:
            raise DiaryError(f"{self.entry.ref} is no longer in the diary")
        self.after = self.diary.update_entry(self.entry)
        self._show(self.after.id)

    def _again(self):
        self.diary.restore_version(self.after)
        self._show(self.after.id)

    def _back(self):
        self.diary.restore_version(self.before)
        self._show(self.before.id)


class DeleteEntriesCommand(DiaryCommand):
    def __init__(self, diary: Diary, ids: Iterable[int], select=None):
        ids = list(ids)
        super().__init__(diary, "Delete entry" if len(ids) == 1 else f"Delete {len(ids)} entries", select)
        self.ids = ids
        self.before: list[Entry] = []

    def _first(self):
        self.before = [self.diary.get_entry(i) for i in self.ids]
        self.before = [e for e in self.before if e is not None]
        for e in self.before:
            self.diary.delete_entry(e.id)

    def _again(self):
        for e in self.before:
            self.diary.delete_entry(e.id)

    def _back(self):
        for e in self.before:
            self.diary.restore_version(e)
        if self.before:
            self._show(self.before[0].id)


class SetDeliusStatusCommand(DiaryCommand):
    """E.g. "Mark as entered in Delius"; other areas use it through the window's stack."""

    def __init__(self, diary: Diary, ids: Iterable[int], status: str, *, file: str | None = None,
                 when=None, select=None, text: str | None = None):
        ids = list(ids)
        super().__init__(diary, text or f"Mark as {DELIUS_STATUS_LABELS.get(status, status).lower()}", select)
        self.ids, self.status, self.file, self.when = ids, status, file, when
        self.before: list[Entry] = []
        self.after: list[Entry] = []

    def _first(self):
        self.before = self.diary.set_delius_status(self.ids, self.status, file=self.file, when=self.when)
        self.after = [e for e in (self.diary.get_entry(b.id) for b in self.before) if e is not None]

    def _again(self):
        for e in self.after:
            self.diary.restore_version(e)

    def _back(self):
        for e in self.before:
            self.diary.restore_version(e)


class RecoverFromBinCommand(DiaryCommand):
    """Edit > Bin > Recover: undo puts the entry back in the bin (where it was deleted from)."""

    def __init__(self, diary: Diary, entry_id: int, select=None):
        super().__init__(diary, "Recover entry from the bin", select)
        self.entry_id = entry_id
        self.after: Entry | None = None

    def _first(self):
        self.after = self.diary.undelete(self.entry_id)
        self._show(self.after.id)

    def _again(self):
        self.diary.restore_version(self.after)
        self._show(self.after.id)

    def _back(self):
        self.diary.delete_entry(self.entry_id)
