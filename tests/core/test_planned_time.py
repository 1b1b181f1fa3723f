"""Only time that has happened is worked (spec time-split.md, issue 13 §1): the minutes of an
entry after "now" are planned, counted in no class; absence counts from the start."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from builders import add, utc
from probation_diary import __version__
from probation_diary.core import evidence
from probation_diary.formats import figures, report_pdf
from probation_diary.core.clock import Week, format_utc
from probation_diary.core.quickentry import parse_quick
from probation_diary.core.timesplit import counts_as

NOV = Week(dt.date(2026, 11, 16))  # Monday 16 to Sunday 22 November 2026, GMT, no bank holiday
WED_NOON = "2026-11-18 12:00"


def summary(diary, now, week=NOV):
    return diary.week_summary(week, now=utc(now))


def day(s, iso):
    return next(d for d in s.days if d.date.isoformat() == iso)


def test_an_entry_straddling_now_counts_its_elapsed_minutes_and_the_rest_is_planned(diary):
    add(diary, "Recording on Delius", "2026-11-18 11:00", "2026-11-18 13:30")
    s = summary(diary, WED_NOON)
    assert s.minutes["admin"] == 60 and s.worked_minutes == 60
    assert s.planned_minutes == 90
    assert day(s, "2026-11-18").minutes["admin"] == 60 and day(s, "2026-11-18").planned == 90
    data = s.to_json()
    assert data["planned_minutes"] == 90 and data["worked_minutes"] == 60
    assert data["per_day"][2]["planned_minutes"] == 90
    assert s.unlogged_minutes == 2220 - 60


@pytest.mark.parametrize("now, worked, planned", [
    ("2026-11-18 09:59", 0, 60),
    ("2026-11-18 10:00", 0, 60),   # starts now: nothing has happened yet
    ("2026-11-18 10:01", 1, 59),   # the 10:00 minute has happened
    ("2026-11-18 10:59", 59, 1),   # the 10:59 minute is still to come
    ("2026-11-18 11:00", 60, 0),
])
def test_the_boundary_minute(diary, now, worked, planned):
    add(diary, "Team meeting", "2026-11-18 10:00", "2026-11-18 11:00")
    s = summary(diary, now)
    assert (s.worked_minutes, s.planned_minutes) == (worked, planned)


@pytest.mark.parametrize("type_, crn, time_class", [
    ("COUP", "X123456", "face_to_face"),      # face to face, no outcome needed
    ("COAP", "X123456", "admin"),             # an appointment: admin (awaiting outcome) once past
    ("CTOB", "X123456", "remote_contact"),
    ("Travel", None, "travel"),
    ("Recording on Delius", None, "admin"),
])
def test_a_future_entry_of_each_class_counts_nowhere_until_it_happens(diary, type_, crn, time_class):
    add(diary, type_, "2026-11-19 10:00", "2026-11-19 11:00", crn=crn)
    before = summary(diary, WED_NOON)
    assert before.worked_minutes == 0 and before.planned_minutes == 60
    assert before.face_to_face_share is None  # "no time logged", not 0%
    assert before.awaiting_outcome_minutes == 0 and before.overlap_minutes == 0
    assert before.per_person == []
    after = summary(diary, "2026-11-19 12:00")
    assert after.minutes[time_class] == 60 and after.planned_minutes == 0
    assert after.awaiting_outcome_minutes == (60 if type_ == "COAP" else 0)


def test_future_absence_counts_from_the_start(diary):
    add(diary, "Annual leave", day="2026-11-19")                        # Thursday, whole day
    add(diary, "Other absence", "2026-11-20 13:00", "2026-11-20 17:00")  # Friday, timed
    s = summary(diary, "2026-11-16 09:00")
    assert s.minutes["absence"] == 444 + 240
    assert s.expected_minutes == 2220 - 444 - 240
    assert s.planned_minutes == 0 and s.worked_minutes == 0


def test_planned_minutes_are_not_overlap_and_take_no_minute_from_absence(diary):
    add(diary, "Other absence", "2026-11-20 09:00", "2026-11-20 12:00")
    add(diary, "Team meeting", "2026-11-20 10:00", "2026-11-20 11:00")
    add(diary, "Travel", "2026-11-20 10:30", "2026-11-20 11:30")
    planned = summary(diary, WED_NOON)
    assert planned.minutes["absence"] == 180
    assert planned.planned_minutes == 90  # 10:00-11:30, each minute once
    assert planned.overlap_minutes == 0 and planned.overlap_ids == set()
    happened = summary(diary, "2026-11-21 09:00")
    assert happened.planned_minutes == 0
    assert happened.minutes["travel"] == 60 and happened.minutes["admin"] == 30
    assert happened.minutes["absence"] == 90
    assert happened.overlap_minutes == 90


def test_in_progress_appointment_counts_only_what_has_happened(diary):
    visit = add(diary, "CHVS", "2026-11-18 11:30", "2026-11-18 12:30", crn="X123456")
    s = summary(diary, WED_NOON)
    assert s.minutes["admin"] == 30 and s.awaiting_outcome_minutes == 30
    assert s.awaiting_outcome_ids == {visit.id}
    assert s.planned_minutes == 30
    assert [(p.crn, p.face_to_face_minutes, p.total_minutes) for p in s.per_person] == [("X123456", 0, 30)]
    diary.update_entry(visit.with_changes(outcome_code="AFTA"))
    s = summary(diary, WED_NOON)
    assert s.not_attended_minutes == 30 and s.minutes["admin"] == 30 and s.planned_minutes == 30
    diary.update_entry(visit.with_changes(outcome_code="ATTC"))
    s = summary(diary, WED_NOON)
    assert s.minutes["face_to_face"] == 30 and s.per_person[0].face_to_face_minutes == 30


def test_planned_time_crossing_the_week_end_counts_in_its_own_week(diary):
    add(diary, "Travel", "2026-11-22 23:00", "2026-11-23 01:00")
    this, following = summary(diary, WED_NOON), summary(diary, WED_NOON, NOV.next())
    assert (this.planned_minutes, following.planned_minutes) == (60, 60)
    assert day(following, "2026-11-23").planned == 60


# --- everything that shows week figures follows ----------------------------------------------

def test_command_line_summary_reports_planned_minutes(diary, diary_path, run_cli, fixed_now):
    add(diary, "COAP", "2026-11-16 10:00", "2026-11-16 11:00", crn="X123456", outcome="ATTC")
    add(diary, "Supervision with manager", "2026-11-19 14:00", "2026-11-19 15:00")
    diary.close()
    fixed_now(WED_NOON)
    data = json.loads(run_cli("summary", "--week", "2026-11-16", "--json").out)
    assert data["planned_minutes"] == 60
    assert data["face_to_face_minutes"] == 60 and data["admin_minutes"] == 0
    assert data["face_to_face_share"] == 1.0  # the meeting that has not happened takes no share
    text = run_cli("summary", "--week", "2026-11-16").out
    assert any(line.split()[:2] == ["Planned", "1:00"] for line in text.splitlines())
    listing = run_cli("list", "--week", "2026-11-16").out
    assert "not yet (planned)" in listing


def test_cache_never_serves_a_week_containing_now(diary):
    add(diary, "Recording on Delius", "2026-11-18 11:00", "2026-11-18 13:00")
    [s] = diary.week_summaries([NOV], now=utc(WED_NOON))
    assert s.planned_minutes == 60
    assert diary.db.execute("SELECT count(*) FROM week_figures").fetchone()[0] == 0
    [s] = diary.week_summaries([NOV], now=utc("2026-11-18 12:30"))
    assert (s.worked_minutes, s.planned_minutes) == (90, 30)
    # once the week is over its figures are cached, with no planned time ...
    [done] = diary.week_summaries([NOV], now=utc("2026-11-24 09:00"))
    assert (done.worked_minutes, done.planned_minutes) == (120, 0)
    assert diary.db.execute("SELECT count(*) FROM week_figures").fetchone()[0] == 1
    # ... and never served for a moment inside the week
    [back] = diary.week_summaries([NOV], now=utc(WED_NOON))
    assert (back.worked_minutes, back.planned_minutes) == (60, 60)


def test_figures_cached_under_older_rules_are_recomputed(diary):
    add(diary, "Annual leave", day="2026-11-17")
    later = utc("2026-12-10 12:00")
    diary.week_summaries([NOV], now=later)
    # a row as version 0.1.0 wrote it (before this version of the rules): never served
    stale = json.loads(diary.db.execute("SELECT data FROM week_figures").fetchone()[0])
    stale["minutes"]["absence"] = 999
    with diary.db.conn:
        diary.db.execute("DELETE FROM week_figures")
        diary.db.execute("INSERT INTO week_figures VALUES (?, ?, ?, ?)",
                         [format_utc(NOV.start), format_utc(NOV.end), __version__, json.dumps(stale)])
    [s] = diary.week_summaries([NOV], now=later)
    assert s.minutes["absence"] == 444


def test_trends_leave_planned_time_out_of_the_week_in_progress(diary):
    add(diary, "COUP", "2026-11-09 10:00", "2026-11-09 11:00", crn="X123456")
    add(diary, "COUP", "2026-11-16 10:00", "2026-11-16 11:00", crn="X123456")
    add(diary, "Recording on Delius", "2026-11-19 09:00", "2026-11-19 17:00")
    trend = evidence.diary_trend(diary, 4, now=utc(WED_NOON))
    current = trend.weeks[-1]
    assert current.in_progress and current.worked_minutes == 60 and current.planned_minutes == 480
    assert current.face_to_face_share == 1.0
    assert trend.to_json()["weeks"][-1]["planned_minutes"] == 480
    assert trend.stats["face_to_face_share"].weeks == 1  # the week in progress is not averaged


def test_caseload_spread_counts_only_contact_that_has_happened(diary):
    add(diary, "COUP", "2026-11-16 10:00", "2026-11-16 11:00", crn="X123456")
    add(diary, "COUP", "2026-11-19 10:00", "2026-11-19 12:00", crn="X123456")
    add(diary, "COUP", "2026-11-20 10:00", "2026-11-20 11:00", crn="Y654321")
    spread = evidence.caseload_spread(diary, NOV.monday, NOV.days[-1], now=utc(WED_NOON))
    got = {p.crn: (p.face_to_face_minutes, p.total_minutes) for p in spread.people}
    assert got == {"X123456": (60, 60), "Y654321": (0, 0)}


def test_pdf_report_shows_planned_time(diary):
    add(diary, "Recording on Delius", "2026-11-18 11:00", "2026-11-18 14:00")
    page = report_pdf.weekly_report(summary(diary, WED_NOON))
    texts = page.texts()
    assert "Planned" in texts and "2:00" in texts
    i = texts.index("Worked")
    assert texts[i + 1] == "1:00"
    assert max(i.y for i in page.items if isinstance(i, report_pdf.Text)) < report_pdf.A4[1] - 10


def test_anonymised_figures_count_only_what_has_happened(diary):
    add(diary, "Recording on Delius", "2026-11-18 11:00", "2026-11-18 14:00")
    weeks = evidence.diary_figures(diary, 1, last=NOV, now=utc(WED_NOON))
    assert [w.worked_minutes for w in weeks] == [60]
    assert json.loads(figures.figures_json(weeks, evidence.Practitioner("PO-1")))["weeks"][0]["admin_minutes"] == 60


# --- what an entry counts as, now --------------------------------------------------------------

@pytest.mark.parametrize("type_, start, end, outcome, text", [
    ("CHVS", "2026-11-17 10:00", "2026-11-17 11:00", None, "counts as Admin (awaiting outcome)"),
    ("COAP", "2026-11-17 10:00", "2026-11-17 11:00", "AFTA", "counts as Admin (did not attend)"),
    ("COAP", "2026-11-17 10:00", "2026-11-17 11:00", "ATTC", "counts as Face to face"),
    ("COAP", "2026-11-19 10:00", "2026-11-19 11:00", None, "not counted yet (planned)"),
    ("Travel", "2026-11-19 10:00", "2026-11-19 11:00", None, "not counted yet (planned)"),
    ("COUP", "2026-11-18 11:30", "2026-11-18 12:30", None, "counts as Face to face so far (the rest is planned)"),
    ("CHVS", "2026-11-18 11:30", "2026-11-18 12:30", None,
     "counts as Admin so far (awaiting outcome; the rest is planned)"),
    ("Other absence", "2026-11-19 10:00", "2026-11-19 11:00", None, "counts as Absence"),
])
def test_counts_as_says_what_an_entry_counts_as_now_and_why(diary, type_, start, end, outcome, text):
    entry = add(diary, type_, start, end, crn="X123456" if type_.isupper() else None, outcome=outcome)
    ref = diary.reference()
    got = counts_as(entry, ref.types[entry.type_id], ref.outcomes.get(outcome or ""), utc(WED_NOON))
    assert got.text == text


def test_quick_entry_preview_says_planned_for_a_future_entry(diary):
    got = parse_quick("admin 2026-11-19 09:00-10:00", diary.reference(), utc(WED_NOON))
    assert got.ok and "not counted yet (planned)" in got.preview
    got = parse_quick("COAP X123456 2026-11-17 10:00-11:00 AFTA", diary.reference(), utc(WED_NOON))
    assert got.ok and "counts as Admin (did not attend)" in got.preview
