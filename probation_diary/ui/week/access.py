"""The week grid for assistive technology: an accessible interface (installed with
``QAccessible.installFactory``) whose children are the entries shown, one each, so a screen
reader can walk the week entry by entry. Each child is named "type, person, time, what it
counts as" (and a flag, if any), and is selected when the entry is selected in the grid.

The grid paints its blocks itself, so without this only the selected entry would be heard
(through the grid's description).
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QAccessible, QAccessibleInterface, QAccessibleObject

from ...core.clock import to_local
from ...core.model import CLASS_LABELS
from ...core.timesplit import AWAITING_OUTCOME, NOT_ATTENDED


def entry_name(view, entry_id: int) -> str:
    """The spoken name of one entry: type, CRN (and name), time, what it counts as."""
    e = view.entries[entry_id]
    atype = view.ref.types.get(e.type_id)
    parts = [atype.display if atype else "Unknown type"]
    if e.crn:
        who = view.names.get(e.crn)
        parts.append(f"{who} ({e.crn})" if who else e.crn)
    start, end = to_local(e.start), to_local(e.end)
    from ..dates import day_label

    parts.append(day_label(start.date(), long=True) + ("" if e.all_day else f", {start:%H:%M} to {end:%H:%M}"))
    if atype is not None:
        parts.append(f"counts as {CLASS_LABELS.get(atype.time_class, atype.time_class).lower()}")
    flag = view.flags.get(entry_id)
    if flag == AWAITING_OUTCOME:
        parts.append("awaiting outcome")
    elif flag == NOT_ATTENDED:
        parts.append("booked, not attended")
    if entry_id in view.overlapping:
        parts.append("overlaps another entry")
    return ", ".join(parts)


class EntryAccessible(QAccessibleInterface):
    """One entry of the grid (no QObject of its own: the grid paints it)."""

    def __init__(self, grid: WeekAccessible, entry_id: int):
        super().__init__()
        self.grid = grid
        self.entry_id = entry_id

    @property
    def view(self):
        return self.grid.view

    def isValid(self) -> bool:
        return self.entry_id in self.view.entries

    def object(self):
        return None

    def window(self):
        return self.view.window().windowHandle()

    def role(self):
        return QAccessible.Role.ListItem

    def text(self, t):
        if not self.isValid():
            return ""
        if t == QAccessible.Text.Name:
            return entry_name(self.view, self.entry_id)
        if t == QAccessible.Text.Description:
            return self.view.entries[self.entry_id].ref
        return ""

    def setText(self, t, text):
        pass

    def rect(self) -> QRect:
        r = self.view.entry_rect(self.entry_id)
        if r is None:
            return QRect()
        vp = self.view.viewport()
        return QRect(vp.mapToGlobal(r.topLeft()), r.size())

    def state(self):
        s = QAccessible.State()
        s.selectable = True
        s.focusable = True
        selected = self.view.selected_id == self.entry_id
        s.selected = selected
        s.focused = selected and self.view.hasFocus()
        s.invisible = not self.isValid()
        s.offscreen = self.view.entry_rect(self.entry_id) is None
        return s

    def parent(self):
        return self.grid

    def child(self, index):
        return None

    def childCount(self) -> int:
        return 0

    def indexOfChild(self, child) -> int:
        return -1

    def childAt(self, x, y):
        return None

    def focusChild(self):
        return None

    def relations(self, *args):
        return []


class WeekAccessible(QAccessibleObject):
    """The grid: a list whose children are the entries of the week, in time order."""

    def __init__(self, view):
        super().__init__(view)
        self.view = view
        self._children: dict[int, EntryAccessible] = {}

    def _ids(self) -> list[int]:
        return self.view.accessible_ids()

    def _child_for(self, entry_id: int) -> EntryAccessible:
        child = self._children.get(entry_id)
        if child is None:
            child = self._children[entry_id] = EntryAccessible(self, entry_id)
        return child

    def role(self):
        return QAccessible.Role.List

    def text(self, t):
        if t == QAccessible.Text.Name:
            return self.view.accessibleName()
        if t == QAccessible.Text.Description:
            return self.view.accessibleDescription()
        return ""

    def state(self):
        s = QAccessible.State()
        s.focusable = True
        s.focused = self.view.hasFocus()
        s.invisible = not self.view.isVisible()
        return s

    def rect(self) -> QRect:
        return QRect(self.view.mapToGlobal(QPoint(0, 0)), self.view.size())

    def window(self):
        return self.view.window().windowHandle()

    def parent(self):
        parent = self.view.parentWidget()
        return QAccessible.queryAccessibleInterface(parent) if parent is not None else None

    def childCount(self) -> int:
        return len(self._ids())

    def child(self, index):
        ids = self._ids()
        return self._child_for(ids[index]) if 0 <= index < len(ids) else None

    def indexOfChild(self, child) -> int:
        ids = self._ids()
        entry_id = getattr(child, "entry_id", None)
        return ids.index(entry_id) if entry_id in ids else -1

    def childAt(self, x, y):
        local = self.view.viewport().mapFromGlobal(QPoint(x, y))
        hit = self.view.item_at(local)
        return self._child_for(hit) if hit is not None else None

    def focusChild(self):
        selected = self.view.selected_id
        if selected is not None and selected in self._ids():
            return self._child_for(selected)
        return None

    def relations(self, *args):
        return []

    def selected_child(self):
        return self.focusChild()


def _factory(key: str, obj):
    from .view import WeekView

    if isinstance(obj, WeekView):
        return WeekAccessible(obj)
    return None


_installed = False


def install(view=None) -> None:
    """Install the factory (once). Given the grid, and installed after the grid was shown
    (just after the window's first paint), an interface that assistive technology was already
    given for the grid, Qt's plain one, is dropped: it is asked again, and gets this one."""
    global _installed
    if not _installed:
        QAccessible.installFactory(_factory)
        _installed = True
    if view is None or not QAccessible.isActive():
        return
    # (the first query makes the interface, through the factory, if there was none yet)
    current = QAccessible.queryAccessibleInterface(view)
    if current is not None and not isinstance(current, WeekAccessible):
        QAccessible.deleteAccessibleInterface(QAccessible.uniqueId(current))
        from PySide6.QtGui import QAccessibleEvent

        QAccessible.updateAccessibility(QAccessibleEvent(view, QAccessible.Event.ObjectCreated))


def announce_selection(view) -> None:
    """Tell assistive technology that the selected entry now has the focus."""
    if not QAccessible.isActive() or view.selected_id is None:
        return
    grid = QAccessible.queryAccessibleInterface(view)
    child = grid.focusChild() if grid is not None else None
    if child is not None:
        from PySide6.QtGui import QAccessibleEvent

        QAccessible.updateAccessibility(QAccessibleEvent(child, QAccessible.Event.Focus))
