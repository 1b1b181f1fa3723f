"""Calendar (.ics) import and export: core.ics against the fixture files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import icalendar
import pytest

from probation_diary.core import clock
from probation_diary.formats import ics
from probation_diary.core.validation import EntryDraft, check_entry

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
FIRST, LAST = dt.date(2026, 10, 12), dt.date(2026, 11, 22)


def utc(text: str) -> dt.datetime:
    return clock.parse_utc(text)


def local(text: str) -> dt.datetime:
    return clock.local_to_utc(clock.parse_local_datetime(text)).instant


@pytest.fixture
def now():
    return local("2026-10-01 09:00")


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def do_import(diary, data: bytes, now, first=FIRST, last=LAST):
    plan = ics.plan_import(data, diary, first, last, now=now)
    return plan, ics.apply_plan(diary, plan, now=now)


def summary(diary):
    """(local start, local end or 'all day', type code or label, CRN) for every entry."""
    ref = diary.reference()
    rows = []
    for e in diary.all_entries():
        t = ref.types[e.type_id]
        s, f = clock.to_local(e.start), clock.to_local(e.end)
        rows.append((f"{s:%Y-%m-%d %H:%M}", "all day" if e.all_day else f"{f:%H:%M}",
                     t.delius_code or t.label, e.crn))
    return rows


def edited(data: bytes, old: str, new: str) -> bytes:
    text = data.decode()
    assert old in text
    return text.replace(old, new).encode()


# --- Outlook ---------------------------------------------------------------------------------

def test_outlook_entries_at_local_times_across_the_clock_change(diary, now):
    plan, result = do_import(diary, fixture("outlook.ics"), now)
    assert not plan.problems and not result.failed
    assert summary(diary) == [
        ("2026-10-13 10:00", "11:00", "COAP", "X123456"),  # BST
        ("2026-10-21 14:30", "15:30", "COAP", "X123456"),  # 20/10 moved (RECURRENCE-ID)
        ("2026-10-23 10:30", "12:00", "CCMM", "Z345678"),  # MAPPA
        ("2026-10-26 14:00", "15:30", "CHVS", "Y234567"),  # HV, CRN from the body, lower case
        ("2026-10-27 10:00", "11:00", "COAP", "X123456"),  # GMT, after the clock change
        ("2026-10-29 00:00", "all day", "Annual leave", None),
        ("2026-10-30 00:00", "all day", "Annual leave", None),
        ("2026-11-10 10:00", "11:00", "COAP", "X123456"),  # 03/11 cancelled (EXDATE)
        ("2026-11-17 10:00", "11:00", "COAP", "X123456"),
    ]
    starts = {clock.format_utc(e.start) for e in diary.all_entries()}
    assert "2026-10-13T09:00:00Z" in starts and "2026-10-27T10:00:00Z" in starts


def test_outlook_whole_day_event_that_is_not_leave_is_listed_and_skipped(diary, now):
    plan, _ = do_import(diary, fixture("outlook.ics"), now)
    assert [(e.first, reason) for e, reason in plan.skipped] == [
        (dt.date(2026, 10, 22), "a whole-day event that does not look like leave")]
    assert not any(e.start == clock.local_midnight(dt.date(2026, 10, 22)) for e in diary.all_entries())


def test_leave_on_a_non_working_day_makes_no_entry(diary, now):
    data = edited(fixture("outlook.ics"), "DTEND;VALUE=DATE:20261031", "DTEND;VALUE=DATE:20261103")  # Thu to Mon
    do_import(diary, data, now)
    leave = [r for r in summary(diary) if r[2] == "Annual leave"]
    assert [r[0][:10] for r in leave] == ["2026-10-29", "2026-10-30", "2026-11-02"]


def test_recurrence_is_expanded_only_for_the_range(diary, now):
    do_import(diary, fixture("outlook.ics"), now, first=dt.date(2026, 10, 26), last=dt.date(2026, 11, 1))
    assert [r[0] for r in summary(diary) if r[3] == "X123456"] == ["2026-10-27 10:00"]


# --- Google, UTC and Europe/London ---------------------------------------------------------

def test_google_utc_and_london_times(diary, now):
    plan, result = do_import(diary, fixture("google.ics"), now)
    assert summary(diary) == [
        ("2026-10-20 14:00", "15:00", "EOAS", "U678901"),  # TZID=Europe/London, weekly
        ("2026-10-22 10:00", "11:00", "COPT", "W456789"),  # 09:00Z in BST
        ("2026-10-27 14:00", "15:00", "EOAS", "U678901"),
        ("2026-10-29 10:00", "11:00", "COAP", "V567890"),  # 10:00Z in GMT; CRN only -> COAP
        ("2026-11-03 14:00", "15:00", "EOAS", "U678901"),  # UNTIL (UTC) ends the series here
    ]
    left_out = [p for p in plan.proposals if not p.include]
    assert len(left_out) == 1 and "needs a type" in left_out[0].reason  # "Dentist"
    assert len(result.created) == 5


def test_windows_zone_name_without_its_vtimezone(diary, now):
    data = b"\r\n".join([
        b"BEGIN:VCALENDAR", b"VERSION:2.0", b"PRODID:x", b"BEGIN:VEVENT", b"UID:w1", b"DTSTAMP:20261001T000000Z",
        b'DTSTART;TZID="GMT Standard Time":20261026T093000', b'DTEND;TZID="GMT Standard Time":20261026T100000',
        b"SUMMARY:Phone X111111", b"END:VEVENT",
        b"BEGIN:VEVENT", b"UID:f1", b"DTSTAMP:20261001T000000Z",
        b"DTSTART:20261020T093000", b"DTEND:20261020T100000", b"SUMMARY:Phone X111111", b"END:VEVENT",
        b"END:VCALENDAR", b""])
    plan, result = do_import(diary, data, now)
    assert not plan.problems
    assert [clock.format_utc(e.start) for e in diary.all_entries()] == [
        "2026-10-20T08:30:00Z",  # floating time, taken as London (BST)
        "2026-10-26T09:30:00Z",  # GMT
    ]


def test_other_windows_zones_and_custom_vtimezones(diary, now):
    """A meeting sent from Paris (Romance Standard Time) lands an hour earlier in London; an
    Outlook zone with a made-up name is read from its own VTIMEZONE."""
    data = fixture("outlook.ics").decode().replace("GMT Standard Time", "Customized Time Zone")
    data = data.replace('DTSTART;TZID="Customized Time Zone":20261023T103000',
                        'DTSTART;TZID="Romance Standard Time":20261023T113000')
    data = data.replace('DTEND;TZID="Customized Time Zone":20261023T120000',
                        'DTEND;TZID="Romance Standard Time":20261023T130000')
    plan, result = do_import(diary, data.encode(), now)
    assert not plan.problems
    rows = summary(diary)
    assert ("2026-10-23 10:30", "12:00", "CCMM", "Z345678") in rows
    assert ("2026-10-13 10:00", "11:00", "COAP", "X123456") in rows
    assert ("2026-10-27 10:00", "11:00", "COAP", "X123456") in rows
    assert ("2026-10-21 14:30", "15:30", "COAP", "X123456") in rows and len(rows) == 9


# --- broken events ---------------------------------------------------------------------------

def test_broken_events_are_reported_and_the_rest_imports(diary, now):
    plan, result = do_import(diary, fixture("broken.ics"), now)
    assert plan.problems == [
        "event 2 in the file was skipped: its start (DTSTART) cannot be read",
        "event 3 in the file was skipped: it has no start (DTSTART)",
    ]
    assert [r[3] for r in summary(diary)] == ["A100001", "A100004"]
    assert all("A10000" not in p for p in plan.problems)  # no event text in messages


def test_a_bad_property_that_is_not_needed_does_not_break_the_event(diary, now):
    data = edited(fixture("google.ics"), "LAST-MODIFIED:20261001T120000Z\r\nSEQUENCE:0\r\nSTATUS:CONFIRMED\r\nSUMMARY:Tele",
                  "LAST-MODIFIED:yesterday\r\nSEQUENCE:0\r\nSTATUS:CONFIRMED\r\nSUMMARY:Tele")
    plan, result = do_import(diary, data, now)
    assert not plan.problems and len(result.created) == 5


@pytest.mark.parametrize("rule", ["FREQ=SOMETIMES", "FREQ=WEEKLY;UNTIL=someday X999999", "FREQ=WEEKLY;BYDAY=XX"])
def test_a_broken_repeat_rule_is_a_problem_without_the_events_text(diary, now, rule):
    data = edited(fixture("google.ics"), "RRULE:FREQ=WEEKLY;UNTIL=20261103T235959Z", f"RRULE:{rule}")
    plan, result = do_import(diary, data, now)
    assert len(plan.problems) == 1 and plan.problems[0].startswith("event 3 in the file was skipped: ")
    assert "X999999" not in plan.problems[0] and "OASys" not in plan.problems[0]
    assert len(result.created) == 2


@pytest.mark.parametrize("data", [b"", b"hello", b"BEGIN:VCARD\r\nEND:VCARD\r\n"])
def test_not_a_calendar(diary, now, data):
    with pytest.raises(ics.IcsError):
        ics.plan_import(data, diary, FIRST, LAST, now=now)


def test_event_ending_before_it_starts_is_a_problem(diary, now):
    data = edited(fixture("google.ics"), "DTEND:20261022T100000Z", "DTEND:20261022T080000Z")
    plan, _ = do_import(diary, data, now)
    assert plan.problems == ["event 1 in the file was skipped: it ends before it starts"]


# --- re-import -------------------------------------------------------------------------------

def test_reimport_gives_no_duplicates(diary, now):
    do_import(diary, fixture("outlook.ics"), now)
    before = summary(diary)
    plan, result = do_import(diary, fixture("outlook.ics"), now)
    assert summary(diary) == before
    assert {p.action for p in plan.proposals} == {ics.UNCHANGED}
    assert not result.created and not result.updated and not plan.gone
    assert diary.db.execute("SELECT count(*) FROM calendar_links").fetchone()[0] == 9


def test_reimport_applies_changes(diary, now):
    do_import(diary, fixture("outlook.ics"), now)
    data = fixture("outlook.ics")
    # the moved occurrence moves again, and the home visit becomes a phone call
    data = edited(data, "DTSTART;TZID=\"GMT Standard Time\":20261021T143000",
                  "DTSTART;TZID=\"GMT Standard Time\":20261022T090000")
    data = edited(data, "DTEND;TZID=\"GMT Standard Time\":20261021T153000",
                  "DTEND;TZID=\"GMT Standard Time\":20261022T100000")
    data = edited(data, "SUMMARY;LANGUAGE=en-gb:HV", "SUMMARY;LANGUAGE=en-gb:Telephone")
    data = edited(data, "Home visit with housing officer", "Call with housing officer")
    plan, result = do_import(diary, data, now)
    assert len(result.updated) == 2 and not result.created
    rows = summary(diary)
    assert ("2026-10-22 09:00", "10:00", "COAP", "X123456") in rows
    assert ("2026-10-26 14:00", "15:30", "COPT", "Y234567") in rows
    assert len(rows) == 9
    changes = sorted(c for p in plan.proposals for c in p.changes)
    assert changes == ["time Wed 21/10/2026 14:30-15:30 -> Thu 22/10/2026 09:00-10:00",
                       "type CHVS -> COPT"]


def test_reimport_keeps_the_users_type_when_the_calendar_did_not_change_it(diary, now):
    plan = ics.plan_import(fixture("outlook.ics"), diary, FIRST, LAST, now=now)
    hv = next(p for p in plan.proposals if p.crn == "Y234567")
    hv.type_text = "CODC"  # changed in the preview
    ics.refresh(hv, diary, now)
    ics.apply_plan(diary, plan, now)
    data = edited(fixture("outlook.ics"), "DTSTART;TZID=\"GMT Standard Time\":20261026T140000",
                  "DTSTART;TZID=\"GMT Standard Time\":20261026T133000")
    do_import(diary, data, now)
    assert ("2026-10-26 13:30", "15:30", "CODC", "Y234567") in summary(diary)


def test_a_whole_series_moved_updates_its_entries(diary, now):
    do_import(diary, fixture("outlook.ics"), now)
    data = fixture("outlook.ics").decode()
    for day in ("20261013", "20261020", "20261103"):  # DTSTART, RECURRENCE-ID, EXDATE: 10:00 -> 11:00
        data = data.replace(f'"GMT Standard Time":{day}T100000', f'"GMT Standard Time":{day}T110000')
    data = data.replace('"GMT Standard Time":20261013T110000', '"GMT Standard Time":20261013T120000', 0)
    data = data.replace('DTEND;TZID="GMT Standard Time":20261013T110000', 'DTEND;TZID="GMT Standard Time":20261013T120000')
    plan, result = do_import(diary, data.encode(), now)
    assert not result.created and not plan.gone
    assert [r[:2] for r in summary(diary) if r[3] == "X123456"] == [
        ("2026-10-13 11:00", "12:00"), ("2026-10-21 14:30", "15:30"), ("2026-10-27 11:00", "12:00"),
        ("2026-11-10 11:00", "12:00"), ("2026-11-17 11:00", "12:00")]
    plan, result = do_import(diary, data.encode(), now)  # and again: nothing left to do
    assert {p.action for p in plan.proposals} == {ics.UNCHANGED} and not plan.gone
    assert diary.count_entries() == 9


def test_events_gone_from_the_calendar_are_listed_not_deleted(diary, now):
    do_import(diary, fixture("outlook.ics"), now)
    data = edited(fixture("outlook.ics"), "EXDATE;TZID=\"GMT Standard Time\":20261103T100000",
                  "EXDATE;TZID=\"GMT Standard Time\":20261103T100000,20261110T100000")
    plan, result = do_import(diary, data, now)
    assert [(g.entry.ref, g.reason) for g in plan.gone] == [("PD-000008", "no longer in the calendar")]
    assert diary.get_entry(8) is not None and not result.deleted
    plan.gone[0].delete = True  # the user decides
    result = ics.apply_plan(diary, plan, now)
    assert diary.get_entry(8) is None and [e.id for e in result.deleted] == [8]
    assert diary.binned()[0][1].id == 8


def test_cancelled_event_is_listed_for_the_user(diary, now):
    do_import(diary, fixture("google.ics"), now)
    data = edited(fixture("google.ics"), "SUMMARY:Telephone appointment", "SUMMARY:Telephone appointment\r\nSTATUS:CANCELLED")
    data = edited(data, "STATUS:CONFIRMED\r\nSUMMARY:Telephone", "SUMMARY:Telephone")
    plan, _ = do_import(diary, data, now)
    assert [g.reason for g in plan.gone] == ["cancelled in the calendar"]


def test_an_entry_deleted_in_the_diary_is_not_imported_again(diary, now):
    do_import(diary, fixture("google.ics"), now)
    diary.delete_entry(1)
    plan, result = do_import(diary, fixture("google.ics"), now)
    skipped = [p for p in plan.proposals if p.action == ics.SKIP]
    assert len(skipped) == 1 and "deleted" in skipped[0].reason
    assert not result.created and diary.count_entries() == 4


def test_import_goes_through_validation(diary, now):
    # a home visit without a CRN cannot be saved: the preview says why and leaves it out
    data = edited(fixture("outlook.ics"), "Home visit with housing officer. CRN y234567", "Home visit")
    plan, result = do_import(diary, data, now)
    hv = next(p for p in plan.proposals if p.type_text == "CHVS")
    assert not hv.include and "CRN" in hv.reason
    assert len(result.created) == 8


# --- keywords ------------------------------------------------------------------------------

def test_crn_and_keyword_guessing():
    kw = ics.Keywords()
    assert ics.find_crn("re x123456 and Y999999") == "X123456"
    assert ics.find_crn("ab1234567 X12345") == ""
    assert ics.guess_type("Annual leave", kw) == "Annual leave"
    assert ics.guess_type("hv with Police", kw) == "CHVS"
    assert ics.guess_type("HVAC repair", kw) == ""
    assert ics.guess_type("Supervision with manager", kw) == "Supervision with manager"
    assert ics.guess_type("OASYS review", kw) == "EOAS"


def test_keywords_are_kept_in_the_diary_and_used(diary, now):
    assert ics.load_keywords(diary).pairs == ics.DEFAULT_KEYWORDS
    kw = ics.Keywords.parse_lines("dentist = Other absence\n# comment\nsupervision = COPT\n", with_crn="")
    ics.save_keywords(diary, kw)
    assert diary.area_setting(ics.KEYWORDS_SETTING).startswith("{")
    assert ics.load_keywords(diary).pairs == [("dentist", "Other absence"), ("supervision", "COPT")]
    do_import(diary, fixture("google.ics"), now)
    rows = summary(diary)
    assert ("2026-10-27 13:00", "14:00", "Other absence", None) in rows
    assert not any(r[3] == "V567890" for r in rows)  # CRN only, and no default type now


def test_keywords_with_unknown_types_are_refused(diary):
    with pytest.raises(ValueError, match="no activity type 'Nonsense'"):
        ics.save_keywords(diary, ics.Keywords([("x", "Nonsense")]))
    with pytest.raises(ValueError, match="line 1"):
        ics.Keywords.parse_lines("no equals sign")


# --- export --------------------------------------------------------------------------------

def add(diary, now, start, end, type_="COAP", crn="X123456", notes=""):
    s, e = clock.parse_local_datetime(start), clock.parse_local_datetime(end)
    draft = EntryDraft(type=type_, crn=crn, start_date=s.date().isoformat(), start_time=f"{s:%H:%M}",
                       end_time=f"{e:%H:%M}", notes=notes)
    checked = check_entry(draft, diary.reference(), now)
    assert checked.ok, checked.errors
    return diary.add_entry(checked.entry)


def export(diary, now, names=None):
    entries = ics.appointments_to_export(diary, FIRST, LAST, now)
    data = ics.export_calendar(entries, diary.reference(), now,
                               sequence_of=lambda e: len(diary.history(e.id)), names=names)
    return icalendar.Calendar.from_ical(data), data


def test_export_round_trips_with_stable_uids(diary, now):
    diary.save_person("X123456", "Jo Bloggs")
    a = add(diary, now, "2026-10-20 10:00", "2026-10-20 11:00", notes="private note text")
    b = add(diary, now, "2026-10-27 10:00", "2026-10-27 11:00", type_="COPT")
    add(diary, now, "2026-09-20 10:00", "2026-09-20 11:00")  # past: not planned
    cal, data = export(diary, now)
    events = list(cal.walk("VEVENT"))
    assert [str(e["UID"]) for e in events] == [f"{a.ref}@probation-diary", f"{b.ref}@probation-diary"]
    assert [e["DTSTART"].params["TZID"] for e in events] == ["Europe/London"] * 2
    assert [e.decoded("DTSTART").astimezone(clock.UTC) for e in events] == [
        utc("2026-10-20T09:00:00Z"), utc("2026-10-27T10:00:00Z")]
    assert [int(e["SEQUENCE"]) for e in events] == [0, 0]
    assert all("DTSTAMP" in e for e in events)
    assert str(events[0]["SUMMARY"]) == "COAP – Planned office visit (NS) - X123456"
    assert cal.walk("VTIMEZONE")[0]["TZID"] == "Europe/London"
    assert b"private note" not in data and b"Bloggs" not in data and b"DESCRIPTION" not in data

    diary.update_entry(a.with_changes(start=a.start + dt.timedelta(minutes=30)))
    again, _ = export(diary, now)
    events2 = list(again.walk("VEVENT"))
    assert [str(e["UID"]) for e in events2] == [str(e["UID"]) for e in events]
    assert int(events2[0]["SEQUENCE"]) == 1 and int(events2[1]["SEQUENCE"]) == 0


def test_export_with_names_only_when_asked(diary, now):
    diary.save_person("X123456", "Jo Bloggs")
    add(diary, now, "2026-10-20 10:00", "2026-10-20 11:00")
    cal, _ = export(diary, now, names={p.crn: p.name for p in diary.people()})
    assert str(list(cal.walk("VEVENT"))[0]["SUMMARY"]).endswith("X123456 Jo Bloggs")


def test_export_leaves_out_what_came_from_the_calendar(diary, now):
    do_import(diary, fixture("google.ics"), now)
    cal, _ = export(diary, now)
    assert list(cal.walk("VEVENT")) == []


def test_exported_file_imports_back_at_the_same_times(diary, now, tmp_path):
    add(diary, now, "2026-10-23 10:00", "2026-10-23 11:00")
    add(diary, now, "2026-10-26 10:00", "2026-10-26 11:00")
    _, data = export(diary, now)
    from probation_diary.store.diary import Diary

    other = Diary.open(tmp_path / "other.db")
    try:
        do_import(other, data, now)
        assert [r[:2] for r in summary(other)] == [("2026-10-23 10:00", "11:00"), ("2026-10-26 10:00", "11:00")]
    finally:
        other.close()
