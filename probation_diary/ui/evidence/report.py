"""The weekly report dialog: a preview of the one page, print, and save as PDF. The page is
laid out once in core/report_pdf.py; here it is painted with QPainter (preview, printing)."""

from __future__ import annotations


from PySide6.QtCore import QMarginsF, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPageLayout, QPageSize, QPainter, QPen
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QCheckBox, QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QPushButton, QScrollArea,
    QVBoxLayout, QWidget,
)

from ..datefield import DateField
from ...core import clock
from ...formats import report_pdf
from ...core.clock import Week
from .. import dialogs

PT_TO_MM = 25.4 / 72
FONT_FAMILIES = ["Helvetica", "Arial", "Liberation Sans", "Nimbus Sans", "Arimo"]


def paint_page(painter: QPainter, page: report_pdf.ReportPage, scale: float) -> None:
    """Draw the page's items; `scale` is device pixels per millimetre."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.fillRect(QRectF(0, 0, page.width * scale, page.height * scale), QColor("white"))
    for item in page.items:
        if isinstance(item, report_pdf.Box):
            rect = QRectF(item.x * scale, item.y * scale, item.w * scale, item.h * scale)
            if item.fill:
                painter.fillRect(rect, QColor(*item.fill))
            if item.stroke:
                painter.setPen(QPen(QColor(*item.stroke), 0.3 * scale))
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawRect(rect)
        elif isinstance(item, report_pdf.Line):
            painter.setPen(QPen(QColor(*item.colour), max(1.0, item.width * scale)))
            painter.drawLine(QPointF(item.x1 * scale, item.y1 * scale), QPointF(item.x2 * scale, item.y2 * scale))
        elif isinstance(item, report_pdf.Text):
            font = QFont()
            font.setFamilies(FONT_FAMILIES)  # Helvetica or a font with its widths, as in the PDF
            font.setStyleHint(QFont.StyleHint.SansSerif)
            font.setPixelSize(max(1, round(item.size * PT_TO_MM * scale)))
            font.setBold(item.bold)
            painter.setFont(font)
            painter.setPen(QColor(*item.colour))
            x = item.x * scale
            if item.align in ("R", "C"):
                width = QFontMetricsF(font).horizontalAdvance(item.text)
                x -= width if item.align == "R" else width / 2
            painter.drawText(QPointF(x, item.y * scale), item.text)
    painter.restore()


class PagePreview(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.page: report_pdf.ReportPage | None = None
        self.scale = 3.0
        self.setObjectName("reportPreview")

    def set_page(self, page: report_pdf.ReportPage) -> None:
        self.page = page
        self.setAccessibleDescription(" ".join(page.texts()))
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(round(report_pdf.A4[0] * self.scale), round(report_pdf.A4[1] * self.scale))

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def paintEvent(self, event):
        if self.page is None:
            return
        p = QPainter(self)
        paint_page(p, self.page, self.scale)
        p.end()


class ReportDialog(QDialog):
    def __init__(self, diary, week: Week, parent=None):
        super().__init__(parent)
        self.diary = diary
        self.setWindowTitle("Weekly report")
        self.setObjectName("reportDialog")
        self.week_edit = DateField(self, day=week.monday)
        self.week_edit.setAccessibleName("Week containing")
        self.week_edit.dateChanged.connect(self.refresh)
        self.week_edit.problemChanged.connect(self._show_problem)
        self.anonymous = QCheckBox("&Anonymous (no CRNs, names or notes) – for a manager", self)
        self.anonymous.setObjectName("reportAnonymous")
        self.anonymous.setChecked(True)
        self.anonymous.toggled.connect(self.refresh)
        top = QHBoxLayout()
        week_label = QLabel("&Week containing", self)
        week_label.setBuddy(self.week_edit)
        top.addWidget(week_label)
        top.addWidget(self.week_edit)
        top.addStretch(1)
        self.week_message = QLabel(self)
        self.week_message.setObjectName("reportWeekMessage")
        self.week_message.setStyleSheet("color: #c0392b;")
        self.week_message.hide()
        self.preview = PagePreview(self)
        scroll = QScrollArea(self)
        scroll.setWidget(self.preview)
        scroll.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.print_button = QPushButton("&Print…", self)
        self.print_button.clicked.connect(self.print_report)
        self.pdf_button = QPushButton("Save as P&DF…", self)
        self.pdf_button.clicked.connect(self.save_pdf)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.addButton(self.print_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.pdf_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.anonymous)  # a line of its own: the dialog fits at 200% too
        layout.addWidget(self.week_message)
        layout.addWidget(scroll, 1)
        layout.addWidget(buttons)
        self.resize(720, 900)  # shrunk to the screen when shown (ui/fit.py)
        self.page: report_pdf.ReportPage | None = None
        self.refresh()

    @property
    def week(self) -> Week:
        return Week.containing(self.week_edit.day())

    def _show_problem(self, problem: str) -> None:
        """A week that is not a date says so under the field; print and save wait for a date."""
        self.week_message.setText(problem)
        self.week_message.setVisible(bool(problem))
        for button in (self.print_button, self.pdf_button):
            button.setEnabled(not problem)

    def _date_ok(self) -> bool:
        return self.week_edit.commit()  # a date typed but not yet read is read now

    @property
    def named(self) -> bool:
        return not self.anonymous.isChecked()

    def refresh(self) -> None:
        now = clock.now_utc()
        summary = self.diary.week_summary(self.week, now)
        names = {p.crn: p.name for p in self.diary.people()} if self.named else None
        self.page = report_pdf.weekly_report(summary, named=self.named, names=names, generated=now)
        self.preview.set_page(self.page)

    def suggested_name(self) -> str:
        return f"week-{self.week.monday.isoformat()}{'-named' if self.named else ''}.pdf"

    def save_pdf(self) -> str | None:
        if not self._date_ok():
            return None
        path = dialogs.choose_save_file(self, "Save the weekly report", self.suggested_name(), "PDF files (*.pdf)")
        if not path:
            return None
        if not path.lower().endswith(".pdf"):
            path += ".pdf"
        try:
            report_pdf.write_pdf(path, self.page)
        except OSError as exc:
            dialogs.show_error(self, f"Cannot save the report: {exc.strerror or exc}.")
            return None
        return path

    def make_printer(self) -> QPrinter:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                                          QMarginsF(0, 0, 0, 0)))
        printer.setFullPage(True)
        printer.setDocName("Weekly report")
        return printer

    def print_to(self, printer: QPrinter) -> None:
        painter = QPainter(printer)
        scale = printer.width() / report_pdf.A4[0]
        paint_page(painter, self.page, scale)
        painter.end()

    def print_report(self) -> bool:
        if not self._date_ok():
            return False
        printer = self.make_printer()
        chooser = QPrintDialog(printer, self)
        if dialogs.exec_dialog(chooser) != QDialog.DialogCode.Accepted:
            return False
        self.print_to(printer)
        return True
