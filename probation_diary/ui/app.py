"""Start the desktop app."""

from __future__ import annotations

import sys


# What the window uses that does not need Qt, imported before PySide6 (then only the import
# statements that name them again make PySide look at them: see answer_feature_scan).
QT_FREE_FIRST = (
    "probation_diary.store.diary", "probation_diary.store.opening", "probation_diary.store.security",
    "probation_diary.store.handles", "probation_diary.store.delius", "probation_diary.core.timesplit",
    "probation_diary.core.dates", "probation_diary.core.holidays", "json",
)


def answer_feature_scan() -> None:
    """After PySide6 loads, the first import statement naming any module makes PySide read
    that module's source, looking for "PySide6" to set up its __feature__ switch (which the
    app never uses): 47 files and about 8 ms before the first paint (issue 18). The app's own
    modules, and the standard library's, are answered without the read (the same answer:
    only the window's modules use PySide6); any other module is read as before. If PySide no
    longer works this way, nothing is changed."""
    import os

    feature = sys.modules.get("PySide6.support.feature")
    read = getattr(feature, "_mod_uses_pyside", None)
    if not callable(read) or getattr(read, "answered", False):
        return
    home = getattr(os, "__file__", None)  # (a frozen bundle may not say where it is)
    stdlib = os.path.dirname(home) + os.sep if isinstance(home, str) else None

    def uses_pyside(module) -> bool:
        name = getattr(module, "__name__", "")
        if name == "probation_diary" or name.startswith("probation_diary."):
            return name.startswith("probation_diary.ui")
        file = getattr(module, "__file__", None)
        if stdlib and isinstance(file, str) and file.startswith(stdlib) and "-packages" not in file:
            return False
        return read(module)

    uses_pyside.answered = True
    feature._mod_uses_pyside = uses_pyside


def collect_again() -> None:
    """The collector back on (cli.launch_app turned it off for the start-up), with what the
    start-up made set aside: it lives as long as the app, so later passes skip it."""
    import gc

    gc.freeze()
    gc.enable()


def run(db_path: str | None = None) -> int:
    import importlib

    for name in QT_FREE_FIRST:
        importlib.import_module(name)
    import PySide6  # noqa: F401 (loads PySide's import hook, answered next)

    answer_feature_scan()
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication

    from ..store.diary import DiaryError
    from . import dialogs
    from .icons import app_icon

    QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Probation Diary")
    app.setOrganizationName("Probation Diary")
    app.setDesktopFileName("probation-diary")
    app.setWindowIcon(app_icon())
    from .security.opening import open_diary_interactively  # single instance, passphrase, damaged file

    try:
        diary = open_diary_interactively(db_path, listen=False)  # listens after the first paint
    except (DiaryError, OSError) as exc:
        text = str(exc) if isinstance(exc, DiaryError) else (exc.strerror or type(exc).__name__)
        dialogs.show_error(None, f"The diary could not be opened: {text}")
        return 2
    except Exception as exc:  # never a traceback: a damaged file can put anything in one
        dialogs.show_error(None, f"The diary could not be opened ({type(exc).__name__}); the file was left "
                                 "untouched. If it is damaged, restore a backup from its backups folder.")
        return 2
    if diary is None:
        return 0  # cancelled, handed to the copy already running, or already explained

    from .mainwindow import MainWindow

    window = MainWindow(diary, defer_areas=True)  # area tools load just after the first paint
    window.show()
    window.after_first_paint(collect_again)  # first: the welcome screen below waits for its answer
    guard = getattr(diary, "instance_guard", None)
    if guard is not None:
        window.after_first_paint(guard.listen)  # a second launch is then handed to this copy
    # the welcome screen (and its imports) after the first paint, over a diary already on screen
    window.after_first_paint(window.maybe_first_run)
    try:
        return app.exec()
    finally:
        if guard is not None:
            guard.release()  # the lock file and the socket go even if the areas never loaded
        diary.close()
