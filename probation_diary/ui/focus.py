"""Focus that shows from the moment a dialog opens.

Qt draws the focus frame of a combo box, a tab bar or a check box only once a keyboard focus
change has happened in the window (WA_KeyboardFocusChange), and it clears that mark whenever
the focus is set otherwise: on showing, and when the window is activated. So a dialog that
opens with the focus on its outcome box shows no frame anywhere until Tab is pressed, and a
keyboard user cannot see where a key will go. This keeps the mark set after each of those.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QWidget

_MARK = Qt.WidgetAttribute.WA_KeyboardFocusChange


class _KeepFocusShown(QObject):
    def eventFilter(self, obj, event) -> bool:  # noqa: N802
        if event.type() in (QEvent.Type.Show, QEvent.Type.WindowActivate):
            QTimer.singleShot(0, lambda: mark(obj))  # after Qt's own focus-in has cleared it
        return False


def mark(window: QWidget) -> None:
    """Draw focus frames in this window now (call it after setting the focus in code)."""
    try:
        window.setAttribute(_MARK, True)
        window.update()
    except RuntimeError:  # the dialog has gone
        pass


def keep_focus_shown(window: QWidget) -> None:
    """Focus frames drawn in `window` from when it opens, whatever set the focus."""
    keeper = _KeepFocusShown(window)
    window.installEventFilter(keeper)
