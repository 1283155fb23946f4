"""The open document's spans (for the current annotator) as table rows.

Rows change one at a time as the annotator works, so the model takes a core ``Change`` and
inserts, updates or removes exactly that row instead of resetting, which would lose the view's
selection and scroll position on every keystroke.

The view asks ``data`` for every visible cell in about ten roles on each repaint, and labelling
repaints the table: a row's strings are built once, on first request, and roles nobody answers
return at once. Rows are found by id through a dict, not a scan of thousands of spans.
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

_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_DECORATION = int(Qt.ItemDataRole.DecorationRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_SORT = int(SORT_ROLE)
_SPAN_ID = int(SPAN_ID_ROLE)
_ANSWERED = frozenset({_DISPLAY, _DECORATION, _TOOLTIP, _SORT, _SPAN_ID})
_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


class _Row:
    """One span's cells, worked out on first request."""

    __slots__ = ("color", "display", "sort", "span")

    def __init__(self, span: Span, label: Label | None) -> None:
        name = label.name if label else span.label
        note = span.note or ""
        self.span = span
        self.display = (name, one_line(span.text), span.annotator, one_line(note))
        self.sort = (
            name.casefold(),
            span.text.casefold(),
            span.annotator.casefold(),
            note.casefold(),
        )
        self.color = QColor(label.color) if label else None


class SpanTableModel(QAbstractTableModel):
    COLUMNS = ("Label", "Text", "Annotator", "Note")

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._spans: list[Span] = []
        self._row_of: dict[str, int] = {}
        self._rows: dict[str, _Row] = {}  # by span id, filled as cells are asked for
        self._labels: dict[str, Label] = {}

    def set_labels(self, labels: Sequence[Label]) -> None:
        self._labels = {label.key: label for label in labels}
        self._rows.clear()

    def set_spans(self, spans: Sequence[Span]) -> None:
        self.beginResetModel()
        self._spans = list(spans)
        self._row_of = {s.id: i for i, s in enumerate(self._spans)}
        self._rows.clear()
        self.endResetModel()

    def spans(self) -> list[Span]:
        return list(self._spans)

    def row_of(self, span_id: str) -> int | None:
        return self._row_of.get(span_id)

    def upsert(self, span: Span) -> None:
        row = self._row_of.get(span.id)
        self._rows.pop(span.id, None)
        if row is None:
            row = len(self._spans)
            self.beginInsertRows(QModelIndex(), row, row)
            self._spans.append(span)
            self._row_of[span.id] = row
            self.endInsertRows()
        else:
            self._spans[row] = span
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.COLUMNS) - 1))

    def remove(self, span_id: str) -> None:
        row = self._row_of.get(span_id)
        if row is None:
            return
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._spans[row]
        del self._row_of[span_id]
        self._rows.pop(span_id, None)
        for i in range(row, len(self._spans)):
            self._row_of[self._spans[i].id] = i
        self.endRemoveRows()

    # ------------------------------------------------------------------ Qt model
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._spans)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        role = int(role)
        if role not in _ANSWERED:
            return None
        row = index.row()
        if not 0 <= row < len(self._spans) or not index.isValid():
            return None
        span = self._spans[row]
        if role == _SPAN_ID:
            return span.id
        cells = self._rows.get(span.id)
        if cells is None:
            cells = self._rows[span.id] = _Row(span, self._labels.get(span.label))
        column = index.column()
        if role == _DISPLAY:
            return cells.display[column]
        if role == _SORT:
            return cells.sort[column]
        if role == _DECORATION:
            return cells.color if column == 0 else None
        if column in (1, 3):  # tooltip
            return plain_tooltip(span.text if column == 1 else (span.note or ""))
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
        return _FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags
