"""The span table beside the article: the open document's spans, one step behind the article.

The annotator looks at the article after a click or a key press, and painting a table costs
about as much as painting the labelled article. So the table fills (for a newly opened
document) and selects the current span's row on the next turn of the event loop, once for a
burst of changes. Filling it while a document opens would also paint it twice: once for the
rows, once more for its scroll bar's new range. Anything that needs the rows before then (a
change to apply, a row to look up) fills it at once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import QHeaderView, QTableView, QWidget

from claimmark.core.model import Label, ShownSpan

from .span_table_model import SPAN_ID_ROLE, SpanTableModel
from .tables import configure_table, fit_column

_ANNOTATOR_COLUMN = 2
_ATTRIBUTES_COLUMN = 4


class SpanTable(QTableView):
    #: the user chose a row (mouse or keys): that span's id
    sig_span_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("spanTable")
        self.span_model = SpanTableModel(self)
        self.setModel(self.span_model)
        configure_table(self)
        header = self.horizontalHeader()
        # Text order until a column is chosen; a third click on it goes back to text order.
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        header.setSortIndicatorClearable(True)
        self.setSortingEnabled(True)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        # Hidden while every row is the current annotator's (the status bar names them): the
        # column would only take width from the span text. Shown with other layers.
        self.setColumnHidden(_ANNOTATOR_COLUMN, True)
        self._waiting: tuple | None = None
        self._followed: str | None = None
        self._selecting = False
        self._catch_up = QTimer(self)
        self._catch_up.setSingleShot(True)
        self._catch_up.setInterval(0)
        self._catch_up.timeout.connect(self._catch_up_now)
        self.selectionModel().currentRowChanged.connect(self._on_current_row)

    def set_labels(self, labels: Sequence[Label]) -> None:
        self.span_model.set_labels(labels)
        fit_column(self, 0, ["Label", *(label.name for label in labels)], icon=True)

    def show_spans(
        self,
        rows: list[ShownSpan],
        text: str,
        annotator: str,
        others: Callable[[], list[tuple]] | None = None,
        other_layers: Sequence[str] = (),
    ) -> None:
        """A newly opened document's spans (text order): shown on the next turn, with the shown
        other layers' spans (``others`` gives them when the table fills) and an Annotator
        column when there are any."""
        self.span_model.set_spans([])
        self.setColumnHidden(_ANNOTATOR_COLUMN, others is None)
        if others is not None:
            fit_column(self, _ANNOTATOR_COLUMN, ["Annotator", annotator, *other_layers])
        self._waiting = (rows, text, annotator, others)
        self._followed = None
        self._catch_up.start()

    def show_attributes_column(self, shown: bool) -> None:
        """The Attributes column takes width from the span text: shown only while some span
        listed has attribute values."""
        if self.isColumnHidden(_ATTRIBUTES_COLUMN) == shown:
            self.setColumnHidden(_ATTRIBUTES_COLUMN, not shown)

    def clear(self) -> None:
        self._waiting = None
        self._followed = None
        self.span_model.set_spans([])

    def follow(self, span_id: str | None) -> None:
        """Select (and scroll to) this span's row on the next turn; None clears the selection."""
        self._followed = span_id
        self._catch_up.start()

    def fill_now(self) -> None:
        if self._waiting is not None:
            (rows, text, annotator, others), self._waiting = self._waiting, None
            if others is not None:
                rows = sorted(rows + others())  # sorted runs: timsort merges them in one pass
            self.span_model.set_spans(rows, text, annotator)

    def row_of(self, span_id: str) -> int | None:
        self.fill_now()
        return self.span_model.row_of(span_id)

    def upsert(self, row: ShownSpan, owner: str | None = None) -> None:
        self.fill_now()
        with self._selecting_quietly():
            self.span_model.upsert(row, owner)

    def remove(self, span_id: str) -> None:
        """Qt moves the current row to a neighbour when it goes: that is not a user's choice."""
        self.fill_now()
        with self._selecting_quietly():
            self.span_model.remove(span_id)

    @contextmanager
    def _selecting_quietly(self) -> Iterator[None]:
        was, self._selecting = self._selecting, True
        try:
            yield
        finally:
            self._selecting = was

    def _catch_up_now(self) -> None:
        self.fill_now()
        selection = self.selectionModel()
        row = self.span_model.row_of(self._followed) if self._followed else None
        with self._selecting_quietly():
            if row is None:
                selection.clearSelection()
                selection.setCurrentIndex(QModelIndex(), QItemSelectionModel.SelectionFlag.NoUpdate)
                return
            index = self.span_model.index(row, 0)
            selection.setCurrentIndex(
                index,
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
            self.scrollTo(index)

    def _on_current_row(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not self._selecting and current.isValid():
            self.sig_span_chosen.emit(current.data(SPAN_ID_ROLE))
