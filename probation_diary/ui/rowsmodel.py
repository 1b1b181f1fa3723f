"""One table model for the lists of figures (people, caseload spread, team): a list of rows
held in memory (small: one per person or week), shown as text with right-aligned numbers."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt


class RowsModel(QAbstractTableModel):
    headers: tuple[str, ...] = ()
    right_aligned: frozenset[int] = frozenset()  # columns of numbers
    sortable = False

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list = []

    # -- what a model provides

    def cells(self, row) -> tuple:
        """The row's text, one per column."""
        raise NotImplementedError

    def sort_keys(self, row) -> tuple:
        """One sort key per column (only for sortable models)."""
        raise NotImplementedError

    def role_data(self, row, column: int, role):
        """Anything beyond text and alignment (colour, font, the row's key)."""
        return None

    # -- the same for every model

    def set_rows(self, rows) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole \
                and 0 <= section < len(self.headers):
            return self.headers[section]
        return None

    def flags(self, index):
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row, column = self.rows[index.row()], index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self.cells(row)[column]
        if role == Qt.ItemDataRole.TextAlignmentRole and column in self.right_aligned:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return self.role_data(row, column, role)

    def sort(self, column, order=Qt.SortOrder.AscendingOrder):
        if not self.sortable or not 0 <= column < len(self.headers):
            return
        self.layoutAboutToBeChanged.emit()
        self.rows.sort(key=lambda r: (self.sort_keys(r)[column], self.sort_keys(r)),
                       reverse=order == Qt.SortOrder.DescendingOrder)
        self.layoutChanged.emit()
