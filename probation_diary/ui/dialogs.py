"""Every modal dialog and file chooser the app shows goes through here, so tests patch one place.

The functions use the static QMessageBox / QFileDialog calls (native dialogs where the platform
has them). Messages are shown to the user only; nothing here is logged.
"""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox, QWidget

TITLE = "Probation Diary"


def ask_confirmation(parent: QWidget | None, text: str, *, title: str = TITLE,
                     confirm: str = "OK", detail: str = "") -> bool:
    """Yes/no question; True only if the user explicitly confirms."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton, parent)
    if detail:
        box.setInformativeText(detail)
    yes = box.addButton(confirm, QMessageBox.ButtonRole.AcceptRole)
    no = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(no)
    box.setEscapeButton(no)
    exec_dialog(box)
    return box.clickedButton() is yes


def show_error(parent: QWidget | None, text: str, *, title: str = TITLE) -> None:
    QMessageBox.critical(parent, title, text)


def show_info(parent: QWidget | None, text: str, *, title: str = TITLE) -> None:
    QMessageBox.information(parent, title, text)


def choose_save_file(parent: QWidget | None, caption: str, suggested: str = "",
                     filters: str = "All files (*)") -> str | None:
    path, _ = QFileDialog.getSaveFileName(parent, caption, suggested, filters)
    return path or None


def choose_open_file(parent: QWidget | None, caption: str, start: str = "",
                     filters: str = "All files (*)") -> str | None:
    path, _ = QFileDialog.getOpenFileName(parent, caption, start, filters)
    return path or None


def exec_dialog(dialog: QDialog) -> int:
    """Run a modal dialog; returns QDialog.DialogCode as int. Tests replace this."""
    return int(dialog.exec())
