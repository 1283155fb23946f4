"""A claimmark project: one SQLite file, read and written only through this façade and its stores.

The stores (``document_store``, ``label_store``, ``span_store``, ``status_store``,
``event_store``) each own one kind of record and share one ``ProjectDb`` (the connection, the
write transaction and the audit event every write appends). ``Project`` keeps the public API the
formats, the CLI and the GUI use. Public methods take and return frozen dataclasses; nothing
outside the stores sees SQL or a row dict.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

from .clock import utc_now
from .document_store import DocumentStore, NewDocument, NewSpan, text_sha256
from .event_store import EventStore
from .ids import new_span_id
from .label_store import LabelStore
from .model import (
    Change,
    ClaimmarkError,
    Document,
    DocumentId,
    DocumentSummary,
    Event,
    InvariantError,
    Label,
    LabelKey,
    ShownSpan,
    Span,
    SpanId,
)
from .project_db import ProjectDb
from .project_file import connect, initialise
from .schema import SCHEMA_VERSION
from .span_store import UNSET, SpanStore
from .status_store import StatusStore

__all__ = ["NewDocument", "NewSpan", "Project", "text_sha256"]


class Project:
    def __init__(self, conn: sqlite3.Connection, path: Path | None, annotator: str):
        self._db = ProjectDb(conn, path)
        self.path = path
        self.annotator = annotator
        self.label_store = LabelStore(self._db)
        self.status_store = StatusStore(self._db)
        self.document_store = DocumentStore(self._db, self.status_store)
        self.span_store = SpanStore(self._db, self.document_store, self.label_store)
        self.event_store = EventStore(self._db)

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
                        project.label_store.insert(label, annotator=annotator)
        return project

    def close(self) -> None:
        self._db.conn.close()

    def __enter__(self) -> Project:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

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
    def _write(self, *, savepoint: bool = True):
        return self._db.write(savepoint=savepoint)

    def read_snapshot(self) -> AbstractContextManager[None]:
        """Every read inside sees the file at one moment (see ``ProjectDb.read_snapshot``)."""
        return self._db.read_snapshot()

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Group several operations into one transaction: all of them are stored or none.

        An operation that fails inside a batch may leave part of itself in the transaction, so
        let the error leave the batch (which rolls it all back) rather than carry on.
        """
        with self._db.write():
            yield

    # ------------------------------------------------------------------ labels
    def labels(self) -> list[Label]:
        return self.label_store.all()

    def label(self, key: str) -> Label | None:
        return self.label_store.get(key)

    def add_label(self, label: Label) -> Change:
        with self._db.write():
            self.label_store.insert(label, annotator=self.annotator)
        return Change("label_added", None, extra={"label": label})

    # ------------------------------------------------------------------ documents
    def documents(self, annotator: str | None = None) -> list[DocumentSummary]:
        """Every document, without its text; status and span count are the annotator's."""
        return self.document_store.summaries(annotator or self.annotator)

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

    def import_document(self, new: NewDocument) -> tuple[DocumentId, bool]:
        """Store one document and its spans; returns its id and False if the text was known."""
        return self.document_store.import_(new, annotator=self.annotator)

    # ------------------------------------------------------------------ status
    def status(self, document_id: str, annotator: str | None = None) -> str | None:
        return self.status_store.get(document_id, annotator or self.annotator)

    def statuses(self, document_id: str) -> dict[str, str]:
        return self.status_store.of_document(document_id)

    def statuses_by_document(self, document_ids: Sequence[str]) -> dict[str, dict[str, str]]:
        """``statuses`` of several documents in a query per few hundred, not one each."""
        return self.status_store.of_documents(document_ids)

    def set_status(
        self, document_id: str, status: str | None, *, annotator: str | None = None
    ) -> Change:
        """Mark the document done / in progress (None: not started) for an annotator.

        The annotator defaults to the current one and is kept in the change, so undoing it later
        restores that person's status even if someone else is annotating by then.
        """
        who = annotator or self.annotator
        with self._db.write():
            before = self.status_store.set(document_id, who, status)
        return Change(
            "status_changed",
            DocumentId(document_id),
            extra={"before": before, "after": status, "annotator": who},
        )

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

    def span(self, span_id: str) -> Span:
        return self.span_store.get(span_id)

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

    def copy_span(self, span_id: str, annotator: str | None = None) -> Change:
        """Copy a span of another layer into ``annotator``'s (default: the current one).

        The copy is a new span of theirs (same label, offsets and note); its ``span_created``
        event names the layer and span it was copied from, so the audit says whose work it was.
        """
        source = self.span(span_id)
        who = annotator or self.annotator
        if source.annotator == who:
            raise InvariantError("this span is already in your layer")
        now = utc_now()
        span = replace(
            source,
            id=SpanId(new_span_id()),
            text="",
            annotator=who,
            created_at=now,
            updated_at=now,
        )
        origin = {"annotator": source.annotator, "span": source.id}
        return self.restore_span(span, kind="span_created", copied_from=origin)

    def restore_span(
        self, span: Span, *, kind: str = "span_restored", copied_from: dict | None = None
    ) -> Change:
        """Insert ``span`` with its own id and times (undo of a delete); text is re-read."""
        return self.span_store.insert(span, kind=kind, by=span.annotator, copied_from=copied_from)

    def delete_span(self, span_id: str) -> Change:
        return self.span_store.delete(span_id, by=self.annotator)

    def relabel_span(self, span_id: str, label: str) -> Change:
        return self.update_span(span_id, label=label)

    def resize_span(self, span_id: str, start: int, end: int) -> Change:
        return self.update_span(span_id, start=start, end=end)

    def set_note(self, span_id: str, note: str | None) -> Change:
        return self.update_span(span_id, note=note or None)

    def update_span(
        self,
        span_id: str,
        *,
        label: str | None = None,
        start: int | None = None,
        end: int | None = None,
        note: Any = UNSET,
    ) -> Change:
        """Change a span's label, offsets and/or note; the event is named for what changed."""
        return self.span_store.update(
            span_id, by=self.annotator, label=label, start=start, end=end, note=note
        )

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
