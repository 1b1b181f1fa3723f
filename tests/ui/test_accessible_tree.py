"""Assistive technology can walk the main window: every focusable control has a name, and the
week grid has one accessible child per entry shown (issue 16, item 10)."""

from __future__ import annotations

from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QWidget

from builders import add


def walk(iface, depth=0, seen=None):
    seen = set() if seen is None else seen
    if iface is None or not iface.isValid() or depth > 40:
        return
    key = (id(iface.object()) if iface.object() is not None else None, iface.text(QAccessible.Text.Name),
           iface.role(), depth)
    if key in seen:
        return
    seen.add(key)
    yield iface
    for i in range(iface.childCount()):
        yield from walk(iface.child(i), depth + 1, seen)


def describe(iface) -> str:
    obj = iface.object()
    kind = type(obj).__name__ if obj is not None else type(iface).__name__
    name = obj.objectName() if isinstance(obj, QWidget) else ""
    if isinstance(obj, QWidget) and obj.parentWidget() is not None:
        name += f" in {type(obj.parentWidget()).__name__}({obj.parentWidget().objectName()})"
    return f"{kind}({name}) role={iface.role().name}"


def labelled(iface) -> bool:
    """A name of its own, or a label pointing at it (a buddy): on Linux a combo box's "name"
    is its current value, so it is announced by its label relation instead."""
    obj = iface.object()
    if isinstance(obj, QWidget) and obj.accessibleName().strip():
        return True
    return bool(iface.relations(QAccessible.RelationFlag.Labelled))


def unnamed_focusable(window) -> list[str]:
    root = QAccessible.queryAccessibleInterface(window)
    missing = []
    for iface in walk(root):
        state = iface.state()
        if not state.focusable or state.invisible:
            continue
        if iface.role() == QAccessible.Role.Cell:
            continue  # a table's cell is data (its column header names it), empty or not
        if not iface.text(QAccessible.Text.Name).strip():
            missing.append(describe(iface))
        elif iface.role() == QAccessible.Role.ComboBox and not labelled(iface):
            missing.append(describe(iface) + " (announces its value, not a label)")
    return missing


def test_every_focusable_control_has_a_name(window, qtbot):
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    assert unnamed_focusable(window) == []


def test_the_list_and_people_pages_name_their_controls(window, qtbot):
    window.show()
    qtbot.waitExposed(window)
    for page in (1, 2):
        window.show_page(page)
        assert unnamed_focusable(window) == [], page


def test_the_grid_has_one_child_per_entry(window, diary, qtbot):
    first = add(diary, "COAP", "2026-11-17 10:00", "2026-11-17 11:00", crn="X123456")
    add(diary, "COAP", "2026-11-17 10:15", "2026-11-17 11:15", crn="X654321")
    add(diary, "Team meeting", "2026-11-18 13:00", "2026-11-18 14:00")
    add(diary, "Annual leave", day="2026-11-20")
    window.refresh()
    window.show()
    qtbot.waitExposed(window)
    grid = QAccessible.queryAccessibleInterface(window.week_view)
    assert grid.role() == QAccessible.Role.List
    assert grid.childCount() == len(window.week_view.entries) == 4
    names = [grid.child(i).text(QAccessible.Text.Name) for i in range(grid.childCount())]
    assert all(names) and len(set(names)) == 4
    coap = next(n for n in names if "X123456" in n)
    assert coap.startswith("COAP") and "10:00 to 11:00" in coap and "counts as face to face" in coap
    assert "overlaps another entry" in coap
    assert any(n.startswith("Annual leave") for n in names)
    # the grid's own ancestors reach it: it is in the window's tree, not only queried directly
    root = QAccessible.queryAccessibleInterface(window)
    assert any(i.role() == QAccessible.Role.ListItem and "X654321" in i.text(QAccessible.Text.Name)
               for i in walk(root))
    window.week_view.select(first.id)
    focus = grid.focusChild()
    assert focus is not None and "X123456" in focus.text(QAccessible.Text.Name)
    assert focus.state().selected
    assert grid.indexOfChild(focus) == window.week_view.accessible_ids().index(first.id)
    r = focus.rect()
    assert r.width() > 0 and r.height() > 0


def test_dialogs_name_their_controls(window, diary, qtbot):
    from probation_diary.ui.entry.editor import EntryEditor
    from probation_diary.ui.settings.dialog import SettingsDialog

    entry = add(diary, "COAP", "2026-11-17 10:00", "2026-11-17 11:00", crn="X123456", outcome="ATTC")
    for dlg in (EntryEditor(diary, kind="appointment", parent=window),
                EntryEditor(diary, entry=entry, parent=window), SettingsDialog(diary, window),
                window.shortcuts_dialog()):
        qtbot.addWidget(dlg)
        dlg.show()
        qtbot.waitExposed(dlg)
        assert unnamed_focusable(dlg) == [], type(dlg).__name__
        dlg.close()


def test_toolbar_separators_are_not_focusable(window):
    from PySide6.QtCore import Qt

    for a in window.toolbar.actions():
        if a.isSeparator():
            widget = window.toolbar.widgetForAction(a)
            assert widget is None or widget.focusPolicy() == Qt.FocusPolicy.NoFocus


def test_toolbar_controls_are_found_without_widget_for_action(window):
    """toolbar_widgets() gives the control widgetForAction() gives, for every toolbar action
    but the separators (issue 18: widgetForAction makes PySide initialise every widget class)."""
    controls = window.toolbar_widgets()
    for a in window.toolbar.actions():
        if not a.isSeparator():
            assert controls.get(a) is window.toolbar.widgetForAction(a), a.text()


GRID_AFTER_THE_PAINT = """
import sys
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QApplication

app = QApplication([])
from probation_diary.store.diary import Diary
from probation_diary.ui.mainwindow import MainWindow
from probation_diary.ui.week.access import WeekAccessible

window = MainWindow(Diary.open(sys.argv[1]), defer_areas=True)
window.show()
QAccessible.setActive(True)  # a screen reader asks for the grid before the first paint
before = QAccessible.queryAccessibleInterface(window.week_view)
window._painted()  # what the first paint does
after = QAccessible.queryAccessibleInterface(window.week_view)
print(isinstance(before, WeekAccessible), isinstance(after, WeekAccessible), after.childCount())
"""


def test_the_grid_is_walked_entry_by_entry_even_if_asked_for_before_the_first_paint(diary, diary_path,
                                                                                      tmp_path):
    """At start-up the grid's interface is installed just after the first paint (issue 18). A
    screen reader that asked for the grid before then was given Qt's plain interface: it is
    dropped, and the next question gets one child per entry. (A process of its own: an
    installed factory stays installed for the process.)"""
    import os
    import subprocess
    import sys

    from probation_diary.core.clock import today_local

    day = today_local().isoformat()
    add(diary, "COAP", f"{day} 10:00", f"{day} 11:00", crn="X123456")
    add(diary, "Team meeting", f"{day} 13:00", f"{day} 14:00")
    diary.close()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", HOME=str(tmp_path),
               XDG_CONFIG_HOME=str(tmp_path / "config"))
    out = subprocess.run([sys.executable, "-c", GRID_AFTER_THE_PAINT, str(diary_path)], env=env,
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["False", "True", "2"]
