"""Documents: imported once, never changed (their text is fixed by its SHA-256)."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

from .attributes import checked_values
from .changes import StatusChange
from .clock import utc_now
from .event_kinds import EventKind
from .fragments import fragments_problem
from .ids import new_span_ids
from .import_event import after_json, quoted, span_array
from .model import ClaimmarkError, Document, DocumentId, DocumentSummary, InvariantError
from .project_db import ProjectDb, chunks, placeholders
from .project_rows import (
    EMPTY_ATTRIBUTES,
    attributes_row,
    document_from_row,
    integrity_message,
    to_json,
)
from .project_rules import check_offsets
from .relation_store import NewRelation, RelationStore, SpanEnd
from .status_store import StatusStore

if TYPE_CHECKING:
    from .attribute_store import AttributeStore
    from .attributes import AttributeDefinition


class NewSpan(NamedTuple):
    """A span as an import provides it; id, annotator and times are kept when given.

    A named tuple, not a frozen dataclass: an import makes one per span, and a frozen
    dataclass's ``__init__`` (one ``object.__setattr__`` per field) cost five times as much.
    Change a field with ``span._replace(...)``.
    """

    start: int
    end: int
    label: str
    annotator: str | None = None
    note: str | None = None
    id: str | None = None
    created_at: str | None = None
    updated_at: str | None = None
    #: Two or more ``(start, end)`` pieces of a discontinuous span (``start``/``end`` their
    #: envelope), or None.
    fragments: Sequence[Sequence[int]] | None = None
    #: Attribute values by name (checked against the label's definitions when stored).
    attributes: Mapping[str, Any] | None = None


@dataclass(frozen=True, slots=True)
class NewDocument:
    text: str
    title: str
    id: str | None = None
    source: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    imported_at: str | None = None
    spans: Sequence[NewSpan] = ()
    #: annotator -> status, as carried by claimmark's own export.
    statuses: dict[str, str] = field(default_factory=dict)
    #: Links between the document's spans, naming them by ``NewSpan.id``.
    relations: Sequence[NewRelation] = ()


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


_COLUMNS = "id, title, text, sha256, source, meta, imported_at"


class DocumentStore:
    def __init__(
        self,
        db: ProjectDb,
        statuses: StatusStore,
        attributes: AttributeStore,
        relations: RelationStore | None = None,
    ):
        self._db = db
        self._statuses = statuses
        self._attributes = attributes
        #: Checks and stores the relations an import brings (None: a store without them).
        self._relations = relations
        #: (id, text) of the document last read whole: the one being annotated. A text never
        #: changes once imported (a trigger refuses it), so it can be kept; ``text_at`` then
        #: slices it instead of asking SQLite's ``substr``, which walks the UTF-8 from the first
        #: character (~8 ms per label action near the end of a 2M-character article).
        self._last_text: tuple[str, str] | None = None

    def summaries(self, annotator: str) -> list[DocumentSummary]:
        """Every document, without its text; status and span count are the annotator's."""
        rows = self._db.conn.execute(
            "SELECT d.id, d.title, d.length,"
            " (SELECT count(*) FROM spans s WHERE s.document_id = d.id AND s.annotator = ?),"
            " (SELECT status FROM document_status st"
            "  WHERE st.document_id = d.id AND st.annotator = ?)"
            " FROM documents d ORDER BY d.rowid",
            (annotator, annotator),
        )
        return [DocumentSummary(DocumentId(i), t, n, c, s) for i, t, n, c, s in rows]

    def ids(self) -> list[DocumentId]:
        return [row[0] for row in self._db.conn.execute("SELECT id FROM documents ORDER BY rowid")]

    def lengths(self) -> dict[DocumentId, int]:
        return dict(self._db.conn.execute("SELECT id, length FROM documents ORDER BY rowid"))

    def count(self) -> int:
        return self._db.scalar("SELECT count(*) FROM documents")

    def get(self, document_id: str) -> Document:
        row = self._db.conn.execute(
            f"SELECT {_COLUMNS} FROM documents WHERE id = ?", (document_id,)
        ).fetchone()
        if row is None:
            raise ClaimmarkError(f"no document with id {document_id!r}")
        document = document_from_row(row)
        self._last_text = (document.id, document.text)
        return document

    def iterate(self, ids: Iterable[str] | None = None) -> Iterator[Document]:
        """Documents in import order, one at a time (a corpus need not fit in memory)."""
        conn = self._db.conn
        if ids is not None:
            for part in chunks(list(ids)):
                rows = conn.execute(
                    f"SELECT {_COLUMNS} FROM documents WHERE id IN ({placeholders(part)})", part
                ).fetchall()
                found = {row[0]: row for row in rows}
                for document_id in part:
                    if document_id not in found:
                        raise ClaimmarkError(f"no document with id {document_id!r}")
                    yield document_from_row(found[document_id])
            return
        last = -1
        while True:
            rows = conn.execute(
                f"SELECT rowid, {_COLUMNS} FROM documents WHERE rowid > ? ORDER BY rowid LIMIT 200",
                (last,),
            ).fetchall()
            if not rows:
                return
            for row in rows:
                last = row[0]
                yield document_from_row(row[1:])

    def id_for_sha256(self, sha256: str) -> DocumentId | None:
        return self._db.scalar("SELECT id FROM documents WHERE sha256 = ?", sha256)

    def exists(self, document_id: str) -> bool:
        return bool(self._db.scalar("SELECT 1 FROM documents WHERE id = ?", document_id))

    def text_at(self, document_id: str, start: int, end: int) -> str:
        if (
            isinstance(start, bool)
            or isinstance(end, bool)
            or not (isinstance(start, int) and isinstance(end, int))
        ):
            raise InvariantError(f"offsets must be integers, got {start!r}, {end!r}")
        if self._last_text is not None and self._last_text[0] == document_id:
            text = self._last_text[1]
            check_offsets(start, end, len(text))
            return text[start:end]
        row = self._db.conn.execute(
            "SELECT length, substr(text, ? + 1, ? - ?) FROM documents WHERE id = ?",
            (start, end, start, document_id),
        ).fetchone()
        if row is None:
            raise ClaimmarkError(f"no document with id {document_id!r}")
        check_offsets(start, end, row[0])
        return row[1]

    def import_(
        self, new: NewDocument, *, annotator: str
    ) -> tuple[DocumentId, bool, list[StatusChange]]:
        """Store one document and its spans; returns its id and False if the text was already here.

        ``annotator`` performs the import and owns the spans that name no annotator. Offsets,
        labels and span texts are checked by the caller's parser and again, as always, by the
        schema's constraints; any failure leaves the project untouched.
        """
        db, conn = self._db, self._db.conn
        sha = text_sha256(new.text)
        document_id = DocumentId(new.id or sha[:16])
        now = utc_now()
        with db.write(savepoint=False):
            # One look-up answers both "same text already here?" and "id taken by another text?"
            found = dict(
                conn.execute(
                    "SELECT sha256, id FROM documents WHERE sha256 = ? OR id = ?",
                    (sha, document_id),
                ).fetchall()
            )
            if sha in found:
                return DocumentId(found[sha]), False, []
            if found:
                raise InvariantError(f"document id {document_id!r} is already used by another text")
            imported_at = new.imported_at or now
            meta_json = to_json(new.meta) or "{}"
            conn.execute(
                "INSERT INTO documents (id, title, text, sha256, source, meta, imported_at, length)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    document_id,
                    new.title,
                    new.text,
                    sha,
                    new.source,
                    meta_json,
                    imported_at,
                    len(new.text),
                ),
            )
            rows, event_spans = _span_rows(
                document_id, new.text, new.spans, now, annotator, self._attributes
            )
            self._check_new_span_ids([s.id for s in new.spans if s.id])
            for owner in {row[6] for row in rows} | set(new.statuses):
                db.ensure_annotator(owner)
            try:
                conn.executemany(
                    'INSERT INTO spans (id, document_id, label, start, "end", text, annotator,'
                    " note, created_at, updated_at, fragments, attributes)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    rows,
                )
            except sqlite3.IntegrityError as exc:
                raise InvariantError(integrity_message(exc)) from exc
            relations = (
                to_json(self._import_relations(document_id, rows, new.relations, now))
                if new.relations
                else None
            )
            db.append_event(
                EventKind.DOCUMENT_IMPORTED,
                annotator=annotator,
                document_id=document_id,
                doc_sha256=sha,
                subject=document_id,
                after_json=after_json(
                    title=new.title,
                    source=new.source,
                    meta_json=meta_json,
                    imported_at=imported_at,
                    length=len(new.text),
                    spans_at=now,
                    span_arrays=event_spans,
                    relations_json=relations,
                ),
                at=now,
            )
            statuses = [
                self._statuses.set(document_id, owner, status, by=annotator)
                for owner, status in sorted(new.statuses.items())
            ]
        return document_id, True, [s for s in statuses if s is not None]

    def insert_merged(
        self, document: Document, document_id: str, *, by: str, merged_from: dict[str, str]
    ) -> None:
        """Store a document another project file holds, as it is there (title, source,
        metadata, import time), under ``document_id`` (its own id unless that is taken here);
        its spans follow as spans of their own. The caller checked its text is not here."""
        with self._db.write(savepoint=False):
            try:
                self._db.conn.execute(
                    "INSERT INTO documents (id, title, text, sha256, source, meta, imported_at,"
                    " length) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        document_id,
                        document.title,
                        document.text,
                        text_sha256(document.text),
                        document.source,
                        to_json(document.meta),
                        document.imported_at,
                        len(document.text),
                    ),
                )
            except sqlite3.IntegrityError as exc:
                raise InvariantError(integrity_message(exc)) from exc
            self._db.append_event(
                EventKind.DOCUMENT_MERGED,
                annotator=by,
                document_id=document_id,
                subject=document_id,
                after={
                    "title": document.title,
                    "source": document.source,
                    "meta": document.meta,
                    "imported_at": document.imported_at,
                    "length": len(document.text),
                    "spans": [],
                    "merged_from": merged_from,
                },
            )

    def _import_relations(
        self, document_id: str, span_rows: list[tuple], relations: Sequence[NewRelation], now: str
    ) -> list[dict[str, Any]]:
        """Store the document's relations (its spans are stored); what its event records."""
        if self._relations is None:
            raise InvariantError("this project cannot store relations")
        ends = {row[0]: SpanEnd(row[0], document_id, row[2], row[6]) for row in span_rows}
        ids = new_span_ids(sum(1 for r in relations if not r.id))
        rows, events = self._relations.import_rows(document_id, relations, ends, ids, now)
        self._relations.insert_rows(rows)
        return events

    def _check_new_span_ids(self, ids: list[str]) -> None:
        """Ids an import brings must be new; generated UUIDs need no look-up."""
        if len(set(ids)) != len(ids):
            repeated = next(i for i in ids if ids.count(i) > 1)
            raise InvariantError(f"span id {repeated!r} is already used by another span")
        taken = self._db.first_taken_id("spans", ids)
        if taken is not None:
            raise InvariantError(f"span id {taken!r} is already used by another span")


def _span_rows(
    document_id: str,
    text: str,
    spans: Sequence[NewSpan],
    now: str,
    annotator: str,
    attribute_store: AttributeStore,
) -> tuple[list[tuple], list[str]]:
    """Each span's row (its text sliced from the document) and its array in the import event.

    Tens of thousands per import, so both are built in one loop, the rows as tuples (bound by
    position, cheaper than named parameters), with no ``Span`` in between.

    The event keeps what the audit trail needs of an imported span and nothing it holds already
    (see ``import_event``): its text is the document's at its offsets (the event carries the
    text's SHA-256, so a replay recovers it exactly); a note is left out when there is none,
    ``created_at`` when it is the import's time (``spans_at``), ``updated_at`` when it equals
    ``created_at``. Writing all of it made the events a third of a 10,000-document project file.
    Fragments and attributes likewise appear only on the spans that have them.
    """
    length = len(text)
    definitions: dict[str, dict[str, AttributeDefinition]] = {}  # read once per label
    ids = new_span_ids(sum(1 for span in spans if not span.id))
    rows: list[tuple] = []
    events: list[str] = []
    names: dict[str, str] = {}  # label or annotator -> as a JSON string, quoted once
    for start, end, label, owner, note, span_id, created, updated, pieces, values in spans:
        if not (0 <= start < end <= length):
            check_offsets(start, end, length)  # raises, saying which
        fragments, attributes, extra = None, EMPTY_ATTRIBUTES, _NO_EXTRA
        if pieces is not None or values:  # rare: checked here, where the label is final
            if values and label not in definitions:
                definitions[label] = attribute_store.of_label(label)
            fragments, attributes, extra = _structure(
                start, end, label, pieces, values, definitions.get(label, {})
            )
        owner = owner or annotator
        if span_id:
            id_json = quoted(span_id)
        else:
            span_id = ids.pop()
            id_json = f'"{span_id}"'  # hex digits and dashes: nothing to escape
        created = created or now
        updated = updated or created
        rows.append(
            (
                span_id,
                document_id,
                label,
                start,
                end,
                text[start:end],
                owner,
                note,
                created,
                updated,
                fragments,
                attributes,
            )
        )
        label_json = names.get(label) or names.setdefault(label, quoted(label))
        owner_json = names.get(owner) or names.setdefault(owner, quoted(owner))
        if note is None and created is now and updated is created and not extra:
            events.append(span_array(id_json, label_json, start, end, owner_json))
        else:
            optional = (
                note,
                created if created != now else None,
                updated if updated != created else None,
                extra.get("fragments"),
                extra.get("attributes"),
            )
            events.append(span_array(id_json, label_json, start, end, owner_json, optional))
    return rows, events


#: What ``_structure`` adds to the event of a span with neither fragments nor attributes.
_NO_EXTRA: dict[str, Any] = {}


def _structure(
    start: int,
    end: int,
    label: str,
    pieces: Sequence[Sequence[int]] | None,
    values: Mapping[str, Any] | None,
    definitions: Mapping[str, AttributeDefinition],
) -> tuple[str | None, str, dict[str, Any]]:
    """An imported span's fragments and attributes as stored, and as its event records them."""
    extra: dict[str, Any] = {}
    fragments = None
    if pieces is not None:
        problem = fragments_problem(pieces, start, end)
        if problem:
            raise InvariantError(f"span {start}-{end} ({label}): {problem}")
        extra["fragments"] = [[s, e] for s, e in pieces]
        fragments = to_json(extra["fragments"])
    attributes = EMPTY_ATTRIBUTES
    if values:
        try:
            checked = checked_values(definitions, label, values)
        except InvariantError as exc:
            raise InvariantError(f"span {start}-{end} ({label}): {exc}") from exc
        if checked:
            extra["attributes"] = checked.as_json()
            attributes = attributes_row(checked)
    return fragments, attributes, extra
