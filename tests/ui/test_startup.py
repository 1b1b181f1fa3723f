"""Start-up stays cheap (issue 4): lazy area imports, panels built on first use, area tools
installed just after the first paint when the app starts."""

from __future__ import annotations

import subprocess
import sys

from probation_diary.ui.mainwindow import LIST_PAGE, PEOPLE_PAGE, MainWindow


def _modules_after(code: str) -> set[str]:
    out = subprocess.run([sys.executable, "-c", code + "\nimport sys; print('\\n'.join(sys.modules))"],
                         capture_output=True, text=True, check=True,
                         env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"}).stdout
    return set(out.split())


def _launch(probe: str, tmp_path) -> tuple[str, str]:
    """Run `probe` with a new diary's path as its argument, as the app runs (offscreen, its own
    HOME); the last line it printed, and the end of its error output."""
    import os

    from probation_diary.store.diary import Diary

    db = tmp_path / "new.db"
    Diary.open(db).close()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path),
           "XDG_CONFIG_HOME": str(tmp_path / "config")}
    out = subprocess.run([sys.executable, "-c", probe, str(db)], capture_output=True, text=True, timeout=120,
                         env=env)
    lines = out.stdout.strip().splitlines()
    return (lines[-1] if lines else ""), out.stderr[-2000:]


def test_parsing_the_command_line_loads_no_export_or_report_code():
    loaded = _modules_after("from probation_diary.cli import parser\nparser.build_parser().parse_args([])")
    assert "probation_diary.formats.delius" not in loaded
    assert "probation_diary.formats.report_pdf" not in loaded
    assert not any(m.startswith("PySide6") for m in loaded)


def test_area_hooks_import_their_dialogs_only_when_used():
    loaded = _modules_after("import probation_diary.ui.delius.actions, probation_diary.ui.evidence.actions")
    for lazy in ("probation_diary.ui.delius.dialog", "probation_diary.formats.delius",
                 "probation_diary.ui.evidence.report", "probation_diary.ui.evidence.window",
                 "probation_diary.ui.evidence.export", "probation_diary.formats.report_pdf"):
        assert lazy not in loaded, lazy


def test_list_and_caseload_are_built_when_first_shown(qtbot, diary):
    win = MainWindow(diary)
    qtbot.addWidget(win)
    assert win._list_panel is None and win._people_panel is None
    win.show_page(LIST_PAGE)
    assert win._list_panel is not None and win.list_panel.isVisibleTo(win)
    win.show_page(PEOPLE_PAGE)
    assert win._people_panel is not None


def test_deferred_areas_install_after_the_first_paint(qtbot, diary_path):
    from probation_diary.store.diary import Diary

    diary = Diary.open(diary_path)
    win = MainWindow(diary, defer_areas=True)
    qtbot.addWidget(win)
    assert not win.areas_installed
    assert not hasattr(win, "delius_actions")
    assert "UNENCRYPTED" in win.windowTitle()  # said from the start, before security installs
    win.show()
    qtbot.waitUntil(lambda: win.areas_installed)
    assert win.install_errors == {}
    assert hasattr(win, "delius_actions") and hasattr(win, "evidence_actions")
    assert win.windowTitle().count("UNENCRYPTED") == 1
    file_menu = [a.text() for a in win.menus["file"].actions() if a.text()]
    assert file_menu.index("&Lock") < file_menu.index("&Quit")
    win.close()
    diary.close()


def test_the_act_on_list_comes_just_after_the_first_paint_with_the_weeks_rows(qtbot, diary, make_entry):
    """At start-up the figures paint first; the act-on list (its item-view classes and its
    wrapped lines) is built just after, with the rows the week gave (issue 18)."""
    from builders import add

    add(diary, "COAP", "2026-11-18 10:00", "2026-11-18 11:00", crn="X123456")  # awaiting an outcome
    add(diary, "Team meeting", "2026-11-19 10:00", "2026-11-19 11:00")
    add(diary, "Other admin", "2026-11-19 10:30", "2026-11-19 11:30")  # overlaps the meeting
    deferred = MainWindow(diary, defer_areas=True)
    qtbot.addWidget(deferred)
    assert deferred.summary.act_on is None
    assert deferred.summary.share.text() != "–"  # the figures are there from the start
    deferred.show()
    panel = deferred.summary
    panel.layout().activate()
    before = [w.geometry() for w in (panel.heading, panel.hours["planned"], panel._act_on_label)]
    assert panel._act_on_label.text() == "To act on"  # no stray "&" while Alt+A has nothing to reach
    qtbot.waitUntil(lambda: deferred.areas_installed)
    assert panel.act_on is not None and panel.act_on.isVisibleTo(deferred)
    assert panel._act_on_label.buddy() is panel.act_on and panel._act_on_label.text() == "To &act on"
    panel.layout().activate()
    # the list fills the place kept for it: nothing above it moves when it comes
    assert [w.geometry() for w in (panel.heading, panel.hours["planned"], panel._act_on_label)] == before
    assert panel.act_on.height() > 100
    built_at_once = MainWindow(diary)
    qtbot.addWidget(built_at_once)
    rows = panel.items()
    assert rows == built_at_once.summary.items()
    assert any(t.startswith("Awaiting an outcome") for t, _ in rows)
    assert any(t.startswith("Overlapping entries") for t, _ in rows)
    deferred.close()


def test_calendar_menu_does_not_load_the_calendar_parser():
    import os
    import subprocess
    import sys

    code = ("import sys; import probation_diary.ui.calendar.actions;"
            "assert 'icalendar' not in sys.modules, 'icalendar loaded at start'")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert result.returncode == 0, result.stderr


def test_the_window_opens_without_the_write_layer_or_the_editor(tmp_path):
    """Nothing before the first paint writes, so sqlite-utils (loaded at the first write) and
    the entry editor stay unloaded while the window opens (issue 18)."""
    import subprocess
    import sys

    from probation_diary.store.diary import Diary

    db = tmp_path / "w.db"
    Diary.open(db).close()
    code = ("import sys; from PySide6.QtWidgets import QApplication; app = QApplication([]);"
            "from probation_diary.store.diary import Diary; from probation_diary.ui.mainwindow import MainWindow;"
            f"w = MainWindow(Diary.open(r'{db}'), defer_areas=True); w.show(); app.processEvents();"
            "print(sorted(m for m in ('sqlite_utils', 'probation_diary.ui.entry.editor') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                         env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"})
    assert out.stdout.strip().splitlines()[-1] == "[]", out.stderr


LAUNCH_TO_FIRST_PAINT = r"""
import gc
import sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication
from probation_diary import cli
from probation_diary.ui import dialogs, fit, mainwindow

events = []

class FirstPaint(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and not events:
            events.append(("painted", sorted(m for m in ("probation_diary.ui.entry.editor",
                           "probation_diary.ui.settings.firstrun", "probation_diary.store.backup",
                           "probation_diary.core.retention", "PySide6.QtNetwork", "hashlib",
                           "probation_diary.ui.security.unlock", "probation_diary.core.quickentry",
                           "probation_diary.core.validation", "csv", "probation_diary.ui.week.access")
                           if m in sys.modules), fit._everywhere, gc.isenabled()))
        return False

show = mainwindow.MainWindow.show
def patched_show(self):
    self.week_view.viewport().installEventFilter(FirstPaint(self))
    show(self)
mainwindow.MainWindow.show = patched_show

def exec_dialog(dialog):
    events.append(("dialog", type(dialog).__name__, fit._everywhere, gc.isenabled(), gc.get_freeze_count() > 0))
    QTimer.singleShot(0, QApplication.instance().quit)
    return 0
dialogs.exec_dialog = exec_dialog
try:
    cli.main(["--db", sys.argv[1]])
except SystemExit:
    pass
print(repr(events))
"""


def test_the_window_paints_before_the_welcome_screen_and_what_only_it_needs(tmp_path):
    """Launched as `probation-diary --db FILE` on a new diary: the week is on the screen before
    the welcome screen opens, and before its code, the editor, the backup code, the
    application-wide window fitter, QtNetwork (the single-instance server listens after the
    paint), hashlib, the passphrase dialogs, and the quick entry's parser and checks (loaded at
    the first typed line) load, and the garbage collector makes no pass (issue 18: first paint)."""
    import ast

    last, errors = _launch(LAUNCH_TO_FIRST_PAINT, tmp_path)
    events = ast.literal_eval(last)
    # the cyclic collector is off until the paint (the start-up makes only long-lived objects),
    # then on again, with the start-up's objects frozen out of its passes
    assert events[0] == ("painted", [], False, False), (events, errors)
    assert events[1] == ("dialog", "FirstRunDialog", True, True, True)  # fitted to the screen like any window



def test_the_window_imports_its_qt_free_code_before_pyside(tmp_path):
    """PySide reads the source of every module imported after it (for its __feature__ switch):
    launched as `probation-diary --db FILE`, the app has imported what the window needs from
    core/ and store/ before the first PySide6 import (issue 18)."""
    probe = (
        "import os, sys, importlib.abc\n"
        "class Watch(importlib.abc.MetaPathFinder):\n"
        "    def find_spec(self, name, path, target=None):\n"
        "        if name == 'PySide6':\n"
        "            print(sorted(m for m in ('probation_diary.store.diary', 'probation_diary.store.opening',\n"
        "                'probation_diary.core.timesplit', 'probation_diary.core.dates')\n"
        "                if m not in sys.modules), flush=True)\n"
        "            os._exit(0)\n"
        "        return None\n"
        "sys.meta_path.insert(0, Watch())\n"
        "from probation_diary import cli\n"
        "cli.main(['--db', sys.argv[1]])\n"
    )
    last, errors = _launch(probe, tmp_path)
    assert last == "[]", errors


def test_opening_a_plain_diary_loads_no_passphrase_dialog_code(tmp_path):
    """The passphrase dialogs (unlock.py) load only when one is shown (issue 18)."""
    import os

    from probation_diary.store.diary import Diary

    db = tmp_path / "d.db"
    Diary.open(db).close()
    code = ("import sys; from PySide6.QtWidgets import QApplication; app = QApplication([]);"
            "from probation_diary.ui.security.opening import open_diary_interactively;"
            "d = open_diary_interactively(sys.argv[1], listen=False);"
            "print(d is not None, 'probation_diary.ui.security.unlock' in sys.modules); d.instance_guard.release()")
    out = subprocess.run([sys.executable, "-c", code, str(db)], capture_output=True, text=True, timeout=60,
                         env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert out.stdout.split() == ["True", "False"], out.stderr[-2000:]


def test_pyside_does_not_read_the_apps_or_the_standard_librarys_sources(tmp_path):
    """PySide reads the source of each module an import statement names after it loads (for
    its __feature__ switch); the app answers for its own modules and the standard library's,
    with the answer the read would give (issue 18: 47 files read before the first paint)."""
    probe = (
        "import inspect, os, sys\n"
        "read = []\n"
        "original = inspect.getsource\n"
        "inspect.getsource = lambda m: (read.append(getattr(m, '__name__', '?')), original(m))[1]\n"
        "import importlib.abc, importlib.util\n"
        "def shown(self):\n"
        "    known = sys.modules['PySide6.support.feature'].pyside_feature_dict\n"
        "    print(sorted(n for n in read if n.startswith('probation_diary') or n in ('pathlib', 'sqlite3')),\n"
        "          known.get('probation_diary.ui.mainwindow'), known.get('probation_diary.store.diary'), flush=True)\n"
        "    os._exit(0)\n"
        "class Patch(importlib.abc.MetaPathFinder):  # the window's show, patched as it loads\n"
        "    def find_spec(self, name, path, target=None):\n"
        "        if name != 'probation_diary.ui.mainwindow':\n"
        "            return None\n"
        "        sys.meta_path.remove(self)\n"
        "        spec = importlib.util.find_spec(name)\n"
        "        run = spec.loader.exec_module\n"
        "        def exec_module(module):\n"
        "            run(module)\n"
        "            module.MainWindow.show = shown\n"
        "        spec.loader.exec_module = exec_module\n"
        "        return spec\n"
        "sys.meta_path.insert(0, Patch())\n"
        "from probation_diary.ui import app\n"
        "app.run(sys.argv[1])\n"
    )
    last, errors = _launch(probe, tmp_path)
    assert last == "[] 0 -1", errors
