"""A claimmark project: one SQLite file, read and written only through this class.

Every change goes through ``_write`` (one ``BEGIN IMMEDIATE`` transaction; immediate because a
deferred transaction in WAL mode fails at once with "database is locked" instead of waiting when
another process wrote in between) and appends its audit event in that same transaction, so the
project never holds a change without its event or an event without its change. Public methods take
and return frozen dataclasses; nothing outside this module sees SQL or a row dict.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .clock import utc_now
from .events import GENESIS_HASH, event_hash
from .ids import new_span_id
from .model import (
    STATUSES,
    Change,
    ClaimmarkError,
    Document,
    DocumentId,
    DocumentSummary,
    Event,
    InvariantError,
    Label,
    LabelKey,
    ProjectWriteError,
    ShownSpan,
    Span,
    SpanId,
)
from .project_file import connect, initialise
from .project_rows import (
    document_from_row,
    from_json,
    integrity_message,
    label_dict,
    span_dict,
    span_row,
    to_json,
)
from .project_rules import annotator_name_problem, check_note, check_offsets, validate_label
from .schema import SCHEMA_VERSION
from .version import APP_VERSION

#: Ids per ``IN (...)`` list: well under SQLite's limit of bound parameters (32,766).
_IN_CHUNK = 500


def _chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for at in range(0, len(items), size):
        yield items[at : at + size]


@dataclass(frozen=True, slots=True)
class NewSpan:
    """A span as an import provides it; id, annotator and times are kept when given."""

    start: int
    end: int
    label: str
    annotator: str | None = None
    note: str | None = None
    id: str | None = None
    created_at: str | None = None
    updated_at: str | None = None


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


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Project:
    def __init__(self, conn: sqlite3.Connection, path: Path | None, annotator: str):
        self._conn = conn
        self.path = path
        self.annotator = annotator
        self._known_annotators: set[str] = set()
        self._depth = 0
        #: (seq, hash) of the newest event, valid only inside the current write transaction.
        self._chain_head: tuple[int, str] | None = None
        #: Called after every successful commit (e.g. to take periodic backups).
        self.commit_listeners: list[Callable[[], None]] = []

    # ------------------------------------------------------------------ opening
    @classmethod
    def open(cls, path: str | Path | None, *, annotator: str) -> Project:
        """Open a project file, creating it (with the default label schema) if it is new.

        ``path=None`` gives an in-memory project, as cheap as a test fixture should be.
        """
        path = Path(path) if path is not None else None
        conn, is_new = connect(path)
        project = cls(conn, path, annotator)
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if is_new or version < SCHEMA_VERSION:
            with project._write():
                initialise(conn)
                if is_new:
                    from .label_schema import default_labels

                    for label in default_labels():
                        project._insert_label(label)
        return project

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> Project:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def name(self) -> str:
        return self.path.name if self.path is not None else ":memory:"

    # ------------------------------------------------------------------ transactions
    @contextmanager
    def _write(self, *, savepoint: bool = True) -> Iterator[None]:
        """One atomic write; nested calls join the outer transaction through a savepoint.

        ``savepoint=False`` joins without one: for a bulk operation inside ``batch()``, whose
        failure aborts the whole batch anyway (two statements saved per imported document).
        """
        if self._depth and not savepoint:
            yield
            return
        if self._depth:
            self._depth += 1
            known, head = set(self._known_annotators), self._chain_head
            self._conn.execute("SAVEPOINT nested")
            try:
                yield
            except BaseException:
                self._conn.execute("ROLLBACK TO nested")
                self._conn.execute("RELEASE nested")
                self._known_annotators, self._chain_head = known, head  # as the file is again
                raise
            else:
                self._conn.execute("RELEASE nested")
            finally:
                self._depth -= 1
            return
        known = set(self._known_annotators)
        try:
            self._conn.execute("BEGIN IMMEDIATE")
            self._depth = 1
            yield
            self._conn.execute("COMMIT")
        except BaseException as exc:
            if self._conn.in_transaction:
                self._conn.execute("ROLLBACK")
            self._known_annotators = known
            if isinstance(exc, sqlite3.OperationalError):
                raise ProjectWriteError(self._write_failure(exc)) from exc
            raise
        finally:
            self._depth = 0
            self._chain_head = None  # another process may write before our next transaction
        for listener in list(self.commit_listeners):
            listener()

    def _write_failure(self, exc: sqlite3.OperationalError) -> str:
        """Why a write failed, in words an annotator can act on; nothing saved earlier is lost."""
        where = self.path or "the project"
        text = str(exc)
        if "full" in text:
            reason = f"the disk holding {where} is full. Free some space, then try again"
        elif "readonly" in text or "read-only" in text:
            reason = f"{where} is read-only. Make it writable, or open a copy"
        elif "locked" in text or "busy" in text:
            reason = "another claimmark window or process kept the project busy; try again"
        else:
            reason = f"could not write {where} ({text})"
        return f"Not saved: {reason}. Everything saved before is safe."

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Group several operations into one transaction: all of them are stored or none.

        An operation that fails inside a batch may leave part of itself in the transaction, so
        let the error leave the batch (which rolls it all back) rather than carry on.
        """
        with self._write():
            yield

    def _append_event(
        self,
        kind: str,
        *,
        document_id: str | None = None,
        doc_sha256: str | None = None,
        subject: str | None = None,
        before: Any = None,
        after: Any = None,
        annotator: str | None = None,
    ) -> None:
        assert self._depth, "events are only written inside a write transaction"
        who = annotator or self.annotator
        if kind != "annotator_added":
            self._ensure_annotator(who)  # every event's author is a known annotator
        if self._chain_head is None:  # read once per transaction, then carried along
            last = self._conn.execute(
                "SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1"
            ).fetchone()
            self._chain_head = (last[0], last[1]) if last else (0, GENESIS_HASH)
        seq, prev_hash = self._chain_head[0] + 1, self._chain_head[1]
        if document_id is not None and doc_sha256 is None:
            doc_sha256 = self._scalar("SELECT sha256 FROM documents WHERE id = ?", document_id)
        fields = {
            "seq": seq,
            "at": utc_now(),
            "annotator": who,
            "kind": kind,
            "document_id": document_id,
            "doc_sha256": doc_sha256,
            "subject": subject,
            "before": to_json(before),
            "after": to_json(after),
            "app_version": APP_VERSION,
            "prev_hash": prev_hash,
        }
        fields["hash"] = event_hash(fields)
        self._chain_head = (seq, fields["hash"])
        self._conn.execute(
            "INSERT INTO events (seq, at, annotator, kind, document_id, doc_sha256, subject,"
            " before, after, app_version, prev_hash, hash)"
            " VALUES (:seq, :at, :annotator, :kind, :document_id, :doc_sha256, :subject,"
            " :before, :after, :app_version, :prev_hash, :hash)",
            fields,
        )

    def _ensure_annotator(self, name: str) -> None:
        if name in self._known_annotators:
            return
        problem = annotator_name_problem(name)
        if problem:
            raise InvariantError(f"invalid annotator name {name!r}: {problem}")
        exists = self._scalar("SELECT 1 FROM annotators WHERE name = ?", name)
        if not exists:
            at = utc_now()
            self._conn.execute(
                "INSERT INTO annotators (name, created_at) VALUES (?, ?)", (name, at)
            )
            self._append_event(
                "annotator_added", subject=name, after={"name": name}, annotator=name
            )
        self._known_annotators.add(name)

    def _scalar(self, sql: str, *params: Any) -> Any:
        row = self._conn.execute(sql, params).fetchone()
        return row[0] if row else None

    # ------------------------------------------------------------------ labels
    def labels(self) -> list[Label]:
        rows = self._conn.execute(
            "SELECT key, name, color, hotkey, description FROM labels ORDER BY position, key"
        )
        return [Label(LabelKey(k), n, c, h, d) for k, n, c, h, d in rows]

    def label(self, key: str) -> Label | None:
        return next((label for label in self.labels() if label.key == key), None)

    def add_label(self, label: Label) -> Change:
        with self._write():
            self._insert_label(label)
        return Change("label_added", None, extra={"label": label})

    def _insert_label(self, label: Label) -> None:
        validate_label(label)
        if self._scalar("SELECT 1 FROM labels WHERE key = ?", label.key):
            raise InvariantError(f"label {label.key!r} already exists")
        if label.hotkey and self._scalar("SELECT key FROM labels WHERE hotkey = ?", label.hotkey):
            taken = self._scalar("SELECT key FROM labels WHERE hotkey = ?", label.hotkey)
            raise InvariantError(f"hotkey {label.hotkey!r} is already used by label {taken!r}")
        position = self._scalar("SELECT coalesce(max(position), 0) + 1 FROM labels")
        self._conn.execute(
            "INSERT INTO labels (key, name, color, hotkey, description, position)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (label.key, label.name, label.color, label.hotkey, label.description, position),
        )
        self._append_event("label_added", subject=label.key, after=label_dict(label))

    # ------------------------------------------------------------------ documents
    def documents(self, annotator: str | None = None) -> list[DocumentSummary]:
        """Every document, without its text; status and span count are the annotator's."""
        who = annotator or self.annotator
        rows = self._conn.execute(
            "SELECT d.id, d.title, d.length,"
            " (SELECT count(*) FROM spans s WHERE s.document_id = d.id AND s.annotator = ?),"
            " (SELECT status FROM document_status st"
            "  WHERE st.document_id = d.id AND st.annotator = ?)"
            " FROM documents d ORDER BY d.rowid",
            (who, who),
        )
        return [DocumentSummary(DocumentId(i), t, n, c, s) for i, t, n, c, s in rows]

    def document_count(self) -> int:
        return self._scalar("SELECT count(*) FROM documents")

    def document(self, document_id: str) -> Document:
        row = self._conn.execute(
            "SELECT id, title, text, sha256, source, meta, imported_at FROM documents WHERE id = ?",
            (document_id,),
        ).fetchone()
        if row is None:
            raise ClaimmarkError(f"no document with id {document_id!r}")
        return document_from_row(row)

    def iter_documents(self, ids: Iterable[str] | None = None) -> Iterator[Document]:
        """Documents in import order, one at a time (a corpus need not fit in memory)."""
        if ids is not None:
            wanted = list(ids)
            for part in _chunks(wanted, _IN_CHUNK):
                rows = self._conn.execute(
                    "SELECT id, title, text, sha256, source, meta, imported_at FROM documents"
                    f" WHERE id IN ({', '.join('?' * len(part))})",
                    part,
                ).fetchall()
                found = {row[0]: row for row in rows}
                for document_id in part:
                    if document_id not in found:
                        raise ClaimmarkError(f"no document with id {document_id!r}")
                    yield document_from_row(found[document_id])
            return
        last = -1
        while True:
            rows = self._conn.execute(
                "SELECT rowid, id, title, text, sha256, source, meta, imported_at FROM documents"
                " WHERE rowid > ? ORDER BY rowid LIMIT 200",
                (last,),
            ).fetchall()
            if not rows:
                return
            for row in rows:
                last = row[0]
                yield document_from_row(row[1:])

    def document_id_for_sha256(self, sha256: str) -> DocumentId | None:
        return self._scalar("SELECT id FROM documents WHERE sha256 = ?", sha256)

    def has_document(self, document_id: str) -> bool:
        return bool(self._scalar("SELECT 1 FROM documents WHERE id = ?", document_id))

    def import_document(self, new: NewDocument) -> tuple[DocumentId, bool]:
        """Store one document and its spans; returns its id and False if the text was already here.

        Offsets, labels and span texts are checked by the caller's parser and again, as always, by
        the schema's constraints; any failure leaves the project untouched.
        """
        sha = text_sha256(new.text)
        document_id = DocumentId(new.id or sha[:16])
        now = utc_now()
        with self._write(savepoint=False):
            # One look-up answers both "same text already here?" and "id taken by another text?"
            found = dict(
                self._conn.execute(
                    "SELECT sha256, id FROM documents WHERE sha256 = ? OR id = ?",
                    (sha, document_id),
                ).fetchall()
            )
            if sha in found:
                return DocumentId(found[sha]), False
            if found:
                raise InvariantError(f"document id {document_id!r} is already used by another text")
            imported_at = new.imported_at or now
            self._conn.execute(
                "INSERT INTO documents (id, title, text, sha256, source, meta, imported_at, length)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    document_id,
                    new.title,
                    new.text,
                    sha,
                    new.source,
                    to_json(new.meta),
                    imported_at,
                    len(new.text),
                ),
            )
            spans = [self._span_from_new(document_id, new.text, s, now) for s in new.spans]
            self._check_new_span_ids([s.id for s in new.spans if s.id])
            for annotator in {s["annotator"] for s in spans} | set(new.statuses):
                self._ensure_annotator(annotator)
            try:
                self._conn.executemany(
                    'INSERT INTO spans (id, document_id, label, start, "end", text, annotator,'
                    " note, created_at, updated_at) VALUES (:id, :document_id, :label, :start,"
                    " :end, :text, :annotator, :note, :created_at, :updated_at)",
                    spans,
                )
            except sqlite3.IntegrityError as exc:
                raise InvariantError(integrity_message(exc)) from exc
            self._append_event(
                "document_imported",
                document_id=document_id,
                doc_sha256=sha,
                subject=document_id,
                after={
                    "title": new.title,
                    "source": new.source,
                    "meta": new.meta,
                    "imported_at": imported_at,
                    "length": len(new.text),
                    "spans": [{k: v for k, v in s.items() if k != "document_id"} for s in spans],
                },
            )
            for annotator, status in sorted(new.statuses.items()):
                self._set_status(document_id, annotator, status)
        return document_id, True

    def _check_new_span_ids(self, ids: list[str]) -> None:
        """Ids an import brings must be new; generated UUIDs need no look-up."""
        if len(set(ids)) != len(ids):
            repeated = next(i for i in ids if ids.count(i) > 1)
            raise InvariantError(f"span id {repeated!r} is already used by another span")
        for chunk in range(0, len(ids), 500):
            part = ids[chunk : chunk + 500]
            taken = self._scalar(
                f"SELECT id FROM spans WHERE id IN ({', '.join('?' * len(part))}) LIMIT 1", *part
            )
            if taken is not None:
                raise InvariantError(f"span id {taken!r} is already used by another span")

    def _span_from_new(self, document_id: str, text: str, new: NewSpan, now: str) -> dict[str, Any]:
        """The span's row as named parameters, which are also its event's fields (without the
        document id): tens of thousands per import, so no ``Span`` is built in between."""
        check_offsets(new.start, new.end, len(text))
        return {
            "id": new.id or new_span_id(),
            "document_id": document_id,
            "label": new.label,
            "start": new.start,
            "end": new.end,
            "text": text[new.start : new.end],
            "annotator": new.annotator or self.annotator,
            "note": new.note,
            "created_at": new.created_at or now,
            "updated_at": new.updated_at or new.created_at or now,
        }

    # ------------------------------------------------------------------ status
    def status(self, document_id: str, annotator: str | None = None) -> str | None:
        return self._scalar(
            "SELECT status FROM document_status WHERE document_id = ? AND annotator = ?",
            document_id,
            annotator or self.annotator,
        )

    def statuses(self, document_id: str) -> dict[str, str]:
        rows = self._conn.execute(
            "SELECT annotator, status FROM document_status WHERE document_id = ?"
            " ORDER BY annotator",
            (document_id,),
        )
        return dict(rows.fetchall())

    def statuses_by_document(self, document_ids: Sequence[str]) -> dict[str, dict[str, str]]:
        """``statuses`` of several documents in a query per few hundred, not one each."""
        found: dict[str, dict[str, str]] = {d: {} for d in document_ids}
        for part in _chunks(list(found), _IN_CHUNK):
            rows = self._conn.execute(
                "SELECT document_id, annotator, status FROM document_status"
                f" WHERE document_id IN ({', '.join('?' * len(part))})"
                " ORDER BY document_id, annotator",
                part,
            )
            for document_id, annotator, status in rows:
                found[document_id][annotator] = status
        return found

    def set_status(
        self, document_id: str, status: str | None, *, annotator: str | None = None
    ) -> Change:
        """Mark the document done / in progress (None: not started) for an annotator.

        The annotator defaults to the current one and is kept in the change, so undoing it later
        restores that person's status even if someone else is annotating by then.
        """
        who = annotator or self.annotator
        with self._write():
            before = self._set_status(document_id, who, status)
        return Change(
            "status_changed",
            DocumentId(document_id),
            extra={"before": before, "after": status, "annotator": who},
        )

    def _set_status(self, document_id: str, annotator: str, status: str | None) -> str | None:
        if status is not None and status not in STATUSES:
            raise InvariantError(f"unknown status {status!r}; use one of {', '.join(STATUSES)}")
        if not self.has_document(document_id):
            raise ClaimmarkError(f"no document with id {document_id!r}")
        self._ensure_annotator(annotator)
        before = self.status(document_id, annotator)
        if before == status:
            return before
        if status is None:
            self._conn.execute(
                "DELETE FROM document_status WHERE document_id = ? AND annotator = ?",
                (document_id, annotator),
            )
        else:
            self._conn.execute(
                "INSERT INTO document_status (document_id, annotator, status, updated_at)"
                " VALUES (?, ?, ?, ?) ON CONFLICT (document_id, annotator)"
                " DO UPDATE SET status = excluded.status, updated_at = excluded.updated_at",
                (document_id, annotator, status, utc_now()),
            )
        self._append_event(
            "status_changed",
            document_id=document_id,
            subject=annotator,
            before={"status": before},
            after={"status": status},
            annotator=annotator,
        )
        return before

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
        return self._select_spans(ids, annotators, labels)

    def spans_by_document(
        self,
        document_ids: Sequence[str],
        *,
        annotators: Sequence[str] | None = None,
        labels: Sequence[str] | None = None,
    ) -> dict[str, list[Span]]:
        """``spans`` of several documents in a query per few hundred, not one each: what an
        export of ten thousand documents needs."""
        found: dict[str, list[Span]] = {d: [] for d in document_ids}
        for part in _chunks(list(found), _IN_CHUNK):
            for span in self._select_spans(part, annotators, labels):
                found[span.document_id].append(span)
        return found

    def _select_spans(
        self,
        document_ids: Sequence[str] | None,
        annotators: Sequence[str] | None,
        labels: Sequence[str] | None,
    ) -> list[Span]:
        clauses, params = [], []
        for column, values in (
            ("document_id", document_ids),
            ("annotator", annotators),
            ("label", labels),
        ):
            if values:
                clauses.append(f"{column} IN ({', '.join('?' * len(values))})")
                params.extend(values)
            elif values is not None and column == "document_id":
                return []  # no documents asked for
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        rows = self._conn.execute(
            'SELECT id, document_id, label, start, "end", text, annotator, note, created_at,'
            f' updated_at FROM spans {where} ORDER BY document_id, start, "end", rowid',
            params,
        )
        return [Span(*row) for row in rows]

    def span_extents(self, document_id: str, annotator: str) -> list[ShownSpan]:
        """One annotator's spans of a document as ``ShownSpan``s, in text order.

        Spans with the same offsets come in label order.

        What a view needs to highlight, hit-test and list tens of thousands of spans without
        building a ``Span`` for each; an index serves it in order, with no sort.
        """
        return self._conn.execute(
            'SELECT start, "end", label, id, note FROM spans'
            ' WHERE document_id = ? AND annotator = ? ORDER BY start, "end", label',
            (document_id, annotator),
        ).fetchall()

    def span(self, span_id: str) -> Span:
        row = self._conn.execute(
            'SELECT id, document_id, label, start, "end", text, annotator, note, created_at,'
            " updated_at FROM spans WHERE id = ?",
            (span_id,),
        ).fetchone()
        if row is None:
            raise ClaimmarkError(f"no span with id {span_id!r}")
        return Span(*row)

    def add_span(
        self, document_id: str, label: str, start: int, end: int, note: str | None = None
    ) -> Change:
        """A new span by the current annotator; a span of nothing but whitespace is refused."""
        now = utc_now()
        span = Span(
            id=SpanId(new_span_id()),
            document_id=DocumentId(document_id),
            label=LabelKey(label),
            start=start,
            end=end,
            text="",
            annotator=self.annotator,
            note=note or None,
            created_at=now,
            updated_at=now,
        )
        return self.restore_span(span, kind="span_created")

    def restore_span(self, span: Span, *, kind: str = "span_restored") -> Change:
        """Insert ``span`` with its own id and times (undo of a delete); text is re-read."""
        with self._write():
            span = replace(span, text=self._text_at(span.document_id, span.start, span.end))
            if kind == "span_created" and not span.text.strip():
                raise InvariantError("the span covers only whitespace; select some text")
            self._check_label(span.label)
            check_note(span.note)
            self._ensure_annotator(span.annotator)
            try:
                self._conn.execute(
                    'INSERT INTO spans (id, document_id, label, start, "end", text, annotator,'
                    " note, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    span_row(span),
                )
            except sqlite3.IntegrityError as exc:
                raise InvariantError(integrity_message(exc)) from exc
            self._append_event(
                kind,
                document_id=span.document_id,
                subject=span.id,
                after=span_dict(span),
                annotator=span.annotator,
            )
        return Change(kind, span.document_id, None, span)

    def delete_span(self, span_id: str) -> Change:
        with self._write():
            before = self.span(span_id)
            self._conn.execute("DELETE FROM spans WHERE id = ?", (span_id,))
            self._append_event(
                "span_deleted",
                document_id=before.document_id,
                subject=span_id,
                before=span_dict(before),
            )
        return Change("span_deleted", before.document_id, before, None)

    def relabel_span(self, span_id: str, label: str) -> Change:
        return self.update_span(span_id, label=label)

    def resize_span(self, span_id: str, start: int, end: int) -> Change:
        return self.update_span(span_id, start=start, end=end)

    def set_note(self, span_id: str, note: str | None) -> Change:
        return self.update_span(span_id, note=note or None)

    _UNSET: Any = object()

    def update_span(
        self,
        span_id: str,
        *,
        label: str | None = None,
        start: int | None = None,
        end: int | None = None,
        note: Any = _UNSET,
    ) -> Change:
        """Change a span's label, offsets and/or note; the event is named for what changed."""
        with self._write():
            before = self.span(span_id)
            after = replace(
                before,
                label=LabelKey(label) if label is not None else before.label,
                start=before.start if start is None else start,
                end=before.end if end is None else end,
                note=before.note if note is self._UNSET else (note or None),
            )
            if after.label != before.label:
                self._check_label(after.label)
            check_note(after.note)
            if (after.start, after.end) != (before.start, before.end):
                after = replace(
                    after, text=self._text_at(after.document_id, after.start, after.end)
                )
            changed = [
                name
                for name, a, b in (
                    ("label", before.label, after.label),
                    ("offsets", (before.start, before.end), (after.start, after.end)),
                    ("note", before.note, after.note),
                )
                if a != b
            ]
            if not changed:
                return Change("span_unchanged", before.document_id, before, before)
            kind = {
                ("label",): "span_relabelled",
                ("offsets",): "span_resized",
                ("note",): "span_noted",
            }.get(tuple(changed), "span_updated")
            after = replace(after, updated_at=utc_now())
            try:
                self._conn.execute(
                    'UPDATE spans SET label = ?, start = ?, "end" = ?, text = ?, note = ?,'
                    " updated_at = ? WHERE id = ?",
                    (
                        after.label,
                        after.start,
                        after.end,
                        after.text,
                        after.note,
                        after.updated_at,
                        span_id,
                    ),
                )
            except sqlite3.IntegrityError as exc:
                raise InvariantError(integrity_message(exc)) from exc
            self._append_event(
                kind,
                document_id=before.document_id,
                subject=span_id,
                before=span_dict(before),
                after=span_dict(after),
            )
        return Change(kind, before.document_id, before, after)

    def _text_at(self, document_id: str, start: int, end: int) -> str:
        if (
            isinstance(start, bool)
            or isinstance(end, bool)
            or not (isinstance(start, int) and isinstance(end, int))
        ):
            raise InvariantError(f"offsets must be integers, got {start!r}, {end!r}")
        row = self._conn.execute(
            "SELECT length, substr(text, ? + 1, ? - ?) FROM documents WHERE id = ?",
            (start, end, start, document_id),
        ).fetchone()
        if row is None:
            raise ClaimmarkError(f"no document with id {document_id!r}")
        check_offsets(start, end, row[0])
        return row[1]

    def _check_label(self, key: str) -> None:
        if not self._scalar("SELECT 1 FROM labels WHERE key = ?", key):
            raise InvariantError(f"unknown label {key!r}")

    # ------------------------------------------------------------------ undo
    def revert(self, change: Change) -> Change:
        """Undo ``change``; returns the change that undoing made (itself revertible)."""
        if change.kind == "status_changed":
            return self.set_status(
                change.document_id, change.extra["before"], annotator=change.extra["annotator"]
            )
        if change.before is None and change.after is not None:
            return self.delete_span(change.after.id)
        if change.after is None and change.before is not None:
            return self.restore_span(change.before)
        if change.before is not None and change.after is not None:
            b = change.before
            return self.update_span(b.id, label=b.label, start=b.start, end=b.end, note=b.note)
        raise ClaimmarkError(f"cannot undo {change.kind}")

    # ------------------------------------------------------------------ history and stats
    def events(
        self,
        *,
        document_id: str | None = None,
        annotator: str | None = None,
        since: str | None = None,
        subject: str | None = None,
    ) -> list[Event]:
        clauses, params = [], []
        for column, value in (
            ("document_id = ?", document_id),
            ("annotator = ?", annotator),
            ("at >= ?", since),
            ("subject = ?", subject),
        ):
            if value is not None:
                clauses.append(column)
                params.append(value)
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        rows = self._conn.execute(
            "SELECT seq, at, annotator, kind, document_id, doc_sha256, subject, before, after,"
            f" app_version, prev_hash, hash FROM events {where} ORDER BY seq",
            params,
        )
        return [Event(*row[:7], from_json(row[7]), from_json(row[8]), *row[9:]) for row in rows]

    def raw_events(self) -> Iterator[dict[str, Any]]:
        """Events exactly as stored (JSON columns as text), for verifying the hash chain."""
        cursor = self._conn.execute(
            "SELECT seq, at, annotator, kind, document_id, doc_sha256, subject, before, after,"
            " app_version, prev_hash, hash FROM events ORDER BY seq"
        )
        names = [d[0] for d in cursor.description]
        for row in cursor:
            yield dict(zip(names, row, strict=True))

    def event_count(self) -> int:
        return self._scalar("SELECT count(*) FROM events")

    def latest_event_hash(self) -> str:
        return self._scalar("SELECT hash FROM events ORDER BY seq DESC LIMIT 1") or GENESIS_HASH

    def annotators(self) -> list[str]:
        return [r[0] for r in self._conn.execute("SELECT name FROM annotators ORDER BY name")]

    def stats(self) -> dict[str, Any]:
        q = self._conn.execute
        return {
            "documents": self.document_count(),
            "spans": self._scalar("SELECT count(*) FROM spans"),
            "spans_per_label": {label.key: 0 for label in self.labels()}
            | dict(q("SELECT label, count(*) FROM spans GROUP BY label").fetchall()),
            "spans_per_annotator": dict(
                q("SELECT annotator, count(*) FROM spans GROUP BY annotator ORDER BY annotator")
            ),
            "done_per_annotator": dict(
                q(
                    "SELECT annotator, count(*) FROM document_status WHERE status = 'done'"
                    " GROUP BY annotator ORDER BY annotator"
                )
            ),
        }
