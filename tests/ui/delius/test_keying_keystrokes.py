"""The keystroke count in README ("Keying contacts into nDelius"): a week of 15 contacts keyed
through the real keying window, against the same fields read from the CSV."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from probation_diary.cli import delius as delius_io
from probation_diary.core.model import ENTERED
from probation_diary.formats import delius
from delius_support import add, set_codes

MON, SUN = dt.date(2026, 11, 16), dt.date(2026, 11, 22)
README = Path(__file__).resolve().parents[3] / "README.md"
FIELDS = len(delius.HEADERS)
NOTES = [
    "Attended on time. Discussed accommodation: still at the hostel, move-on referral sent.\n"
    "Reviewed licence conditions; no concerns raised.",
    "Phoned to confirm next appointment. No answer; left a message asking for a call back.",
    "Home visit. Seen alone. Property in reasonable order.\nDiscussed employment and the ETE "
    "referral; will attend the job fair on Friday.",
]
TYPES = [("COAP", "ATTC"), ("CTOB", ""), ("CHVS", "ATTC")]


def week_of_15(diary):
    set_codes(diary, office_location="N07HO1")
    made = []
    for person in range(5):
        crn = f"X{100001 + person:06d}"
        for n, (code, outcome) in enumerate(TYPES):
            day = MON + dt.timedelta(days=n + (person % 2))
            start = f"{day.isoformat()} {9 + person}:00"
            end = f"{day.isoformat()} {9 + person}:45"
            made.append(add(diary, code, start, end, crn=crn, outcome=outcome, notes=NOTES[n],
                            location="N07HO1" if code == "COAP" else ""))
    return made


def csv_figures(rows: list[list[str]]) -> tuple[int, int]:
    """Keying the same fields from the CSV open beside Delius.
    Copy and paste, per field: Right (to the cell), Ctrl+C, Alt+Tab to the browser, Ctrl+V,
    Tab (to Delius's next field), Alt+Tab back: 6; and per row Down, Home: 2.
    Typing them, per field: every character of the value (a newline is Enter) and Tab."""
    copy_paste = sum(FIELDS * 6 + 2 for _ in rows)
    typed = sum(len(value) + 1 for row in rows for value in row)
    return copy_paste, typed


def test_a_week_of_15_contacts_keyed_through_the_window(qtbot, window, diary):
    made = week_of_15(diary)
    export = delius_io.plan_export(diary, MON, SUN)
    assert len(export.rows) == 15 and not export.problems
    copy_paste, typed = csv_figures(export.rows)

    win = window.delius_actions.key_into_delius(MON, SUN)
    qtbot.waitExposed(win)
    win.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is win)
    keys = 0
    for row in export.rows:
        assert list(win.current.values) == [v.removeprefix("'") for v in row]
        for value in win.current.values:
            qtbot.keyClick(win.card, Qt.Key.Key_V,
                           Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
            keys += 1
            assert QGuiApplication.clipboard().text() == value
            # in Delius: Ctrl+V, then Tab to its next field
        qtbot.keyClick(win.card, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        keys += 1
    assert all(diary.get_entry(e.id).delius_status == ENTERED for e in made)
    assert win.done_page.isVisible()
    assert QGuiApplication.clipboard().text() == ""

    in_diary = keys
    in_delius = 15 * FIELDS * 2  # Ctrl+V and Tab per field
    assert in_diary == 15 * (FIELDS + 1) == 300
    figures = dict(keying=in_diary + in_delius, copy_paste=copy_paste, typed=typed)
    assert figures == {"keying": 870, "copy_paste": 1740, "typed": figures["typed"]}
    text = README.read_text(encoding="utf-8")
    line = next(p for p in text.split("\n\n") if p.startswith("Keystrokes for a week of 15 contacts"))
    numbers = [int(n.replace(",", "")) for n in re.findall(r"\d[\d,]*", line)]
    assert numbers[:1] == [15]
    for value in (in_diary, figures["keying"], copy_paste, typed):
        assert value in numbers, (value, line)
