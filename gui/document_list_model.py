"""The project's documents as a table the list view fetches a screenful at a time.

Summaries come from one query (no texts), but a project can hold tens of thousands of
documents; exposing rows in chunks through canFetchMore/fetchMore keeps the view from building
items nobody scrolls to. Filtering by status is a proxy, so the model stays a plain adapter.
The view asks ``data`` for each visible cell in about ten roles on every scroll step, so roles
nobody answers return at once and the proxy reads statuses without going through ``data``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QSortFilterProxyModel,
    Qt,
)

from claimmark.core.model import DocumentSummary

from .plain_text import plain_tooltip
from .read_only_table_model import Index, ReadOnlyTableModel

STATUS_TEXT = {None: "", "in_progress": "in progress", "done": "done"}
DOCUMENT_ID_ROLE = Qt.ItemDataRole.UserRole + 1
STATUS_ROLE = Qt.ItemDataRole.UserRole + 2

#: Filter choices shown in the combo: (caption, predicate on a status).
STATUS_FILTERS: list[tuple[str, Any]] = [
    ("All documents", lambda status: True),
    ("Not done", lambda status: status != "done"),
    ("Not started", lambda status: status is None),
    ("In progress", lambda status: status == "in_progress"),
    ("Done", lambda status: status == "done"),
]


_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
_DOCUMENT_ID = int(DOCUMENT_ID_ROLE)
_STATUS = int(STATUS_ROLE)
_ANSWERED = frozenset({_DISPLAY, _TOOLTIP, _ALIGNMENT, _DOCUMENT_ID, _STATUS})
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


class DocumentListModel(ReadOnlyTableModel):
    COLUMNS = ("Title", "Status", "Spans")
    CHUNK = 256

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._all: list[DocumentSummary] = []
        self._shown = 0
        self._row_of: dict[str, int] = {}

    def set_documents(self, documents: Sequence[DocumentSummary]) -> None:
        self.beginResetModel()
        self._all = list(documents)
        self._row_of = {d.id: i for i, d in enumerate(self._all)}
        self._shown = min(self.CHUNK, len(self._all))
        self.endResetModel()

    # ------------------------------------------------------------------ lookups
    def summaries(self) -> list[DocumentSummary]:
        return list(self._all)

    def status_at(self, row: int) -> str | None:
        return self._all[row].status

    def summary(self, document_id: str) -> DocumentSummary | None:
        row = self._row_of.get(document_id)
        return None if row is None else self._all[row]

    def row_of(self, document_id: str) -> int | None:
        """The row of a document, fetching rows up to it if they were not shown yet."""
        row = self._row_of.get(document_id)
        if row is not None and row >= self._shown:
            self.beginInsertRows(QModelIndex(), self._shown, row)
            self._shown = row + 1
            self.endInsertRows()
        return row

    def update_document(self, document_id: str, **changes: Any) -> None:
        """Apply a change the window already knows about, without re-reading every summary."""
        row = self._row_of.get(document_id)
        if row is None:
            return
        self._all[row] = replace(self._all[row], **changes)
        if row < self._shown:
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.COLUMNS) - 1))

    # ------------------------------------------------------------------ Qt model
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._shown

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self._shown < len(self._all)

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid():
            return
        more = min(self.CHUNK, len(self._all) - self._shown)
        if more <= 0:
            return
        self.beginInsertRows(QModelIndex(), self._shown, self._shown + more - 1)
        self._shown += more
        self.endInsertRows()

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        role = int(role)
        if role not in _ANSWERED:
            return None
        row = index.row()
        if not 0 <= row < self._shown or not index.isValid():
            return None
        doc = self._all[row]
        column = index.column()
        if role == _DISPLAY:
            if column == 0:
                return doc.title or "(untitled)"
            return STATUS_TEXT.get(doc.status, doc.status) if column == 1 else doc.span_count
        if role == _DOCUMENT_ID:
            return doc.id
        if role == _STATUS:
            return doc.status
        if role == _ALIGNMENT:
            return _RIGHT if column == 2 else None
        return plain_tooltip(doc.title) if column == 0 else None


class DocumentFilterProxy(QSortFilterProxyModel):
    """Shows only the documents whose status passes the chosen filter."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._accepts = STATUS_FILTERS[0][1]

    def set_status_filter(self, position: int) -> None:
        if hasattr(self, "beginFilterChange"):  # Qt >= 6.9; invalidateFilter is deprecated
            self.beginFilterChange()
            self._accepts = STATUS_FILTERS[position][1]
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self._accepts = STATUS_FILTERS[position][1]
            self.invalidateRowsFilter()

    def accepts_status(self, status: str | None) -> bool:
        return self._accepts(status)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        return self._accepts(self.sourceModel().status_at(source_row))
