"""Issue 16: the week reads like a calendar's (overlaps side by side and marked, blocks say
who/what/when, days off shaded), one date form, one icon set, F1 as a table, and the desktop
habits: Escape closes secondary windows, the lock key works over a dialog, the list follows the
header's week and its sort arrow matches the order."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QPlainTextEdit, QVBoxLayout

from builders import PASS, add
from probation_diary.core.clock import Week
from probation_diary.store.diary import Diary

MONDAY = dt.date(2026, 11, 16)


def block(view, entry_id):
    return next(b for b in view.blocks if b.entry_id == entry_id)


def test_three_overlapping_appointments_sit_side_by_side_readably(window, diary, qtbot):
    ids = [add(diary, "COAP", f"2026-11-17 {s}", f"2026-11-17 {e}", crn=crn).id
           for crn, s, e in (("X100001", "10:00", "11:00"), ("X100002", "10:15", "11:15"),
                             ("X100003", "10:30", "12:00"))]
    window.refresh()
    window.show()
    qtbot.waitExposed(window)
    view = window.week_view
    rects = [block(view, i).rect for i in ids]
    for a, b in zip(rects, rects[1:]):
        assert a.right() <= b.left()  # side by side, not on top of each other
    fm = view.fontMetrics()
    for r in rects:  # each wide enough to read a CRN in bold
        assert r.width() >= fm.horizontalAdvance("X100001") + 8, r.width()
    assert view.day_width(1) > view.day_width(0)  # the busy day is wider
    assert set(ids) <= view.overlapping
    assert view.overlaps[1] == [(615, 660 + 15)]
    assert "Overlaps another entry" in view._tooltip(ids[0])


def test_a_block_says_who_what_and_when_in_the_space_it_has(window, diary):
    from probation_diary.ui.week.view import block_lines

    e = add(diary, "EOAS", "2026-11-17 10:00", "2026-11-17 11:00", crn="X100001")
    atype = diary.reference().types[e.type_id]
    wide = block_lines(e, atype, "X100001", None, 4, lambda text, bold: True)
    assert wide == [("X100001", True), ("EOAS – OASys assessment", False), ("10:00–11:00", False)]
    narrow = block_lines(e, atype, "X100001", None, 3, lambda text, bold: len(text) <= 12)
    assert [t for t, _ in narrow] == ["X100001", "EOAS", "10:00–11:00"]  # the short label
    two = block_lines(e, atype, "X100001", None, 2, lambda text, bold: len(text) <= 12)
    assert [t for t, _ in two] == ["X100001", "EOAS · 10:00–11:00"]
    one = block_lines(e, atype, "X100001", None, 1, lambda text, bold: False)
    assert one == [("X100001 · EOAS · 10:00", True)]


def test_non_working_days_are_shaded(window, diary, qtbot):
    from probation_diary.core.model import Settings  # noqa: F401 - the settings object

    diary.set_settings({"working_days": "mon,tue,wed"})
    window.refresh()
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    view = window.week_view
    assert [view.is_working(i) for i in range(7)] == [True, True, True, False, False, False, False]
    image = view.viewport().grab().toImage()
    y = view.header_height + 40

    def colour(day):
        return image.pixelColor(int(view.day_x(day) + view.day_width(day) / 2) + 3, y)

    assert colour(3) != colour(1)  # Thursday (a day off now) differs from Tuesday
    assert colour(3).lightness() < colour(1).lightness()


def test_one_short_and_one_long_date_form(window):
    from probation_diary.ui import dates

    day = dt.date(2026, 12, 7)
    assert dates.short_date(day) == "Mon 7 Dec 2026"
    assert dates.long_date(day) == "Monday 7 December 2026"
    assert dates.day_label(day) == "Mon 7 Dec"
    window.go_to_week(Week(day))
    assert window.week_label.text() == "Mon 7 Dec – Sun 13 Dec 2026"
    assert window.summary.heading.text() == "Week of Mon 7 Dec 2026"


def test_icons_come_from_one_set_and_follow_the_theme(window, monkeypatch):
    from probation_diary.ui import icons

    for action in (window.undo_action, window.redo_action, window.previous_action, window.next_action,
                   window.people_page_action, window.list_page_action, window.week_page_action):
        name = action.property(icons.ICON_PROPERTY)
        assert name in icons.MDI and icons.MDI[name].startswith("mdi6.")
        assert not action.icon().isNull()
    light = icons.icon("undo", dark=False).pixmap(16, 16).toImage()
    dark = icons.icon("undo", dark=True).pixmap(16, 16).toImage()
    assert light != dark


def test_f1_is_a_grouped_table_with_every_shortcut_once(window, qtbot):
    window.show_shortcuts()
    dlg = window._shortcuts
    qtbot.addWidget(dlg)
    rows = dlg.rows()
    keys = [k for g, k, d in rows if not g.startswith("In ")]
    assert len(keys) == len(set(keys))  # Ctrl+E and Del once each
    groups = {g for g, _, _ in rows}
    assert {"File", "Edit", "View", "Entry", "Help", "In the week", "In a dialog or window"} <= groups
    does = {k: d for _, k, d in rows}
    assert does.get("Ctrl+Shift+H") == "New home visit"
    assert "Ctrl+Enter / Ctrl+S" in does and "↑ ↓ ← →" in does
    assert "Ctrl+Shift+L" in does and does["F1"] == "Keyboard shortcuts"
    assert dlg.table.columnCount() == 2
    assert not dlg.isModal()
    # every action with keys is listed: nothing drifts
    listed = set(does)
    from PySide6.QtGui import QKeySequence

    for a in window.actions():
        if a.shortcuts():
            text = a.shortcuts()[0].toString(QKeySequence.SequenceFormat.NativeText)
            assert any(text in k.split(" / ") for k in listed), text


def test_escape_closes_the_evidence_window(window, qtbot):
    from probation_diary.ui.evidence.window import EvidenceWindow

    ev = EvidenceWindow(window.diary, window)
    qtbot.addWidget(ev)
    ev.show()
    qtbot.waitExposed(ev)
    ev.activateWindow()
    qtbot.keyClick(ev.tabs, Qt.Key.Key_Escape)
    assert not ev.isVisible()


def test_escape_closes_the_keying_window(window, qtbot):
    from probation_diary.ui.delius.keying import KeyingWindow

    kw = KeyingWindow(window, MONDAY, MONDAY + dt.timedelta(days=6))
    qtbot.addWidget(kw)
    kw.show()
    qtbot.waitExposed(kw)
    qtbot.keyClick(kw, Qt.Key.Key_Escape)
    assert not kw.isVisible()


def test_the_lock_key_locks_while_a_dialog_is_open(qtbot, diary_path):
    from probation_diary.ui.mainwindow import MainWindow

    diary = Diary.open(diary_path, passphrase=PASS)
    try:
        win = MainWindow(diary)
        qtbot.addWidget(win)
        win.show()
        qtbot.waitExposed(win)
        dlg = QDialog(win)
        notes = QPlainTextEdit(dlg)
        QVBoxLayout(dlg).addWidget(notes)
        dlg.setModal(True)
        dlg.show()
        qtbot.waitExposed(dlg)
        notes.setFocus()
        qtbot.keyClick(notes, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
        assert win.security.locked
        assert notes.toPlainText() == ""
        dlg.close()
    finally:
        diary.close()


def test_the_list_follows_the_week_in_the_header(window, diary, qtbot):
    here = add(diary, "COAP", "2026-11-17 10:00", "2026-11-17 11:00", crn="X100001")
    there = add(diary, "COAP", "2026-11-24 10:00", "2026-11-24 11:00", crn="X100002")
    window.go_to_week(Week(MONDAY))
    window.show_page(1)
    panel = window.list_panel
    shown = {panel.model.entry_id(r) for r in range(panel.model.rowCount())}
    assert shown == {here.id}
    window.next_week()
    shown = {panel.model.entry_id(r) for r in range(panel.model.rowCount())}
    assert shown == {there.id}
    panel.scope_box.setCurrentIndex(panel.scope_box.findData("all"))
    shown = {panel.model.entry_id(r) for r in range(panel.model.rowCount())}
    assert shown == {here.id, there.id}


def test_the_sort_arrow_points_the_way_the_list_is_sorted(window, qtbot):

    from probation_diary.ui import theme

    window.show_page(1)
    header = window.list_panel.view.horizontalHeader()
    assert header.property("pdConventionalArrows")
    assert header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder  # newest first
    assert theme.sort_arrow_up(ascending=False) is False  # ▼ for newest first

    window.show()
    qtbot.waitExposed(window)
    column = header.sortIndicatorSection()
    image = header.grab().toImage()
    x0 = header.sectionViewportPosition(column)
    width = header.sectionSize(column)
    text = header.palette().color(header.foregroundRole())
    rows = []
    for y in range(image.height()):
        dark = sum(1 for x in range(x0, x0 + width)
                   if abs(image.pixelColor(x, y).lightness() - text.lightness()) < 60)
        rows.append(dark)
    # the label is centred; the arrow is at the right: look only at the section's right quarter
    rows = []
    for y in range(image.height()):
        rows.append(sum(1 for x in range(x0 + width * 3 // 4, x0 + width)
                        if image.pixelColor(x, y).lightness() < 128))
    inked = [(y, n) for y, n in enumerate(rows) if n]
    assert inked, "no sort arrow drawn"
    top, bottom = inked[0][1], inked[-1][1]
    assert top > bottom  # ▼: wide at the top, pointed at the bottom


def test_icons_are_drawn_from_the_font_without_importing_qtawesome(qapp):
    """qtawesome's import (through qtpy) cost about 100 ms before the first paint; the icons
    are drawn from its font file instead, each glyph visible in the theme's colour."""
    import subprocess
    import sys

    from probation_diary.ui import icons

    for name in icons.MDI:
        image = icons.icon(name).pixmap(32, 32).toImage()
        inked = sum(1 for x in range(32) for y in range(32) if image.pixelColor(x, y).alpha() > 0)
        assert inked > 20, name
    code = ("import sys; from PySide6.QtWidgets import QApplication; app = QApplication([]);"
            "from probation_diary.ui import icons; icons.icon('lock').pixmap(16, 16);"
            "print('qtawesome' in sys.modules or 'qtpy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                         env={**__import__('os').environ, "QT_QPA_PLATFORM": "offscreen"})
    assert out.stdout.strip() == "False", out.stderr


def test_each_icon_is_the_glyph_qtawesome_names(qapp):
    """The glyphs' characters are kept in ui/icons.py (reading the whole charmap cost ~10 ms
    before the first paint): each must be the one qtawesome's charmap gives for its name."""
    import json

    from probation_diary.ui import icons

    charmap = json.loads(icons.font_files("charmap").read_text(encoding="utf-8"))
    for name, mdi in icons.MDI.items():
        glyph = mdi.removeprefix("mdi6.")
        assert icons.CODEPOINTS[glyph] == int(charmap[glyph], 16), name
