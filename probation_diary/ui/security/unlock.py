"""The diary's passphrase dialogs: choose one on first run, ask for it on later starts (opening.py
decides which to show). Also the lock screen.

Nothing here logs; a passphrase lives only in the line edit and in the open Diary.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox, QDialog, QDialogButtonBox, QFormLayout, QFrame, QHBoxLayout, QLabel, QLineEdit,
    QProgressBar, QPushButton, QSpinBox, QVBoxLayout, QWidget,
)

from ...store import security
from ...store.diary import DamagedDiaryError, Diary, DiaryError, WrongPassphraseError
# the entry point lives in opening.py, which loads this module only when a dialog is shown
from .opening import _sentence, offer_backup, open_diary_interactively  # noqa: F401 (their old home)

TITLE = "Probation Diary"
DELAY_UNIT_MS = 1000  # tests make this small


def failure_delay(failures: int) -> int:
    """Seconds to wait after this many wrong passphrases in a row: none for the first two,
    then 1, 2, 4, 8 ... up to 60."""
    if failures < 3:
        return 0
    return min(60, 2 ** (failures - 3))


class _Throttle:
    """Counts wrong passphrases and disables a button for a growing time."""

    def __init__(self, button: QPushButton, message: QLabel):
        self.failures = 0
        self.button = button
        self.message = message
        self.timer = QTimer(button)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self._release)

    def failed(self, text: str) -> None:
        self.failures += 1
        delay = failure_delay(self.failures)
        if delay:
            text += f" Wait {delay} second{'s' if delay != 1 else ''} before trying again."
            self.button.setEnabled(False)
            self.timer.start(delay * DELAY_UNIT_MS)
        self.message.setText(text)

    def _release(self) -> None:
        self.button.setEnabled(True)

    @property
    def waiting(self) -> bool:
        return self.timer.isActive()


def _password_edit(placeholder: str = "") -> QLineEdit:
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setPlaceholderText(placeholder)
    edit.setAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled, False)
    # room for a long passphrase (or its placeholder) to show, at any scale
    fm = edit.fontMetrics()
    edit.setMinimumWidth(max(fm.averageCharWidth() * 36, fm.horizontalAdvance(placeholder) + 24))
    return edit


# --- first run: create the diary -----------------------------------------------------------

class CreateDiaryDialog(QDialog):
    """Choose a passphrase (with a strength check and the warning that it cannot be
    recovered), or explicitly choose not to encrypt."""

    def __init__(self, path: Path, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Protect your diary")
        self.path = path
        self.encrypt = True
        intro = QLabel(
            "Your diary will hold personal details about people on probation. Choose a passphrase: "
            "the diary file and its backups are encrypted with it, so a lost laptop is not a data breach.")
        intro.setWordWrap(True)
        warning = QLabel(f"<b>{security.LOST_PASSPHRASE_WARNING}</b>")
        warning.setWordWrap(True)
        warning.setObjectName("lostPassphraseWarning")
        self.first = _password_edit("a few unrelated words work well")
        self.second = _password_edit()
        self.meter = QProgressBar()
        self.meter.setRange(0, 4)
        self.meter.setTextVisible(False)
        self.meter_label = QLabel("")
        self.problem = QLabel("")
        self.problem.setWordWrap(True)
        self.retention_box = QCheckBox("&Remove notes, CRNs and names from entries entered in Delius after")
        self.retention_days = QSpinBox()
        self.retention_days.setRange(1, 3650)
        from ...core import retention  # here, not at start-up: only a new diary asks

        self.retention_days.setValue(retention.DEFAULT_DAYS)
        self.retention_days.setSuffix(" days")
        row = QHBoxLayout()
        row.addWidget(self.retention_box)
        row.addWidget(self.retention_days)
        row.addStretch()

        form = QFormLayout()
        form.addRow("&Passphrase:", self.first)
        form.addRow("A&gain:", self.second)
        meter_row = QHBoxLayout()
        meter_row.addWidget(self.meter)
        meter_row.addWidget(self.meter_label)
        form.addRow("Strength:", meter_row)

        self.create_button = QPushButton("&Create encrypted diary")
        self.create_button.setDefault(True)
        self.plain_button = QPushButton("&Don't encrypt (my disk is already encrypted)")
        buttons = QDialogButtonBox()
        buttons.addButton(self.create_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.plain_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.rejected.connect(self.reject)
        self.create_button.clicked.connect(self._create)
        self.plain_button.clicked.connect(self._plain)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(warning)
        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        layout.addWidget(line)
        layout.addLayout(row)
        layout.addWidget(buttons)
        self.first.textChanged.connect(self._update)
        self.second.textChanged.connect(self._update)
        self._update()

    def _update(self) -> None:
        text = self.first.text()
        score, word = security.strength(text)
        self.meter.setValue(score if text else 0)
        self.meter_label.setText(word if text else "")
        problems = security.passphrase_problems(text) if text else ["choose a passphrase"]
        if not problems and self.second.text() != text:
            problems = ["type the same passphrase twice" if self.second.text() else "type it again to confirm"]
        self.problem.setText(problems[0].capitalize() if problems and text else "")
        self.create_button.setEnabled(not problems)

    def _create(self) -> None:
        if self.create_button.isEnabled():
            self.encrypt = True
            self.accept()

    def _plain(self) -> None:
        self.encrypt = False
        self.accept()

    def passphrase(self) -> str | None:
        return self.first.text() if self.encrypt else None

    def retention_policy(self) -> int | None:
        return self.retention_days.value() if self.retention_box.isChecked() else None


# --- later starts: unlock ---------------------------------------------------------------------

class UnlockDialog(QDialog):
    """Ask for the passphrase; a wrong one gets a clear message and, after repeated failures,
    a growing wait. On success `diary` is the open diary; `damaged` holds the error if the
    passphrase was right but the file failed its check."""

    def __init__(self, path: Path, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Unlock your diary")
        self.path = path
        self.diary: Diary | None = None
        self.damaged: DamagedDiaryError | None = None
        self.passphrase: str | None = None
        label = QLabel(f"Enter the passphrase for the diary <i>{path.name}</i>.")
        label.setWordWrap(True)
        self.edit = _password_edit()
        self.message = QLabel("")
        self.message.setWordWrap(True)
        self.message.setObjectName("unlockMessage")
        self.unlock_button = QPushButton("&Unlock")
        self.unlock_button.setDefault(True)
        buttons = QDialogButtonBox()
        buttons.addButton(self.unlock_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.rejected.connect(self.reject)
        self.unlock_button.clicked.connect(self.try_unlock)
        self.edit.returnPressed.connect(self.try_unlock)
        self.throttle = _Throttle(self.unlock_button, self.message)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.edit)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    def try_unlock(self) -> None:
        if self.throttle.waiting or not self.unlock_button.isEnabled():
            return
        text = self.edit.text()
        if not text:
            self.message.setText("Type the passphrase.")
            return
        try:
            self.diary = Diary.open(self.path, passphrase=text, create=False, reading=True)  # (a full or read-only disk: read)
        except WrongPassphraseError:
            self.edit.selectAll()
            self.throttle.failed("That passphrase is not right. The diary was not changed.")
            return
        except DamagedDiaryError as exc:
            self.damaged = exc
        except DiaryError as exc:  # disk full, read-only, busy: no wait, the passphrase may be right
            self.message.setText(_sentence(exc))
            return
        except Exception as exc:  # never a traceback (it could carry personal data)
            self.message.setText(f"The diary could not be opened ({type(exc).__name__}). It was not changed.")
            return
        self.passphrase = text
        self.edit.clear()
        self.accept()


# --- the lock screen ----------------------------------------------------------------------------

class LockScreen(QWidget):
    """Covers a window while the diary is locked. With `ask=True` it holds the passphrase
    field (or, for an unencrypted diary, just an Unlock button); other windows get a plain
    cover. It follows its parent's size."""

    unlocked = Signal()

    def __init__(self, parent: QWidget, diary: Diary, *, ask: bool = True):
        super().__init__(parent)
        self.diary = diary
        self.setObjectName("lockScreen")
        self.setAutoFillBackground(True)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        layout = QVBoxLayout(self)
        layout.addStretch()
        title = QLabel("Probation Diary is locked")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        title.setFont(font)
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(title)
        self.edit: QLineEdit | None = None
        self.button: QPushButton | None = None
        self.message = QLabel("")
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        if ask:
            box = QVBoxLayout()
            if diary.encrypted:
                hint = QLabel("Enter your passphrase to carry on where you left off.")
                hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
                box.addWidget(hint)
                self.edit = _password_edit("passphrase")
                self.edit.setMaximumWidth(320)
                self.edit.returnPressed.connect(self.try_unlock)
                box.addWidget(self.edit, alignment=Qt.AlignmentFlag.AlignCenter)
            self.button = QPushButton("&Unlock")
            self.button.clicked.connect(self.try_unlock)
            box.addWidget(self.button, alignment=Qt.AlignmentFlag.AlignCenter)
            box.addWidget(self.message)
            layout.addLayout(box)
            self.throttle = _Throttle(self.button, self.message)
        layout.addStretch()
        parent.installEventFilter(self)
        self.setGeometry(parent.rect())
        self.raise_()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if obj is self.parent() and event.type() in (QEvent.Type.Resize, QEvent.Type.Show):
            self.setGeometry(self.parent().rect())
            self.raise_()
        return False

    def focus(self) -> None:
        (self.edit or self.button or self).setFocus(Qt.FocusReason.OtherFocusReason)

    def keyPressEvent(self, event) -> None:
        # Enter (after the passphrase field has used it) and Escape stop here: they must never
        # reach the window underneath, whose default button would save a half-finished entry.
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Escape):
            if event.key() != Qt.Key.Key_Escape and self.edit is None and self.button is not None:
                self.try_unlock()
            event.accept()
            return
        super().keyPressEvent(event)

    def try_unlock(self) -> None:
        if self.button is None or self.throttle.waiting:
            return
        if self.edit is not None:
            given = self.edit.text()
            expected = self.diary._passphrase or ""
            import hmac

            if not hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8")):
                self.edit.selectAll()
                self.throttle.failed("That passphrase is not right.")
                return
            self.edit.clear()
        self.message.setText("")
        self.unlocked.emit()

    def remove(self) -> None:
        parent = self.parent()
        if parent is not None:
            parent.removeEventFilter(self)
        self.hide()
        self.deleteLater()
