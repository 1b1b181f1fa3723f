"""The first-run screen: a few settings with sensible defaults, and a demo diary to look around.

The demo is never mixed into the practitioner's own diary: ``demo_diary()`` builds a separate,
in-memory diary holding one fictional week.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ...core import clock
from ...core.demo import build_demo_week
from ...core.model import SettingError, Settings
from ...store.diary import Diary, DiaryError
from ..entry.editor import error_label, show_message
from .dialog import PractitionerForm, plain

START = "start"
DEMO = "demo"
DISMISS = "dismiss"
DISMISSED_KEY = "firstrun.dismissed"  # "yes": the user said not to offer the welcome again


class FirstRunDialog(QDialog):
    def __init__(self, diary: Diary, parent: QWidget | None = None):
        super().__init__(parent)
        self.diary = diary
        self.choice: str | None = None
        self.setWindowTitle("Welcome to Probation Diary")
        self.setAccessibleName("Welcome to Probation Diary")

        title = QLabel("Welcome to Probation Diary")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        title.setFont(font)
        intro = QLabel(
            "Your diary stays on this computer. Tell it your working pattern, so that each week "
            "shows how much time you spend face to face with people on probation, and how much "
            "of your week is still unlogged. You can change all of this later in Settings.")
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.TextFormat.PlainText)
        self.form = PractitionerForm()
        self.form.load(self._defaults())
        codes_note = QLabel("The codes are optional: they are only needed to export contacts for Delius.")
        codes_note.setWordWrap(True)
        self.message = error_label("firstrun_message")

        self.demo_button = QPushButton("Look around a &demo diary")
        self.demo_button.setAccessibleName("Look around a demo diary")
        self.demo_button.setToolTip("Opens a separate diary holding one fictional week of a probation officer. "
                                    "Nothing is added to your own diary.")
        self.later_button = QPushButton("&Not now")
        self.later_button.setAccessibleName("Not now")
        self.later_button.setToolTip("Close this screen; it comes back next time, until you start your diary")
        self.dismiss_button = QPushButton("Don't &ask again")
        self.dismiss_button.setAccessibleName("Don't ask again")
        self.dismiss_button.setToolTip("Keep 37 hours, Monday to Friday; change them later in Settings")
        self.start_button = QPushButton("&Start my diary")
        self.start_button.setAccessibleName("Start my diary")
        self.start_button.setDefault(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.demo_button)
        buttons.addStretch(1)
        buttons.addWidget(self.dismiss_button)
        buttons.addWidget(self.later_button)
        buttons.addWidget(self.start_button)

        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(intro)
        layout.addSpacing(6)
        layout.addWidget(self.form)
        layout.addWidget(codes_note)
        layout.addWidget(self.message)
        layout.addStretch(1)
        layout.addLayout(buttons)

        self.start_button.clicked.connect(self.start)
        self.demo_button.clicked.connect(self.choose_demo)
        self.later_button.clicked.connect(self.reject)
        self.dismiss_button.clicked.connect(self.dismiss)
        self.form.changed.connect(self._update)
        self._update()
        self.resize(640, 500)

    def _defaults(self) -> Settings:
        """Whatever the diary already holds, else the national defaults (37 h, Mon-Fri, bank holidays on)."""
        return self.diary.settings()

    @staticmethod
    def needed(diary: Diary) -> bool:
        """True for a new diary: no settings saved and no entries yet."""
        return not diary.has_setting("contracted_hours") and diary.count_entries() == 0

    def _update(self) -> None:
        errors = self.form.errors()
        self.start_button.setEnabled(not errors)
        self.start_button.setToolTip(f"Cannot start: {next(iter(errors.values()))}" if errors else "")

    def start(self) -> bool:
        try:
            self.diary.set_settings(self.form.values())
        except (SettingError, DiaryError) as exc:
            show_message(self.message, plain(str(exc)))
            return False
        self.choice = START
        self.accept()
        return True

    def dismiss(self) -> None:
        try:
            self.diary.set_area_setting(DISMISSED_KEY, "yes")
        except DiaryError as exc:
            show_message(self.message, plain(str(exc)))
            return
        self.choice = DISMISS
        self.accept()

    @staticmethod
    def completed_or_dismissed(diary: Diary) -> bool:
        return diary.has_setting("contracted_hours") or diary.area_setting(DISMISSED_KEY) == "yes"

    def choose_demo(self) -> None:
        self.choice = DEMO
        self.accept()

    def demo_diary(self, monday: dt.date | None = None) -> Diary:
        """A separate in-memory diary holding the fictional week (this week by default), with
        the settings from this screen when they are valid."""
        demo = Diary.in_memory()
        if not self.form.errors():
            demo.set_settings(self.form.values())
        build_demo_week(demo, monday or clock.Week.containing(clock.today_local()).monday)
        return demo
