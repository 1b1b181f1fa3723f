"""No two actions of the main window (its own and every area's) share a shortcut: Qt fires
neither of an ambiguous pair, so a clash silently kills a shortcut."""

from collections import defaultdict

from PySide6.QtGui import QAction


def test_every_shortcut_is_unique(window):
    owners = defaultdict(set)
    for action in window.findChildren(QAction):
        for seq in action.shortcuts():
            if not seq.isEmpty():
                owners[seq.toString()].add(action.text().replace("&", ""))
    clashes = {keys: names for keys, names in owners.items() if len(names) > 1}
    assert not clashes
    assert "Ctrl+L" in owners and "Ctrl+Shift+L" in owners  # quick entry, lock
