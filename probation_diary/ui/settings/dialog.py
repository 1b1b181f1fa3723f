"""Settings: the practitioner's codes, hours and working days, and the reference data
(activity types, outcomes, enforcement actions).

Every check is the diary's own (``parse_setting``, ``save_activity_type``...): the dialog shows
their messages beside the field and never decides anything itself.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QComboBox, QDialog, QFormLayout, QHBoxLayout, QHeaderView,
    QLabel, QLineEdit, QPushButton, QTableWidget, QTableWidgetItem, QTabWidget, QVBoxLayout,
    QWidget,
)

from ...core.model import (
    CLASS_LABELS, SETTING_KEYS, TIME_CLASSES, WEEKDAY_NAMES, ActivityType, EnforcementAction,
    Outcome, SettingError, Settings, describe_day_shares, parse_setting,
)
from ...store.diary import Diary, DiaryError
from ..entry.editor import ask_confirmation, error_label, show_message
from .. import focus

SETTING_LABELS = {
    "provider_code": "Provider code",
    "team_code": "Team code",
    "staff_code": "Staff code",
    "office_location": "Office location code",
    "contracted_hours": "Contracted hours",
    "working_days": "Working days",
    "bank_holidays": "Bank holidays",
    "reminder": "Reminder",
}
MNEMONIC_LABELS = {
    "provider_code": "&Provider code:",
    "team_code": "&Team code:",
    "staff_code": "Sta&ff code:",
    "office_location": "&Office location code:",
    "contracted_hours": "Contracted &hours:",
    "working_days": "&Working days:",
    "bank_holidays": "&Bank holidays:",
    "reminder": "&Reminder:",
}
OUTCOME_KINDS = ("attended", "not_attended", "acceptable_absence", "rescheduled")


def plain(message: str) -> str:
    """The diary's message, with setting keys as the words on the form, as a sentence."""
    text = str(message).strip()
    for key, label in SETTING_LABELS.items():
        text = text.replace(key, label)
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."


class PractitionerForm(QWidget):
    """Codes, contracted hours, working days and bank holidays, with inline messages.
    Shared by the settings dialog and the first-run screen."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.edits: dict[str, QLineEdit] = {}
        self.messages: dict[str, QLabel] = {}
        hints = {
            "provider_code": ("e.g. N07", 3),
            "team_code": ("e.g. N07T01", 6),
            "staff_code": ("e.g. N07A123", 7),
            "office_location": ("e.g. N07HO1", 7),
            "contracted_hours": ("37", 6),
        }
        for key, (hint, _width) in hints.items():
            edit = QLineEdit()
            edit.setPlaceholderText(hint)
            edit.setAccessibleName(SETTING_LABELS[key])
            edit.setMinimumWidth(160)
            edit.setMaximumWidth(220)
            edit.setMaxLength(20)
            edit.textChanged.connect(lambda _t, k=key: self._check(k))
            self.edits[key] = edit
            self._row(form, key, MNEMONIC_LABELS[key], edit, edit)
        self.hours_note = QLabel()
        self.day_checks: list[QCheckBox] = []
        days = QWidget()
        dl = QHBoxLayout(days)
        dl.setContentsMargins(0, 0, 0, 0)
        for name in WEEKDAY_NAMES:
            box = QCheckBox(name)
            box.setAccessibleName(f"Works on {name}")
            box.toggled.connect(lambda _b: self._check("working_days"))
            self.day_checks.append(box)
            dl.addWidget(box)
        self._row(form, "working_days", MNEMONIC_LABELS["working_days"], days, self.day_checks[0])
        self.bank_holidays = QCheckBox("Count bank holidays in England and Wales as days off")
        self.bank_holidays.setAccessibleName("Bank holidays")
        self.bank_holidays.toggled.connect(lambda _b: self._check("bank_holidays"))
        self._row(form, "bank_holidays", MNEMONIC_LABELS["bank_holidays"], self.bank_holidays, self.bank_holidays)
        # the reminder to log: an off switch and a time
        self.reminder_check = QCheckBox("Remind me to log at")
        self.reminder_check.setAccessibleName("Remind me to log")
        self.reminder_time = QLineEdit()
        self.reminder_time.setAccessibleName("Reminder time")
        self.reminder_time.setPlaceholderText("16:30")
        self.reminder_time.setMaximumWidth(70)
        self.reminder_time.setMaxLength(5)
        reminder = QWidget()
        rl = QHBoxLayout(reminder)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(self.reminder_check)
        rl.addWidget(self.reminder_time)
        rl.addWidget(QLabel("on working days, if today has unlogged time"))
        rl.addStretch(1)
        self.reminder_check.toggled.connect(lambda _b: self._check("reminder"))
        self.reminder_check.toggled.connect(self.reminder_time.setEnabled)
        self.reminder_time.textChanged.connect(lambda _t: self._check("reminder"))
        self._row(form, "reminder", MNEMONIC_LABELS["reminder"], reminder, self.reminder_check)
        self.day_share = QLabel()
        self.day_share.setObjectName("day_share")
        form.addRow("", self.day_share)

    def _row(self, form: QFormLayout, key: str, label: str, field: QWidget, buddy: QWidget) -> None:
        message = error_label(f"{key}_message")
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(field, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(message)
        caption = QLabel(label)
        caption.setBuddy(buddy)
        form.addRow(caption, box)
        self.messages[key] = message

    def load(self, settings: Settings) -> None:
        strings = settings.to_strings()
        for key, edit in self.edits.items():
            edit.setText(strings[key])
        for i, box in enumerate(self.day_checks):
            box.setChecked(i in settings.working_days)
        self.bank_holidays.setChecked(settings.bank_holidays)
        self.reminder_check.setChecked(settings.reminder is not None)
        self.reminder_time.setEnabled(settings.reminder is not None)
        self.reminder_time.setText(f"{settings.reminder or dt.time(16, 30):%H:%M}")
        for key in SETTING_KEYS:
            self._check(key)

    def values(self) -> dict[str, str]:
        values = {key: edit.text().strip() for key, edit in self.edits.items()}
        values["working_days"] = ",".join(n for n, box in zip(WEEKDAY_NAMES, self.day_checks) if box.isChecked())
        values["bank_holidays"] = "on" if self.bank_holidays.isChecked() else "off"
        values["reminder"] = self.reminder_time.text().strip() if self.reminder_check.isChecked() else "off"
        return values

    def errors(self) -> dict[str, str]:
        found = {}
        for key, value in self.values().items():
            try:
                parse_setting(key, value)
            except SettingError as exc:
                found[key] = plain(str(exc))
        return found

    def _check(self, key: str) -> None:
        errors = self.errors()
        show_message(self.messages[key], errors.get(key, ""))
        if "contracted_hours" not in errors and "working_days" not in errors:
            values = self.values()
            s = Settings(contracted_hours=parse_setting("contracted_hours", values["contracted_hours"]),
                         working_days=parse_setting("working_days", values["working_days"]))
            self.day_share.setText(f"A working day is {describe_day_shares(s)} "
                                   f"of your {values['contracted_hours']} hours.")
        else:
            self.day_share.setText("")
        self.changed.emit()

    def show_error(self, message: str) -> None:
        """A message from the diary: shown beside the setting it names, if any."""
        for key, label in SETTING_LABELS.items():
            if message.startswith(label) or message.startswith(key):
                show_message(self.messages[key], plain(message))
                return
        show_message(self.messages["contracted_hours"], plain(message))


class _RefTable(QTableWidget):
    def __init__(self, headers: list[str], name: str):
        super().__init__(0, len(headers))
        self.setHorizontalHeaderLabels(headers)
        self.setAccessibleName(name)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.verticalHeader().hide()
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.horizontalHeader().setSectionResizeMode(1 if headers[0] == "Code" else 0, QHeaderView.ResizeMode.Stretch)
        self.setAlternatingRowColors(True)
        self.setTabKeyNavigation(False)
        self.setWordWrap(False)

    def fill(self, rows: list[list[str]], keys: list) -> None:
        self.setRowCount(len(rows))
        for r, (row, key) in enumerate(zip(rows, keys)):
            for c, text in enumerate(row):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, key)
                self.setItem(r, c, item)

    def selected_key(self):
        rows = self.selectionModel().selectedRows()
        return self.item(rows[0].row(), 0).data(Qt.ItemDataRole.UserRole) if rows else None

    def select_key(self, key) -> None:
        for r in range(self.rowCount()):
            if self.item(r, 0).data(Qt.ItemDataRole.UserRole) == key:
                self.selectRow(r)
                self.scrollToItem(self.item(r, 0))
                return


def _yn(flag: bool) -> str:
    return "Yes" if flag else ""


class ReferencePage(QWidget):
    """One editor for a reference table (activity types, outcomes, enforcement actions): the
    table above, a form below, New and Save. A page says what its table holds and how a row
    is shown, read from the form and saved; everything else is here, once."""

    noun = "item"  # "type": New type, Save type
    headers: list[str] = []
    title = ""

    def __init__(self, diary: Diary, parent: QWidget | None = None):
        super().__init__(parent)
        self.diary = diary
        self.table = _RefTable(self.headers, self.title)
        self.message = error_label(f"{self.noun.split()[0]}_message")
        self.status = QLabel()
        self.status.setObjectName(f"{self.noun.split()[0]}_status")
        self.save_button = QPushButton(f"&Save {self.noun}")
        self.new_button = QPushButton(f"&New {self.noun}")
        self.form = QFormLayout()
        self.build_form(self.form)
        for row in range(self.form.rowCount()):
            item = self.form.itemAt(row, QFormLayout.ItemRole.LabelRole)
            field = self.form.itemAt(row, QFormLayout.ItemRole.FieldRole)
            if item and isinstance(item.widget(), QLabel) and field and field.widget():
                item.widget().setBuddy(field.widget())
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(self.form)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.table.itemSelectionChanged.connect(self._selected)
        self.save_button.clicked.connect(self.save)
        self.new_button.clicked.connect(self.new)
        self.reload()

    # -- what a page provides

    def build_form(self, form: QFormLayout) -> None:
        raise NotImplementedError

    def rows(self) -> tuple[list[list[str]], list]:
        """The table's rows (cell texts) and their keys."""
        raise NotImplementedError

    def clear_form(self) -> QWidget:
        """Empty the form for a new row; returns the field to start typing in."""
        raise NotImplementedError

    def show_row(self, key) -> str:
        """Fill the form from the row with this key; returns its name for the status line."""
        raise NotImplementedError

    def save_form(self):
        """Save what the form holds (DiaryError if it cannot); returns (key, name)."""
        raise NotImplementedError

    # -- the same for every page

    def reload(self, select=None) -> None:
        rows, keys = self.rows()
        self.table.fill(rows, keys)
        if select:
            self.table.select_key(select)

    def new(self) -> None:
        self.table.clearSelection()
        first = self.clear_form()
        show_message(self.message, "")
        self.status.setText(f"New {self.noun}")
        first.setFocus()

    def _selected(self) -> None:
        key = self.table.selected_key()
        if key is None:
            return
        name = self.show_row(key)
        show_message(self.message, "")
        self.status.setText(f"Editing {name}")

    def save(self) -> bool:
        try:
            key, name = self.save_form()
        except DiaryError as exc:
            show_message(self.message, plain(str(exc)))
            self.status.setText("Not saved")
            return False
        show_message(self.message, "")
        self.reload(select=key)
        self.status.setText(f"Saved {name}")
        return True


class ActivityTypesPage(ReferencePage):
    noun = "type"
    headers = ["Label", "Code", "Time class", "CRN", "Outcome", "Group", "In use"]
    title = "Activity types"

    def __init__(self, diary: Diary, parent: QWidget | None = None):
        super().__init__(diary, parent)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(5, QHeaderView.ResizeMode.Interactive)
        self.table.setColumnWidth(5, 170)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        self.table.horizontalHeaderItem(3).setToolTip("Needs a CRN")
        self.table.horizontalHeaderItem(4).setToolTip("Needs an outcome")
        self.new()

    def build_form(self, form: QFormLayout) -> None:
        self.editing_id = 0
        self.label_edit = QLineEdit()
        self.label_edit.setAccessibleName("Type label")
        self.code_edit = QLineEdit()
        self.code_edit.setAccessibleName("Delius code")
        self.code_edit.setPlaceholderText("empty: diary-only time, not exported")
        self.class_combo = QComboBox()
        self.class_combo.setAccessibleName("Time class")
        for c in TIME_CLASSES:
            self.class_combo.addItem(CLASS_LABELS[c], c)
        self.needs_crn = QCheckBox("Needs a C&RN")
        self.needs_outcome = QCheckBox("Needs an &outcome (an appointment)")
        self.active = QCheckBox("&In use (offered when logging)")
        self.group_combo = QComboBox()
        self.group_combo.setEditable(True)
        self.group_combo.setAccessibleName("Group")
        form.addRow("&Label:", self.label_edit)
        form.addRow("Delius &code:", self.code_edit)
        form.addRow("&Time class:", self.class_combo)
        form.addRow("&Group:", self.group_combo)
        flags = QHBoxLayout()
        for w in (self.needs_crn, self.needs_outcome, self.active):
            w.setAccessibleName(w.text().replace("&", ""))
            flags.addWidget(w)
        flags.addStretch(1)
        form.addRow("", flags)

    def rows(self):
        types = list(self.diary.reference().types.values())
        groups = sorted({t.group for t in types if t.group})
        current = self.group_combo.currentText()
        self.group_combo.clear()
        self.group_combo.addItems(groups)
        self.group_combo.setEditText(current)
        return ([[t.label, t.delius_code or "", CLASS_LABELS.get(t.time_class, t.time_class),
                  _yn(t.needs_crn), _yn(t.needs_outcome), t.group, _yn(t.active)] for t in types],
                [t.id for t in types])

    def clear_form(self) -> QWidget:
        self.editing_id = 0
        self.label_edit.clear()
        self.code_edit.clear()
        self.class_combo.setCurrentIndex(self.class_combo.findData("admin"))
        self.group_combo.setEditText("")
        self.needs_crn.setChecked(False)
        self.needs_outcome.setChecked(False)
        self.active.setChecked(True)
        return self.label_edit

    def show_row(self, type_id) -> str:
        t = self.diary.reference().types[type_id]
        self.editing_id = t.id
        self.label_edit.setText(t.label)
        self.code_edit.setText(t.delius_code or "")
        self.class_combo.setCurrentIndex(self.class_combo.findData(t.time_class))
        self.group_combo.setEditText(t.group)
        self.needs_crn.setChecked(t.needs_crn)
        self.needs_outcome.setChecked(t.needs_outcome)
        self.active.setChecked(t.active)
        return f"'{t.label}'"

    def save_form(self):
        atype = ActivityType(
            id=self.editing_id, label=self.label_edit.text(), time_class=self.class_combo.currentData(),
            delius_code=self.code_edit.text().strip() or None, needs_crn=self.needs_crn.isChecked(),
            needs_outcome=self.needs_outcome.isChecked(), group=self.group_combo.currentText(),
            active=self.active.isChecked())
        saved = self.diary.save_activity_type(atype)
        return saved.id, f"'{saved.label}'"


class OutcomesPage(ReferencePage):
    noun = "outcome"
    headers = ["Code", "Label", "Attended", "Complied", "Kind"]
    title = "Outcomes"

    def build_form(self, form: QFormLayout) -> None:
        self.code_edit = QLineEdit()
        self.code_edit.setAccessibleName("Outcome code")
        self.label_edit = QLineEdit()
        self.label_edit.setAccessibleName("Outcome label")
        self.attended = QCheckBox("The person a&ttended (counts as contact)")
        self.attended.setAccessibleName("Attended")
        self.complied = QComboBox()
        self.complied.setAccessibleName("Complied")
        for text, value in (("Not applicable", None), ("Yes", True), ("No", False)):
            self.complied.addItem(text, value)
        self.kind = QComboBox()
        self.kind.setAccessibleName("Kind")
        for k in OUTCOME_KINDS:
            self.kind.addItem(k.replace("_", " ").capitalize(), k)
        form.addRow("&Code:", self.code_edit)
        form.addRow("&Label:", self.label_edit)
        form.addRow("", self.attended)
        form.addRow("Co&mplied:", self.complied)
        form.addRow("&Kind:", self.kind)

    def rows(self):
        outcomes = list(self.diary.reference().outcomes.values())
        return ([[o.code, o.label, _yn(o.attended), {True: "Yes", False: "No", None: "–"}[o.complied],
                  o.kind.replace("_", " ")] for o in outcomes], [o.code for o in outcomes])

    def clear_form(self) -> QWidget:
        for w in (self.code_edit, self.label_edit):
            w.clear()
        self.code_edit.setReadOnly(False)
        self.attended.setChecked(False)
        self.complied.setCurrentIndex(0)
        self.kind.setCurrentIndex(self.kind.findData("not_attended"))
        return self.code_edit

    def show_row(self, code) -> str:
        o = self.diary.reference().outcomes[code]
        self.code_edit.setText(o.code)
        self.code_edit.setReadOnly(True)  # the code is the key; entries refer to it
        self.label_edit.setText(o.label)
        self.attended.setChecked(o.attended)
        self.complied.setCurrentIndex(self.complied.findData(o.complied) if o.complied is not None else 0)
        self.kind.setCurrentIndex(max(0, self.kind.findData(o.kind)))
        return o.code

    def save_form(self):
        outcome = Outcome(self.code_edit.text(), self.label_edit.text(), self.attended.isChecked(),
                          self.complied.currentData(), self.kind.currentData())
        self.diary.save_outcome(outcome)
        code = outcome.code.strip().upper()
        return code, code


class EnforcementPage(ReferencePage):
    noun = "action"
    headers = ["Code", "Label"]
    title = "Enforcement actions"

    def build_form(self, form: QFormLayout) -> None:
        self.code_edit = QLineEdit()
        self.code_edit.setAccessibleName("Enforcement action code")
        self.label_edit = QLineEdit()
        self.label_edit.setAccessibleName("Enforcement action label")
        form.addRow("&Code:", self.code_edit)
        form.addRow("&Label:", self.label_edit)

    def rows(self):
        actions = list(self.diary.reference().enforcement.values())
        return [[a.code, a.label] for a in actions], [a.code for a in actions]

    def clear_form(self) -> QWidget:
        self.code_edit.clear()
        self.code_edit.setReadOnly(False)
        self.label_edit.clear()
        return self.code_edit

    def show_row(self, code) -> str:
        a = self.diary.reference().enforcement[code]
        self.code_edit.setText(a.code)
        self.code_edit.setReadOnly(True)
        self.label_edit.setText(a.label)
        return a.code

    def save_form(self):
        action = EnforcementAction(self.code_edit.text(), self.label_edit.text())
        self.diary.save_enforcement_action(action)
        code = action.code.strip().upper()
        return code, code


class SettingsDialog(QDialog):
    def __init__(self, diary: Diary, parent: QWidget | None = None):
        super().__init__(parent)
        self.diary = diary
        self.setWindowTitle("Settings")
        self.setAccessibleName("Settings")
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Settings pages")
        self.practitioner = PractitionerForm()
        self.practitioner.load(diary.settings())
        you = QWidget()
        you_layout = QVBoxLayout(you)
        intro = QLabel("Your codes go into Delius exports. Contracted hours and working days set the "
                       "expected time in each week's summary.")
        intro.setWordWrap(True)
        you_layout.addWidget(intro)
        you_layout.addWidget(self.practitioner)
        you_layout.addStretch(1)
        self.types_page = ActivityTypesPage(diary)
        self.outcomes_page = OutcomesPage(diary)
        self.enforcement_page = EnforcementPage(diary)
        self.tabs.addTab(you, "&You and your hours")
        self.tabs.addTab(self.types_page, "&Activity types")
        self.tabs.addTab(self.outcomes_page, "O&utcomes")
        self.tabs.addTab(self.enforcement_page, "&Enforcement actions")

        self.message = error_label("settings_message")
        self.save_button = QPushButton("Save settings")
        self.save_button.setAccessibleName("Save settings")
        self.save_button.setDefault(True)
        self.close_button = QPushButton("Close")
        self.close_button.setAccessibleName("Close")
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.save_button.clicked.connect(self.save)
        self.close_button.clicked.connect(self.reject)
        self.practitioner.changed.connect(self._update_save)
        self.tabs.currentChanged.connect(lambda _i: self._update_save())
        self._update_save()
        self.resize(900, 620)
        focus.keep_focus_shown(self)

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        # The focus in the first field, and drawn: it sat on the tab bar with no focus frame.
        QTimer.singleShot(0, self._focus_first_field)

    def _focus_first_field(self) -> None:
        if self.tabs.currentIndex() == 0:
            self.practitioner.edits["provider_code"].setFocus()
        focus.mark(self)  # after the focus is set, which clears the mark

    def _update_save(self) -> None:
        errors = self.practitioner.errors()
        self.save_button.setEnabled(not errors)
        self.save_button.setToolTip(f"Cannot save: {next(iter(errors.values()))}" if errors else "")
        self.save_button.setVisible(self.tabs.currentIndex() == 0)

    def reject(self) -> None:
        saved = self.diary.settings().to_strings()
        changed = any(saved[k] != v
                      for k, v in self._comparable(self.practitioner.values()).items())
        if changed and not ask_confirmation(self, "Close without saving your settings?",
                                            confirm="Close without saving"):
            return
        super().reject()

    @staticmethod
    def _comparable(values: dict[str, str]) -> dict[str, str]:
        """Typed values in the diary's own spelling, so '37.0' and '37' compare equal."""
        out = {}
        for key, value in values.items():
            try:
                out[key] = Settings(**{key: parse_setting(key, value)}).to_strings()[key]
            except SettingError:
                out[key] = value
        return out

    def save(self) -> bool:
        try:
            self.diary.set_settings(self.practitioner.values())
        except (SettingError, DiaryError) as exc:
            show_message(self.message, plain(str(exc)))
            return False
        show_message(self.message, "")
        self.accept()
        return True
