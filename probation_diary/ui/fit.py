"""Every window and dialog fits the screen it opens on (``QScreen.availableGeometry()``, with
room for the title bar and frame), scrolling inside where its content cannot shrink enough.

``install()`` puts one application-wide event filter in place: whenever a top-level window is
shown it is made to fit (``fit_to_screen``). A dialog whose smallest layout is still taller or
wider than the screen gets its content (everything but its row of buttons) moved into a
QScrollArea, so its buttons stay on the screen.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRect, QSize, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QBoxLayout, QFrame, QScrollArea, QWidget

# the window manager's frame when Qt does not know it yet (before the first show)
FRAME_WIDTH = 8
TITLE_AND_FRAME = 40
SCROLLED = "pdScrolledToFit"
TITLE_BUTTONS = 160  # an icon and close/maximise/minimise buttons beside the title


def available(widget: QWidget) -> QRect:
    screen = widget.screen() if widget.screen() is not None else QGuiApplication.primaryScreen()
    return screen.availableGeometry()


def frame_extra(widget: QWidget) -> QSize:
    """What the window manager adds around the client area."""
    frame, inner = widget.frameGeometry(), widget.geometry()
    if widget.isVisible() and frame.height() > inner.height():
        return QSize(frame.width() - inner.width(), frame.height() - inner.height())
    return QSize(FRAME_WIDTH, TITLE_AND_FRAME)


def room(widget: QWidget) -> QSize:
    """The largest client size that fits the available geometry with the frame."""
    area, extra = available(widget), frame_extra(widget)
    return QSize(max(100, area.width() - extra.width()), max(100, area.height() - extra.height()))


def scroll_inside(dialog: QWidget) -> bool:
    """Move a dialog's content, all but its trailing button box, into a scroll area (once).
    Only for a dialog laid out by a box layout (the others are left as they are)."""
    layout = dialog.layout()
    if dialog.property(SCROLLED) or not isinstance(layout, QBoxLayout):
        return False
    from PySide6.QtWidgets import QDialogButtonBox  # only a dialog too big for its screen needs it

    stretches = [layout.stretch(i) for i in range(layout.count())]
    items = [layout.takeAt(0) for _ in range(layout.count())]
    buttons = [i for i in items if isinstance(i.widget(), QDialogButtonBox)]
    keep = buttons[-1:] if buttons and items[-1] is buttons[-1] else []
    body = QWidget()
    body.setObjectName("scrolledBody")
    inner = QBoxLayout(layout.direction(), body)
    inner.setContentsMargins(0, 0, 0, 0)
    inner.setSpacing(layout.spacing())
    for item, stretch in zip(items, stretches):
        if item in keep:
            continue
        if item.widget() is not None:
            inner.addWidget(item.widget(), stretch)
        elif item.layout() is not None:
            sub = item.layout()
            sub.setParent(None)
            inner.addLayout(sub, stretch)
        else:
            inner.addItem(item)
    area = QScrollArea(dialog)
    area.setObjectName("fitScrollArea")
    area.setAccessibleName(dialog.windowTitle() or "Content")
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidgetResizable(True)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
    area.setWidget(body)
    layout.addWidget(area, 1)
    for item in keep:
        layout.addWidget(item.widget())
    dialog.setProperty(SCROLLED, True)
    return True


def fit_to_screen(window: QWidget) -> None:
    """Shrink (and, if need be, scroll inside) a top-level window so that it fits."""
    limit = room(window)
    hint = window.minimumSizeHint()
    if (hint.width() > limit.width() or hint.height() > limit.height()) and scroll_inside(window):
        layout = window.layout()
        layout.activate()
    minimum = window.minimumSize()
    if minimum.width() > limit.width() or minimum.height() > limit.height():
        window.setMinimumSize(min(minimum.width(), limit.width()), min(minimum.height(), limit.height()))
    # wide enough that the title bar shows the whole title (with room for its buttons)
    title = window.fontMetrics().horizontalAdvance(window.windowTitle()) + TITLE_BUTTONS
    if window.windowTitle() and window.width() < title and window.maximumWidth() >= title:
        window.resize(min(title, limit.width()), window.height())
    w, h = min(window.width(), limit.width()), min(window.height(), limit.height())
    if (w, h) != (window.width(), window.height()):
        window.resize(w, h)
    # and on the screen: not hanging off its right or bottom edge
    area, extra = available(window), frame_extra(window)
    geo = window.frameGeometry() if window.isVisible() else QRect(window.pos(), window.size() + extra)
    x = min(max(geo.left(), area.left()), area.right() - geo.width() + 1)
    y = min(max(geo.top(), area.top()), area.bottom() - geo.height() + 1)
    if window.isVisible() and (x, y) != (geo.left(), geo.top()):
        window.move(x, y)


class _Fitter(QObject):
    def eventFilter(self, obj, event) -> bool:
        if event.type() == QEvent.Type.Show and isinstance(obj, QWidget) and obj.isWindow() \
                and not obj.windowFlags() & Qt.WindowType.Popup & ~Qt.WindowType.Window \
                and obj.windowType() in (Qt.WindowType.Window, Qt.WindowType.Dialog, Qt.WindowType.Sheet):
            fit_to_screen(obj)
        return False


_fitter: _Fitter | None = None
_everywhere = False


def _the_fitter() -> _Fitter | None:
    global _fitter
    app = QApplication.instance()
    if app is not None and _fitter is None:
        _fitter = _Fitter(app)
    return _fitter


def watch(window: QWidget) -> None:
    """Fit this window whenever it is shown: a filter on it alone, for the windows that open
    before ``install()`` (the main window, the unlock dialogs, every modal dialog)."""
    fitter = _the_fitter()
    if fitter is not None and not _everywhere:
        window.installEventFilter(fitter)


def on_show(window: QWidget) -> None:
    """For a window's own showEvent: fit it, unless the application-wide filter (``install``)
    does. Cheaper than ``watch`` for the main window: a filter on it would see every event it
    gets while it is built (140 before the first paint, each through Python)."""
    if not _everywhere:
        fit_to_screen(window)


def install() -> None:
    """Fit every window shown from now on. The app calls it after the main window's first
    paint: a filter on the application sees every event of every object, and the first event of
    each kind of object makes PySide set up its Python class (~30 ms before the first paint)."""
    global _everywhere
    fitter = _the_fitter()
    if fitter is None or _everywhere:
        return
    _everywhere = True
    QApplication.instance().installEventFilter(fitter)


def fits(window: QWidget, area: QRect | None = None) -> bool:
    """The window's frame lies inside the available geometry (used by the tests)."""
    area = area or available(window)
    extra = frame_extra(window)
    return window.width() + extra.width() <= area.width() and window.height() + extra.height() <= area.height()
