"""The evidence views, driven with pytest-qt (issue 7)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from probation_diary.core import evidence
from probation_diary.formats import figures
from probation_diary.formats import report_pdf
from probation_diary.core.clock import Week
from probation_diary.core.timesplit import share_percent
from probation_diary.ui.evidence import team as team_module
from probation_diary.ui.evidence.caseload import CaseloadView
from probation_diary.ui.evidence.report import ReportDialog
from probation_diary.ui.evidence.team import TeamView
from probation_diary.ui.evidence.trends import TrendsView
from probation_diary.ui.evidence.window import CASELOAD, TEAM, TRENDS

import evidence_helpers as h
from evidence_helpers import template_diary  # noqa: F401 (fixture)
from probation_diary.store.diary import Diary


@pytest.fixture
def built(diary_path, fixed_now, template_diary):  # noqa: F811
    fixed_now(h.NOW)
    d = Diary.open(h.built_copy(template_diary, diary_path))
    yield d
    d.close()


def cell(model, row, col, role=Qt.ItemDataRole.DisplayRole):
    return model.data(model.index(row, col), role)


def test_trends_view(qtbot, qtmodeltester, built):
    view = TrendsView(built)
    qtbot.addWidget(view)
    view.refresh()
    qtmodeltester.check(view.model)
    assert view.model.rowCount() == 12 + 3
    rows = {cell(view.model, r, 0): r for r in range(view.model.rowCount())}
    leave = rows["Mon 14 Sept 2026"]  # CLDR en-GB abbreviates September "Sept"
    assert cell(view.model, leave, 1) == "–" and cell(view.model, leave, 7) == "mostly absence"
    change = rows["Mon 19 Oct 2026"]
    assert cell(view.model, change, 1) == share_percent(300 / 2580) and cell(view.model, change, 3) == "43:00"
    assert cell(view.model, rows["Median"], 1) == "13%"
    assert cell(view.model, rows["Total"], 5) == "43:24"
    assert "over 10 weeks" in view.headline.text() and "1 week(s) mostly absence" in view.headline.text()
    # the charts get the same numbers, and mark the leave week
    cols = view.f2f_chart.columns
    assert len(cols) == 12 and cols[2].value is None and cols[2].muted
    assert view.f2f_chart.average == view.trend.stats["face_to_face_share"].average
    assert view.worked_chart.columns[7].second == 2220

    view.set_weeks(4)
    assert view.model.rowCount() == 4 + 3
    view.set_weeks(52)
    assert len(view.f2f_chart.columns) == 52
    view.resize(1000, 700)
    view.show()
    qtbot.waitExposed(view)
    view.grab()  # paints every chart without error


def test_caseload_view_highlights_people_not_seen(qtbot, qtmodeltester, built):
    h.add(built, "COAP", dt.date(2026, 11, 18), "13:00", "14:00", "X100003", "AFTA")
    view = CaseloadView(built)
    qtbot.addWidget(view)
    view.weeks_spin.setValue(2)
    view.set_period(dt.date(2026, 11, 16), dt.date(2026, 11, 20))
    qtmodeltester.check(view.model)
    model = view.model
    crns = [cell(model, r, 0) for r in range(model.rowCount())]
    r3 = crns.index("X100003")
    assert cell(model, r3, 1) == "Cordelia Oxenholme"
    assert cell(model, r3, 4) == "Mon 2 Nov 2026" and cell(model, r3, 5) == "not seen"
    assert cell(model, r3, 0, Qt.ItemDataRole.UserRole) is True
    assert cell(model, r3, 0, Qt.ItemDataRole.FontRole).bold()
    assert cell(model, 0, 0, Qt.ItemDataRole.FontRole) is None
    assert "Concentration: 100%" in view.summary.text()
    assert "1 not seen face to face for 2 weeks" in view.summary.text()
    view.weeks_spin.setValue(4)  # the user changes N: nobody is highlighted now
    assert not any(cell(model, r, 0, Qt.ItemDataRole.UserRole) for r in range(model.rowCount()))
    view.to_edit.setDate(view.from_edit.date().addDays(-1))
    assert model.rowCount() == 0 and "before its start" in view.summary.text()


def _write_team_files(tmp_path):
    from core.test_evidence import fig, W1, W2, W3

    a, b, c = tmp_path / "a.csv", tmp_path / "b.json", tmp_path / "c.csv"
    figures.write_figures(a, [fig(W1, 240, 2400), fig(W2, 480, 2400), fig(W3, 100, 2000)], evidence.Practitioner("A"))
    figures.write_figures(b, [fig(W1, 600, 2400), fig(W2, 0, 0, expected=0)], evidence.Practitioner("B"))
    figures.write_figures(c, [fig(W3, 500, 2500)], evidence.Practitioner("A"))
    return a, b, c


def test_team_view_imports_validates_and_exports(qtbot, qtmodeltester, tmp_path, fake_dialogs, monkeypatch):
    a, b, c = _write_team_files(tmp_path)
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"format_version": 2, "weeks": []}))
    view = TeamView()
    qtbot.addWidget(view)
    assert not view.export_button.isEnabled()
    monkeypatch.setattr(team_module, "choose_open_files", lambda *a_, **k: [str(a), str(bad), str(b), str(c)])
    qtbot.mouseClick(view.add_button, Qt.MouseButton.LeftButton)
    qtmodeltester.check(view.model)
    messages = [view.messages.item(i).text() for i in range(view.messages.count())]
    assert messages[1] == "Not imported: bad.json: format_version 2 is not supported (this app reads version 1)"
    assert messages[3] == "Imported 1 week(s) from c.csv; 1 replace earlier figures"
    assert view.model.rowCount() == 3
    assert [cell(view.model, 2, col) for col in (0, 1, 2, 3, 9)] == ["Mon 16 Nov 2026", "1", "1", "20%", "4:40"]
    assert cell(view.model, 1, 2) == "1"  # B's leave week is listed, not counted as 0%
    assert "A, B" in view.status.text()

    out = tmp_path / "team.csv"
    fake_dialogs.save_file = str(out)
    assert view.export_button.isEnabled()
    qtbot.mouseClick(view.export_button, Qt.MouseButton.LeftButton)
    assert out.read_bytes().decode("utf-8-sig") == view.team.table_csv()
    view.clear()
    assert view.model.rowCount() == 0 and view.messages.count() == 0


def test_report_dialog_preview_anonymous_by_default(qtbot, built, tmp_path, fake_dialogs):
    dialog = ReportDialog(built, Week(h.CLOCK_WEEK))
    qtbot.addWidget(dialog)
    assert dialog.anonymous.isChecked()
    texts = dialog.page.texts()
    summary = built.week_summary(Week(h.CLOCK_WEEK))
    assert share_percent(summary.face_to_face_share) in texts and "43:00" in texts
    assert not any(crn in t for t in texts for crn in h.PEOPLE)
    dialog.anonymous.setChecked(False)
    assert any("X100002" in t for t in dialog.page.texts())
    assert "Quillfeather" in dialog.preview.accessibleDescription()
    dialog.anonymous.setChecked(True)

    out = tmp_path / "chosen"
    fake_dialogs.save_file = str(out)
    qtbot.mouseClick(dialog.pdf_button, Qt.MouseButton.LeftButton)
    data = (tmp_path / "chosen.pdf").read_bytes()
    assert report_pdf.pdf_page_count(data) == 1 and b"X1000" not in data

    img = dialog.preview.grab()
    assert img.width() == round(210 * dialog.preview.scale)


def test_report_dialog_prints_through_the_print_dialog(qtbot, built, tmp_path, fake_dialogs):
    from PySide6.QtPrintSupport import QPrinter

    dialog = ReportDialog(built, Week(h.CLOCK_WEEK))
    qtbot.addWidget(dialog)
    assert dialog.print_report() is False  # cancelled
    printed = []

    def accept(chooser):
        printer = chooser.printer()
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(tmp_path / "printed.pdf"))
        printed.append(printer)
        return int(QDialog.DialogCode.Accepted)

    fake_dialogs.handlers.append(accept)
    assert dialog.print_report() is True
    data = (tmp_path / "printed.pdf").read_bytes()
    assert report_pdf.pdf_page_count(data) == 1


def test_main_window_reports_menu(qtbot, built, tmp_path, fake_dialogs):
    from probation_diary.ui.mainwindow import MainWindow

    win = MainWindow(built)
    qtbot.addWidget(win)
    assert "evidence" not in win.install_errors
    actions = {a.objectName() for a in win.menus["reports"].actions()}
    assert {"weeklyReportAction", "trendsAction", "caseloadAction", "teamAction", "exportFiguresAction"} <= actions
    ev = win.evidence_actions
    ev.trends_action.trigger()
    ew = ev.evidence_window
    qtbot.waitExposed(ew)
    assert ew.tabs.currentIndex() == TRENDS and ew.trends.model.rowCount() == 15
    ev.caseload_action.trigger()
    assert ew.tabs.currentIndex() == CASELOAD and ew.caseload.model.rowCount() > 0
    ev.team_action.trigger()
    assert ew.tabs.currentIndex() == TEAM

    # a new entry refreshes the open window
    before = ew.trends.trend.weeks[-1].minutes["face_to_face"]
    h.add(built, "COAP", dt.date(2026, 11, 20), "07:00", "08:00", "X100001", "ATTC")
    assert ew.trends.trend.weeks[-1].minutes["face_to_face"] == before + 60

    ev.report_action.trigger()
    assert isinstance(fake_dialogs.executed[-1], ReportDialog)
    assert fake_dialogs.executed[-1].week == win.current_week()


def test_export_figures_from_the_menu(qtbot, stand_in, tmp_path, fake_dialogs):
    from probation_diary.ui.evidence import actions as evidence_actions

    actions = evidence_actions.install(stand_in)
    out = tmp_path / "mine.json"
    fake_dialogs.save_file = str(out)

    def fill(dialog):
        dialog.weeks.setValue(4)
        qtbot.keyClicks(dialog.label, "PO-3")
        dialog.grade.setCurrentIndex(dialog.grade.findData("PO"))
        return int(QDialog.DialogCode.Accepted)

    fake_dialogs.handlers.append(fill)
    actions.export_action.trigger()
    doc = json.loads(out.read_text())
    assert doc["practitioner"]["label"] == "PO-3" and doc["practitioner"]["grade"] == "PO"
    assert [w["week_start"] for w in doc["weeks"]][-1] == "2026-11-09"  # ends with last week
    assert fake_dialogs.infos == ["Saved 4 weeks of anonymised figures."]
    raw = out.read_bytes()
    assert not any(crn.encode() in raw for crn in h.PEOPLE)

    fake_dialogs.handlers.append(lambda d: (d.team.setText("bad team!"), int(QDialog.DialogCode.Accepted))[1])
    assert actions.export() is None
    assert fake_dialogs.errors and "team code" in fake_dialogs.errors[-1]


@pytest.fixture
def stand_in(qtbot, built):
    from PySide6.QtGui import QUndoStack
    from PySide6.QtWidgets import QMainWindow, QToolBar

    from probation_diary.core import clock

    class StandInWindow(QMainWindow):
        def __init__(self, diary):
            super().__init__()
            self.diary = diary
            self.undo_stack = QUndoStack(self)
            self.menus = {k: self.menuBar().addMenu(k) for k in ("file", "edit", "view", "entry", "reports", "help")}
            self.toolbar = QToolBar(self)

        def current_week(self):
            return Week.containing(clock.today_local())

    win = StandInWindow(built)
    qtbot.addWidget(win)
    return win


def _type(qtbot, field, text, key=Qt.Key.Key_Return):
    field.line.setFocus()
    field.line.selectAll()
    qtbot.keyClicks(field.line, text)
    qtbot.keyClick(field.line, key)


def test_caseload_period_is_typed_and_a_wrong_one_said_at_once(qtbot, built):
    view = CaseloadView(built)
    qtbot.addWidget(view)
    view.show()
    refreshed = []
    view.range.changed.connect(lambda: refreshed.append(view.model.rowCount()))
    view.activateWindow()
    view.from_edit.line.setFocus()
    qtbot.waitUntil(view.from_edit.line.hasFocus)
    view.from_edit.line.selectAll()
    qtbot.keyClicks(view.from_edit.line, "1/10")
    assert refreshed == []  # never per keystroke
    qtbot.keyClick(view.from_edit.line, Qt.Key.Key_Tab)  # Tab reads it and goes to "to" in one press
    assert view.from_edit.day() == dt.date(2026, 10, 1) and view.to_edit.line.hasFocus()
    _type(qtbot, view.to_edit, "last mon")  # Fri 20 Nov 2026: Mon 16 Nov
    assert view.to_edit.day() == dt.date(2026, 11, 16) and view.model.rowCount() > 0
    assert len(refreshed) == 2
    _type(qtbot, view.to_edit, "30/9")
    assert view.model.rowCount() == 0 and view.summary.text() == "The end of the period is before its start."
    _type(qtbot, view.from_edit, "someday")
    assert view.from_edit.text() == "someday" and view.summary.text().startswith("First date: 'someday' is not a date")
    view.set_period(dt.date(2026, 9, 1), dt.date(2026, 11, 20))
    assert view.model.rowCount() > 0 and "people with time in the period" in view.summary.text()
    # every field has a label whose Alt key goes to it
    buddies = {lbl.text(): lbl.buddy() for lbl in view.findChildren(type(view.summary)) if lbl.buddy()}
    assert buddies == {"&From": view.from_edit, "&to": view.to_edit, "&Highlight people not seen for": view.weeks_spin}


def test_report_week_is_typed_and_a_non_date_holds_print_and_save(qtbot, built, fake_dialogs):
    dialog = ReportDialog(built, Week(h.CLOCK_WEEK))
    qtbot.addWidget(dialog)
    dialog.show()
    _type(qtbot, dialog.week_edit, "last mon")
    assert dialog.week.monday == dt.date(2026, 11, 16) and dialog.suggested_name() == "week-2026-11-16.pdf"
    _type(qtbot, dialog.week_edit, "the 40th")
    assert dialog.week_message.isVisible() and "is not a date" in dialog.week_message.text()
    assert not dialog.pdf_button.isEnabled() and not dialog.print_button.isEnabled()
    assert dialog.save_pdf() is None and fake_dialogs.save_calls == []
    _type(qtbot, dialog.week_edit, "19/10/2026")
    assert not dialog.week_message.isVisible() and dialog.pdf_button.isEnabled()
    assert dialog.week.monday == h.CLOCK_WEEK
