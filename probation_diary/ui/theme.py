"""Colours: one colour-blind-safe palette (Okabe & Ito) for the time classes, legible in light
and dark mode, and the light/dark switch that follows the system."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette

from ..core.model import ABSENCE, ADMIN, FACE_TO_FACE, REMOTE_CONTACT, TRAVEL

# Okabe-Ito colours. Black text has at least 4.5:1 contrast on every fill, in both modes,
# and each class also differs in lightness so a greyscale print still tells them apart.
_FILLS = {
    FACE_TO_FACE: "#009E73",   # bluish green
    REMOTE_CONTACT: "#56B4E9",  # sky blue
    TRAVEL: "#E69F00",         # orange
    ADMIN: "#CC79A7",          # reddish purple
    ABSENCE: "#BBBBBB",        # grey
}
_DARK_FILLS = {  # a touch lighter on dark backgrounds so blocks stand out from the grid
    FACE_TO_FACE: "#1FB58A",
    REMOTE_CONTACT: "#6CC3F0",
    TRAVEL: "#F0AE1F",
    ADMIN: "#D98BB6",
    ABSENCE: "#A8A8A8",
}
BLOCK_TEXT = QColor("#000000")


def is_dark(widget=None) -> bool:
    """The system's colour scheme when it says; otherwise judged from the (widget's) palette."""
    app = QGuiApplication.instance()
    if app is None:
        return False
    scheme = QGuiApplication.styleHints().colorScheme()
    if scheme == Qt.ColorScheme.Dark:
        return True
    if scheme == Qt.ColorScheme.Light:
        return False
    palette = widget.palette() if widget is not None else QGuiApplication.palette()
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def class_colour(time_class: str, dark: bool | None = None) -> QColor:
    dark = is_dark() if dark is None else dark
    return QColor((_DARK_FILLS if dark else _FILLS).get(time_class, "#999999"))


def grid_line(dark: bool | None = None) -> QColor:
    dark = is_dark() if dark is None else dark
    return QColor("#4a4a4a") if dark else QColor("#d6d6d6")


def today_tint(dark: bool | None = None) -> QColor:
    dark = is_dark() if dark is None else dark
    return QColor(255, 255, 255, 18) if dark else QColor(0, 114, 178, 22)


def warning_colour(dark: bool | None = None) -> QColor:
    dark = is_dark() if dark is None else dark
    return QColor("#FF8C69") if dark else QColor("#B8410F")


def non_working_fill(dark: bool | None = None) -> QColor:
    """Days off (settings) and bank holidays: a grey wash, plainly unlike a working day."""
    dark = is_dark() if dark is None else dark
    return QColor(255, 255, 255, 14) if dark else QColor(0, 0, 0, 18)


def non_working_hatch(dark: bool | None = None) -> QColor:
    dark = is_dark() if dark is None else dark
    return QColor(255, 255, 255, 22) if dark else QColor(0, 0, 0, 22)


def sort_arrow_up(ascending: bool) -> bool:
    """The desktop convention (Windows, macOS, GNOME): ascending ▲, descending ▼."""
    return ascending


_arrow_styles: list = []  # the proxy styles in use (Qt does not own a widget's style)


def conventional_sort_arrows(header) -> None:
    """Make a header's sort arrow point up for ascending and down for descending whatever
    the Qt style (Fusion draws them the other way round)."""
    from PySide6.QtWidgets import QProxyStyle, QStyle, QStyleOptionHeader

    class SortArrowStyle(QProxyStyle):
        def drawPrimitive(self, element, option, painter, widget=None):
            if element == QStyle.PrimitiveElement.PE_IndicatorHeaderArrow and isinstance(option, QStyleOptionHeader) \
                    and option.sortIndicator != QStyleOptionHeader.SortIndicator.None_:
                # QHeaderView marks ascending order as "SortDown"
                ascending = option.sortIndicator == QStyleOptionHeader.SortIndicator.SortDown
                element = (QStyle.PrimitiveElement.PE_IndicatorArrowUp if sort_arrow_up(ascending)
                           else QStyle.PrimitiveElement.PE_IndicatorArrowDown)
            super().drawPrimitive(element, option, painter, widget)

    style = SortArrowStyle()
    _arrow_styles.append(style)
    header.setStyle(style)
    header.setProperty("pdConventionalArrows", True)


def now_line(dark: bool | None = None) -> QColor:
    """The line across today's column at the current time (Okabe-Ito vermillion)."""
    dark = is_dark() if dark is None else dark
    return QColor("#FF8C69") if dark else QColor("#D55E00")
