"""The Delius export file: selection, order, the 19 columns, the format, the checks and the
statuses (spec/delius-export.md)."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from probation_diary.cli import delius as delius_io
from probation_diary.store import delius as store_delius
from probation_diary.formats import delius
from probation_diary.core.model import CHANGED, ENTERED, EXPORTED, NOT_EXPORTED
from probation_diary.core import record
from probation_diary.store.diary import DiaryError
from delius_support import NOW, add, add_raw, set_codes, utc

HEADER = (
    "CRN,Contact Date,Relates To,Contact Type Code,Contact Type,Provider,Team,Alert,Location,"
    "Start Time,End Time,Outcome Code,Outcome,Enforcement Action,Officer,Sensitive,RAR Activity,"
    "Notes,Diary Reference"
)
MON, SUN = dt.date(2026, 11, 16), dt.date(2026, 11, 22)


@pytest.fixture
def ready(diary, fixed_now):
    fixed_now(NOW)
    set_codes(diary)
    return diary


def export(diary, tmp_path, first=MON, last=SUN, include_entered=False, name="out.csv"):
    plan = delius_io.plan_export(diary, first, last, include_entered=include_entered)
    path = tmp_path / name
    delius_io.export_to_file(diary, plan, path)
    return plan, path


def read_rows(path):
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


def column(rows, header):
    i = rows[0].index(header)
    return [r[i] for r in rows[1:]]


# --- format ---------------------------------------------------------------------------------

def test_header_row_is_exact_and_in_order(ready, tmp_path):
    _, path = export(ready, tmp_path)
    assert path.read_bytes() == b"\xef\xbb\xbf" + HEADER.encode() + b"\r\n"
    assert len(delius.HEADERS) == 19


def test_a_full_row_hand_worked(ready, tmp_path):
    add(ready, "COAP", "2026-11-16 09:05", "2026-11-16 10:00", outcome="AFTA", enforcement="EA02",
        location="off1", event="2", alert=True, sensitive=True, rar=True, notes="Seen, all fine")
    add(ready, "CTOB", "2026-11-17 14:00", "2026-11-17 14:10", crn="A000001")
    _, path = export(ready, tmp_path)
    assert path.read_bytes().decode("utf-8") == (
        "\ufeff" + HEADER + "\r\n"
        "A000001,17/11/2026,Person,CTOB,Phone contact to person on probation,N07,N07T01,N,,"
        "14:00,14:10,,,,N07A123,N,N,,PD-000002\r\n"
        "X123456,16/11/2026,Event 2,COAP,Planned office visit (NS),N07,N07T01,Y,OFF1,09:05,10:00,"
        "AFTA,Failed to attend,EA02,N07A123,Y,Y,\"Seen, all fine\",PD-000001\r\n"
    )


def test_bom_and_crlf_line_ends(ready, tmp_path):
    add(ready, "COAP", "2026-11-16 09:05", "2026-11-16 10:00", outcome="ATTC", notes="one\ntwo")
    add(ready, "COAP", "2026-11-17 09:05", "2026-11-17 10:00", outcome="ATTC")
    _, path = export(ready, tmp_path)
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbfCRN,")
    assert data.count(b"\xef\xbb\xbf") == 1
    records = data.split(b"\r\n")
    assert records[-1] == b"" and len(records) == 4  # header, two rows, nothing after the last CRLF
    assert b'"one\ntwo"' in data  # the note's own newline is kept, inside quotes


def test_dates_and_times_keep_leading_zeros(ready, tmp_path):
    add(ready, "COAP", "2026-11-16 09:05", "2026-11-16 09:50", outcome="ATTC")
    rows = read_rows(export(ready, tmp_path)[1])
    assert column(rows, "Contact Date") == ["16/11/2026"]
    assert column(rows, "Start Time") == ["09:05"]
    assert column(rows, "End Time") == ["09:50"]


def test_spring_clock_change_day(ready, tmp_path):
    # 29 March 2026: 01:00 GMT becomes 02:00 BST. 00:30 to 03:30 local is two hours.
    add(ready, "COAP", "2026-03-29 00:30", "2026-03-29 03:30", outcome="ATTC")
    add(ready, "COAP", "2026-03-28 23:30", "2026-03-28 23:45", outcome="ATTC")  # the day before
    rows = read_rows(export(ready, tmp_path, dt.date(2026, 3, 29), dt.date(2026, 3, 29))[1])
    assert column(rows, "Contact Date") == ["29/03/2026"]
    assert column(rows, "Start Time") == ["00:30"]
    assert column(rows, "End Time") == ["03:30"]


def test_autumn_clock_change_day(ready, tmp_path):
    # 25 October 2026: 02:00 BST becomes 01:00 GMT. 00:30 to 02:30 local is three hours.
    add(ready, "COAP", "2026-10-25 00:30", "2026-10-25 02:30", outcome="ATTC")
    add(ready, "COAP", "2026-10-26 00:10", "2026-10-26 00:20", outcome="ATTC")  # the day after
    rows = read_rows(export(ready, tmp_path, dt.date(2026, 10, 25), dt.date(2026, 10, 25))[1])
    assert column(rows, "Contact Date") == ["25/10/2026"]
    assert column(rows, "Start Time") == ["00:30"]
    assert column(rows, "End Time") == ["02:30"]


def test_summer_times_are_local_not_utc(ready, tmp_path):
    add(ready, "COAP", "2026-07-01 00:15", "2026-07-01 01:00", outcome="ATTC")  # 23:15 UTC the day before
    rows = read_rows(export(ready, tmp_path, dt.date(2026, 7, 1), dt.date(2026, 7, 1))[1])
    assert column(rows, "Contact Date") == ["01/07/2026"]
    assert column(rows, "Start Time") == ["00:15"]


NOTES = [
    'Met at Llanfairpwllgwyngyll library, then "Ynys Môn" office',
    "Pen-y-ffordd, Flintshire\nSecond line, with a comma\r\nThird line after CRLF",
    'She said "fine", then left',
    "Ŵ ŷ â ê î ô û – “curly” quotes — and emoji 🙂",
    "",
]


def test_notes_round_trip_through_csv(ready, tmp_path):
    for i, note in enumerate(NOTES):
        add(ready, "COAP", f"2026-11-16 0{i + 1}:00", f"2026-11-16 0{i + 1}:30", outcome="ATTC", notes=note)
    rows = read_rows(export(ready, tmp_path)[1])
    assert column(rows, "Notes") == NOTES
    assert all(len(r) == 19 for r in rows)


@pytest.mark.parametrize("note", [
    '=HYPERLINK("http://x","y")', "+44 7700 900123", "-1", "@SUM(A1)", "\tTabbed", "\rReturn",
])
def test_formula_cells_are_written_as_text(ready, tmp_path, note):
    add(ready, "COAP", "2026-11-16 09:00", "2026-11-16 09:30", outcome="ATTC", notes=note)
    rows = read_rows(export(ready, tmp_path)[1])
    assert column(rows, "Notes") == ["'" + note]


def test_harmless_cells_are_not_changed(ready, tmp_path):
    add(ready, "COAP", "2026-11-16 09:00", "2026-11-16 09:30", outcome="ATTC", notes="'quoted' a=b 1+1")
    rows = read_rows(export(ready, tmp_path)[1])
    assert column(rows, "Notes") == ["'quoted' a=b 1+1"]


def test_every_cell_is_protected():
    values = ["=cmd", "+1", "-2", "@x", "\tx", "\rx", "ok"]
    assert delius.protect_row(values) == ["'=cmd", "'+1", "'-2", "'@x", "'\tx", "'\rx", "ok"]


def test_reference_data_starting_with_a_trigger_is_protected(ready, tmp_path):
    from probation_diary.core.model import ActivityType, EnforcementAction, Outcome

    atype = ready.save_activity_type(ActivityType(0, "=Odd label", "admin", delius_code="@ODD", needs_crn=True))
    ready.save_outcome(Outcome("-OC", "+Odd outcome", attended=False, complied=False, kind="not_attended"))
    ready.save_enforcement_action(EnforcementAction("=EA", "odd"))
    i = add_raw(ready, "@ODD", utc("2026-11-16 09:00"), utc("2026-11-16 09:30"), outcome_code="-OC",
                enforcement_code="=EA", location_code="+LOC")
    assert atype.id
    row = dict(zip(delius.HEADERS, read_rows(export(ready, tmp_path)[1])[1]))
    assert row["Contact Type Code"] == "'@ODD" and row["Contact Type"] == "'=Odd label"
    assert (row["Outcome Code"], row["Outcome"]) == ("'-OC", "'+Odd outcome")
    assert row["Enforcement Action"] == "'=EA" and row["Location"] == "'+LOC"
    assert row["Diary Reference"] == f"PD-{i:06d}"


def test_cells_made_by_the_export_never_need_protection(ready):
    """Only FREE_TEXT_COLUMNS go through protect() in build(); the rest are made from digits,
    fixed words and validated codes, so protect() would leave them as they are."""
    from probation_diary.formats.csvsafe import protect

    for flags in (True, False):
        add(ready, "CTOB", "2026-11-16 00:00", "2026-11-16 23:59", notes="=x", event="999" if flags else "",
            alert=flags, sensitive=flags, rar=flags, crn="Z999999")
    plan = delius_io.plan_export(ready, MON, SUN)
    assert len(plan.rows) == 2
    generated = [i for i in range(19) if i not in delius.FREE_TEXT_COLUMNS]
    assert len(generated) == 11
    for row in plan.rows:
        assert all(protect(row[i]) == row[i] for i in generated)
        assert row == delius.protect_row(
            delius.row_values(ready.get_entry(int(row[-1][3:])), ready.reference(), ready.settings()))


def test_lean_contacts_export_exactly_as_full_entries(ready):
    add(ready, "COAP", "2026-11-16 09:05", "2026-11-16 10:00", outcome="AFTA", enforcement="EA02",
        location="off1", event="2", alert=True, sensitive=True, rar=True, notes="Seen, all fine")
    add(ready, "CTOB", "2026-11-17 23:00", "2026-11-18 00:30", crn="A000001")
    add(ready, "COAP", "2026-11-18 10:00", "2026-11-18 10:30", crn="A000001", notes="+1")
    add(ready, "Travel", "2026-11-18 11:00", "2026-11-18 12:00", crn="")
    start, end = delius.range_bounds(MON, SUN)
    now = utc(NOW)
    args = (ready.reference(), ready.settings(), now, MON, SUN)
    full = delius.build(ready.entries_between(start, end), *args)
    lean = delius.build(store_delius.read_contacts(ready, start, end), *args)
    assert (lean.rows, lean.entry_ids, lean.problems) == (full.rows, full.entry_ids, full.problems)
    assert len(full.rows) == 1 and full.left_out_ids == [2, 3]
    assert set(delius.Contact._fields) <= set(record.fields(ready.get_entry(1)))


def test_default_file_name():
    assert delius.default_file_name(MON, SUN) == "delius-contacts-2026-11-16-to-2026-11-22.csv"
    plan = delius.Export(MON, SUN)
    assert plan.file_name == "delius-contacts-2026-11-16-to-2026-11-22.csv"


# --- selection and order --------------------------------------------------------------------

def test_grouped_by_crn_then_date_and_time(ready, tmp_path):
    add(ready, "COAP", "2026-11-18 09:00", "2026-11-18 09:30", crn="X123456", outcome="ATTC")
    add(ready, "COAP", "2026-11-16 15:00", "2026-11-16 15:30", crn="B222222", outcome="ATTC")
    add(ready, "COAP", "2026-11-16 09:00", "2026-11-16 09:30", crn="X123456", outcome="ATTC")
    add(ready, "CTOB", "2026-11-19 08:00", "2026-11-19 08:10", crn="B222222")
    add(ready, "CTOB", "2026-11-16 08:00", "2026-11-16 08:10", crn="B222222")
    rows = read_rows(export(ready, tmp_path)[1])
    assert column(rows, "Diary Reference") == ["PD-000005", "PD-000002", "PD-000004", "PD-000003", "PD-000001"]
    assert column(rows, "CRN") == ["B222222"] * 3 + ["X123456"] * 2


def test_diary_only_time_is_never_exported(ready, tmp_path):
    add(ready, "Travel", "2026-11-16 09:00", "2026-11-16 10:00", crn="")
    add(ready, "Team meeting", "2026-11-16 10:00", "2026-11-16 11:00", crn="X123456")
    plan, path = export(ready, tmp_path)
    assert read_rows(path) == [list(delius.HEADERS)]
    assert plan.problems == []


def test_date_range_is_local_and_inclusive(ready, tmp_path):
    add(ready, "CTOB", "2026-11-15 23:50", "2026-11-15 23:59")  # Sunday before: out
    first = add(ready, "CTOB", "2026-11-16 00:00", "2026-11-16 00:10")
    last = add(ready, "CTOB", "2026-11-22 23:50", "2026-11-22 23:59")
    add(ready, "CTOB", "2026-11-23 00:00", "2026-11-23 00:10")  # Monday after: out
    rows = read_rows(export(ready, tmp_path)[1])
    assert column(rows, "Diary Reference") == [first.ref, last.ref]


def test_summer_range_boundary_is_local_midnight(ready, tmp_path):
    inside = add(ready, "CTOB", "2026-07-01 00:30", "2026-07-01 00:40")  # 23:30 UTC on 30 June
    add(ready, "CTOB", "2026-06-30 23:30", "2026-06-30 23:40")
    plan = delius_io.plan_export(ready, dt.date(2026, 7, 1), dt.date(2026, 7, 1))
    assert plan.entry_ids == [inside.id]


def test_by_default_only_entries_not_yet_entered(ready, tmp_path):
    a = add(ready, "CTOB", "2026-11-16 08:00", "2026-11-16 08:10")
    b = add(ready, "CTOB", "2026-11-16 09:00", "2026-11-16 09:10")
    c = add(ready, "CTOB", "2026-11-16 10:00", "2026-11-16 10:10")
    d = add(ready, "CTOB", "2026-11-16 11:00", "2026-11-16 11:10")
    ready.set_delius_status([b.id], EXPORTED, file="old.csv")
    ready.set_delius_status([c.id], ENTERED)
    ready.set_delius_status([d.id], CHANGED)
    plan = delius_io.plan_export(ready, MON, SUN)
    assert plan.entry_ids == [a.id, b.id, d.id]
    plan = delius_io.plan_export(ready, MON, SUN, include_entered=True)
    assert plan.entry_ids == [a.id, b.id, c.id, d.id]


def test_range_the_wrong_way_round_is_refused(ready):
    with pytest.raises(ValueError):
        delius_io.plan_export(ready, SUN, MON)


# --- checks: each one with an entry that fails it ------------------------------------------

def problems(diary, **kw):
    plan = delius_io.plan_export(diary, MON, SUN, **kw)
    return plan, [str(p) for p in plan.problems]


def test_missing_crn_is_listed(ready):
    i = add_raw(ready, "COAP", utc("2026-11-16 09:00"), utc("2026-11-16 09:30"), crn=None, outcome_code="ATTC")
    plan, found = problems(ready)
    assert found == [f"PD-{i:06d}: no CRN: every Delius contact belongs to a person; add their CRN"]
    assert plan.rows == []


def test_invalid_crn_is_listed(ready):
    i = add_raw(ready, "COAP", utc("2026-11-16 09:00"), utc("2026-11-16 09:30"), crn="x12345",
                outcome_code="ATTC", foreign_keys=False)
    plan, found = problems(ready)
    assert found == [f"PD-{i:06d}: the CRN is not valid: a CRN is one letter and six digits, like X123456"]
    assert plan.rows == []


def test_contact_past_midnight_is_listed(ready):
    e = add(ready, "CTOB", "2026-11-16 23:30", "2026-11-17 00:30")
    _, found = problems(ready)
    assert found == [f"{e.ref}: the contact does not lie within one day: it runs past midnight"]


def test_contact_ending_at_midnight_is_listed(ready):
    e = add(ready, "CTOB", "2026-11-16 23:30", "2026-11-17 00:00")
    _, found = problems(ready)
    assert found == [f"{e.ref}: the contact does not lie within one day: it runs past midnight"]


def test_end_before_start_on_the_clock_when_clocks_go_back(ready):
    # 01:30 BST to 01:10 GMT is 40 minutes, but Delius would see an end before the start.
    i = add_raw(ready, "CTOB", dt.datetime(2026, 10, 25, 0, 30, tzinfo=dt.timezone.utc),
                dt.datetime(2026, 10, 25, 1, 10, tzinfo=dt.timezone.utc))
    plan = delius_io.plan_export(ready, dt.date(2026, 10, 25), dt.date(2026, 10, 25))
    assert [str(p) for p in plan.problems] == [
        f"PD-{i:06d}: the end time 01:10 is not after the start time 01:30 on the clock "
        "(the clocks went back during it)"]


def test_whole_day_entry_of_a_contact_type_is_listed(ready):
    i = add_raw(ready, "CTOB", utc("2026-11-16 00:00"), utc("2026-11-17 00:00"), all_day=1)
    _, found = problems(ready)
    assert found == [f"PD-{i:06d}: a whole-day entry is not a contact: give it a start and an end time"]


def test_past_appointment_without_outcome_is_listed(ready):
    e = add(ready, "COAP", "2026-11-20 16:00", "2026-11-20 16:30")  # before now (17:00)
    add(ready, "COAP", "2026-11-20 17:30", "2026-11-20 18:00")  # future: fine without
    add(ready, "CTOB", "2026-11-20 10:00", "2026-11-20 10:10")  # needs no outcome: fine
    plan, found = problems(ready)
    assert found == [f"{e.ref}: a past appointment needs an outcome: record whether they attended"]
    assert len(plan.rows) == 2


def test_future_contact_with_attended_outcome_is_listed(ready):
    i = add_raw(ready, "COAP", utc("2026-11-21 10:00"), utc("2026-11-21 10:30"), outcome_code="ATTC")
    j = add_raw(ready, "CTOB", utc("2026-11-21 11:00"), utc("2026-11-21 11:10"), outcome_code="AFTC")
    ok = add_raw(ready, "COAP", utc("2026-11-21 12:00"), utc("2026-11-21 12:30"), outcome_code="RSOF")
    plan, found = problems(ready)
    assert found == [f"PD-{i:06d}: a future contact cannot have an 'attended' outcome",
                     f"PD-{j:06d}: a future contact cannot have an 'attended' outcome"]
    assert plan.entry_ids == [ok]


@pytest.mark.parametrize("outcome", ["", "ATTC", "AACL", "RSOF"])
def test_enforcement_without_a_not_complied_outcome_is_listed(ready, outcome):
    e = add(ready, "COAP", "2026-11-16 09:00", "2026-11-16 09:30", crn="X123456",
            outcome=outcome, enforcement="EA02")
    _, found = problems(ready)
    expected = f"{e.ref}: an enforcement action goes only with an outcome that is not complied (for example AFTA or UAAB)"
    assert expected in found


@pytest.mark.parametrize("outcome", ["AFTA", "UAAB", "AFTC"])
def test_enforcement_with_a_not_complied_outcome_is_fine(ready, outcome):
    add(ready, "COAP", "2026-11-16 09:00", "2026-11-16 09:30", outcome=outcome, enforcement="EA02")
    plan, found = problems(ready)
    assert found == [] and len(plan.rows) == 1


def test_notes_over_4000_characters_are_flagged_never_cut(ready, tmp_path):
    fits = add(ready, "CTOB", "2026-11-16 09:00", "2026-11-16 09:10", notes="a" * 4000)
    long = add(ready, "CTOB", "2026-11-16 10:00", "2026-11-16 10:10", notes="b" * 4001)
    plan, path = export(ready, tmp_path)
    assert [str(p) for p in plan.problems] == [
        f"{long.ref}: the notes have 4,001 characters; Delius takes at most 4,000, and they are never cut: shorten them"]
    assert column(read_rows(path), "Notes") == ["a" * 4000]
    assert plan.entry_ids == [fits.id]
    assert ready.get_entry(long.id).notes == "b" * 4001


def test_several_failures_of_one_entry_are_all_listed_in_order(ready):
    i = add_raw(ready, "COAP", utc("2026-11-16 23:00"), utc("2026-11-17 01:00"), crn=None,
                enforcement_code="EA02", notes="n" * 4001)
    plan, found = problems(ready)
    assert [f.split(": ", 1)[1].split(":")[0] for f in found] == [
        "no CRN", "the contact does not lie within one day",
        "a past appointment needs an outcome",
        "an enforcement action goes only with an outcome that is not complied (for example AFTA or UAAB)",
        "the notes have 4,001 characters; Delius takes at most 4,000, and they are never cut"]
    assert plan.left_out_ids == [i]


@pytest.mark.parametrize("key", ["provider_code", "team_code", "staff_code"])
def test_missing_practitioner_codes_stop_the_export(diary, fixed_now, tmp_path, key):
    fixed_now(NOW)
    set_codes(diary, **{key: ""})
    add(diary, "CTOB", "2026-11-16 09:00", "2026-11-16 09:10")
    plan = delius_io.plan_export(diary, MON, SUN)
    assert plan.missing_settings == [key]
    with pytest.raises(DiaryError, match=delius.REQUIRED_SETTINGS[key].split(" (")[0]):
        delius_io.export_to_file(diary, plan, tmp_path / "x.csv")
    assert not (tmp_path / "x.csv").exists()
    assert diary.get_entry(1).delius_status == NOT_EXPORTED


def test_bad_entries_do_not_stop_the_good_ones(ready, tmp_path):
    good = add(ready, "CTOB", "2026-11-16 09:00", "2026-11-16 09:10")
    bad = add(ready, "COAP", "2026-11-16 10:00", "2026-11-16 10:30")  # past, no outcome
    plan, path = export(ready, tmp_path)
    assert column(read_rows(path), "Diary Reference") == [good.ref]
    assert plan.left_out_ids == [bad.id]
    assert ready.get_entry(bad.id).delius_status == NOT_EXPORTED


# --- statuses --------------------------------------------------------------------------------

def test_export_marks_rows_exported_with_time_and_file(ready, tmp_path):
    e = add(ready, "CTOB", "2026-11-16 09:00", "2026-11-16 09:10")
    assert e.delius_status == NOT_EXPORTED
    _, path = export(ready, tmp_path)
    after = ready.get_entry(e.id)
    assert after.delius_status == EXPORTED
    assert after.delius_exported_at == utc(NOW)
    assert after.delius_export_file == str(path)


def test_exported_then_entered(ready, tmp_path):
    e = add(ready, "CTOB", "2026-11-16 09:00", "2026-11-16 09:10")
    export(ready, tmp_path)
    ready.set_delius_status([e.id], ENTERED)
    after = ready.get_entry(e.id)
    assert after.delius_status == ENTERED and after.delius_entered_at == utc(NOW)
    assert delius_io.plan_export(ready, MON, SUN).rows == []


@pytest.mark.parametrize("status", [EXPORTED, ENTERED])
def test_editing_an_exported_or_entered_entry_makes_it_changed_and_exported_again(ready, tmp_path, status):
    e = add(ready, "CTOB", "2026-11-16 09:00", "2026-11-16 09:10", notes="first")
    export(ready, tmp_path)
    if status == ENTERED:
        ready.set_delius_status([e.id], ENTERED)
    edited = ready.update_entry(ready.get_entry(e.id).with_changes(notes="second"))
    assert edited.delius_status == CHANGED
    plan, path = export(ready, tmp_path, name="again.csv")
    assert plan.entry_ids == [e.id]
    assert column(read_rows(path), "Notes") == ["second"]
    assert ready.get_entry(e.id).delius_status == EXPORTED
    assert ready.get_entry(e.id).delius_export_file == str(path)


def test_saving_without_a_change_keeps_the_status(ready, tmp_path):
    e = add(ready, "CTOB", "2026-11-16 09:00", "2026-11-16 09:10")
    export(ready, tmp_path)
    ready.update_entry(ready.get_entry(e.id))
    assert ready.get_entry(e.id).delius_status == EXPORTED


def test_exporting_entered_entries_again_keeps_them_entered(ready, tmp_path):
    e = add(ready, "CTOB", "2026-11-16 09:00", "2026-11-16 09:10")
    ready.set_delius_status([e.id], ENTERED)
    plan, path = export(ready, tmp_path, include_entered=True)
    assert column(read_rows(path), "Diary Reference") == [e.ref]
    assert ready.get_entry(e.id).delius_status == ENTERED


def test_left_out_entries_keep_their_status(ready, tmp_path):
    e = add(ready, "CTOB", "2026-11-16 09:00", "2026-11-16 09:10")
    ready.set_delius_status([e.id], CHANGED)
    ready.db.execute("UPDATE entries SET notes = ? WHERE id = ?", ["x" * 4001, e.id])
    ready.db.conn.commit()
    export(ready, tmp_path)
    assert ready.get_entry(e.id).delius_status == CHANGED


def test_outstanding_count(ready, tmp_path):
    add(ready, "CTOB", "2026-11-16 09:00", "2026-11-16 09:10")
    e = add(ready, "CTOB", "2026-11-16 10:00", "2026-11-16 10:10")
    add(ready, "Travel", "2026-11-16 11:00", "2026-11-16 12:00", crn="")
    start, end = delius.range_bounds(MON, SUN)
    assert store_delius.outstanding_count(ready, start, end) == 2
    ready.set_delius_status([e.id], ENTERED)
    assert store_delius.outstanding_count(ready, start, end) == 1


# --- writing the file -------------------------------------------------------------------------

def test_write_replaces_the_file_and_leaves_no_temporary_files(ready, tmp_path):
    add(ready, "CTOB", "2026-11-16 09:00", "2026-11-16 09:10")
    (tmp_path / "out.csv").write_text("old")
    export(ready, tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "diary.db" and not p.name.startswith("diary.db-")) == ["out.csv"]
    assert (tmp_path / "out.csv").read_bytes().startswith(b"\xef\xbb\xbfCRN")


def test_a_failed_write_keeps_the_old_file_and_the_statuses(ready, tmp_path, monkeypatch):
    e = add(ready, "CTOB", "2026-11-16 09:00", "2026-11-16 09:10")
    (tmp_path / "out.csv").write_text("old")

    def broken(rows, fh):
        fh.write("half a file")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(delius, "write", broken)
    with pytest.raises(OSError):
        export(ready, tmp_path)
    assert (tmp_path / "out.csv").read_text() == "old"
    assert not list(tmp_path.glob("*.part"))
    assert ready.get_entry(e.id).delius_status == NOT_EXPORTED


def test_missing_folder_is_a_plain_error(ready, tmp_path):
    plan = delius_io.plan_export(ready, MON, SUN)
    with pytest.raises(DiaryError, match="does not exist"):
        delius_io.export_to_file(ready, plan, tmp_path / "nope" / "x.csv")


def test_write_to_a_text_stream():
    out = io.StringIO(newline="")
    assert delius.write([["a"] * 19], out) == 1
    assert out.getvalue().endswith(",".join(["a"] * 19) + "\r\n")


def test_a_locked_target_is_explained(ready, tmp_path, monkeypatch):
    import os

    add(ready, "CTOB", "2026-11-16 09:00", "2026-11-16 09:10")

    def locked(src, dst):  # as Windows does while Excel has the file open
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", locked)
    with pytest.raises(DiaryError, match="open in a spreadsheet"):
        export(ready, tmp_path)
    monkeypatch.undo()
    assert not list(tmp_path.glob("*.part")) and not (tmp_path / "out.csv").exists()
    assert ready.get_entry(1).delius_status == NOT_EXPORTED
