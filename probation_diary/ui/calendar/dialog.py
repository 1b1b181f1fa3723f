"""The calendar import preview, and the small dialogs around it (issue 8).

Thin: every decision is formats.ics's. The preview shows each event with its guessed activity type
and CRN, which the user confirms or changes (an event that matched no keyword is listed as
"Needs a type"); whole-day events that are not leave (skipped); entries whose events are gone
from the calendar (kept unless the user ticks them for the bin); and events that could not be
read, or were read only in part.

Every choice works from the keyboard: Tab goes row by row through Import, Activity type and CRN
(not cell by cell), Space ticks, and typing in a type box picks the type that starts with what is
typed (a Delius code such as CHVS, or a label such as Other admin).
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout,
    QGroupBox, QHeaderView, QLabel, QLineEdit, QListWidget, QPlainTextEdit, QPushButton,
    QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from ..datefield import DateField, DateRange
from ..dates import short_date, short_datetime
from ...core import clock
from ...formats import ics
from .. import dialogs

INCLUDE, WHEN, EVENT, ACTION, TYPE, CRN, NOTE = range(7)
HEADERS = ["Import", "When", "Calendar event", "What happens", "Activity type", "CRN", "Check"]


class RangeDialog(QDialog):
    """Choose the dates (and, for export, whether names go in)."""

    def __init__(self, title: str, first: dt.date, last: dt.date, *, names_option: bool = False,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(title)
        form = QFormLayout(self)
        self.first_edit = DateField(self, day=first)
        self.first_edit.setAccessibleName("First date")
        self.last_edit = DateField(self, day=last)
        self.last_edit.setAccessibleName("Last date (inclusive)")
        self.range = DateRange(self.first_edit, self.last_edit, self,
                               before="The last date is before the first.")
        form.addRow("&From:", self.first_edit)
        form.addRow("&To (inclusive):", self.last_edit)
        self.names_box = None
        if names_option:
            self.names_box = QCheckBox("Include people's &names (otherwise only CRN and type)", self)
            form.addRow(self.names_box)
            note = QLabel("Appointments only: no notes ever leave the diary this way.", self)
            note.setWordWrap(True)
            form.addRow(note)
        self.error = QLabel(self)
        self.error.setObjectName("rangeError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #c0392b;")
        form.addRow(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        form.addRow(buttons)
        self.range.changed.connect(self._show_problem)
        self._show_problem()

    def _show_problem(self) -> None:
        """The range's problem beside the dates, at once, and OK off until it is put right."""
        problem = self.range.problem()
        self.error.setText(problem)
        self.error.setVisible(bool(problem))
        self.ok_button.setEnabled(not problem)
        layout = self.layout()
        if problem and self.isVisible() and layout.hasHeightForWidth():
            # the message wraps: grow to show all of it (a form layout's minimum ignores that)
            height = layout.totalHeightForWidth(self.width())
            if height > self.height():
                self.resize(self.width(), height)

    @property
    def first(self) -> dt.date:
        return self.first_edit.day()

    @property
    def last(self) -> dt.date:
        return self.last_edit.day()

    @property
    def with_names(self) -> bool:
        return bool(self.names_box and self.names_box.isChecked())

    def accept(self) -> None:
        if not self.range.commit():  # a date typed but not yet read is read now
            self._show_problem()
            return
        super().accept()


class KeywordsDialog(QDialog):
    """Edit the keyword table: one 'keyword = type' per line."""

    def __init__(self, diary, parent: QWidget | None = None):
        super().__init__(parent)
        self.diary = diary
        self.setWindowTitle("Calendar keywords")
        layout = QVBoxLayout(self)
        intro = QLabel("Words in an event's subject or body that tell its activity type, one per line "
                       "as <i>keyword = type</i> (a Delius code such as CHVS, or a label such as "
                       "Annual leave). The longest keyword found wins.", self)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        keywords = ics.load_keywords(diary)
        self.editor = QPlainTextEdit(keywords.to_lines(), self)
        layout.addWidget(self.editor)
        form = QFormLayout()
        self.with_crn = QLineEdit(keywords.with_crn, self)
        self.with_crn.setPlaceholderText("empty: no guess")
        form.addRow("Type for an event with only a CRN:", self.with_crn)
        layout.addLayout(form)
        self.error = QLabel(self)
        self.error.setObjectName("keywordsError")
        self.error.setWordWrap(True)
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
                                   | QDialogButtonBox.StandardButton.RestoreDefaults, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.StandardButton.RestoreDefaults).clicked.connect(self.restore_defaults)
        layout.addWidget(buttons)
        self.resize(460, 520)

    def restore_defaults(self) -> None:
        defaults = ics.Keywords()
        self.editor.setPlainText(defaults.to_lines())
        self.with_crn.setText(defaults.with_crn)

    def accept(self) -> None:
        try:
            keywords = ics.Keywords.parse_lines(self.editor.toPlainText(), self.with_crn.text().strip())
            ics.save_keywords(self.diary, keywords)
        except ValueError as exc:
            self.error.setText(str(exc)[:1].upper() + str(exc)[1:] + ".")
            return
        super().accept()


class CalendarImportDialog(QDialog):
    """The preview. `plan` is changed in place by the user's choices; accept() means "save"."""

    def __init__(self, diary, data: bytes, first: dt.date, last: dt.date, now: dt.datetime | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.diary = diary
        self.data = data
        self.first, self.last = first, last
        self.now = now or clock.now_utc()
        self.setWindowTitle("Import calendar")
        self.resize(1000, 640)
        ref = diary.reference()
        self.types = [t for t in ref.types.values() if t.active]

        layout = QVBoxLayout(self)
        self.heading = QLabel(self)
        self.heading.setWordWrap(True)
        layout.addWidget(self.heading)

        self.table = QTableWidget(0, len(HEADERS), self)
        self.table.setObjectName("calendarEvents")
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(EVENT, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(NOTE, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(TYPE, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(TYPE, 250)
        self.table.setWordWrap(True)
        self.table.setTabKeyNavigation(False)  # Tab moves between the choices, not the cells
        layout.addWidget(self.table, 3)

        self.skipped_box = QGroupBox("Whole-day events skipped (they do not look like leave)", self)
        box_layout = QVBoxLayout(self.skipped_box)
        self.skipped_list = QListWidget(self.skipped_box)
        self.skipped_list.setObjectName("skippedEvents")
        box_layout.addWidget(self.skipped_list)
        layout.addWidget(self.skipped_box, 1)

        self.gone_box = QGroupBox("No longer in the calendar: tick any to move to the bin (kept otherwise)", self)
        gone_layout = QVBoxLayout(self.gone_box)
        self.gone_table = QTableWidget(0, 4, self.gone_box)
        self.gone_table.setObjectName("goneEntries")
        self.gone_table.setHorizontalHeaderLabels(["Move to bin", "Entry", "When", "Why"])
        self.gone_table.verticalHeader().setVisible(False)
        self.gone_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.gone_table.horizontalHeader().setStretchLastSection(True)
        gone_layout.addWidget(self.gone_table)
        layout.addWidget(self.gone_box, 1)

        self.problems_box = QGroupBox("Events that could not be read (skipped), or were read in part", self)
        problems_layout = QVBoxLayout(self.problems_box)
        self.problems_list = QListWidget(self.problems_box)
        self.problems_list.setObjectName("problemEvents")
        problems_layout.addWidget(self.problems_list)
        layout.addWidget(self.problems_box, 1)

        self.buttons = QDialogButtonBox(self)
        self.save_button = self.buttons.addButton("Import", QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setObjectName("importButton")
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.keywords_button = QPushButton("&Keywords…", self)
        self.buttons.addButton(self.keywords_button, QDialogButtonBox.ButtonRole.ResetRole)
        self.keywords_button.clicked.connect(self.edit_keywords)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

        self.plan: ics.ImportPlan | None = None
        self.replan()

    # -- filling

    def replan(self) -> None:
        """Read the file again (after the keywords changed, or at the start)."""
        self.plan = ics.plan_import(self.data, self.diary, self.first, self.last, now=self.now)
        self._fill()

    def _fill(self) -> None:
        plan = self.plan
        self.rows = [p for p in plan.proposals if p.action != ics.UNCHANGED]
        self.table.setRowCount(len(self.rows))
        for row, p in enumerate(self.rows):
            self._fill_row(row, p)
        self.skipped_list.clear()
        for event, _reason in plan.skipped:
            self.skipped_list.addItem(f"{event.when()}   {event.summary}")
        self.skipped_box.setVisible(bool(plan.skipped))
        self.gone_table.setRowCount(len(plan.gone))
        ref = self.diary.reference()
        for row, gone in enumerate(plan.gone):
            box = QCheckBox(self.gone_table)
            box.setChecked(gone.delete)
            box.toggled.connect(lambda on, g=gone: self.set_delete(g, on))
            self.gone_table.setCellWidget(row, 0, box)
            e = gone.entry
            atype = ref.types[e.type_id]
            self.gone_table.setItem(row, 1, _item(f"{e.ref}  {atype.delius_code or atype.label}  {e.crn or ''}"))
            s, f = clock.to_local(e.start), clock.to_local(e.end)
            self.gone_table.setItem(row, 2, _item(f"{short_date(s.date())} (all day)" if e.all_day
                                                  else f"{short_datetime(s)}–{f:%H:%M}"))
            self.gone_table.setItem(row, 3, _item(gone.reason))
        self.gone_box.setVisible(bool(plan.gone))
        self.problems_list.clear()
        self.problems_list.addItems(plan.problems + plan.notes)
        self.problems_box.setVisible(bool(plan.problems or plan.notes))
        self._chain_tab_order()
        self._update_heading()
        self.table.resizeRowsToContents()
        self.gone_table.resizeRowsToContents()

    def _fill_row(self, row: int, p: ics.Proposal) -> None:
        occ = p.occurrence
        editable = p.action in (ics.NEW, ics.UPDATE)
        box = QCheckBox(self.table)
        box.setChecked(p.include)
        box.setEnabled(editable)
        box.toggled.connect(lambda on, r=row: self.set_included(r, on))
        self.table.setCellWidget(row, INCLUDE, box)
        self.table.setItem(row, WHEN, _item(occ.when()))
        self.table.setItem(row, EVENT, _item(occ.summary or "(no subject)"))
        self.table.setItem(row, ACTION, _item(self._action_text(p)))
        combo = QComboBox(self.table)
        combo.setAccessibleName(f"Activity type, row {row + 1}")
        combo.setToolTip("Type a Delius code or the start of a label to choose")
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(16)
        combo.addItem("(choose a type)", "")
        for t in self.types:
            if occ.all_day and t.time_class != "absence":
                continue
            combo.addItem(t.display, t.delius_code or t.label)
        index = combo.findData(p.type_text)
        combo.setCurrentIndex(max(index, 0))
        combo.setEnabled(editable)
        combo.currentIndexChanged.connect(lambda _i, r=row, c=combo: self.set_type(r, c.currentData()))
        self.table.setCellWidget(row, TYPE, combo)
        crn = QLineEdit(p.crn, self.table)
        crn.setAccessibleName(f"CRN, row {row + 1}")
        crn.setPlaceholderText("none")
        crn.setMaxLength(7)
        crn.setEnabled(editable and not occ.all_day)
        crn.editingFinished.connect(lambda r=row, e=crn: self.set_crn(r, e.text()))
        self.table.setCellWidget(row, CRN, crn)
        self._update_note(row)

    @staticmethod
    def _action_text(p: ics.Proposal) -> str:
        if p.needs_type:
            return "Needs a type"
        return {ics.NEW: "New entry", ics.UPDATE: f"Update {p.ref}", ics.SKIP: "Skip"}.get(p.action, p.action)

    def _chain_tab_order(self) -> None:
        """Import, type, CRN, then the next row's: the order a person works through them."""
        previous = None
        for row in range(self.table.rowCount()):
            for column in (INCLUDE, TYPE, CRN):
                widget = self.table.cellWidget(row, column)
                if widget is None or not widget.isEnabled():
                    continue
                widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
                if previous is not None:
                    QWidget.setTabOrder(previous, widget)
                previous = widget

    def _update_note(self, row: int) -> None:
        p = self.rows[row]
        self.table.setItem(row, ACTION, _item(self._action_text(p)))
        if p.reason:
            note = p.reason
        elif p.action == ics.UPDATE:
            note = "; ".join(p.changes)
        elif p.several_crns:
            note = "The event names more than one CRN: check this one."
        else:
            note = "OK"
        self.table.setItem(row, NOTE, _item(note))
        box = self.table.cellWidget(row, INCLUDE)
        if box.isChecked() != p.include:
            box.blockSignals(True)
            box.setChecked(p.include)
            box.blockSignals(False)
        self._update_heading()

    def _update_heading(self) -> None:
        plan = self.plan
        new, changed = plan.count(ics.NEW, True), plan.count(ics.UPDATE, True)
        unchanged = plan.count(ics.UNCHANGED)
        needing = plan.needing_type
        text = (f"From {short_date(self.first)} to {short_date(self.last)}: {new} new, {changed} to update"
                + (f", {unchanged} already in the diary" if unchanged else "")
                + (f", {needing} need{'s' if needing == 1 else ''} a type (choose one to import"
                   f" {'it' if needing == 1 else 'them'})" if needing else "")
                + ". Check each guessed type and CRN before importing.")
        self.heading.setText(text)
        deletes = sum(1 for g in plan.gone if g.delete)
        self.save_button.setEnabled(bool(new or changed or deletes))

    # -- the user's choices

    def set_included(self, row: int, on: bool) -> None:
        p = self.rows[row]
        p.include = on
        if on:
            ics.refresh(p, self.diary, self.now)  # a row with a problem cannot be ticked
            if p.reason:
                p.include = False
        self._update_note(row)

    def set_delete(self, gone: ics.Gone, on: bool) -> None:
        gone.delete = on
        self._update_heading()

    def set_type(self, row: int, type_text: str) -> None:
        p = self.rows[row]
        p.type_text = type_text or ""
        self._recheck(p)
        self._update_note(row)

    def set_crn(self, row: int, text: str) -> None:
        p = self.rows[row]
        if text.strip().upper() == p.crn:
            return
        p.crn = text.strip().upper()
        self._recheck(p)
        self._update_note(row)

    def _recheck(self, p: ics.Proposal) -> None:
        was_blocked = bool(p.reason)
        ics.refresh(p, self.diary, self.now)
        if p.reason:
            p.include = False
        elif was_blocked:
            p.include = True  # fixed: take it in

    def edit_keywords(self) -> None:
        dialog = KeywordsDialog(self.diary, self)
        if dialogs.exec_dialog(dialog) == QDialog.DialogCode.Accepted:
            with dialogs.working(self, "Reading the calendar again…"):
                self.replan()


def _item(text: str) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(Qt.ItemFlag.ItemIsEnabled)
    item.setToolTip(text)
    return item
