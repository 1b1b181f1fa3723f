"""Render resources/icons/probation-diary.svg to the PNG (Linux, window icon) and ICO (Windows
exe and installer) that packaging needs, with Qt's own SVG renderer: no other tools.

    .venv/bin/python packaging/make_icons.py [OUT_DIR]      (default: build/icons)
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SVG = ROOT / "resources" / "icons" / "probation-diary.svg"


def render(out_dir: Path) -> list[Path]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication.instance() or QGuiApplication([])  # noqa: F841  (image plugins need it)
    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        raise SystemExit(f"cannot read {SVG}")
    out_dir.mkdir(parents=True, exist_ok=True)

    def image(size: int) -> QImage:
        img = QImage(size, size, QImage.Format.Format_ARGB32)
        img.fill(Qt.GlobalColor.transparent)
        painter = QPainter(img)
        renderer.render(painter)
        painter.end()
        return img

    written = []
    png = out_dir / "probation-diary.png"
    if not image(256).save(str(png), "PNG"):
        raise SystemExit(f"cannot write {png}")
    written.append(png)
    ico = out_dir / "probation-diary.ico"
    if image(256).save(str(ico), "ICO"):
        written.append(ico)
    else:
        print("note: this Qt has no ICO writer; the Windows build will use the PNG", file=sys.stderr)
    return written


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "build" / "icons"
    for path in render(target):
        print(path)
