"""Writing what a merge brings in, each record with its ``*_merged`` audit event.

The records keep what they were in their file: a span its id, layer and times, a status its
time, a document its id (unless taken), title, metadata and import time. The events name the
person running the merge as their performer and the file each record came from, so the log
tells who made a span and when (the span's own fields) and who merged it (the event's).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..event_kinds import Effect, EventKind
from ..model import Document, Label, Relation, RelationType, Span

if TYPE_CHECKING:
    from ..attribute_store import AttributeStore
    from ..attributes import AttributeDefinition
    from ..document_store import DocumentStore
    from ..label_store import LabelStore
    from ..project_db import ProjectDb
    from ..relation_store import RelationStore
    from ..relation_type_store import RelationTypeStore
    from ..span_store import SpanStore
    from ..status_store import StatusRecord, StatusStore


class MergeStore:
    def __init__(
        self,
        db: ProjectDb,
        documents: DocumentStore,
        labels: LabelStore,
        spans: SpanStore,
        statuses: StatusStore,
        attributes: AttributeStore,
        relation_types: RelationTypeStore,
        relations: RelationStore,
    ) -> None:
        self._db = db
        self._documents = documents
        self._labels = labels
        self._spans = spans
        self._statuses = statuses
        self._attributes = attributes
        self._relation_types = relation_types
        self._relations = relations

    def add_label(self, label: Label, *, by: str, merged_from: dict[str, str]) -> None:
        self._labels.insert(
            label, annotator=by, kind=EventKind.LABEL_MERGED, merged_from=merged_from
        )

    def add_attribute(
        self, definition: AttributeDefinition, *, by: str, merged_from: dict[str, str]
    ) -> None:
        self._attributes.insert(
            definition, annotator=by, kind=EventKind.ATTRIBUTE_MERGED, merged_from=merged_from
        )

    def add_layer(self, name: str, kind: str, *, by: str, merged_from: dict[str, str]) -> None:
        self._db.add_merged_layer(name, kind, by=by, merged_from=merged_from)

    def add_document(
        self, document: Document, document_id: str, *, by: str, merged_from: dict[str, str]
    ) -> None:
        self._documents.insert_merged(document, document_id, by=by, merged_from=merged_from)

    def add_span(self, span: Span, *, by: str, merged_from: dict[str, str]) -> None:
        self._spans.insert(span, kind=EventKind.SPAN_MERGED, by=by, merged_from=merged_from)

    def add_relation_type(
        self, relation_type: RelationType, *, by: str, merged_from: dict[str, str]
    ) -> None:
        self._relation_types.insert(
            relation_type,
            annotator=by,
            kind=EventKind.RELATION_TYPE_MERGED,
            merged_from=merged_from,
        )

    def add_relation(self, relation: Relation, *, by: str, merged_from: dict[str, str]) -> None:
        self._relations.insert(
            relation, kind=EventKind.RELATION_MERGED, by=by, merged_from=merged_from
        )

    def set_status(
        self, record: StatusRecord, *, before: str | None, by: str, merged_from: dict[str, str]
    ) -> None:
        self._statuses.set_merged(record, before=before, by=by, merged_from=merged_from)

    def record(
        self,
        kind: EventKind,
        *,
        by: str,
        subject: str,
        after: dict[str, Any],
        document_id: str | None = None,
    ) -> None:
        """An event that changes no data: the source file merged, or a conflict met."""
        assert kind.effect is Effect.RECORD
        self._db.append_event(
            kind, annotator=by, subject=subject, document_id=document_id, after=after
        )
