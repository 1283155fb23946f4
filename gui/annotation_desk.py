"""The annotator's desk: document list, article, label bar and span table, kept in step.

All writes go through the ``AnnotationSession``; the desk reacts to ``sig_change_applied`` (for
fresh changes, undos and redos alike), so one code path updates the table, the highlight of the
few blocks a span touches, the document list and the current-span overlay. A change in another
document, as an undo can bring, opens that document first.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHeaderView,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from claimmark.core.highlight_segments import SpanIntervals
from claimmark.core.model import Change, ClaimmarkError, Document, ShownSpan, Span, shown_span
from claimmark.core.word_snapping import exact_selection, moved_edge, snap_to_words

from .annotation_session import AnnotationSession
from .article_view import ArticleView
from .document_list_model import (
    DOCUMENT_ID_ROLE,
    STATUS_FILTERS,
    STATUS_TEXT,
    DocumentFilterProxy,
    DocumentListModel,
)
from .find_bar import FindBar
from .label_bar import LabelBar
from .label_colors import mix
from .note_dialog import ask_note
from .span_table import SpanTable
from .tables import fit_column, plain_table


class AnnotationDesk(QSplitter):
    sig_message = Signal(str)
    sig_saved = Signal()
    sig_progress_changed = Signal(int, int)  # documents done, documents in total
    #: the open document (or None) and the current span (or None), after either changed
    sig_current_changed = Signal(object, object)

    def __init__(self, session: AnnotationSession, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.setObjectName("mainSplitter")
        self.session = session
        self.snap_enabled = True
        self._document: Document | None = None
        #: the open document's spans as read, until ``_spans`` indexes them by id; a full
        #: ``Span`` is only read (``Project.span``) for the current one
        self._opened: list[ShownSpan] = []
        self._by_id: dict[str, ShownSpan] | None = {}
        #: the same rows (ids and notes included), found by the range they overlap
        self._intervals = SpanIntervals()
        self._label_order: list[str] = []
        self._colors: dict[str, QColor] = {}
        self._hotkeys: dict[str, str] = {}
        self._current_span_id: str | None = None
        self._current_span: Span | None = None
        self._syncing = False
        self._build()
        session.sig_change_applied.connect(self._on_change_applied)
        session.sig_error.connect(self.sig_message)

    # ------------------------------------------------------------------ construction
    def _build(self) -> None:
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        self.status_filter = QComboBox(left)
        self.status_filter.setObjectName("statusFilter")
        self.status_filter.addItems([caption for caption, _ in STATUS_FILTERS])
        self.status_filter.currentIndexChanged.connect(self._on_filter_changed)
        self.document_model = DocumentListModel(self)
        self.document_proxy = DocumentFilterProxy(self)
        self.document_proxy.setSourceModel(self.document_model)
        self.document_list = plain_table(left, "documentList", self.document_proxy)
        header = self.document_list.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        fit_column(self.document_list, 1, ["Status", *(t for t in STATUS_TEXT.values() if t)])
        fit_column(self.document_list, 2, ["Spans", "0000000"])
        self.document_list.selectionModel().currentRowChanged.connect(self._on_document_row)
        left_layout.addWidget(self.status_filter)
        left_layout.addWidget(self.document_list)

        middle = QWidget(self)
        middle_layout = QVBoxLayout(middle)
        middle_layout.setContentsMargins(0, 0, 0, 0)
        middle_layout.setSpacing(2)
        self.label_bar = LabelBar(middle)
        self.label_bar.sig_label_chosen.connect(self.apply_label)
        self.article = ArticleView(middle)
        self.article.sig_label_hotkey_pressed.connect(self._on_label_hotkey)
        self.article.cursorPositionChanged.connect(self._on_article_cursor)
        self.find_bar = FindBar(self.article, middle)
        middle_layout.addWidget(self.label_bar)
        middle_layout.addWidget(self.find_bar)
        middle_layout.addWidget(self.article, 1)

        self.span_table = SpanTable(self)
        self.span_model = self.span_table.span_model
        self.span_table.sig_span_chosen.connect(self._on_span_chosen)
        self.span_table.installEventFilter(self)

        self.addWidget(left)
        self.addWidget(middle)
        self.addWidget(self.span_table)
        self.setStretchFactor(0, 2)
        self.setStretchFactor(1, 5)
        self.setStretchFactor(2, 3)
        self.setSizes([340, 680, 400])

    # ------------------------------------------------------------------ project
    def load_project(self) -> None:
        """(Re)read labels and documents, and open the first document."""
        self._load_labels()
        self.reload_documents()
        summaries = self.document_model.summaries()
        if summaries:
            self.open_document(summaries[0].id)
        else:
            self._document = None
            self._opened, self._by_id, self._intervals = [], {}, SpanIntervals()
            self.article.show_text("", self._intervals)
            self.span_table.clear()
            self.sig_current_changed.emit(None, None)

    def _load_labels(self) -> bool:
        """Read the label schema; True when it differs from the one shown."""
        labels = self.session.project.labels()
        order = [label.key for label in labels]
        colors = {label.key: QColor(label.color) for label in labels}
        changed = order != self._label_order or colors != self._colors
        self._label_order = order
        self._colors = colors
        self._hotkeys = {label.hotkey: label.key for label in labels if label.hotkey}
        self.label_bar.set_labels(labels)
        self.article.set_labels(labels)
        self.span_table.set_labels(labels)
        return changed

    def refresh_after_import(self) -> None:
        """New documents (and perhaps new labels) arrived; the open document stays open.

        An import never changes a document already in the project (same text is skipped), so
        the open document only needs re-showing when the schema changed under its colours.
        """
        if self._document is None:
            self.load_project()
            return
        document_id = self._document.id
        labels_changed = self._load_labels()
        self.reload_documents()
        if labels_changed:
            self.open_document(document_id)

    def reload_documents(self) -> None:
        """Re-read the summaries (after an import or an annotator change)."""
        self.document_model.set_documents(self.session.project.documents())
        if self._document is not None:
            self._select_document_row(self._document.id)
        self._emit_progress()

    @property
    def document(self) -> Document | None:
        return self._document

    @property
    def current_span(self) -> Span | None:
        return self._current_span

    def span_rows(self) -> list[ShownSpan]:
        """The spans shown, as (start, end, label, id, note), in text order."""
        return sorted(self._spans.values())

    @property
    def _spans(self) -> dict[str, ShownSpan]:
        """The open document's spans by id: indexed on first use, which opening needs not."""
        if self._by_id is None:
            self._by_id = {row[3]: row for row in self._opened}
            self._opened = []
        return self._by_id

    def spans(self) -> list[Span]:
        """The spans shown, read in full from the project, in text order (slow: for tests)."""
        if self._document is None:
            return []
        project = self.session.project
        stored = project.spans(self._document.id, annotators=[project.annotator])
        by_id = {s.id: s for s in stored}
        return [by_id.get(row[3]) or self._span_from_row(row) for row in self.span_rows()]

    def _span_from_row(self, row: ShownSpan) -> Span:
        start, end, label, span_id, note = row
        assert self._document is not None
        return Span(
            span_id,
            self._document.id,
            label,
            start,
            end,
            self._document.text[start:end],
            self.session.project.annotator,
            note,
        )

    def _full_span(self, span_id: str) -> Span:
        """The shown span ``span_id`` as a ``Span`` (read from the project when it is there)."""
        row = self._spans[span_id]
        current = self._current_span
        if current is not None and shown_span(current) == row:
            return current
        try:
            span = self.session.project.span(span_id)
        except ClaimmarkError:
            return self._span_from_row(row)
        return span if shown_span(span) == row else self._span_from_row(row)

    # ------------------------------------------------------------------ documents
    def open_document(self, document_id: str) -> None:
        project = self.session.project
        self._document = project.document(document_id)
        rows = project.span_extents(document_id, project.annotator)
        self._opened, self._by_id = rows, None
        self._intervals = SpanIntervals(rows, self._label_order)
        self._current_span_id = None
        self._current_span = None
        self._syncing = True
        try:
            self.article.show_text(self._document.text, self._intervals)
            self.span_table.show_spans(rows, self._document.text, project.annotator)
            self._select_document_row(document_id)
        finally:
            self._syncing = False
        self.article.setFocus()
        self.sig_current_changed.emit(self._document, None)

    def step_document(self, direction: int, *, only_not_done: bool = False) -> None:
        """Open the next/previous document the filter shows (or the next one not done)."""
        summaries = self.document_model.summaries()
        if not summaries:
            return
        ids = [s.id for s in summaries]
        here = ids.index(self._document.id) if self._document is not None else -1
        for k in range(1, len(ids) + (1 if only_not_done else 0)):
            i = here + direction * k
            if only_not_done:
                i %= len(ids)
            elif not 0 <= i < len(ids):
                break
            summary = summaries[i]
            wanted = (
                summary.status != "done"
                if only_not_done
                else self.document_proxy.accepts_status(summary.status)
            )
            if wanted:
                self.open_document(summary.id)
                return
        self.sig_message.emit(
            "No more documents" if not only_not_done else "Every document is done"
        )

    def toggle_status(self) -> None:
        if self._document is None:
            return
        document_id = self._document.id
        status = self.session.project.status(document_id)
        new = "in_progress" if status == "done" else "done"
        self.session.perform(lambda: self.session.project.set_status(document_id, new))

    def _select_document_row(self, document_id: str) -> None:
        row = self.document_model.row_of(document_id)
        if row is None:
            return
        index = self.document_proxy.mapFromSource(self.document_model.index(row, 0))
        was, self._syncing = self._syncing, True
        try:
            if index.isValid():
                self.document_list.selectionModel().setCurrentIndex(
                    index,
                    QItemSelectionModel.SelectionFlag.ClearAndSelect
                    | QItemSelectionModel.SelectionFlag.Rows,
                )
                self.document_list.scrollTo(index)
            else:
                self.document_list.selectionModel().clearSelection()
        finally:
            self._syncing = was

    def _on_document_row(self, current, _previous) -> None:
        if self._syncing or not current.isValid():
            return
        document_id = current.data(DOCUMENT_ID_ROLE)
        if self._document is None or document_id != self._document.id:
            self.open_document(document_id)

    def _on_filter_changed(self, position: int) -> None:
        self.document_proxy.set_status_filter(position)
        if self._document is not None:
            self._select_document_row(self._document.id)

    def _emit_progress(self) -> None:
        summaries = self.document_model.summaries()
        done = sum(1 for s in summaries if s.status == "done")
        self.sig_progress_changed.emit(done, len(summaries))

    # ------------------------------------------------------------------ labelling
    def _on_label_hotkey(self, key: str, alt: bool) -> None:
        self.apply_label(key, snap=self.snap_enabled and not alt)

    def apply_label(self, key: str, snap: bool | None = None) -> None:
        """Label the selection; with no selection, relabel the current span."""
        if self._document is None:
            return
        selected = self.article.selected_range()
        if selected is None:
            if self.current_span is not None:
                span_id = self.current_span.id
                self.session.perform(lambda: self.session.project.relabel_span(span_id, key))
            else:
                self.sig_message.emit("Select some text first, or click a span to relabel it")
            return
        snap = self.snap_enabled if snap is None else snap
        text = self._document.text
        chosen = (snap_to_words if snap else exact_selection)(text, *selected)
        if chosen is None:
            self.sig_message.emit("Only whitespace is selected")
            return
        document_id = self._document.id
        start, end = chosen
        change = self.session.perform(
            lambda: self.session.project.add_span(document_id, key, start, end)
        )
        if change is not None:
            # The change already made the new span current; only the caret follows it.
            was, self._syncing = self._syncing, True
            try:
                self.article.place_cursor(end)
            finally:
                self._syncing = was

    def delete_current_span(self) -> None:
        """Delete acts on the span only from the article or the span table: pressed in the
        document list or the status filter, it is not about the current span."""
        focus = self.window().focusWidget()
        if focus is not self.article and focus is not self.span_table:
            return
        span = self._require_current()
        if span is not None:
            self.session.perform(lambda: self.session.project.delete_span(span.id))

    def edit_current_note(self) -> None:
        span = self._require_current()
        if span is None:
            return
        note, ok = ask_note(self, span.text, span.note or "")
        if ok:
            self.session.perform(
                lambda: self.session.project.set_note(span.id, note.strip() or None)
            )

    def move_current_edge(self, edge: str, direction: int) -> None:
        """Move an edge of the current span a word (a character when snapping is off) the way
        the arrow points: ``direction`` is on screen, so in a right-to-left paragraph, right
        is towards the text's start."""
        span = self._require_current()
        if span is None or self._document is None:
            return
        if self.article.is_right_to_left(span.start):
            direction = -direction
        moved = moved_edge(
            self._document.text, span.start, span.end, edge, direction, by_word=self.snap_enabled
        )
        if moved is None or moved == (span.start, span.end):
            self.sig_message.emit("The span cannot shrink further" if moved is None else "")
            return
        self.session.perform(lambda: self.session.project.resize_span(span.id, *moved))

    def _require_current(self) -> Span | None:
        span = self.current_span
        if span is None:
            self.sig_message.emit("Click a span first")
        return span

    # ------------------------------------------------------------------ current span
    def select_span(self, span_id: str) -> None:
        self._set_current_span(span_id, move_cursor=True)

    def _set_current_span(self, span_id: str | None, *, move_cursor: bool) -> None:
        self._current_span_id = span_id if span_id in self._spans else None
        span = self._current_span = (
            self._full_span(self._current_span_id) if self._current_span_id else None
        )
        self._syncing = True
        try:
            if span is not None and move_cursor:
                self.article.place_cursor(span.start)
            self.article.show_current_span(
                (span.start, span.end) if span else None,
                mix([self._colors.get(span.label, QColor("#888"))], 0.85) if span else QColor(),
            )
        finally:
            self._syncing = False
        self.span_table.follow(self._current_span_id)
        self.sig_current_changed.emit(self._document, span)

    def _on_span_chosen(self, span_id: str) -> None:
        """A row chosen in the table: scroll the article to its span and blink it once or
        twice, since a pale overlay somewhere on a long page is easy to miss."""
        if self._syncing:
            return
        self._set_current_span(span_id, move_cursor=True)
        span = self.current_span
        if span is not None:
            self._syncing = True  # the scrolling moves the caret: not a click on another span
            try:
                self.article.flash_range(span.start, span.end)
            finally:
                self._syncing = False

    def _on_article_cursor(self) -> None:
        if self._syncing or self.article.textCursor().hasSelection():
            return
        self._set_current_span(self._span_at(self.article.cursor_offset()), move_cursor=False)

    def _span_at(self, offset: int) -> str | None:
        """The innermost span holding ``offset``; a cursor just after a span's end also counts."""
        near = self._intervals.overlapping(max(0, offset - 1), offset + 1)
        inside = [row for row in near if row[0] <= offset < row[1]]
        if not inside:
            inside = [row for row in near if row[0] < offset <= row[1]]
        if not inside:
            return None
        # Ties between equally inner spans go to the one listed first in the table.
        row_of = self.span_table.row_of
        return min(inside, key=lambda row: (row[1] - row[0], row[0], row_of(row[3]) or 0))[3]

    def eventFilter(self, watched, event) -> bool:
        """Label hotkeys also relabel the current span while the span table has focus."""
        if (
            watched is self.span_table
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.text() in self._hotkeys
            and not event.modifiers() & Qt.KeyboardModifier.ControlModifier
        ):
            span = self.current_span
            if span is not None:
                key = self._hotkeys[event.text()]
                self.session.perform(lambda: self.session.project.relabel_span(span.id, key))
            return True
        return super().eventFilter(watched, event)

    # ------------------------------------------------------------------ reacting to changes
    def _on_change_applied(self, change: Change) -> None:
        if change.document_id is not None and (
            self._document is None or change.document_id != self._document.id
        ):
            self.open_document(change.document_id)  # re-reads spans: the change is included
        elif change.kind != "status_changed":
            self._apply_span_change(change)
        if change.kind == "status_changed":
            self.document_model.update_document(change.document_id, status=change.extra["after"])
            self._emit_progress()
        else:
            self.document_model.update_document(change.document_id, span_count=len(self._spans))
            self._set_current_span(change.after.id if change.after else None, move_cursor=False)
        self.sig_saved.emit()

    def _apply_span_change(self, change: Change) -> None:
        touched = [s for s in (change.before, change.after) if s is not None]
        if change.before is not None:
            shown = self._spans.pop(change.before.id, None)
            if shown is not None:
                self._intervals.remove(shown)
            if change.after is None:
                self.span_table.remove(change.before.id)
        if change.after is not None:
            after = change.after
            row = shown_span(after)
            self._spans[after.id] = row
            self._intervals.add(row)
            self._current_span = after  # it becomes current: no need to read it back
            self.span_table.upsert(row)
        start = min(s.start for s in touched)
        end = max(s.end for s in touched)
        self.article.highlighter.update_range(start, end)
        self.article.viewport().update()
