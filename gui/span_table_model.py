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

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QColor

from claimmark.core.model import Label, Span

from .plain_text import one_line, plain_tooltip
from .read_only_table_model import Index, ReadOnlyTableModel

SPAN_ID_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2


_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_DECORATION = int(Qt.ItemDataRole.DecorationRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_SORT = int(SORT_ROLE)
_SPAN_ID = int(SPAN_ID_ROLE)
_ANSWERED = frozenset({_DISPLAY, _DECORATION, _TOOLTIP, _SORT, _SPAN_ID})


#: One span as the table holds it: (id, start, end, label, note), the shape of
#: ``Project.span_extents``; its text is cut from the document's text when a cell is asked for.
Extent = tuple[str, int, int, str, str | None]


def extent_of(span: Span) -> Extent:
    return (span.id, span.start, span.end, span.label, span.note)


class _Row:
    """One span's cells, worked out on first request."""

    __slots__ = ("color", "display", "sort", "text")

    def __init__(self, extent: Extent, text: str, annotator: str, label: Label | None) -> None:
        _, _, _, key, note = extent
        name = label.name if label else key
        note = note or ""
        self.text = text
        self.display = (name, one_line(text), annotator, one_line(note))
        self.sort = (name.casefold(), text.casefold(), annotator.casefold(), note.casefold())
        self.color = QColor(label.color) if label else None


class SpanTableModel(ReadOnlyTableModel):
    """Every span is a row from the start (so sorting sees them all), but a row's strings are
    only built when a cell of it is asked for, and the id-to-row index when a row is looked up:
    opening a document of 20,000 spans touches none of them until the view paints a few."""

    COLUMNS = ("Label", "Text", "Annotator", "Note")

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._spans: list[Extent] = []
        self._text = ""
        self._annotator = ""
        self._row_of: dict[str, int] | None = {}  # None until a row is looked up by id
        self._rows: dict[str, _Row] = {}  # by span id, filled as cells are asked for
        self._labels: dict[str, Label] = {}

    def set_labels(self, labels: Sequence[Label]) -> None:
        self._labels = {label.key: label for label in labels}
        self._rows.clear()

    def set_spans(self, spans: Sequence[Extent], text: str = "", annotator: str = "") -> None:
        """Show ``spans`` (extents in the order wanted) cut from ``text``, all by ``annotator``."""
        self.beginResetModel()
        self._spans = list(spans)
        self._text = text
        self._annotator = annotator
        self._row_of = None
        self._rows.clear()
        self.endResetModel()

    def spans(self) -> list[Extent]:
        return list(self._spans)

    def _index(self) -> dict[str, int]:
        if self._row_of is None:
            self._row_of = {extent[0]: i for i, extent in enumerate(self._spans)}
        return self._row_of

    def row_of(self, span_id: str) -> int | None:
        return self._index().get(span_id)

    def upsert(self, extent: Extent) -> None:
        span_id = extent[0]
        row = self._index().get(span_id)
        self._rows.pop(span_id, None)
        if row is None:
            row = len(self._spans)
            self.beginInsertRows(QModelIndex(), row, row)
            self._spans.append(extent)
            self._index()[span_id] = row
            self.endInsertRows()
        else:
            self._spans[row] = extent
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.COLUMNS) - 1))

    def remove(self, span_id: str) -> None:
        index = self._index()
        row = index.get(span_id)
        if row is None:
            return
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._spans[row]
        del index[span_id]
        self._rows.pop(span_id, None)
        for i in range(row, len(self._spans)):
            index[self._spans[i][0]] = i
        self.endRemoveRows()

    # ------------------------------------------------------------------ Qt model
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._spans)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        role = int(role)
        if role not in _ANSWERED:
            return None
        row = index.row()
        if not 0 <= row < len(self._spans) or not index.isValid():
            return None
        extent = self._spans[row]
        span_id = extent[0]
        if role == _SPAN_ID:
            return span_id
        cells = self._rows.get(span_id)
        if cells is None:
            cells = self._rows[span_id] = _Row(
                extent,
                self._text[extent[1] : extent[2]],
                self._annotator,
                self._labels.get(extent[3]),
            )
        column = index.column()
        if role == _DISPLAY:
            return cells.display[column]
        if role == _SORT:
            return cells.sort[column]
        if role == _DECORATION:
            return cells.color if column == 0 else None
        if column in (1, 3):  # tooltip
            return plain_tooltip(cells.text if column == 1 else (extent[4] or ""))
        return None
