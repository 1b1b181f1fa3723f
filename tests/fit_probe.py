"""Open every window and dialog of the app (shown, never run modally) and list what does not
fit the screen or is cut short where it need not be. Used in-process on the tests' 1280x800
offscreen screen, and as a script in a subprocess under QT_SCALE_FACTOR=2
(tests/ui/test_fits_every_screen.py).

    python -P tests/fit_probe.py   -> prints a JSON list of problems (empty when all fit)
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
MONDAY = dt.date(2026, 11, 16)
NOW = "2026-11-20 17:00"


def _labels_cut(window) -> list[str]:
    """Plain (not word-wrapped) labels narrower than their text, buttons narrower than theirs."""
    from PySide6.QtWidgets import QAbstractButton, QLabel, QToolButton

    problems = []
    for label in window.findChildren(QLabel):
        if not label.isVisibleTo(window) or label.wordWrap() or not label.text() or label.pixmap() \
                and not label.pixmap().isNull():
            continue
        if label.textFormat().name == "RichText" or "<" in label.text():
            continue
        need = label.minimumSizeHint().width()
        if label.width() + 1 < need:
            problems.append(f"label {label.text()[:40]!r} {label.width()} < {need}")
    for button in window.findChildren(QAbstractButton):
        if not button.isVisibleTo(window) or not button.text() or isinstance(button, QToolButton) \
                and button.toolButtonStyle().name == "ToolButtonIconOnly":
            continue
        need = button.minimumSizeHint().width()
        if button.width() + 1 < min(need, button.sizeHint().width()):
            problems.append(f"button {button.text()!r} {button.width()} < {need}")
    return problems


def check(window, name: str) -> list[str]:
    from PySide6.QtWidgets import QApplication

    from probation_diary.ui import fit

    window.show()
    for _ in range(3):
        QApplication.processEvents()
    problems = []
    area = fit.available(window)
    if not fit.fits(window, area):
        problems.append(f"{window.width()}x{window.height()} does not fit {area.width()}x{area.height()}")
    title = window.windowTitle()
    if title and window.width() < window.fontMetrics().horizontalAdvance(title) + 100:
        problems.append(f"title {title!r} is cut ({window.width()} wide)")
    problems += _labels_cut(window)
    return [f"{name}: {p}" for p in problems]


def windows(diary, main):
    """(name, factory) for every window and dialog."""
    from probation_diary.core import clock
    from probation_diary.ui.calendar.dialog import CalendarImportDialog, KeywordsDialog, RangeDialog
    from probation_diary.ui.delius.dialog import DeliusExportDialog
    from probation_diary.ui.delius.keying import KeyingWindow
    from probation_diary.ui.entry.editor import EntryEditor
    from probation_diary.ui.evidence.report import ReportDialog
    from probation_diary.ui.evidence.window import EvidenceWindow
    from probation_diary.ui.security import actions as security
    from probation_diary.ui.security.unlock import CreateDiaryDialog, UnlockDialog
    from probation_diary.ui.settings.dialog import SettingsDialog
    from probation_diary.ui.settings.firstrun import FirstRunDialog

    entry = next(iter(main.week_view.entries.values()))
    sunday = MONDAY + dt.timedelta(days=6)
    ics = (ROOT / "tests" / "fixtures" / "outlook.ics").read_bytes()
    path = Path(diary.path) if diary.path else Path(tempfile.gettempdir()) / "diary.db"
    return [
        ("editor (new)", lambda: EntryEditor(diary, kind="appointment", day=MONDAY, parent=main)),
        ("editor (edit)", lambda: EntryEditor(diary, entry=entry, parent=main)),
        ("settings", lambda: SettingsDialog(diary, main)),
        ("first run", lambda: FirstRunDialog(diary, main)),
        ("weekly report", lambda: ReportDialog(diary, main.current_week(), main)),
        ("evidence", lambda: EvidenceWindow(diary, main)),
        ("Delius export", lambda: DeliusExportDialog(diary, MONDAY, sunday, parent=main)),
        ("calendar range", lambda: RangeDialog("Import calendar: which dates?", MONDAY, sunday, parent=main)),
        ("calendar keywords", lambda: KeywordsDialog(diary, main)),
        ("calendar import", lambda: CalendarImportDialog(diary, ics, MONDAY, sunday, clock.now_utc(), main)),
        ("unlock", lambda: UnlockDialog(path, main)),
        ("create diary", lambda: CreateDiaryDialog(path, main)),
        ("new passphrase", lambda: security._NewPassphraseDialog(main, ask_current=True)),
        ("retention", lambda: security._RetentionDialog(main, 365)),
        ("backups", lambda: security._ListDialog(main, "Restore from backup", "Choose a backup.",
                                                 [("backup 1", 1)], action="Restore")),
        ("shortcuts", lambda: main.shortcuts_dialog()),
        ("Delius keying", lambda: KeyingWindow(main, MONDAY, sunday)),
    ]


def probe(diary) -> list[str]:
    """Every problem found, the main window first (the diary needs a few entries)."""
    from PySide6.QtWidgets import QToolButton

    from probation_diary.core.clock import Week
    from probation_diary.ui.mainwindow import MainWindow

    main = MainWindow(diary)
    main.go_to_week(Week(MONDAY))
    problems = check(main, "main window")
    for page, name in ((1, "list"), (2, "people"), (0, "week")):
        main.show_page(page)
        problems += check(main, f"main window ({name})")
    ext = main.toolbar.findChild(QToolButton, "qt_toolbar_ext_button")
    if ext is not None and ext.isVisible():
        problems.append("main window: toolbar buttons hidden behind the overflow arrow")
    if main.timer is not None:
        crn = main.timer.crn_edit
        if crn.width() < crn.fontMetrics().horizontalAdvance("X000000") + 12:
            problems.append(f"main window: timer CRN box is {crn.width()} wide")
    for name, make in windows(diary, main):
        w = make()
        problems += check(w, name)
        if name in ("unlock", "create diary", "new passphrase"):
            from PySide6.QtWidgets import QLineEdit

            for edit in w.findChildren(QLineEdit):
                if edit.echoMode() == QLineEdit.EchoMode.Password and edit.isVisibleTo(w) \
                        and edit.width() < edit.fontMetrics().averageCharWidth() * 30:
                    problems.append(f"{name}: passphrase box is {edit.width()} wide")
        w.close()
        w.deleteLater()
    main.close()
    main.deleteLater()  # no timer of it may fire after its diary is closed
    from PySide6.QtCore import QCoreApplication, QEvent

    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
    return problems


def demo_diary(path: Path):
    sys.path.insert(0, str(ROOT / "tests"))
    from builders import add

    from probation_diary.core.demo import build_demo_week
    from probation_diary.store.diary import Diary

    diary = Diary.open(path)
    diary.set_settings({"contracted_hours": "37"})
    build_demo_week(diary, MONDAY)
    for crn, start, end in (("X100001", "10:00", "11:00"), ("X100002", "10:15", "11:15"),
                            ("X100003", "10:30", "12:00")):
        add(diary, "COAP", f"2026-11-17 {start}", f"2026-11-17 {end}", crn=crn)
    return diary


def main() -> int:
    os.environ["PROBATION_DIARY_NOW"] = NOW
    sys.path.insert(0, str(ROOT))
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(["fit-probe"])
    tmp = Path(tempfile.mkdtemp(prefix="pd-fit-"))
    diary = demo_diary(tmp / "diary.db")
    screen = app.primaryScreen()
    size, scale = screen.availableGeometry().size().toTuple(), screen.devicePixelRatio()
    problems = probe(diary)
    print(json.dumps({"screen": list(size), "scale": scale, "problems": problems}))
    diary.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
