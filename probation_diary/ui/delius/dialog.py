"""The "Export for Delius" dialog: a date range, a preview of the rows exactly as the CSV will
hold them, and every entry that would be left out, each linked to its entry.

Thin: the rows, the checks and the file are decided by formats.delius and written by delius_io.
The preview reads its rows a page at a time as it scrolls, and counts the rest in steps.
"""

from __future__ import annotations

import datetime as dt
from typing import Callable

from pathlib import Path
from typing import NamedTuple

from PySide6.QtCore import QAbstractListModel, QAbstractTableModel, QEvent, QModelIndex, QObject, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QDialog, QDialogButtonBox, QFormLayout, QGroupBox,
    QHBoxLayout, QHeaderView, QLabel, QLineEdit, QListView, QPushButton,
    QTableView, QVBoxLayout, QWidget,
)

from ...cli import delius as delius_io
from ...core import clock
from ...formats import delius
from ...core.model import SettingError
from ...store.delius import contacts_page
from ...store.diary import Diary, DiaryError
from .. import dialogs
from ..datefield import DateField, DateRange

CSV_FILTER = "CSV files (*.csv);;All files (*)"
PRIVACY_NOTE = (
    "The CSV holds personal data (CRNs and contact notes) in plain text, unencrypted. It is saved "
    "only where you choose: keep it on your work drive, and delete it once the contacts are in Delius."
)
KEYING_NOTE = (
    "Keying mode needs no file: Key into Delius walks these contacts one at a time and puts each "
    "field on the clipboard in the order of the Add Contact screen (Entry ▸ Key into Delius…)."
)
CODE_LIMITS = {"provider_code": 3, "team_code": 6, "staff_code": 7}


def choose_save_file(parent, caption: str, suggested: str) -> str | None:
    """The native save dialog, through ui.dialogs so tests patch one place."""
    return dialogs.choose_save_file(parent, caption, suggested, CSV_FILTER)


class ExportPlan:
    """One export of [first, last] as the dialog shows it, read from the diary a page at a time
    (a 20-year range of a million entries is never held whole). The rules are formats.delius's:
    each page goes through delius.build, so its rows, their order and the problems are the
    file's (the CLI's export-delius writes the same bytes)."""

    def __init__(self, diary: Diary, first: dt.date, last: dt.date, include_entered: bool,
                 now: dt.datetime | None = None):
        self.diary = diary
        self.first, self.last, self.include_entered = first, last, include_entered
        self.now = now or clock.now_utc()
        self.ref = diary.reference()
        self.settings = diary.settings()
        self.missing_settings = delius.missing_settings(self.settings)
        self.start, self.end = delius.range_bounds(first, last)
        self.statuses = delius.ALL_STATUSES if include_entered else delius.DEFAULT_STATUSES

    @property
    def file_name(self) -> str:
        return delius.default_file_name(self.first, self.last)

    def page(self, after: tuple | None, limit: int, order: str) -> tuple[delius.Export, tuple | None, int]:
        """The export of the next ``limit`` contacts after ``after`` (in "row" or "start"
        order), the key to go on from, and how many contacts were read (0: the end)."""
        contacts, key = contacts_page(self.diary, self.start, self.end, self.statuses, after=after,
                                      limit=limit, order=order)
        export = delius.build(contacts, self.ref, self.settings, self.now, self.first, self.last,
                              self.include_entered)
        return export, key, len(contacts)


class ExportCount:
    """The rows an export will write and the entries it leaves out (with every problem, in
    date and time order), counted in steps from the diary so the dialog stays responsive."""

    def __init__(self, plan: ExportPlan):
        self.plan = plan
        self.rows = 0
        self.left_out = 0
        self.problems: list[delius.Problem] = []
        self.done = False
        self._after: tuple | None = None

    def step(self, limit: int) -> list[delius.Problem]:
        """Count the next ``limit`` contacts; returns the problems they add. Only the checks
        run (no row is built): the range and the statuses are the query's, the rest is
        delius.select's and delius.check's, so the figures are build()'s."""
        if self.done:
            return []
        plan = self.plan
        contacts, key = contacts_page(plan.diary, plan.start, plan.end, plan.statuses, after=self._after,
                                      limit=limit, order="start")
        self._after = key or self._after
        if len(contacts) < limit:
            self.done = True
        ref, now, check, exportable = plan.ref, plan.now, delius.check, delius.is_exportable
        found: list[delius.Problem] = []
        for contact in contacts:  # in (start, id) order: build()'s order for the problems
            if not exportable(contact, ref):
                continue
            reasons = check(contact, ref, now)
            if reasons:
                self.left_out += 1
                found += [delius.Problem(contact.id, r) for r in reasons]
            else:
                self.rows += 1
        self.problems += found
        return found


class DeliusRowsModel(QAbstractTableModel):
    """The export's rows, one per contact, with the 19 headers of the CSV, fetched a page at a
    time as the view scrolls (canFetchMore/fetchMore)."""

    PAGE = 256  # contacts read a page

    def __init__(self, parent=None):
        super().__init__(parent)
        self._rows: list[list[str]] = []
        self._ids: list[int] = []
        self._plan: ExportPlan | None = None
        self._after: tuple | None = None
        self._more = False

    def set_plan(self, plan: ExportPlan | None) -> None:
        """Show the rows of ``plan`` (none for None), from the first page."""
        self.beginResetModel()
        self._rows, self._ids = [], []
        self._plan, self._after, self._more = plan, None, plan is not None
        self.endResetModel()
        if self._more:
            self.fetchMore()

    def entry_id(self, row: int) -> int | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def canFetchMore(self, parent=QModelIndex()) -> bool:  # noqa: N802 - Qt's name
        return not parent.isValid() and self._more

    def fetchMore(self, parent=QModelIndex()) -> None:  # noqa: N802
        """Read pages until at least one page of rows has come (or the range is read)."""
        if parent.isValid() or not self._more:
            return
        rows: list[list[str]] = []
        ids: list[int] = []
        while self._more and len(rows) < self.PAGE:
            export, self._after, read = self._plan.page(self._after, self.PAGE, "row")
            self._more = read == self.PAGE
            rows += export.rows
            ids += export.entry_ids
        if rows:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
            self._rows += rows
            self._ids += ids
            self.endInsertRows()

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(delius.HEADERS)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= len(self._rows) or index.column() >= len(delius.HEADERS):
            return None
        value = self._rows[index.row()][index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            # one line per row in the table; the tooltip and the file keep every line
            return value.replace("\r\n", " ⏎ ").replace("\n", " ⏎ ").replace("\r", " ⏎ ")
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.EditRole):
            return value
        if role == Qt.ItemDataRole.UserRole:
            return self._ids[index.row()]
        return None

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return delius.HEADERS[section] if 0 <= section < len(delius.HEADERS) else None
        return str(section + 1) if 0 <= section < len(self._rows) else None

    def flags(self, index):
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


class ProblemsModel(QAbstractListModel):
    """The entries left out, one line per problem, added as the count finds them."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._problems: list[delius.Problem] = []

    def clear(self) -> None:
        self.beginResetModel()
        self._problems = []
        self.endResetModel()

    def add(self, problems: list[delius.Problem]) -> None:
        if problems:
            first = len(self._problems)
            self.beginInsertRows(QModelIndex(), first, first + len(problems) - 1)
            self._problems += problems
            self.endInsertRows()

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._problems)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= len(self._problems):
            return None
        problem = self._problems[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return str(problem)
        if role == Qt.ItemDataRole.ToolTipRole:
            return "Press Enter or double-click to open this entry and fix it"
        if role == Qt.ItemDataRole.UserRole:
            return problem.entry_id
        return None


class _ActivateOnEnter(QObject):
    """Enter on a row of a list opens its entry, and only that: an item view passes Enter on,
    and the dialog would then also press its default button (Save)."""

    def eventFilter(self, view, event) -> bool:  # noqa: N802
        if (event.type() == QEvent.Type.KeyPress and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
                and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier):
            index = view.currentIndex()
            if index.isValid():
                view.activated.emit(index)
                return True
        return False


class Saved(NamedTuple):
    path: Path
    count: int
    left_out: int


class DeliusExportDialog(QDialog):
    """Export for Delius. `open_entry(entry_id)` shows an entry so the user can fix it."""

    COUNT_STEP = 2000  # contacts counted a step
    COUNT_AT_ONCE = 4000  # contacts counted before the dialog shows; the rest a step at a time

    def __init__(self, diary: Diary, first: dt.date, last: dt.date, *, parent: QWidget | None = None,
                 open_entry: Callable[[int], None] | None = None,
                 open_keying: Callable[[dt.date, dt.date], object] | None = None):
        super().__init__(parent)
        self.diary = diary
        self.open_entry = open_entry
        self.open_keying = open_keying
        self.plan: ExportPlan | None = None
        self.count: ExportCount | None = None
        self.written: Saved | None = None
        self.setObjectName("deliusExportDialog")
        self.setWindowTitle("Export for Delius")
        self.resize(1100, 640)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._count_some)

        layout = QVBoxLayout(self)
        intro = QLabel("Contacts not yet entered in Delius, one row each, in the order of the "
                       "Delius <i>Add Contact</i> screen, grouped by person.")
        intro.setWordWrap(True)
        layout.addWidget(intro)

        dates = QHBoxLayout()
        self.from_edit = DateField(self, day=first)
        self.from_edit.setAccessibleName("First date")
        self.to_edit = DateField(self, day=last)
        self.to_edit.setAccessibleName("Last date")
        self.range = DateRange(self.from_edit, self.to_edit, self)
        from_label, to_label = QLabel("&From"), QLabel("&to")
        from_label.setBuddy(self.from_edit)
        to_label.setBuddy(self.to_edit)
        self.this_week_button = QPushButton("This &week")
        self.this_week_button.clicked.connect(self.set_this_week)
        self.include_entered = QCheckBox("&Include contacts already entered in Delius")
        self.include_entered.toggled.connect(self.refresh)
        for w in (from_label, self.from_edit, to_label, self.to_edit, self.this_week_button):
            dates.addWidget(w)
        dates.addStretch(1)
        layout.addLayout(dates)
        layout.addWidget(self.include_entered)  # a line of its own: the dialog fits at 200% too
        self.range_message = QLabel()
        self.range_message.setObjectName("deliusRangeMessage")
        self.range_message.setStyleSheet("color: #c0392b;")
        self.range_message.hide()
        layout.addWidget(self.range_message)

        # the practitioner's codes, asked for only when some are missing
        self.codes_box = QGroupBox("Your Delius codes (needed on every row; saved in your settings)")
        form = QFormLayout(self.codes_box)
        self.code_edits: dict[str, QLineEdit] = {}
        for key, label in delius.REQUIRED_SETTINGS.items():
            edit = QLineEdit()
            edit.setObjectName(f"{key}Edit")
            edit.setMaxLength(CODE_LIMITS[key])
            edit.setAccessibleName(label.capitalize())
            edit.setPlaceholderText({"provider_code": "e.g. N07", "team_code": "e.g. N07T01",
                                     "staff_code": "e.g. N07A123"}[key])
            edit.setText(getattr(diary.settings(), key))
            edit.textChanged.connect(self._update_buttons)
            self.code_edits[key] = edit
            form.addRow(label.capitalize() + ":", edit)
        layout.addWidget(self.codes_box)

        self.summary_label = QLabel()
        self.summary_label.setObjectName("deliusSummary")
        layout.addWidget(self.summary_label)

        self.model = DeliusRowsModel(self)
        self.table = QTableView()
        self.table.setObjectName("deliusPreview")
        self.table.setAccessibleName("Rows to export")
        self.table.setToolTip("Press Enter or double-click a row to open its entry")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; the arrows move in it
        self.table.setWordWrap(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(False)
        self.table.activated.connect(self._row_activated)  # Enter, or a double-click
        self._on_enter = _ActivateOnEnter(self)
        self.table.installEventFilter(self._on_enter)
        layout.addWidget(self.table, 3)

        self.problems_label = QLabel()
        layout.addWidget(self.problems_label)
        self.problems_model = ProblemsModel(self)
        self.problems = QListView()
        self.problems.setObjectName("deliusProblems")
        self.problems.setAccessibleName("Entries left out")
        self.problems.setToolTip("Double-click or press Enter to open the entry and fix it")
        self.problems.setModel(self.problems_model)
        self.problems.setUniformItemSizes(True)
        self.problems.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.problems.activated.connect(self._problem_activated)
        self.problems.installEventFilter(self._on_enter)
        self.problems_label.setBuddy(self.problems)
        layout.addWidget(self.problems, 1)

        privacy = QLabel("⚠ " + PRIVACY_NOTE)
        privacy.setObjectName("deliusPrivacy")
        privacy.setWordWrap(True)
        layout.addWidget(privacy)
        keying = QLabel(KEYING_NOTE)
        keying.setObjectName("deliusKeyingNote")
        keying.setWordWrap(True)
        layout.addWidget(keying)

        self.buttons = QDialogButtonBox()
        self.save_button = self.buttons.addButton("&Save CSV…", QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setDefault(True)
        self.keying_button = self.buttons.addButton("&Key into Delius (no file)…",
                                                    QDialogButtonBox.ButtonRole.ActionRole)
        self.keying_button.setObjectName("deliusKeyingButton")
        self.keying_button.clicked.connect(self.key_into_delius)
        self.keying_button.setVisible(open_keying is not None)
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.save_button.clicked.connect(self.save)
        self.close_button.clicked.connect(self.reject)
        layout.addWidget(self.buttons)

        self.range.changed.connect(self.refresh)
        self.refresh()

    # -- state

    @property
    def first(self) -> dt.date:
        return self.from_edit.day()

    @property
    def last(self) -> dt.date:
        return self.to_edit.day()

    @property
    def export(self) -> ExportPlan | None:
        """The export as planned now (None while the dates are not a range)."""
        return self.plan

    def set_range(self, first: dt.date, last: dt.date) -> None:
        self.range.set_range(first, last)

    def set_this_week(self) -> None:
        monday = clock.Week.containing(clock.today_local()).monday
        self.set_range(monday, monday + dt.timedelta(days=6))

    def missing_codes(self) -> list[str]:
        """Codes neither in the settings nor typed in the dialog."""
        settings = self.diary.settings()
        return [k for k in delius.missing_settings(settings) if not self.code_edits[k].text().strip()]

    def refresh(self) -> None:
        """Re-plan the export from the diary as it is now: the first page of rows at once, the
        count (and the entries left out) in steps."""
        self._timer.stop()
        self.problems_model.clear()
        problem = self.range.problem()
        self.range_message.setText(problem)
        self.range_message.setVisible(bool(problem))
        if problem:
            self.plan = self.count = None
            self.model.set_plan(None)
            self.summary_label.setText("Nothing to show until the dates are right.")
            self.problems_label.setText("")
            self.problems.setVisible(False)
            self._update_buttons()
            return
        self.plan = ExportPlan(self.diary, self.first, self.last, self.include_entered.isChecked())
        self.count = ExportCount(self.plan)
        self.model.set_plan(self.plan)
        self.table.resizeColumnsToContents()
        notes_col = delius.HEADERS.index("Notes")
        if self.table.columnWidth(notes_col) > 360:
            self.table.setColumnWidth(notes_col, 360)
        self.codes_box.setVisible(bool(self.plan.missing_settings))
        self._count_some(self.COUNT_AT_ONCE)
        self._update_buttons()

    def _count_some(self, limit: int | None = None) -> None:
        count = self.count
        if count is None:
            return
        todo = limit or self.COUNT_STEP
        while not count.done and todo > 0:
            self.problems_model.add(count.step(min(todo, self.COUNT_STEP)))
            todo -= self.COUNT_STEP
        self._show_count()
        if not count.done:
            self._timer.start()

    def finish_count(self, report=None) -> None:
        """Count the rest now (before saving, so the figures shown are whole). ``report``:
        dialogs.progress's, told the rows counted after each step."""
        while self.count is not None and not self.count.done:
            self._count_some(self.COUNT_AT_ONCE)
            if report is not None:
                report(0, label=f"Counting the rows to export… {self.count.rows:,} so far.")
        self._timer.stop()

    @property
    def counted(self) -> bool:
        return self.count is not None and self.count.done

    def _show_count(self) -> None:
        count = self.count
        rows, left_out = count.rows, count.left_out
        span = f"{self.first:%d/%m/%Y} to {self.last:%d/%m/%Y}"
        if not count.done:
            self.summary_label.setText(f"Counting… {rows:,} row{'s' if rows != 1 else ''} so far, {span}.")
        else:
            text = f"{rows} row{'s' if rows != 1 else ''} to export, {span}."
            if left_out:
                text += f" {left_out} entr{'y' if left_out == 1 else 'ies'} left out: Delius would refuse them."
            self.summary_label.setText(text)
        self.problems_label.setText(
            "&Left out (Enter or double-click one to open it and fix it):" if left_out
            else ("No entries left out so far." if not count.done else "No entries left out."))
        self.problems.setVisible(bool(left_out))

    def _update_buttons(self) -> None:
        self.save_button.setEnabled(self.plan is not None)
        self.keying_button.setEnabled(self.plan is not None)

    # -- linking to entries

    def _problem_activated(self, index: QModelIndex) -> None:
        entry_id = index.data(Qt.ItemDataRole.UserRole)
        if entry_id is not None:
            self.show_entry(int(entry_id))

    def _row_activated(self, index: QModelIndex) -> None:
        entry_id = self.model.entry_id(index.row())
        if entry_id is not None:
            self.show_entry(entry_id)

    def show_entry(self, entry_id: int) -> None:
        view = self.focusWidget() if self.focusWidget() in (self.table, self.problems) else None
        row = view.currentIndex().row() if view is not None else -1
        if self.open_entry is not None:
            self.open_entry(entry_id)
        self.refresh()  # the user may have fixed it
        if view is not None and row >= 0:  # the keyboard stays where it was in the list
            model = view.model()
            if model.rowCount():
                view.setCurrentIndex(model.index(min(row, model.rowCount() - 1), 0))

    def key_into_delius(self) -> None:
        """Close this dialog and key the same dates field by field instead of saving a file."""
        if self.open_keying is None or not self.range.commit():
            return
        first, last = self.first, self.last
        self.reject()
        self.open_keying(first, last)

    # -- saving

    def save_codes(self) -> bool:
        """Save the codes typed in the dialog. False (and the user told why) if any is missing."""
        missing = self.missing_codes()
        if missing:
            dialogs.show_error(self, f"Delius needs your {delius.describe_missing(missing)} on every row. "
                                     "Type them above; they are saved in your settings.")
            return False
        typed = {k: e.text().strip() for k, e in self.code_edits.items()
                 if e.text().strip() and k in delius.missing_settings(self.diary.settings())}
        if typed:
            try:
                self.diary.set_settings(typed)
            except (SettingError, DiaryError) as exc:
                dialogs.show_error(self, f"Your codes were not saved: {str(exc).rstrip('.')}.")
                return False
            self.refresh()  # the rows carry the codes
        return True

    def save(self) -> bool:
        if not self.range.commit() or self.plan is None:  # a date typed but not yet read is read now
            return False
        if not self.save_codes():
            return False
        try:
            with dialogs.progress(self, "Counting the rows to export…") as report:
                self.finish_count(report)
        except dialogs.Cancelled:
            self._show_count()  # (counting goes on in steps, as before)
            self._timer.start()
            return False
        if not self.count.rows and not self.count.problems:
            if not dialogs.ask_confirmation(self, "There are no contacts to export for these dates.",
                                            confirm="Save an empty file"):
                return False
        path = choose_save_file(self, "Save the CSV for Delius", self.plan.file_name)
        if not path:
            return False
        total = self.count.rows
        try:
            # the command line's export-delius: streamed from the diary to the file, the same bytes
            with dialogs.progress(self, f"Writing {total:,} row{'s' if total != 1 else ''} for Delius…",
                                  total) as report:
                target, count, left_out = delius_io.stream_export_to_file(
                    self.diary, self.first, self.last, path, include_entered=self.include_entered.isChecked(),
                    progress=report)
        except dialogs.Cancelled:
            dialogs.show_info(self, "The export was cancelled: no file was saved, and no contact was marked "
                                    "as exported.")
            return False
        except DiaryError as exc:
            dialogs.show_error(self, f"The CSV was not saved: {exc}.")
            return False
        except OSError as exc:
            dialogs.show_error(self, f"The CSV was not saved: {exc.strerror or exc}.")
            return False
        self.written = Saved(target, count, left_out)
        message = f"Saved {count} row{'s' if count != 1 else ''} to {target}."
        if left_out:
            message += (f"\n\n{left_out} entr{'y was' if left_out == 1 else 'ies were'} left out; "
                        "they are listed in the dialog. Fix them and export again.")
        message += "\n\nWhen you have keyed the rows into Delius, mark them as entered."
        self.refresh()
        dialogs.show_info(self, message)
        if not left_out:
            self.accept()
        return True

    def done(self, result: int) -> None:
        self._timer.stop()  # no counting behind a closed dialog
        super().done(result)
