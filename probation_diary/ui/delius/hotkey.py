"""The keying key while another program (the browser showing Delius) has the focus (issue 17).

Two keys, system-wide where the platform allows it: Ctrl+Alt+V copies the next field, and
Ctrl+Alt+Enter is "Entered, next", so a whole week can be keyed without leaving the browser:
- X11: the key is grabbed on the root window through python-xlib, read from the X connection by
  a QSocketNotifier in the GUI thread (no thread). The grab takes the key, so the browser never
  sees it, and the diary's own window does not either: every press comes through here.
- Windows: pynput's hot-key listener (a hook in its own thread; the signal is queued to the GUI
  thread). The hook does not take the key, so presses while a diary window is active are left
  to the window's own shortcut.
- Anything else (Wayland, macOS, offscreen, no display, the library missing, another program
  holding the key): ``start()`` returns False and ``reason`` says why in plain words; keying
  mode still works while its window has the focus.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QSocketNotifier, Signal
from PySide6.QtGui import QGuiApplication

KEY_TEXT = "Ctrl+Alt+V"  # Qt's spelling, for the window's shortcut and the labels
ENTERED_TEXT = "Ctrl+Alt+Return"
PYNPUT_KEYS = {"copy": "<ctrl>+<alt>+v", "entered": "<ctrl>+<alt>+<enter>"}


class GlobalKey(QObject):
    pressed = Signal()  # the copy key
    entered = Signal()  # the "Entered, next" key

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.active = False
        self.consumes = False  # True: the window never sees the key itself while active
        self.reason = ""
        self._display = None
        self._notifier: QSocketNotifier | None = None
        self._listener = None

    def start(self) -> bool:
        if self.active:
            return True
        platform = QGuiApplication.platformName()
        try:
            if platform == "xcb":
                self.active = self._start_x11()
            elif platform == "windows":
                self.active = self._start_windows()
            else:
                self.reason = f"a system-wide key is not available on this display ({platform or 'none'})"
        except Exception as exc:  # never let a missing or odd X server stop keying mode
            self.reason = f"the system-wide key could not be set up ({type(exc).__name__})"
            self._close_x11()
            self.active = False
        return self.active

    def stop(self) -> None:
        if self._listener is not None:
            try:
                self._listener.stop()
            except Exception:
                pass
            self._listener = None
        self._close_x11()
        self.active = False

    # -- X11

    def _start_x11(self) -> bool:
        try:
            from Xlib import X, XK, display, error
        except ImportError:
            self.reason = "the system-wide key needs python-xlib, which is not installed"
            return False
        self._display = d = display.Display()
        root = d.screen().root
        self._keycodes = {d.keysym_to_keycode(XK.string_to_keysym("v")): self.pressed,
                          d.keysym_to_keycode(XK.string_to_keysym("Return")): self.entered,
                          d.keysym_to_keycode(XK.string_to_keysym("KP_Enter")): self.entered}
        catch = error.CatchError(error.BadAccess)
        mods = X.ControlMask | X.Mod1Mask
        for keycode in self._keycodes:
            for extra in (0, X.LockMask, X.Mod2Mask, X.LockMask | X.Mod2Mask):  # Caps Lock, Num Lock
                root.grab_key(keycode, mods | extra, True, X.GrabModeAsync, X.GrabModeAsync, onerror=catch)
        d.sync()
        if catch.get_error():
            self.reason = f"another program already uses {KEY_TEXT} system-wide"
            self._close_x11()
            return False
        self._key_press = X.KeyPress
        self._notifier = QSocketNotifier(d.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._x11_events)
        self.consumes = True
        self.reason = ""
        return True

    def _x11_events(self, *_args) -> None:
        d = self._display
        if d is None:
            return
        while d.pending_events():
            event = d.next_event()
            if event.type == self._key_press and event.detail in self._keycodes:
                self._keycodes[event.detail].emit()

    def _close_x11(self) -> None:
        if self._notifier is not None:
            self._notifier.setEnabled(False)
            self._notifier.deleteLater()
            self._notifier = None
        if self._display is not None:
            try:
                self._display.close()  # closing the connection releases its grabs
            except Exception:
                pass
            self._display = None

    # -- Windows

    def _start_windows(self) -> bool:
        try:
            from pynput import keyboard
        except ImportError:
            self.reason = "the system-wide key needs pynput, which is not installed"
            return False
        self._listener = keyboard.GlobalHotKeys({PYNPUT_KEYS["copy"]: self.pressed.emit,
                                                 PYNPUT_KEYS["entered"]: self.entered.emit})
        self._listener.daemon = True
        self._listener.start()
        self.consumes = False
        self.reason = ""
        return True
