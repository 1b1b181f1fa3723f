"""Every window and dialog fits the available screen, at 1280x800 and at 2x scaling, and no
label, button, title, CRN or passphrase box is cut short where it need not be (issue 16,
items 1 and 2). The probe is tests/fit_probe.py; the 2x runs are subprocesses because the
scale factor is fixed when the QApplication starts."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from screens import offscreen_platform

TESTS = Path(__file__).resolve().parent.parent


def test_every_window_fits_1280x800(tmp_path, qapp):
    import fit_probe

    assert qapp.primaryScreen().availableGeometry().size().toTuple() == (1280, 800)
    d = fit_probe.demo_diary(tmp_path / "probe.db")
    try:
        assert fit_probe.probe(d) == []
    finally:
        d.close()


@pytest.mark.parametrize("device, logical", [((2560, 1600), (1280, 800)), ((1920, 1080), (960, 540))],
                         ids=["2560x1600-at-2x", "1920x1080-at-2x"])
def test_every_window_fits_at_2x(device, logical, tmp_path):
    env = {**os.environ, "QT_SCALE_FACTOR": "2", "QT_QPA_PLATFORM": offscreen_platform(*device),
           "HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path / "config")}
    env.pop("PROBATION_DIARY_NOW", None)
    out = subprocess.run([sys.executable, "-P", str(TESTS / "fit_probe.py")], env=env, capture_output=True,
                         text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["scale"] == 2.0 and tuple(result["screen"]) == logical
    assert result["problems"] == []


def test_a_tall_dialog_scrolls_inside_and_keeps_its_buttons(qtbot):
    """A dialog taller than the screen at its smallest gets a scroll area; its buttons stay."""
    from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QScrollArea, QVBoxLayout

    from probation_diary.ui import fit

    dlg = QDialog()
    qtbot.addWidget(dlg)
    lay = QVBoxLayout(dlg)
    for i in range(60):
        lay.addWidget(QLabel(f"Line {i}"))
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
    lay.addWidget(buttons)
    fit.install()
    dlg.show()
    qtbot.waitExposed(dlg)
    assert fit.fits(dlg)
    assert dlg.findChild(QScrollArea, "fitScrollArea") is not None
    assert buttons.isVisible() and dlg.rect().contains(buttons.geometry())


def test_the_main_window_asks_for_no_more_than_the_screen(window, qtbot):
    from probation_diary.ui import fit

    window.show()
    qtbot.waitExposed(window)
    area = fit.available(window)
    frame = window.frameGeometry()
    assert area.contains(frame), (frame, area)


def test_the_main_window_fits_itself_on_show_without_filtering_its_events(diary, qtbot, monkeypatch, qapp):
    """Before every window is fitted (the app-wide filter, installed after the first paint), the
    main window fits itself in its showEvent: no event filter sees the ~140 events it gets
    while it is built (issue 18: each went through Python)."""
    from probation_diary.ui import fit
    from probation_diary.ui.mainwindow import MainWindow

    seen = []
    original = fit._Fitter.eventFilter
    monkeypatch.setattr(fit._Fitter, "eventFilter", lambda self, obj, event: seen.append(obj) or original(self, obj, event))
    monkeypatch.setattr(fit, "_everywhere", False)
    before = fit._fitter  # kept (a filter whose Python object went would crash the next event)
    if before is not None:
        qapp.removeEventFilter(before)
    try:
        win = MainWindow(diary, defer_areas=True)
        qtbot.addWidget(win)
        assert seen == []
        area = fit.available(win)
        win.resize(area.width() + 600, area.height() + 400)
        win.show()
        qtbot.waitExposed(win)
        assert fit.fits(win), (win.frameGeometry(), area)
    finally:
        if before is not None:
            qapp.installEventFilter(before)  # every window fitted again, for the tests after this
