"""The one-page weekly report, without Qt.

``weekly_report()`` lays the page out once, as a list of simple drawing items in millimetres
on A4 (text, boxes, lines). ``render_pdf()`` draws them with fpdf2, so the command line can
write the PDF without Qt; the desktop app replays the same items onto a QPainter for the
preview and for printing. The figures all come from one ``WeekSummary``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from ..core.clock import format_minutes, to_local
from ..core.model import ABSENCE, CLASS_LABELS, FACE_TO_FACE, REMOTE_CONTACT, TIME_CLASSES
from ..core.timesplit import WeekSummary, share_percent

A4 = (210.0, 297.0)
MARGIN = 18.0
# the app's colour-blind-safe palette (ui/theme.py), repeated here because the core has no Qt
CLASS_COLOURS = {
    FACE_TO_FACE: (0x00, 0x9E, 0x73),
    REMOTE_CONTACT: (0x56, 0xB4, 0xE9),
    "travel": (0xE6, 0x9F, 0x00),
    "admin": (0xCC, 0x79, 0xA7),
    ABSENCE: (0xBB, 0xBB, 0xBB),
}
INK = (0, 0, 0)
GREY = (90, 90, 90)
RULE = (170, 170, 170)


@dataclass(frozen=True)
class Text:
    x: float
    y: float  # baseline
    text: str
    size: float = 10.0  # points
    bold: bool = False
    align: str = "L"  # L: starts at x, R: ends at x, C: centred on x
    colour: tuple[int, int, int] = INK


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    w: float
    h: float
    fill: tuple[int, int, int] | None = None
    stroke: tuple[int, int, int] | None = None


@dataclass(frozen=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    colour: tuple[int, int, int] = RULE
    width: float = 0.3


@dataclass
class ReportPage:
    width: float = A4[0]
    height: float = A4[1]
    items: list = field(default_factory=list)
    title: str = "Weekly time split"

    def texts(self) -> list[str]:
        return [i.text for i in self.items if isinstance(i, Text)]


def _pct(part: int, whole: int) -> str:
    return share_percent(None if whole == 0 else part / whole)


def weekly_report(summary: WeekSummary, *, named: bool = False, names: dict[str, str] | None = None,
                  generated: dt.datetime | None = None) -> ReportPage:
    """Lay out the page. Anonymous unless `named`: then a per-person table (CRN and name) is
    added. Notes are never on the page."""
    page = ReportPage()
    add = page.items.append
    left, right = MARGIN, A4[0] - MARGIN
    week = summary.week
    sunday = week.monday + dt.timedelta(days=6)
    fm = format_minutes

    y = MARGIN + 6
    add(Text(left, y, "Weekly time split", 20, bold=True))
    add(Text(right, y, "Probation Diary", 10, align="R", colour=GREY))
    y += 8
    add(Text(left, y, f"Week of Mon {week.monday:%d/%m/%Y} to Sun {sunday:%d/%m/%Y}", 12))
    if week.minutes != 7 * 24 * 60:
        add(Text(right, y, f"This week has {week.minutes // 60} hours (clock change)", 9, align="R", colour=GREY))
    y += 6
    if named:
        add(Text(left, y, "NAMED REPORT: contains CRNs and names. Handle as personal data.", 9, bold=True))
    else:
        add(Text(left, y, "Anonymous report: no CRNs, names or notes.", 9, colour=GREY))
    y += 4
    add(Line(left, y, right, y))

    # headline figures
    y += 4
    half = (right - left - 6) / 2
    for i, (label, share) in enumerate((("Face-to-face share", summary.face_to_face_share),
                                        ("Direct-contact share", summary.direct_contact_share))):
        x = left + i * (half + 6)
        add(Box(x, y, half, 26, fill=(242, 242, 242), stroke=RULE))
        add(Text(x + 5, y + 8, label, 11, bold=True))
        big = share_percent(share)
        add(Text(x + 5, y + 21, big, 30 if share is not None else 18, bold=True))
        add(Text(x + half - 5, y + 21, "of worked time", 9, align="R", colour=GREY))
    y += 26 + 7

    # hours
    worked = summary.worked_minutes
    hours = [("Contracted", summary.contracted_minutes), ("Expected", summary.expected_minutes),
             ("Worked", worked), ("Unlogged", summary.unlogged_minutes), ("Extra hours", summary.extra_minutes),
             ("Planned", summary.planned_minutes)]
    col = (right - left) / len(hours)
    for i, (label, minutes) in enumerate(hours):
        cx = left + col * i + col / 2
        add(Text(cx, y + 4, label, 9, align="C", colour=GREY))
        add(Text(cx, y + 12, fm(minutes), 16, bold=True, align="C"))
    y += 15
    add(Text(left, y + 3, "Hours as h:mm. Expected = contracted time less absence on working days; "
             "extra = worked beyond expected.", 8, colour=GREY))
    add(Text(left, y + 7, "Planned = booked for after the report was made: not yet worked, so in no class.",
             8, colour=GREY))
    y += 12
    add(Line(left, y, right, y))

    # time-split table and bar chart side by side
    y += 8
    add(Text(left, y, "Time split", 13, bold=True))
    y += 7
    tx = [left, left + 52, left + 74]  # class, h:mm (right-aligned), % of worked (right-aligned)
    add(Text(tx[0], y, "Class", 9, bold=True))
    add(Text(tx[1], y, "Hours", 9, bold=True, align="R"))
    add(Text(tx[2], y, "% worked", 9, bold=True, align="R"))
    chart_x, chart_w = left + 84, right - (left + 84) - 16
    top = max(max(summary.minutes.values()), 1)
    row_y = y + 2
    for c in TIME_CLASSES:
        row_y += 6.2
        add(Box(tx[0], row_y - 3.2, 3.5, 3.5, fill=CLASS_COLOURS[c]))
        add(Text(tx[0] + 5, row_y, CLASS_LABELS[c], 10))
        add(Text(tx[1], row_y, fm(summary.minutes[c]), 10, align="R"))
        add(Text(tx[2], row_y, "-" if c == ABSENCE else _pct(summary.minutes[c], worked), 10, align="R"))
        width = chart_w * summary.minutes[c] / top
        if width > 0:
            add(Box(chart_x, row_y - 4, width, 5, fill=CLASS_COLOURS[c]))
        add(Text(chart_x + width + 1.5, row_y, fm(summary.minutes[c]), 8, colour=GREY))
    row_y += 3
    add(Line(tx[0], row_y, tx[2], row_y, INK))
    row_y += 5
    add(Text(tx[0] + 5, row_y, "Worked", 10, bold=True))
    add(Text(tx[1], row_y, fm(worked), 10, bold=True, align="R"))
    add(Text(tx[2], row_y, "100%" if worked else "-", 10, bold=True, align="R"))
    add(Line(chart_x, y + 4, chart_x, y + 4 + 6.2 * len(TIME_CLASSES) + 1, GREY))
    y = row_y + 8
    add(Line(left, y, right, y))

    # per day
    y += 8
    add(Text(left, y, "Per day", 13, bold=True))
    y += 7
    cols = [left + 30 + 22 * i for i in range(len(TIME_CLASSES) + 1)]
    add(Text(left, y, "Day", 9, bold=True))
    for x, c in zip(cols, TIME_CLASSES):
        add(Text(x + 18, y, CLASS_LABELS[c].replace("Other direct contact", "Other direct"), 8, bold=True, align="R"))
    add(Text(cols[-1] + 18, y, "Worked", 8, bold=True, align="R"))
    for d in summary.days:
        y += 5
        label = f"{d.date:%a %d/%m}" + (" *" if d.bank_holiday else "")
        add(Text(left, y, label, 9, colour=INK if d.working_day else GREY))
        for x, c in zip(cols, TIME_CLASSES):
            add(Text(x + 18, y, fm(d.minutes[c]) if d.minutes[c] else "-", 9, align="R"))
        add(Text(cols[-1] + 18, y, fm(d.worked) if d.worked else "-", 9, bold=True, align="R"))
    if any(d.bank_holiday for d in summary.days):
        y += 5
        add(Text(left, y, "* bank holiday (counted as absence on a working day)", 8, colour=GREY))
    y += 5
    add(Line(left, y, right, y))

    # things to check
    y += 6
    add(Text(left, y, "To check:", 9, bold=True))
    add(Text(left + 18, y, f"overlaps {fm(summary.overlap_minutes)}  |  booked, not attended "
             f"{fm(summary.not_attended_minutes)}  |  awaiting outcome {fm(summary.awaiting_outcome_minutes)}"
             "  (both count as admin)", 9))

    footer_y = A4[1] - MARGIN + 4
    if named:
        y += 4
        add(Line(left, y, right, y))
        y += 7
        add(Text(left, y, "Per person on probation (face to face / total)", 11, bold=True))
        y += 2
        people = sorted(summary.per_person, key=lambda p: (-p.face_to_face_minutes, -p.total_minutes, p.crn))
        rows = int((footer_y - 8 - y) // 4.6)
        room = 2 * rows
        shown = people if len(people) <= room else people[: max(room - 1, 0)]
        colw = (right - left) / 2
        for i, p in enumerate(shown):
            x = left + (i // rows) * colw
            ry = y + 4.6 * (i % rows + 1)
            add(Text(x, ry, p.crn, 8.5))
            add(Text(x + 16, ry, _fit((names or {}).get(p.crn, ""), 30), 8.5))
            add(Text(x + colw - 18, ry, fm(p.face_to_face_minutes), 8.5, align="R"))
            add(Text(x + colw - 4, ry, fm(p.total_minutes), 8.5, align="R"))
        if len(shown) < len(people):
            add(Text(left + colw, y + 4.6 * rows, f"... and {len(people) - len(shown)} more (see the app)",
                     8.5, colour=GREY))
        if not people:
            add(Text(left, y + 4.6, "No time recorded against a person this week.", 8.5, colour=GREY))

    add(Line(left, footer_y - 5, right, footer_y - 5))
    made = f"Made {to_local(generated):%d/%m/%Y %H:%M}. " if generated else ""
    add(Text(left, footer_y, f"{made}Face-to-face share = face-to-face time / worked time; "
             "direct contact adds other direct contact.", 7.5, colour=GREY))
    return page


def _fit(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "..."


def pdf_text(text: str) -> str:
    """The built-in PDF fonts cover Latin-1; anything else becomes its nearest plain form."""
    table = {"\u2013": "-", "\u2014": "-", "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
             "\u2026": "...", "\u00a0": " "}
    text = "".join(table.get(ch, ch) for ch in text)
    return text.encode("latin-1", errors="replace").decode("latin-1")


def render_pdf(page: ReportPage) -> bytes:
    from fpdf import FPDF

    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_compression(False)  # small anyway; keeps the text searchable in the bytes
    pdf.set_creator("Probation Diary")
    pdf.set_title(page.title)
    pdf.add_page()
    for item in page.items:
        if isinstance(item, Box):
            style = ("F" if item.fill else "") + ("D" if item.stroke else "")
            if not style:
                continue
            if item.fill:
                pdf.set_fill_color(*item.fill)
            if item.stroke:
                pdf.set_draw_color(*item.stroke)
                pdf.set_line_width(0.3)
            pdf.rect(item.x, item.y, item.w, item.h, style=style)
        elif isinstance(item, Line):
            pdf.set_draw_color(*item.colour)
            pdf.set_line_width(item.width)
            pdf.line(item.x1, item.y1, item.x2, item.y2)
        elif isinstance(item, Text):
            pdf.set_font("Helvetica", "B" if item.bold else "", item.size)
            pdf.set_text_color(*item.colour)
            text = pdf_text(item.text)
            x = item.x
            if item.align in ("R", "C"):
                width = pdf.get_string_width(text)
                x -= width if item.align == "R" else width / 2
            pdf.text(x, item.y, text)
    return bytes(pdf.output())


def write_pdf(path: str | Path, page: ReportPage) -> None:
    from .safefile import write_atomically

    write_atomically(path, render_pdf(page))


def pdf_page_count(data: bytes) -> int:
    """Pages in a PDF we wrote (fpdf2 writes an uncompressed page tree)."""
    import re

    return len(re.findall(rb"/Type\s*/Page(?![s\w])", data))
