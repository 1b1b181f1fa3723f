"""`probation-diary --self-test`: prove that this copy of the app works, end to end.

It opens a brand-new diary in a temporary folder (never the user's real diary), saves an entry
through the same validation path as the window, computes that week's time split, writes a
Delius CSV and the diary's own CSV, reads them back, and removes the folder. It prints one line
per step and exits 0 if all passed. Nothing personal is involved: the CRN is made up.

The last step opens the main window on Qt's offscreen platform, so it needs no display, and
it proves that a packaged bundle carries its Qt libraries and plugins.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import sys
import tempfile
from pathlib import Path

from .. import __version__

TEST_CRN = "Z999999"


def run_self_test(out=None, gui: bool = True) -> int:
    out = out or sys.stdout
    steps = []

    def step(name: str, ok: bool, detail: str = "") -> None:
        steps.append(ok)
        print(f"{'ok  ' if ok else 'FAIL'} {name}{(': ' + detail) if detail else ''}", file=out)

    print(f"Probation Diary {__version__} self-test", file=out)
    try:
        with tempfile.TemporaryDirectory(prefix="probation-diary-selftest-") as tmp:
            _run(Path(tmp), step, gui)
    except Exception as exc:  # report the kind only: messages can carry data
        step("unexpected problem", False, type(exc).__name__)
    passed = bool(steps) and all(steps)
    print("Self-test passed" if passed else "Self-test FAILED", file=out)
    return 0 if passed else 1


def _run(folder: Path, step, gui: bool) -> None:
    from ..core import clock
    from ..formats import diarycsv
    from ..core.validation import EntryDraft, check_entry
    from ..store.diary import RESOURCES, Diary

    step("reference data", (RESOURCES / "activity-types.csv").is_file(), str(RESOURCES.name))
    diary = Diary.open(folder / "selftest.db")
    try:
        step("open a new diary", diary.schema_version >= 1, f"schema {diary.schema_version}")
        # A fixed past week, so an attended outcome is allowed and the figures are known.
        monday = dt.date(2026, 10, 19)
        now = clock.local_to_utc(dt.datetime(2026, 10, 24, 12, 0)).instant
        draft = EntryDraft(type="COAP", crn=TEST_CRN, start_date=monday.isoformat(),
                           start_time="10:00", end_time="11:00", outcome="ATTC")
        checked = check_entry(draft, diary.reference(), now)
        step("check an entry", checked.ok, checked.first_error())
        if not checked.ok:
            return
        entry = diary.add_entry(checked.entry)
        step("save an entry", diary.get_entry(entry.id) == entry, entry.ref)

        summary = diary.week_summary(clock.Week.containing(monday), now=now)
        step("weekly time split", summary.minutes["face_to_face"] == 60,
             f"face to face {clock.format_minutes(summary.minutes['face_to_face'])}")

        name, text = _delius_csv(diary, monday, now, folder)
        rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
        step("write a Delius CSV", len(rows) == 2 and TEST_CRN in rows[1]
             and diary.get_entry(entry.id).delius_status == "exported", name)

        buf = io.StringIO()
        diarycsv.write(diary.all_entries(), diary.reference(), {}, buf)
        back = diarycsv.read(buf.getvalue(), diary.reference(), now)
        step("diary CSV round trip", not back.errors and len(back.entries) == 1)
        if gui:
            step(*_window_check(diary))
    finally:
        diary.close()


def _window_check(diary) -> tuple[str, bool, str]:
    """Qt loads (offscreen: no display needed) and the main window opens on the test diary.
    This is what proves a packaged bundle has its Qt libraries, plugins and icons."""
    from PySide6.QtWidgets import QApplication

    # offscreen always; an offscreen platform already chosen keeps its options (a screen size)
    chosen = os.environ.get("QT_QPA_PLATFORM", "").startswith("offscreen")
    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "probation-diary",
                                                   *([] if chosen else ["-platform", "offscreen"])])
    from ..ui.app import answer_feature_scan

    answer_feature_scan()  # as the app starts: its own answer to PySide's source scan, in a bundle too
    from ..ui.icons import app_icon
    from ..ui.mainwindow import MainWindow

    window = MainWindow(diary)
    try:
        problems = dict(getattr(window, "install_errors", {}))
        icon_ok = not app_icon().isNull()
        ok = not problems and icon_ok and bool(window.menus)
        detail = f"{app.platformName()}" + (f"; could not load: {', '.join(problems)}" if problems else "")
        return "main window opens", ok, detail + ("" if icon_ok else "; no icon")
    finally:
        window.deleteLater()  # not close(): that would save its layout to the user's settings
        app.processEvents()


def _delius_csv(diary, monday: dt.date, now: dt.datetime, folder: Path) -> tuple[str, str]:
    """The Delius CSV, written as `export-delius` writes it (core.delius + delius_io)."""
    from . import delius as delius_io

    diary.set_settings({"provider_code": "N07", "team_code": "N07T01", "staff_code": "N07A001"})
    export = delius_io.plan_export(diary, monday, monday + dt.timedelta(days=6), now=now)
    if export.problems:
        return "; ".join(p.reason for p in export.problems), ""
    written = delius_io.export_to_file(diary, export, folder / "delius.csv", now=now)
    from ..formats import delius

    return f"{written.count} row(s)", written.path.read_text(encoding=delius.ENCODING)
