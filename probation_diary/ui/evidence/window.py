"""The Evidence window: trends, caseload spread and team figures, as tabs."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from .caseload import CaseloadView
from .team import TeamView
from .trends import TrendsView

TRENDS, CASELOAD, TEAM = range(3)


class EvidenceWindow(QWidget):
    """A separate window (not modal). It refreshes when the diary changes, if it is showing."""

    def __init__(self, diary, parent=None):
        super().__init__(parent, Qt.WindowType.Window)
        self.diary = diary
        self.setObjectName("evidenceWindow")
        self.setWindowTitle("Evidence over time")
        self.tabs = QTabWidget(self)
        self.tabs.setAccessibleName("Evidence views")
        self.trends = TrendsView(diary, self)
        self.caseload = CaseloadView(diary, self)
        self.team = TeamView(self)
        self.tabs.addTab(self.trends, "Trends")
        self.tabs.addTab(self.caseload, "Caseload spread")
        self.tabs.addTab(self.team, "Team")
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        self.resize(1000, 760)
        self.stale = True
        diary.listeners.append(self._diary_changed)
        self.destroyed.connect(lambda *_: self._forget(diary))
        self.tabs.currentChanged.connect(lambda *_: self.refresh_if_needed())

    def keyPressEvent(self, event) -> None:
        if event.key() == Qt.Key.Key_Escape and not event.modifiers():
            self.close()  # as Escape closes a dialog
            return
        super().keyPressEvent(event)

    def _forget(self, diary) -> None:
        try:
            diary.listeners.remove(self._diary_changed)
        except ValueError:
            pass

    def _diary_changed(self, what: str) -> None:
        if what in ("entries", "settings", "reference", "people"):
            self.stale = True
            if self.isVisible():
                self.refresh()

    def refresh(self) -> None:
        self.trends.refresh()
        self.caseload.refresh()
        self.stale = False

    def refresh_if_needed(self) -> None:
        if self.stale:
            self.refresh()

    def show_tab(self, index: int) -> None:
        self.tabs.setCurrentIndex(index)
        self.refresh_if_needed()
        self.show()
        self.raise_()
        self.activateWindow()
