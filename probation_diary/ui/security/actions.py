"""Plugs issue 6 into the main window: Lock (and the idle lock), passphrase, backups, history,
bin and retention; automatic backups; the "UNENCRYPTED" window title.

The lock hides every piece of data: the main window's central widget, docks and toolbars are
hidden and covered, every other open window (an editor dialog with a note being typed, say)
is covered, and all input except to the unlock field is swallowed. Nothing is closed, so
unlocking brings back exactly the same state.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication, QCheckBox, QDialog, QDialogButtonBox, QDockWidget, QFormLayout, QLabel,
    QListWidget, QListWidgetItem, QSpinBox, QTextEdit, QToolBar, QVBoxLayout, QWidget,
)

from ..commands import RecoverFromBinCommand, push
from ..dates import short_date, short_datetime
from ...store import backup, security
from ...core import clock, retention
from ...store.diary import DiaryError
from .. import dialogs
from .unlock import LockScreen, _password_edit

LOCK_MINUTES_KEY = "security.lock_minutes"
DEFAULT_LOCK_MINUTES = 10
BACKUP_TICK_MS = 5 * 60 * 1000
from . import UNENCRYPTED_MARK  # noqa: E402,F401 (the window's start reads it there)

_INPUT_EVENTS = {
    QEvent.Type.KeyPress, QEvent.Type.KeyRelease, QEvent.Type.ShortcutOverride, QEvent.Type.Shortcut,
    QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease, QEvent.Type.MouseButtonDblClick,
    QEvent.Type.MouseMove, QEvent.Type.Wheel, QEvent.Type.ContextMenu, QEvent.Type.InputMethod,
    QEvent.Type.TabletPress, QEvent.Type.TouchBegin, QEvent.Type.DragEnter, QEvent.Type.Drop,
}
_ACTIVITY_EVENTS = {
    QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.Wheel, QEvent.Type.MouseMove,
    QEvent.Type.TouchBegin,
}


def install(window) -> None:
    window.security = SecurityController(window)


class SecurityController(QObject):
    lock_changed = Signal(bool)  # True when the diary locks, False when it unlocks (keying mode)

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.diary = window.diary
        self.locked = False
        self._lock_screen: LockScreen | None = None
        self._covers: list[LockScreen] = []
        self._hidden: list[QWidget] = []
        self._titles: dict[QWidget, str] = {}
        self.scheduler = backup.BackupScheduler(self.diary)

        self._build_actions()
        window.windowTitleChanged.connect(self._mark_title)
        self._mark_title(window.windowTitle())

        self.idle_timer = QTimer(self)
        self.idle_timer.setSingleShot(True)
        self.idle_timer.timeout.connect(self.lock)
        self.set_idle_minutes(self.idle_minutes())
        app = QApplication.instance()
        app.installEventFilter(self)

        self._workers = ThreadPoolExecutor(max_workers=1, thread_name_prefix="backup")
        self._backup_job = None
        workers = self._workers
        self.destroyed.connect(lambda *_: workers.shutdown(wait=False))
        self._backup_poll = QTimer(self)
        self._backup_poll.setInterval(100)
        self._backup_poll.timeout.connect(self._backup_finished)
        self.backup_timer = QTimer(self)
        self.backup_timer.setInterval(BACKUP_TICK_MS)
        self.backup_timer.timeout.connect(self.backup_tick)
        self.backup_timer.start()
        app.aboutToQuit.connect(self.closing)

        guard = getattr(self.diary, "instance_guard", None)
        if guard is not None:
            guard.activated.connect(self.bring_forward)
            app.aboutToQuit.connect(guard.release)
        QTimer.singleShot(0, self, self.apply_retention_policy)

    # -- menus

    def _build_actions(self) -> None:
        w = self.window
        file_menu = w.menus["file"]
        before = getattr(w, "quit_action", None)

        def add(menu, text, slot, shortcut=None, name=""):
            action = QAction(text, w)
            action.setObjectName(name)
            action.triggered.connect(slot)
            if shortcut:
                action.setShortcut(QKeySequence(shortcut))
            if menu is file_menu and before is not None and before in menu.actions():
                menu.insertAction(before, action)
            else:
                menu.addAction(action)
            w.addAction(action)
            return action

        if before is not None and before in file_menu.actions():
            file_menu.insertSeparator(before)
        self.lock_action = add(file_menu, "&Lock", self.lock, "Ctrl+Shift+L", "lockAction")
        if self.diary.encrypted:
            self.passphrase_action = add(file_menu, "Change &passphrase…", self.change_passphrase,
                                         name="changePassphraseAction")
        else:
            self.passphrase_action = add(file_menu, "&Encrypt this diary…", self.encrypt_diary,
                                         name="encryptAction")
        self.backup_action = add(file_menu, "Create &backup now", self.backup_now, name="backupNowAction")
        self.restore_action = add(file_menu, "&Restore from backup…", self.restore_backup, name="restoreAction")
        self.retention_action = add(file_menu, "Re&tention policy…", self.retention_dialog, name="retentionAction")
        if before is not None and before in file_menu.actions():
            file_menu.insertSeparator(before)
        self.history_action = add(w.menus["entry"], "&History of this entry…", self.show_history,
                                  name="historyAction")
        self.bin_action = add(w.menus["edit"], "&Bin (deleted entries)…", self.show_bin, name="binAction")

    def _mark_title(self, title: str) -> None:
        if self.diary.encrypted or self.locked:
            return
        if UNENCRYPTED_MARK not in title:
            self.window.setWindowTitle(title + UNENCRYPTED_MARK)

    def bring_forward(self) -> None:
        dialogs.bring_forward(self.window)

    # -- locking

    def idle_minutes(self) -> int:
        try:
            return int(self.diary.area_setting(LOCK_MINUTES_KEY) or DEFAULT_LOCK_MINUTES)
        except ValueError:
            return DEFAULT_LOCK_MINUTES

    def set_idle_minutes(self, minutes: float) -> None:
        """0 turns the idle lock off."""
        self._idle_ms = int(minutes * 60_000)
        if self._idle_ms > 0 and not self.locked:
            self.idle_timer.start(self._idle_ms)
        else:
            self.idle_timer.stop()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        kind = event.type()
        if self.locked:
            if kind == QEvent.Type.Shortcut:  # to QActions and QShortcuts: none work while locked
                return True
            if kind in _INPUT_EVENTS and not self._in_lock_screen(obj):
                return True
            return False
        if kind in _ACTIVITY_EVENTS and self._idle_ms > 0:
            self.idle_timer.start(self._idle_ms)
        if kind == QEvent.Type.KeyPress and self._is_lock_key(event) \
                and QApplication.activeModalWidget() is not None:
            # a modal dialog blocks the window's shortcuts: the lock key still locks
            self.lock()
            return True
        return False

    def _is_lock_key(self, event) -> bool:
        action = getattr(self, "lock_action", None)
        if action is None or event.isAutoRepeat():
            return False
        pressed = QKeySequence(event.keyCombination())
        return any(pressed.matches(seq) == QKeySequence.SequenceMatch.ExactMatch for seq in action.shortcuts())

    def _in_lock_screen(self, obj: QObject) -> bool:
        screen = self._lock_screen
        if screen is None or not isinstance(obj, QWidget):
            return not isinstance(obj, (QWidget, QAction))  # QWindow etc. pass events on to widgets
        return obj is screen or screen.isAncestorOf(obj)

    def lock(self) -> None:
        if self.locked:
            return
        w = self.window
        self.idle_timer.stop()
        # where the user was, so unlocking puts them back there
        self._focus_before = QApplication.focusWidget()
        # the window that gets the unlock field: a modal dialog blocks the others
        modal = QApplication.activeModalWidget()
        host = modal if modal is not None and modal.isVisible() else w
        # the main window: hide its data-bearing parts (hiding closes nothing)
        for part in [w.centralWidget(), *w.findChildren(QDockWidget), *w.findChildren(QToolBar)]:
            if part is not None and part.isVisible() and part.parent() is w:
                part.hide()
                self._hidden.append(part)
        for top in QApplication.topLevelWidgets():
            if not top.isVisible() or isinstance(top, LockScreen):
                continue
            if top.windowType() in (Qt.WindowType.Popup, Qt.WindowType.ToolTip):
                top.hide()  # open menus, completers, tooltips
                continue
            cover = LockScreen(top, self.diary, ask=top is host)
            cover.show()
            self._covers.append(cover)
            self._titles[top] = top.windowTitle()
            if top is host:
                self._lock_screen = cover
                cover.unlocked.connect(self.unlock)
        self.locked = True
        for top, _ in self._titles.items():
            top.setWindowTitle("Probation Diary – locked")
        if self._lock_screen is not None:
            self._lock_screen.focus()
        self.lock_changed.emit(True)

    def unlock(self) -> None:
        if not self.locked:
            return
        self.locked = False
        for cover in self._covers:
            cover.remove()
        self._covers.clear()
        self._lock_screen = None
        for part in self._hidden:
            part.show()
        self._hidden.clear()
        for top, title in self._titles.items():
            top.setWindowTitle(title)
        self._titles.clear()
        self._mark_title(self.window.windowTitle())
        if self._idle_ms > 0:
            self.idle_timer.start(self._idle_ms)
        self.lock_changed.emit(False)
        self._restore_focus()

    def _restore_focus(self) -> None:
        """Back to the field the user was typing in (a note in an open editor, say)."""
        widget, self._focus_before = getattr(self, "_focus_before", None), None
        if widget is None:
            return
        try:
            if not widget.isVisible():
                return
            top = widget.window()
            top.activateWindow()
            widget.setFocus(Qt.FocusReason.OtherFocusReason)
        except RuntimeError:  # it was deleted while locked
            return

    # -- backups

    def backup_tick(self) -> None:
        """Every few minutes: if a backup is due, make it in a worker thread (through its own
        connection), so a big diary never freezes the window."""
        if self.locked or self._backup_job is not None or not self._diary_is_open():
            return
        now = clock.now_utc()
        if not self.scheduler.due(now):
            return
        self.scheduler.dirty = False  # a change made while it runs makes it dirty again
        self._backup_job = self._workers.submit(
            backup.make_backup_file, Path(self.diary.path), self.diary._passphrase, now=now)
        self._backup_poll.start()

    def _backup_finished(self, wait: bool = False) -> None:
        job = self._backup_job
        if job is None or (not wait and not job.done()):
            return
        self._backup_poll.stop()
        self._backup_job = None
        try:
            made = job.result()
        except Exception as exc:
            self.scheduler.dirty = True
            self._status(f"Automatic backup failed: {exc if isinstance(exc, DiaryError) else type(exc).__name__}")
            return
        self._status(f"Backed up at {clock.to_local(made.when):%H:%M}")

    def closing(self) -> None:
        self._backup_finished(wait=True)
        if not self._diary_is_open():
            return
        try:
            self.scheduler.closing()
        except DiaryError as exc:
            dialogs.show_error(self.window, f"At close: {exc}")

    def backup_now(self) -> None:
        try:
            made = backup.make_backup(self.diary)
        except DiaryError as exc:
            dialogs.show_error(self.window, f"The backup was not made: {exc}")
            return
        self.scheduler.dirty = False
        where = "" if self.diary.encrypted else " It is NOT encrypted, like the diary."
        dialogs.show_info(self.window, f"Backed up to {made.path}.{where}")

    def restore_backup(self) -> None:
        found = backup.list_backups(self.diary.path)
        if not found:
            dialogs.show_info(self.window, f"There are no backups yet in {backup.backup_dir(self.diary.path)}.")
            return
        chooser = _ListDialog(self.window, "Restore from backup",
                              "Choose a backup. The diary as it is now is backed up first, so the restore "
                              "can be undone by restoring that backup.",
                              [(b.label, b) for b in found], action="Restore")
        if dialogs.exec_dialog(chooser) != QDialog.DialogCode.Accepted or chooser.chosen is None:
            return
        self.restore_file(chooser.chosen.path)

    def restore_file(self, file: Path, backup_passphrase: str | None = None) -> backup.Backup | None:
        try:
            undo = backup.restore(self.diary, file, backup_passphrase=backup_passphrase)
        except DiaryError as exc:
            dialogs.show_error(self.window, f"Nothing was restored: {exc}")
            return None
        self.window.undo_stack.clear()  # its commands refer to the state before the restore
        self.window.refresh()
        dialogs.show_info(self.window, f"Restored {Path(file).name}. To undo this, restore the backup "
                                       f"“{undo.label}”.")
        return undo

    # -- passphrase

    def change_passphrase(self) -> None:
        dlg = _NewPassphraseDialog(self.window, ask_current=True)
        if dialogs.exec_dialog(dlg) != QDialog.DialogCode.Accepted:
            return
        if dlg.current.text() != (self.diary._passphrase or ""):
            dialogs.show_error(self.window, "The current passphrase is not right; nothing was changed.")
            return
        try:
            security.rekey(self.diary, dlg.new.text())
        except DiaryError as exc:
            dialogs.show_error(self.window, str(exc))
            return
        dialogs.show_info(self.window, "Passphrase changed. Backups made before now still need the old passphrase.")

    def encrypt_diary(self) -> None:
        dlg = _NewPassphraseDialog(self.window, ask_current=False)
        if dialogs.exec_dialog(dlg) != QDialog.DialogCode.Accepted:
            return
        try:
            security.encrypt_in_place(self.diary, dlg.new.text())
        except DiaryError as exc:
            dialogs.show_error(self.window, f"The diary was not encrypted: {exc}")
            return
        title = self.window.windowTitle().replace(UNENCRYPTED_MARK, "")
        self.window.setWindowTitle(title)
        self.passphrase_action.setText("Change &passphrase…")
        self.passphrase_action.triggered.disconnect()
        self.passphrase_action.triggered.connect(self.change_passphrase)
        dialogs.show_info(self.window, "The diary is now encrypted. Older backups in the backups folder are not; "
                                       "delete them once you have checked the diary opens.")

    # -- history and bin

    def show_history(self) -> None:
        ids = self.window.selected_entry_ids()
        if len(ids) != 1:
            dialogs.show_info(self.window, "Select one entry to see its history.")
            return
        versions = self.diary.history(ids[0])
        if not versions:
            dialogs.show_info(self.window, "This entry has not been changed since it was saved.")
            return
        ref = self.diary.reference()
        rows = []
        for when, old in versions:
            atype = ref.types.get(old.type_id)
            rows.append((f"{short_datetime(clock.to_local(when))} — before: {atype.label if atype else ''}, "
                         f"{short_datetime(clock.to_local(old.start))}–{clock.to_local(old.end):%H:%M}, "
                         f"{old.crn or 'no CRN'}, {old.outcome_code or 'no outcome'}", old))
        dlg = _ListDialog(self.window, "History of this entry", "Earlier versions, newest first:", rows,
                          action=None, detail=lambda e: e.notes)
        dialogs.exec_dialog(dlg)

    def show_bin(self) -> None:
        ref = self.diary.reference()
        rows = [(f"{_bin_line(e, ref)}  (deleted {short_datetime(clock.to_local(when))})", e)
                for when, e in self.diary.binned()]
        if not rows:
            dialogs.show_info(self.window, "The bin is empty.")
            return
        dlg = _ListDialog(self.window, "Bin", "Deleted entries are kept for 30 days. Choose one to recover:",
                          rows, action="Recover", detail=lambda e: e.notes)
        if dialogs.exec_dialog(dlg) != QDialog.DialogCode.Accepted or dlg.chosen is None:
            return
        command = RecoverFromBinCommand(self.diary, dlg.chosen.id)  # undoable, like the delete
        try:
            push(self.window.undo_stack, command)
        except DiaryError as exc:
            dialogs.show_error(self.window, str(exc))
            return
        self.window.select_entry(command.after.id)

    # -- retention

    def retention_dialog(self) -> None:
        current = self.diary.area_setting(retention.SETTING_KEY)
        dlg = _RetentionDialog(self.window, int(current) if current and current.isdigit() else None)
        if dialogs.exec_dialog(dlg) != QDialog.DialogCode.Accepted:
            return
        if not dlg.enabled.isChecked():
            self.diary.set_area_setting(retention.SETTING_KEY, "0")
            return
        days = dlg.days.value()
        self.diary.set_area_setting(retention.SETTING_KEY, str(days))
        self.apply_retention_policy(days)

    def apply_retention_policy(self, days: int | None = None) -> int:
        """Apply the policy, telling the user what will be removed first. Returns how many
        entries lost their personal details."""
        if days is None:
            if not self._diary_is_open():
                return 0
            value = self.diary.area_setting(retention.SETTING_KEY)
            if not value or not value.isdigit() or int(value) == 0:
                return 0
            days = int(value)
        from ...store import retention as store_retention

        # the store's plan, in SQL (as the command line's `retention`): no Entry per row (issue 18)
        plan = store_retention.plan(self.diary, days, clock.now_utc())
        if plan.empty:
            return 0
        if not dialogs.ask_confirmation(self.window, plan.describe(), confirm="Remove personal details",
                                        title="Retention policy"):
            return 0
        try:
            self.diary.anonymise_entries(plan.ids)
        except DiaryError as exc:
            dialogs.show_error(self.window, str(exc))
            return 0
        self.window.undo_stack.clear()
        return len(plan.ids)

    def _diary_is_open(self) -> bool:
        return self.diary.is_usable()

    def _status(self, text: str) -> None:
        bar = self.window.statusBar() if hasattr(self.window, "statusBar") else None
        if bar is not None:
            bar.showMessage(text, 10_000)


def _bin_line(entry, ref) -> str:
    """One deleted entry, told apart from the others: "PD-000012  Wed 25 Nov 2026 10:00–10:45
    · COAP – Planned office visit (NS) · X567890"."""
    start, end = clock.to_local(entry.start), clock.to_local(entry.end)
    atype = ref.types.get(entry.type_id)
    what = (f"{atype.delius_code} – {atype.label}" if atype.delius_code else atype.label) if atype else "?"
    when = (f"{short_date(start.date())} all day" if entry.all_day
            else f"{short_datetime(start)}–{end:%H:%M}")
    return "  ".join([entry.ref, " · ".join(p for p in (when, what, entry.crn or "") if p)])


# --- small dialogs ------------------------------------------------------------------------------

class _ListDialog(QDialog):
    def __init__(self, parent, title, text, rows, *, action: str | None, detail=None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.chosen = None
        self.detail = detail
        layout = QVBoxLayout(self)
        label = QLabel(text)
        label.setWordWrap(True)
        layout.addWidget(label)
        self.list = QListWidget()
        for label_text, value in rows:
            item = QListWidgetItem(label_text)
            item.setData(256, value)
            self.list.addItem(item)
        layout.addWidget(self.list)
        self.notes: QTextEdit | None = None
        if detail is not None:
            self.notes = QTextEdit()
            self.notes.setReadOnly(True)
            layout.addWidget(self.notes)
            self.list.currentItemChanged.connect(self._show_detail)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close if action is None
                                   else QDialogButtonBox.StandardButton.Cancel)
        if action is not None:
            self.ok = buttons.addButton(action, QDialogButtonBox.ButtonRole.AcceptRole)
            buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.list.setCurrentRow(0)
        self.resize(560, 380)

    def _show_detail(self, item, _prev=None) -> None:
        if self.notes is not None and item is not None:
            self.notes.setPlainText(self.detail(item.data(256)) or "")

    def _accept(self) -> None:
        item = self.list.currentItem()
        self.chosen = item.data(256) if item is not None else None
        self.accept()


class _NewPassphraseDialog(QDialog):
    def __init__(self, parent, *, ask_current: bool):
        super().__init__(parent)
        self.setWindowTitle("Change passphrase" if ask_current else "Encrypt this diary")
        form = QFormLayout(self)
        self.current = _password_edit()
        if ask_current:
            form.addRow("Current passphrase:", self.current)
        self.new = _password_edit("a few unrelated words work well")
        self.again = _password_edit()
        form.addRow("New passphrase:", self.new)
        form.addRow("Again:", self.again)
        self.strength = QLabel("")
        form.addRow("Strength:", self.strength)
        warning = QLabel(security.LOST_PASSPHRASE_WARNING)
        warning.setWordWrap(True)
        form.addRow(warning)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)
        self.new.textChanged.connect(self._update)
        self.again.textChanged.connect(self._update)
        self._update()

    def _update(self) -> None:
        text = self.new.text()
        problems = security.passphrase_problems(text)
        word = security.strength(text)[1] if text else ""
        if not problems and self.again.text() != text:
            problems = ["type the same passphrase twice"]
        self.strength.setText(word + (f" — {problems[0]}" if problems and text else ""))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not problems)


class _RetentionDialog(QDialog):
    def __init__(self, parent, days: int | None):
        super().__init__(parent)
        self.setWindowTitle("Retention policy")
        layout = QVBoxLayout(self)
        text = QLabel(
            "Entries that are entered in Delius keep their record there. Here, their notes, CRN and the "
            "person's name can be removed after a while; the times stay, so your weekly figures do not change. "
            "You will be told what will be removed before anything is.")
        text.setWordWrap(True)
        layout.addWidget(text)
        self.enabled = QCheckBox("Remove personal details from entries entered in Delius after")
        self.enabled.setChecked(bool(days))
        self.days = QSpinBox()
        self.days.setRange(1, 3650)
        self.days.setValue(days or retention.DEFAULT_DAYS)
        self.days.setSuffix(" days")
        layout.addWidget(self.enabled)
        layout.addWidget(self.days)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
