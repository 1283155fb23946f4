"""View → Adjudicate: the curator decides, candidate by candidate, what goes into the gold layer.

For the open document the table lists every candidate (the annotators' identical spans grouped,
with who proposed them and their state) and the gold spans nobody proposed; the article shows
the candidates filled in their label's colour (rejected ones left out) and the gold spans
outlined. The current candidate is chosen in the table (or by N); the caret and selection in
the article never change it, since selecting text is how its new offsets are given. One key
per decision, each written through the session, so it is an audited event
of the curator's and one step of their own undo history (Ctrl+Z here, or in the main window).

Keys: A accept; X reject; R reject with a reason; E edit and accept with the selected text's
offsets; a label key edits and accepts with that label, or with text selected adds that gold
span; Shift+E edits offsets and label in a dialog; Shift+A accepts every candidate all agree
on; Delete removes the current gold span; N moves to the next disagreement, then the next
document's; Ctrl+Return marks the document adjudicated (gold done).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QAction, QColor, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QSpinBox,
    QSplitter,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from claimmark.core.adjudication import curator
from claimmark.core.adjudication.candidates import (
    Candidate,
    CandidateState,
    DocumentCandidates,
    document_candidates,
    documents_candidates,
)
from claimmark.core.changes import ChangeSet
from claimmark.core.highlight_segments import SpanIntervals
from claimmark.core.model import GOLD_LAYER, Document, Event, Label

from .annotation_session import AnnotationSession
from .article_view import ArticleView
from .candidate_table_model import CandidateTableModel
from .label_colors import mix
from .note_dialog import NoteDialog
from .plain_text import one_line
from .tables import plain_table

#: Documents whose candidates are read together while looking for the next disagreement.
_SEARCH_BATCH = 100

KEYS_HINT = (
    "A accept · X reject · R reject with reason · E edit and accept with the selection"
    " (or a label key: with that label) · Shift+E edit… · Shift+A accept all agreed ·"
    " select text + label key: add gold span · Del remove gold span · N next disagreement ·"
    " Ctrl+Return adjudicated · Ctrl+Z undo · Ctrl+Shift+Z redo"
)


def ask_reason(parent: QWidget, what: str, text: str) -> str | None:
    """A reason typed as plain text (None: cancelled); ``what`` is the decision."""
    dialog = NoteDialog(text, "", parent, title="Reason", prompt=f"Why {what}")
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.note().strip()
    finally:
        dialog.deleteLater()


class EditDialog(QDialog):
    """Offsets and label of the span to accept, for changes a selection cannot make easily."""

    def __init__(
        self, candidate: Candidate, labels: list[Label], length: int, parent: QWidget
    ) -> None:
        super().__init__(parent)
        self.setObjectName("adjudicationEditDialog")
        self.setWindowTitle("Edit and accept")
        form = QFormLayout(self)
        text = QLabel(f"“{one_line(candidate.text, 80)}”", self)
        text.setTextFormat(Qt.TextFormat.PlainText)
        form.addRow(text)
        self.start = QSpinBox(self)
        self.end = QSpinBox(self)
        for box, value in ((self.start, candidate.start), (self.end, candidate.end)):
            box.setRange(0, length)
            box.setValue(value)
        self.label = QComboBox(self)
        for label in labels:
            self.label.addItem(label.name, label.key)
        self.label.setCurrentIndex(max(0, self.label.findData(candidate.label)))
        form.addRow("Start", self.start)
        form.addRow("End", self.end)
        form.addRow("Label", self.label)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def values(self) -> tuple[int, int, str]:
        return self.start.value(), self.end.value(), self.label.currentData()


def ask_edit(
    parent: QWidget, candidate: Candidate, labels: list[Label], length: int
) -> tuple[int, int, str] | None:
    dialog = EditDialog(candidate, labels, length, parent)
    try:
        return dialog.values() if dialog.exec() == QDialog.DialogCode.Accepted else None
    finally:
        dialog.deleteLater()


class AdjudicationWindow(QDialog):
    #: the document shown changed (its id)
    sig_document_changed = Signal(str)

    def __init__(self, session: AnnotationSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("adjudicationWindow")
        self.setWindowFlag(Qt.WindowType.Window, True)
        self.resize(1200, 720)
        self.session = session
        self.document: Document | None = None
        self.current: DocumentCandidates | None = None
        self._labels: list[Label] = []
        self._colors: dict[str, QColor] = {}
        self._hotkeys: dict[str, str] = {}
        self._syncing = False
        self._build()
        session.sig_change_applied.connect(self._on_change_applied)
        session.sig_error.connect(self._say)
        session.updates.sig_events_arrived.connect(self._on_events)
        session.updates.sig_reload_requested.connect(self.refresh)

    # ------------------------------------------------------------------ construction
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        self.heading = QLabel(self)
        self.heading.setObjectName("adjudicationHeading")
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.heading.setWordWrap(True)
        layout.addWidget(self.heading)
        self.toolbar = QToolBar(self)
        layout.addWidget(self.toolbar)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.article = ArticleView(splitter)
        self.article.setObjectName("adjudicationArticle")
        self.article.sig_label_hotkey_pressed.connect(lambda key, _alt: self.label_key(key))
        self.model = CandidateTableModel(self)
        self.table = plain_table(splitter, "candidateTable", self.model)
        header = self.table.horizontalHeader()
        for column in range(len(self.model.COLUMNS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)  # the span's text
        header.setSectionResizeMode(5, QHeaderView.ResizeMode.Interactive)  # hover: the reason
        header.resizeSection(5, 140)
        self.table.selectionModel().currentRowChanged.connect(self._on_row)
        self.table.installEventFilter(self)
        splitter.addWidget(self.article)
        splitter.addWidget(self.table)
        splitter.setSizes([620, 580])
        layout.addWidget(splitter, 1)
        hint = QLabel(KEYS_HINT, self)
        hint.setTextFormat(Qt.TextFormat.PlainText)
        hint.setWordWrap(True)
        hint.setEnabled(False)
        layout.addWidget(hint)
        self.message = QLabel(self)
        self.message.setObjectName("adjudicationMessage")
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.message)
        self.actions: dict[str, QAction] = {}
        for name, text, keys, slot in (
            ("accept", "Accept", ["A"], self.accept_current),
            ("reject", "Reject", ["X"], self.reject_current),
            ("reason", "Reject with reason…", ["R"], self.reject_with_reason),
            ("edit", "Edit and accept (selection)", ["E"], self.edit_with_selection),
            ("edit_dialog", "Edit and accept…", ["Shift+E"], self.edit_in_dialog),
            ("accept_all", "Accept all agreed", ["Shift+A"], self.accept_all_agreed),
            ("remove", "Remove gold span", ["Delete"], self.remove_gold),
            ("next", "Next disagreement", ["N"], self.next_disagreement),
            ("done", "Adjudicated", ["Ctrl+Return", "Ctrl+Enter"], self.toggle_adjudicated),
            ("undo", "Undo", ["Ctrl+Z"], self.session.undo),
            ("redo", "Redo", ["Ctrl+Shift+Z", "Ctrl+Y"], self.session.redo),
        ):
            action = QAction(text, self)
            action.setShortcuts([QKeySequence(k) for k in keys])
            action.setToolTip(f"{text} ({keys[0]})")
            action.triggered.connect(slot)
            self.addAction(action)
            self.actions[name] = action
            if name not in ("undo", "redo"):
                self.toolbar.addAction(action)
        self.setWindowTitle(f"Adjudicate — curator: {self.session.annotator}")

    def eventFilter(self, watched, event) -> bool:
        """Label keys decide in the table too (its keyboard search would swallow them)."""
        if (
            watched is self.table
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.text() in self._hotkeys
            and not event.modifiers()
            & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
        ):
            self.label_key(self._hotkeys[event.text()])
            return True
        return super().eventFilter(watched, event)

    # ------------------------------------------------------------------ documents
    def open_document(self, document_id: str | None) -> None:
        project = self.session.project
        self._labels = project.labels()
        self._colors = {label.key: QColor(label.color) for label in self._labels}
        self._hotkeys = {label.hotkey: label.key for label in self._labels if label.hotkey}
        self.article.set_labels(self._labels)
        self.model.set_labels(self._labels)
        self.setWindowTitle(f"Adjudicate — curator: {self.session.annotator}")
        ids = project.document_ids()
        if document_id is None or document_id not in ids:
            document_id = ids[0] if ids else None
        self.document = project.document(document_id) if document_id is not None else None
        self._show(keep=None, reset_text=True)
        if self.document is not None:
            self.sig_document_changed.emit(self.document.id)

    def refresh(self) -> None:
        """Read the open document's candidates again, keeping the current one."""
        self._show(keep=self._current_key(), reset_text=False)

    def _current_key(self) -> tuple | None:
        candidate = self.current_candidate()
        return (candidate.key, candidate.proposed) if candidate is not None else None

    def _show(self, *, keep: tuple | None, reset_text: bool) -> None:
        document = self.document
        if document is None:
            self.current = None
            self.model.set_candidates([])
            self.article.show_text("", SpanIntervals())
            self.heading.setText("No documents in this project.")
            return
        project = self.session.project
        self.setWindowTitle(f"Adjudicate — curator: {self.session.annotator}")
        self.current = document_candidates(project, document.id)
        candidates = self.current.candidates
        self._syncing = True
        try:
            self.model.set_candidates(candidates)
            shown = [
                (c.start, c.end, c.label, f"candidate-{row}", None)
                for row, c in enumerate(candidates)
                if c.proposed and c.state is not CandidateState.REJECTED
            ]
            gold = [(*row, GOLD_LAYER) for row in project.span_extents(document.id, GOLD_LAYER)]
            order = [label.key for label in self._labels]
            if reset_text:
                self.article.show_text(document.text, SpanIntervals(shown, order))
            else:  # same text: keep the scroll position, re-colour it
                self.article.highlighter.set_intervals(SpanIntervals(shown, order))
                self.article.highlighter.update_range(0, len(document.text))
            self.article.set_other_spans(SpanIntervals(gold, order), lambda _id: GOLD_LAYER)
        finally:
            self._syncing = False
        self._show_heading()
        row = None
        if keep is not None:
            row = self.model.row_of(keep[0], proposed=keep[1])
        self._select_row(row if row is not None else (0 if candidates else None))

    def _show_heading(self) -> None:
        document, current = self.document, self.current
        if document is None or current is None:
            return
        project = self.session.project
        ids = project.document_ids()
        status = project.status(document.id, GOLD_LAYER)
        states = [c.state for c in current.candidates]
        left = sum(1 for s in states if s.undecided)
        self.heading.setText(
            f"{document.title} ({document.id}) — document {ids.index(document.id) + 1} of"
            f" {len(ids)} — labelled by {', '.join(current.labelled_by) or 'nobody'} —"
            f" {left} of {len(states)} undecided —"
            f" {'adjudicated' if status == 'done' else 'not adjudicated yet'}"
        )

    # ------------------------------------------------------------------ current candidate
    def current_candidate(self) -> Candidate | None:
        index = self.table.currentIndex()
        return self.model.candidate(index.row()) if index.isValid() else None

    def _select_row(self, row: int | None) -> None:
        selection = self.table.selectionModel()
        if row is None:
            selection.clearSelection()
            self._show_current(None)
            return
        index = self.model.index(row, 0)
        selection.setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.scrollTo(index)
        self._show_current(self.model.candidate(row))

    def _on_row(self, current, _previous) -> None:
        if not self._syncing and current.isValid():
            candidate = self.model.candidate(current.row())
            self._show_current(candidate)
            if candidate is not None:
                self._syncing = True
                try:
                    self.article.flash_range(candidate.start, candidate.end)
                finally:
                    self._syncing = False

    def _show_current(self, candidate: Candidate | None) -> None:
        if candidate is None:
            self.article.show_current_span(None, QColor())
            return
        color = mix([self._colors.get(candidate.label, QColor("#888"))], 0.85)
        self.article.show_current_span([(candidate.start, candidate.end)], color)

    # ------------------------------------------------------------------ decisions
    def _perform(self, operation: Callable[[], ChangeSet], done: str) -> None:
        if self.session.perform(operation) is not None:
            self._say(done)

    def _require(self, *, proposed: bool = True) -> Candidate | None:
        candidate = self.current_candidate()
        if candidate is None:
            self._say("Choose a candidate first")
            return None
        if proposed and not candidate.proposed:
            self._say("Nobody proposed this gold span: Delete removes it")
            return None
        return candidate

    def accept_current(self) -> None:
        candidate = self._require()
        if candidate is not None:
            by = self.session.annotator
            self._perform(
                lambda: curator.accept(self.session.project, candidate, annotator=by),
                "Accepted into gold",
            )

    def reject_current(self, reason: str | None = None) -> None:
        candidate = self._require()
        if candidate is not None:
            by = self.session.annotator
            self._perform(
                lambda: curator.reject(
                    self.session.project, candidate, annotator=by, reason=reason or None
                ),
                "Rejected",
            )

    def reject_with_reason(self) -> None:
        candidate = self._require()
        if candidate is None:
            return
        reason = ask_reason(self, "reject", candidate.text)
        if reason is not None:
            self.reject_current(reason)

    def edit_with_selection(self) -> None:
        """Accept the current candidate with the selected text's offsets (its label kept)."""
        candidate = self._require()
        selected = self.article.selected_range()
        if candidate is None:
            return
        if selected is None:
            self._say("Select the text the gold span should cover, then press E (or Shift+E)")
            return
        self._edit(candidate, start=selected[0], end=selected[1])

    def edit_in_dialog(self) -> None:
        candidate = self._require()
        if candidate is None or self.document is None:
            return
        values = ask_edit(self, candidate, self._labels, len(self.document.text))
        if values is not None:
            start, end, label = values
            self._edit(candidate, start=start, end=end, label=label)

    def _edit(self, candidate: Candidate, **changes) -> None:
        by = self.session.annotator
        self._perform(
            lambda: curator.edit_and_accept(
                self.session.project, candidate, annotator=by, **changes
            ),
            "Edited and accepted into gold",
        )

    def label_key(self, key: str) -> None:
        """With text selected: that span into gold; else the current candidate with this label."""
        document = self.document
        if document is None:
            return
        selected = self.article.selected_range()
        by = self.session.annotator
        if selected is not None:
            self._perform(
                lambda: curator.add_gold_span(
                    self.session.project, document.id, key, *selected, annotator=by
                ),
                "Added to gold",
            )
            self.article.place_cursor(selected[0])
            return
        candidate = self._require()
        if candidate is None:
            return
        if candidate.label == key:
            self.accept_current()
        else:
            self._edit(candidate, label=key)

    def accept_all_agreed(self) -> None:
        current = self.current
        if current is None:
            return
        by = self.session.annotator
        agreed = [c for c in current.candidates if c.state is CandidateState.AGREED]
        if not agreed:
            self._say("No undecided candidate that every annotator made")
            return
        self._perform(
            lambda: curator.accept_agreed(self.session.project, agreed, annotator=by),
            f"Accepted {len(agreed)} agreed span(s)",
        )

    def remove_gold(self) -> None:
        candidate = self._require(proposed=False)
        if candidate is None:
            return
        if candidate.gold_span_id is None:
            self._say("This candidate is not in gold")
            return
        span_id, by = candidate.gold_span_id, self.session.annotator
        self._perform(
            lambda: curator.remove_gold_span(self.session.project, span_id, annotator=by),
            "Removed from gold",
        )

    def toggle_adjudicated(self) -> None:
        document = self.document
        if document is None:
            return
        done = self.session.project.status(document.id, GOLD_LAYER) != "done"
        by = self.session.annotator
        self._perform(
            lambda: curator.mark_adjudicated(
                self.session.project, document.id, annotator=by, done=done
            ),
            "Marked adjudicated" if done else "Marked not adjudicated",
        )
        self._show_heading()

    # ------------------------------------------------------------------ moving
    def next_disagreement(self) -> None:
        """The next candidate some annotators made and others not, here or in a later document
        (wrapping round to the first)."""
        index = self.table.currentIndex()
        start = index.row() + 1 if index.isValid() else 0
        for row, candidate in enumerate(self.model.candidates()):
            if row >= start and candidate.state.disagreement:
                self._select_row(row)
                return
        project = self.session.project
        ids = project.document_ids()
        if self.document is None or not ids:
            return
        at = ids.index(self.document.id)
        others = ids[at + 1 :] + ids[:at]
        for first in range(0, len(others), _SEARCH_BATCH):
            batch = others[first : first + _SEARCH_BATCH]
            found = documents_candidates(project, batch)
            for document_id in batch:
                disagreements = found[document_id].disagreements
                if disagreements:
                    self.open_document(document_id)
                    self._select_row(self.model.row_of(disagreements[0].key, proposed=True))
                    return
        for row, candidate in enumerate(self.model.candidates()):  # round to this one's first
            if row < start and candidate.state.disagreement:
                self._select_row(row)
                return
        self._say("No disagreement left to decide")

    # ------------------------------------------------------------------ changes
    def _on_change_applied(self, changes: ChangeSet) -> None:
        if self.document is not None and self.document.id in changes.document_ids:
            self.refresh()

    def _on_events(self, events: list[Event]) -> None:
        """Changes made elsewhere (the desk, another window, a CLI run) to the open document."""
        if self.document is not None and any(e.document_id == self.document.id for e in events):
            self.refresh()

    def _say(self, text: str) -> None:
        self.message.setText(text)
