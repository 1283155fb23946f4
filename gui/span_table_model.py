"""The open document's spans (for the current annotator) as table rows.

Rows change one at a time as the annotator works, so the model takes a core ``Change`` and
inserts, updates or removes exactly that row instead of resetting, which would lose the view's
selection and scroll position on every keystroke.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from claimmark.core.model import Label, Span

from .plain_text import one_line, plain_tooltip

SPAN_ID_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2

Index = QModelIndex | QPersistentModelIndex


class SpanTableModel(QAbstractTableModel):
    COLUMNS = ("Label", "Text", "Annotator", "Note")

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._spans: list[Span] = []
        self._labels: dict[str, Label] = {}

    def set_labels(self, labels: Sequence[Label]) -> None:
        self._labels = {label.key: label for label in labels}

    def set_spans(self, spans: Sequence[Span]) -> None:
        self.beginResetModel()
        self._spans = list(spans)
        self.endResetModel()

    def spans(self) -> list[Span]:
        return list(self._spans)

    def row_of(self, span_id: str) -> int | None:
        return next((i for i, s in enumerate(self._spans) if s.id == span_id), None)

    def upsert(self, span: Span) -> None:
        row = self.row_of(span.id)
        if row is None:
            row = len(self._spans)
            self.beginInsertRows(QModelIndex(), row, row)
            self._spans.append(span)
            self.endInsertRows()
        else:
            self._spans[row] = span
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.COLUMNS) - 1))

    def remove(self, span_id: str) -> None:
        row = self.row_of(span_id)
        if row is not None:
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._spans[row]
            self.endRemoveRows()

    # ------------------------------------------------------------------ Qt model
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._spans)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._spans):
            return None
        span = self._spans[index.row()]
        column = index.column()
        label = self._labels.get(span.label)
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return label.name if label else span.label
            if column == 1:
                return one_line(span.text)
            if column == 2:
                return span.annotator
            return one_line(span.note or "")
        if role == SORT_ROLE:
            if column == 0:
                return (label.name if label else span.label).casefold()
            if column == 1:
                return span.text.casefold()
            if column == 2:
                return span.annotator.casefold()
            return (span.note or "").casefold()
        if role == Qt.ItemDataRole.DecorationRole and column == 0 and label:
            return QColor(label.color)
        if role == Qt.ItemDataRole.ToolTipRole and column in (1, 3):
            return plain_tooltip(span.text if column == 1 else (span.note or ""))
        if role == SPAN_ID_ROLE:
            return span.id
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(self.COLUMNS)
        ):
            return self.COLUMNS[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
