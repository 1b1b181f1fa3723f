"""The team view: pool colleagues' anonymised figures files. Each file is checked; a
practitioner's week imported again replaces the earlier figures."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QFileDialog, QHBoxLayout, QHeaderView, QLabel, QListWidget, QPushButton, QTableView,
    QVBoxLayout, QWidget,
)

from ..dates import short_date
from ...core import evidence
from ...core.clock import format_minutes
from ...core.timesplit import share_percent
from ...formats import figures
from .. import dialogs
from ..rowsmodel import RowsModel

HEADERS = ("Week", "Practitioners", "Counted", "Team face to face", "Median", "Min", "Lower quartile",
           "Upper quartile", "Max", "Extra hours")
FIGURES_FILTER = "Weekly figures (*.csv *.json);;All files (*)"


def choose_open_files(parent, caption: str) -> list[str]:
    """Several files at once (tests patch this)."""
    paths, _ = QFileDialog.getOpenFileNames(parent, caption, dialogs.start_path(), FIGURES_FILTER)
    if paths:
        dialogs.remember_folder(paths[0])
    return list(paths)


def _pct(v) -> str:
    return "–" if v is None else share_percent(v)


class TeamTableModel(RowsModel):
    headers = HEADERS
    right_aligned = frozenset(range(1, len(HEADERS)))

    @property
    def weeks(self) -> list[evidence.TeamWeek]:
        return self.rows

    def set_team(self, team: evidence.Team) -> None:
        self.set_rows(team.weeks())

    def cells(self, w: evidence.TeamWeek) -> tuple:
        q = w.quantiles() or (None,) * 5
        return (short_date(w.week_start), str(w.practitioners), str(w.counted), _pct(w.team_share),
                _pct(q[2]), _pct(q[0]), _pct(q[1]), _pct(q[3]), _pct(q[4]),
                format_minutes(w.extra_minutes))


class TeamView(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("teamView")
        self.team = evidence.Team()
        self.add_button = QPushButton("Add figures files…", self)
        self.add_button.clicked.connect(self.choose_files)
        self.export_button = QPushButton("Export team table (CSV)…", self)
        self.export_button.clicked.connect(self.export_csv)
        self.clear_button = QPushButton("Clear", self)
        self.clear_button.clicked.connect(self.clear)
        bar = QHBoxLayout()
        bar.addWidget(self.add_button)
        bar.addWidget(self.export_button)
        bar.addWidget(self.clear_button)
        bar.addStretch(1)
        self.status = QLabel("Add colleagues' anonymised figures files (.csv or .json).", self)
        self.status.setObjectName("teamStatus")
        self.status.setWordWrap(True)
        self.messages = QListWidget(self)
        self.messages.setObjectName("teamMessages")
        self.messages.setMaximumHeight(110)
        self.model = TeamTableModel(self)
        self.table = QTableView(self)
        self.table.setObjectName("teamTable")
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.status)
        layout.addWidget(self.messages)
        layout.addWidget(self.table, 1)
        self._update()

    def choose_files(self) -> None:
        paths = choose_open_files(self, "Add weekly figures files")
        if paths:
            self.add_files(paths)

    def add_files(self, paths) -> list[str]:
        """Import each file; a bad file is reported and skipped. Returns the error messages."""
        errors = []
        for path in paths:
            before = len(self.team.replaced)
            try:
                count = figures.add_file(self.team, path)
            except evidence.EvidenceError as exc:
                errors.append(str(exc))
                self.messages.addItem(f"Not imported: {exc}")
                continue
            name = str(path).replace("\\", "/").rsplit("/", 1)[-1]
            replaced = len(self.team.replaced) - before
            self.messages.addItem(f"Imported {count} week(s) from {name}"
                                  + (f"; {replaced} replace earlier figures" if replaced else ""))
        self._update()
        self.messages.scrollToBottom()
        return errors

    def clear(self) -> None:
        self.team = evidence.Team()
        self.messages.clear()
        self._update()

    def _update(self) -> None:
        self.model.set_team(self.team)
        labels = self.team.labels
        self.export_button.setEnabled(bool(labels))
        if labels:
            self.status.setText(f"{len(labels)} practitioner(s): {', '.join(labels)}. Weeks of mostly absence "
                                "are listed but not counted in the shares.")

    def export_csv(self) -> bool:
        path = dialogs.choose_save_file(self, "Export team table", "team-figures.csv", "CSV files (*.csv)")
        if not path:
            return False
        try:
            figures.write_team_csv(self.team, path)
        except OSError as exc:
            dialogs.show_error(self, f"Cannot save the team table: {exc.strerror or exc}.")
            return False
        return True
