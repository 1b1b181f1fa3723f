"""Start the desktop app."""

from __future__ import annotations

import sys


def run(db_path: str | None = None) -> int:
    from PySide6.QtWidgets import QApplication, QLabel, QMessageBox

    from ..storage import Diary, DiaryError

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Probation Diary")
    try:
        diary = Diary.open(db_path)
    except DiaryError as exc:
        QMessageBox.critical(None, "Probation Diary", str(exc))
        return 2
    label = QLabel(f"Probation Diary\n{diary.path}")
    label.resize(480, 200)
    label.show()
    return app.exec()
