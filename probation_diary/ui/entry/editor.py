"""The entry editor: one form for every kind of entry.

The form only collects text. Every rule lives in ``core.validation.check_entry``, which runs on
each change: its messages appear beside the fields, and the Save button stays disabled with the
reason beside it. The editor never saves: ``result_entry()`` hands the checked entry to the
window, which saves it through its undo stack.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from PySide6.QtCore import QObject, QSignalBlocker, QStringListModel, Qt, QTimer
from PySide6.QtGui import QFont, QKeySequence, QShortcut, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractButton, QApplication, QCheckBox, QComboBox, QCompleter, QDialog, QFormLayout, QFrame,
    QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit, QPushButton, QSizePolicy, QVBoxLayout, QWidget,
)

from ...core import clock
from ...core.model import ABSENCE, CLASS_LABELS, ActivityType, Entry
from ...core.quickentry import format_duration
from ...core.validation import LONG_ENTRY_MINUTES, Checked, EntryDraft, check_entry, starting_location
from ...store.diary import Diary, DiaryError
from .. import dialogs, focus
from ..datefield import DateField
from ..dates import short_datetime
from ..theme import warning_colour


KIND_DEFAULTS = {
    "appointment": ("COAP", "New appointment"),
    "home_visit": ("CHVS", "New home visit"),
    "contact": ("CTOB", "New contact"),
    "admin": ("Recording on Delius", "New admin time"),
    "absence": ("Annual leave", "New absence"),
}
TYPE_ROLE = Qt.ItemDataRole.UserRole + 1


def ask_confirmation(parent, text: str, **kw) -> bool:
    """Through ui.dialogs, so tests patch one place."""
    return dialogs.ask_confirmation(parent, text, **kw)


def error_label(name: str) -> QLabel:
    """A plain-words message shown under a field; hidden while empty."""
    label = QLabel()
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setStyleSheet(f"color: {warning_colour().name()};")
    label.setAccessibleName(name.replace("_", " "))
    label.hide()
    return label


def show_message(label: QLabel, text: str) -> None:
    label.setText(text)
    label.setVisible(bool(text))


class _PopupClosesWithFocus(QObject):
    """A completer's popup closes when the focus goes to another field. An Alt shortcut moves
    the focus while the popup stays open (and no focus-out reaches the field while a popup is
    up), and the popup, holding the keyboard, would hand the next key back to the field it
    completes (the CRN box) instead of the field now focused."""

    def __init__(self, field: QWidget, completer: QCompleter):
        super().__init__(completer)
        self.field = field
        self.completer = completer
        QApplication.instance().focusChanged.connect(self._focus_changed)

    def _focus_changed(self, _old, new) -> None:
        popup = self.completer.popup()
        if new is None or not popup.isVisible() or new is popup:
            return
        if new is not self.field and not self.field.isAncestorOf(new):
            popup.hide()


class _CrnCompleter(QCompleter):
    """Lists "X123456  Jo Bloggs" and matches names and initials, but puts only the CRN in the
    box (choosing with Down and Enter left the name in it too: not a CRN)."""

    def pathFromIndex(self, index) -> str:  # noqa: N802 - Qt's name
        text = super().pathFromIndex(index)
        return text.split()[0] if text.split() else text


def close_popup_with_focus(field: QWidget, completer: QCompleter) -> None:
    _PopupClosesWithFocus(field, completer)


def stacked(field: QWidget, message: QLabel) -> QWidget:
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(2)
    layout.addWidget(field)
    layout.addWidget(message)
    return box


class EntryEditor(QDialog):
    AUTOSAVE_MS = 2000  # notes are kept as a draft at most this long after a keystroke

    def __init__(self, diary: Diary, *, entry: Entry | None = None, kind: str | None = None,
                 day: dt.date | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.diary = diary
        self.ref = diary.reference()
        self.entry = entry
        self.kind = kind
        self._result: Entry | None = None
        self._checked: Checked | None = None
        self._touched: set[str] = set()
        self._loading = True
        self._draft_saved = False
        self.initial_focus: QWidget | None = None
        self._shown_once = False
        focus.keep_focus_shown(self)
        self._force_outcome = False
        self._last_typed = "end"  # "end" or "duration": whichever the user typed last wins
        self._long_confirmed: tuple | None = None  # the (start, end) the user said to keep
        self.draft_key = f"editor:{entry.ref}" if entry is not None and entry.id is not None else "editor:new"
        if kind is not None and kind not in KIND_DEFAULTS:
            raise ValueError(f"unknown kind of entry {kind!r}; use one of {', '.join(KIND_DEFAULTS)}")

        if entry is not None and entry.id is not None:
            self.setWindowTitle(f"Edit {entry.ref}")
        else:
            self.setWindowTitle(KIND_DEFAULTS.get(kind or "appointment")[1] if kind else "New entry")
        self.setAccessibleName(self.windowTitle())
        self._build()
        if entry is not None:
            self.load_draft(EntryDraft.from_entry(entry, self.ref))
            self._touched.update(self._fields)  # show every problem in an existing entry
        else:
            self.load_draft(self._new_draft(kind, day))
        self._initial_notes = self.notes.toPlainText()
        self._loading = False
        self._offer_recovered_draft()
        self.revalidate()

    # -- building

    def _build(self) -> None:
        outer = QVBoxLayout(self)

        self.recovery_bar = QFrame()
        self.recovery_bar.setFrameShape(QFrame.Shape.StyledPanel)
        bar = QHBoxLayout(self.recovery_bar)
        self.recovery_label = QLabel()
        self.recovery_label.setWordWrap(True)
        self.restore_button = QPushButton("Restore")
        self.restore_button.setAccessibleName("Restore unsaved notes")
        self.discard_draft_button = QPushButton("Discard")
        self.discard_draft_button.setAccessibleName("Discard unsaved notes")
        bar.addWidget(self.recovery_label, 1)
        bar.addWidget(self.restore_button)
        bar.addWidget(self.discard_draft_button)
        self.restore_button.clicked.connect(self.restore_draft)
        self.discard_draft_button.clicked.connect(self.discard_recovered_draft)
        self.recovery_bar.hide()
        outer.addWidget(self.recovery_bar)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        self.form = form
        self.messages: dict[str, QLabel] = {}
        self._rows: dict[str, QWidget] = {}

        # activity type: searchable, grouped
        self.type_combo = QComboBox()
        self.type_combo.setEditable(True)
        self.type_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.type_combo.setMaxVisibleItems(20)
        self.type_combo.setAccessibleName("Activity type")
        self.type_combo.lineEdit().setAccessibleName("Activity type")
        self._fill_types()
        completer = QCompleter(self.type_combo.model(), self.type_combo)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.type_combo.setCompleter(completer)
        close_popup_with_focus(self.type_combo, completer)  # the combo holds the focus, not its line
        self.class_label = QLabel()
        type_row = QWidget()
        tl = QHBoxLayout(type_row)
        tl.setContentsMargins(0, 0, 0, 0)
        tl.addWidget(self.type_combo, 1)
        tl.addWidget(self.class_label)
        self._add_row("type", "&Type:", type_row, self.type_combo)

        # CRN, completed from known people
        self.crn_edit = QLineEdit()
        self.crn_edit.setPlaceholderText("e.g. X123456, or type initials")
        self.crn_edit.setAccessibleName("CRN")
        self.crn_edit.setMaxLength(40)
        self.crn_edit.setMinimumWidth(220)
        people = self.diary.people()
        self._names = {p.crn: p.name for p in people}
        self.crn_model = QStringListModel([f"{p.crn}  {p.name}".strip() for p in people], self)
        crn_completer = _CrnCompleter(self.crn_model, self.crn_edit)
        crn_completer.setFilterMode(Qt.MatchFlag.MatchContains)
        crn_completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.crn_edit.setCompleter(crn_completer)
        close_popup_with_focus(self.crn_edit, crn_completer)
        crn_completer.activated[str].connect(self._crn_chosen)
        self.person_label = QLabel()
        self.name_edit = QLineEdit()  # the person's name or initials, kept with the CRN
        self.name_edit.setObjectName("person_name")
        self.name_edit.setAccessibleName("Name or initials")
        self.name_edit.setPlaceholderText("name or initials (optional)")
        self.name_edit.setMaxLength(80)
        crn_row = QWidget()
        cl = QHBoxLayout(crn_row)
        cl.setContentsMargins(0, 0, 0, 0)
        cl.addWidget(self.crn_edit)
        cl.addWidget(self.name_edit, 1)
        self.person_label.hide()  # kept for callers; the name field shows the name
        self._add_row("crn", "&CRN:", crn_row, self.crn_edit)

        # date and whole day
        self.date_edit = DateField(self)
        self.date_edit.setAccessibleName("Date")
        self.all_day_check = QCheckBox("&Whole day")
        self.all_day_check.setAccessibleName("Whole day")
        date_row = QWidget()
        dl = QHBoxLayout(date_row)
        dl.setContentsMargins(0, 0, 0, 0)
        dl.addWidget(self.date_edit)
        dl.addWidget(self.all_day_check)
        dl.addStretch(1)
        self._add_row("start_date", "&Date:", date_row, self.date_edit, extra_keys=("all_day",))

        # times: start and end, or start and duration
        self.start_edit = QLineEdit()
        self.end_edit = QLineEdit()
        self.duration_edit = QLineEdit()
        for edit, name, hint in ((self.start_edit, "Start time", "HH:MM"), (self.end_edit, "End time", "HH:MM"),
                                 (self.duration_edit, "Duration", "45m, 1h30")):
            edit.setAccessibleName(name)
            edit.setPlaceholderText(hint)
            edit.setMaximumWidth(90)
            edit.setMaxLength(12)
        self.length_label = QLabel()
        self.next_day_check = QCheckBox("ends ne&xt day")
        self.next_day_check.setAccessibleName("Ends next day")
        self.next_day_check.setToolTip("Tick when the end time is on the day after the start")
        times = QWidget()
        hl = QHBoxLayout(times)
        hl.setContentsMargins(0, 0, 0, 0)
        hl.addWidget(self.start_edit)
        to_label = QLabel("t&o")
        to_label.setBuddy(self.end_edit)
        hl.addWidget(to_label)
        hl.addWidget(self.end_edit)
        or_label = QLabel("or &for")
        or_label.setBuddy(self.duration_edit)
        hl.addWidget(or_label)
        hl.addWidget(self.duration_edit)
        hl.addWidget(self.next_day_check)
        hl.addWidget(self.length_label)
        hl.addStretch(1)
        self._add_row("times", "&Start:", times, self.start_edit, extra_keys=("start", "end"))

        # outcome and enforcement
        self.outcome_combo = QComboBox()
        self.outcome_combo.setAccessibleName("Outcome")
        self.outcome_combo.addItem("No outcome yet", "")
        for o in self.ref.outcomes.values():
            self.outcome_combo.addItem(f"{o.code} – {o.label}", o.code)
        self._add_row("outcome", "O&utcome:", self.outcome_combo, self.outcome_combo)
        self.enforcement_combo = QComboBox()
        self.enforcement_combo.setAccessibleName("Enforcement action")
        self.enforcement_combo.addItem("None", "")
        for a in self.ref.enforcement.values():
            self.enforcement_combo.addItem(f"{a.code} – {a.label}", a.code)
        self._add_row("enforcement", "E&nforcement:", self.enforcement_combo, self.enforcement_combo)

        # Delius details
        self.location_edit = QLineEdit()
        self.location_edit.setAccessibleName("Location code")
        office = self.diary.settings().office_location
        self.location_edit.setPlaceholderText(f"Delius location code (office: {office})" if office
                                              else "Delius location code, optional")
        self._add_row("location", "&Location:", self.location_edit, self.location_edit)
        self.event_edit = QLineEdit()
        self.event_edit.setAccessibleName("Event number")
        self.event_edit.setPlaceholderText("1-999, or empty for the person")
        self.event_edit.setMaximumWidth(220)
        self._add_row("event", "E&vent:", self.event_edit, self.event_edit)
        self.sensitive_check = QCheckBox("Sens&itive")
        self.alert_check = QCheckBox("&Alert")
        self.rar_check = QCheckBox("&RAR")
        self.rar_check.setToolTip("A Rehabilitation Activity Requirement day")
        flags = QWidget()
        fl = QHBoxLayout(flags)
        fl.setContentsMargins(0, 0, 0, 0)
        for box in (self.sensitive_check, self.alert_check, self.rar_check):
            box.setAccessibleName(box.text().replace("&", ""))
            fl.addWidget(box)
        fl.addStretch(1)
        self._add_row("flags", "Flags:", flags, None)

        # notes
        self.notes = QPlainTextEdit()
        self.notes.setAccessibleName("Notes")
        self.notes.setTabChangesFocus(True)
        self.notes.setPlaceholderText("Notes (kept as a draft while you type)")
        self.notes.setMinimumHeight(110)
        self._add_row("notes", "Not&es:", self.notes, self.notes)
        outer.addLayout(form, 1)

        self.general_message = error_label("general_message")
        outer.addWidget(self.general_message)
        self.warnings_label = QLabel()
        self.warnings_label.setObjectName("warnings")
        self.warnings_label.setWordWrap(True)
        self.warnings_label.setTextFormat(Qt.TextFormat.PlainText)
        self.warnings_label.hide()
        outer.addWidget(self.warnings_label)

        buttons = QHBoxLayout()
        self.why_label = QLabel()
        self.why_label.setObjectName("why_cannot_save")
        self.why_label.setWordWrap(True)
        self.why_label.setTextFormat(Qt.TextFormat.PlainText)
        self.why_label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setAccessibleName("Cancel")
        self.save_button = QPushButton("Save")
        self.save_button.setAccessibleName("Save")
        self.save_button.setDefault(True)
        self.save_button.setAutoDefault(True)
        buttons.addWidget(self.why_label, 1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.save_button)
        outer.addLayout(buttons)
        self.save_button.clicked.connect(self.save)
        self.cancel_button.clicked.connect(self.reject)
        # Ctrl+Enter from any field, even the notes, and the platform's Save key (Ctrl+S), which
        # a practitioner presses by habit in any editor
        for seq in (QKeySequence("Ctrl+Return"), QKeySequence("Ctrl+Enter"), QKeySequence(QKeySequence.StandardKey.Save)):
            QShortcut(seq, self, activated=self.save)

        # every change re-checks
        self.type_combo.currentTextChanged.connect(lambda _t: self._changed("type"))
        self.crn_edit.textChanged.connect(lambda _t: self._changed("crn"))
        self.date_edit.dateChanged.connect(lambda _d: self._loading or self._keep_in_step())  # change days
        self.date_edit.dateChanged.connect(lambda _d: self._changed("start_date"))
        self.date_edit.problemChanged.connect(lambda _t: self._changed("start_date"))
        self.next_day_check.toggled.connect(lambda _b: self._typed("end"))
        self.start_edit.textEdited.connect(lambda _t: self._typed(self._last_typed))
        self.end_edit.textEdited.connect(lambda _t: self._typed("end"))
        self.duration_edit.textEdited.connect(lambda _t: self._typed("duration"))
        self.all_day_check.toggled.connect(lambda _b: self._changed("all_day"))
        self.start_edit.textChanged.connect(lambda _t: self._changed("start"))
        self.end_edit.textChanged.connect(lambda _t: self._changed("end"))
        self.duration_edit.textChanged.connect(lambda _t: self._changed("end"))
        self.outcome_combo.currentIndexChanged.connect(lambda _i: self._changed("outcome"))
        self.enforcement_combo.currentIndexChanged.connect(lambda _i: self._changed("enforcement"))
        self.location_edit.textChanged.connect(lambda _t: self._changed("location"))
        self.event_edit.textChanged.connect(lambda _t: self._changed("event"))
        for box in (self.sensitive_check, self.alert_check, self.rar_check):
            box.toggled.connect(lambda _b: self._changed("flags"))
        self.notes.textChanged.connect(self._notes_changed)
        self._fields = ("type", "crn", "start_date", "all_day", "start", "end", "outcome",
                        "enforcement", "location", "event", "notes")

        self.autosave_timer = QTimer(self)
        self.autosave_timer.setSingleShot(True)
        self.autosave_timer.timeout.connect(self.autosave)
        self.setMinimumWidth(560)
        self.resize(660, 560)  # spare height goes to the notes, so messages never squeeze them

    def _add_row(self, key: str, label: str, field: QWidget, buddy: QWidget | None,
                 extra_keys: tuple[str, ...] = ()) -> None:
        message = error_label(f"{key}_message")
        row = stacked(field, message)
        caption = QLabel(label)
        if buddy is not None:
            caption.setBuddy(buddy)
        self.form.addRow(caption, row)
        self._rows[key] = row
        for k in (key, *extra_keys):
            self.messages[k] = message

    def _fill_types(self) -> None:
        model = QStandardItemModel(self)
        groups: dict[str, list[ActivityType]] = {}
        current = self.entry.type_id if self.entry is not None else None
        for t in self.ref.types.values():
            if t.active or t.id == current:
                groups.setdefault(t.group or "Other", []).append(t)
        bold = QFont()
        bold.setBold(True)
        for group, types in groups.items():
            header = QStandardItem(group)
            header.setFlags(Qt.ItemFlag.NoItemFlags)
            header.setFont(bold)
            header.setAccessibleText(f"Group: {group}")
            model.appendRow(header)
            for t in types:
                item = QStandardItem(t.display)
                item.setData(t.id, TYPE_ROLE)
                item.setToolTip(CLASS_LABELS.get(t.time_class, t.time_class))
                model.appendRow(item)
        self.type_combo.setModel(model)

    # -- reading and writing the fields

    def _new_draft(self, kind: str | None, day: dt.date | None) -> EntryDraft:
        type_text = KIND_DEFAULTS[kind or "appointment"][0]
        try:
            atype = self.ref.find_type(type_text)
        except LookupError:
            atype = next((t for t in self.ref.types.values() if t.active), None)
        today = clock.today_local()
        day = day or today
        draft = EntryDraft(type=(atype.delius_code or atype.label) if atype else "", start_date=day.isoformat())
        draft.location = starting_location(atype.delius_code if atype else None,
                                           self.diary.settings().office_location)
        if atype is not None and atype.time_class == ABSENCE:
            draft.all_day = True
            return draft
        if day == today:
            now = clock.to_local(clock.now_utc())
            start = (now.hour * 60 + now.minute) // 15 * 15
        else:
            start = 9 * 60
        end = min(start + 60, 24 * 60 - 1)
        draft.start_time = f"{start // 60:02d}:{start % 60:02d}"
        draft.end_time = f"{end // 60:02d}:{end % 60:02d}"
        return draft

    def load_draft(self, draft: EntryDraft) -> None:
        loading, self._loading = self._loading, True
        try:
            self._set_type_text(draft.type)
            self.crn_edit.setText(draft.crn)
            day = clock.parse_date(draft.start_date) if draft.start_date else clock.today_local()
            self.date_edit.set_day(day)
            self.name_edit.setText(self._names.get(draft.crn.strip().upper(), ""))
            self._name_for = draft.crn.strip().upper()
            self.all_day_check.setChecked(draft.all_day)
            self.start_edit.setText(draft.start_time)
            self.end_edit.setText(draft.end_time)
            self.duration_edit.setText(draft.duration)
            self.next_day_check.setChecked(bool(draft.end_date) and draft.end_date != draft.start_date)
            self._last_typed = "duration" if draft.duration and not draft.end_time else "end"
            self._keep_in_step()
            self._set_combo(self.outcome_combo, draft.outcome.strip().upper())
            self._set_combo(self.enforcement_combo, draft.enforcement.strip().upper())
            self.location_edit.setText(draft.location)
            self.event_edit.setText(draft.event)
            self.sensitive_check.setChecked(draft.sensitive)
            self.alert_check.setChecked(draft.alert)
            self.rar_check.setChecked(draft.rar)
            with QSignalBlocker(self.notes):
                self.notes.setPlainText(draft.notes)
        finally:
            self._loading = loading
        self.revalidate()

    def _set_type_text(self, text: str) -> None:
        try:
            atype = self.ref.find_type(text)
        except LookupError:
            self.type_combo.setEditText(text)
            return
        for i in range(self.type_combo.count()):
            if self.type_combo.itemData(i, TYPE_ROLE) == atype.id:
                self.type_combo.setCurrentIndex(i)
                self.type_combo.setEditText(self.type_combo.itemText(i))
                return
        self.type_combo.setEditText(atype.display)

    @staticmethod
    def _set_combo(combo: QComboBox, code: str) -> None:
        index = combo.findData(code)
        if index < 0 and code:  # a code the diary lacks: keep it visible so the message makes sense
            combo.addItem(code, code)
            index = combo.count() - 1
        combo.setCurrentIndex(max(index, 0))

    def current_type(self) -> ActivityType | None:
        text = self.type_combo.currentText().strip()
        for i in range(self.type_combo.count()):
            if self.type_combo.itemText(i) == text and self.type_combo.itemData(i, TYPE_ROLE) is not None:
                return self.ref.types[self.type_combo.itemData(i, TYPE_ROLE)]
        try:
            return self.ref.find_type(text)
        except LookupError:
            return None

    def draft(self) -> EntryDraft:
        """The form as text, only the fields this type shows."""
        atype = self.current_type()
        type_text = (atype.delius_code or atype.label) if atype else self.type_combo.currentText()
        visible = self._visibility(atype)
        all_day = self.all_day_check.isChecked() and visible["all_day"]
        start = self.start_edit.text().strip()
        end = self.end_edit.text().strip()
        day = self.date_edit.day()
        duration = self.duration_edit.text().strip()
        if self._last_typed == "duration" and duration:
            end = ""  # the duration was typed last: it decides the end
        end_date = ""
        if end and not all_day and self.next_day_check.isChecked():
            end_date = (day + dt.timedelta(days=1)).isoformat()  # the user said it ends the next day
        return EntryDraft(
            type=type_text,
            crn=self.crn_edit.text() if visible["crn"] else "",
            start_date=day.isoformat(),
            start_time="" if all_day else start,
            end_date=end_date,
            end_time="" if all_day else end,
            duration="" if all_day or end else duration,
            all_day=all_day,
            outcome=(self.outcome_combo.currentData() or "") if visible["outcome"] else "",
            enforcement=(self.enforcement_combo.currentData() or "") if visible["outcome"] else "",
            location=self.location_edit.text() if visible["delius"] else "",
            event=self.event_edit.text() if visible["delius"] else "",
            sensitive=self.sensitive_check.isChecked() and visible["delius"],
            alert=self.alert_check.isChecked() and visible["delius"],
            rar=self.rar_check.isChecked() and visible["delius"],
            notes=self.notes.toPlainText(),
        )

    def _visibility(self, atype: ActivityType | None) -> dict[str, bool]:
        if atype is None:  # half-typed or unknown type: keep the form as it was, so it does not jump
            return getattr(self, "_last_visibility", dict(crn=True, outcome=True, delius=True, all_day=True))
        e = self.entry
        self._last_visibility = dict(
            crn=atype.needs_crn or atype.exportable or bool(e and e.crn),
            outcome=(atype.needs_outcome or self._force_outcome
                     or bool(e and (e.outcome_code or e.enforcement_code))),
            delius=atype.exportable,
            all_day=atype.time_class == ABSENCE,
        )
        return self._last_visibility

    # -- checking

    def _changed(self, key: str) -> None:
        if self._loading:
            return
        self._touched.add(key)
        if key == "type":
            self._touched.discard("crn")  # a new type: a missing CRN is not yet a mistake
            self._start_location()
        self.revalidate()

    def _start_location(self) -> None:
        """A new entry of an office-based type starts at the office (spec: Location), until
        the user types a location of their own."""
        if self.entry is not None or "location" in self._touched:
            return
        atype = self.current_type()
        if atype is None:
            return
        loading, self._loading = self._loading, True
        try:
            self.location_edit.setText(starting_location(atype.delius_code, self.diary.settings().office_location))
        finally:
            self._loading = loading

    def revalidate(self) -> Checked:
        atype = self.current_type()
        visible = self._visibility(atype)
        self.form.setRowVisible(self._rows["crn"], visible["crn"])
        self.form.setRowVisible(self._rows["outcome"], visible["outcome"])
        self.form.setRowVisible(self._rows["enforcement"], visible["outcome"])
        for key in ("location", "event", "flags"):
            self.form.setRowVisible(self._rows[key], visible["delius"])
        self.all_day_check.setVisible(visible["all_day"])
        all_day = visible["all_day"] and self.all_day_check.isChecked()
        self.form.setRowVisible(self._rows["times"], not all_day)
        self.class_label.setText(CLASS_LABELS.get(atype.time_class, "") if atype else "")
        crn = self.crn_edit.text().strip().upper()
        self.person_label.setText(self._names.get(crn, ""))
        if crn != getattr(self, "_name_for", None):  # another person: show their name, if known
            self._name_for = crn
            self.name_edit.setText(self._names.get(crn, ""))
        self.name_edit.setEnabled(bool(self._crn_ok(crn)))

        checked = check_entry(self.draft(), self.ref, clock.now_utc(), base=self.entry)
        if "end" in checked.errors and not self.next_day_check.isChecked() and self._end_before_start():
            checked.errors["end"] = ("The end is before the start. If it ends the next day, tick "
                                     "“ends next day”.")  # never guessed: 15:00 to 14:00 is not 23 hours
        if self.date_edit.problem:  # a date that could not be read is never saved as another
            checked = Checked(None, {**checked.errors, "start_date": self.date_edit.problem}, checked.warnings)
        self._checked = checked
        self.next_day_check.setVisible(self.next_day_check.isChecked() or self._end_before_start())
        shown: dict[QLabel, list[str]] = {label: [] for label in set(self.messages.values())}
        general = []
        for key, message in checked.errors.items():
            label = self.messages.get(key)
            if label is None:
                general.append(message)
            elif key in self._touched or (key == "end" and "start" in self._touched):
                shown[label].append(message)
        for label, texts in shown.items():
            show_message(label, " ".join(texts))
        show_message(self.general_message, " ".join(general))
        self.warnings_label.setText("\n".join(f"⚠ {w}" for w in checked.warnings))
        self.warnings_label.setVisible(bool(checked.warnings))
        if checked.entry is not None and not checked.entry.all_day:
            minutes = checked.entry.minutes
            next_day = clock.to_local(checked.entry.end).date() != clock.to_local(checked.entry.start).date()
            self.length_label.setText(format_duration(minutes) + (", ends next day" if next_day else ""))
        else:
            self.length_label.setText("")
        if checked.ok:
            self.save_button.setEnabled(True)
            self.save_button.setToolTip("Save this entry (Ctrl+Enter or Ctrl+S)")
            self.why_label.setText("")
        else:
            reason = checked.first_error()
            self.save_button.setEnabled(False)
            self.save_button.setToolTip(f"Cannot save: {reason}")
            self.why_label.setText(f"Cannot save: {reason}")
        return checked

    # -- the end and the duration, in step

    def _typed(self, which: str) -> None:
        self._last_typed = which
        self._keep_in_step()
        if not self._loading:
            self._touched.add("end")
            self.revalidate()

    def _start_and_minutes(self):
        try:
            start = clock.parse_time(self.start_edit.text().strip())
        except clock.TimeError:
            return None, None
        start_min = start.hour * 60 + start.minute
        return start_min, start

    def _keep_in_step(self) -> None:
        """Whichever of the end and the duration the user typed last sets the other."""
        from ...core.validation import parse_duration

        start_min, start = self._start_and_minutes()
        if start_min is None:
            return
        # Real elapsed time, as validation counts it: on a clock-change day the wall clock is
        # an hour out (01:30 BST to 02:30 GMT is 2 hours; 00:30 for 1h in March ends at 02:30).
        day = self.date_edit.day()
        try:
            start_at = clock.local_to_utc(dt.datetime.combine(day, start)).instant
        except (clock.TimeError, OverflowError, ValueError):
            start_at = None  # a time that does not exist: validation says so
        if self._last_typed == "duration":
            try:
                minutes = parse_duration(self.duration_edit.text())
            except clock.TimeError:
                return
            end_min = start_min + minutes
            text, next_day = f"{end_min // 60 % 24:02d}:{end_min % 60:02d}", end_min >= 24 * 60
            if start_at is not None:
                end_local = clock.to_local(start_at + dt.timedelta(minutes=minutes))
                text, next_day = f"{end_local:%H:%M}", end_local.date() > day
            with QSignalBlocker(self.end_edit):
                self.end_edit.setText(text)
            with QSignalBlocker(self.next_day_check):
                self.next_day_check.setChecked(next_day)  # a duration past midnight says so
        else:
            try:
                end = clock.parse_time(self.end_edit.text().strip())
            except clock.TimeError:
                return
            minutes = end.hour * 60 + end.minute - start_min
            if self.next_day_check.isChecked():
                minutes += 24 * 60
            if start_at is not None:
                end_day = day + dt.timedelta(days=1) if self.next_day_check.isChecked() else day
                try:
                    end_at = clock.local_to_utc(dt.datetime.combine(end_day, end)).instant
                    minutes = int((end_at - start_at).total_seconds()) // 60
                except (clock.TimeError, OverflowError, ValueError):
                    pass
            with QSignalBlocker(self.duration_edit):
                self.duration_edit.setText(_short_duration(minutes) if minutes > 0 else "")

    def _end_before_start(self) -> bool:
        try:
            return clock.parse_time(self.end_edit.text().strip()) < clock.parse_time(self.start_edit.text().strip())
        except clock.TimeError:
            return False

    @staticmethod
    def _crn_ok(crn: str) -> bool:
        from ...core.model import CRN_PATTERN

        return bool(CRN_PATTERN.match(crn))

    def person_name(self) -> tuple[str, str] | None:
        """(CRN, name) when the user typed a new name or initials for this entry's person."""
        crn = self.crn_edit.text().strip().upper()
        name = self.name_edit.text().strip()
        if not self._crn_ok(crn) or name == self._names.get(crn, ""):
            return None
        if not name and crn not in self._names:
            return None
        return crn, name

    # -- saving, cancelling

    def save(self) -> None:
        self.date_edit.commit()  # a date typed but not yet read is read now
        checked = self.revalidate()
        if not checked.ok:
            self._touched.update(self._fields)
            self.revalidate()
            return
        entry = checked.entry
        if not entry.all_day and entry.minutes > LONG_ENTRY_MINUTES and \
                self._long_confirmed != (entry.start, entry.end):
            if not ask_confirmation(self, f"This entry lasts {format_duration(entry.minutes)}. Save it?",
                                    confirm="Save", detail="Entries over 12 hours are unusual; check the "
                                    "times and the date."):
                return
            self._long_confirmed = (entry.start, entry.end)  # asked once: not again for these times
        self._result = checked.entry
        self.autosave_timer.stop()
        self._discard_draft()
        self.accept()

    def result_entry(self) -> Entry | None:
        """The checked entry (not saved) once the editor was accepted."""
        return self._result

    def notes_typed(self) -> bool:
        return self.notes.toPlainText() != self._initial_notes

    def reject(self) -> None:
        if self.notes_typed() and self.notes.toPlainText().strip():
            if not ask_confirmation(self, "Discard the notes you typed?", confirm="Discard notes",
                                    detail="They have not been saved to the diary."):
                return
        self.autosave_timer.stop()
        if self.notes_typed() or self._draft_saved:
            self._discard_draft()
        super().reject()

    # -- drafts

    def _notes_changed(self) -> None:
        if self._loading:
            return
        self._touched.add("notes")
        self.revalidate()
        if not self.autosave_timer.isActive():
            self.autosave_timer.start(self.AUTOSAVE_MS)

    def autosave(self) -> None:
        data = dataclasses.asdict(self.draft())
        try:
            self.diary.save_draft(self.draft_key, data, self.entry.id if self.entry is not None else None)
        except DiaryError as exc:
            show_message(self.general_message, f"The notes could not be kept as a draft: {exc}")
            return
        self._draft_saved = True

    def _discard_draft(self) -> None:
        try:
            self.diary.discard_draft(self.draft_key)
        except DiaryError:
            pass
        self._draft_saved = False

    def _offer_recovered_draft(self) -> None:
        found = next((d for d in self.diary.drafts() if d["key"] == self.draft_key), None)
        self._recovered = found
        if found is None:
            return
        fields = {f.name for f in dataclasses.fields(EntryDraft)}
        draft = EntryDraft(**{k: v for k, v in found["data"].items() if k in fields})
        if draft.notes == self.notes.toPlainText() and draft == self.draft():
            self._discard_draft()
            return
        saved = clock.to_local(found["saved"])
        self.recovery_label.setText(f"There are unsaved notes for this entry from {short_datetime(saved)}.")
        self.recovery_bar.show()

    def restore_draft(self) -> None:
        if not self._recovered:
            return
        fields = {f.name for f in dataclasses.fields(EntryDraft)}
        draft = EntryDraft(**{k: v for k, v in self._recovered["data"].items() if k in fields})
        self.load_draft(draft)
        self._initial_notes = ""  # restored notes are unsaved work: Esc asks before losing them
        self._touched.update(self._fields)
        self._draft_saved = True
        self.recovery_bar.hide()
        self.revalidate()

    def discard_recovered_draft(self) -> None:
        self._discard_draft()
        self._recovered = None
        self.recovery_bar.hide()

    # -- focus

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self.initial_focus is not None:
            QTimer.singleShot(0, lambda: self._focus_visibly(self.initial_focus))
        elif not self._shown_once:
            QTimer.singleShot(0, self._focus_first_field)
        self._shown_once = True

    def _focus_first_field(self) -> None:
        """The type, never the default button (New admin time opened with the focus on Save);
        a field the user (or a restored editor) is already in keeps it."""
        current = self.focusWidget()
        self._focus_visibly(self.type_combo if current is None or isinstance(current, QAbstractButton)
                            else current)

    def _focus_visibly(self, widget: QWidget) -> None:
        """Focus drawn from the start (ui/focus.py: the outcome box had the focus and showed
        no frame until Tab was pressed)."""
        widget.setFocus()
        focus.mark(self)

    def _crn_chosen(self, text: str) -> None:
        self.crn_edit.setText(text.split()[0] if text.split() else text)

    # -- prepared editors

    @classmethod
    def arrange_another(cls, diary: Diary, entry: Entry, parent: QWidget | None = None) -> "EntryEditor":
        """A new entry like this one a week later: same type, CRN, times, location and event;
        no outcome, no notes. The date is focused."""
        ref = diary.reference()
        draft = EntryDraft.from_entry(entry, ref)
        later = clock.to_local(entry.start).date() + dt.timedelta(days=7)
        copy = dataclasses.replace(
            draft, start_date=later.isoformat(), end_date="", outcome="", enforcement="", notes="",
            sensitive=False, alert=False, rar=False)
        editor = cls(diary, parent=parent)
        editor.setWindowTitle("Arrange another")
        editor._loading = True
        editor.load_draft(copy)
        editor._initial_notes = ""
        editor._loading = False
        editor._touched.update(editor._fields)
        editor.revalidate()
        editor.initial_focus = editor.date_edit
        editor.date_edit.setFocus()
        return editor

    @classmethod
    def record_outcome(cls, diary: Diary, entry: Entry, parent: QWidget | None = None) -> "EntryEditor":
        editor = cls(diary, entry=entry, parent=parent)
        editor.setWindowTitle(f"Record outcome – {entry.ref}")
        editor._force_outcome = True
        editor.revalidate()
        editor.initial_focus = editor.outcome_combo
        editor.outcome_combo.setFocus()
        return editor


def _short_duration(minutes: int) -> str:
    """As the "or for" field shows it: 20m, 1h, 1h30."""
    hours, mins = divmod(minutes, 60)
    if not hours:
        return f"{mins}m"
    return f"{hours}h{mins:02d}" if mins else f"{hours}h"
