"""Render the README screenshots: the main window on the demo week (light and dark, at
1280x800 and 1920x1080, and at 2x scaling), a week with three overlapping appointments, the
list and caseload, the entry editor, the settings, the first-run screen, keying mode and the
keyboard shortcuts, to docs/screenshots/*.png. Offscreen; fictional data only.

    .venv/bin/python scripts/screenshots.py [--out docs/screenshots]

The 2x one runs this script again in a subprocess with QT_SCALE_FACTOR=2 (``--only-2x``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def offscreen_screen(width: int, height: int) -> str:
    """An offscreen screen of width x height device pixels (windows are fitted to the screen,
    so it must be as large as the largest window drawn)."""
    import json

    path = Path(tempfile.gettempdir()) / f"pd-shots-screen-{width}x{height}.json"
    path.write_text(json.dumps({"screens": [{"name": "shots", "x": 0, "y": 0, "width": width, "height": height,
                                             "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}))
    return f"offscreen:configfile={path}"


if os.environ["QT_QPA_PLATFORM"] == "offscreen":
    # big enough for the largest window drawn (at 2x: 1360x880 logical pixels)
    os.environ["QT_QPA_PLATFORM"] = offscreen_screen(2720, 1760) if os.environ.get("QT_SCALE_FACTOR") == "2" \
        else offscreen_screen(2560, 1440)
# Friday evening of the demo week: most appointments have happened, some await an outcome.
MONDAY = dt.date(2026, 11, 16)
os.environ["PROBATION_DIARY_NOW"] = "2026-11-20 17:30"


def dark_palette():
    from PySide6.QtGui import QColor, QPalette

    p = QPalette()
    roles = {
        QPalette.ColorRole.Window: "#2b2b2b", QPalette.ColorRole.WindowText: "#e6e6e6",
        QPalette.ColorRole.Base: "#1e1e1e", QPalette.ColorRole.AlternateBase: "#262626",
        QPalette.ColorRole.Text: "#e6e6e6", QPalette.ColorRole.Button: "#333333",
        QPalette.ColorRole.ButtonText: "#e6e6e6", QPalette.ColorRole.Highlight: "#3d8ee0",
        QPalette.ColorRole.HighlightedText: "#ffffff", QPalette.ColorRole.ToolTipBase: "#333333",
        QPalette.ColorRole.ToolTipText: "#e6e6e6", QPalette.ColorRole.PlaceholderText: "#9a9a9a",
    }
    for role, colour in roles.items():
        p.setColor(role, QColor(colour))
    return p


def demo_diary(path: Path):
    from probation_diary.store.diary import Diary

    diary = Diary.open(path)
    diary.set_settings({"contracted_hours": "37", "provider_code": "N07", "team_code": "N07T01",
                        "staff_code": "N07A123"})
    try:
        from probation_diary.core.demo import build_demo_week
    except ImportError:
        raise SystemExit("core.demo is not available; cannot render the demo week")
    build_demo_week(diary, MONDAY)
    add_overlaps(diary, MONDAY + dt.timedelta(days=7))
    return diary


def add_overlaps(diary, monday: dt.date) -> None:
    """The next week: three appointments that overlap on Tuesday morning (booked, future)."""
    from probation_diary.core import clock
    from probation_diary.core.validation import EntryDraft, check_entry

    day = (monday + dt.timedelta(days=1)).isoformat()
    for type_, crn, start, end in (("COAP", "Z900101", "10:00", "11:00"),
                                   ("COAP", "Z900102", "10:15", "11:15"),
                                   ("CHVS", "Z900103", "10:30", "12:00"),
                                   ("Team meeting", "", "13:00", "14:00")):
        draft = EntryDraft(type=type_, crn=crn, start_date=day, start_time=start, end_time=end)
        checked = check_entry(draft, diary.reference(), clock.now_utc())
        if checked.ok:
            diary.add_entry(checked.entry)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    parser.add_argument("--only-2x", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    if not args.only_2x:
        env = dict(os.environ, QT_SCALE_FACTOR="2", QT_QPA_PLATFORM="offscreen")
        subprocess.run([sys.executable, __file__, "--out", str(out), "--only-2x"], env=env, check=True)

    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(["screenshots"])
    app.setStyle("Fusion")

    from probation_diary.core.clock import Week
    from probation_diary.ui.mainwindow import LIST_PAGE, PEOPLE_PAGE, WEEK_PAGE, MainWindow, load_part

    tmp = Path(tempfile.mkdtemp(prefix="pd-shots-"))
    os.environ["HOME"] = str(tmp)  # QSettings of a screenshot run never touch the user's
    os.environ["XDG_CONFIG_HOME"] = str(tmp / "config")
    diary = demo_diary(tmp / "demo-diary.db")
    written = []

    def save(widget, name):
        app.processEvents()
        path = out / f"{name}.png"
        widget.grab().save(str(path))
        written.append(path)

    def window_at(size):
        w = MainWindow(diary)
        w.resize(*size)
        w.go_to_week(Week(MONDAY))
        w.show_page(WEEK_PAGE)
        w.show()
        app.processEvents()
        w.week_view.scroll_to_minute(8 * 60)
        return w

    if args.only_2x:  # QT_SCALE_FACTOR=2: 1280x800 logical pixels, 2560x1600 on the PNG
        w = window_at((1280, 800))
        save(w, "main-week-1280x800-2x")
        w.close()
        diary.close()
        for path in written:
            print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
        return 0

    for size in ((1280, 800), (1920, 1080)):
        tag = f"{size[0]}x{size[1]}"
        w = window_at(size)
        ids = sorted(w.week_view.entries)
        if ids:
            w.week_view.select(ids[len(ids) // 2], reveal=False)
        save(w, f"main-week-{tag}")
        w.show_page(LIST_PAGE)
        save(w, f"main-list-{tag}")
        w.show_page(PEOPLE_PAGE)
        save(w, f"main-people-{tag}")
        w.close()

    w = window_at((1280, 800))
    w.go_to_week(Week(MONDAY + dt.timedelta(days=7)))
    w.week_view.scroll_to_minute(8 * 60)
    save(w, "main-week-overlaps-1280x800")
    w.close()

    # dark mode: the palette the system scheme would give (icons follow it)
    from probation_diary.ui.icons import retint

    light = app.palette()
    app.setPalette(dark_palette())
    w = window_at((1280, 800))
    retint(w)
    save(w, "main-week-dark-1280x800")
    w.go_to_week(Week(MONDAY + dt.timedelta(days=7)))
    w.week_view.scroll_to_minute(8 * 60)
    save(w, "main-week-overlaps-dark-1280x800")
    w.close()
    app.setPalette(light)

    w = window_at((1280, 800))
    editor_cls = load_part("entry.editor", "EntryEditor")
    if editor_cls is not None:
        ref = diary.reference()
        entry = next(e for e in w.week_view.entries.values()
                     if ref.types[e.type_id].needs_outcome and e.outcome_code)
        editor = editor_cls(diary, entry=entry, parent=w)
        editor.show()
        save(editor, "editor")
        editor.close()
        new = editor_cls(diary, kind="admin", day=MONDAY, parent=w)
        new.show()
        save(new, "editor-new-admin")
        new.close()
    keys = w.shortcuts_dialog()
    keys.show()
    save(keys, "shortcuts")
    keys.close()
    keying_cls = load_part("delius.keying", "KeyingWindow")
    if keying_cls is not None:  # keying mode, two fields into the first contact it can key
        keying = keying_cls(w, MONDAY, MONDAY + dt.timedelta(days=6))
        keying.show()
        while keying.current is not None and not keying.current.ok:
            keying.skip()
        keying.copy_next()
        keying.copy_next()
        save(keying, "keying")
        keying.close()
    for module, name, shot in (("settings.dialog", "SettingsDialog", "settings"),
                               ("settings.firstrun", "FirstRunDialog", "first-run")):
        cls = load_part(module, name)
        if cls is None:
            print(f"{module}.{name} is not available yet; no {shot}.png")
            continue
        from probation_diary.store.diary import Diary

        # the first-run screen as a new user sees it: an empty diary with the defaults
        source = Diary.open(tmp / "new-diary.db") if shot == "first-run" else diary
        dlg = cls(source, w)
        dlg.show()
        save(dlg, shot)
        dlg.close()
    w.close()
    diary.close()
    for path in written:
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
