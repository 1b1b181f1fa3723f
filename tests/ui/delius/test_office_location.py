"""The editor: a new entry of an office-based type starts with the office location from
settings, which the user may change or clear (spec/delius-export.md, Location); the CSV then
holds the entry's location."""

from __future__ import annotations

import datetime as dt

from probation_diary.cli import delius as delius_io
from probation_diary.formats import delius
from probation_diary.ui.entry.editor import EntryEditor
from delius_support import add, set_codes

MON, SUN = dt.date(2026, 11, 16), dt.date(2026, 11, 22)


def editor(qtbot, diary, **kw):
    ed = EntryEditor(diary, **kw)
    qtbot.addWidget(ed)
    return ed


def choose_type(qtbot, ed, text):
    ed.type_combo.lineEdit().selectAll()
    qtbot.keyClicks(ed.type_combo.lineEdit(), text)


def test_a_new_office_visit_starts_at_the_office(qtbot, diary):
    set_codes(diary, office_location="N07HO1")
    ed = editor(qtbot, diary, kind="appointment", day=MON)  # COAP
    assert ed.location_edit.text() == "N07HO1"
    choose_type(qtbot, ed, "CHVS")  # a home visit is not at the office
    assert ed.location_edit.text() == ""
    choose_type(qtbot, ed, "COAI")
    assert ed.location_edit.text() == "N07HO1"


def test_the_users_location_is_kept_and_clearing_it_sticks(qtbot, diary):
    set_codes(diary, office_location="N07HO1")
    ed = editor(qtbot, diary, kind="appointment", day=MON)
    ed.location_edit.clear()
    choose_type(qtbot, ed, "COAI")
    assert ed.location_edit.text() == ""
    assert ed.draft().location == ""
    ed.location_edit.setText("N07SAT")
    choose_type(qtbot, ed, "COAP")
    assert ed.location_edit.text() == "N07SAT"


def test_no_office_set_and_editing_an_old_entry_change_nothing(qtbot, diary):
    set_codes(diary)
    assert editor(qtbot, diary, kind="appointment", day=MON).location_edit.text() == ""
    old = add(diary, "COAP", "2026-11-16 09:00", "2026-11-16 10:00", outcome="ATTC")
    diary.set_settings({"office_location": "N07HO1"})
    ed = editor(qtbot, diary, entry=old)
    assert ed.location_edit.text() == ""
    choose_type(qtbot, ed, "COAI")
    assert ed.location_edit.text() == ""


def test_what_the_editor_saves_is_what_the_csv_holds(qtbot, diary, tmp_path):
    set_codes(diary, office_location="N07HO1")
    ed = editor(qtbot, diary, kind="appointment", day=MON)
    ed.crn_edit.setText("X123456")
    ed.start_edit.setText("09:00")
    ed.end_edit.setText("09:45")
    ed._set_combo(ed.outcome_combo, "ATTC")
    ed.save()
    saved = diary.add_entry(ed.result_entry())
    export = delius_io.plan_export(diary, MON, SUN)
    written = delius_io.export_to_file(diary, export, tmp_path / "week.csv")
    line = written.path.read_bytes().split(b"\r\n")[1]
    assert line == (b"X123456,16/11/2026,Person,COAP,Planned office visit (NS),N07,N07T01,N,N07HO1,"
                    b"09:00,09:45,ATTC,Attended - complied,,N07A123,N,N,," + saved.ref.encode())
    assert delius.HEADERS[8] == "Location"


def test_the_timer_starts_an_office_visit_at_the_office(qtbot, diary):
    from probation_diary.core import clock
    from probation_diary.ui.entry.timer import TimerWidget

    diary.set_settings({"office_location": "N07HO1"})
    timer = TimerWidget(diary)
    qtbot.addWidget(timer)
    timer.type_combo.setEditText("COAP")
    timer.crn_edit.setText("X123456")
    start = clock.now_utc()
    checked = timer._check(start, start + dt.timedelta(minutes=30))
    assert checked.ok and checked.entry.location_code == "N07HO1"
    timer.type_combo.setEditText("CTOB")
    assert timer._check(start, start + dt.timedelta(minutes=30)).entry.location_code is None
