"""The list model (SQL sorting, filtering, lazy pages) and the caseload model."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from probation_diary.core.caseload import caseload
from probation_diary.core.clock import Week, now_utc
from probation_diary.core.model import ADMIN, ENTERED, EXPORTED, FACE_TO_FACE
from probation_diary.store.diary import import_entries
from probation_diary.ui.week.listmodel import (
    COLUMN_INDEX, OUTSTANDING, PAGE, EntryFilter, EntryTableModel,
)
from probation_diary.ui.people import CaseloadModel


@pytest.fixture
def filled(diary, make_entry):
    entries = [
        make_entry("COAP", "2026-11-16 10:00", 60, crn="X100001", outcome_code="ATTC", notes="discussed housing"),
        make_entry("COAP", "2026-11-17 10:00", 45, crn="X100002"),  # awaiting outcome
        make_entry("CHVS", "2026-11-18 14:00", 70, crn="X100003", outcome_code="AFTA"),
        make_entry("CTOB", "2026-11-19 09:00", 15, crn="X100001", notes="Housing benefit call"),
        make_entry("Team meeting", "2026-11-19 11:00", 60),
        make_entry("COAP", "2026-11-25 10:00", 60, crn="X100002"),  # booked, future
    ]
    saved = import_entries(diary, entries, {"X100001": "A.B.", "X100002": "Zed Y", "X100003": "M.N."})
    diary.set_delius_status([saved[0].id], ENTERED)
    diary.set_delius_status([saved[2].id], EXPORTED)
    return saved


def ids(model):
    return [model.entry_id(r) for r in range(model.rowCount())]


def test_modeltester_list(qtmodeltester, diary, filled):
    model = EntryTableModel(diary)
    qtmodeltester.check(model)
    model.sort(COLUMN_INDEX["crn"], Qt.SortOrder.AscendingOrder)
    qtmodeltester.check(model)


def test_modeltester_caseload(qtmodeltester, diary, filled):
    model = CaseloadModel()
    model.set_rows(caseload(diary, Week(dt.date(2026, 11, 16)), now_utc()))
    qtmodeltester.check(model)


def test_sorting_in_sql(diary, filled):
    model = EntryTableModel(diary)
    assert ids(model) == [e.id for e in sorted(filled, key=lambda e: (e.start, e.id), reverse=True)]
    model.sort(COLUMN_INDEX["crn"], Qt.SortOrder.AscendingOrder)
    crns = [model.index(r, COLUMN_INDEX["crn"]).data() for r in range(model.rowCount())]
    assert crns == sorted(crns)
    model.sort(COLUMN_INDEX["name"], Qt.SortOrder.DescendingOrder)
    names = [model.index(r, COLUMN_INDEX["name"]).data() for r in range(model.rowCount())]
    assert names[:2] == ["Zed Y", "Zed Y"]
    model.sort(COLUMN_INDEX["length"], Qt.SortOrder.AscendingOrder)
    assert model.index(0, COLUMN_INDEX["length"]).data() == "0:15"


def test_filtering_in_sql(diary, filled):
    model = EntryTableModel(diary)
    a, b, c, d, e, f = (x.id for x in filled)

    def shown(**kw):
        model.set_filter(EntryFilter(**kw))
        return set(ids(model))

    assert shown(person="X100001") == {a, d}
    assert shown(person="zed") == {b, f}
    assert shown(type_id=filled[2].type_id) == {c}
    assert shown(time_class=FACE_TO_FACE) == {a, b, c, f}
    assert shown(time_class=ADMIN) == {e}
    assert shown(outcome="awaiting") == {b}
    assert shown(outcome="booked") == {f}
    assert shown(outcome="not_attended") == {c}
    assert shown(outcome="attended") == {a}
    assert shown(delius=ENTERED) == {a}
    assert shown(delius=EXPORTED) == {c}
    assert shown(delius=OUTSTANDING) == {b, c, d, f}
    assert shown(text="housing") == {a, d}  # case-insensitive, in notes
    assert shown(text="50%") == set()  # wildcards are literal
    assert shown(person="X100001", text="benefit") == {d}
    assert shown() == {a, b, c, d, e, f}


def test_display_columns(diary, filled):
    model = EntryTableModel(diary)
    model.set_filter(EntryFilter(person="X100002"))
    model.sort(COLUMN_INDEX["date"], Qt.SortOrder.AscendingOrder)
    row = {k: model.index(0, i).data() for k, i in COLUMN_INDEX.items()}
    assert row["ref"] == filled[1].ref
    assert row["date"] == "Tue 17 Nov 2026" and row["time"] == "10:00–10:45"
    assert row["outcome"] == "Awaiting outcome" and row["delius"] == "Not exported"
    model.set_filter(EntryFilter(type_id=filled[4].type_id))
    assert model.index(0, COLUMN_INDEX["delius"]).data() == "—"  # not a Delius contact


def test_lazy_pages(diary, make_entry):
    start = dt.datetime(2026, 1, 5, 9, 0)
    entries = [make_entry("Team meeting", f"{start + dt.timedelta(hours=i):%Y-%m-%d %H:%M}", 30)
               for i in range(PAGE * 2 + 10)]
    import_entries(diary, entries, {})
    model = EntryTableModel(diary)
    assert model.rowCount() == PAGE and model.canFetchMore()
    model.fetchMore()
    assert model.rowCount() == 2 * PAGE
    model.fetchMore()
    assert model.rowCount() == 2 * PAGE + 10 and not model.canFetchMore()
    assert len(set(ids(model))) == model.rowCount()  # keyset pages never repeat a row
    model.sort(COLUMN_INDEX["type"], Qt.SortOrder.AscendingOrder)
    while model.canFetchMore():
        model.fetchMore()
    assert len(set(ids(model))) == 2 * PAGE + 10


def test_caseload_figures(diary, filled):
    rows = {r.crn: r for r in caseload(diary, Week(dt.date(2026, 11, 16)), now_utc())}
    assert rows["X100001"].name == "A.B."
    assert rows["X100001"].week_minutes == 75  # attended 60 + phone 15
    assert rows["X100001"].last_face_to_face.date() == dt.date(2026, 11, 16)
    assert rows["X100003"].last_face_to_face is None  # failed to attend is not contact
    assert rows["X100002"].last_face_to_face is None  # awaiting outcome


def test_list_panel_opens_sorted_by_date_newest_first(window, make_entry):
    from probation_diary.ui.week.listmodel import COLUMN_INDEX as C

    panel = window.list_panel
    assert panel.model.sort_column == C["date"]
    assert panel.view.horizontalHeader().sortIndicatorSection() == C["date"]


def test_team_and_spread_models_share_the_rows_model(qtmodeltester, diary, filled):
    from probation_diary.core import evidence
    from probation_diary.ui.evidence.caseload import CaseloadModel as SpreadModel
    from probation_diary.ui.evidence.team import TeamTableModel
    from probation_diary.ui.rowsmodel import RowsModel

    spread = SpreadModel()
    spread.set_spread(evidence.caseload_spread(diary, dt.date(2026, 11, 16), dt.date(2026, 11, 22)),
                      {"X100001": "A.B."})
    qtmodeltester.check(spread)
    assert spread.rowCount() == 3 and spread.index(0, 0).data() in {"X100001", "X100002", "X100003"}
    team = TeamTableModel()
    team.set_team(evidence.Team())
    qtmodeltester.check(team)
    assert all(isinstance(m, RowsModel) for m in (spread, team, CaseloadModel()))


def test_people_show_each_persons_face_to_face_time_this_week_beside_the_total(window, make_entry, qtbot):
    """Spec: the week shows time per person "face-to-face and in total". The people view had
    only the total (user test: X123456 3:00 in all, of which 1:00 face to face)."""
    from probation_diary.ui.people import HEADERS

    window.save_new(make_entry("CHVS", "2026-11-16 09:30", 60, crn="X123456", outcome_code="ATTC"))
    window.save_new(make_entry("EOAS", "2026-11-16 13:00", 90, crn="X123456"))
    window.save_new(make_entry("COVC", "2026-11-18 11:00", 30, crn="X123456", outcome_code="ATTC"))
    window.save_new(make_entry("COAP", "2026-11-17 11:00", 45, crn="X456789", outcome_code="AFTA"))
    window.go_to_week(Week(dt.date(2026, 11, 16)))
    panel = window.people_panel
    panel.refresh(Week(dt.date(2026, 11, 16)))
    model = panel.model
    f2f = HEADERS.index("Face to face this week")
    total = HEADERS.index("Total this week")
    cells = {model.index(r, 0).data(): (model.index(r, f2f).data(), model.index(r, total).data())
             for r in range(model.rowCount())}
    assert cells == {"X123456": ("1:00", "3:00"), "X456789": ("0:00", "0:45")}
    rows = {r.crn: r for r in model.rows}
    assert rows["X123456"].week_face_to_face_minutes == 60


def test_the_list_shows_real_lengths_on_the_clock_change_days(diary, make_entry):
    """User test: the list said 2:00 for 00:30-02:30 on 25/10/2026 (3 hours; the summary
    counted 3:00) and 2:00 for the same times on 28/03/2027 (1 hour)."""
    import_entries(diary, [make_entry("Recording on Delius", "2026-10-25 00:30", 180),
                           make_entry("Recording on Delius", "2027-03-28 00:30", 60)], {})
    model = EntryTableModel(diary)
    model.set_filter(EntryFilter())
    lengths = sorted(model.index(r, COLUMN_INDEX["length"]).data() for r in range(model.rowCount()))
    assert lengths == ["1:00", "3:00"]


def test_the_counts_as_column_says_what_the_summary_counts(qtbot, diary, filled, run_cli):
    """The list's column is what each entry counts as now (spec: an appointment counts as
    contact only once attended), in the words of `list` on the command line; it showed the
    type's class, so a failed-to-attend office visit read 'Face to face'."""
    model = EntryTableModel(diary)
    model.set_filter(EntryFilter(start=Week.containing(dt.date(2026, 11, 16)).start,
                                 end=Week.containing(dt.date(2026, 11, 23)).end))
    column = COLUMN_INDEX["class"]
    assert model.headerData(column, Qt.Orientation.Horizontal) == "Counts as"
    shown = {model.entry_id(r): model.data(model.index(r, column)) for r in range(model.rowCount())}
    attended, awaiting, not_attended, phone, meeting, future = (e.id for e in filled)
    assert shown[attended] == "Face to face"
    assert shown[awaiting] == "Admin (awaiting outcome)"
    assert shown[not_attended].startswith("Admin (") and shown[not_attended] != shown[awaiting]
    assert shown[phone] == "Other direct contact" and shown[meeting] == "Admin"
    assert shown[future].startswith("not yet")
    out = run_cli("--unencrypted", "list", "--from", "2026-11-16", "--to", "2026-11-29").out
    for entry_id, words in shown.items():
        line = next(l for l in out.splitlines() if l.startswith(f"PD-{entry_id:06d}"))
        assert words in line
