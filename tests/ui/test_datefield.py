"""DateRange: two DateFields read as one range, for the dialogs that take a first and a last date."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from probation_diary.ui.datefield import DateField, DateRange

TODAY = dt.date(2026, 11, 20)  # a Friday


@pytest.fixture
def pair(qtbot):
    box = QWidget()
    qtbot.addWidget(box)
    first = DateField(box, day=dt.date(2026, 11, 16), today=lambda: TODAY)
    last = DateField(box, day=dt.date(2026, 11, 22), today=lambda: TODAY)
    span = DateRange(first, last, box)
    changes = []
    span.changed.connect(lambda: changes.append((span.first, span.last, span.problem())))
    yield first, last, span, changes
    box.deleteLater()  # held here until the test ends (qtbot keeps only a weak reference)


def test_a_range_is_fine_until_the_last_date_is_before_the_first(pair):
    first, last, span, changes = pair
    assert span.ok() and span.problem() == ""
    last.set_day(dt.date(2026, 11, 1), emit=True)
    assert not span.ok() and span.problem() == "The last date is before the first date."
    assert changes == [(dt.date(2026, 11, 16), dt.date(2026, 11, 1), "The last date is before the first date.")]
    first.set_day(dt.date(2026, 11, 1), emit=True)  # one day is a range
    assert span.ok()


def test_a_text_that_is_not_a_date_is_the_problem_and_names_its_field(qtbot, pair):
    first, last, span, changes = pair
    last.line.setText("31/2")
    assert changes == [] and span.ok()  # nothing is read while typing
    assert span.commit() is False  # as leaving the field, or OK, would
    assert span.problem().startswith("Last date: '31/2' is not a date")
    assert last.text() == "31/2" and last.day() == dt.date(2026, 11, 22)  # kept to be corrected
    assert len(changes) == 1
    first.line.setText("tomorrow")
    assert span.commit() is False and span.first == dt.date(2026, 11, 21)
    last.line.setText("next tue")
    assert span.commit() is True and span.last == dt.date(2026, 11, 24) and span.problem() == ""
    assert len(changes) == 3


def test_set_range_changes_once_without_a_passing_backwards_range(pair):
    first, last, span, changes = pair
    span.set_range(dt.date(2026, 12, 1), dt.date(2026, 12, 31))  # the first is after the old last
    assert changes == [(dt.date(2026, 12, 1), dt.date(2026, 12, 31), "")]
    assert first.text() == "Tue 01/12/2026" and last.text() == "Thu 31/12/2026"


def test_commit_with_nothing_typed_changes_nothing(pair):
    _first, _last, span, changes = pair
    assert span.commit() is True and changes == []


def test_enter_in_a_field_reads_it_once(qtbot, pair):
    first, _last, span, changes = pair
    first.line.selectAll()
    qtbot.keyClicks(first.line, "+1w")
    qtbot.keyClick(first.line, Qt.Key.Key_Return)
    assert span.first == dt.date(2026, 11, 27) and span.problem() == "The last date is before the first date."
    assert len(changes) == 1
