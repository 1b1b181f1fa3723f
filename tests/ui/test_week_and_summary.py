"""The week view and the summary panel, driven through the window."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QPoint, Qt

from probation_diary.core.timesplit import share_percent
from probation_diary.ui.week.view import Block, layout_day


def block_centre(view, entry_id):
    b = next(b for b in view.blocks if b.entry_id == entry_id)
    return QPoint(int(b.rect.center().x()), int(b.rect.center().y() + view._body_offset()))


def test_overlaps_side_by_side():
    blocks = [Block(1, 0, 600, 660), Block(2, 0, 630, 700), Block(3, 0, 700, 720), Block(4, 0, 540, 600)]
    layout_day(blocks)
    by_id = {b.entry_id: b for b in blocks}
    assert (by_id[1].column, by_id[1].columns) == (0, 2)
    assert (by_id[2].column, by_id[2].columns) == (1, 2)
    assert by_id[3].columns == 1 and by_id[4].columns == 1


def test_short_blocks_do_not_hide_each_other():
    blocks = [Block(1, 0, 600, 605), Block(2, 0, 605, 660)]
    layout_day(blocks, min_minutes=20)
    assert {b.column for b in blocks} == {0, 1}


def test_week_view_shows_blocks_strip_and_selects(window, make_entry, qtbot):
    a = window.save_new(make_entry("COAP", "2026-11-18 10:00", 60, crn="X123456"))
    b = window.save_new(make_entry("CTOB", "2026-11-18 10:30", 30, crn="X123456"))
    leave = window.save_new(make_entry("Annual leave", "2026-11-20 00:00", 24 * 60, all_day=True))
    window.show()
    qtbot.waitExposed(window)
    view = window.week_view
    qtbot.waitUntil(lambda: {a.id, b.id, leave.id} <= set(view.entries))
    assert {blk.entry_id for blk in view.blocks} == {a.id, b.id}
    ra, rb = (next(x.rect for x in view.blocks if x.entry_id == i) for i in (a.id, b.id))
    assert not ra.intersects(rb)  # overlapping entries drawn side by side
    assert [i.entry_id for i in view.strip] == [leave.id] and view.strip[0].day == 4
    view.verticalScrollBar().setValue(int(9 * view.hour_height))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=block_centre(view, b.id))
    assert window.selected_entry_ids() == [b.id]
    opened = []
    window.open_editor = opened.append  # the signal was connected to the bound method before
    view.entry_activated.disconnect()
    view.entry_activated.connect(window.open_editor)
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=block_centre(view, a.id))
    assert opened == [a.id]
    # keyboard: arrows move between entries, Escape clears
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Down)
    assert view.selected_id != a.id
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    assert window.selected_entry_ids() == []


def test_bank_holiday_in_the_strip(window):
    from probation_diary.core.clock import Week

    window.go_to_week(Week(dt.date(2026, 12, 21)))
    texts = [i.text for i in window.week_view.strip]
    assert any("Christmas" in t for t in texts) and any("Boxing" in t for t in texts)


def test_recording_an_outcome_moves_minutes_to_face_to_face(window, make_entry, qtbot):
    saved = window.save_new(make_entry("COAP", "2026-11-18 10:00", 60, crn="X123456"))
    window.save_new(make_entry("Recording on Delius", "2026-11-18 11:00", 60))
    panel = window.summary
    qtbot.waitUntil(lambda: any(i == saved.id for _, i in panel.items()))
    assert panel.share.text() == "0%"
    assert panel.class_chart.minutes["admin"] == 120  # awaiting outcome counts as admin
    assert any(t.startswith("Awaiting an outcome (1:00)") for t, _ in panel.items())
    before = window.summary_updates
    window.save_edit(saved.with_changes(outcome_code="ATTC"))
    qtbot.waitUntil(lambda: window.summary_updates > before)
    summary = window.diary.week_summary(window.current_week())
    assert panel.share.text() == share_percent(summary.face_to_face_share) == "50%"
    assert panel.class_chart.minutes["face_to_face"] == 60
    assert panel.class_chart.minutes["admin"] == 60
    assert not any(t.startswith("Awaiting") for t, _ in panel.items())
    assert panel.hours["worked"].text() == "2:00"
    window.undo_action.trigger()
    qtbot.waitUntil(lambda: panel.share.text() == "0%")


def test_empty_week_says_no_time_logged(window):
    assert window.summary.share.text() == "no time logged"
    assert ("Nothing to act on", None) in window.summary.items()


def test_act_on_item_selects_the_entry(window, make_entry, qtbot):
    a = window.save_new(make_entry("Team meeting", "2026-11-18 10:00", 60))
    b = window.save_new(make_entry("Other admin", "2026-11-18 10:30", 60))
    panel = window.summary
    qtbot.waitUntil(lambda: any(i == b.id for _, i in panel.items()))
    assert panel.items()[0][0].startswith("Overlapping entries (0:30)")
    row = [i for _, i in panel.items()].index(b.id)
    panel.act_on.itemClicked.emit(panel.act_on.item(row))
    assert window.selected_entry_ids() == [b.id]
    assert a.id in [i for _, i in panel.items()]


def _lightness(view, entry_id):
    """Mean lightness of the lower half of an entry's block, as painted (text is at the top)."""
    b = next(x for x in view.blocks if x.entry_id == entry_id)
    image = view.viewport().grab().toImage()
    r = b.rect.translated(0, view._body_offset())
    values = [image.pixelColor(int(x), int(y)).lightness()
              for x in range(int(r.left() + 3), int(r.right() - 3), 2)
              for y in range(int(r.center().y()), int(r.bottom() - 3), 2)]
    return sum(values) / len(values)


def test_week_view_says_and_colours_what_entries_count_as_now(window, make_entry, qtbot):
    """Issue 13: colours follow what an entry counts as now (awaiting outcome, did not attend:
    admin), planned time is drawn as planned, and the panel shows it. Now: Fri 20/11 17:00."""
    waiting = window.save_new(make_entry("CHVS", "2026-11-18 10:00", 60, crn="X123456"))
    missed = window.save_new(make_entry("COAP", "2026-11-18 14:00", 60, crn="X123456", outcome_code="AFTA"))
    seen = window.save_new(make_entry("COUP", "2026-11-19 14:00", 90, crn="X123456"))
    later = window.save_new(make_entry("COUP", "2026-11-20 18:00", 90, crn="X123456"))
    running = window.save_new(make_entry("Other admin", "2026-11-20 16:30", 60))
    window.show()
    qtbot.waitExposed(window)
    view = window.week_view
    qtbot.waitUntil(lambda: {waiting.id, missed.id, seen.id, later.id, running.id} <= set(view.entries))
    assert view.counted_class(waiting.id) == "admin" and view.counted_class(missed.id) == "admin"
    assert view.counted_class(seen.id) == "face_to_face"
    assert "counts as Admin (awaiting outcome)" in view._tooltip(waiting.id)
    assert "counts as Admin (did not attend)" in view._tooltip(missed.id)
    assert "not counted yet (planned)" in view._tooltip(later.id)
    assert "the rest is planned" in view._tooltip(running.id)
    block = {b.entry_id: b for b in view.blocks}
    assert view.planned_from(block[later.id]) == 18 * 60
    assert view.planned_from(block[running.id]) == 17 * 60
    assert view.planned_from(block[seen.id]) is None
    view.verticalScrollBar().setValue(int(13 * view.hour_height))
    assert _lightness(view, later.id) > _lightness(view, seen.id) + 20  # pale: not yet counted
    assert window.summary.hours["planned"].text() == "2:00"  # 18:00-19:30 and 17:00-17:30
    assert window.summary.hours["worked"].text() == "4:00"
    assert window._tick.isActive()  # the figures move on as the minutes pass


def test_planned_time_moves_into_worked_as_the_minutes_pass(window, make_entry, qtbot, fixed_now):
    window.save_new(make_entry("Other admin", "2026-11-20 16:30", 60))  # now: 17:00
    hours = window.summary.hours
    qtbot.waitUntil(lambda: hours["planned"].text() == "0:30")
    assert hours["worked"].text() == "0:30" and window._tick.isActive()
    fixed_now("2026-11-20 17:20")
    window._tick.timeout.emit()  # what the timer does at the next minute
    assert (hours["worked"].text(), hours["planned"].text()) == ("0:50", "0:10")
    fixed_now("2026-11-20 17:30")
    window._tick.timeout.emit()
    assert (hours["worked"].text(), hours["planned"].text()) == ("1:00", "0:00")
    assert not window._tick.isActive()  # nothing left to move: no more refreshes


def test_going_to_a_week_brings_its_early_entries_into_view(window, make_entry, qtbot):
    """Go to date 25/10/2026: the entries at 00:30-03:00 that night are in sight, not hidden
    above the 07:30 the view opens at; and a new entry (Ctrl+Shift+M) starts on the day gone
    to, not on that week's Monday."""
    import datetime as dt

    from probation_diary.core.clock import Week

    window.save_new(make_entry("COAP", "2026-10-25 00:30", 150, crn="X123456"))
    window.show()
    qtbot.waitExposed(window)
    view = window.week_view
    assert view.verticalScrollBar().value() > 0  # this week opens at 07:30
    window.date_picker.set_day(dt.date(2026, 10, 25))
    window.go_to_week(Week.containing(dt.date(2026, 10, 25)))
    assert view.verticalScrollBar().value() == 0
    entry_id = view.accessible_ids()[0]
    assert view.entry_rect(entry_id) is not None  # on the screen
    made = []

    class Editor:
        def __init__(self, diary, *, kind, day, parent):
            made.append(day)

    window._editor_class = lambda: Editor
    window._run_editor = lambda dlg, edit: None
    window.new_entry("appointment")
    assert made == [dt.date(2026, 10, 25)]


def test_a_refresh_reads_the_names_of_the_weeks_people_only(window, diary, monkeypatch):
    """The week shows names for its own CRNs; a refresh does not read the whole caseload
    (which grows with the diary: issue 18)."""
    from builders import add

    diary.save_person("X123456", "Jo Bloggs")
    diary.save_person("X777777", "Someone Elsewhere")
    add(diary, "COAP", "2026-11-17 10:00", "2026-11-17 11:00", crn="X123456")

    def whole_caseload():
        raise AssertionError("refresh read every person")

    monkeypatch.setattr(diary, "people", whole_caseload)
    window.refresh()
    assert window._names == {"X123456": "Jo Bloggs"}
    assert window.week_view.names == {"X123456": "Jo Bloggs"}
