"""Property test: random text, dates and codes through the one validation path (the UI's and
the CLI's) and into an encrypted diary. Never a crash: a clear rejection or a correct save."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from probation_diary.core import clock
from probation_diary.core.validation import EntryDraft, check_entry
from probation_diary.store.diary import Diary, DiaryError

NOW = clock.local_to_utc(dt.datetime(2026, 11, 20, 17, 0)).instant
CODES = ["COAP", "COPT", "CTOA", "Travel", "Annual leave", "ATTC", "", "X", "coap", "C084", "AFTC"]
text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)
codes = st.one_of(st.sampled_from(CODES), text)
dates = st.one_of(st.dates(dt.date(1990, 1, 1), dt.date(2040, 12, 31)).map(lambda d: d.isoformat()), text,
                  st.sampled_from(["2026-03-29", "2026-10-25", "2026-02-30", "31/12/2026", ""]))
times = st.one_of(st.times().map(lambda t: f"{t:%H:%M}"), text,
                  st.sampled_from(["01:30", "02:30", "24:00", "9:5", "10:00", "23:59", ""]))
crns = st.one_of(st.sampled_from(["X123456", "x123456", "X12345", "", " X123456 "]), text)
notes = st.one_of(text, st.text(max_size=300), st.just("=HYPERLINK(\"http://x\")"), st.just("\x00nul"))


@pytest.fixture(scope="module")
def shared_diary(tmp_path_factory):
    path = tmp_path_factory.mktemp("prop") / "prop.db"
    diary = Diary.open(path, passphrase="correct horse battery staple")
    yield diary
    diary.close()


def mostly(valid, noise):
    """Valid values most of the time, so that both rejections and saves are exercised."""
    return st.one_of(valid, valid, valid, noise)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(type_=mostly(st.sampled_from(["COAP", "COPT", "Travel", "CTOA"]), codes),
       crn=mostly(st.just("X123456"), crns),
       start_date=mostly(st.dates(dt.date(2025, 1, 1), dt.date(2026, 11, 19)).map(lambda d: d.isoformat()), dates),
       start_time=mostly(st.sampled_from(["09:00", "10:15", "01:30", "13:00"]), times),
       end_date=st.one_of(st.just(""), st.just(""), dates),
       end_time=mostly(st.sampled_from(["11:00", "12:45", "02:30", "23:59"]), times),
       duration=st.one_of(st.just(""), st.just(""), text, st.sampled_from(["70", "1h10", "1:10", "-5"])),
       all_day=st.booleans().map(lambda b: b and False) | st.booleans(),
       outcome=mostly(st.sampled_from(["ATTC", ""]), codes),
       location=mostly(st.just(""), text), event=mostly(st.just(""), st.one_of(text, st.integers().map(str))),
       notes=notes, enforcement=mostly(st.just(""), codes))
def test_random_input_is_rejected_clearly_or_saved_exactly(shared_diary, type_, crn, start_date, start_time,
                                                          end_date, end_time, duration, all_day, outcome,
                                                          location, event, notes, enforcement):
    diary = shared_diary
    draft = EntryDraft(type=type_, crn=crn, start_date=start_date, start_time=start_time, end_date=end_date,
                       end_time=end_time, duration=duration, all_day=all_day, outcome=outcome,
                       location=location, event=event, notes=notes, enforcement=enforcement)
    checked = check_entry(draft, diary.reference(), NOW)
    if not checked.ok:
        for field, message in checked.errors.items():
            assert isinstance(message, str) and message.strip(), field
            assert "Traceback" not in message
        return
    try:
        saved = diary.add_entry(checked.entry)
    except DiaryError as exc:  # a clear rejection from storage is allowed
        assert str(exc).strip() and "Traceback" not in str(exc)
        return
    got = diary.get_entry(saved.id)
    for field in ("type_id", "start", "end", "crn", "all_day", "outcome_code", "enforcement_code",
                  "location_code", "event_number", "notes"):
        assert getattr(got, field) == getattr(checked.entry, field), field
    assert got.end > got.start


def test_the_property_test_also_saves(shared_diary):
    """Runs after the property test (same module diary): some random drafts were valid."""
    assert shared_diary.count_entries() > 0
