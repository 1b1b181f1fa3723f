"""Saving an entry repaints the week in one frame (issue 18): each block is drawn once into a
pixmap and copied while it looks the same, the grid behind them likewise, and the summary's
act-on list is left alone when a save does not change it. What is on the screen must be exactly
what a fresh drawing would show."""

from __future__ import annotations

import datetime as dt

from PySide6.QtGui import QImage

from probation_diary.ui.week.view import WeekView


def _image(widget) -> QImage:
    widget.viewport().repaint()
    return widget.viewport().grab().toImage()


def _count_drawn(monkeypatch, view) -> list[int]:
    drawn: list[int] = []
    original = WeekView._paint_block

    def spy(self, p, b, dark):
        drawn.append(b.entry_id)
        original(self, p, b, dark)

    monkeypatch.setattr(WeekView, "_paint_block", spy)
    return drawn


def _painted_week(window, make_entry, monkeypatch) -> list[int]:
    """Four appointments, the week painted once; returns the list of blocks drawn from now on."""
    for i in range(4):
        window.save_new(make_entry("COAP", f"2026-11-1{6 + i} 10:00", 60, crn="X123456"))
    window.refresh()
    window.show()
    drawn = _count_drawn(monkeypatch, window.week_view)
    _image(window.week_view)  # whatever is not cached yet is drawn now
    drawn.clear()
    return drawn


def test_an_unchanged_week_is_repainted_without_drawing_a_block_again(window, make_entry, monkeypatch):
    drawn = _painted_week(window, make_entry, monkeypatch)
    _image(window.week_view)
    assert drawn == []


def test_a_save_draws_only_the_new_block(window, make_entry, monkeypatch, qtbot):
    drawn = _painted_week(window, make_entry, monkeypatch)
    view = window.week_view
    saved = window.save_new(make_entry("Recording on Delius", "2026-11-17 14:00", 30))
    window.refresh()
    view.select(None)
    _image(view)
    assert drawn == [saved.id]


def test_the_cached_picture_is_what_a_fresh_drawing_shows(window, make_entry, qtbot):
    """Select, save, change an outcome and scroll in one view; a new view given the same
    content and selection must paint the very same pixels."""
    ids = [window.save_new(make_entry("COAP", f"2026-11-1{6 + i} 1{i}:00", 45, crn="X12345" + str(i))).id
           for i in range(3)]
    window.save_new(make_entry("Travel", "2026-11-16 10:30", 30))  # overlaps: side by side
    window.refresh()
    view = window.week_view
    window.show()
    qtbot.waitExposed(window)
    _image(view)
    view.select(ids[1])
    _image(view)
    window.save_edit(window.diary.get_entry(ids[0]).with_changes(outcome_code="ATTC"))
    window.refresh()
    view.select(ids[2])
    view.verticalScrollBar().setValue(view.verticalScrollBar().value() + 37)
    cached = _image(view)

    fresh = WeekView(window)
    fresh.setGeometry(view.geometry())
    fresh.set_content(view.week, list(view.entries.values()), view.ref, names=view.names, flags=view.flags,
                      holidays=view.holidays, today=view.today, working_days=view.working_days,
                      counts=view.counts, now=view.now)
    fresh.show()
    fresh.select(ids[2], reveal=False)
    fresh.verticalScrollBar().setValue(view.verticalScrollBar().value())
    assert fresh.viewport().size() == view.viewport().size()
    assert _image(fresh) == cached


def test_the_grid_is_drawn_again_only_when_it_changes(window, monkeypatch):
    view = window.week_view
    window.show()
    made = []
    original = WeekView._grid_pixmap

    def spy(self, *args):
        before = self._grid
        result = original(self, *args)
        made.append(self._grid is not before)
        return result

    monkeypatch.setattr(WeekView, "_grid_pixmap", spy)
    _image(view)
    made.clear()
    _image(view)
    assert made == [False]
    view.verticalScrollBar().setValue(view.verticalScrollBar().value() + 20)
    _image(view)
    assert made == [False, True]


def test_the_act_on_list_is_left_alone_when_a_save_does_not_change_it(window, make_entry):
    # an office appointment in the past with no outcome: "awaiting an outcome"
    window.save_new(make_entry("COAP", "2026-11-16 10:00", 60, crn="X123456"))
    window.refresh()
    first = window.summary.act_on.item(1)
    assert "awaiting" in window.summary.act_on.item(0).text().lower()
    window.save_new(make_entry("Recording on Delius", "2026-11-16 14:00", 30))  # changes no line of it
    window.refresh()
    assert window.summary.act_on.item(1) is first
    window.save_new(make_entry("COAP", "2026-11-17 10:00", 60, crn="X654321"))  # another to act on
    window.refresh()
    lines = [text for text, _ in window.summary.items()]
    assert any("X654321" in line for line in lines)
    assert window.summary.act_on.item(1) is not first


def test_a_clock_change_week_still_draws_every_block(window, make_entry, monkeypatch):
    """The October week (25 hours on Sunday): blocks before and after 01:00-02:00 on the
    Sunday are drawn at their own times, none lost to the cache."""
    from probation_diary.core.clock import Week

    a = window.save_new(make_entry("COAP", "2026-10-25 00:30", 120, crn="X123456"))
    b = window.save_new(make_entry("Recording on Delius", "2026-10-25 03:00", 60))
    window.go_to_week(Week.containing(dt.date(2026, 10, 25)))
    view = window.week_view
    window.show()
    drawn = _count_drawn(monkeypatch, view)
    view.verticalScrollBar().setValue(0)
    _image(view)
    assert {a.id, b.id} <= set(drawn)
