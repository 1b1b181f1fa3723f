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


def test_the_opening_dialogs_are_usable_by_alt_keys(tmp_path, qtbot):
    """Creating or unlocking a diary from the keyboard: every button, box and field label of
    those dialogs has its own Alt key (Alt+D on 'Don't encrypt' typed a 'd' into the
    passphrase instead)."""
    from PySide6.QtWidgets import QAbstractButton, QLabel

    from probation_diary.ui.security.unlock import CreateDiaryDialog, UnlockDialog

    for dialog in (CreateDiaryDialog(tmp_path / "new.db"), UnlockDialog(tmp_path / "old.db")):
        qtbot.addWidget(dialog)
        keys = []
        for w in dialog.findChildren(QAbstractButton):
            if w.text() and w.text() != "&Cancel" and w.text() != "Cancel":
                assert "&" in w.text(), w.text()
                keys.append(w.text().split("&", 1)[1][0].lower())
        for label in dialog.findChildren(QLabel):
            if label.buddy() is not None:
                assert "&" in label.text(), label.text()
                keys.append(label.text().split("&", 1)[1][0].lower())
        assert len(keys) == len(set(keys)), keys
