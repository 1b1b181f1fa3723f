"""The anonymised figures export: a few pseudonymous details, then a file the user chooses."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QSpinBox, QVBoxLayout,
)

from ...core import clock, evidence
from ...core.clock import Week
from ...formats import figures as figures_file
from .. import dialogs


class ExportFiguresDialog(QDialog):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Export anonymised figures")
        self.setObjectName("exportFiguresDialog")
        self.weeks = QSpinBox(self)
        self.weeks.setRange(1, 520)
        self.weeks.setValue(12)
        self.label = QLineEdit(self)
        self.label.setPlaceholderText("e.g. PO-3 (not your name)")
        self.label.setMaxLength(40)
        self.grade = QComboBox(self)
        self.grade.addItem("(not given)", "")
        for g in evidence.GRADES:
            self.grade.addItem(g, g)
        self.team = QLineEdit(self)
        self.team.setMaxLength(12)
        form = QFormLayout()
        form.addRow("Weeks (ending last week)", self.weeks)
        form.addRow("Your label", self.label)
        form.addRow("Grade", self.grade)
        form.addRow("Team code", self.team)
        note = QLabel("The file has weekly totals only: no CRN, name, note or entry time.", self)
        note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(buttons)

    def practitioner(self) -> evidence.Practitioner:
        return evidence.Practitioner(self.label.text(), self.grade.currentData(), self.team.text())


def export_figures(parent, diary) -> str | None:
    """Ask for the details and a file, then write it. Returns the path written, or None."""
    dialog = ExportFiguresDialog(parent)
    if dialogs.exec_dialog(dialog) != QDialog.DialogCode.Accepted:
        return None
    try:
        who = dialog.practitioner().checked()
    except evidence.EvidenceError as exc:
        dialogs.show_error(parent, f"{exc}.")
        return None
    path = dialogs.choose_save_file(parent, "Export anonymised figures", "weekly-figures.csv",
                                    "CSV files (*.csv);;JSON files (*.json)")
    if not path:
        return None
    last = Week.containing(clock.today_local()).previous()
    try:
        figures = evidence.diary_figures(diary, dialog.weeks.value(), last=last)
        figures_file.write_figures(path, figures, who)
    except evidence.EvidenceError as exc:
        dialogs.show_error(parent, f"{exc}.")
        return None
    except OSError as exc:
        dialogs.show_error(parent, f"Cannot save the figures: {exc.strerror or exc}.")
        return None
    dialogs.show_info(parent, f"Saved {len(figures)} weeks of anonymised figures.")
    return path
