"""The time-split rules of spec/time-split.md, each worked out by hand."""

import datetime as dt
import json

import pytest

from builders import add, utc
from probation_diary.core.clock import Week
from probation_diary.core.timesplit import share_percent
from probation_diary.core.validation import EntryDraft, check_entry

NOV = Week(dt.date(2026, 11, 16))  # an ordinary week, no bank holiday
AFTER = utc("2026-12-31 12:00")    # "now", after every entry below


def summary(diary, week=NOV, now=AFTER):
    return diary.week_summary(week, now=now)


def day(s, iso):
    return next(d for d in s.days if d.date.isoformat() == iso)


def test_empty_week_has_no_share_and_full_expected(diary):
    s = summary(diary)
    assert s.worked_minutes == 0
    assert s.face_to_face_share is None and s.direct_contact_share is None
    assert share_percent(s.face_to_face_share) == "no time logged"
    assert s.expected_minutes == 2220 and s.unlogged_minutes == 2220 and s.extra_minutes == 0
    assert json.loads(json.dumps(s.to_json()))["face_to_face_share"] is None


def test_october_clock_change_entry_lasts_three_hours(diary):
    add(diary, "EOAS", "2026-10-25 00:30", "2026-10-25 02:30", crn="X123456")
    s = summary(diary, Week(dt.date(2026, 10, 19)))
    assert s.minutes["admin"] == 180
    assert day(s, "2026-10-25").minutes["admin"] == 180
    assert Week(dt.date(2026, 10, 19)).minutes == 169 * 60


def test_march_clock_change_entry_lasts_one_hour(diary):
    add(diary, "EOAS", "2026-03-29 00:30", "2026-03-29 02:30", crn="X123456")
    s = summary(diary, Week(dt.date(2026, 3, 23)))
    assert s.minutes["admin"] == 60
    assert Week(dt.date(2026, 3, 23)).minutes == 167 * 60


def test_march_gap_time_rejected_and_october_ambiguous_time_warned(diary):
    ref = diary.reference()
    gap = check_entry(EntryDraft(type="EOAS", crn="X123456", start_date="2026-03-29",
                                 start_time="01:30", end_time="03:00"), ref, AFTER)
    assert not gap.ok and "does not exist" in gap.errors["start"]
    twice = check_entry(EntryDraft(type="EOAS", crn="X123456", start_date="2026-10-25",
                                   start_time="01:30", end_time="02:30"), ref, AFTER)
    assert twice.ok and any("first time" in w for w in twice.warnings)
    assert twice.entry.minutes == 120  # 01:30 BST to 02:30 GMT


def test_entry_crossing_sunday_midnight_is_split_between_weeks(diary):
    add(diary, "Travel", "2026-11-22 23:00", "2026-11-23 01:30")
    first, second = summary(diary), summary(diary, NOV.next())
    assert first.minutes["travel"] == 60 and day(first, "2026-11-22").minutes["travel"] == 60
    assert second.minutes["travel"] == 90 and day(second, "2026-11-23").minutes["travel"] == 90


def test_entry_crossing_midnight_counts_on_each_day(diary):
    add(diary, "Report writing (PSR or parole)", "2026-11-17 22:00", "2026-11-18 00:45")
    s = summary(diary)
    assert day(s, "2026-11-17").minutes["admin"] == 120
    assert day(s, "2026-11-18").minutes["admin"] == 45


def test_overlaps_count_each_minute_once_by_precedence(diary):
    add(diary, "Travel", "2026-11-16 09:30", "2026-11-16 10:15")
    add(diary, "COAP", "2026-11-16 10:00", "2026-11-16 11:00", crn="X123456", outcome="ATTC")
    add(diary, "Recording on Delius", "2026-11-16 10:30", "2026-11-16 11:30")
    s = summary(diary)
    assert s.minutes["face_to_face"] == 60
    assert s.minutes["travel"] == 30       # 09:30-10:00; 10:00-10:15 goes to face to face
    assert s.minutes["admin"] == 30        # 11:00-11:30
    assert s.worked_minutes == 120         # the union, 09:30-11:30
    assert s.overlap_minutes == 45         # 10:00-10:15 and 10:30-11:00
    assert len(s.overlap_ids) == 3


def test_precedence_remote_over_travel_and_admin_over_absence(diary):
    add(diary, "Travel", "2026-11-17 09:00", "2026-11-17 10:00")
    add(diary, "COPT", "2026-11-17 09:30", "2026-11-17 09:45", crn="X123456", outcome="ATTC")
    add(diary, "Other absence", "2026-11-17 13:00", "2026-11-17 15:00")
    add(diary, "Email and correspondence", "2026-11-17 14:00", "2026-11-17 14:30")
    s = summary(diary)
    assert s.minutes["remote_contact"] == 15 and s.minutes["travel"] == 45
    assert s.minutes["admin"] == 30 and s.minutes["absence"] == 90
    assert s.overlap_minutes == 45


@pytest.mark.parametrize("outcome", ["AFTA", "UAAB", "AAME", "RSOF", "RSSR"])
def test_not_attended_appointment_counts_as_admin_and_shows_separately(diary, outcome):
    add(diary, "COAP", "2026-11-18 10:00", "2026-11-18 11:00", crn="X123457", outcome=outcome)
    s = summary(diary)
    assert s.minutes["face_to_face"] == 0 and s.minutes["admin"] == 60
    assert s.not_attended_minutes == 60 and s.awaiting_outcome_minutes == 0
    assert s.per_person[0].total_minutes == 60 and s.per_person[0].face_to_face_minutes == 0


def test_past_appointment_without_outcome_is_admin_awaiting_outcome(diary):
    entry = add(diary, "CHVS", "2026-11-19 14:00", "2026-11-19 15:10", crn="X123458")
    s = summary(diary)
    assert s.minutes["admin"] == 70 and s.awaiting_outcome_minutes == 70
    assert s.awaiting_outcome_ids == {entry.id}
    # recording the outcome moves the minutes to face to face
    diary.update_entry(entry.with_changes(outcome_code="ATTC"))
    s = summary(diary)
    assert s.minutes["face_to_face"] == 70 and s.minutes["admin"] == 0
    assert s.awaiting_outcome_minutes == 0


def test_future_appointment_counts_nowhere_until_it_has_happened(diary):
    add(diary, "COAP", "2026-11-20 15:00", "2026-11-20 16:00", crn="X123456")
    add(diary, "Team meeting", "2026-11-20 09:00", "2026-11-20 10:00")
    before = summary(diary, now=utc("2026-11-20 12:00"))
    assert before.minutes["admin"] == 60 and before.awaiting_outcome_minutes == 0
    assert before.per_person == []
    after = summary(diary, now=utc("2026-11-20 16:30"))
    assert after.minutes["admin"] == 120 and after.awaiting_outcome_minutes == 60


def test_types_without_outcome_count_by_their_class(diary):
    add(diary, "CTOB", "2026-11-16 12:00", "2026-11-16 12:10", crn="X123456")
    add(diary, "COUP", "2026-11-16 12:30", "2026-11-16 12:50", crn="X123456")
    s = summary(diary)
    assert s.minutes["remote_contact"] == 10 and s.minutes["face_to_face"] == 20


def test_shares_and_headline_rounding(diary):
    add(diary, "COAP", "2026-11-16 10:00", "2026-11-16 11:00", crn="X123456", outcome="ATTC")
    add(diary, "COPT", "2026-11-16 11:00", "2026-11-16 11:30", crn="X123457", outcome="ATTC")
    add(diary, "Recording on Delius", "2026-11-16 11:30", "2026-11-16 13:30")
    s = summary(diary)
    assert s.worked_minutes == 210
    assert s.face_to_face_share == pytest.approx(60 / 210)
    assert s.direct_contact_share == pytest.approx(90 / 210)
    assert share_percent(s.face_to_face_share) == "29%"
    assert share_percent(s.direct_contact_share) == "43%"
    assert share_percent(1 / 8) == "13%"   # halves round up
    assert share_percent(0.0) == "0%" and share_percent(1.0) == "100%"


def test_whole_day_absence_counts_a_days_share_on_working_days_only(diary):
    add(diary, "Annual leave", day="2026-11-20")  # Friday
    add(diary, "Annual leave", day="2026-11-21")  # Saturday: not a working day
    s = summary(diary)
    assert s.minutes["absence"] == 444
    assert day(s, "2026-11-21").minutes["absence"] == 0
    assert s.expected_minutes == 2220 - 444 == 1776


def test_timed_absence_counts_its_duration_capped_at_a_days_share(diary):
    add(diary, "Other absence", "2026-11-17 13:00", "2026-11-17 17:00")
    add(diary, "Sickness", "2026-11-18 08:00", "2026-11-18 17:00")
    s = summary(diary)
    assert day(s, "2026-11-17").minutes["absence"] == 240
    assert day(s, "2026-11-18").minutes["absence"] == 444
    assert s.expected_minutes == 2220 - 240 - 444


def test_bank_holiday_week(diary):
    week = Week(dt.date(2026, 8, 31))  # Monday 31 August 2026: late summer bank holiday
    s = summary(diary, week)
    assert day(s, "2026-08-31").bank_holiday and day(s, "2026-08-31").minutes["absence"] == 444
    assert s.expected_minutes == 1776 and s.minutes["absence"] == 444
    # leave on the bank holiday itself does not count twice
    add(diary, "Annual leave", day="2026-08-31")
    assert summary(diary, week).expected_minutes == 1776
    diary.set_setting("bank_holidays", "off")
    off = summary(diary, week)
    assert off.minutes["absence"] == 444  # the leave entry remains
    diary.delete_entry(diary.entries_between(week.start, week.end)[0].id)
    assert summary(diary, week).expected_minutes == 2220


def test_christmas_week_bank_holidays_on_weekend_do_not_count(diary):
    s = summary(diary, Week(dt.date(2026, 12, 21)))  # Fri 25 Dec; Sat 26 Dec is not a working day
    assert s.minutes["absence"] == 444 and s.expected_minutes == 1776


def test_part_time_pattern_22_5_hours_over_monday_to_wednesday(diary):
    diary.set_settings({"contracted_hours": "22.5", "working_days": "Mon,Tue,Wed"})
    assert diary.settings().day_share == 450
    add(diary, "Annual leave", day="2026-11-17")  # Tuesday
    add(diary, "Annual leave", day="2026-11-19")  # Thursday: not a working day
    add(diary, "Recording on Delius", "2026-11-16 09:00", "2026-11-16 16:30")  # 450
    add(diary, "Recording on Delius", "2026-11-19 10:00", "2026-11-19 12:00")  # 120 on a day off
    s = summary(diary)
    assert s.contracted_minutes == 1350
    assert s.minutes["absence"] == 450
    assert s.expected_minutes == 900
    assert s.worked_minutes == 570
    assert s.unlogged_minutes == 330 and s.extra_minutes == 0


def test_extra_hours_include_weekend_work(diary):
    for d in range(16, 21):
        add(diary, "Recording on Delius", f"2026-11-{d} 08:30", f"2026-11-{d} 16:30")  # 5 x 480
    add(diary, "Report writing (PSR or parole)", "2026-11-21 10:00", "2026-11-21 11:00")
    s = summary(diary)
    assert s.worked_minutes == 2460
    assert s.extra_minutes == 240 and s.unlogged_minutes == 0


def test_per_day_and_per_person(diary):
    add(diary, "COAP", "2026-11-16 10:00", "2026-11-16 11:00", crn="X123456", outcome="ATTC")
    add(diary, "CTOB", "2026-11-17 10:00", "2026-11-17 10:20", crn="X123456")
    add(diary, "CHVS", "2026-11-18 10:00", "2026-11-18 10:45", crn="Y654321", outcome="ATTC")
    add(diary, "C204", "2026-11-18 11:00", "2026-11-18 11:30", crn="Y654321")
    s = summary(diary)
    people = {p.crn: (p.face_to_face_minutes, p.total_minutes) for p in s.per_person}
    assert people == {"X123456": (60, 80), "Y654321": (45, 75)}
    data = s.to_json()
    assert [d["date"] for d in data["per_day"]] == [f"2026-11-{d}" for d in range(16, 23)]
    assert data["per_day"][2] == {
        "date": "2026-11-18", "face_to_face_minutes": 45, "remote_contact_minutes": 0,
        "travel_minutes": 0, "admin_minutes": 30, "absence_minutes": 0, "worked_minutes": 75,
        "planned_minutes": 0}


def test_json_has_the_spec_keys(diary):
    keys = set(summary(diary).to_json())
    spec = {"week_start", "face_to_face_minutes", "remote_contact_minutes", "travel_minutes",
            "admin_minutes", "absence_minutes", "worked_minutes", "face_to_face_share",
            "direct_contact_share", "expected_minutes", "unlogged_minutes", "extra_minutes",
            "overlap_minutes", "not_attended_minutes", "awaiting_outcome_minutes", "planned_minutes",
            "per_day", "per_person"}
    assert spec <= keys
    assert summary(diary).to_json()["week_start"] == "2026-11-16"


def test_user_can_reclass_a_type(diary):
    from probation_diary.core.record import replace

    covc = diary.reference().find_type("COVC")
    diary.save_activity_type(replace(covc, time_class="face_to_face"))
    add(diary, "COVC", "2026-11-16 10:00", "2026-11-16 10:30", crn="X123456", outcome="ATTC")
    assert summary(diary).minutes["face_to_face"] == 30
