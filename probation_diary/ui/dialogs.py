"""Every modal dialog and file chooser the app shows goes through here, so tests patch one place.

The functions use the static QMessageBox / QFileDialog calls (native dialogs where the platform
has them). Messages are shown to the user only; nothing here is logged.
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtWidgets import QDialog, QWidget

# QMessageBox and QFileDialog load when first shown: the window starts without them (their
# Python classes and enums cost about 3 ms before the first paint, issue 18).

TITLE = "Probation Diary"


def ask_confirmation(parent: QWidget | None, text: str, *, title: str = TITLE,
                     confirm: str = "OK", detail: str = "") -> bool:
    """Yes/no question; True only if the user explicitly confirms."""
    from PySide6.QtWidgets import QMessageBox

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
    from PySide6.QtWidgets import QMessageBox

    QMessageBox.critical(parent, title, text)


def show_info(parent: QWidget | None, text: str, *, title: str = TITLE) -> None:
    from PySide6.QtWidgets import QMessageBox

    QMessageBox.information(parent, title, text)


# --- where file choosers start --------------------------------------------------------------
#
# Never in the diary's folder: a file dialog opens the files it lists to tell their type, and
# closing such a descriptor on the diary drops this process's SQLite locks (store/handles.py
# keeps the diary safe even then, but there is no reason to go there). They start in the
# user's Documents folder, then in the last folder the user chose, unless that is a folder
# holding a diary.

_last_folder: str | None = None


def documents_folder() -> Path:
    from PySide6.QtCore import QStandardPaths

    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    folder = Path(found) if found else Path.home() / "Documents"
    return folder if folder.is_dir() else Path.home()


def _holds_a_diary(folder: Path) -> bool:
    from ..store.diary import default_path

    try:
        if folder.resolve() == default_path().parent.resolve():
            return True
        return any(folder.glob("*.db-wal")) or any(folder.glob("*.db.lock")) or (folder / "backups").is_dir()
    except OSError:
        return True


def start_path(suggested: str = "") -> str:
    """Where a chooser opens: the suggested file name in Documents (or the last folder used);
    a suggestion in the diary's folder is moved to Documents."""
    folder = Path(_last_folder) if _last_folder else documents_folder()
    if not folder.is_dir() or _holds_a_diary(folder):
        folder = documents_folder()
    if suggested:
        given = Path(suggested)
        if given.is_absolute() and given.parent.is_dir() and not _holds_a_diary(given.parent):
            return str(given)
        return str(folder / given.name)
    return str(folder)


def remember_folder(path: str | None) -> None:
    global _last_folder
    if path:
        folder = Path(path).parent
        if folder.is_dir() and not _holds_a_diary(folder):
            _last_folder = str(folder)


def choose_save_file(parent: QWidget | None, caption: str, suggested: str = "",
                     filters: str = "All files (*)") -> str | None:
    from PySide6.QtWidgets import QFileDialog

    path, _ = QFileDialog.getSaveFileName(parent, caption, start_path(suggested), filters)
    remember_folder(path)
    return path or None


def choose_open_file(parent: QWidget | None, caption: str, start: str = "",
                     filters: str = "All files (*)") -> str | None:
    from PySide6.QtWidgets import QFileDialog

    path, _ = QFileDialog.getOpenFileName(parent, caption, start_path(start), filters)
    remember_folder(path)
    return path or None


def exec_dialog(dialog: QDialog) -> int:
    """Run a modal dialog; returns QDialog.DialogCode as int. Tests replace this."""
    from . import fit

    fit.watch(dialog)  # it fits the screen, even before the main window is up
    return int(dialog.exec())


@contextmanager
def working(window, text: str):
    """For a step that cannot report how far it has got (reading a calendar file): the wait
    cursor, and ``text`` in the window's status bar, painted before the step starts."""
    from PySide6.QtCore import QEventLoop, Qt
    from PySide6.QtWidgets import QApplication

    bar = window.statusBar() if hasattr(window, "statusBar") else None
    if bar is not None:
        bar.showMessage(text)
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    QApplication.processEvents(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
    try:
        yield
    finally:
        QApplication.restoreOverrideCursor()
        if bar is not None and bar.currentMessage() == text:
            bar.clearMessage()


class Cancelled(Exception):
    """The user pressed Cancel in a progress dialog (see ``progress``)."""


@contextmanager
def progress(parent: QWidget | None, label: str, total: int = 0):
    """A progress dialog with Cancel for a long step in the window's own thread (a Delius
    export of years of contacts), shown once the step has taken half a second. The step calls
    the yielded ``report(done, total=None, label=None)`` now and then: it moves the bar (a busy
    bar while ``total`` is 0), keeps the window painting, and raises Cancelled once Cancel has
    been pressed. The wait cursor shows as well."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication, QProgressDialog, QPushButton

    dlg = QProgressDialog(label, "Cancel", 0, total, parent)
    for button in dlg.findChildren(QPushButton):  # (Qt's own, which Esc also presses)
        button.setAutoDefault(False)  # Enter pressed ahead, for the message that follows, never cancels
        button.setDefault(False)
    dlg.setWindowTitle("Probation Diary")
    dlg.setWindowModality(Qt.WindowModality.WindowModal)
    dlg.setMinimumDuration(500)
    dlg.setAutoClose(False)
    dlg.setAutoReset(False)
    dlg.setValue(0)

    def report(done: int, total: int | None = None, label: str | None = None) -> None:
        if total is not None and total != dlg.maximum():
            dlg.setMaximum(total)
        if label is not None:
            dlg.setLabelText(label)
        if dlg.maximum():
            dlg.setValue(min(done, dlg.maximum()))  # (it shows the dialog when it is time)
        if dlg.isVisible() or not dlg.maximum():
            QApplication.processEvents()  # a busy bar's value never moves, so setValue would not
        if dlg.wasCanceled():
            raise Cancelled()

    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        yield report
    finally:
        QApplication.restoreOverrideCursor()
        dlg.reset()
        dlg.hide()
        dlg.deleteLater()


def bring_forward(window) -> None:
    """Show a window in front, un-minimised, with the keyboard (the tray, a second launch)."""
    if window.isMinimized():
        window.showNormal()
    window.show()
    window.raise_()
    window.activateWindow()
