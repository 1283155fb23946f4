"""The current span's relations, listed under the span table: type, direction, the other span.

A row is selected like any table row; Delete (the window's Delete, while this list has focus)
deletes the selected relation, and Ctrl+Z brings it back; Enter (or a double click) goes to the
other span. Texts come from the article and are
shown as plain cells, never as rich text.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QHeaderView, QLabel, QVBoxLayout, QWidget

from .plain_text import one_line, plain_tooltip
from .read_only_table_model import Index, ReadOnlyTableModel
from .tables import fit_column, plain_table

RELATION_ID_ROLE = Qt.ItemDataRole.UserRole + 1
OTHER_SPAN_ROLE = Qt.ItemDataRole.UserRole + 2


class RelationRow(NamedTuple):
    relation_id: str
    type_name: str
    color: QColor
    #: True when the current span is the link's source (the other span its target)
    outgoing: bool
    other_label: str
    other_text: str
    description: str
    other_id: str


class RelationTableModel(ReadOnlyTableModel):
    COLUMNS = ("Type", "Direction", "Other span")

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[RelationRow] = []

    def set_rows(self, rows: list[RelationRow]) -> None:
        if rows == self._rows:
            return
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def rows(self) -> list[RelationRow]:
        return list(self._rows)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return row.type_name
            if column == 1:
                return "→ to" if row.outgoing else "← from"
            return f"{row.other_label}: {one_line(row.other_text)}"
        if role == Qt.ItemDataRole.DecorationRole and column == 0:
            return row.color
        if role == Qt.ItemDataRole.ToolTipRole and column == 0:
            return plain_tooltip(row.description)
        if role == RELATION_ID_ROLE:
            return row.relation_id
        if role == OTHER_SPAN_ROLE:
            return row.other_id
        return None


class RelationPanel(QWidget):
    #: Enter or a double click on a row: the other span of that link
    sig_span_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        self.caption = QLabel("Relations of the current span (R links it to another)", self)
        self.caption.setTextFormat(Qt.TextFormat.PlainText)
        self.model = RelationTableModel(self)
        self.table = plain_table(self, "relationTable", self.model)
        fit_column(self.table, 0, ["Type", "Attributed to"], icon=True)
        fit_column(self.table, 1, ["Direction", "← from"])
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.caption)
        layout.addWidget(self.table, 1)
        self.table.activated.connect(
            lambda index: self.sig_span_chosen.emit(index.data(OTHER_SPAN_ROLE))
        )

    def show_rows(self, rows: list[RelationRow]) -> None:
        self.model.set_rows(rows)

    def selected_relation(self) -> str | None:
        """The relation of the selected row (None when no row is selected)."""
        index = self.table.currentIndex()
        return index.data(RELATION_ID_ROLE) if index.isValid() else None
