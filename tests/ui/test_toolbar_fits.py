"""At 1280x800 the toolbar fits without its overflow button, with the area tools added."""

from __future__ import annotations

from PySide6.QtWidgets import QToolButton


def test_toolbar_fits_1280_with_delius_tools(window, qtbot):
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    assert any("Delius" in a.text() for a in window.toolbar.actions())  # the area is installed
    ext = window.toolbar.findChild(QToolButton, "qt_toolbar_ext_button")
    assert ext is None or not ext.isVisible()
    for a in (window.edit_action, window.undo_action, window.previous_action):
        assert window.toolbar.widgetForAction(a).toolButtonStyle().name == "ToolButtonIconOnly"
        assert a.toolTip()


def test_timer_type_box_shows_its_text(window):
    timer = window.timer
    combo = timer.type_combo
    assert combo.minimumWidth() >= combo.fontMetrics().horizontalAdvance("x" * 20)
    assert combo.toolTip() == combo.currentText() and combo.currentText()
