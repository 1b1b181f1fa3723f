"""Issue 15 "How we will know": a typical day logged through the real window from the keyboard
alone, counting the keys. The README quotes the count this test prints."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from probation_diary.core import clock

# Thursday of the week before "now" (Fri 20 Nov 2026): a date in another week
DAY = [
    "travel 12/11 9:00-9:30",
    "hv X123456 12/11 9:30-10:30 ATTC",
    "travel 12/11 10:30-11:00",
    "office X234567 12/11 11:30-12:00 ATTC",
    "phone X345678 12/11 12:00-12:15",
    "oasys X123456 12/11 13:00 1h",
    "meeting 12/11 14:00-15:00",
    "office X456789 12/11 15:30-16:00 AFTA",
]
EXPECTED = [
    ("Travel", None, None, "09:00", 30),
    ("CHVS", "X123456", "ATTC", "09:30", 60),
    ("Travel", None, None, "10:30", 30),
    ("COAP", "X234567", "ATTC", "11:30", 30),
    ("CTOB", "X345678", None, "12:00", 15),
    ("EOAS", "X123456", None, "13:00", 60),
    ("Team meeting", None, None, "14:00", 60),
    ("COAP", "X456789", "AFTA", "15:30", 30),
]


class Keyboard:
    """Every key goes to whatever has the focus, as on a real desktop, and is counted."""

    def __init__(self, qtbot):
        self.qtbot = qtbot
        self.count = 0

    def press(self, key, modifiers=Qt.KeyboardModifier.NoModifier):
        self.count += 1  # a chord such as Ctrl+L is one key press
        self.qtbot.keyClick(QApplication.focusWidget(), key, modifiers)

    def type(self, text: str):
        for ch in text:
            self.count += 1
            self.qtbot.keyClicks(QApplication.focusWidget(), ch)


def test_a_typical_day_from_the_keyboard(window, qtbot, capsys, activate):
    activate(window)
    keys = Keyboard(qtbot)
    keys.press(Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)  # to quick entry, once
    for line in DAY:
        keys.type(line)
        assert window.quick_entry.preview.text().startswith("Will save"), (line, window.quick_entry.preview.text())
        keys.press(Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: window.selected_entry_ids() != [])  # the new entry is selected
        assert window.quick_entry.line.hasFocus() and window.quick_entry.line.text() == ""
    ref = window.diary.reference()
    entries = sorted(window.diary.entries_between(clock.Week.containing(dt.date(2026, 11, 12)).start,
                                                  clock.Week.containing(dt.date(2026, 11, 12)).end),
                     key=lambda e: e.start)
    got = [((ref.types[e.type_id].delius_code or ref.types[e.type_id].label), e.crn, e.outcome_code,
            f"{clock.to_local(e.start):%H:%M}", e.minutes) for e in entries]
    assert got == EXPECTED
    assert all(clock.to_local(e.start).date() == dt.date(2026, 11, 12) for e in entries)
    assert window.current_week() == clock.Week.containing(dt.date(2026, 11, 12))
    per_entry = keys.count / len(DAY)
    with capsys.disabled():
        print(f"\ntypical day: {len(DAY)} entries, {keys.count} keys, {per_entry:.1f} an entry, no mouse")
    assert per_entry <= 35
