"""Render the README screenshots: the main window on the demo week (light and dark, at
1280x800 and 1920x1080), the list and caseload, the entry editor, the settings and the
first-run screen and keying mode, to docs/screenshots/*.png. Offscreen; fictional data only.

    .venv/bin/python scripts/screenshots.py [--out docs/screenshots]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
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
    return diary


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

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

    # dark mode: the window's own palette (what the system scheme would give it)
    w = window_at((1280, 800))
    w.setPalette(dark_palette())
    save(w, "main-week-dark-1280x800")
    w.close()

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
