"""An empty week says "no time logged" in a size that fits the summary panel."""

from PySide6.QtGui import QFontMetrics


def test_no_time_logged_headline_fits(window, qtbot):
    window.show()
    qtbot.waitExposed(window)
    from probation_diary.ui.summary import SummaryPanel

    panel = window.findChild(SummaryPanel)
    assert panel.share.text() == "no time logged"
    width = QFontMetrics(panel.share.font()).horizontalAdvance(panel.share.text())
    assert width <= panel.share.width() + 2, (width, panel.share.width())
    assert panel.share.font().pointSizeF() < panel._big_font.pointSizeF()
