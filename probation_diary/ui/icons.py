"""Icons: one set, Material Design Icons 6 (the font qtawesome ships), drawn in the palette's
text colour so they follow the light and dark themes. The app's own icon stays an SVG file in
resources/icons, loaded by path.

The glyphs are drawn here from qtawesome's font and charmap files, without importing
qtawesome: its import goes through qtpy, which loads Qt modules the app never uses (about
100 ms before the first paint; issue 18).

Actions get their icon through ``set_icon(action, name)``, which remembers the name, so that
``retint(widget)`` redraws every icon when the colour scheme changes.
"""

from __future__ import annotations

import importlib.util
import os
from functools import lru_cache
from pathlib import Path

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import (
    QColor, QFont, QFontDatabase, QGuiApplication, QIcon, QIconEngine, QPainter, QPalette, QPixmap,
)

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


# each glyph's character in the font (Material Design Icons keeps them across versions; a test
# holds them to qtawesome's charmap): reading that 250 KB charmap took ~10 ms before the first paint
CODEPOINTS = {
    "chevron-left": 0xF0141, "chevron-right": 0xF0142, "calendar-today": 0xF00F6, "plus": 0xF0415,
    "pencil": 0xF03EB, "delete-outline": 0xF09E7, "undo": 0xF054C, "redo": 0xF044E,
    "calendar-week": 0xF0A33, "format-list-bulleted": 0xF0279, "account-multiple": 0xF000E,
    "information-outline": 0xF02FD, "keyboard-outline": 0xF097B, "magnify": 0xF0349,
    "cog-outline": 0xF08BB, "file-export-outline": 0xF102E, "check-all": 0xF012D,
    "lock-outline": 0xF0341, "timer-outline": 0xF051B, "stop-circle-outline": 0xF0667,
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


MDI_FONT = "materialdesignicons6-webfont"


def font_files(kind: str) -> Path | None:
    """One of qtawesome's Material Design Icons 6 files: "ttf" (the font) or "charmap" (its
    name -> character map, JSON), found without importing qtawesome."""
    spec = importlib.util.find_spec("qtawesome")  # finds the package's folder, imports nothing
    folders = [Path(p) / "fonts" for p in (spec.submodule_search_locations or [])] if spec else []
    # the file's version is in its name; a prefix and a suffix, not a glob, which would compile a
    # regular expression before the first paint
    prefix, suffix = (f"{MDI_FONT}-charmap-", ".json") if kind == "charmap" else (f"{MDI_FONT}-", ".ttf")
    for folder in folders:
        try:
            names = sorted(os.listdir(folder))
        except OSError:
            continue
        found = next((n for n in names if n.startswith(prefix) and n.endswith(suffix)), None)
        if found is not None:
            return folder / found
    return None


@lru_cache(maxsize=1)
def _mdi_font() -> str:
    """The font family of Material Design Icons 6 ("" when the font is missing)."""
    ttf = font_files("ttf")
    if ttf is None:  # a broken install: plain buttons, not a crash
        return ""
    font_id = QFontDatabase.addApplicationFont(str(ttf))
    families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    return families[0] if families else ""


class _GlyphEngine(QIconEngine):
    """One font glyph, in one colour when enabled and another when disabled."""

    def __init__(self, char: str, family: str, colour: str, disabled: str):
        super().__init__()
        self.char, self.family, self.colour, self.disabled = char, family, colour, disabled

    def paint(self, painter: QPainter, rect: QRect, mode, state) -> None:
        painter.save()
        font = QFont(self.family)
        font.setPixelSize(max(1, round(0.875 * rect.height())))  # room for the font's bearing
        painter.setFont(font)
        painter.setPen(QColor(self.disabled if mode == QIcon.Mode.Disabled else self.colour))
        painter.drawText(rect, int(Qt.AlignmentFlag.AlignCenter), self.char)
        painter.restore()

    def pixmap(self, size: QSize, mode, state) -> QPixmap:
        pm = QPixmap(size)
        pm.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pm)
        self.paint(painter, QRect(0, 0, size.width(), size.height()), mode, state)
        painter.end()
        return pm

    def clone(self) -> "_GlyphEngine":
        return _GlyphEngine(self.char, self.family, self.colour, self.disabled)


@lru_cache(maxsize=None)
def _themed(name: str, dark: bool, colour: str, disabled: str) -> QIcon:
    family, point = _mdi_font(), CODEPOINTS.get(MDI[name].removeprefix("mdi6."))
    if not family or point is None:
        return QIcon()
    return QIcon(_GlyphEngine(chr(point), family, colour, disabled))


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
