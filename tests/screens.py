"""Offscreen screens of a chosen size (the offscreen platform's JSON config file), so window
tests see a real laptop's 1280x800 instead of the plugin's default 800x600."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path


def offscreen_platform(width: int, height: int) -> str:
    """A QT_QPA_PLATFORM value for one offscreen screen of width x height device pixels."""
    path = Path(tempfile.gettempdir()) / f"pd-offscreen-{width}x{height}.json"
    config = {"screens": [{"name": f"screen{width}x{height}", "x": 0, "y": 0, "width": width,
                           "height": height, "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}
    text = json.dumps(config)
    if not path.exists() or path.read_text() != text:
        path.write_text(text)
    return f"offscreen:configfile={path}"
