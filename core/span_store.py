"""Spans: labelled stretches of a document's text, each in one annotator's layer."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from .attribute_store import AttributeStore
from .changes import SpanChange
from .clock import utc_now
from .document_store import DocumentStore
from .event_kinds import UPDATE_KIND_BY_FIELDS, EventKind
from .fragments import check_fragments
from .label_store import LabelStore
from .layer_rules import check_layer_edit
from .model import (
    AttributeValues,
    ClaimmarkError,
    Fragments,
    InvariantError,
    LabelKey,
    ShownSpan,
    Span,
    span_values,
)
from .project_db import ProjectDb, chunks, placeholders
from .project_rows import (
    SPAN_COLUMNS,
    SPAN_PARAMETERS,
    attributes_from_row,
    fragments_from_row,
    integrity_message,
    span_as_row,
    span_from_row,
)
from .project_rules import check_note
from .relation_store import RelationStore

_COLUMNS, _VALUES = SPAN_COLUMNS, SPAN_PARAMETERS
_UPDATABLE = ("label", "start", "end", "text", "note", "updated_at", "fragments", "attributes")
_UPDATE = ", ".join(f'"{name}" = :{name}' for name in _UPDATABLE)

#: "Leave this field as it is", where None is a value (a note removed).
UNSET: Any = object()


class SpanStore:
    def __init__(
        self,
        db: ProjectDb,
        documents: DocumentStore,
        labels: LabelStore,
        attributes: AttributeStore,
        relations: RelationStore | None = None,
    ):
        self._db = db
        self._documents = documents
        self._labels = labels
        self._attributes = attributes
        #: Asked before a relabel, which must not leave a relation breaking its type's rule.
        self._relations = relations

    # ------------------------------------------------------------------ reading
    def select(
        self,
        document_ids: Sequence[str] | None,
        annotators: Sequence[str] | None = None,
        labels: Sequence[str] | None = None,
    ) -> list[Span]:
        """Spans in text order per document (documents by id), filtered by annotator and label."""
        clauses: list[str] = []
        params: list[str] = []
        for column, values in (
            ("document_id", document_ids),
            ("annotator", annotators),
            ("label", labels),
        ):
            if values:
                clauses.append(f"{column} IN ({placeholders(list(values))})")
                params.extend(values)
            elif values is not None and column == "document_id":
                return []  # no documents asked for
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        rows = self._db.conn.execute(
            f'SELECT {_COLUMNS} FROM spans {where} ORDER BY document_id, start, "end", rowid',
            params,
        )
        return [span_from_row(row) for row in rows]

    def by_document(
        self,
        document_ids: Sequence[str],
        annotators: Sequence[str] | None = None,
        labels: Sequence[str] | None = None,
    ) -> dict[str, list[Span]]:
        """``select`` per document, in a query per few hundred documents, not one each."""
        found: dict[str, list[Span]] = {d: [] for d in document_ids}
        for part in chunks(list(found)):
            for span in self.select(part, annotators, labels):
                found[span.document_id].append(span)
        return found

    def extents(self, document_id: str, annotator: str) -> list[ShownSpan]:
        """One annotator's spans of a document as ``ShownSpan``s, in text order.

        Spans with the same offsets come in label order.

        What a view needs to highlight, hit-test and list tens of thousands of spans without
        building a ``Span`` for each; an index serves it in order, with no sort.
        """
        return self._db.conn.execute(
            'SELECT start, "end", label, id, note FROM spans'
            ' WHERE document_id = ? AND annotator = ? ORDER BY start, "end", label',
            (document_id, annotator),
        ).fetchall()

    def layer_extents(
        self,
        document_id: str,
        annotators: Sequence[str],
        starting: tuple[int, int | None] = (0, None),
    ) -> list[tuple]:
        """Several annotators' spans of a document as ``ShownSpan``s with the annotator appended,
        each annotator's in text order (one index range each, no sort); only those starting in
        ``[starting[0], starting[1])`` (None: to the end), a range the same index serves."""
        if not annotators:
            return []
        first, stop = starting
        return self._db.conn.execute(
            'SELECT start, "end", label, id, note, annotator FROM spans'
            f" WHERE document_id = ? AND annotator IN ({placeholders(list(annotators))})"
            " AND start >= ? AND start < ?",
            (document_id, *annotators, first, stop if stop is not None else 1 << 62),
        ).fetchall()

    def layer_counts(self, document_id: str) -> dict[str, int]:
        """Spans per annotator (layer) in one document; the unique index serves it."""
        return dict(
            self._db.conn.execute(
                "SELECT annotator, count(*) FROM spans WHERE document_id = ? GROUP BY annotator",
                (document_id,),
            ).fetchall()
        )

    def structure(
        self, document_id: str, annotators: Sequence[str]
    ) -> dict[str, tuple[Fragments | None, AttributeValues]]:
        """Span id -> (fragments, attributes) of the spans of a document in these layers that
        have either: what a view adds to its ``ShownSpan``s (most spans have neither)."""
        if not annotators:
            return {}
        rows = self._db.conn.execute(
            "SELECT id, fragments, attributes FROM spans"
            f" WHERE document_id = ? AND annotator IN ({placeholders(list(annotators))})"
            " AND (fragments IS NOT NULL OR attributes != '{}')",
            (document_id, *annotators),
        )
        return {
            span_id: (fragments_from_row(fragments), attributes_from_row(attributes))
            for span_id, fragments, attributes in rows
        }

    def structure_rows(self) -> list[tuple[str, str, int, int, str | None, str]]:
        """(id, label, start, end, fragments, attributes) as stored, the JSON columns as text,
        of every span with fragments or attributes: what ``audit verify`` checks."""
        return self._db.conn.execute(
            'SELECT id, label, start, "end", fragments, attributes FROM spans'
            " WHERE fragments IS NOT NULL OR attributes != '{}'"
        ).fetchall()

    def get(self, span_id: str) -> Span:
        row = self._db.conn.execute(
            f"SELECT {_COLUMNS} FROM spans WHERE id = ?", (span_id,)
        ).fetchone()
        if row is None:
            raise ClaimmarkError(f"no span with id {span_id!r}")
        return span_from_row(row)

    def get_many(self, span_ids: Sequence[str]) -> dict[str, Span]:
        """The spans among ``span_ids`` that exist, by id, in a query per few hundred ids."""
        found: dict[str, Span] = {}
        for part in chunks(list(span_ids)):
            rows = self._db.conn.execute(
                f"SELECT {_COLUMNS} FROM spans WHERE id IN ({placeholders(part)})", part
            )
            for row in rows:
                span = span_from_row(row)
                found[span.id] = span
        return found

    # ------------------------------------------------------------------ writing
    def insert(
        self,
        span: Span,
        *,
        kind: EventKind,
        by: str,
        adjudication: bool = False,
        copied_from: dict[str, str] | None = None,
        decided: dict[str, Any] | None = None,
        merged_from: dict[str, str] | None = None,
    ) -> SpanChange:
        """Insert ``span`` with its own id and times; its text is re-read from the document.

        ``copied_from`` (annotator and span id) is recorded in the event of a copy from another
        layer, so the audit says whose work it was; ``decided`` (``GoldProposal.record``) in
        the event of an adjudication, so it says which candidate and whose spans it decided;
        ``merged_from`` (the file) in the event of a span merged from another project file,
        which keeps its layer whoever merges it.
        """
        merge = kind is EventKind.SPAN_MERGED
        check_layer_edit(span.annotator, by, adjudication=adjudication, merge=merge)
        with self._db.write():
            span = replace(
                span, text=self._documents.text_at(span.document_id, span.start, span.end)
            )
            # A restored or merged span is carried as it was, even one an import let through.
            carried = kind in (EventKind.SPAN_RESTORED, EventKind.SPAN_MERGED)
            if not carried and not span.text.strip():
                raise InvariantError("the span covers only whitespace; select some text")
            self._labels.check_exists(span.label)
            check_note(span.note)
            check_fragments(span.fragments, span.start, span.end)
            if span.attributes:
                checked = self._attributes.checked(span.label, span.attributes)
                span = replace(span, attributes=checked)
            self._db.ensure_annotator(span.annotator, by=by)
            try:
                self._db.conn.execute(
                    f"INSERT INTO spans ({_COLUMNS}) VALUES ({_VALUES})", span_as_row(span)
                )
            except sqlite3.IntegrityError as exc:
                raise InvariantError(integrity_message(exc)) from exc
            after = span_values(span)
            if copied_from is not None:
                after["copied_from"] = copied_from
            if decided is not None:
                after["adjudication"] = decided
            if merged_from is not None:
                after["merged_from"] = merged_from
            self._db.append_event(
                kind,
                annotator=by,
                document_id=span.document_id,
                subject=span.id,
                after=after,
            )
        return SpanChange(kind, None, span)

    def delete(
        self,
        span_id: str,
        *,
        by: str,
        adjudication: bool = False,
        kind: EventKind = EventKind.SPAN_DELETED,
        reason: str | None = None,
    ) -> SpanChange:
        """Delete a span; ``reason`` (a curator's, removing a gold span) goes into its event."""
        with self._db.write():
            before = self.get(span_id)
            check_layer_edit(before.annotator, by, adjudication=adjudication)
            try:
                self._db.conn.execute("DELETE FROM spans WHERE id = ?", (span_id,))
            except sqlite3.IntegrityError as exc:  # its relations' foreign keys
                raise InvariantError("the span has relations; delete them first") from exc
            recorded = span_values(before)
            if reason is not None:
                recorded["reason"] = reason
            self._db.append_event(
                kind,
                annotator=by,
                document_id=before.document_id,
                subject=span_id,
                before=recorded,
            )
        return SpanChange(kind, before, None)

    def move_to_label(self, old: str, new: str, *, by: str) -> list[SpanChange]:
        """Relabel every span of ``old``, in every layer, to ``new``: part of a schema change by
        ``by`` (removing ``old``), so it is not limited to their layer and its events say so.

        A span that would become an exact duplicate of one its layer already holds under
        ``new`` is merged into it (deleted, its event naming the span it duplicated): the file
        refuses duplicates, and the two said the same thing once the labels are one.
        """
        self._labels.check_exists(new)
        changes: list[SpanChange] = []
        with self._db.write():
            rows = self._db.conn.execute(
                f"SELECT {_COLUMNS} FROM spans WHERE label = ? ORDER BY document_id, start, rowid",
                (old,),
            ).fetchall()
            for before in (span_from_row(row) for row in rows):
                twin = self._db.scalar(
                    "SELECT id FROM spans WHERE document_id = ? AND annotator = ? AND start = ?"
                    ' AND "end" = ? AND label = ?',
                    before.document_id,
                    before.annotator,
                    before.start,
                    before.end,
                    new,
                )
                if twin is not None:
                    try:
                        self._db.conn.execute("DELETE FROM spans WHERE id = ?", (before.id,))
                    except sqlite3.IntegrityError as exc:  # its relations' foreign keys
                        raise InvariantError(
                            f"{before.annotator}'s span {before.start}-{before.end} would become"
                            f" a duplicate of their {new} span there, and it has relations:"
                            " delete them, or that span, first"
                        ) from exc
                    kind = EventKind.SPAN_MERGED_BY_SCHEMA
                    self._db.append_event(
                        kind,
                        annotator=by,
                        document_id=before.document_id,
                        subject=before.id,
                        before=span_values(before) | {"duplicate_of": twin},
                    )
                    changes.append(SpanChange(kind, before, None))
                    continue
                moved = self.update(
                    before.id,
                    by=by,
                    label=new,
                    kind=EventKind.SPAN_MOVED_TO_LABEL,
                    schema_change=True,
                )
                assert moved is not None  # its label changes
                changes.append(moved)
        return changes

    def update(
        self,
        span_id: str,
        *,
        by: str,
        label: str | None = None,
        start: int | None = None,
        end: int | None = None,
        note: Any = UNSET,
        fragments: Any = UNSET,
        attributes: Any = UNSET,
        kind: EventKind | None = None,
        adjudication: bool = False,
        schema_change: bool = False,
    ) -> SpanChange | None:
        """Change a span's label, offsets, note, fragments and/or attributes; the event is
        named for what changed (or ``kind``).

        A new label keeps only the attributes it defines too (the event records the ones
        dropped, in its before and after). None when nothing would change (nothing is written).
        ``schema_change``: part of a change of the label schema, which reaches every layer.
        """
        with self._db.write():
            before = self.get(span_id)
            if not schema_change:
                check_layer_edit(before.annotator, by, adjudication=adjudication)
            after = replace(
                before,
                label=LabelKey(label) if label is not None else before.label,
                start=before.start if start is None else start,
                end=before.end if end is None else end,
                note=before.note if note is UNSET else (note or None),
                fragments=before.fragments if fragments is UNSET else fragments,
            )
            if after.label != before.label:
                self._labels.check_exists(after.label)
                # a schema change moves the relation types' rules along with the spans, and
                # checks every link against them once the spans have moved
                if self._relations is not None and not schema_change:
                    self._relations.check_label_change(before, after.label)
            check_note(after.note)
            if (after.start, after.end) != (before.start, before.end):
                text = self._documents.text_at(after.document_id, after.start, after.end)
                after = replace(after, text=text)
            check_fragments(after.fragments, after.start, after.end)
            if attributes is not UNSET:
                after = replace(after, attributes=self._attributes.checked(after.label, attributes))
            elif after.label != before.label and before.attributes:
                kept = self._attributes.of_label(after.label)
                after = replace(
                    after,
                    attributes=self._attributes.checked(
                        after.label, {k: v for k, v in before.attributes.items() if k in kept}
                    ),
                )
            changed = [
                name
                for name, a, b in (
                    ("label", before.label, after.label),
                    ("offsets", (before.start, before.end), (after.start, after.end)),
                    ("note", before.note, after.note),
                    ("fragments", before.fragments, after.fragments),
                    ("attributes", before.attributes, after.attributes),
                )
                if a != b
            ]
            if not changed:
                return None
            kind = kind or _kind_of_change(changed, before, after)
            after = replace(after, updated_at=utc_now())
            try:
                self._db.conn.execute(
                    f"UPDATE spans SET {_UPDATE} WHERE id = :id", span_as_row(after)
                )
            except sqlite3.IntegrityError as exc:
                raise InvariantError(integrity_message(exc)) from exc
            self._db.append_event(
                kind,
                annotator=by,
                document_id=before.document_id,
                subject=span_id,
                before=span_values(before),
                after=span_values(after),
            )
        return SpanChange(kind, before, after)


def _kind_of_change(changed: list[str], before: Span, after: Span) -> EventKind:
    """The event kind naming a change of these fields (pieces added or taken away, say)."""
    if "fragments" in changed and set(changed) <= {"offsets", "fragments"}:
        covered = [sum(e - s for s, e in span.pieces) for span in (before, after)]
        grew = covered[1] > covered[0]
        return EventKind.SPAN_EXTENDED if grew else EventKind.SPAN_FRAGMENT_REMOVED
    return UPDATE_KIND_BY_FIELDS.get(tuple(changed), EventKind.SPAN_UPDATED)
