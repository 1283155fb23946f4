"""What an operation changed: a typed change set, enough to refresh every view and to undo it.

Every write operation of ``Project`` returns one ``ChangeSet``: the person who performed it, the
audit operation it was written as (the events of one transaction share it), and every span and
status record it created, updated or deleted, in the order they were made. A composite
operation (copying several spans, a first span that also starts the document) is one change set
and so one undo step.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .adjudication.records import Rejection
from .event_kinds import Effect, EventKind
from .model import DocumentId, Label, Relation, RelationType, Span

if TYPE_CHECKING:
    from .attributes import AttributeDefinition


@dataclass(frozen=True, slots=True)
class SpanChange:
    """One span created (``before`` None), deleted (``after`` None) or updated."""

    kind: EventKind
    before: Span | None
    after: Span | None

    @property
    def document_id(self) -> DocumentId:
        span = self.after or self.before
        assert span is not None
        return span.document_id

    @property
    def span_id(self) -> str:
        span = self.after or self.before
        assert span is not None
        return span.id


@dataclass(frozen=True, slots=True)
class RelationChange:
    """One relation created (``before`` None) or deleted (``after`` None); never updated."""

    kind: EventKind
    before: Relation | None
    after: Relation | None

    @property
    def relation(self) -> Relation:
        relation = self.after or self.before
        assert relation is not None
        return relation

    @property
    def document_id(self) -> DocumentId:
        return self.relation.document_id


@dataclass(frozen=True, slots=True)
class StatusChange:
    """One annotator's status of one document, from ``before`` to ``after`` (None: not started)."""

    document_id: DocumentId
    annotator: str
    before: str | None
    after: str | None

    @property
    def kind(self) -> EventKind:
        return EventKind.STATUS_CHANGED


@dataclass(frozen=True, slots=True)
class RejectionChange:
    """A candidate rejected (``candidate_rejected``) or its rejection withdrawn (undone)."""

    kind: EventKind
    rejection: Rejection

    @property
    def document_id(self) -> DocumentId:
        return self.rejection.document_id

    @property
    def rejected(self) -> bool:
        return self.kind is EventKind.CANDIDATE_REJECTED


@dataclass(frozen=True, slots=True)
class ChangeSet:
    """What one operation did, as records; empty when it changed nothing."""

    #: Who performed the operation (and whose layer it touched).
    annotator: str
    #: The audit operation its events belong to (the seq of its first event); None if empty.
    operation: int | None = None
    spans: tuple[SpanChange, ...] = ()
    statuses: tuple[StatusChange, ...] = ()
    labels: tuple[Label, ...] = ()
    documents: tuple[DocumentId, ...] = ()
    #: Attribute definitions added to the schema.
    definitions: tuple[AttributeDefinition, ...] = ()
    #: Relations created or deleted (a span's deletion deletes its relations first).
    relations: tuple[RelationChange, ...] = ()
    relation_types: tuple[RelationType, ...] = ()
    #: What undo calls it; by default the caption of its first record's kind.
    title: str | None = None
    #: Adjudication decisions that change no rows (rejections, and their undoing).
    rejections: tuple[RejectionChange, ...] = ()

    def __bool__(self) -> bool:
        return bool(
            self.spans
            or self.statuses
            or self.labels
            or self.documents
            or self.rejections
            or self.definitions
            or self.relations
            or self.relation_types
        )

    @property
    def caption(self) -> str:
        if self.title:
            return self.title
        records: tuple[SpanChange | RelationChange | StatusChange | RejectionChange | None, ...] = (
            self.spans or self.relations or self.statuses or self.rejections or (None,)
        )
        first = records[0]
        if first is None:
            return "Change"
        counted = records is not self.statuses and len(records) > 1
        if counted and all(r is not None and r.kind is first.kind for r in records):
            return f"{first.kind.caption} ({len(records)})"
        return first.kind.caption

    @property
    def undoable(self) -> bool:
        return bool(self.spans or self.statuses or self.rejections or self.relations) and not (
            self.labels or self.documents or self.definitions or self.relation_types
        )

    @property
    def created(self) -> list[Span]:
        return [c.after for c in self.spans if c.before is None and c.after is not None]

    @property
    def deleted(self) -> list[Span]:
        return [c.before for c in self.spans if c.after is None and c.before is not None]

    @property
    def updated(self) -> list[tuple[Span, Span]]:
        return [
            (c.before, c.after)
            for c in self.spans
            if c.before is not None and c.after is not None and c.kind.effect is Effect.SPAN_UPDATE
        ]

    @property
    def document_ids(self) -> list[DocumentId]:
        """Every document touched, in the order first touched."""
        seen: dict[DocumentId, None] = {}
        for record in self.spans:
            seen.setdefault(record.document_id)
        for relation in self.relations:
            seen.setdefault(relation.document_id)
        for status in self.statuses:
            seen.setdefault(status.document_id)
        for document_id in self.documents:
            seen.setdefault(document_id)
        for rejection in self.rejections:
            seen.setdefault(rejection.document_id)
        return list(seen)

    @staticmethod
    def combine(parts: Iterable[ChangeSet], *, annotator: str, title: str | None = None):
        """Several change sets made in one transaction, as one (one undo step)."""
        parts = list(parts)
        return ChangeSet(
            annotator=annotator,
            operation=next((p.operation for p in parts if p.operation is not None), None),
            spans=tuple(r for p in parts for r in p.spans),
            statuses=tuple(r for p in parts for r in p.statuses),
            labels=tuple(r for p in parts for r in p.labels),
            documents=tuple(r for p in parts for r in p.documents),
            definitions=tuple(r for p in parts for r in p.definitions),
            relations=tuple(r for p in parts for r in p.relations),
            relation_types=tuple(r for p in parts for r in p.relation_types),
            title=title,
            rejections=tuple(r for p in parts for r in p.rejections),
        )
