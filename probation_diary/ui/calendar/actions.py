"""File menu: "Import calendar (.ics)…" and "Export appointments (.ics)…" (issue 8).

`install(window)` follows the main-window contract in docs/HELPERS.md. Every dialog and file
chooser goes through ui.dialogs, so tests never run a real one.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog

from ...cli import calendar as calendar_cli
from ...core import clock
from ...store.diary import DiaryError
from .. import dialogs
from ..commands import DiaryCommand, push

if TYPE_CHECKING:
    from ...formats import ics

ICS_FILTER = "Calendar files (*.ics);;All files (*)"


class ImportCalendarCommand(DiaryCommand):
    """One undo step for a whole calendar import: the new entries, the updates, the entries the
    user chose to bin, and the calendar links, so that after an undo a re-import offers the
    events again."""

    def __init__(self, diary, plan: ics.ImportPlan, now: dt.datetime, select=None):
        super().__init__(diary, "Import calendar", select)
        self.plan = plan
        self.now = now
        self.result: ics.ImportResult | None = None

    def _first(self):
        from ...formats import ics  # the calendar parser loads only when a calendar is used

        self.result = ics.apply_plan(self.diary, self.plan, self.now)

    def _again(self):
        r = self.result
        with self.diary.transaction():
            for e in r.created + r.updated:
                self.diary.restore_version(e)
            for e in r.deleted:
                self.diary.delete_entry(e.id)
            self.diary.delete_calendar_links((l["uid"], l["recurrence_id"]) for l in r.links_before)
            for link in r.links_saved:
                self.diary.save_calendar_link(link)

    def _back(self):
        r = self.result
        with self.diary.transaction():
            for e in r.created:
                self.diary.delete_entry(e.id)
            for e in r.before + r.deleted:
                self.diary.restore_version(e)
            self.diary.delete_calendar_links((l["uid"], l["recurrence_id"]) for l in r.links_saved)
            for link in r.links_before:
                self.diary.save_calendar_link(link)


class CalendarActions:
    def __init__(self, window):
        self.window = window
        menu = window.menus["file"]
        self.import_action = QAction("Import calendar (.ics)…", window)
        self.import_action.setObjectName("importCalendarAction")
        self.import_action.setStatusTip("Bring appointments in from an Outlook or Google calendar file")
        self.import_action.triggered.connect(self.import_calendar)
        self.export_action = QAction("Export appointments (.ics)…", window)
        self.export_action.setObjectName("exportCalendarAction")
        self.export_action.setStatusTip("Planned appointments as a calendar file, to show in Outlook")
        self.export_action.triggered.connect(self.export_appointments)
        self.keywords_action = QAction("Calendar keywords…", window)
        self.keywords_action.setObjectName("calendarKeywordsAction")
        self.keywords_action.triggered.connect(self.edit_keywords)
        anchor = _before_quit(menu)
        if anchor is None:
            menu.addSeparator()
            menu.addActions([self.import_action, self.export_action, self.keywords_action])
        else:  # above the "Quit" group, as a group of their own
            menu.insertActions(anchor, [self.import_action, self.export_action, self.keywords_action])
            menu.insertSeparator(anchor)

    def _default_range(self) -> tuple[dt.date, dt.date]:
        monday = self.window.current_week().monday
        return monday, monday + dt.timedelta(days=27)

    def import_calendar(self) -> bool:
        from ...formats import ics
        from .dialog import CalendarImportDialog, RangeDialog

        path = dialogs.choose_open_file(self.window, "Import calendar", "", ICS_FILTER)
        if not path:
            return False
        first, last = self._default_range()
        ranger = RangeDialog("Import calendar: which dates?", first, last, parent=self.window)
        if dialogs.exec_dialog(ranger) != QDialog.DialogCode.Accepted:
            return False
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            dialogs.show_error(self.window, f"Cannot read {path}: {exc.strerror or exc}.")
            return False
        now = clock.now_utc()
        try:
            with dialogs.working(self.window, f"Reading {Path(path).name}…"):
                preview = CalendarImportDialog(self.window.diary, data, ranger.first, ranger.last, now, self.window)
        except ics.IcsError as exc:
            dialogs.show_error(self.window, f"{Path(path).name}: {exc}.")
            return False
        except Exception as exc:  # a file from anywhere can hold anything: a message, never a crash
            dialogs.show_error(self.window, f"{Path(path).name} could not be read as a calendar "
                                            f"({type(exc).__name__}); nothing was imported.")
            return False
        if dialogs.exec_dialog(preview) != QDialog.DialogCode.Accepted:
            return False
        try:
            with dialogs.working(self.window, "Saving the calendar's appointments…"):
                command = push(self.window.undo_stack, ImportCalendarCommand(self.window.diary, preview.plan, now))
        except DiaryError as exc:
            dialogs.show_error(self.window, str(exc))
            return False
        result = command.result
        self.window.refresh()
        message = f"Added {len(result.created)} and updated {len(result.updated)} entries."
        if result.deleted:
            message += f" Moved {len(result.deleted)} to the bin."
        if result.failed:
            message += "\n\nNot saved:\n" + "\n".join(result.failed)
        dialogs.show_info(self.window, message)
        return True

    def export_appointments(self) -> bool:
        from .dialog import RangeDialog

        first, last = self._default_range()
        ranger = RangeDialog("Export appointments: which dates?", first, last, names_option=True,
                             parent=self.window)
        if dialogs.exec_dialog(ranger) != QDialog.DialogCode.Accepted:
            return False
        suggested = f"appointments-{ranger.first.isoformat()}-to-{ranger.last.isoformat()}.ics"
        path = dialogs.choose_save_file(self.window, "Export appointments", suggested, ICS_FILTER)
        if not path:
            return False
        try:
            count = calendar_cli.write_ics(self.window.diary, ranger.first, ranger.last, path,
                                           with_names=ranger.with_names)
        except (OSError, ValueError) as exc:
            dialogs.show_error(self.window, f"Nothing was written: {getattr(exc, 'strerror', None) or exc}.")
            return False
        dialogs.show_info(self.window, f"Wrote {count} planned appointment(s) to {Path(path).name}.")
        return True

    def edit_keywords(self) -> bool:
        from .dialog import KeywordsDialog

        return dialogs.exec_dialog(KeywordsDialog(self.window.diary, self.window)) == QDialog.DialogCode.Accepted


def _before_quit(menu):
    """The action that starts the menu's Quit group (its separator, or Quit itself), if any."""
    actions = menu.actions()
    for i, action in enumerate(actions):
        is_quit = (action.menuRole() == QAction.MenuRole.QuitRole
                   or action.shortcut().matches(QKeySequence(QKeySequence.StandardKey.Quit))
                   == QKeySequence.SequenceMatch.ExactMatch
                   or action.text().replace("&", "").strip().lower() in ("quit", "exit"))
        if is_quit and not action.isSeparator():
            return actions[i - 1] if i > 0 and actions[i - 1].isSeparator() else action
    return None


def install(window) -> CalendarActions:
    window.calendar_actions = CalendarActions(window)
    return window.calendar_actions
