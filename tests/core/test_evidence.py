"""Evidence over time (issue 7): trends, caseload spread, anonymised figures, team view."""

from __future__ import annotations

import datetime as dt
import json
import re
import statistics

import pytest

from probation_diary.core import clock, evidence
from probation_diary.core.clock import Week
from probation_diary.core.evidence import EvidenceError, Practitioner, Team, WeekFigures
from probation_diary.core.model import TIME_CLASSES
from probation_diary.formats import figures
from probation_diary.store.diary import Diary

import evidence_helpers as h
from evidence_helpers import template_diary  # noqa: F401 (fixture)


@pytest.fixture
def built(diary_path, fixed_now, template_diary):  # noqa: F811
    now = fixed_now(h.NOW)
    d = Diary.open(h.built_copy(template_diary, diary_path))
    yield d, now
    d.close()


# --- trends -----------------------------------------------------------------------------------

def test_trend_weeks_equal_the_weekly_summaries(built):
    diary, now = built
    trend = evidence.diary_trend(diary, 12, now=now)
    assert [w.week_start for w in trend.weeks] == [dt.date(2026, 8, 31) + dt.timedelta(days=7 * i) for i in range(12)]
    for w in trend.weeks:
        s = diary.week_summary(Week(w.week_start), now)
        assert w.minutes == s.minutes
        assert (w.expected_minutes, w.unlogged_minutes, w.extra_minutes) == (
            s.expected_minutes, s.unlogged_minutes, s.extra_minutes)
        assert (w.face_to_face_share, w.direct_contact_share) == (s.face_to_face_share, s.direct_contact_share)


def test_trend_over_12_weeks_with_leave_and_the_clock_change(built):
    diary, now = built
    trend = evidence.diary_trend(diary, 12, now=now)
    by_week = {w.week_start: w for w in trend.weeks}

    leave = by_week[h.LEAVE_WEEK]
    assert leave.mostly_absence and leave.status == "mostly absence"
    assert leave.worked_minutes == 0 and leave.face_to_face_share is None
    assert leave.minutes["absence"] == 2220 and leave.expected_minutes == 0

    change = by_week[h.CLOCK_WEEK]
    assert Week(h.CLOCK_WEEK).minutes == 169 * 60
    assert change.minutes["admin"] == 5 * 360 + 180  # 00:30-02:30 on 25/10 is three real hours
    assert change.worked_minutes == 2580 and change.extra_minutes == 360
    assert change.face_to_face_share == 300 / 2580

    bank = by_week[dt.date(2026, 8, 31)]  # Monday 31/08/2026 is the summer bank holiday
    assert bank.expected_minutes == 2220 - 444 and bank.extra_minutes == 2400 - 1776

    current = by_week[h.LAST_WEEK]
    assert current.in_progress and current.status == "this week, so far"

    # shares: averages and medians leave out the leave week (not 0%) and the week in progress
    stats = trend.stats
    shares = [0.125] * 9 + [300 / 2580]
    assert stats["face_to_face_share"].weeks == 10
    assert stats["face_to_face_share"].average == pytest.approx(statistics.fmean(shares))
    assert stats["face_to_face_share"].median == 0.125
    assert stats["direct_contact_share"].median == 450 / 2400
    assert stats["worked_minutes"].average == pytest.approx((9 * 2400 + 2580) / 10)
    assert stats["worked_minutes"].total == 11 * 2400 + 180
    assert stats["extra_minutes"].total == 624 + 9 * 180 + 360
    assert stats["extra_minutes"].median == 180
    assert stats["unlogged_minutes"].total == 0
    assert trend.overall_face_to_face_share == pytest.approx(3000 / (9 * 2400 + 2580))

    data = trend.to_json()
    assert [w["status"] for w in data["weeks"]].count("mostly absence") == 1
    json.dumps(data)  # serialisable


def test_shares_of_a_mostly_absent_week_are_not_counted_as_zero():
    def week(monday, f2f, worked, expected):
        minutes = dict.fromkeys(TIME_CLASSES, 0)
        minutes.update(face_to_face=f2f, admin=worked - f2f, absence=2220 - expected)
        return WeekFigures(monday, minutes, 2220, expected)

    weeks = [week(dt.date(2026, 1, 5), 600, 2400, 2220),
             week(dt.date(2026, 1, 12), 0, 300, 444),  # four days of leave, a little admin
             week(dt.date(2026, 1, 19), 0, 0, 2220)]  # no time logged
    trend = evidence.trend_from_figures(weeks)
    assert weeks[1].mostly_absence and not weeks[0].mostly_absence
    assert weeks[2].face_to_face_share is None and weeks[2].status == "no time logged"
    assert trend.stats["face_to_face_share"].average == 0.25
    assert trend.stats["face_to_face_share"].weeks == 1


@pytest.mark.parametrize("expected, mostly", [(2220, False), (1332, False), (1111, False), (1110, True), (0, True)])
def test_mostly_absence_rule(expected, mostly):
    # at least half of contracted time absent, i.e. expected at most half of contracted
    assert evidence.is_mostly_absence(2220, expected) is mostly


def test_summarise_weeks_uses_one_fetch(built, monkeypatch):
    diary, now = built
    calls = []
    for name in ("timing_between", "entries_between"):
        original = getattr(diary, name)
        monkeypatch.setattr(diary, name, lambda *a, _o=original, _n=name, **k: calls.append(_n) or _o(*a, **k))
    evidence.diary_trend(diary, 12, now=now)
    assert calls == ["timing_between"]


def test_an_entry_across_a_week_boundary_is_split(diary, fixed_now):
    now = fixed_now(h.NOW)
    h.add(diary, "Recording on Delius", dt.date(2026, 11, 8), "23:00", "01:00", end_day=dt.date(2026, 11, 9))
    trend = evidence.diary_trend(diary, 3, now=now)
    assert [w.minutes["admin"] for w in trend.weeks] == [60, 60, 0]


# --- caseload spread --------------------------------------------------------------------------

def _expected_f2f(first: dt.date, last: dt.date) -> dict[str, int]:
    """Re-derive from the builder's rule: person (week index + weekday) % 7 is seen for 60 min."""
    crns = list(h.PEOPLE)
    out: dict[str, int] = {}
    day = first
    while day <= last:
        index = (clock.week_monday(day) - dt.date(2026, 8, 31)).days // 7
        if day.weekday() < 5 and clock.week_monday(day) != h.LEAVE_WEEK:
            crn = crns[(index + day.weekday()) % 7]
            out[crn] = out.get(crn, 0) + 60
        day += dt.timedelta(days=1)
    return out


def test_caseload_spread_and_not_seen(built):
    diary, now = built
    # X100003: only a phone call in the period, and an appointment they failed to attend
    h.add(diary, "COAP", dt.date(2026, 11, 18), "13:00", "14:00", "X100003", "AFTA")
    spread = evidence.caseload_spread(diary, dt.date(2026, 11, 16), dt.date(2026, 11, 20),
                                      today=dt.date(2026, 11, 20), not_seen_weeks=2, now=now)
    rows = {p.crn: p for p in spread.people}
    expected = _expected_f2f(dt.date(2026, 11, 16), dt.date(2026, 11, 20))
    assert {c: p.face_to_face_minutes for c, p in rows.items() if p.face_to_face_minutes} == expected
    assert set(rows) == {"X100001", "X100002", "X100003", "X100005", "X100006", "X100007"}
    x3 = rows["X100003"]
    assert x3.face_to_face_minutes == 0 and x3.total_minutes == 30 + 60
    # searched back beyond the period; the failed appointment is not a face-to-face contact
    assert x3.last_face_to_face == dt.date(2026, 11, 2)
    assert x3.not_seen  # 02/11 is more than 2 weeks before 20/11
    assert [p.crn for p in spread.people if p.not_seen] == ["X100003"]
    assert rows["X100005"].last_face_to_face == dt.date(2026, 11, 16)
    assert spread.concentration == 1.0  # five people got all the face-to-face time

    later = evidence.caseload_spread(diary, dt.date(2026, 11, 16), dt.date(2026, 11, 20),
                                     today=dt.date(2026, 11, 20), now=now)  # default: 4 weeks
    assert later.not_seen_weeks == 4 and not later.not_seen_count


def test_caseload_spread_over_three_weeks_and_concentration(built):
    diary, now = built
    first, last = dt.date(2026, 11, 1), dt.date(2026, 11, 20)
    spread = evidence.caseload_spread(diary, first, last, today=dt.date(2026, 11, 20), now=now)
    expected = _expected_f2f(first, last)
    assert {p.crn: p.face_to_face_minutes for p in spread.people} == expected
    assert [p.face_to_face_minutes for p in spread.people] == sorted(expected.values(), reverse=True)
    top5 = sum(sorted(expected.values(), reverse=True)[:5])
    assert spread.concentration == top5 / sum(expected.values())
    assert spread.to_json()["concentration_top5"] == spread.concentration


def test_caseload_period_clips_entries_and_never_counts_the_future(diary, fixed_now):
    now = fixed_now(h.NOW)
    diary.save_person("X200001", "")
    h.add(diary, "CHVS", dt.date(2026, 11, 2), "23:00", "01:00", "X200001", "ATTC", end_day=dt.date(2026, 11, 3))
    h.add(diary, "COAP", dt.date(2026, 11, 23), "10:00", "11:00", "X200001")  # next week: not yet
    spread = evidence.caseload_spread(diary, dt.date(2026, 11, 3), dt.date(2026, 11, 30), now=now)
    (person,) = spread.people
    assert (person.face_to_face_minutes, person.total_minutes) == (60, 60)
    assert person.last_face_to_face == dt.date(2026, 11, 2)  # when it started
    assert spread.today == dt.date(2026, 11, 20) and not person.not_seen


def test_caseload_rejects_a_backwards_period(diary):
    with pytest.raises(EvidenceError, match="before its start"):
        evidence.caseload_spread(diary, dt.date(2026, 11, 20), dt.date(2026, 11, 1))


# --- anonymised export ------------------------------------------------------------------------

def _personal_bytes() -> list[bytes]:
    words = list(h.PEOPLE) + list(h.PEOPLE.values()) + list(h.NOTE_PHRASES)
    words += [part for name in h.PEOPLE.values() for part in name.split()]
    return [w.encode() for w in words] + [w.lower().encode() for w in words]


def test_anonymised_export_contains_no_personal_data(built, tmp_path):
    diary, now = built
    weeks = evidence.diary_figures(diary, 12, now=now)
    who = Practitioner("PO 7", "po", "NPS-A")
    csv_path, json_path = tmp_path / "f.csv", tmp_path / "f.json"
    figures.write_figures(csv_path, weeks, who)
    figures.write_figures(json_path, weeks, who)
    for path in (csv_path, json_path):
        data = path.read_bytes()
        for secret in _personal_bytes():
            assert secret not in data, (path.name, secret)
        assert not re.search(rb"\d\d:\d\d", data), "no entry-level times"
        assert b"PD-" not in data, "no diary references"
    doc = json.loads(json_path.read_text())
    assert doc["format_version"] == evidence.FORMAT_VERSION
    assert doc["practitioner"] == {"label": "PO 7", "grade": "PO", "team": "NPS-A"}
    assert set(doc["weeks"][0]) == set(evidence.WEEK_FIELDS)
    assert csv_path.read_text(encoding="utf-8-sig").splitlines()[0].split(",") == list(evidence.CSV_FIELDS)


def test_export_reads_back_exactly(built, tmp_path):
    diary, now = built
    weeks = evidence.diary_figures(diary, 12, now=now)
    for suffix in ("csv", "json"):
        path = tmp_path / f"me.{suffix}"
        figures.write_figures(path, weeks, Practitioner("=A"))
        back = figures.read_figures(path)
        assert [b.figures.minutes for b in back] == [w.minutes for w in weeks]
        assert [b.figures.expected_minutes for b in back] == [w.expected_minutes for w in weeks]
        assert {b.label for b in back} == {"=A"}
    assert "'=A" in (tmp_path / "me.csv").read_text(encoding="utf-8-sig")  # spreadsheet-safe


def test_export_checks_the_practitioner_details(tmp_path):
    with pytest.raises(EvidenceError, match="grade"):
        figures.write_figures(tmp_path / "x.json", [], Practitioner("A", "SPO"))
    with pytest.raises(EvidenceError, match=r"\.csv or \.json"):
        figures.write_figures(tmp_path / "x.txt", [], Practitioner("A"))


# --- team view --------------------------------------------------------------------------------

W1, W2, W3 = dt.date(2026, 11, 2), dt.date(2026, 11, 9), dt.date(2026, 11, 16)


def fig(monday, f2f, worked, expected=2220, contracted=2220):
    minutes = dict.fromkeys(TIME_CLASSES, 0)
    minutes.update(face_to_face=f2f, admin=worked - f2f, absence=contracted - expected)
    return WeekFigures(monday, minutes, contracted, expected)


def test_team_aggregation_over_three_files_with_a_duplicate_week(tmp_path):
    a = tmp_path / "a.csv"
    b = tmp_path / "b.json"
    c = tmp_path / "c.csv"
    figures.write_figures(a, [fig(W1, 240, 2400), fig(W2, 480, 2400), fig(W3, 100, 2000)], Practitioner("A", "PO"))
    figures.write_figures(b, [fig(W1, 600, 2400), fig(W2, 0, 0, expected=0)], Practitioner("B", "PSO"))
    # A's week 3 again (corrected), and a third practitioner
    figures.write_figures(c, [fig(W3, 500, 2500)], Practitioner("A", "PO"))
    figures.write_figures(tmp_path / "d.csv", [fig(W1, 300, 2220), fig(W3, 222, 2220)], Practitioner("C"))
    team = Team()
    for path in (a, b, c, tmp_path / "d.csv"):
        figures.add_file(team, path)
    assert team.labels == ["A", "B", "C"]
    assert team.replaced == [("A", W3, "a.csv", "c.csv")]
    weeks = {w.week_start: w for w in team.weeks()}

    w1 = weeks[W1]
    assert (w1.practitioners, w1.counted) == (3, 3)
    assert w1.face_to_face_minutes == 240 + 600 + 300 and w1.worked_minutes == 2400 + 2400 + 2220
    assert w1.team_share == 1140 / 7020
    assert w1.median_share == 300 / 2220
    assert w1.quantiles() == pytest.approx((0.1, (0.1 + 300 / 2220) / 2, 300 / 2220, (300 / 2220 + 0.25) / 2, 0.25))
    assert w1.extra_minutes == 180 + 180

    w2 = weeks[W2]  # B was on leave all week: listed, but not counted as 0%
    assert (w2.practitioners, w2.counted) == (2, 1)
    assert w2.median_share == 0.2 and w2.quantiles() == (0.2,) * 5

    w3 = weeks[W3]  # A's corrected figures replace the first ones: never counted twice
    assert (w3.practitioners, w3.counted) == (2, 2)
    assert w3.face_to_face_minutes == 500 + 222 and w3.worked_minutes == 2500 + 2220
    assert w3.median_share == pytest.approx((0.2 + 0.1) / 2)
    assert w3.extra_minutes == 280

    table = team.table_csv().splitlines()
    assert table[0].split(",") == list(evidence.TEAM_CSV_FIELDS)
    assert table[1].startswith("2026-11-02,3,3,1140,7020,0.1624,0.1351,0.1,")
    assert len(table) == 4


def _bad(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(EvidenceError) as info:
        figures.read_figures(path)
    message = str(info.value)
    assert message.startswith(name)
    return message


def _good_json(**change):
    doc = json.loads(figures.figures_json([fig(W1, 240, 2400), fig(W2, 480, 2400)], Practitioner("A")))
    doc.update(change)
    return doc


def test_bad_team_files_get_clear_errors(tmp_path):
    good_csv = figures.figures_csv([fig(W1, 240, 2400), fig(W2, 480, 2400)], Practitioner("A"))
    lines = good_csv.splitlines()

    assert "format_version 2 is not supported" in _bad(tmp_path, "v2.json", json.dumps(_good_json(format_version=2)))
    doc = _good_json()
    del doc["format_version"]
    assert "no format_version" in _bad(tmp_path, "nov.json", json.dumps(doc))
    assert "no format_version column" in _bad(tmp_path, "nov.csv", "week_start,label\n2026-11-02,A\n")
    assert "format_version 9" in _bad(tmp_path, "v9.csv", "\n".join([lines[0], "9" + lines[1][1:]]))

    doc = _good_json()
    del doc["weeks"][1]["extra_minutes"]
    assert _bad(tmp_path, "miss.json", json.dumps(doc)) == "miss.json, week 2: missing extra_minutes"
    header = lines[0].replace(",travel_minutes", "")
    assert "missing column(s) travel_minutes" in _bad(tmp_path, "miss.csv", header + "\n")

    doc = _good_json()
    doc["weeks"][0]["admin_minutes"] = "lots"
    assert "admin_minutes must be a whole number of minutes, not 'lots'" in _bad(tmp_path, "val.json", json.dumps(doc))
    doc = _good_json()
    doc["weeks"][0]["face_to_face_minutes"] = -5
    assert "cannot be negative" in _bad(tmp_path, "neg.json", json.dumps(doc))
    doc = _good_json()
    doc["weeks"][0]["week_start"] = "2026-11-03"
    assert "is not a Monday" in _bad(tmp_path, "tue.json", json.dumps(doc))
    doc = _good_json()
    doc["weeks"][0]["worked_minutes"] = 9
    assert "worked_minutes is 9 but the other figures give 2400" in _bad(tmp_path, "sum.json", json.dumps(doc))
    doc = _good_json()
    doc["weeks"][0]["face_to_face_share"] = 7
    assert "face_to_face_share must be from 0 to 1" in _bad(tmp_path, "share.json", json.dumps(doc))

    doc = _good_json()
    doc["weeks"][1]["week_start"] = doc["weeks"][0]["week_start"]
    assert "appears twice in this file" in _bad(tmp_path, "dup.json", json.dumps(doc))
    assert "A's week of 2026-11-02 is already on line 2" in _bad(tmp_path, "dup.csv", "\n".join(lines + [lines[1]]))

    assert "no practitioner label" in _bad(tmp_path, "anon.json", json.dumps(_good_json(practitioner={})))
    assert "not valid JSON" in _bad(tmp_path, "broken.json", "{\"format_version\": 1,")
    assert "has no weeks" in _bad(tmp_path, "empty.csv", lines[0] + "\n")


def test_team_file_that_cannot_be_read(tmp_path):
    with pytest.raises(EvidenceError, match="cannot read missing.csv"):
        figures.read_figures(tmp_path / "missing.csv")
    (tmp_path / "bin.csv").write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(EvidenceError, match="bin.csv: not UTF-8"):
        figures.read_figures(tmp_path / "bin.csv")
