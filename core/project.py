"""A claimmark project: one SQLite file, read and written only through this façade and its stores.

The stores (``document_store``, ``label_store``, ``span_store``, ``status_store``,
``event_store``) each own one kind of record and share one ``ProjectDb`` (the connection, the
write transaction and the audit event every write appends). ``Project`` keeps the public API the
formats, the CLI and the GUI use. Public methods take and return frozen dataclasses; nothing
outside the stores sees SQL or a row dict.

``Project`` has no "current annotator": every operation names the person performing it
(``annotator=``), spans and statuses belong to that person's layer, and every write returns a
``ChangeSet`` that ``revert`` undoes as one step.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

from .adjudication.records import CandidateKey, GoldProposal, Rejection
from .attribute_store import AttributeStore
from .attributes import AttributeDefinition
from .changes import ChangeSet, RejectionChange, RelationChange, SpanChange, StatusChange
from .clock import utc_now
from .decision_store import DecisionStore
from .document_store import DocumentStore, NewDocument, NewSpan, text_sha256
from .event_kinds import Effect, EventKind
from .event_store import EventStore
from .fragments import extended, resized, without_piece
from .ids import new_span_id
from .label_store import LabelStore
from .layer_rules import check_layer_edit
from .merge.store import MergeStore
from .model import (
    GOLD_LAYER,
    NO_ATTRIBUTES,
    AttributeValues,
    ClaimmarkError,
    Document,
    DocumentId,
    DocumentSummary,
    Event,
    Fragments,
    InvariantError,
    Label,
    LabelKey,
    Layer,
    Relation,
    RelationId,
    RelationType,
    ShownSpan,
    Span,
    SpanId,
)
from .project_db import ProjectDb
from .project_file import connect, initialise
from .project_rules import check_hotkey_not_the_windows
from .relation_rules import allowed_types, pair_problem
from .relation_store import NewRelation, RelationStore
from .relation_type_store import RelationTypeStore
from .schema import SCHEMA_VERSION
from .schema_editor import SchemaEditor
from .span_store import UNSET, SpanStore
from .status_store import StatusStore

__all__ = ["NewDocument", "NewRelation", "NewSpan", "Project", "text_sha256"]


class Project:
    def __init__(self, conn: sqlite3.Connection, path: Path | None):
        self._db = ProjectDb(conn, path)
        self.path = path
        self.label_store = LabelStore(self._db)
        self.attribute_store = AttributeStore(self._db, self.label_store)
        self.status_store = StatusStore(self._db)
        self.relation_type_store = RelationTypeStore(self._db)
        self.relation_store = RelationStore(self._db, self.relation_type_store)
        self.document_store = DocumentStore(
            self._db, self.status_store, self.attribute_store, self.relation_store
        )
        self.span_store = SpanStore(
            self._db,
            self.document_store,
            self.label_store,
            self.attribute_store,
            self.relation_store,
        )
        self.event_store = EventStore(self._db)
        self.decision_store = DecisionStore(self._db)
        self.merge_store = MergeStore(
            self._db,
            self.document_store,
            self.label_store,
            self.span_store,
            self.status_store,
            self.attribute_store,
            self.relation_type_store,
            self.relation_store,
        )
        #: Label, relation type and attribute edits: shared, audited, not undoable.
        self.schema = SchemaEditor(
            self._db,
            self.label_store,
            self.span_store,
            self.relation_type_store,
            self.attribute_store,
        )

    # ------------------------------------------------------------------ opening
    @classmethod
    def open(cls, path: str | Path | None, *, created_by: str | None = None) -> Project:
        """Open a project file, creating it (with the default label schema) if it is new.

        ``created_by`` names who creates a new file (its first events are theirs); opening an
        existing file needs nobody. ``path=None`` gives an in-memory project, as cheap as a
        test fixture should be.
        """
        path = Path(path) if path is not None else None
        conn, is_new = connect(path)
        project = cls(conn, path)
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if is_new and created_by is None:
            conn.close()
            raise ClaimmarkError("a new project needs the name of the annotator creating it")
        if is_new or version < SCHEMA_VERSION:
            with project._write():
                initialise(conn)
                if is_new:
                    from .label_schema import (
                        default_attributes,
                        default_labels,
                        default_relation_types,
                    )

                    assert created_by is not None  # a new project without it was refused above

                    for label in default_labels():
                        project.label_store.insert(label, annotator=created_by)
                    for definition in default_attributes():
                        project.attribute_store.insert(definition, annotator=created_by)
                    # Only a new project gets them: an upgraded file keeps its own schema.
                    for relation_type in default_relation_types():
                        project.relation_type_store.insert(relation_type, annotator=created_by)
        return project

    def close(self) -> None:
        self._db.conn.close()

    def __enter__(self) -> Project:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def uuid(self) -> str | None:
        """The project's identity (shared by its copies); None in a file from before schema 3."""
        try:
            return self._db.scalar("SELECT uuid FROM project")
        except sqlite3.OperationalError:  # no such table: an old file read as it is
            return None

    @property
    def name(self) -> str:
        return self.path.name if self.path is not None else ":memory:"

    @property
    def _conn(self) -> sqlite3.Connection:
        return self._db.conn

    @property
    def commit_listeners(self) -> list[Callable[[], None]]:
        """Called after every successful commit (e.g. to take periodic backups)."""
        return self._db.commit_listeners

    # ------------------------------------------------------------------ transactions
    def _write(self, *, savepoint: bool = True, reverts: int | None = None):
        return self._db.write(savepoint=savepoint, reverts=reverts)

    def read_snapshot(self) -> AbstractContextManager[None]:
        """Every read inside sees the file at one moment (see ``ProjectDb.read_snapshot``)."""
        return self._db.read_snapshot()

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Group several operations into one transaction: all of them are stored or none.

        An operation that fails inside a batch may leave part of itself in the transaction, so
        let the error leave the batch (which rolls it all back) rather than carry on. Change
        sets made inside one batch share its operation; ``ChangeSet.combine`` makes them one.
        """
        with self._db.write():
            yield

    def _change_set(self, annotator: str, **records) -> ChangeSet:
        """The change set of the write that just ended (inside a batch: of the batch so far)."""
        if not any(records.values()):
            return ChangeSet(annotator)
        return ChangeSet(annotator, self._db.operation, **records)

    # ------------------------------------------------------------------ labels
    def labels(self) -> list[Label]:
        return self.label_store.all()

    def label(self, key: str) -> Label | None:
        return self.label_store.get(key)

    def add_label(self, label: Label, *, annotator: str) -> ChangeSet:
        check_hotkey_not_the_windows(label.hotkey)
        with self._db.write():
            self.label_store.insert(label, annotator=annotator)
        return self._change_set(annotator, labels=(label,))

    # ------------------------------------------------------------------ attributes
    def attribute_definitions(self, label: str | None = None) -> list[AttributeDefinition]:
        """Every label's attribute definitions in schema order (or one label's)."""
        return self.attribute_store.all(label)

    def add_attribute_definition(
        self, definition: AttributeDefinition, *, annotator: str
    ) -> ChangeSet:
        """A new attribute of a label (a schema change: audited, not undoable)."""
        with self._db.write():
            self.attribute_store.insert(definition, annotator=annotator)
        return self._change_set(annotator, definitions=(definition,))

    # ------------------------------------------------------------------ relation types
    def relation_types(self) -> list[RelationType]:
        return self.relation_type_store.all()

    def relation_type(self, key: str) -> RelationType | None:
        return self.relation_type_store.get(key)

    def add_relation_type(self, relation_type: RelationType, *, annotator: str) -> ChangeSet:
        """A new kind of link; its from/to labels must be labels of the project."""
        with self._db.write():
            self.relation_type_store.insert(relation_type, annotator=annotator)
        return self._change_set(annotator, relation_types=(relation_type,))

    def allowed_relation_types(self, from_span: str, to_span: str) -> list[RelationType]:
        """The types a link between these two spans may have, by their labels (what the GUI
        offers after ``R``); empty when they cannot be linked at all or no type fits."""
        first, second = self.span_store.get(from_span), self.span_store.get(to_span)
        if pair_problem(first, second):
            return []
        return allowed_types(self.relation_types(), first.label, second.label)

    # ------------------------------------------------------------------ relations
    def relations(self, document_id: str, annotator: str) -> list[Relation]:
        """One layer's relations in a document, oldest first."""
        return self.relation_store.of_layer(document_id, annotator)

    def relations_of_span(self, span_id: str) -> list[Relation]:
        """Every relation from or to the span, oldest first."""
        return self.relation_store.of_span(span_id)

    def relations_by_document(
        self, document_ids: Sequence[str], *, annotators: Sequence[str] | None = None
    ) -> dict[str, list[Relation]]:
        """Relations of several documents (of some layers), for exports."""
        return self.relation_store.by_document(document_ids, annotators)

    def relation(self, relation_id: str) -> Relation:
        return self.relation_store.get(relation_id)

    def add_relation(
        self,
        from_span: str,
        to_span: str,
        type: str,
        *,
        annotator: str,
        adjudication: bool = False,
    ) -> ChangeSet:
        """A link of ``type`` from one span to another of the same document and layer.

        ``annotator`` performs it: the spans' layer must be theirs (or ``gold``, with
        ``adjudication``). A link the schema does not allow is refused, naming the rule.
        """
        relation = Relation(
            id=RelationId(new_span_id()),
            document_id=DocumentId(""),  # the spans' document, filled in by the store
            type=type,
            from_span=SpanId(from_span),
            to_span=SpanId(to_span),
            annotator="",  # the spans' layer, filled in by the store
            created_at=utc_now(),
        )
        with self._db.write():
            record = self.relation_store.insert(
                relation, kind=EventKind.RELATION_CREATED, by=annotator, adjudication=adjudication
            )
        return self._change_set(annotator, relations=(record,))

    def delete_relation(
        self, relation_id: str, *, annotator: str, adjudication: bool = False
    ) -> ChangeSet:
        with self._db.write():
            record = self.relation_store.delete(
                relation_id, by=annotator, adjudication=adjudication
            )
        return self._change_set(annotator, relations=(record,))

    # ------------------------------------------------------------------ layers
    def layers(self) -> list[Layer]:
        """Every layer (one per annotator, ``gold``, machine layers) with its span count."""
        return self.event_store.layers()

    # ------------------------------------------------------------------ documents
    def documents(self, annotator: str) -> list[DocumentSummary]:
        """Every document, without its text; status and span count are ``annotator``'s layer's."""
        return self.document_store.summaries(annotator)

    def document_ids(self) -> list[DocumentId]:
        """Every document's id, in import order."""
        return self.document_store.ids()

    def document_lengths(self) -> dict[DocumentId, int]:
        """Every document's length in code points, by id, without reading any text."""
        return self.document_store.lengths()

    def document_count(self) -> int:
        return self.document_store.count()

    def document(self, document_id: str) -> Document:
        return self.document_store.get(document_id)

    def iter_documents(self, ids: Iterable[str] | None = None) -> Iterator[Document]:
        """Documents in import order, one at a time (a corpus need not fit in memory)."""
        return self.document_store.iterate(ids)

    def document_id_for_sha256(self, sha256: str) -> DocumentId | None:
        return self.document_store.id_for_sha256(sha256)

    def has_document(self, document_id: str) -> bool:
        return self.document_store.exists(document_id)

    def import_document(self, new: NewDocument, *, annotator: str) -> tuple[DocumentId, bool]:
        """Store one document and its spans; returns its id and False if the text was known.

        ``annotator`` performs the import; spans that name no annotator go to their layer.
        """
        document_id, added, _statuses = self.document_store.import_(new, annotator=annotator)
        return document_id, added

    # ------------------------------------------------------------------ status
    def status(self, document_id: str, annotator: str) -> str | None:
        return self.status_store.get(document_id, annotator)

    def statuses(self, document_id: str) -> dict[str, str]:
        return self.status_store.of_document(document_id)

    def statuses_by_document(self, document_ids: Sequence[str]) -> dict[str, dict[str, str]]:
        """``statuses`` of several documents in a query per few hundred, not one each."""
        return self.status_store.of_documents(document_ids)

    def set_status(
        self,
        document_id: str,
        status: str | None,
        *,
        annotator: str,
        by: str | None = None,
        adjudication: bool = False,
    ) -> ChangeSet:
        """Mark the document done / in progress (None: not started) in ``annotator``'s layer."""
        by = by or annotator
        check_layer_edit(annotator, by, adjudication=adjudication)
        with self._db.write():
            change = self.status_store.set(document_id, annotator, status, by=by)
        return self._change_set(by, statuses=(change,) if change else ())

    # ------------------------------------------------------------------ spans
    def spans(
        self,
        document_id: str | None = None,
        *,
        annotators: Sequence[str] | None = None,
        labels: Sequence[str] | None = None,
    ) -> list[Span]:
        """Spans in text order per document (documents by id), filtered by annotator and label."""
        ids = [document_id] if document_id is not None else None
        return self.span_store.select(ids, annotators, labels)

    def spans_by_document(
        self,
        document_ids: Sequence[str],
        *,
        annotators: Sequence[str] | None = None,
        labels: Sequence[str] | None = None,
    ) -> dict[str, list[Span]]:
        """``spans`` of several documents in a query per few hundred, not one each: what an
        export of ten thousand documents needs."""
        return self.span_store.by_document(document_ids, annotators, labels)

    def span_extents(self, document_id: str, annotator: str) -> list[ShownSpan]:
        """One annotator's spans of a document as ``ShownSpan``s, in text order."""
        return self.span_store.extents(document_id, annotator)

    def span_structure(
        self, document_id: str, annotators: Sequence[str]
    ) -> dict[str, tuple[Fragments | None, AttributeValues]]:
        """Span id -> (fragments, attributes) for the spans of these layers in a document that
        are discontinuous or carry attributes (the rest have neither)."""
        return self.span_store.structure(document_id, annotators)

    def span(self, span_id: str) -> Span:
        return self.span_store.get(span_id)

    def add_span(
        self,
        document_id: str,
        label: str,
        start: int,
        end: int,
        note: str | None = None,
        *,
        annotator: str,
        by: str | None = None,
        adjudication: bool = False,
    ) -> ChangeSet:
        """A new span in ``annotator``'s layer; a span of nothing but whitespace is refused.

        A person's first span in a document also marks it in progress for them (one step).
        """
        return self._insert_span(
            document_id,
            label,
            start,
            end,
            note,
            annotator=annotator,
            by=by or annotator,
            kind=EventKind.SPAN_CREATED,
            adjudication=adjudication,
        )

    def _insert_span(
        self,
        document_id: str,
        label: str,
        start: int,
        end: int,
        note: str | None,
        *,
        annotator: str,
        by: str,
        kind: EventKind,
        adjudication: bool,
        copied_from: dict[str, str] | None = None,
        decided: dict[str, Any] | None = None,
        fragments: Fragments | None = None,
        attributes: AttributeValues = NO_ATTRIBUTES,
    ) -> ChangeSet:
        now = utc_now()
        span = Span(
            id=SpanId(new_span_id()),
            document_id=DocumentId(document_id),
            label=LabelKey(label),
            start=start,
            end=end,
            text="",
            annotator=annotator,
            note=note or None,
            created_at=now,
            updated_at=now,
            fragments=fragments,
            attributes=attributes,
        )
        with self._db.write():
            created = self.span_store.insert(
                span,
                kind=kind,
                by=by,
                adjudication=adjudication,
                copied_from=copied_from,
                decided=decided,
            )
            started = None
            if annotator != GOLD_LAYER and self.status_store.get(document_id, annotator) is None:
                started = self.status_store.set(document_id, annotator, "in_progress", by=by)
        return self._change_set(by, spans=(created,), statuses=(started,) if started else ())

    def copy_spans(self, span_ids: Sequence[str], *, annotator: str) -> ChangeSet:
        """Copy spans of other layers into ``annotator``'s own layer, as one undo step.

        Each copy is a new span of theirs (new id, recorded as theirs); a span their layer
        already holds with the same offsets and label is skipped.
        """
        parts = []
        with self._db.write():
            for span_id in span_ids:
                source = self.span_store.get(span_id)
                mine = self.span_store.extents(source.document_id, annotator)
                if source.annotator == annotator:
                    raise InvariantError("this span is already in your layer")
                if any(row[:3] == (source.start, source.end, source.label) for row in mine):
                    continue
                origin = {"annotator": source.annotator, "span": source.id}
                parts.append(
                    self._insert_span(
                        source.document_id,
                        source.label,
                        source.start,
                        source.end,
                        source.note,
                        annotator=annotator,
                        by=annotator,
                        kind=EventKind.SPAN_COPIED,
                        adjudication=False,
                        copied_from=origin,
                        fragments=source.fragments,
                        attributes=source.attributes,
                    )
                )
        title = f"Copy {len(parts)} spans" if len(parts) > 1 else None
        return ChangeSet.combine(parts, annotator=annotator, title=title)

    def copy_span(self, span_id: str, *, annotator: str) -> ChangeSet:
        """Copy one span of another layer into ``annotator``'s (see ``copy_spans``)."""
        return self.copy_spans([span_id], annotator=annotator)

    def delete_spans(
        self, span_ids: Sequence[str], *, annotator: str, adjudication: bool = False
    ) -> ChangeSet:
        """Delete several of ``annotator``'s spans, and every relation from or to them, as one
        undo step (undo restores the spans and then their relations)."""
        relations: list[RelationChange] = []
        spans: list[SpanChange] = []
        with self._db.write():
            for span_id in span_ids:
                check_layer_edit(
                    self.span_store.get(span_id).annotator, annotator, adjudication=adjudication
                )
                for relation in self.relation_store.of_span(span_id):
                    relations.append(
                        self.relation_store.delete(
                            relation.id, by=annotator, adjudication=adjudication
                        )
                    )
                spans.append(
                    self.span_store.delete(span_id, by=annotator, adjudication=adjudication)
                )
        return self._change_set(annotator, spans=tuple(spans), relations=tuple(relations))

    def delete_span(self, span_id: str, *, annotator: str, adjudication: bool = False) -> ChangeSet:
        """Delete one span of ``annotator``'s layer (another layer's span is refused), with its
        relations, as one undo step."""
        return self.delete_spans([span_id], annotator=annotator, adjudication=adjudication)

    def relabel_span(self, span_id: str, label: str, *, annotator: str) -> ChangeSet:
        return self.update_span(span_id, annotator=annotator, label=label)

    def resize_span(self, span_id: str, start: int, end: int, *, annotator: str) -> ChangeSet:
        """New outer offsets; a discontinuous span's pieces follow (see ``fragments.resized``)."""
        span = self.span_store.get(span_id)
        if span.fragments is None:
            return self.update_span(span_id, annotator=annotator, start=start, end=end)
        return self._change_span(
            span_id,
            annotator,
            start=start,
            end=end,
            fragments=resized(span.fragments, start, end) if start < end else None,
            kind=EventKind.SPAN_RESIZED,
        )

    def set_attributes(self, span_id: str, values: dict[str, Any], *, annotator: str) -> ChangeSet:
        """Set some of a span's attribute values (None or "" removes one; the others stay).

        A value that is not an attribute of the span's label, or breaks its rule, is refused
        with the rule (InvariantError); nothing is written then.
        """
        span = self.span_store.get(span_id)
        merged = {**span.attributes, **values}
        return self._change_span(span_id, annotator, attributes=merged)

    def add_fragment(self, span_id: str, start: int, end: int, *, annotator: str) -> ChangeSet:
        """Extend a span with ``start``-``end``: it becomes (or stays) discontinuous; pieces that
        overlap or touch are merged (so it may become one piece again)."""
        span = self.span_store.get(span_id)
        piece = self.document_store.text_at(span.document_id, start, end)
        if not piece.strip():
            raise InvariantError("the new fragment covers only whitespace; select some text")
        new_start, new_end, fragments = extended(span.pieces, start, end)
        return self._change_span(
            span_id,
            annotator,
            start=new_start,
            end=new_end,
            fragments=fragments,
            kind=EventKind.SPAN_EXTENDED,
        )

    def remove_fragment(self, span_id: str, index: int, *, annotator: str) -> ChangeSet:
        """Take piece ``index`` (0-based, text order) out of a discontinuous span; the outer
        offsets shrink when it was the first or last, and one piece left is a plain span."""
        span = self.span_store.get(span_id)
        new_start, new_end, fragments = without_piece(span.pieces, index)
        return self._change_span(
            span_id,
            annotator,
            start=new_start,
            end=new_end,
            fragments=fragments,
            kind=EventKind.SPAN_FRAGMENT_REMOVED,
        )

    def _change_span(self, span_id: str, annotator: str, **changes: Any) -> ChangeSet:
        with self._db.write():
            record = self.span_store.update(span_id, by=annotator, **changes)
        return self._change_set(annotator, spans=(record,) if record else ())

    def set_note(self, span_id: str, note: str | None, *, annotator: str) -> ChangeSet:
        return self.update_span(span_id, annotator=annotator, note=note or None)

    def update_span(
        self,
        span_id: str,
        *,
        annotator: str,
        label: str | None = None,
        start: int | None = None,
        end: int | None = None,
        note: Any = UNSET,
        adjudication: bool = False,
    ) -> ChangeSet:
        """Change a span's label, offsets and/or note; the event is named for what changed.

        An empty change set when nothing would change.
        """
        with self._db.write():
            record = self.span_store.update(
                span_id,
                by=annotator,
                label=label,
                start=start,
                end=end,
                note=note,
                adjudication=adjudication,
            )
        return self._change_set(annotator, spans=(record,) if record else ())

    # ------------------------------------------------------------------ adjudication
    def add_gold_spans(
        self, proposals: Sequence[GoldProposal], *, annotator: str, title: str | None = None
    ) -> ChangeSet:
        """Put spans into the gold layer as ``annotator`` (the curator), as one undo step.

        Each is a ``span_adjudicated`` event naming the candidate it decided and the
        annotators' spans behind it; a span whose offsets and label gold already holds is
        skipped (one layer holds one span per offsets and label).
        """
        parts = []
        with self._db.write():
            for proposal in proposals:
                held = self.span_store.extents(proposal.document_id, GOLD_LAYER)
                wanted = (proposal.start, proposal.end, proposal.label)
                if any(row[:3] == wanted for row in held):
                    continue
                parts.append(
                    self._insert_span(
                        proposal.document_id,
                        proposal.label,
                        proposal.start,
                        proposal.end,
                        None,
                        annotator=GOLD_LAYER,
                        by=annotator,
                        kind=EventKind.SPAN_ADJUDICATED,
                        adjudication=True,
                        decided=proposal.record(),
                        fragments=proposal.fragments,
                        attributes=proposal.attributes,
                    )
                )
        return ChangeSet.combine(parts, annotator=annotator, title=title)

    def remove_gold_span(
        self, span_id: str, *, annotator: str, reason: str | None = None
    ) -> ChangeSet:
        """Take a span out of the gold layer as ``annotator`` (the curator), with its gold
        relations, as one undo step."""
        with self._db.write():
            relations = tuple(
                self.relation_store.delete(relation.id, by=annotator, adjudication=True)
                for relation in self.relation_store.of_span(span_id)
            )
            record = self.span_store.delete(
                span_id,
                by=annotator,
                adjudication=True,
                kind=EventKind.GOLD_SPAN_REMOVED,
                reason=reason or None,
            )
        return self._change_set(annotator, spans=(record,), relations=relations)

    def reject_candidate(self, rejection: Rejection, *, annotator: str) -> ChangeSet:
        """Record that ``annotator`` (the curator) keeps this candidate out of gold."""
        with self._db.write():
            record = self.decision_store.reject(rejection, by=annotator)
        return self._change_set(annotator, rejections=(record,))

    def rejections(self, document_ids: Sequence[str] | None = None) -> dict[str, list[Rejection]]:
        """Standing rejections per document (of every document that has one, or of those)."""
        return self.decision_store.rejections(document_ids)

    def gold_origins(self, document_ids: Sequence[str] | None = None) -> dict[str, CandidateKey]:
        """Gold span id -> the candidate its acceptance decided (for edited acceptances)."""
        return self.decision_store.gold_origins(document_ids)

    # ------------------------------------------------------------------ undo
    def revert(self, changes: ChangeSet) -> ChangeSet:
        """Undo ``changes`` as one step, by the person who made them; returns what undoing made
        (itself revertible: reverting that is redo). Its events name the operation reverted."""
        if not changes.undoable:
            raise ClaimmarkError(f"cannot undo {changes.caption.lower()}")
        by = changes.annotator
        spans: list[SpanChange] = []
        statuses: list[StatusChange] = []
        rejections: list[RejectionChange] = []
        relations: list[RelationChange] = []
        kept: list[str] = []  # statuses a merge set since, left as they are
        with self._db.write(reverts=changes.operation):
            for decision in reversed(changes.rejections):
                if decision.rejected:
                    rejections.append(self.decision_store.withdraw(decision.rejection, by=by))
                else:
                    rejections.append(self.decision_store.reject(decision.rejection, by=by))
            # Links made go first (their spans may go next); links removed come back last
            # (their spans are back by then).
            made = [r for r in changes.relations if r.after is not None]
            removed = [r for r in changes.relations if r.after is None]
            for change in reversed(made):
                relations.append(self._revert_relation(change, by))
            records: tuple[SpanChange | StatusChange, ...] = (*changes.spans, *changes.statuses)
            for record in reversed(records):
                if isinstance(record, StatusChange):
                    gold = record.annotator == GOLD_LAYER
                    check_layer_edit(record.annotator, by, adjudication=gold)
                    now = self.status_store.get(record.document_id, record.annotator)
                    if now != record.after and self._status_merged_last(record):
                        kept.append(f"document {record.document_id}: {now or 'not started'}")
                        continue  # a merge set it since: not this person's to take back
                    undone = self.status_store.set(
                        record.document_id, record.annotator, record.before, by=by
                    )
                    if undone is not None:
                        statuses.append(undone)
                    continue
                spans.extend(self._revert_span(record, by))
            for change in reversed(removed):
                relations.append(self._revert_relation(change, by))
            if kept and not (spans or statuses or rejections or relations):
                raise ClaimmarkError(
                    f"the status was changed since ({'; '.join(kept)}): nothing to undo"
                )
        return self._change_set(
            by,
            spans=tuple(spans),
            statuses=tuple(statuses),
            rejections=tuple(rejections),
            relations=tuple(relations),
        )

    def _status_merged_last(self, record: StatusChange) -> bool:
        """Whether the status's latest change was a merge's (which no one's undo reverts)."""
        kind = self._db.scalar(
            "SELECT kind FROM events WHERE document_id = ? AND subject = ?"
            " AND kind IN (?, ?) ORDER BY seq DESC LIMIT 1",
            record.document_id,
            record.annotator,
            EventKind.STATUS_CHANGED.value,
            EventKind.STATUS_MERGED.value,
        )
        return kind == EventKind.STATUS_MERGED.value

    def _revert_relation(self, record: RelationChange, by: str) -> RelationChange:
        gold = record.relation.annotator == GOLD_LAYER
        if record.after is not None:
            return self.relation_store.delete(record.after.id, by=by, adjudication=gold)
        assert record.before is not None
        return self.relation_store.insert(
            record.before, kind=EventKind.RELATION_RESTORED, by=by, adjudication=gold
        )

    def _revert_span(self, record: SpanChange, by: str) -> list[SpanChange]:
        before, after = record.before, record.after
        layer = (after or before).annotator  # type: ignore[union-attr]
        gold = layer == GOLD_LAYER
        effect = record.kind.effect
        if effect is Effect.SPAN_INSERT and after is not None:
            return [self.span_store.delete(after.id, by=by, adjudication=gold)]
        if effect is Effect.SPAN_DELETE and before is not None:
            kind = EventKind.SPAN_RESTORED
            return [self.span_store.insert(before, kind=kind, by=by, adjudication=gold)]
        if before is not None:
            undone = self.span_store.update(
                before.id,
                by=by,
                label=before.label,
                start=before.start,
                end=before.end,
                note=before.note,
                fragments=before.fragments,
                attributes=before.attributes,
                adjudication=gold,
            )
            return [undone] if undone else []
        raise ClaimmarkError(f"cannot undo {record.kind}")

    # ------------------------------------------------------------------ history and stats
    def events(
        self,
        *,
        document_id: str | None = None,
        annotator: str | None = None,
        since: str | None = None,
        subject: str | None = None,
    ) -> list[Event]:
        return self.event_store.select(
            document_id=document_id, annotator=annotator, since=since, subject=subject
        )

    def raw_events(self) -> Iterator[dict[str, Any]]:
        """Events exactly as stored (JSON columns as text), for verifying the hash chain."""
        return self.event_store.raw()

    def events_after(self, seq: int, *, limit: int | None = None) -> list[Event]:
        """Events newer than ``seq``, oldest first: what a view that saw ``seq`` has missed."""
        return self.event_store.after(seq, limit=limit)

    def last_event_seq(self) -> int:
        return self.event_store.last_seq()

    def data_version(self) -> int:
        """Changes whenever *another* connection commits to this file (see ``EventFeed``)."""
        return self.event_store.data_version()

    def layer_extents(
        self,
        document_id: str,
        annotators: Sequence[str],
        starting: tuple[int, int | None] = (0, None),
    ) -> list[tuple]:
        """Other layers' spans of a document: ``ShownSpan`` + (annotator,), for showing them;
        only those starting in ``[starting[0], starting[1])`` (None: to the end)."""
        return self.span_store.layer_extents(document_id, annotators, starting)

    def layer_span_counts(self, document_id: str) -> dict[str, int]:
        """Spans per annotator (layer) in one document."""
        return self.span_store.layer_counts(document_id)

    def event_count(self) -> int:
        return self.event_store.count()

    def latest_event_hash(self) -> str:
        return self.event_store.latest_hash()

    def annotators(self) -> list[str]:
        return self.event_store.annotators()

    def stats(self) -> dict[str, Any]:
        q = self._db.conn.execute
        return {
            "documents": self.document_count(),
            "spans": self._db.scalar("SELECT count(*) FROM spans"),
            "spans_per_label": {label.key: 0 for label in self.labels()}
            | dict(q("SELECT label, count(*) FROM spans GROUP BY label").fetchall()),
            "relations": self.relation_store.count(),
            "relations_per_type": {t.key: 0 for t in self.relation_types()}
            | self.relation_store.counts_by_type(),
            "spans_per_annotator": dict(
                q("SELECT annotator, count(*) FROM spans GROUP BY annotator ORDER BY annotator")
            ),
            "done_per_annotator": dict(
                q(
                    "SELECT annotator, count(*) FROM document_status WHERE status = 'done'"
                    " GROUP BY annotator ORDER BY annotator"
                )
            ),
            # A document is adjudicated when the curator marks the gold layer's status done.
            "adjudicated": self._db.scalar(
                "SELECT count(*) FROM document_status WHERE annotator = ? AND status = 'done'",
                GOLD_LAYER,
            ),
            "with_gold_spans": self._db.scalar(
                "SELECT count(DISTINCT document_id) FROM spans WHERE annotator = ?", GOLD_LAYER
            ),
        }
