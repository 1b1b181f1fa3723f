"""F1: every keyboard shortcut once, as a two-column table (keys, what they do), grouped by
menu. Read from the window's own QActions each time, so it never drifts from the menus; the
few keys that are not actions (arrow keys in the week, Ctrl+Enter in the editor) are listed
under "In the week" and "In a dialog"."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QHeaderView, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget,
)

# keys handled by widgets rather than actions (the week view and the dialogs)
OTHER_KEYS = (
    ("In the week", (
        ("↑ ↓ ← →", "Select the previous or next entry"),
        ("Enter", "Open the selected entry"),
        ("Esc", "Clear the selection"),
    )),
    ("In Delius keying mode", (
        ("Ctrl+Alt+V", "Copy the next field (also from the browser)"),
        ("Ctrl+Enter / Ctrl+Alt+Enter", "Entered, next contact (Ctrl+Alt+Enter also from the browser)"),
    )),
    ("In a dialog or window", (
        ("Ctrl+Enter / Ctrl+S", "Save the entry (in the entry editor)"),
        ("Esc", "Close the dialog or window without saving"),
    )),
)


def _worth_listing(text: str) -> bool:
    """Not the platform's extra bindings of a standard key: a bare "Undo" or "Find" key of
    some keyboards, or the old Alt+Backspace for undo."""
    if "Backspace" in text and "Alt" in text:
        return False
    return "+" in text or text.startswith("F") and text[1:].isdigit() or text in ("Del", "Delete", "Esc")


def _keys(action: QAction) -> str:
    seqs = [s.toString(QKeySequence.SequenceFormat.NativeText) for s in action.shortcuts() if not s.isEmpty()]
    shown = [s for s in dict.fromkeys(seqs) if _worth_listing(s)][:2] or seqs[:1]
    return " / ".join(shown)


def _plain(text: str) -> str:
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip("…").strip()


def _menu_actions(menu) -> list[QAction]:
    found = []
    for a in menu.actions():
        if a.menu() is not None:
            found.extend(_menu_actions(a.menu()))
        elif not a.isSeparator():
            found.append(a)
    return found


def shortcut_groups(window) -> list[tuple[str, list[tuple[str, str]]]]:
    """(group, [(keys, does)]) from the window's menus, each action once (under the first menu
    that holds it), then any other action of the window that has keys, then ``OTHER_KEYS``."""
    seen: set[int] = set()
    taken: set[str] = set()
    groups: list[tuple[str, list[tuple[str, str]]]] = []

    def add(rows, action):
        keys = _keys(action)
        if not keys or id(action) in seen or keys in taken:
            return
        seen.add(id(action))
        taken.add(keys)
        rows.append((keys, _plain(action.text())))

    for menu in getattr(window, "menus", {}).values():
        rows: list[tuple[str, str]] = []
        for a in _menu_actions(menu):
            add(rows, a)
        if rows:
            groups.append((_plain(menu.title()), rows))
    rest: list[tuple[str, str]] = []
    for a in window.actions():
        add(rest, a)
    if rest:
        groups.append(("Other", rest))
    for title, rows in OTHER_KEYS:
        groups.append((title, list(rows)))
    return groups


class ShortcutsDialog(QDialog):
    def __init__(self, window: QWidget):
        super().__init__(window)
        self.setObjectName("shortcutsDialog")
        self.setWindowTitle("Keyboard shortcuts")
        self.table = QTreeWidget(self)
        self.table.setObjectName("shortcutsTable")
        self.table.setAccessibleName("Keyboard shortcuts")
        self.table.setColumnCount(2)
        self.table.setHeaderLabels(["Keys", "Does"])
        self.table.setRootIsDecorated(False)
        self.table.setIndentation(self.fontMetrics().averageCharWidth() * 2)
        self.table.setItemsExpandable(False)
        self.table.setUniformRowHeights(True)
        bold = self.table.font()
        bold.setBold(True)
        for title, rows in shortcut_groups(window):
            group = QTreeWidgetItem(self.table, [title])
            group.setFirstColumnSpanned(True)
            group.setFont(0, bold)
            group.setFlags(Qt.ItemFlag.ItemIsEnabled)
            for keys, does in rows:
                QTreeWidgetItem(group, [keys, does])
        self.table.expandAll()
        header = self.table.header()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        fm = self.fontMetrics()
        self.table.resizeColumnToContents(0)
        self.table.resizeColumnToContents(1)
        width = self.table.columnWidth(0) + self.table.columnWidth(1) + self.table.indentation() \
            + self.table.verticalScrollBar().sizeHint().width() + 40
        self.table.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        self.resize(max(width, fm.averageCharWidth() * 60), fm.height() * 40)

    def rows(self) -> list[tuple[str, str, str]]:
        """(group, keys, does) for each line, in order (for tests)."""
        out = []
        for i in range(self.table.topLevelItemCount()):
            group = self.table.topLevelItem(i)
            for j in range(group.childCount()):
                item = group.child(j)
                out.append((group.text(0), item.text(0), item.text(1)))
        return out
