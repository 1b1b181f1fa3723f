"""Icons: SVG files from resources/icons, loaded by path (no compiled .qrc); where the app has
no file of its own, the platform style's standard icon."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QStyle

from ..store.diary import RESOURCES

ICON_DIR = RESOURCES / "icons"

_STANDARD = {
    "previous": QStyle.StandardPixmap.SP_ArrowBack,
    "next": QStyle.StandardPixmap.SP_ArrowForward,
    "today": QStyle.StandardPixmap.SP_BrowserReload,
    "new": QStyle.StandardPixmap.SP_FileIcon,
    "edit": QStyle.StandardPixmap.SP_FileDialogDetailedView,
    "delete": QStyle.StandardPixmap.SP_TrashIcon,
    "undo": QStyle.StandardPixmap.SP_ArrowLeft,
    "redo": QStyle.StandardPixmap.SP_ArrowRight,
    "week": QStyle.StandardPixmap.SP_FileDialogContentsView,
    "list": QStyle.StandardPixmap.SP_FileDialogListView,
    "people": QStyle.StandardPixmap.SP_DirHomeIcon,
    "about": QStyle.StandardPixmap.SP_MessageBoxInformation,
}


def icon_path(name: str) -> Path:
    return ICON_DIR / f"{name}.svg"


@lru_cache(maxsize=None)
def icon(name: str) -> QIcon:
    path = icon_path(name)
    if path.exists():
        return QIcon(str(path))
    app = QApplication.instance()
    if app is not None and name in _STANDARD:
        return app.style().standardIcon(_STANDARD[name])
    return QIcon()


def app_icon() -> QIcon:
    return icon("probation-diary")
