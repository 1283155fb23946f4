"""Relations: typed, directed links between two spans of one document and one layer.

A relation is created or deleted, never changed (a trigger refuses an update; another type is a
delete and a create). Its rules are checked here, in the words ``relation_rules`` gives, before
SQLite's own guards (the trigger keeping both spans in the relation's document and layer, the
foreign keys, the unique link) would refuse it less helpfully.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import replace
from typing import Any, NamedTuple

from .changes import RelationChange
from .event_kinds import EventKind
from .layer_rules import check_layer_edit
from .model import (
    RELATION_FIELDS,
    ClaimmarkError,
    DocumentId,
    InvariantError,
    Relation,
    RelationId,
    RelationType,
    Span,
    SpanId,
    relation_values,
)
from .project_db import ProjectDb, chunks, placeholders
from .relation_rules import pair_problem, relabel_problem, schema_problem
from .relation_type_store import RelationTypeStore

_COLUMNS = ", ".join(RELATION_FIELDS)
_PARAMETERS = ", ".join(f":{name}" for name in RELATION_FIELDS)
_ORDER = "ORDER BY document_id, created_at, id"


class NewRelation(NamedTuple):
    """A relation as an import provides it: its ends are the ids of spans of the same document
    (``NewSpan.id``); id, annotator (else the spans' layer) and time are kept when given."""

    type: str
    from_span: str
    to_span: str
    annotator: str | None = None
    id: str | None = None
    created_at: str | None = None
    #: The line of the file that gives it, when that is not the document's (a brat ``R`` line).
    line: int | None = None


class RelationRefused(InvariantError):
    """An imported relation breaks a rule; ``line`` is where its file gives it, when known, so
    the refusal points at the ``R`` line rather than at the document."""

    def __init__(self, message: str, line: int | None):
        super().__init__(message)
        self.line = line


class SpanEnd(NamedTuple):
    """What the rules need of a span at one end of a relation."""

    id: str
    document_id: str
    label: str
    annotator: str


def integrity_message(exc: sqlite3.IntegrityError) -> str:
    text = str(exc)
    if "UNIQUE constraint failed: relations.id" in text:
        return "a relation with this id already exists in the project"
    if "UNIQUE" in text:
        return "this relation (same type, same two spans) already exists"
    if "FOREIGN KEY" in text:
        return "the relation refers to a document, type, span or annotator that does not exist"
    return text


class RelationStore:
    def __init__(self, db: ProjectDb, types: RelationTypeStore):
        self._db = db
        self._types = types

    # ------------------------------------------------------------------ reading
    def get(self, relation_id: str) -> Relation:
        row = self._db.conn.execute(
            f"SELECT {_COLUMNS} FROM relations WHERE id = ?", (relation_id,)
        ).fetchone()
        if row is None:
            raise ClaimmarkError(f"no relation with id {relation_id!r}")
        return Relation(*row)

    def get_many(self, relation_ids: Sequence[str]) -> dict[str, Relation]:
        """The relations among ``relation_ids`` that exist, by id, a query per few hundred."""
        found: dict[str, Relation] = {}
        for part in chunks(list(relation_ids)):
            rows = self._db.conn.execute(
                f"SELECT {_COLUMNS} FROM relations WHERE id IN ({placeholders(part)})", part
            )
            for row in rows:
                found[row[0]] = Relation(*row)
        return found

    def of_layer(self, document_id: str, annotator: str) -> list[Relation]:
        """One layer's relations in a document, oldest first (the index serves it)."""
        rows = self._db.conn.execute(
            f"SELECT {_COLUMNS} FROM relations WHERE document_id = ? AND annotator = ?"
            " ORDER BY created_at, id",
            (document_id, annotator),
        )
        return [Relation(*row) for row in rows]

    def of_span(self, span_id: str) -> list[Relation]:
        """Every relation from or to the span, oldest first."""
        rows = self._db.conn.execute(
            f"SELECT {_COLUMNS} FROM relations WHERE from_span = ?"
            f" UNION SELECT {_COLUMNS} FROM relations WHERE to_span = ?"
            " ORDER BY created_at, id",
            (span_id, span_id),
        )
        return [Relation(*row) for row in rows]

    def by_document(
        self, document_ids: Sequence[str], annotators: Sequence[str] | None = None
    ) -> dict[str, list[Relation]]:
        """Relations of several documents (of some layers), a query per few hundred documents."""
        found: dict[str, list[Relation]] = {d: [] for d in document_ids}
        for part in chunks(list(found)):
            where = f"document_id IN ({placeholders(part)})"
            params: list[str] = list(part)
            if annotators:
                where += f" AND annotator IN ({placeholders(list(annotators))})"
                params.extend(annotators)
            rows = self._db.conn.execute(
                f"SELECT {_COLUMNS} FROM relations WHERE {where} {_ORDER}", params
            )
            for row in rows:
                relation = Relation(*row)
                found[relation.document_id].append(relation)
        return found

    def counts_by_type(self, annotators: Sequence[str] | None = None) -> dict[str, int]:
        """Relations per type (of some layers), types with none left out."""
        where, params = "", list(annotators or ())
        if params:
            where = f"WHERE annotator IN ({placeholders(params)})"
        return dict(
            self._db.conn.execute(
                f"SELECT type, count(*) FROM relations {where} GROUP BY type ORDER BY type", params
            )
        )

    def count(self) -> int:
        return self._db.scalar("SELECT count(*) FROM relations")

    def _end(self, span_id: str) -> SpanEnd:
        row = self._db.conn.execute(
            "SELECT id, document_id, label, annotator FROM spans WHERE id = ?", (span_id,)
        ).fetchone()
        if row is None:
            raise InvariantError(f"no span with id {span_id!r}")
        return SpanEnd(*row)

    # ------------------------------------------------------------------ rules
    def _type(self, key: str) -> RelationType:
        relation_type = self._types.get(key)
        if relation_type is None:
            raise InvariantError(f"unknown relation type {key!r}")
        return relation_type

    def check_label_change(self, span: Span, new_label: str) -> None:
        """Refuse a relabel that would leave one of the span's relations breaking its rule."""
        links = [
            (self._type(relation.type), relation.from_span == span.id)
            for relation in self.of_span(span.id)
        ]
        problem = relabel_problem(span, new_label, links)
        if problem:
            raise InvariantError(problem)

    def check(self, relation_type: str, first: SpanEnd, second: SpanEnd) -> RelationType:
        """Every rule a new link from ``first`` to ``second`` must keep, in the user's words."""
        problem = pair_problem(first, second)
        if problem:
            raise InvariantError(problem)
        found = self._type(relation_type)
        problem = schema_problem(found, first.label, second.label)
        if problem:
            raise InvariantError(problem)
        return found

    # ------------------------------------------------------------------ writing
    def insert(
        self,
        relation: Relation,
        *,
        kind: EventKind,
        by: str,
        adjudication: bool = False,
        merged_from: dict[str, str] | None = None,
    ) -> RelationChange:
        """Store ``relation`` (its document and layer are its spans') with its event.

        ``merged_from`` (the file) is recorded in the event of a relation merged from another
        project file, which keeps its layer whoever merges it.
        """
        merge = kind is EventKind.RELATION_MERGED
        with self._db.write():
            first, second = self._end(relation.from_span), self._end(relation.to_span)
            check_layer_edit(first.annotator, by, adjudication=adjudication, merge=merge)
            self.check(relation.type, first, second)
            relation = replace(
                relation, document_id=DocumentId(first.document_id), annotator=first.annotator
            )
            try:
                self._db.conn.execute(
                    f"INSERT INTO relations ({_COLUMNS}) VALUES ({_PARAMETERS})",
                    relation_row(relation),
                )
            except sqlite3.IntegrityError as exc:
                raise InvariantError(integrity_message(exc)) from exc
            after = self._event_values(relation)
            if merged_from is not None:
                after["merged_from"] = merged_from
            self._db.append_event(
                kind,
                annotator=by,
                document_id=relation.document_id,
                subject=relation.id,
                after=after,
            )
        return RelationChange(kind, None, relation)

    def delete(self, relation_id: str, *, by: str, adjudication: bool = False) -> RelationChange:
        with self._db.write():
            before = self.get(relation_id)
            check_layer_edit(before.annotator, by, adjudication=adjudication)
            values = self._event_values(before)
            self._db.conn.execute("DELETE FROM relations WHERE id = ?", (relation_id,))
            self._db.append_event(
                EventKind.RELATION_DELETED,
                annotator=by,
                document_id=before.document_id,
                subject=relation_id,
                before=values,
            )
        return RelationChange(EventKind.RELATION_DELETED, before, None)

    def _event_values(self, relation: Relation) -> dict[str, Any]:
        """The relation as its event records it, plus its ends' labels and texts so the history
        reads as words, not ids (the replay reads only the relation's own fields)."""
        values = relation_values(relation)
        for end, span_id in (("from", relation.from_span), ("to", relation.to_span)):
            row = self._db.conn.execute(
                "SELECT label, text FROM spans WHERE id = ?", (span_id,)
            ).fetchone()
            if row is not None:
                values[f"{end}_shown"] = {"label": row[0], "text": row[1]}
        return values

    def import_rows(
        self,
        document_id: str,
        relations: Sequence[NewRelation],
        ends: dict[str, SpanEnd],
        ids: list[str],
        now: str,
    ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """Each imported relation's row and what the import event records of it, every rule
        checked (``ends``: the document's imported spans by id). ``ids`` are spare new ids."""
        self._check_new_ids([r.id for r in relations if r.id])
        rows: list[dict[str, Any]] = []
        events: list[dict[str, Any]] = []
        for new in relations:
            first, second = ends.get(new.from_span), ends.get(new.to_span)
            for span_id, end in ((new.from_span, first), (new.to_span, second)):
                if end is None:
                    raise InvariantError(
                        f"relation {new.type}: no span with id {span_id!r} in this document"
                    )
            assert first is not None and second is not None
            try:
                self.check(new.type, first, second)
            except InvariantError as exc:
                if not new.id:  # span ids an import made up would mean nothing to the reader
                    raise RelationRefused(str(exc), new.line) from exc
                # A file line may hold many relations: say which one breaks the rule.
                raise RelationRefused(
                    f"relation {new.id!r} ({new.type} from span {new.from_span!r} to span"
                    f" {new.to_span!r}): {exc}",
                    new.line,
                ) from exc
            if new.annotator is not None and new.annotator != first.annotator:
                raise InvariantError(
                    f"relation {new.type} is {new.annotator}'s, but its spans are in"
                    f" {first.annotator}'s layer"
                )
            relation = Relation(
                RelationId(new.id or ids.pop()),
                DocumentId(document_id),
                new.type,
                SpanId(new.from_span),
                SpanId(new.to_span),
                first.annotator,
                new.created_at or now,
            )
            rows.append(relation_row(relation))
            event = relation_values(relation)
            if relation.created_at == now:
                del event["created_at"]  # the import's time, given once as spans_at
            events.append(event)
        return rows, events

    def insert_rows(self, rows: list[dict[str, Any]]) -> None:
        try:
            self._db.conn.executemany(
                f"INSERT INTO relations ({_COLUMNS}) VALUES ({_PARAMETERS})", rows
            )
        except sqlite3.IntegrityError as exc:
            raise InvariantError(integrity_message(exc)) from exc

    def _check_new_ids(self, ids: list[str]) -> None:
        if len(set(ids)) != len(ids):
            repeated = next(i for i in ids if ids.count(i) > 1)
            raise InvariantError(f"relation id {repeated!r} is used twice")
        taken = self._db.first_taken_id("relations", ids)
        if taken is not None:
            raise InvariantError(f"relation id {taken!r} is already used by another relation")


def relation_row(relation: Relation) -> dict[str, Any]:
    return {name: getattr(relation, name) for name in RELATION_FIELDS}
