"""Icons: one set, Material Design Icons (``mdi6``) from qtawesome, drawn in the palette's text
colour so they follow the light and dark themes. The app's own icon stays an SVG file in
resources/icons, loaded by path.

Actions get their icon through ``set_icon(action, name)``, which remembers the name, so that
``retint(widget)`` redraws every icon when the colour scheme changes.
"""

from __future__ import annotations

from functools import lru_cache

from PySide6.QtGui import QGuiApplication, QIcon, QPalette

from ..store.diary import RESOURCES
from . import theme

ICON_DIR = RESOURCES / "icons"
ICON_PROPERTY = "pdIconName"

# the app's names -> Material Design Icons 6 (qtawesome's "mdi6" prefix)
MDI = {
    "previous": "mdi6.chevron-left",
    "next": "mdi6.chevron-right",
    "today": "mdi6.calendar-today",
    "new": "mdi6.plus",
    "edit": "mdi6.pencil",
    "delete": "mdi6.delete-outline",
    "undo": "mdi6.undo",
    "redo": "mdi6.redo",
    "week": "mdi6.calendar-week",
    "list": "mdi6.format-list-bulleted",
    "people": "mdi6.account-multiple",
    "about": "mdi6.information-outline",
    "shortcuts": "mdi6.keyboard-outline",
    "find": "mdi6.magnify",
    "settings": "mdi6.cog-outline",
    "delius-export": "mdi6.file-export-outline",
    "delius-entered": "mdi6.check-all",
    "lock": "mdi6.lock-outline",
    "timer": "mdi6.timer-outline",
    "stop": "mdi6.stop-circle-outline",
}


def icon_path(name: str):
    return ICON_DIR / f"{name}.svg"


def _colours(dark: bool) -> tuple[str, str]:
    palette = QGuiApplication.palette()
    text = palette.color(QPalette.ColorGroup.Active, QPalette.ColorRole.WindowText)
    disabled = palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.WindowText)
    # the palette may lag behind the scheme for a moment: pick by the scheme when they disagree
    if (text.lightness() > 128) != dark:
        return ("#e6e6e6", "#7a7a7a") if dark else ("#202020", "#a0a0a0")
    return text.name(), disabled.name()


@lru_cache(maxsize=None)
def _themed(name: str, dark: bool, colour: str, disabled: str) -> QIcon:
    import qtawesome

    return qtawesome.icon(MDI[name], color=colour, color_disabled=disabled)


def icon(name: str, dark: bool | None = None) -> QIcon:
    path = icon_path(name)
    if name not in MDI:
        return QIcon(str(path)) if path.exists() else QIcon()
    dark = theme.is_dark() if dark is None else dark
    return _themed(name, dark, *_colours(dark))


def set_icon(action, name: str) -> None:
    """Give an action (or a button) a set icon, remembered for ``retint``."""
    action.setProperty(ICON_PROPERTY, name)
    action.setIcon(icon(name))


def retint(root) -> None:
    """Redraw the remembered icons of ``root``'s actions and buttons (after a scheme change)."""
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QAbstractButton

    for obj in [root, *root.findChildren(QAction), *root.findChildren(QAbstractButton)]:
        name = obj.property(ICON_PROPERTY)
        if name:
            obj.setIcon(icon(str(name)))


def app_icon() -> QIcon:
    return icon("probation-diary")
