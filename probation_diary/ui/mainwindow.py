"""The main window: the week, the diary list and the caseload, with the summary always beside
them. It shows and saves; every figure comes from the core (``diary.week_summary``).

Contract for other areas (docs/HELPERS.md): ``diary``, ``undo_stack``, ``menus``, ``toolbar``,
``current_week()``, ``select_entry()``, ``selected_entry_ids()``, ``refresh()``,
``open_editor()``; at the end of the constructor each ``probation_diary.ui.<area>_actions``
module that exists gets ``install(window)``.
"""

from __future__ import annotations

import datetime as dt
import importlib

from contextlib import contextmanager

from PySide6.QtCore import QDate, QEvent, QObject, QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QActionGroup, QCursor, QGuiApplication, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QApplication, QFrame, QHBoxLayout, QLabel, QLineEdit, QMainWindow, QMenu, QPushButton, QScrollArea, QSplitter,
    QStackedWidget, QToolBar, QToolButton, QVBoxLayout, QWidget,
)

from .. import __version__
from ..core import clock
from ..core.clock import Week, to_local
from ..core.model import CLASS_LABELS, TIME_CLASSES, Entry
from ..core.timesplit import AWAITING_OUTCOME, NOT_ATTENDED, entry_counts
from ..store.diary import Diary, DiaryError
from . import dialogs
from .dates import long_date, short_datetime, week_label
from .commands import AddEntryCommand, DeleteEntriesCommand, EditEntryCommand, push
from .icons import app_icon, retint, set_icon
from .summary import SummaryPanel
from .week.view import WeekView, describe

AREAS = ("delius", "evidence", "calendar", "security", "reminder")
DEMO_TITLE = "Demo diary — fictional, not saved"
READ_ONLY_MARK = " (read only)"
# a demo diary lives in memory: no lock, backups or retention for it
DEMO_AREAS = ("delius", "evidence", "calendar")
KINDS = (
    ("appointment", "New &appointment…", "Ctrl+N"),
    ("home_visit", "New &home visit…", "Ctrl+Shift+H"),
    ("contact", "New &contact…", "Ctrl+Shift+K"),
    ("admin", "New a&dmin time…", "Ctrl+Shift+M"),
    ("absence", "New a&bsence…", "Ctrl+Shift+B"),
)
WEEK_PAGE, LIST_PAGE, PEOPLE_PAGE = range(3)


@contextmanager
def blocked(obj):
    """Signals off for a moment. (Not QSignalBlocker: as a context manager in PySide6 6.12 it
    drops a reference to None on each use, and the interpreter aborts after a few thousand.)"""
    was = obj.blockSignals(True)
    try:
        yield obj
    finally:
        obj.blockSignals(was)


def load_part(module: str, name: str):
    """A class from another ui module, imported when first needed (start-up stays lean)."""
    return getattr(importlib.import_module(f"probation_diary.ui.{module}"), name)


def EntryTableModel(diary, parent):  # noqa: N802 - the list's model, imported when first shown
    from .week.listmodel import EntryTableModel as cls

    return cls(diary, parent)


class DiaryListPanel(QWidget):
    """The table of entries with its filter bar; filtering and sorting run in SQL."""

    def __init__(self, diary: Diary, parent=None):
        super().__init__(parent)
        # built when the list is first shown: its Qt classes are not loaded before the first paint
        from PySide6.QtWidgets import QAbstractItemView, QComboBox, QHeaderView, QTableView

        from .week.listmodel import DELIUS_FILTERS, OUTCOME_FILTERS

        self.diary = diary
        self.model = EntryTableModel(diary, self)
        self.view = QTableView(self)
        self.view.setObjectName("entryTable")
        self.view.setAccessibleName("Diary entries")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        # the indicator first: enabling sorting sorts by the indicated column
        self.view.horizontalHeader().setSortIndicator(self.model.sort_column, self.model.sort_order)
        self.view.setSortingEnabled(True)
        from .theme import conventional_sort_arrows

        conventional_sort_arrows(self.view.horizontalHeader())  # newest first shows ▼
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.view.setWordWrap(False)
        fm = self.fontMetrics()
        samples = ("PD-000000", "Wed 30 Sep 2026", "00:00–00:00", "00:00", "COAP – Planned office visit",
                   "X000000", "Name Surname", "Other direct contact", "Attended - complied",
                   "Changed since export")
        for col, sample in enumerate(samples):
            self.view.setColumnWidth(col, fm.horizontalAdvance(sample) + 28)

        self.person = QLineEdit(self)
        self.person.setPlaceholderText("CRN or name")
        self.person.setClearButtonEnabled(True)
        self.person.setAccessibleName("Filter by person or CRN")
        self.type_box = QComboBox(self)
        self.type_box.setAccessibleName("Filter by type")
        self.type_box.addItem("All types", None)
        for t in sorted(diary.reference().types.values(), key=lambda t: (t.group, t.label)):
            self.type_box.addItem(t.display, t.id)
        self.class_box = QComboBox(self)
        self.class_box.setAccessibleName("Filter by the time class of the type")
        self.class_box.addItem("All classes", None)
        for c in TIME_CLASSES:
            self.class_box.addItem(CLASS_LABELS[c], c)
        self.outcome_box = QComboBox(self)
        self.outcome_box.setAccessibleName("Filter by outcome")
        self.outcome_box.addItem("Any outcome", None)
        for key, label in OUTCOME_FILTERS.items():
            self.outcome_box.addItem(label, key)
        self.delius_box = QComboBox(self)
        self.delius_box.setAccessibleName("Filter by Delius status")
        self.delius_box.addItem("Any Delius status", None)
        for key, label in DELIUS_FILTERS.items():
            self.delius_box.addItem(label, key)
        self.text = QLineEdit(self)
        self.text.setPlaceholderText("Search CRN, name, type or notes (Ctrl+F)")
        self.text.setClearButtonEnabled(True)
        self.text.setAccessibleName("Search CRN, name, type or notes")
        self.clear_button = QPushButton("C&lear filters", self)
        self.clear_button.setAccessibleName("Clear filters")
        self.clear_button.clicked.connect(self.clear_filters)
        self.count_label = QLabel(self)
        # a week range set from the summary's "not yet entered in Delius" item
        self.range: tuple[dt.datetime, dt.datetime] | None = None
        # the list follows the week in the window's header, unless "All dates" is chosen
        self.week: Week | None = None
        self.scope_box = QComboBox(self)
        self.scope_box.setObjectName("listScope")
        self.scope_box.setAccessibleName("Dates shown")
        self.scope_box.addItem("The week shown", "week")
        self.scope_box.addItem("All dates", "all")
        self.scope_box.setToolTip("Show the week in the header, or every date")
        self.scope_box.currentIndexChanged.connect(self.apply_filter)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(250)
        self._debounce.timeout.connect(self.apply_filter)
        for edit in (self.person, self.text):
            edit.textChanged.connect(self._debounce.start)
            edit.returnPressed.connect(self.apply_filter)
        for box in (self.type_box, self.class_box, self.outcome_box, self.delius_box):
            box.currentIndexChanged.connect(self.apply_filter)

        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        scope_label = QLabel("S&how:", self)
        scope_label.setBuddy(self.scope_box)
        bar.addWidget(scope_label)
        bar.addWidget(self.scope_box)
        label = QLabel("&Filter:", self)
        label.setBuddy(self.person)
        bar.addWidget(label)
        for edit in (self.person, self.text):
            edit.setMinimumWidth(fm.horizontalAdvance("Search notes") + 48)
        for box in (self.type_box, self.class_box, self.outcome_box, self.delius_box):
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            box.setMinimumContentsLength(12)
        bar.addWidget(self.person, 2)
        bar.addWidget(self.text, 2)
        bar.addWidget(self.clear_button)
        # the four choices on a row of their own, so the list fits a 1280-pixel screen
        boxes = QHBoxLayout()
        boxes.setContentsMargins(0, 0, 0, 0)
        for box in (self.type_box, self.class_box, self.outcome_box, self.delius_box):
            boxes.addWidget(box, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addLayout(boxes)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.count_label)
        self.model.modelReset.connect(self._update_count)
        self.model.rowsInserted.connect(self._update_count)
        self._update_count()

    def current_filter(self):
        from .week.listmodel import EntryFilter

        start, end = self.range if self.range else (None, None)
        if self.range is None and self.week is not None and self.scope_box.currentData() == "week":
            start, end = self.week.start, self.week.end
        return EntryFilter(
            person=self.person.text(), type_id=self.type_box.currentData(),
            time_class=self.class_box.currentData(), outcome=self.outcome_box.currentData(),
            delius=self.delius_box.currentData(), text=self.text.text(), start=start, end=end)

    def apply_filter(self) -> None:
        self._debounce.stop()
        self.model.set_filter(self.current_filter())

    def clear_filters(self) -> None:
        self.range = None
        for edit in (self.person, self.text):
            with blocked(edit):
                edit.clear()
        for box in (self.type_box, self.class_box, self.outcome_box, self.delius_box):
            with blocked(box):
                box.setCurrentIndex(0)
        self.apply_filter()

    def set_week(self, week: Week) -> None:
        """The week in the window's header (shown when the scope is "The week shown")."""
        self.week = week
        if self.range is not None and week is not None and self.range != (week.start, week.end):
            self.range = None  # an outstanding-in-Delius range was for the week left behind
        self._debounce.stop()
        self.model.filter = self.current_filter()
        self.model.reload()

    def show_all_dates(self) -> None:
        with blocked(self.scope_box):
            self.scope_box.setCurrentIndex(self.scope_box.findData("all"))

    def set_person(self, crn: str) -> None:
        self.clear_filters()
        self.show_all_dates()  # a person's whole history
        with blocked(self.person):
            self.person.setText(crn)
        self.apply_filter()

    def show_outstanding(self, week: Week) -> None:
        from .week.listmodel import OUTSTANDING

        self.clear_filters()
        self.range = (week.start, week.end)
        with blocked(self.delius_box):
            self.delius_box.setCurrentIndex(self.delius_box.findData(OUTSTANDING))
        self.apply_filter()

    def _update_count(self, *args) -> None:
        more = "+" if self.model.canFetchMore() else ""
        where = " (filtered)" if self.model.filter.active else ""
        self.count_label.setText(f"{self.model.rowCount()}{more} entries shown{where}")

    def selected_ids(self) -> list[int]:
        rows = sorted({i.row() for i in self.view.selectionModel().selectedRows()})
        return [i for i in (self.model.entry_id(r) for r in rows) if i is not None]

    def select_id(self, entry_id: int) -> bool:
        row = self.model.row_of(entry_id)
        if row is None:
            return False
        self.view.selectRow(row)
        self.view.scrollTo(self.model.index(row, 0))
        return True


class _FirstPaint(QObject):
    """Calls back once, just after the first paint of the widget it watches."""

    def __init__(self, widget: QWidget, callback):
        super().__init__(widget)
        self.callback = callback
        widget.installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:
        if event.type() == QEvent.Type.Paint and self.callback is not None:
            callback, self.callback = self.callback, None
            obj.removeEventFilter(self)
            QTimer.singleShot(0, callback)  # after this paint has reached the screen
        return False


class MainWindow(QMainWindow):
    """``defer_areas=True`` (the app's start-up) installs the area tools (in AREAS order, so the
    menus read the same) just after the window first paints, so opening the diary does not wait
    for their imports; tests and other callers get every area installed by the end of the
    constructor."""

    def __init__(self, diary: Diary, *, defer_areas: bool = False, demo: bool = False):
        super().__init__()
        self.diary = diary
        self.undo_stack = QUndoStack(self)
        self.menus: dict[str, QMenu] = {}
        self.install_errors: dict[str, str] = {}
        self._week = Week.containing(clock.today_local())
        self._entries: dict[int, Entry] = {}
        self._names: dict[str, str] = {}
        self._flags: dict[int, str] = {}
        self._descriptions: dict[tuple, str] = {}
        self._list_dirty = False
        self._people_dirty = True
        self._list_panel: DiaryListPanel | None = None
        self._people_panel = None
        self.areas_installed = False
        self._installed_areas: set[str] = set()
        self.summary_updates = 0  # counts refreshes of the summary (for tests and benchmarks)
        self._after_paint: list | None = []  # callbacks for after the first paint (None: painted)
        self._defer = defer_areas  # what is not needed to see the diary waits for the first paint

        self.setObjectName("mainWindow")
        self.setWindowIcon(app_icon())
        self.demo = demo
        self.demo_window: MainWindow | None = None
        name = diary.path.name if diary.path else "unsaved diary"
        title = DEMO_TITLE if demo else f"{name} – Probation Diary"
        if not demo and getattr(diary, "read_only", None):
            title += READ_ONLY_MARK  # (a full or read-only disk, or a file made read-only: the notice said which)
        self.setWindowTitle(title)
        if diary.path and not demo:
            self.setWindowFilePath(str(diary.path))

        self._build_views()
        self._build_actions()
        self._build_status_bar()

        self._pending = QTimer(self)
        self._pending.setSingleShot(True)
        self._pending.setInterval(0)
        self._pending.timeout.connect(self.refresh)
        self._tick = QTimer(self)  # the next minute, while the week shown has planned time
        self._tick.setSingleShot(True)
        self._tick.timeout.connect(self._minute_passed)
        self._ticking = False
        self._counts: dict = {}
        diary.listeners.append(self._diary_changed)
        # another copy (the command line) may write to the same diary: show what it saved
        self._watch = QTimer(self)
        self._watch.setInterval(2000)
        self._watch.timeout.connect(self._check_elsewhere)
        if diary.path is not None:
            diary.changed_elsewhere()  # the version to compare with
            self._watch.start()
        QGuiApplication.styleHints().colorSchemeChanged.connect(self._scheme_changed)

        self.refresh()
        self._restore_layout()
        if not demo:
            self.offer_drafts()
        if defer_areas:
            if not diary.encrypted and diary.path is not None and not demo:
                # the security area adds this when it installs; the title says it from the start
                from .security import UNENCRYPTED_MARK  # not .actions: it loads after the paint

                self.setWindowTitle(self.windowTitle() + UNENCRYPTED_MARK)
            self._first_paint = _FirstPaint(self, self._painted)
            QTimer.singleShot(1500, self._painted)  # never painted (minimised, say)
        else:
            self.install_areas()
            self._after_paint = None

    def after_first_paint(self, callback) -> None:
        """Run ``callback`` once the window has first painted (at once, if it has): what
        the user does not need to see the diary waits until it is on the screen."""
        if self._after_paint is None:
            QTimer.singleShot(0, callback)
        else:
            self._after_paint.append(callback)

    def _painted(self) -> None:
        if self._after_paint is None:
            return
        waiting, self._after_paint = self._after_paint, None
        self.summary.build_act_on()
        self.week_view.install_accessible()
        self.install_areas()
        for callback in waiting:
            callback()

    def install_areas(self) -> None:
        """Each area's ``install(window)``, once (see the class docstring)."""
        if self.areas_installed:
            return
        self.areas_installed = True
        from . import fit

        fit.install()  # every window and dialog fits the screen it opens on
        for area in DEMO_AREAS if self.demo else AREAS:
            if area not in self._installed_areas:
                self._install_area(area)
        self.fit_toolbar()

    # -- building

    def _build_views(self) -> None:
        self.week_view = WeekView(self, accessible_now=not self._defer)
        self.week_view.entry_selected.connect(self._week_selection)
        self.week_view.entry_activated.connect(self.open_editor)
        self.week_view.slot_activated.connect(lambda when: self.new_entry("appointment", day=when.date()))

        # the list and the caseload are built when first shown (or first asked for)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.week_view)
        self._list_page = self._page_holder("listPage")
        self._people_page = self._page_holder("peoplePage")
        self.stack.currentChanged.connect(self._page_changed)

        self.summary = SummaryPanel(self, act_on_now=not self._defer)
        self.summary.entry_clicked.connect(self.select_entry)
        self.summary.delius_outstanding_clicked.connect(self._show_outstanding)

        self.week_label = QLabel(self)
        self.week_label.setObjectName("weekLabel")
        font = self.week_label.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.week_label.setFont(font)
        # no minimum width of its own: on a narrow window the row stacks (fit_top_row) instead
        self.week_label.setMinimumWidth(1)

        # row 1: the week shown, and the timer (stacked when the window is narrow, see
        # fit_top_row); row 2: quick entry across the width
        top = self._top_row = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.week_label)
        top.addStretch(1)
        quick_row = QHBoxLayout()
        quick_row.setContentsMargins(0, 0, 0, 0)
        self.quick_entry = load_part("entry.quick", "QuickEntryBox")(self.diary, self)
        self.quick_entry.entry_ready.connect(lambda e: self._save_from(self.quick_entry, e, "Quick entry"))
        quick_label = QLabel("&Quick entry:", self)
        quick_label.setBuddy(self.quick_entry.focusProxy() or self.quick_entry)
        quick_row.addWidget(quick_label)
        quick_row.addWidget(self.quick_entry, 1)
        self.timer = load_part("entry.timer", "TimerWidget")(self.diary, self)
        self.timer.entry_ready.connect(lambda e: self._save_from(self.timer, e, "Timed contact"))
        self.timer.running_text_changed.connect(self._timer_text)
        top.addWidget(self.timer, 3)

        left = QWidget(self)
        lay = QVBoxLayout(left)
        lay.setContentsMargins(6, 4, 0, 0)
        lay.addWidget(self._build_drafts_bar())
        lay.addLayout(top)
        lay.addLayout(quick_row)
        lay.addWidget(self.stack, 1)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(left)
        # the summary scrolls inside on a short screen rather than making the window taller
        self.summary_scroll = QScrollArea(self)
        self.summary_scroll.setObjectName("summaryScroll")
        self.summary_scroll.setAccessibleName("Week summary")
        self.summary_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.summary_scroll.setWidgetResizable(True)
        self.summary_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.summary_scroll.setWidget(self.summary)
        self.splitter.addWidget(self.summary_scroll)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 0)
        self.summary.setMinimumWidth(int(self.fontMetrics().averageCharWidth() * 40))
        self.summary_scroll.setMinimumWidth(self.summary.minimumWidth()
                                            + self.summary_scroll.verticalScrollBar().sizeHint().width())
        self.splitter.setSizes([900, 340])
        self.setCentralWidget(self.splitter)

    def _build_drafts_bar(self) -> QFrame:
        """A non-modal bar offering back note drafts left by a crash (issue 6). It names only
        the time and the entry's reference: never the notes."""
        bar = self.drafts_bar = QFrame(self)
        bar.setObjectName("draftsBar")
        bar.setFrameShape(QFrame.Shape.StyledPanel)
        bar.setAccessibleName("Unsaved notes")
        row = QHBoxLayout(bar)
        row.setContentsMargins(6, 2, 6, 2)
        self.drafts_label = QLabel(bar)
        self.drafts_label.setWordWrap(True)
        self.drafts_open_button = QPushButton("&Open", bar)
        self.drafts_open_button.setAccessibleName("Open the unsaved notes")
        self.drafts_discard_button = QPushButton("&Discard", bar)
        self.drafts_discard_button.setAccessibleName("Discard the unsaved notes")
        self.drafts_open_button.clicked.connect(lambda: self.open_draft())
        self.drafts_discard_button.clicked.connect(lambda: self.discard_offered_draft())
        row.addWidget(self.drafts_label, 1)
        row.addWidget(self.drafts_open_button)
        row.addWidget(self.drafts_discard_button)
        bar.hide()
        self._offered_draft: dict | None = None
        return bar

    def editor_drafts(self) -> list[dict]:
        try:
            return [d for d in self.diary.drafts() if str(d["key"]).startswith("editor:")]
        except DiaryError:
            return []

    def offer_drafts(self) -> dict | None:
        """Show the bar for the oldest editor draft in the diary, if any."""
        found = self.editor_drafts()
        self._offered_draft = found[0] if found else None
        if self._offered_draft is None:
            self.drafts_bar.hide()
            return None
        d = self._offered_draft
        key = str(d["key"])
        what = "a new entry" if key == "editor:new" else key.split(":", 1)[1]
        more = f" ({len(found) - 1} more after this)" if len(found) > 1 else ""
        self.drafts_label.setText(
            f"Unsaved notes from {short_datetime(clock.to_local(d['saved']))} for {what}{more}.")
        self.drafts_bar.show()
        return d

    def open_draft(self) -> Entry | None:
        """Open the editor with the offered draft restored."""
        d = self._offered_draft
        cls = self._editor_class() if d is not None else None
        if cls is None:
            return None
        entry = self.diary.get_entry(d["entry_id"]) if d.get("entry_id") is not None else None
        editor = cls(self.diary, entry=entry, parent=self) if entry is not None else cls(self.diary, parent=self)
        if getattr(editor, "_recovered", None):
            editor.restore_draft()
        else:  # its entry has gone since: the notes come back in a new entry
            import dataclasses

            from ..core.validation import EntryDraft

            fields = {f.name for f in dataclasses.fields(EntryDraft)}
            editor.load_draft(EntryDraft(**{k: v for k, v in d["data"].items() if k in fields}))
            editor.revalidate()
        self.drafts_bar.hide()
        result = self._run_editor(editor, edit=entry is not None)
        self.offer_drafts()  # the next one, or the same one if it is still unsaved
        return result

    def discard_offered_draft(self) -> None:
        d = self._offered_draft
        if d is not None:
            try:
                self.diary.discard_draft(d["key"])
            except DiaryError as exc:
                dialogs.show_error(self, f"The unsaved notes could not be discarded: {exc}")
        self.offer_drafts()

    def _page_holder(self, name: str) -> QWidget:
        page = QWidget(self.stack)
        page.setObjectName(name)
        lay = QVBoxLayout(page)
        lay.setContentsMargins(0, 0, 0, 0)
        self.stack.addWidget(page)
        return page

    @property
    def list_panel(self) -> DiaryListPanel:
        if self._list_panel is None:
            panel = self._list_panel = DiaryListPanel(self.diary, self._list_page)
            panel.set_week(self._week)
            panel.view.activated.connect(self._list_activated)
            panel.view.selectionModel().selectionChanged.connect(self._update_actions)
            self._list_page.layout().addWidget(panel)
            self._list_dirty = False  # it has just read the diary
        return self._list_panel

    @property
    def people_panel(self):
        if self._people_panel is None:
            from .people import PeoplePanel

            panel = self._people_panel = PeoplePanel(self.diary, self._people_page)
            panel.person_activated.connect(self.show_person)
            panel.rename_requested.connect(self.name_person)
            self._people_page.layout().addWidget(panel)
            self._people_dirty = True
        return self._people_panel

    def _action(self, text: str, slot, shortcut=None, *, icon_name: str | None = None,
                tip: str | None = None, menu: str | None = None) -> QAction:
        action = QAction(text, self)
        if icon_name:
            set_icon(action, icon_name)
        if shortcut is not None:
            if isinstance(shortcut, QKeySequence.StandardKey):
                action.setShortcuts(shortcut)
            elif isinstance(shortcut, (list, tuple)):
                action.setShortcuts([QKeySequence(s) for s in shortcut])
            else:
                action.setShortcut(QKeySequence(shortcut))
        plain = text.replace("&", "").rstrip("…")
        keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        action.setToolTip(f"{tip or plain} ({keys})" if keys else (tip or plain))
        action.setStatusTip(tip or plain)
        action.triggered.connect(lambda checked=False: slot())
        self.addAction(action)
        if menu:
            self.menus[menu].addAction(action)
        return action

    def _build_actions(self) -> None:
        bar = self.menuBar()
        for key, title in (("file", "&File"), ("edit", "&Edit"), ("view", "&View"), ("entry", "E&ntry"),
                           ("reports", "&Reports"), ("help", "&Help")):
            self.menus[key] = bar.addMenu(title)
            self.menus[key].setObjectName(f"{key}Menu")

        # File
        self.quit_action = self._action("&Quit", self.close, QKeySequence.StandardKey.Quit, menu="file")
        if not self.quit_action.shortcuts():
            self.quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)

        # Edit
        edit = self.menus["edit"]
        self.undo_action = self.undo_stack.createUndoAction(self, "&Undo")
        self.undo_action.setShortcuts(QKeySequence.StandardKey.Undo)
        set_icon(self.undo_action, "undo")
        self.redo_action = self.undo_stack.createRedoAction(self, "&Redo")
        # the platform's Redo (Ctrl+Shift+Z on Linux) and Ctrl+Y, which Windows users expect everywhere
        redo_keys = list(QKeySequence.keyBindings(QKeySequence.StandardKey.Redo))
        if QKeySequence("Ctrl+Y") not in redo_keys:
            redo_keys.append(QKeySequence("Ctrl+Y"))
        self.redo_action.setShortcuts(redo_keys)
        set_icon(self.redo_action, "redo")
        for a in (self.undo_action, self.redo_action):
            self.addAction(a)
            edit.addAction(a)
        edit.addSeparator()
        self.edit_action = self._action("&Edit entry…", self.edit_selected, "Ctrl+E", icon_name="edit",
                                        menu="edit")
        self.delete_action = self._action("&Delete entry…", self.delete_selected,
                                          QKeySequence.StandardKey.Delete, icon_name="delete", menu="edit")
        edit.addSeparator()
        self.find_action = self._action("&Find…", self.find, QKeySequence.StandardKey.Find,
                                        tip="Search the diary", icon_name="find", menu="edit")
        edit.addSeparator()
        self.preferences_action = self._action("&Settings…", self.open_settings,
                                               QKeySequence.StandardKey.Preferences, menu="edit")
        if not self.preferences_action.shortcuts():
            self.preferences_action.setShortcut(QKeySequence("Ctrl+,"))
            self.preferences_action.setToolTip("Settings (Ctrl+,)")
        self.preferences_action.setMenuRole(QAction.MenuRole.PreferencesRole)

        # View
        self.view_group = QActionGroup(self)
        self.week_page_action = self._action("&Week", lambda: self._go_to_page(WEEK_PAGE), "Ctrl+1",
                                             icon_name="week", menu="view")
        self.list_page_action = self._action("&List", lambda: self._go_to_page(LIST_PAGE), "Ctrl+2",
                                             icon_name="list", menu="view")
        self.people_page_action = self._action("&People", lambda: self._go_to_page(PEOPLE_PAGE), "Ctrl+3",
                                               icon_name="people", menu="view")
        for a in (self.week_page_action, self.list_page_action, self.people_page_action):
            a.setCheckable(True)
            self.view_group.addAction(a)
        self.week_page_action.setChecked(True)
        self.menus["view"].addSeparator()
        self.previous_action = self._action("&Previous week", self.previous_week, "Ctrl+Left",
                                            icon_name="previous", menu="view")
        self.today_action = self._action("&This week", self.go_today, "Ctrl+T", icon_name="today",
                                         tip="Go to this week", menu="view")
        self.next_action = self._action("&Next week", self.next_week, "Ctrl+Right", icon_name="next",
                                        menu="view")
        self.goto_action = self._action("&Go to date…", self.focus_date_picker, "Ctrl+G", menu="view")

        # Entry
        self.new_actions: dict[str, QAction] = {}
        for kind, text, keys in KINDS:
            self.new_actions[kind] = self._action(text, lambda k=kind: self.new_entry(k), keys,
                                                  icon_name="new" if kind == "appointment" else None,
                                                  menu="entry")
        self.menus["entry"].addSeparator()
        self.menus["entry"].addAction(self.edit_action)
        self.arrange_action = self._action("&Arrange another…", self.arrange_another, "Ctrl+Shift+A",
                                           tip="Copy the selected entry to a new date", menu="entry")
        self.outcome_action = self._action("Record &outcome…", self.record_outcome, "Ctrl+Shift+O",
                                           tip="Record the outcome of the selected appointment", menu="entry")
        self.menus["entry"].addAction(self.delete_action)
        if self.quick_entry is not None:
            self.menus["entry"].addSeparator()
            self.quick_action = self._action("&Quick entry", self.focus_quick_entry, "Ctrl+L",
                                             tip="Type an entry on one line", menu="entry")

        if self.timer is not None:
            self.menus["entry"].addSeparator()
            self.timer_start_action = self._action("&Start contact now", self.timer.start, "Ctrl+Shift+S",
                                                   tip="Start timing a live contact or task", menu="entry")
            self.timer_stop_action = self._action("S&top timer", self.timer.stop, "Ctrl+Shift+X",
                                                  tip="Stop the timer and save the entry", menu="entry")

        if self.demo:  # the demo window: one step back to the user's own diary
            self.back_action = self._action("&Back to my diary", self.close, "Ctrl+W",
                                            tip="Close the demo and go back to your own diary", menu="file")
            self.menus["file"].insertAction(self.quit_action, self.back_action)
        else:
            self.welcome_action = self._action("&Welcome screen…", lambda: self.maybe_first_run(force=True),
                                               tip="Your hours, working days and codes; or a demo diary",
                                               menu="help")

        # Help
        self.shortcuts_action = self._action("&Keyboard shortcuts", self.show_shortcuts, "F1",
                                             icon_name="shortcuts", menu="help")
        about = self._action("&About Probation Diary", self.show_about, icon_name="about", menu="help")
        about.setMenuRole(QAction.MenuRole.AboutRole)

        # Toolbar
        tb = self.toolbar = QToolBar("Main toolbar", self)
        tb.setObjectName("mainToolbar")
        tb.setAccessibleName("Main toolbar")
        tb.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, tb)
        new_menu = QMenu(self)
        for a in self.new_actions.values():
            new_menu.addAction(a)
        self.new_button = QToolButton(self)
        self.new_button.setDefaultAction(self.new_actions["appointment"])
        self.new_button.setMenu(new_menu)
        self.new_button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        self.new_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.new_button.setText("New")
        self.new_actions["appointment"].setIconText("New")  # kept when its icon is redrawn
        self.new_button.setAccessibleName("New entry")
        if self.demo:
            tb.addAction(self.back_action)
            tb.addSeparator()
        self._toolbar_controls = {tb.addWidget(self.new_button): self.new_button}  # by action
        tb.addAction(self.edit_action)
        tb.addAction(self.delete_action)
        tb.addSeparator()
        tb.addAction(self.undo_action)
        tb.addAction(self.redo_action)
        tb.addSeparator()
        tb.addAction(self.previous_action)
        tb.addAction(self.today_action)
        tb.addAction(self.next_action)
        from .datefield import DateField

        self.date_picker = DateField(self)  # read on Enter or leaving it, never per keystroke
        self.date_picker.setObjectName("datePicker")
        self.date_picker.setAccessibleName("Go to date")
        self.date_picker.setToolTip("Go to the week of a date (Ctrl+G)")
        self.date_picker.dateChanged.connect(self._date_picked)
        self.date_picker.entered.connect(lambda: self.week_view.setFocus(Qt.FocusReason.OtherFocusReason))
        self._toolbar_controls[tb.addWidget(self.date_picker)] = self.date_picker
        tb.addSeparator()
        for a in (self.week_page_action, self.list_page_action, self.people_page_action):
            tb.addAction(a)
        # short labels on the toolbar; menus keep the full wording
        for action, short in ((self.edit_action, "Edit"), (self.delete_action, "Delete"),
                              (self.previous_action, "Previous"), (self.next_action, "Next"),
                              (self.today_action, "Today")):
            action.setIconText(short)
        # secondary actions are icon-only (their tooltips name them and their shortcuts), so the
        # toolbar fits 1280 pixels with the area tools added
        buttons = self.toolbar_widgets()
        for action in (self.edit_action, self.delete_action, self.undo_action, self.redo_action,
                       self.previous_action, self.next_action):
            button = buttons.get(action)
            if isinstance(button, QToolButton):
                button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
        extension = tb.findChild(QToolButton, "qt_toolbar_ext_button")
        if extension is not None:
            extension.setAccessibleName("More toolbar buttons")
        for a in tb.actions():
            widget = buttons.get(a)
            if widget is not None and not widget.accessibleName():
                widget.setAccessibleName(a.text().replace("&", "").rstrip("…"))
            if widget is not None:
                widget.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        # (a separator keeps QWidget's NoFocus: it is not a control)
        self._update_actions()

    def toolbar_widgets(self) -> dict:
        """The toolbar's controls by action: its buttons, the New button and the date field
        (separators have none). Not widgetForAction(): PySide resolves the QWidget it returns by initialising
        every widget class it knows (about 30, with their enums: 9 ms before the first paint)."""
        tb = self.toolbar
        found = {b.defaultAction(): b for b in tb.findChildren(QToolButton, options=Qt.FindChildOption.FindDirectChildrenOnly)
                 if b.objectName() != "qt_toolbar_ext_button"}
        found.pop(None, None)
        found.update(self._toolbar_controls)
        return found

    def fit_toolbar(self) -> None:
        """On a narrow window (a small screen, 2x scaling) the labelled toolbar buttons lose
        their text, view buttons first and New last, until every button shows; none hides
        behind the overflow arrow. Their tooltips still name them and their shortcuts."""
        tb = getattr(self, "toolbar", None)
        if tb is None:
            return
        buttons = []
        widgets = self.toolbar_widgets()
        for a in tb.actions():
            w = widgets.get(a)
            if isinstance(w, QToolButton) and not w.icon().isNull() \
                    and (w.property("pdCollapsible") or w.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonTextBesideIcon):
                w.setProperty("pdCollapsible", True)
                buttons.append(w)
        order = [b for b in reversed(buttons) if b is not self.new_button] + \
            [b for b in buttons if b is self.new_button]
        for b in order:
            b.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        room = self.width() - 8
        for b in order:
            if tb.sizeHint().width() <= room:
                break
            b.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)

    def fit_top_row(self) -> None:
        """The week's dates and the timer side by side when there is room, else one above
        the other (so neither is squeezed)."""
        if self.timer is None:
            return
        left = self.width() - self.summary_scroll.width() - self.splitter.handleWidth() - 12
        need = self.week_label.sizeHint().width() + self.timer.sizeHint().width() + 24
        direction = QHBoxLayout.Direction.LeftToRight if left >= need else QHBoxLayout.Direction.TopToBottom
        if self._top_row.direction() != direction:
            self._top_row.setDirection(direction)

    def showEvent(self, event) -> None:
        from . import fit

        fit.on_show(self)  # fitted to the screen (every other window, once the areas install)
        super().showEvent(event)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.fit_toolbar()
        self.fit_top_row()

    def _build_status_bar(self) -> None:
        sb = self.statusBar()
        self.status_week = QLabel(self)
        self.status_timer = QLabel(self)
        self.status_timer.setObjectName("timerStatus")
        sb.addPermanentWidget(self.status_timer)
        sb.addPermanentWidget(self.status_week)
        if self.timer is not None and hasattr(self.timer, "running_text"):
            self._timer_text(self.timer.running_text())  # a timer resumed from the diary

    def _install_area(self, area: str) -> None:
        self._installed_areas.add(area)
        full = f"probation_diary.ui.{area}.actions"
        try:
            module = importlib.import_module(full)
        except ModuleNotFoundError as exc:
            if exc.name == full:
                return
            self.install_errors[area] = f"{type(exc).__name__}: {exc}"
            return
        except Exception as exc:  # another area's bug must not stop the diary opening
            self.install_errors[area] = f"{type(exc).__name__}: {exc}"
            return
        try:
            module.install(self)
        except Exception as exc:
            self.install_errors[area] = f"{type(exc).__name__}: {exc}"
        if area in self.install_errors:
            self.statusBar().showMessage(f"The {area} tools could not be loaded.", 10000)

    # -- the contract

    def current_week(self) -> Week:
        return self._week

    def selected_entry_ids(self) -> list[int]:
        page = self.stack.currentIndex()
        if page == LIST_PAGE:
            return self.list_panel.selected_ids()
        if page == WEEK_PAGE and self.week_view.selected_id is not None:
            return [self.week_view.selected_id]
        return []

    def select_entry(self, entry_id: int) -> None:
        if self._pending.isActive():  # a save's refresh has not run yet: the entry must be shown first
            self.refresh()
        entry = self._entries.get(entry_id) or self.diary.get_entry(entry_id)
        if entry is None:
            return
        week = Week.containing(to_local(entry.start).date())
        if week != self._week:
            self.go_to_week(week)
        if self.stack.currentIndex() == LIST_PAGE and self.list_panel.select_id(entry_id):
            return
        if self.stack.currentIndex() != WEEK_PAGE:
            self.show_page(WEEK_PAGE)
        self.week_view.select(entry_id)
        typing = QApplication.focusWidget()
        if not (self.quick_entry is not None and typing is not None and self.quick_entry.isAncestorOf(typing)):
            self.week_view.setFocus()  # after a quick entry the cursor stays there, for the next line

    def refresh(self) -> None:
        """Re-read the current week, the summary and (when shown) the list and caseload."""
        self._pending.stop()
        week = self._week
        now = clock.now_utc()  # one "now" for the figures, the colours and the planned parts
        entries = self.diary.entries_between(week.start, week.end)
        summary = self.diary.week_summary(week, now)
        ref = self.diary.reference()
        self._entries = {e.id: e for e in entries}
        self._names = self.diary.names_of(e.crn for e in entries if e.crn)
        flags = {i: AWAITING_OUTCOME for i in summary.awaiting_outcome_ids}
        flags.update({i: NOT_ATTENDED for i in summary.not_attended_ids})
        self._flags = flags
        self._counts = entry_counts(entries, ref.types, ref.outcomes, now)
        holidays = {d.date: d.bank_holiday for d in summary.days if d.bank_holiday}
        self.week_view.set_content(
            week, entries, ref, names=self._names, flags=flags, holidays=holidays,
            today=clock.to_local(now).date(), working_days=self.diary.settings().working_days,
            counts=self._counts, now=now)
        self._schedule_tick(summary.planned_minutes > 0)
        from ..store.delius import outstanding_count

        self.summary.set_summary(summary, outstanding=outstanding_count(self.diary, week.start, week.end),
                                 describe=self._describe)
        self.summary_updates += 1
        if not self._ticking:  # the list shows nothing that changes as time passes
            self._list_dirty = True
        self._people_dirty = True
        self._refresh_hidden_pages()
        last = week.days[-1]
        self.week_label.setText(week_label(week.monday))
        self.week_view.setAccessibleName(f"Week of {long_date(week.monday)}")
        iso = week.monday.isocalendar()
        self.status_week.setText(f"Week {iso.week} · {len(entries)} entries")
        if not week.monday <= self.date_picker.day() <= last:  # it keeps a date typed in this week
            self.date_picker.set_day(week.monday)
        self._update_actions()

    def _refresh_hidden_pages(self) -> None:
        page = self.stack.currentIndex()
        if page == LIST_PAGE and self._list_dirty:
            selected = self.list_panel.selected_ids()
            self.list_panel.set_week(self._week)  # follows the header's week (and reloads)
            self._list_dirty = False
            for i in selected[:1]:
                self.list_panel.select_id(i)
        if page == PEOPLE_PAGE and self._people_dirty:
            self.people_panel.refresh(self._week)
            self._people_dirty = False

    def open_editor(self, entry_id: int) -> None:
        entry = self.diary.get_entry(entry_id)
        editor_cls = self._editor_class()
        if entry is None or editor_cls is None:
            return
        self._run_editor(editor_cls(self.diary, entry=entry, parent=self), edit=True)

    # -- saving (always through the undo stack)

    def save_new(self, entry: Entry, text: str = "New entry") -> Entry | None:
        try:
            cmd = push(self.undo_stack, AddEntryCommand(self.diary, entry, self._select_after, text))
        except DiaryError as exc:
            dialogs.show_error(self, f"The entry was not saved: {exc}")
            return None
        self.statusBar().showMessage(f"Saved {cmd.saved.ref}", 5000)
        return cmd.saved

    def _save_from(self, part, entry: Entry, text: str) -> None:
        """Save what quick entry or the timer sent; if it cannot be saved, the part gets it back."""
        if self.save_new(entry, text) is None:
            part.not_saved()

    def save_edit(self, entry: Entry, text: str = "Edit entry") -> Entry | None:
        try:
            cmd = push(self.undo_stack, EditEntryCommand(self.diary, entry, self._select_after, text))
        except DiaryError as exc:
            dialogs.show_error(self, f"The change was not saved: {exc}")
            return None
        self.statusBar().showMessage(f"Saved {cmd.after.ref}", 5000)
        return cmd.after

    def delete_entries(self, ids: list[int]) -> bool:
        if not ids:
            return False
        after = self._neighbour(ids)
        try:
            push(self.undo_stack, DeleteEntriesCommand(self.diary, ids, self._select_after))
        except DiaryError as exc:
            dialogs.show_error(self, f"Nothing was deleted: {exc}")
            return False
        self.statusBar().showMessage("Deleted. Undo brings it back.", 5000)
        if after is not None:  # the next one is selected, so Delete and Edit keep working from the keyboard
            self._select_after(after)
        return True

    def _neighbour(self, ids: list[int]) -> int | None:
        """The entry shown after (else before) the ones about to go, in the list's order or
        the week's."""
        gone = set(ids)
        if self.stack.currentIndex() == LIST_PAGE and self._list_panel is not None:
            model = self.list_panel.model
            order = [model.entry_id(r) for r in range(model.rowCount())]
        elif self.stack.currentIndex() == WEEK_PAGE:
            order = self.week_view.accessible_ids()
        else:
            return None
        places = [i for i, e in enumerate(order) if e in gone]
        if not places:
            return None
        later = [e for e in order[places[0]:] if e is not None and e not in gone]
        earlier = [e for e in order[:places[0]] if e is not None and e not in gone]
        return later[0] if later else earlier[-1] if earlier else None

    def _select_after(self, entry_id: int) -> None:
        # after the refresh that the change triggers
        QTimer.singleShot(0, lambda: self.select_entry(entry_id))

    # -- entry actions

    def _editor_class(self):
        return load_part("entry.editor", "EntryEditor")

    def _run_editor(self, editor, *, edit: bool) -> Entry | None:
        """Run the editor and save what it gives. A save that fails (the message says why)
        brings the editor back with everything typed in it, to try again or cancel."""
        if editor is None:
            return None
        from PySide6.QtWidgets import QDialog

        while dialogs.exec_dialog(editor) == int(QDialog.DialogCode.Accepted):
            entry = editor.result_entry()
            if entry is None:
                return None
            saved = self._save_edited(editor, entry, edit)
            if saved is not None:
                return saved
        return None

    def _save_edited(self, editor, entry: Entry, edit: bool) -> Entry | None:
        named = getattr(editor, "person_name", lambda: None)()
        if named is None:
            return self.save_edit(entry) if edit and entry.id is not None else self.save_new(entry)
        self.undo_stack.beginMacro("Edit entry" if edit else "New entry")  # one undo for both
        try:
            saved = self.save_edit(entry) if edit and entry.id is not None else self.save_new(entry)
            if saved is not None:
                self.name_person(*named)
        finally:
            self.undo_stack.endMacro()
        return saved

    def name_person(self, crn: str, name: str) -> bool:
        """Give a CRN a name or initials (undoable), from the People view or the editor."""
        from .people import RenamePersonCommand

        command = RenamePersonCommand(self.diary, crn, name)
        try:
            command.apply()
        except (DiaryError, ValueError) as exc:
            dialogs.show_error(self, f"The name was not saved: {exc}")
            return False
        self.undo_stack.push(command)
        self.statusBar().showMessage("Name saved. Undo takes it back.", 5000)
        return True

    def new_entry(self, kind: str, day: dt.date | None = None) -> Entry | None:
        cls = self._editor_class()
        if day is None:
            selected = self._single_selected()
            day = to_local(selected.start).date() if selected else None
        if day is None:  # the day gone to (Go to date), else today in its week, else the Monday
            today, picked = clock.today_local(), self.date_picker.day()
            week = self._week.monday <= picked < self._week.next().monday
            day = picked if week and picked != self._week.monday else \
                today if self._week.monday <= today < self._week.next().monday else self._week.monday
        return self._run_editor(cls(self.diary, kind=kind, day=day, parent=self), edit=False)

    def _single_selected(self) -> Entry | None:
        ids = self.selected_entry_ids()
        return self.diary.get_entry(ids[0]) if len(ids) == 1 else None

    def edit_selected(self) -> None:
        entry = self._single_selected()
        if entry is None:
            self.statusBar().showMessage("Select one entry to edit.", 5000)
            return
        self.open_editor(entry.id)

    def arrange_another(self) -> None:
        entry = self._single_selected()
        cls = self._editor_class() if entry else None
        if cls is None:
            return
        self._run_editor(cls.arrange_another(self.diary, entry, self), edit=False)

    def entry_under_cursor(self) -> int | None:
        """The entry under the mouse pointer in the week or the list, if any."""
        if self.stack.currentIndex() == WEEK_PAGE:
            viewport = self.week_view.viewport()
            pos = viewport.mapFromGlobal(QCursor.pos())
            return self.week_view.item_at(pos) if viewport.rect().contains(pos) else None
        if self.stack.currentIndex() == LIST_PAGE and self._list_panel is not None:
            viewport = self.list_panel.view.viewport()
            pos = viewport.mapFromGlobal(QCursor.pos())
            index = self.list_panel.view.indexAt(pos) if viewport.rect().contains(pos) else None
            return self.list_panel.model.entry_id(index.row()) if index is not None and index.isValid() else None
        return None

    def target_entry_ids(self) -> list[int]:
        """What an action acts on: the selection, else the entry under the pointer (selected
        too, so the user sees which)."""
        ids = self.selected_entry_ids()
        if ids:
            return ids
        under = self.entry_under_cursor()
        if under is None:
            return []
        self.select_entry(under)
        return [under]

    def record_outcome(self) -> None:
        ids = self.target_entry_ids()
        entry = self.diary.get_entry(ids[0]) if len(ids) == 1 else None
        if entry is None:
            dialogs.show_info(self, "Select the appointment first (click it, or use the arrow keys in the "
                                    "week), then Record outcome (Ctrl+Shift+O).")
            return
        atype = self.diary.reference().types.get(entry.type_id)
        if not atype or not atype.needs_outcome or entry.outcome_code or entry.start > clock.now_utc():
            dialogs.show_info(self, "Record outcome is for an appointment that has happened and has no "
                                    "outcome yet.")
            return
        self._run_editor(self._editor_class().record_outcome(self.diary, entry, self), edit=True)

    def delete_selected(self) -> None:
        ids = self.selected_entry_ids()
        if not ids:
            return
        if len(ids) == 1:
            entry = self.diary.get_entry(ids[0])
            if entry is None:
                return
            names = self.diary.names_of([entry.crn]) if entry.crn else {}  # (from any week, on the list)
            what = f"{entry.ref}: {describe(entry, self.diary.reference(), names)}"
            text = "Delete this entry?"
        else:
            what, text = f"{len(ids)} entries", f"Delete these {len(ids)} entries?"
        if dialogs.ask_confirmation(self, text, confirm="Delete",
                                    detail=f"{what}\n\nYou can undo this (Edit > Undo)."):
            self.delete_entries(ids)

    def open_settings(self) -> None:
        cls = load_part("settings.dialog", "SettingsDialog")
        dialogs.exec_dialog(cls(self.diary, self))
        self.refresh()

    def maybe_first_run(self, *, force: bool = False) -> bool:
        """Until the welcome screen is completed ("Start my diary") or dismissed ("Don't ask
        again"), offer it: at start-up and when the demo window closes. ``force``: Help >
        Welcome screen."""
        if self.demo or not force and getattr(self.diary, "read_only", None):
            return False  # (a diary opened for reading only could keep none of its answers)
        cls = load_part("settings.firstrun", "FirstRunDialog")
        if not force and cls.completed_or_dismissed(self.diary):
            return False
        dlg = cls(self.diary, self)
        dialogs.exec_dialog(dlg)
        if getattr(dlg, "choice", None) == "demo":
            self.open_demo(dlg.demo_diary())
        elif not cls.completed_or_dismissed(self.diary):
            s = self.diary.settings()
            days = ", ".join(d for i, d in enumerate(("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"))
                             if i in s.working_days)
            self.statusBar().showMessage(
                f"Not set up yet: the week counts {s.contracted_hours} hours, {days}. "
                "Help > Welcome screen sets it up.", 20000)
        self.go_today()
        return True

    def open_demo(self, demo_diary: Diary) -> MainWindow:
        """A second window on a separate in-memory demo diary. The user's own diary is left as
        it is (so the first-run screen comes back until they start it)."""
        if self.demo_window is not None:
            self.demo_window.close()
        win = self.demo_window = MainWindow(demo_diary, demo=True)
        win.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        win.destroyed.connect(lambda *_: setattr(self, "demo_window", None))
        win.destroyed.connect(lambda *_: QTimer.singleShot(0, self._back_from_demo))
        win.resize(self.size())
        win.show()
        win.raise_()
        win.activateWindow()
        return win

    def _back_from_demo(self) -> None:
        """The demo window closed: back here, and the welcome again until it is done."""
        if not self.isVisible():
            return
        self.raise_()
        self.activateWindow()
        self.maybe_first_run()

    # -- navigation

    def go_to_week(self, week: Week) -> None:
        self._week = week
        self.refresh()

    def previous_week(self) -> None:
        self.go_to_week(self._week.previous())

    def next_week(self) -> None:
        self.go_to_week(self._week.next())

    def go_today(self) -> None:
        self.go_to_week(Week.containing(clock.today_local()))

    def go_to_date(self, day: dt.date) -> None:
        self.go_to_week(Week.containing(day))

    def _date_picked(self, qdate: QDate) -> None:
        self.go_to_date(dt.date(qdate.year(), qdate.month(), qdate.day()))

    def focus_date_picker(self) -> None:
        self.date_picker.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.date_picker.line.selectAll()

    def focus_quick_entry(self) -> None:
        if self.quick_entry is not None:
            self.quick_entry.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def show_page(self, page: int) -> None:
        self.stack.setCurrentIndex(page)

    def _page_changed(self, page: int) -> None:
        if page == LIST_PAGE:
            self.list_panel  # noqa: B018 - built on first show
        elif page == PEOPLE_PAGE:
            self.people_panel  # noqa: B018
        (self.week_page_action, self.list_page_action, self.people_page_action)[page].setChecked(True)
        self._refresh_hidden_pages()
        self._update_actions()

    def _go_to_page(self, page: int) -> None:
        """Ctrl+1/2/3: the page, with the cursor in its table, ready for the arrow keys."""
        self.show_page(page)
        view = (self.week_view, self._list_panel and self._list_panel.view,
                self._people_panel and self._people_panel.view)[page]
        if view is not None:
            view.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def find(self) -> None:
        self.show_page(LIST_PAGE)
        self.list_panel.show_all_dates()  # find searches the whole diary
        self.list_panel.apply_filter()
        self.list_panel.text.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.list_panel.text.selectAll()

    def show_person(self, crn: str) -> None:
        self.list_panel.set_person(crn)
        self.show_page(LIST_PAGE)
        self.list_panel.view.setFocus()

    def _show_outstanding(self) -> None:
        self.list_panel.show_outstanding(self._week)
        self.show_page(LIST_PAGE)

    # -- reactions

    def _check_elsewhere(self) -> None:
        if self.diary.is_usable() and self.diary.changed_elsewhere():
            self._pending.start()

    def _diary_changed(self, what: str) -> None:
        # coalesce a burst of writes (an undo of several entries) into one refresh
        if what in ("entries", "settings", "reference", "people"):
            self._pending.start()

    def _scheme_changed(self, *args) -> None:
        retint(self)
        self.week_view.viewport().update()
        self.summary.update()
        self.summary.class_chart.update()
        self.summary.day_chart.update()

    def _week_selection(self, entry_id: int) -> None:
        self._update_actions()
        if entry_id >= 0 and entry_id in self._entries:
            e = self._entries[entry_id]
            self.statusBar().showMessage(f"{e.ref}: {describe(e, self.diary.reference(), self._names)}", 8000)

    def _list_activated(self, index) -> None:
        entry_id = self.list_panel.model.entry_id(index.row())
        if entry_id is not None:
            self.open_editor(entry_id)

    def _timer_text(self, text: str) -> None:
        self.status_timer.setText(text)

    def _update_actions(self, *args) -> None:
        count = len(self.selected_entry_ids())
        for a in (self.edit_action, self.arrange_action):
            a.setEnabled(count == 1)
        self.outcome_action.setEnabled(count <= 1)  # none selected: the entry under the pointer, or it says
        self.delete_action.setEnabled(count >= 1)

    def _describe(self, entry_id: int) -> str:
        e = self._entries.get(entry_id)
        if e is None:
            return f"PD-{entry_id:06d}"
        counts = self._counts.get(entry_id)
        key = (e, self.diary.reference().types.get(e.type_id), self._names.get(e.crn or ""), counts)
        text = self._descriptions.get(key)
        if text is None:  # the act-on list asks for the same lines after every save
            if len(self._descriptions) > 2000:
                self._descriptions.clear()
            text = self._descriptions[key] = describe(e, self.diary.reference(), self._names, counts=counts)
        return text

    def _minute_passed(self) -> None:
        if not self.diary.is_usable():  # closed under the window (a test, a restore): nothing to show
            return
        self._ticking = True
        try:
            self.refresh()
        finally:
            self._ticking = False

    def _schedule_tick(self, needed: bool) -> None:
        """While the week shown has planned time, its figures change as each minute passes:
        refresh at the next minute (one timer, re-armed by each refresh)."""
        if not needed:
            self._tick.stop()
            return
        now = dt.datetime.now(dt.timezone.utc)
        self._tick.start(int((60 - now.second) * 1000 - now.microsecond / 1000) + 200)

    # -- help

    def shortcuts_dialog(self):
        """F1's table of shortcuts, read from this window's actions (ui/shortcuts.py)."""
        from .shortcuts import ShortcutsDialog

        return ShortcutsDialog(self)

    def show_shortcuts(self) -> None:
        old = getattr(self, "_shortcuts", None)
        if old is not None:
            old.close()
        dlg = self._shortcuts = self.shortcuts_dialog()
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dlg.destroyed.connect(lambda *_: setattr(self, "_shortcuts", None))
        dlg.show()  # not modal: it can stay open beside the window
        dlg.raise_()

    def show_about(self) -> None:
        dialogs.show_info(self, f"Probation Diary {__version__}\n\nA private, offline case-contact diary.\n"
                                f"Diary file: {self.diary.path or 'in memory'}", title="About Probation Diary")

    # -- window state (QSettings holds only geometry and layout)

    def _settings(self) -> QSettings:
        return QSettings("Probation Diary", "Probation Diary")

    def _restore_layout(self) -> None:
        s = self._settings()
        geometry = s.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            # first start: a comfortable size, but never larger than the screen
            from .fit import room

            limit = room(self)  # the available geometry less the title bar and frame
            self.resize(min(1280, limit.width()), min(800, limit.height()))
        state = s.value("window/state")
        if state is not None:
            self.restoreState(state)
        splitter = s.value("window/splitter")
        if splitter is not None:
            self.splitter.restoreState(splitter)
        page = s.value("window/page")
        if page is not None and str(page).isdigit() and int(page) in (WEEK_PAGE, LIST_PAGE, PEOPLE_PAGE):
            self.show_page(int(page))

    def save_layout(self) -> None:
        s = self._settings()
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/state", self.saveState())
        s.setValue("window/splitter", self.splitter.saveState())
        s.setValue("window/page", self.stack.currentIndex())
        s.sync()

    def closeEvent(self, event) -> None:
        if not self.demo:  # the demo window never changes the user's saved layout
            self.save_layout()
        if self._diary_changed in self.diary.listeners:
            self.diary.listeners.remove(self._diary_changed)
        self._tick.stop()  # a closed window reads its diary no more (it may be closed next)
        self._watch.stop()
        self._pending.stop()
        super().closeEvent(event)
