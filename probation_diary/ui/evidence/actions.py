"""Reports menu: weekly report, trends, caseload spread, team figures, anonymised export
(issue 7). `install(window)` follows the main-window contract in docs/HELPERS.md."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence

from .. import dialogs

if TYPE_CHECKING:  # the report, the charts and the PDF writer load when an action is used
    from .report import ReportDialog
    from .window import EvidenceWindow


def _tab(name: str) -> int:
    """EvidenceWindow's tab index TRENDS, CASELOAD or TEAM (imports the window module)."""
    from . import window

    return getattr(window, name)


class EvidenceActions:
    def __init__(self, window):
        self.window = window
        self.evidence_window: EvidenceWindow | None = None
        menu = window.menus["reports"]
        menu.addSeparator()
        self.report_action = self._add(menu, "&Weekly report…", "weeklyReportAction", self.weekly_report,
                                       "A one-page report of the week: print it or save it as PDF",
                                       QKeySequence.StandardKey.Print)
        self.trends_action = self._add(menu, "&Trends…", "trendsAction", lambda: self.show(_tab("TRENDS")),
                                       "The last 4, 12 or 52 weeks, with averages and medians")
        self.caseload_action = self._add(menu, "&Caseload spread…", "caseloadAction", lambda: self.show(_tab("CASELOAD")),
                                         "Time per person, and who has not been seen face to face")
        self.team_action = self._add(menu, "Te&am figures…", "teamAction", lambda: self.show(_tab("TEAM")),
                                     "Pool colleagues' anonymised figures")
        menu.addSeparator()
        self.export_action = self._add(menu, "&Export anonymised figures…", "exportFiguresAction",
                                       self.export, "Weekly totals only: no CRN, name or note")

    def _add(self, menu, text, name, slot, tip, shortcut=None) -> QAction:
        action = QAction(text, self.window)
        action.setObjectName(name)
        action.setStatusTip(tip)
        if shortcut is not None:
            action.setShortcut(shortcut)
        action.triggered.connect(lambda *_: slot())
        menu.addAction(action)
        return action

    def weekly_report(self) -> ReportDialog:
        from .report import ReportDialog

        dialog = ReportDialog(self.window.diary, self.window.current_week(), self.window)
        dialogs.exec_dialog(dialog)
        return dialog

    def show(self, tab: int) -> EvidenceWindow:
        from .window import EvidenceWindow

        if self.evidence_window is None:
            self.evidence_window = EvidenceWindow(self.window.diary, self.window)
        self.evidence_window.show_tab(tab)
        return self.evidence_window

    def export(self):
        from .export import export_figures

        return export_figures(self.window, self.window.diary)


def install(window) -> EvidenceActions:
    window.evidence_actions = EvidenceActions(window)
    return window.evidence_actions
