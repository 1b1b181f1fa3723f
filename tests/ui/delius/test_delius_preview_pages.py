"""The export dialog's preview on a diary bigger than a page: rows read a page at a time from
the store, the count counted in steps, and the file the same bytes as the command line's."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3

import pytest
from PySide6.QtCore import Qt

from probation_diary.cli import delius as delius_io
from probation_diary.core.clock import format_utc
from probation_diary.core.model import ENTERED, EXPORTED
from probation_diary.formats import delius
from probation_diary.store.delius import contacts_page
from probation_diary.store.diary import Diary
from probation_diary.ui.delius.dialog import DeliusExportDialog, DeliusRowsModel
from delius_support import set_codes

FIRST, LAST = dt.date(2026, 1, 1), dt.date(2026, 11, 22)
ENTRIES = 700  # more than two pages of 256
BASE = dt.datetime(2025, 12, 25, 9, 0, tzinfo=dt.timezone.utc)


def fill(diary, n=ENTRIES):
    """n contacts over the year, for 23 people (and none), in every state the export meets."""
    set_codes(diary)
    ref = diary.reference()
    coap, ctob = ref.find_type("COAP").id, ref.find_type("CTOB").id
    travel = ref.find_type("Travel").id
    crns = [f"X{100000 + i}" for i in range(23)]
    conn = diary.db.conn
    conn.executemany("INSERT OR IGNORE INTO people (crn, name) VALUES (?, '')", [(c,) for c in crns])
    rows = []
    for i in range(n):
        start = BASE + dt.timedelta(hours=11 * i + i % 5, minutes=7 * (i % 3))  # some run past midnight
        end = start + dt.timedelta(minutes=(10, 30, 45, 60)[i % 4])
        kind = i % 10
        type_id = coap if kind < 5 else ctob if kind < 9 else travel
        crn = None if i % 97 == 0 else crns[(i * 7) % len(crns)]
        outcome = "ATTC" if type_id == coap and i % 13 else None  # every 13th appointment lacks one
        notes = ("=cmd|x" if i % 50 == 0 else f"contact {i}\nsecond line" if i % 3 == 0 else f"contact {i}")
        status = ENTERED if i % 17 == 0 else EXPORTED if i % 11 == 0 else "not_exported"
        rows.append((type_id, crn, format_utc(start), format_utc(end), outcome, notes, status,
                     format_utc(start), format_utc(start)))
    conn.executemany(
        "INSERT INTO entries (type_id, crn, start_utc, end_utc, outcome_code, notes, delius_status,"
        " created_utc, updated_utc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    conn.commit()


@pytest.fixture
def big(diary):
    fill(diary)
    return diary


def test_store_pages_walk_the_range_in_the_files_order(big):
    start, end = delius.range_bounds(FIRST, LAST)
    whole = delius_io.read_contacts(big, start, end)
    for order, key in (("row", lambda c: (c.crn, c.start, c.end, c.id)), ("start", lambda c: (c.start, c.id))):
        got, after = [], None
        while True:
            page, after = contacts_page(big, start, end, delius.DEFAULT_STATUSES, after=after, limit=100, order=order)
            if not page:
                break
            got += page
        wanted = [c for c in whole if c.delius_status in delius.DEFAULT_STATUSES and (order == "start" or c.crn)]
        assert got == sorted(wanted, key=key)
        assert len(got) > 300


def test_preview_shows_the_first_page_and_the_whole_count(qtbot, qtmodeltester, big):
    export = delius_io.plan_export(big, FIRST, LAST)
    assert len(export.rows) > 2 * DeliusRowsModel.PAGE and export.problems  # the diary is big enough
    dlg = DeliusExportDialog(big, FIRST, LAST)
    qtbot.addWidget(dlg)
    model = dlg.model
    assert DeliusRowsModel.PAGE <= model.rowCount() < len(export.rows)  # one page read, not all
    assert model.canFetchMore()
    shown = [[model.index(r, c).data(Qt.ItemDataRole.EditRole) for c in range(19)] for r in range(model.rowCount())]
    assert shown == export.rows[:model.rowCount()]
    left_out = len(export.left_out_ids)
    assert dlg.summary_label.text() == (f"{len(export.rows)} rows to export, 01/01/2026 to 22/11/2026. "
                                        f"{left_out} entries left out: Delius would refuse them.")
    assert [dlg.problems_model.index(r, 0).data() for r in range(dlg.problems_model.rowCount())] == \
        [str(p) for p in export.problems]
    qtmodeltester.check(model)
    while model.canFetchMore():
        model.fetchMore()
    assert model.rowCount() == len(export.rows)
    assert [model.entry_id(r) for r in range(model.rowCount())] == export.entry_ids
    assert [[model.index(r, c).data(Qt.ItemDataRole.EditRole) for c in range(19)]
            for r in range(model.rowCount())] == export.rows
    qtmodeltester.check(model)


def test_scrolling_the_view_fetches_the_next_page(qtbot, big):
    dlg = DeliusExportDialog(big, FIRST, LAST)
    qtbot.addWidget(dlg)
    dlg.show()
    before = dlg.model.rowCount()
    dlg.table.setFocus()
    dlg.table.setCurrentIndex(dlg.model.index(0, 0))
    qtbot.keyClick(dlg.table, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: dlg.model.rowCount() > before)


def test_a_long_count_goes_on_in_steps_and_ends_with_the_same_figures(qtbot, big, monkeypatch):
    monkeypatch.setattr(DeliusExportDialog, "COUNT_STEP", 50)
    monkeypatch.setattr(DeliusExportDialog, "COUNT_AT_ONCE", 100)
    export = delius_io.plan_export(big, FIRST, LAST)
    dlg = DeliusExportDialog(big, FIRST, LAST)
    qtbot.addWidget(dlg)
    assert not dlg.counted and dlg.summary_label.text().startswith("Counting… ")
    qtbot.waitUntil(lambda: dlg.counted)
    assert dlg.summary_label.text().startswith(f"{len(export.rows)} rows to export")
    assert dlg.problems_model.rowCount() == len(export.problems)
    # a new range starts again, and a closed dialog stops counting
    dlg.include_entered.setChecked(True)
    assert not dlg.counted
    dlg.reject()
    assert not dlg._timer.isActive()


def test_the_file_is_byte_for_byte_the_command_lines(qtbot, big, diary_path, run_cli, fake_dialogs, tmp_path):
    copy = tmp_path / "copy.db"
    with sqlite3.connect(copy) as target:
        big.db.conn.backup(target)
    cli_file = tmp_path / "cli.csv"
    result = run_cli("--db", copy, "export-delius", "--from", FIRST.isoformat(), "--to", LAST.isoformat(),
                     "--out", cli_file, db=False)
    assert result.code == 1, result  # some are left out
    dlg = DeliusExportDialog(big, FIRST, LAST)
    qtbot.addWidget(dlg)
    fake_dialogs.save_file = str(tmp_path / "dialog.csv")
    assert dlg.save() is True
    assert (tmp_path / "dialog.csv").read_bytes() == cli_file.read_bytes()
    rows = len(delius_io.plan_export(Diary.open(copy), FIRST, LAST).rows)  # the copy, as the CLI left it
    assert f"Wrote {rows} rows" in result.out and fake_dialogs.infos[0].startswith(f"Saved {rows} rows")
    assert dlg.written.count == rows


def test_saving_shows_the_wait_cursor_while_it_counts_and_writes(qtbot, big, fake_dialogs, tmp_path, monkeypatch):
    """Counting and writing years of contacts run in the window's thread: the pointer says so."""
    from PySide6.QtWidgets import QApplication

    seen = []
    original = delius_io.stream_export_to_file

    def watched(*args, **kwargs):
        cursor = QApplication.overrideCursor()
        seen.append(cursor.shape() if cursor is not None else None)
        return original(*args, **kwargs)

    monkeypatch.setattr(delius_io, "stream_export_to_file", watched)
    dlg = DeliusExportDialog(big, FIRST, LAST)
    qtbot.addWidget(dlg)
    fake_dialogs.save_file = str(tmp_path / "dialog.csv")
    assert dlg.save() is True
    assert seen == [Qt.CursorShape.WaitCursor]
    assert QApplication.overrideCursor() is None  # and back to normal after


def test_saving_shows_its_progress_and_cancel_writes_nothing(qtbot, big, fake_dialogs, tmp_path, monkeypatch):
    """A long save shows how far it has got, with Cancel: counting first, then the rows written
    out of the rows counted. Cancel part way saves no file and marks nothing as exported; the
    next save writes the whole file."""
    from PySide6.QtWidgets import QProgressDialog

    monkeypatch.setattr(delius_io, "PROGRESS_EVERY", 10)
    seen = []

    def cancel_part_way(self):
        seen.append((self.labelText(), self.value(), self.maximum()))
        return self.labelText().startswith("Writing") and self.value() >= 30

    monkeypatch.setattr(QProgressDialog, "wasCanceled", cancel_part_way)
    monkeypatch.setattr(DeliusExportDialog, "COUNT_STEP", 100)  # (so that Save still has counting to do)
    monkeypatch.setattr(DeliusExportDialog, "COUNT_AT_ONCE", 100)
    statuses = big.db.conn.execute("SELECT id, delius_status FROM entries ORDER BY id").fetchall()
    dlg = DeliusExportDialog(big, FIRST, LAST)
    qtbot.addWidget(dlg)
    (tmp_path / "out").mkdir()
    target = tmp_path / "out" / "dialog.csv"
    fake_dialogs.save_file = str(target)
    assert dlg.save() is False
    assert os.listdir(tmp_path / "out") == []  # no file, and no half-written one
    assert big.db.conn.execute("SELECT id, delius_status FROM entries ORDER BY id").fetchall() == statuses
    assert "cancelled" in fake_dialogs.infos[-1] and "no contact was marked" in fake_dialogs.infos[-1]
    counting = [s for s in seen if s[0].startswith("Counting")]
    writing = [s for s in seen if s[0].startswith("Writing")]
    assert [v for _, v, _ in counting] == [0] * len(counting) and len(counting) >= 2  # a busy bar, then
    assert writing
    assert {m for _, _, m in writing} == {dlg.count.rows} and [v for _, v, _ in writing] == [10, 20, 30]
    assert dlg.count.rows > 30 and f"Writing {dlg.count.rows:,} rows" in writing[0][0]  # of all counted

    rows = writing[0][2]
    monkeypatch.setattr(QProgressDialog, "wasCanceled", lambda self: False)
    assert dlg.save() is True
    assert target.exists() and dlg.written.count == rows
    dlg.reject()  # (its counting stops with it)


def test_enter_pressed_ahead_does_not_cancel_the_save(qtbot, big, fake_dialogs, tmp_path):
    """Enter typed while the progress shows (meant for the message that follows) is not its
    Cancel; Esc is."""
    from PySide6.QtWidgets import QApplication, QProgressDialog

    from probation_diary.ui import dialogs

    with dialogs.progress(None, "Writing…", 10) as report:
        dlg = next(w for w in QApplication.topLevelWidgets()
                   if isinstance(w, QProgressDialog) and w.labelText() == "Writing…")
        dlg.show()  # (as it shows itself once the step has taken half a second)
        qtbot.keyClick(dlg, Qt.Key.Key_Return)
        report(5)  # not cancelled
        qtbot.keyClick(dlg, Qt.Key.Key_Escape)
        with pytest.raises(dialogs.Cancelled):
            report(6)
