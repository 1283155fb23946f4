"""The open document's spans (the editable layer's and any other layers shown) as table rows.

Rows change one at a time as the annotator works, so the model takes a core ``Change`` and
inserts, updates or removes exactly that row instead of resetting, which would lose the view's
selection and scroll position on every keystroke.

The view asks ``data`` for every visible cell in about ten roles on each repaint, and labelling
repaints the table: a row's strings are built once, on first request, and roles nobody answers
return at once. Rows are found by id through a dict, not a scan of thousands of spans.

The model sorts itself (text order until a column is chosen) instead of sitting behind a
``QSortFilterProxyModel``: the proxy maps every row through a Python-overridable filter on each
reset, about 30 ms of opening a document of 20,000 spans, and a span added or changed lands in
its sorted place here with one bisection.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QColor

from claimmark.core.model import Label, ShownSpan

from .plain_text import one_line, plain_tooltip
from .read_only_table_model import Index, ReadOnlyTableModel

SPAN_ID_ROLE = Qt.ItemDataRole.UserRole + 1


_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_DECORATION = int(Qt.ItemDataRole.DecorationRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_SPAN_ID = int(SPAN_ID_ROLE)
_ANSWERED = frozenset({_DISPLAY, _DECORATION, _TOOLTIP, _SPAN_ID, _FOREGROUND})
#: Other layers' rows are read-only here: greyed like the outlines that show them in the article.
_OTHER_LAYER_TEXT = QColor("#6b6b6b")


def _text_order(span: ShownSpan) -> tuple:
    """Where the span sits in the text; the id keeps it unique when layers are shown together
    (one annotator's spans are already unique by offsets and label)."""
    return span[:4]


class _Row:
    """One span's cells, worked out on first request."""

    __slots__ = ("color", "display", "other", "sort", "text")

    def __init__(
        self,
        span: ShownSpan,
        text: str,
        annotator: str,
        label: Label | None,
        other: bool,
        attributes: str = "",
    ) -> None:
        key, note = span[2], span[4]
        self.other = other
        name = label.name if label else key
        note = note or ""
        self.text = text
        self.display = (name, one_line(text), annotator, one_line(note), one_line(attributes))
        self.sort = (
            name.casefold(),
            text.casefold(),
            annotator.casefold(),
            note.casefold(),
            attributes.casefold(),
        )
        self.color = QColor(label.color) if label else None


class SpanTableModel(ReadOnlyTableModel):
    """Every span is a row from the start (so sorting sees them all), but a row's strings are
    only built when a cell of it is asked for: opening a document of 20,000 spans touches none
    of them until the view paints a few.

    Rows are always sorted (text order, or a column), so a span's row is found by bisecting
    for its sort key: no id-to-row index has to be renumbered when a row is inserted above.
    """

    COLUMNS = ("Label", "Text", "Annotator", "Note", "Attributes")

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._spans: list[ShownSpan] = []
        self._text = ""
        self._annotator = ""
        self._by_id: dict[str, ShownSpan] | None = {}  # None until a span is looked up by id
        self._rows: dict[str, _Row] = {}  # by span id, filled as cells are asked for
        self._labels: dict[str, Label] = {}
        #: the column sorted on and whether descending; None keeps the text order
        self._sorted_by: tuple[int, bool] | None = None
        #: a span's text as the table shows it (a split span's pieces joined by " … ") and its
        #: attribute values as one line; the article's model knows both
        self.text_of: Callable[[ShownSpan, str], str] = lambda span, text: text[span[0] : span[1]]
        self.attributes_of: Callable[[ShownSpan], str] = lambda _span: ""

    def set_labels(self, labels: Sequence[Label]) -> None:
        self._labels = {label.key: label for label in labels}
        self._rows.clear()
        if self._sorted_by is not None and self._sorted_by[0] == 0:
            self.sort(0, self.sort_order())  # label names may have changed

    def set_spans(self, spans: Sequence[tuple], text: str = "", annotator: str = "") -> None:
        """Show ``spans`` (in text order) cut from ``text``: ``annotator``'s ``ShownSpan``s, and
        other layers' with their annotator appended (what ``OpenDocument.others`` holds)."""
        self.beginResetModel()
        self._spans = list(spans)
        self._text = text
        self._annotator = annotator
        self._by_id = None
        self._rows.clear()
        if self._sorted_by is not None:
            self._spans.sort(key=self._sort_key(), reverse=self._descending)
        self.endResetModel()

    def spans(self) -> list[ShownSpan]:
        return list(self._spans)

    def _ids(self) -> dict[str, ShownSpan]:
        if self._by_id is None:
            self._by_id = {span[3]: span for span in self._spans}
        return self._by_id

    def row_of(self, span_id: str) -> int | None:
        span = self._ids().get(span_id)
        return None if span is None else self._insertion_row(span)

    def owner(self, span_id: str) -> str:
        span = self._ids().get(span_id)
        return span[5] if span is not None and len(span) > 5 else self._annotator

    def upsert(self, span: ShownSpan, owner: str | None = None) -> None:
        """Show a new or changed span in its sorted place (``owner``: another layer's)."""
        span_id = span[3]
        row = self.row_of(span_id)  # found by its old sort key, before its cells are dropped
        self._rows.pop(span_id, None)
        if owner is not None and owner != self._annotator:
            span = (*span[:5], owner)
        if row is not None:
            if self._fits_at(row, span):
                self._spans[row] = span
                self._ids()[span_id] = span
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.COLUMNS) - 1))
                return
            self._remove_row(row, span_id)  # by row: its old key is not at hand any more
        row = self._insertion_row(span)
        self.beginInsertRows(QModelIndex(), row, row)
        self._spans.insert(row, span)
        self._ids()[span_id] = span
        self.endInsertRows()

    def remove(self, span_id: str) -> None:
        row = self.row_of(span_id)
        if row is not None:
            self._remove_row(row, span_id)

    def _remove_row(self, row: int, span_id: str) -> None:
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._spans[row]
        del self._ids()[span_id]
        self._rows.pop(span_id, None)
        self.endRemoveRows()

    # ------------------------------------------------------------------ sorting
    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort on a column's text (case-folded), ties in text order; a column of -1 (the
        header's sort indicator cleared) goes back to text order."""
        descending = order == Qt.SortOrder.DescendingOrder
        wanted = (column, descending) if 0 <= column < len(self.COLUMNS) else None
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        ids = [self._spans[i.row()][3] if i.isValid() else None for i in persistent]
        self._sorted_by = wanted
        self._spans.sort(key=self._sort_key(), reverse=self._descending)
        moved = [
            self.index(self.row_of(span_id), old.column()) if span_id is not None else QModelIndex()
            for old, span_id in zip(persistent, ids, strict=True)
        ]
        self.changePersistentIndexList(persistent, moved)
        self.layoutChanged.emit()

    def sort_order(self) -> Qt.SortOrder:
        return Qt.SortOrder.DescendingOrder if self._descending else Qt.SortOrder.AscendingOrder

    @property
    def _descending(self) -> bool:
        return self._sorted_by is not None and self._sorted_by[1]

    def _sort_key(self) -> Callable[[ShownSpan], tuple]:
        if self._sorted_by is None:
            return _text_order
        column = self._sorted_by[0]
        return lambda span: (self._cells(span).sort[column], *_text_order(span))

    def _insertion_row(self, span: ShownSpan) -> int:
        """Bisect for ``span``'s row (its own, when it is shown): keys are unique, since the
        text order breaks every tie."""
        key = self._sort_key()
        wanted = key(span)
        descending = self._descending
        lo, hi = 0, len(self._spans)
        while lo < hi:
            mid = (lo + hi) // 2
            here = key(self._spans[mid])
            if (here > wanted) if descending else (here < wanted):
                lo = mid + 1
            else:
                hi = mid
        return lo

    def _fits_at(self, row: int, span: ShownSpan) -> bool:
        """Whether ``span`` replacing row ``row`` keeps the rows sorted."""
        key = self._sort_key()
        wanted = key(span)
        before = [key(self._spans[row - 1]), wanted] if row > 0 else [wanted]
        after = [key(self._spans[row + 1])] if row + 1 < len(self._spans) else []
        keys = before + after
        return keys == sorted(keys, reverse=self._descending)

    # ------------------------------------------------------------------ Qt model
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._spans)

    def _cells(self, span: ShownSpan) -> _Row:
        span_id = span[3]
        cells = self._rows.get(span_id)
        if cells is None:
            owner = span[5] if len(span) > 5 else None
            cells = self._rows[span_id] = _Row(
                span,
                self.text_of(span, self._text),
                owner or self._annotator,
                self._labels.get(span[2]),
                owner is not None,
                self.attributes_of(span),
            )
        return cells

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        role = int(role)
        if role not in _ANSWERED:
            return None
        row = index.row()
        if not 0 <= row < len(self._spans) or not index.isValid():
            return None
        span = self._spans[row]
        if role == _SPAN_ID:
            return span[3]
        cells = self._cells(span)
        column = index.column()
        if role == _DISPLAY:
            return cells.display[column]
        if role == _DECORATION:
            return cells.color if column == 0 else None
        if role == _FOREGROUND:
            return _OTHER_LAYER_TEXT if cells.other else None
        if column in (1, 3, 4):  # tooltip
            tips = {1: cells.text, 3: span[4] or "", 4: cells.display[4]}
            return plain_tooltip(tips[column])
        return None
