"""The annotator's desk: document list, article, label bar, span table and layers panel.

The open document lives in one Qt-free model (core's ``OpenDocument``: its text, the shown
layers' spans, the current span) that the article, the span table and the layers panel observe.
Every committed change reaches the model the same way, as the audit events the session's
``updates`` hands over (own edits, undo, imports, label changes, other windows and CLI
commands alike), so one code path updates the table, the highlight of the few blocks a span
touches, the document list and the current-span overlay. ``sig_change_applied`` only says which
span an own change made current; a change in another document, as an undo can bring, opens that
document first.

Only the annotator's own layer is edited here: other layers are shown read-only, and a span of
theirs can only be copied (Ins) into one's own layer.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHeaderView,
    QMessageBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from claimmark.core.adjudication.corrections import spans_gold_differs_from
from claimmark.core.attributes import AttributeDefinition, attributes_text, checked_values
from claimmark.core.changes import ChangeSet
from claimmark.core.event_kinds import (
    ATTRIBUTE_EFFECTS,
    LABEL_EFFECTS,
    RELATION_TYPE_EFFECTS,
    Effect,
    EventKind,
)
from claimmark.core.model import (
    ClaimmarkError,
    Document,
    Event,
    InvariantError,
    Relation,
    RelationType,
    ShownSpan,
    Span,
    shown_span,
)
from claimmark.core.open_document import (
    RELATION_EVENT_KINDS,
    SPAN_EVENT_KINDS,
    LayerSpan,
    OpenDocument,
)
from claimmark.core.word_snapping import exact_selection, moved_edge, snap_to_words

from .annotation_session import SPAN_DELETED_ELSEWHERE, AnnotationSession
from .article_view import ArticleView
from .attribute_form import AttributeForm
from .document_list_model import (
    DOCUMENT_ID_ROLE,
    STATUS_FILTERS,
    STATUS_TEXT,
    DocumentFilterProxy,
    DocumentListModel,
)
from .find_bar import FindBar
from .guideline_panel import GuidelinePanel
from .label_bar import LabelBar
from .label_colors import mix
from .layers_panel import LayersPanel
from .message_boxes import plain_box
from .note_dialog import ask_note
from .relation_gutter import ShownRelation
from .relation_linking import RelationLinker
from .relation_panel import RelationPanel, RelationRow
from .span_table import SpanTable
from .tables import fit_column, plain_table

#: Said when the span acted on was deleted by another window or process meanwhile.
DELETED_ELSEWHERE = SPAN_DELETED_ELSEWHERE.capitalize()
#: Other layers shown beside a newly opened document are read this many characters of text per
#: turn of the event loop after the first page is drawn (a 2M-character article with two layers
#: of 20,000 spans: ~2,000 rows, 5-15 ms), so the window answers keys and clicks while they load.
OTHER_LAYERS_PART_CHARS = 100_000


def confirm_linked_delete(parent: QWidget, span: Span, relations: int) -> bool:
    """Ask before a span takes its relations with it (one undo step brings all back)."""
    links = "1 relation" if relations == 1 else f"{relations} relations"
    box = plain_box(
        parent,
        "Delete span",
        f"Deleting this {span.label} span also deletes {links} from or to it."
        " Ctrl+Z brings them all back.",
        QMessageBox.Icon.Question,
        QMessageBox.StandardButton.Ok | QMessageBox.StandardButton.Cancel,
    )
    return box.exec() == QMessageBox.StandardButton.Ok


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
        self.model = OpenDocument(session.project, session.annotator)
        self._label_order: list[str] = []
        self._colors: dict[str, QColor] = {}
        self._hotkeys: dict[str, str] = {}
        self._names: dict[str, str] = {}
        #: label key -> its attribute definitions, in schema order
        self._definitions: dict[str, list[AttributeDefinition]] = {}
        #: the current span in full; ``Project.span`` is read only for the current one
        self._current_span: Span | None = None
        #: the span E extends: the current one, or the last one current before the caret
        #: left it to select the text to add
        self._extend_target: str | None = None
        self._syncing = False
        #: the open document's relations in the editable layer, and the project's types
        self._relations: list[Relation] = []
        self._relation_types: dict[str, RelationType] = {}
        self._build()
        self.linker = RelationLinker(self)
        self.model.sig_reset.connect(self._on_model_reset)
        self.model.sig_spans_changed.connect(self._on_spans_changed)
        self.model.sig_current_changed.connect(self._on_model_current)
        self.model.sig_others_loaded.connect(self._on_others_loaded)
        session.sig_change_applied.connect(self._on_change_applied)
        session.sig_error.connect(self.sig_message)
        session.updates.sig_events_arrived.connect(self._on_events)
        session.updates.sig_reload_requested.connect(self.refresh_after_import)

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
        self.layers_panel = LayersPanel(self.model, left)
        self.layers_panel.model.sig_shown_layers_changed.connect(self.show_layers)
        left_layout.addWidget(self.status_filter)
        left_layout.addWidget(self.document_list, 1)
        left_layout.addWidget(self.layers_panel)

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

        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.setSpacing(2)
        self.gold_filter = QCheckBox("Only my spans gold differs from", right)
        self.gold_filter.setObjectName("goldDiffersFilter")
        self.gold_filter.setToolTip(
            "Your spans that the adjudicated gold layer does not hold as they are"
            " (in documents that have gold): the curator's corrections to your work."
        )
        self.gold_filter.toggled.connect(self._refill_span_table)
        table_and_form = QSplitter(Qt.Orientation.Vertical, right)
        table_and_form.setObjectName("spanSplitter")
        self.span_table = SpanTable(table_and_form)
        self.span_model = self.span_table.span_model
        self.span_model.text_of = self._table_text
        self.span_model.attributes_of = lambda row: self._attributes_line(row[3], row[2])
        self.span_table.sig_span_chosen.connect(self._on_span_chosen)
        self.span_table.installEventFilter(self)
        self.attribute_form = AttributeForm(table_and_form)
        self.attribute_form.sig_save_requested.connect(self.save_attributes)
        self.attribute_form.sig_done.connect(self.article.setFocus)
        self.guideline_panel = GuidelinePanel(table_and_form)
        self.sig_current_changed.connect(
            lambda _document, span: self.guideline_panel.show_label(span.label if span else None)
        )
        table_and_form.addWidget(self.span_table)
        table_and_form.addWidget(self.attribute_form)
        table_and_form.addWidget(self.guideline_panel)
        table_and_form.setStretchFactor(0, 3)
        table_and_form.setStretchFactor(1, 1)
        table_and_form.setStretchFactor(2, 1)
        self.article.extend_keys = True
        self.article.sig_extend_requested.connect(self.extend_current_span)
        self.article.sig_fragment_removal_requested.connect(self.remove_fragment_at_cursor)
        self.article.span_details = self._span_details
        self.relation_panel = RelationPanel(table_and_form)
        self.relation_panel.sig_span_chosen.connect(self._on_span_chosen)
        table_and_form.addWidget(self.relation_panel)
        table_and_form.setStretchFactor(2, 1)
        self._others_loader = QTimer(self)
        self._others_loader.setInterval(0)
        self._others_loader.timeout.connect(self._load_more_others)

        right_layout.addWidget(self.gold_filter)
        right_layout.addWidget(table_and_form, 1)
        self.addWidget(left)
        self.addWidget(middle)
        self.addWidget(right)
        self.setStretchFactor(0, 2)
        self.setStretchFactor(1, 5)
        self.setStretchFactor(2, 3)
        self.setSizes([340, 680, 400])

    # ------------------------------------------------------------------ project
    def load_project(self) -> None:
        """(Re)read labels and documents, and open the first document."""
        self.model.project = self.session.project
        self.model.annotator = self.session.annotator
        self.model.shown_layers = frozenset()
        self._load_labels()
        self.reload_documents()
        summaries = self.document_model.summaries()
        if summaries:
            self.open_document(summaries[0].id)
        else:
            self.model.open(None)

    def _load_labels(self) -> bool:
        """Read the label schema; True when it differs from the one shown."""
        labels = self.session.project.labels()
        order = [label.key for label in labels]
        colors = {label.key: QColor(label.color) for label in labels}
        changed = order != self._label_order or colors != self._colors
        self._label_order = order
        self._colors = colors
        self._hotkeys = {label.hotkey: label.key for label in labels if label.hotkey}
        self._names = {label.key: label.name for label in labels}
        self._load_definitions()
        self.model.label_order = tuple(order)
        self.label_bar.set_labels(labels)
        self.article.set_labels(labels)
        self.span_table.set_labels(labels)
        types = {t.key: t for t in self.session.project.relation_types()}
        if types != self._relation_types:
            self._relation_types = types
            self.article.show_relation_margin(bool(types))
            changed = True
        self.guideline_panel.set_labels(labels)
        return changed

    def _load_definitions(self) -> None:
        definitions: dict[str, list[AttributeDefinition]] = {}
        for definition in self.session.project.attribute_definitions():
            definitions.setdefault(definition.label, []).append(definition)
        self._definitions = definitions
        self.guideline_panel.set_definitions(definitions)

    def is_label_hotkey(self, text: str) -> bool:
        return bool(text) and text in self._hotkeys

    def refresh_after_import(self) -> None:
        """New documents (and perhaps new labels) arrived; the open document stays open.

        Also what a burst of changes too large to follow one by one asks for: the open document
        is read again, the current span kept when it is still there.
        """
        document = self.model.document
        if document is None:
            self.load_project()
            return
        self._load_labels()
        self.reload_documents()
        current = self.model.current_id
        self.model.open(document.id)
        if current is not None:
            self._set_current_span(current, move_cursor=False)

    def reload_documents(self) -> None:
        """Re-read the summaries (after an import or an annotator change)."""
        self.document_model.set_documents(self.session.project.documents(self.session.annotator))
        if self.model.document is not None:
            self._select_document_row(self.model.document.id)
        self._emit_progress()

    def change_annotator(self, name: str) -> None:
        """Edit ``name``'s layer from now on; the open document stays open."""
        self.session.set_annotator(name)
        document = self.model.document
        self.model.annotator = name
        self.reload_documents()
        self.model.open(document.id if document is not None else None, annotator=name)

    @property
    def document(self) -> Document | None:
        return self.model.document

    @property
    def current_span(self) -> Span | None:
        return self._current_span

    def span_rows(self) -> list[ShownSpan]:
        """The editable layer's spans, as (start, end, label, id, note), in text order."""
        return self.model.own_rows()

    def spans(self) -> list[Span]:
        """The editable layer's spans, read in full from the project, in text order (slow:
        for tests)."""
        document = self.model.document
        if document is None:
            return []
        stored = self.session.project.spans(document.id, annotators=[self.model.annotator])
        by_id = {s.id: s for s in stored}
        return [
            by_id.get(row[3]) or self._span_from_row((self.model.annotator, row))
            for row in self.span_rows()
        ]

    def _span_from_row(self, found: LayerSpan) -> Span:
        layer, (start, end, label, span_id, note) = found
        document = self.model.document
        assert document is not None
        return Span(
            span_id,
            document.id,
            label,
            start,
            end,
            document.text[start:end],
            layer,
            note,
            fragments=self.model.fragments_of(span_id),
            attributes=self.model.attributes_of(span_id),
        )

    def full_span(self, span_id: str) -> Span | None:
        return self._full_span(span_id)

    def _full_span(self, span_id: str) -> Span | None:
        """The shown span ``span_id`` as a ``Span`` (read from the project when it is there)."""
        found = self.model.find(span_id)
        if found is None:
            return None
        current = self._current_span
        if (
            current is not None
            and current.id == span_id
            and shown_span(current) == found[1]
            and current.fragments == self.model.fragments_of(span_id)
            and current.attributes == self.model.attributes_of(span_id)
        ):
            return current
        try:
            span = self.session.project.span(span_id)
        except ClaimmarkError:
            return self._span_from_row(found)
        return span if shown_span(span) == found[1] else self._span_from_row(found)

    # ------------------------------------------------------------------ layers
    def show_layers(self, layers: Sequence[str]) -> None:
        """Show these other annotators' layers beside the editable one (read-only)."""
        self.model.show_layers(layers)

    def layer_of(self, span_id: str) -> str | None:
        found = self.model.find(span_id)
        return found[0] if found is not None else None

    def _layer_name(self, span_id: str) -> str:
        return self.layer_of(span_id) or ""

    # ------------------------------------------------------------------ documents
    def open_document(self, document_id: str) -> None:
        """Open a document: its text, your spans and the other layers' spans on the first page
        are drawn at once; the rest of the other layers is read a part per turn afterwards."""
        self.model.open(document_id, defer_others=True)
        self.article.setFocus()

    def _load_more_others(self) -> None:
        model = self.model
        model.load_others(model.others_loaded_to + OTHER_LAYERS_PART_CHARS)

    def _on_others_loaded(self) -> None:
        """The other layers are read whole (a part per turn, or at once by something that
        needed them): the table lists them too."""
        self._others_loader.stop()
        self._refill_span_table()

    def _refill_span_table(self) -> None:
        """The open document's rows again (all of them, or only the spans gold differs from)."""
        model = self.model
        document = model.document
        if document is None:
            return
        if self.gold_filter.isChecked():
            differs = spans_gold_differs_from(self.session.project, document.id, model.annotator)
            self.span_table.show_spans(
                [row for row in model.own_rows() if row[3] in differs],
                document.text,
                model.annotator,
            )
            self.span_table.follow(model.current_id)
            return
        others = model.other_spans if model.others_complete else model.loaded_other_spans
        self.span_table.show_spans(
            model.own_rows(),
            document.text,
            model.annotator,
            others if model.shown_layers else None,
            sorted(model.shown_layers),
        )
        self.span_table.follow(model.current_id)

    def _on_model_reset(self) -> None:
        """A document opened (or other layers were shown or hidden): every view re-reads."""
        model = self.model
        document = model.document
        self._current_span = None
        self._extend_target = None
        linker = getattr(self, "linker", None)  # the first reset comes before it exists
        if (
            linker is not None
            and linker.active
            and (document is None or linker.source.document_id != document.id)
        ):
            linker.cancel()  # a link joins spans of one document
        self._show_attributes_column()
        self._syncing = True
        try:
            self._show_attributes(None)
            if document is None:
                self._others_loader.stop()
                self.article.show_text("", model.own)
                self.article.set_other_spans(model.others, lambda _id: "")
                self.span_table.clear()
            else:
                self._relations = self.session.project.relations(document.id, model.annotator)
                self.article.show_text(document.text, model.own)
                self.article.set_other_spans(model.others, self._layer_name, model.load_others)
                if model.others_complete:
                    self._others_loader.stop()
                else:
                    self._others_loader.start()
                if self.gold_filter.isChecked():
                    self._refill_span_table()
                else:
                    self.span_table.show_spans(
                        model.own_rows(),
                        document.text,
                        model.annotator,
                        model.loaded_other_spans if model.shown_layers else None,
                        sorted(model.shown_layers),
                    )
                self._select_document_row(document.id)
            if document is None:
                self._relations = []
            self._show_relations()
        finally:
            self._syncing = False
        self.sig_current_changed.emit(document, None)

    def step_document(self, direction: int, *, only_not_done: bool = False) -> None:
        """Open the next/previous document the filter shows (or the next one not done)."""
        summaries = self.document_model.summaries()
        if not summaries:
            return
        ids = [s.id for s in summaries]
        document = self.model.document
        here = ids.index(document.id) if document is not None else -1
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
        if self.model.document is None:
            return
        document_id = self.model.document.id
        status = self.session.project.status(document_id, self.session.annotator)
        new = "in_progress" if status == "done" else "done"
        who = self.session.annotator
        self.session.perform(
            lambda: self.session.project.set_status(document_id, new, annotator=who)
        )

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
        if self.model.document is None or document_id != self.model.document.id:
            self.open_document(document_id)

    def _on_filter_changed(self, position: int) -> None:
        self.document_proxy.set_status_filter(position)
        if self.model.document is not None:
            self._select_document_row(self.model.document.id)

    def _emit_progress(self) -> None:
        summaries = self.document_model.summaries()
        done = sum(1 for s in summaries if s.status == "done")
        self.sig_progress_changed.emit(done, len(summaries))

    # ------------------------------------------------------------------ labelling
    def _on_label_hotkey(self, key: str, alt: bool) -> None:
        self.apply_label(key, snap=self.snap_enabled and not alt)

    def apply_label(self, key: str, snap: bool | None = None) -> None:
        """Label the selection; with no selection, relabel the current span."""
        document = self.model.document
        if document is None:
            return
        selected = self.article.selected_range()
        if selected is None:
            if self.current_span is not None:
                span = self._require_own()
                if span is not None:
                    self._perform_on(
                        span,
                        lambda: self.session.project.relabel_span(
                            span.id, key, annotator=self.session.annotator
                        ),
                    )
            else:
                self.sig_message.emit("Select some text first, or click a span to relabel it")
            return
        snap = self.snap_enabled if snap is None else snap
        chosen = (snap_to_words if snap else exact_selection)(document.text, *selected)
        if chosen is None:
            self.sig_message.emit("Only whitespace is selected")
            return
        document_id = document.id
        start, end = chosen
        change = self.session.perform(
            lambda: self.session.project.add_span(
                document_id, key, start, end, annotator=self.session.annotator
            )
        )
        if change is not None:
            # The change already made the new span current; only the caret follows it.
            was, self._syncing = self._syncing, True
            try:
                self.article.place_cursor(end)
            finally:
                self._syncing = was

    def delete_current_span(self) -> None:
        """Delete acts on the span only from the article or the span table (on the selected
        relation from the relations list): pressed in the document list or the status filter,
        it is not about the current span. A span with relations asks first."""
        focus = self.window().focusWidget()
        if focus is self.relation_panel.table:
            self.delete_selected_relation()
            return
        if focus is not self.article and focus is not self.span_table:
            return
        span = self._require_own()
        if span is None:
            return
        linked = self.session.project.relations_of_span(span.id)
        if linked and not confirm_linked_delete(self, span, len(linked)):
            return
        self._perform_on(
            span,
            lambda: self.session.project.delete_span(span.id, annotator=self.session.annotator),
        )

    def delete_selected_relation(self) -> None:
        relation_id = self.relation_panel.selected_relation()
        if relation_id is None:
            self.sig_message.emit("Select a relation in the list first")
            return
        self.session.perform(
            lambda: self.session.project.delete_relation(
                relation_id, annotator=self.session.annotator
            )
        )

    def start_link(self) -> None:
        """R: link the current span to another (see ``relation_linking``)."""
        self.linker.start()

    def step_span(self, direction: int) -> None:
        """Make the next (1) or previous (-1) span of your layer current, in text order."""
        rows = self.model.own_rows()
        if not rows:
            return
        ids = [row[3] for row in rows]
        current = self.model.current_id
        if current in ids:
            i = ids.index(current) + direction
        else:
            offset = self.article.cursor_offset()
            i = next((k for k, row in enumerate(rows) if row[0] >= offset), len(rows))
            i = i if direction > 0 else i - 1
        if 0 <= i < len(ids):
            self._set_current_span(ids[i], move_cursor=True)
        else:
            self.sig_message.emit("No more spans")

    def edit_current_note(self) -> None:
        span = self._require_own()
        if span is None:
            return
        note, ok = ask_note(self, span.text, span.note or "")
        if ok:
            self._perform_on(
                span,
                lambda: self.session.project.set_note(
                    span.id, note.strip() or None, annotator=self.session.annotator
                ),
            )

    def move_current_edge(self, edge: str, direction: int) -> None:
        """Move an edge of the current span a word (a character when snapping is off) the way
        the arrow points: ``direction`` is on screen, so in a right-to-left paragraph, right
        is towards the text's start."""
        span = self._require_own()
        if span is None or self.model.document is None:
            return
        if self.article.is_right_to_left(span.start):
            direction = -direction
        moved = moved_edge(
            self.model.document.text,
            span.start,
            span.end,
            edge,
            direction,
            by_word=self.snap_enabled,
        )
        if moved is None or moved == (span.start, span.end):
            self.sig_message.emit("The span cannot shrink further" if moved is None else "")
            return
        self._perform_on(
            span,
            lambda: self.session.project.resize_span(
                span.id, *moved, annotator=self.session.annotator
            ),
        )

    def copy_current_span(self) -> None:
        """Copy the current span of another layer into the annotator's own layer."""
        span = self._require_current()
        if span is None:
            return
        if span.annotator == self.model.annotator:
            self.sig_message.emit("This span is already in your layer")
            return
        self._perform_on(
            span, lambda: self.session.project.copy_span(span.id, annotator=self.session.annotator)
        )

    def _perform_on(self, span: Span, operation) -> None:
        """Run an operation on ``span``, first checking it was not deleted elsewhere meanwhile:
        the user gets a plain sentence, never the database's "no span with id …"."""
        self.session.updates.check_elsewhere()
        if self.model.find(span.id) is None:
            self.sig_message.emit(DELETED_ELSEWHERE)
            return
        self.session.perform(operation)

    def _require_current(self) -> Span | None:
        span = self.current_span
        if span is None:
            self.sig_message.emit("Click a span first")
        return span

    def require_own_span(self) -> Span | None:
        return self._require_own()

    def _require_own(self) -> Span | None:
        """The current span if it is the annotator's own; other layers are read-only here."""
        span = self._require_current()
        if span is not None and span.annotator != self.model.annotator:
            self.sig_message.emit(
                f"This span is in {span.annotator}'s layer, which you can only read:"
                " press Ins to copy it into yours"
            )
            return None
        return span

    # ------------------------------------------------------------------ split spans
    def extend_current_span(self, alt: bool = False) -> None:
        """Add the selection to the current span as another fragment (E; Alt+E: exactly as
        selected). A fragment overlapping or touching the span's pieces merges with them."""
        document = self.model.document
        selected = self.article.selected_range()
        if document is None:
            return
        target = self.model.current_id or self._extend_target
        span = self._full_span(target) if target else None
        if span is None:
            self.sig_message.emit("Click a span first, then select the text to add to it")
            return
        if span.annotator != self.model.annotator:
            self.sig_message.emit(
                f"This span is in {span.annotator}'s layer, which you can only read"
            )
            return
        if selected is None:
            self.sig_message.emit("Select the text to add to the current span, then press E")
            return
        snap = self.snap_enabled and not alt
        chosen = (snap_to_words if snap else exact_selection)(document.text, *selected)
        if chosen is None:
            self.sig_message.emit("Only whitespace is selected")
            return
        start, end = chosen
        self._perform_on(
            span,
            lambda: self.session.project.add_fragment(
                span.id, start, end, annotator=self.session.annotator
            ),
        )
        was, self._syncing = self._syncing, True
        try:
            self.article.place_cursor(end)  # the selection is used up
        finally:
            self._syncing = was

    def remove_fragment_at_cursor(self) -> None:
        """Take the fragment holding the caret out of the current split span (Shift+E)."""
        span = self._require_own()
        if span is None:
            return
        if span.fragments is None:
            self.sig_message.emit("The current span is in one piece: Delete removes it")
            return
        offset = self.article.cursor_offset()
        index = next(
            (i for i, (s, e) in enumerate(span.fragments) if s <= offset <= e),
            None,
        )
        if index is None:
            self.sig_message.emit("Put the caret in the fragment to remove, then press Shift+E")
            return
        self._perform_on(
            span,
            lambda: self.session.project.remove_fragment(
                span.id, index, annotator=self.session.annotator
            ),
        )

    def _table_text(self, row: ShownSpan, text: str) -> str:
        """A row's text: a split span's fragments joined by " … " (the gap left out)."""
        pieces = self.model.fragments_of(row[3])
        if pieces is None:
            return text[row[0] : row[1]]
        return " … ".join(text[s:e] for s, e in pieces)

    def _span_details(self, span_id: str) -> str:
        """What a tooltip adds to a span's label: its pieces and attribute values."""
        parts = []
        pieces = self.model.fragments_of(span_id)
        if pieces is not None:
            parts.append(f"split span in {len(pieces)} parts")
        found = self.model.find(span_id)
        line = self._attributes_line(span_id, found[1][2]) if found else ""
        if line:
            parts.append(line)
        return "; ".join(parts)

    def _show_attributes_column(self) -> None:
        self.span_table.show_attributes_column(
            any(values for _pieces, values in self.model.structure.values())
        )

    def _attributes_line(self, span_id: str, label: str) -> str:
        values = self.model.attributes_of(span_id)
        if not values:
            return ""
        return attributes_text(values, [d.name for d in self._definitions.get(label, ())])

    # ------------------------------------------------------------------ attributes
    def focus_attributes(self) -> None:
        """Put the keyboard in the current span's attribute form (Esc comes back)."""
        span = self._require_current()
        if span is None:
            return
        if not self._definitions.get(span.label):
            self.sig_message.emit(f"{self._names.get(span.label, span.label)} has no attributes")
            return
        if span.annotator != self.model.annotator:
            self._require_own()
            return
        self.attribute_form.focus_first()

    def save_attributes(self, span_id: str, values: dict) -> None:
        """The form's values, checked with the rules first: a refused value is shown in the
        form with the rule it breaks, and nothing is written."""
        span = self._require_own()
        if span is None or span.id != span_id:
            return
        definitions = {d.name: d for d in self._definitions.get(span.label, [])}
        try:
            checked_values(definitions, span.label, values)
        except InvariantError as exc:
            self.attribute_form.show_problem(str(exc))
            return
        self._perform_on(
            span,
            lambda: self.session.project.set_attributes(
                span.id, values, annotator=self.session.annotator
            ),
        )

    def _show_attributes(self, span: Span | None) -> None:
        self.attribute_form.show_span(
            span.id if span else None,
            self._definitions.get(span.label, []) if span else (),
            span.attributes if span else self.model.attributes_of(""),
            editable=span is not None and span.annotator == self.model.annotator,
            label_name=self._names.get(span.label, span.label) if span else "",
        )

    # ------------------------------------------------------------------ current span
    def select_span(self, span_id: str) -> None:
        self._set_current_span(span_id, move_cursor=True)

    def _set_current_span(self, span_id: str | None, *, move_cursor: bool) -> None:
        self.model.set_current(span_id)
        self._show_current(move_cursor=move_cursor)

    def _on_model_current(self, _span_id: str | None) -> None:
        """The model dropped the current span (deleted, perhaps elsewhere)."""
        if self.model.current_id is None and self._current_span is not None:
            self._show_current(move_cursor=False)

    def _show_current(self, *, move_cursor: bool) -> None:
        span_id = self.model.current_id
        span = self._current_span = self._full_span(span_id) if span_id else None
        if span is not None:
            self._extend_target = span.id
        self._syncing = True
        try:
            if span is not None and move_cursor:
                self.article.place_cursor(span.start)
            color = self._colors.get(span.label, QColor("#888")) if span else QColor()
            self.article.show_current_span(
                list(span.pieces) if span else None,
                mix([color], 0.85) if span else QColor(),
                color,
            )
        finally:
            self._syncing = False
        self.span_table.follow(span_id)
        self._show_attributes(span)
        self._show_relations()
        self.sig_current_changed.emit(self.model.document, span)

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

    def span_at(self, offset: int) -> str | None:
        return self._span_at(offset)

    def _span_at(self, offset: int) -> str | None:
        """The innermost span holding ``offset``; a cursor just after a span's end also counts.
        Ties between equally inner spans go to the one listed first in the table."""
        row_of = self.span_table.row_of
        return self.model.span_at(offset, lambda span_id: row_of(span_id) or 0)

    def eventFilter(self, watched, event) -> bool:
        """Label hotkeys also relabel the current span while the span table has focus."""
        if (
            watched is self.span_table
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.text() in self._hotkeys
            and not event.modifiers() & Qt.KeyboardModifier.ControlModifier
        ):
            span = self._require_own() if self.current_span is not None else None
            if span is not None:
                key = self._hotkeys[event.text()]
                self._perform_on(
                    span,
                    lambda: self.session.project.relabel_span(
                        span.id, key, annotator=self.session.annotator
                    ),
                )
            return True
        return super().eventFilter(watched, event)

    # ------------------------------------------------------------------ reacting to changes
    def _on_events(self, events: list[Event]) -> None:
        """Committed changes, whoever made them: the one way they reach the desk's views."""
        me = self.model.annotator
        reload_documents = False
        labels_changed = False
        relations_changed = False
        open_id = self.model.document.id if self.model.document is not None else None
        for event in events:
            kind = event.kind
            try:
                effect = EventKind.of(kind).effect
            except ValueError:
                continue  # written by a newer claimmark: nothing this window can follow
            if kind in RELATION_EVENT_KINDS and event.document_id == open_id:
                relations_changed = True
            if effect in LABEL_EFFECTS or effect in RELATION_TYPE_EFFECTS:
                labels_changed = True
            elif effect in ATTRIBUTE_EFFECTS:  # added, changed, removed, merged
                self._load_definitions()
                self._show_attributes(self._current_span)
            elif effect is Effect.DOCUMENT:
                reload_documents = True
            elif effect is Effect.STATUS and event.subject == me and event.document_id:
                self.document_model.update_document(
                    event.document_id, status=(event.after or {}).get("status")
                )
            elif kind in SPAN_EVENT_KINDS and event.document_id:
                delta = sum(
                    (-1 if fields is event.before else 1)
                    for fields in (event.before, event.after)
                    if fields is not None and fields.get("annotator") == me
                )
                summary = self.document_model.summary(event.document_id)
                if delta and summary is not None:
                    self.document_model.update_document(
                        event.document_id, span_count=summary.span_count + delta
                    )
        if labels_changed and self._load_labels() and self.model.document is not None:
            self.refresh_after_import()  # new colours under the open document
            return
        if reload_documents:
            self.reload_documents()
        self.model.apply_events(events)
        document = self.model.document
        if (
            self.gold_filter.isChecked()
            and document is not None
            and any(e.document_id == document.id for e in events)
        ):
            self._refill_span_table()  # gold or my spans changed: what differs may have
        if relations_changed and self.model.document is not None:
            self._relations = self.session.project.relations(
                self.model.document.id, self.model.annotator
            )
            self._show_relations()
        self._emit_progress()

    def _show_relations(self) -> None:
        """Draw the open layer's links and list the current span's (cheap: a page holds few)."""
        shown: list[ShownRelation] = []
        rows: list[RelationRow] = []
        current = self.model.current_id
        find = self.model.find
        for relation in self._relations:
            source, target = find(relation.from_span), find(relation.to_span)
            if source is None or target is None:
                continue  # not applied yet; the next change brings it
            relation_type = self._relation_types.get(relation.type)
            color = QColor(relation_type.color if relation_type else "#888888")
            touches = current in (relation.from_span, relation.to_span)
            shown.append(ShownRelation(relation.id, source[1][0], target[1][0], color, touches))
            if touches:
                outgoing = relation.from_span == current
                other = target[1] if outgoing else source[1]
                document = self.model.document
                assert document is not None
                label = self._label_name(other[2])
                rows.append(
                    RelationRow(
                        relation.id,
                        relation_type.name if relation_type else relation.type,
                        color,
                        outgoing,
                        label,
                        document.text[other[0] : other[1]],
                        relation_type.description if relation_type else "",
                        other[3],
                    )
                )
        self.article.set_relations(shown)
        self.relation_panel.show_rows(rows)

    def _label_name(self, key: str) -> str:
        return self._names.get(key, key)

    def _on_spans_changed(
        self, removed: list[LayerSpan], added: list[LayerSpan], start: int, end: int
    ) -> None:
        self._show_attributes_column()
        me = self.model.annotator
        added_ids = {row[3] for _, row in added}
        for _, row in removed:
            if row[3] not in added_ids:
                self.span_table.remove(row[3])
        for layer, row in added:
            self.span_table.upsert(row, None if layer == me else layer)
        if any(layer == me for layer, _ in removed + added):
            self.article.highlighter.update_range(start, end)
        if any(layer != me for layer, _ in removed + added):
            self.article.other_spans_changed()
        if self._relations:
            self._show_relations()  # a linked span moved, or went
        self.article.viewport().update()
        current = self.model.current_id
        if current is not None and current in added_ids:
            self._show_current(move_cursor=False)  # its extent or label changed

    def _on_change_applied(self, changes: ChangeSet) -> None:
        """An own change (or its undo) was committed and its events applied: make its span
        current, opening its document first when it is another one."""
        document_ids = changes.document_ids
        if document_ids and (
            self.model.document is None or self.model.document.id not in document_ids
        ):
            self.open_document(document_ids[0])  # re-reads spans: the change is included
        if changes.spans:
            last = changes.spans[-1]
            if last.after is not None:
                self._current_span = last.after  # no need to read it back
            self._set_current_span(last.after.id if last.after else None, move_cursor=False)
        self.sig_saved.emit()
