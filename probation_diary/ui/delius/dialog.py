"""The "Export for Delius" dialog: a date range, a preview of the rows exactly as the CSV will
hold them, and every entry that would be left out, each linked to its entry.

Thin: the rows, the checks and the file are decided by core.delius and written by delius_io.
"""

from __future__ import annotations

import datetime as dt
from typing import Callable

from PySide6.QtCore import QAbstractTableModel, QDate, QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QDateEdit, QDialog, QDialogButtonBox, QFormLayout, QGroupBox,
    QHBoxLayout, QHeaderView, QLabel, QLineEdit, QListWidget, QListWidgetItem, QPushButton,
    QTableView, QVBoxLayout, QWidget,
)

from ...cli import delius as delius_io
from ...core import clock
from ...formats import delius
from ...core.model import SettingError
from ...store.diary import Diary, DiaryError
from .. import dialogs

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


class DeliusRowsModel(QAbstractTableModel):
    """The export's rows, one per contact, with the 19 headers of the CSV."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._rows: list[list[str]] = []
        self._ids: list[int] = []

    def set_export(self, export: delius.Export | None) -> None:
        self.beginResetModel()
        self._rows = list(export.rows) if export else []
        self._ids = list(export.entry_ids) if export else []
        self.endResetModel()

    def entry_id(self, row: int) -> int | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

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


class DeliusExportDialog(QDialog):
    """Export for Delius. `open_entry(entry_id)` shows an entry so the user can fix it."""

    def __init__(self, diary: Diary, first: dt.date, last: dt.date, *, parent: QWidget | None = None,
                 open_entry: Callable[[int], None] | None = None,
                 open_keying: Callable[[dt.date, dt.date], object] | None = None):
        super().__init__(parent)
        self.diary = diary
        self.open_entry = open_entry
        self.open_keying = open_keying
        self.export: delius.Export | None = None
        self.written: delius_io.Written | None = None
        self.setObjectName("deliusExportDialog")
        self.setWindowTitle("Export for Delius")
        self.resize(1100, 640)

        layout = QVBoxLayout(self)
        intro = QLabel("Contacts not yet entered in Delius, one row each, in the order of the "
                       "Delius <i>Add Contact</i> screen, grouped by person.")
        intro.setWordWrap(True)
        layout.addWidget(intro)

        dates = QHBoxLayout()
        self.from_edit = self._date_edit(first, "First date")
        self.to_edit = self._date_edit(last, "Last date")
        from_label, to_label = QLabel("&From"), QLabel("&to")
        from_label.setBuddy(self.from_edit)
        to_label.setBuddy(self.to_edit)
        self.this_week_button = QPushButton("This &week")
        self.this_week_button.clicked.connect(self.set_this_week)
        self.include_entered = QCheckBox("&Include contacts already entered in Delius")
        self.include_entered.toggled.connect(self.refresh)
        for w in (from_label, self.from_edit, to_label, self.to_edit, self.this_week_button):
            dates.addWidget(w)
        dates.addSpacing(16)
        dates.addWidget(self.include_entered)
        dates.addStretch(1)
        layout.addLayout(dates)

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
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(False)
        self.table.doubleClicked.connect(self._row_activated)
        layout.addWidget(self.table, 3)

        self.problems_label = QLabel()
        layout.addWidget(self.problems_label)
        self.problems = QListWidget()
        self.problems.setObjectName("deliusProblems")
        self.problems.setAccessibleName("Entries left out")
        self.problems.setToolTip("Double-click or press Enter to open the entry and fix it")
        self.problems.itemActivated.connect(self._problem_activated)
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

        self.from_edit.dateChanged.connect(self.refresh)
        self.to_edit.dateChanged.connect(self.refresh)
        self.refresh()

    # -- building

    def _date_edit(self, day: dt.date, name: str) -> QDateEdit:
        edit = QDateEdit(QDate(day.year, day.month, day.day))
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("ddd d MMM yyyy")
        edit.setAccessibleName(name)
        return edit

    # -- state

    @property
    def first(self) -> dt.date:
        return self.from_edit.date().toPython()

    @property
    def last(self) -> dt.date:
        return self.to_edit.date().toPython()

    def set_range(self, first: dt.date, last: dt.date) -> None:
        self.from_edit.blockSignals(True)
        self.from_edit.setDate(QDate(first.year, first.month, first.day))
        self.from_edit.blockSignals(False)
        self.to_edit.setDate(QDate(last.year, last.month, last.day))
        self.refresh()

    def set_this_week(self) -> None:
        monday = clock.Week.containing(clock.today_local()).monday
        self.set_range(monday, monday + dt.timedelta(days=6))

    def missing_codes(self) -> list[str]:
        """Codes neither in the settings nor typed in the dialog."""
        settings = self.diary.settings()
        return [k for k in delius.missing_settings(settings) if not self.code_edits[k].text().strip()]

    def refresh(self) -> None:
        """Re-plan the export from the diary as it is now."""
        if self.last < self.first:
            self.export = None
            self.model.set_export(None)
            self.problems.clear()
            self.summary_label.setText("The last date is before the first date.")
            self.problems_label.setText("")
            self._update_buttons()
            return
        self.export = delius_io.plan_export(
            self.diary, self.first, self.last, include_entered=self.include_entered.isChecked())
        self.model.set_export(self.export)
        self.table.resizeColumnsToContents()
        notes_col = delius.HEADERS.index("Notes")
        if self.table.columnWidth(notes_col) > 360:
            self.table.setColumnWidth(notes_col, 360)

        self.problems.clear()
        for problem in self.export.problems:
            item = QListWidgetItem(str(problem))
            item.setData(Qt.ItemDataRole.UserRole, problem.entry_id)
            item.setToolTip("Open this entry to fix it")
            self.problems.addItem(item)
        left_out = len(self.export.left_out_ids)
        rows = len(self.export.rows)
        text = f"{rows} row{'s' if rows != 1 else ''} to export, {self.first:%d/%m/%Y} to {self.last:%d/%m/%Y}."
        if left_out:
            text += f" {left_out} entr{'y' if left_out == 1 else 'ies'} left out: Delius would refuse them."
        self.summary_label.setText(text)
        self.problems_label.setText(
            "Left out (double-click one to open it and fix it):" if left_out else "No entries left out.")
        self.problems.setVisible(bool(left_out))
        self.codes_box.setVisible(bool(self.export.missing_settings))
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.save_button.setEnabled(self.export is not None)

    # -- linking to entries

    def _problem_activated(self, item: QListWidgetItem) -> None:
        self.show_entry(int(item.data(Qt.ItemDataRole.UserRole)))

    def _row_activated(self, index: QModelIndex) -> None:
        entry_id = self.model.entry_id(index.row())
        if entry_id is not None:
            self.show_entry(entry_id)

    def show_entry(self, entry_id: int) -> None:
        if self.open_entry is not None:
            self.open_entry(entry_id)
        self.refresh()  # the user may have fixed it

    def key_into_delius(self) -> None:
        """Close this dialog and key the same dates field by field instead of saving a file."""
        if self.open_keying is None or self.last < self.first:
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
        return True

    def save(self) -> bool:
        if self.export is None:
            return False
        if not self.save_codes():
            return False
        self.refresh()
        if not self.export.rows and not self.export.problems:
            if not dialogs.ask_confirmation(self, "There are no contacts to export for these dates.",
                                            confirm="Save an empty file"):
                return False
        path = choose_save_file(self, "Save the CSV for Delius", self.export.file_name)
        if not path:
            return False
        try:
            self.written = delius_io.export_to_file(self.diary, self.export, path)
        except DiaryError as exc:
            dialogs.show_error(self, f"The CSV was not saved: {exc}.")
            return False
        except OSError as exc:
            dialogs.show_error(self, f"The CSV was not saved: {exc.strerror or exc}.")
            return False
        count = self.written.count
        message = f"Saved {count} row{'s' if count != 1 else ''} to {self.written.path}."
        left_out = len(self.export.left_out_ids)
        if left_out:
            message += (f"\n\n{left_out} entr{'y was' if left_out == 1 else 'ies were'} left out; "
                        "they are listed in the dialog. Fix them and export again.")
        message += "\n\nWhen you have keyed the rows into Delius, mark them as entered."
        self.refresh()
        dialogs.show_info(self, message)
        if not left_out:
            self.accept()
        return True
