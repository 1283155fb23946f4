"""The project file's connection, its write transactions and the audit event every write appends.

Every change goes through ``write`` (one ``BEGIN IMMEDIATE`` transaction; immediate because a
deferred transaction in WAL mode fails at once with "database is locked" instead of waiting when
another process wrote in between) and appends its audit event in that same transaction, so the
project never holds a change without its event or an event without its change. The stores
(documents, labels, spans, statuses, events) share one ``ProjectDb``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .clock import utc_now
from .event_kinds import EventKind
from .events import GENESIS_HASH, event_hash
from .model import GOLD_LAYER, InvariantError, ProjectWriteError
from .project_rows import to_json
from .project_rules import annotator_name_problem
from .read_only import read_only_reason
from .version import APP_VERSION

#: Ids per ``IN (...)`` list: well under SQLite's limit of bound parameters (32,766).
IN_CHUNK = 500


def chunks(items: list[str], size: int = IN_CHUNK) -> Iterator[list[str]]:
    for at in range(0, len(items), size):
        yield items[at : at + size]


def placeholders(values: list[Any] | tuple[Any, ...]) -> str:
    return ", ".join("?" * len(values))


#: The events table's columns, in the order the insert binds them.
_EVENT_COLUMNS = (
    "seq",
    "at",
    "annotator",
    "kind",
    "document_id",
    "doc_sha256",
    "subject",
    "before",
    "after",
    "app_version",
    "prev_hash",
    "hash",
    "operation",
    "reverts",
)


class ProjectDb:
    def __init__(self, conn: sqlite3.Connection, path: Path | None):
        self.conn = conn
        self.path = path
        self._known_annotators: set[str] = set()
        self._depth = 0
        #: (seq, hash) of the newest event, valid only inside the current write transaction.
        self._chain_head: tuple[int, str] | None = None
        #: Called after every successful commit (e.g. to take periodic backups).
        self.commit_listeners: list[Callable[[], None]] = []
        #: The operation the current transaction writes (the seq of its first event), and the
        #: operation it undoes or redoes; ``operation`` stays readable after the commit.
        self.operation: int | None = None
        self._reverts: int | None = None

    @property
    def in_write(self) -> bool:
        return bool(self._depth)

    def scalar(self, sql: str, *params: Any) -> Any:
        row = self.conn.execute(sql, params).fetchone()
        return row[0] if row else None

    def first_taken_id(self, table: str, ids: list[str]) -> str | None:
        """One of ``ids`` that ``table`` already holds, or None: an import's ids must be new.

        ``table`` is one of claimmark's own table names, never input.
        """
        for part in chunks(ids):
            taken = self.scalar(
                f"SELECT id FROM {table} WHERE id IN ({placeholders(part)}) LIMIT 1", *part
            )
            if taken is not None:
                return taken
        return None

    @contextmanager
    def read_snapshot(self) -> Iterator[None]:
        """Every read inside sees the file at one moment, whatever other processes commit.

        A deferred read transaction in WAL mode is a consistent snapshot. Without it, reading the
        history and then the spans can see two moments (verify would report a span "in the
        history but not in the project"; an export's provenance would not describe its data).
        Inside a write, or a snapshot already open, the reads share that transaction.
        """
        if self._depth or self.conn.in_transaction:
            yield
            return
        self.conn.execute("BEGIN DEFERRED")
        try:
            yield
        finally:
            if self.conn.in_transaction:
                self.conn.execute("COMMIT")

    @contextmanager
    def write(self, *, savepoint: bool = True, reverts: int | None = None) -> Iterator[None]:
        """One atomic write; nested calls join the outer transaction through a savepoint.

        ``savepoint=False`` joins without one: for a bulk operation inside ``batch()``, whose
        failure aborts the whole batch anyway (two statements saved per imported document).
        ``reverts`` names the operation an undo or redo reverts (outermost write only).
        """
        if self._depth and not savepoint:
            yield
            return
        if self._depth:
            self._depth += 1
            known, head, operation = set(self._known_annotators), self._chain_head, self.operation
            self.conn.execute("SAVEPOINT nested")
            try:
                yield
            except BaseException:
                self.conn.execute("ROLLBACK TO nested")
                self.conn.execute("RELEASE nested")
                # as the file is again
                self._known_annotators, self._chain_head = known, head
                self.operation = operation
                raise
            else:
                self.conn.execute("RELEASE nested")
            finally:
                self._depth -= 1
            return
        known = set(self._known_annotators)
        self.operation, self._reverts = None, reverts
        try:
            self.conn.execute("BEGIN IMMEDIATE")
            self._depth = 1
            yield
            self.conn.execute("COMMIT")
        except BaseException as exc:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            self._known_annotators = known
            self.operation = None
            if isinstance(exc, sqlite3.OperationalError):
                raise ProjectWriteError(self._write_failure(exc)) from exc
            raise
        finally:
            self._depth = 0
            self._reverts = None
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
            named = read_only_reason(self.path) if self.path is not None else None
            reason = named or f"{where} is read-only. Make it writable, or open a copy"
        elif "locked" in text or "busy" in text:
            reason = "another claimmark window or process kept the project busy; try again"
        else:
            reason = f"could not write {where} ({text})"
        return f"Not saved: {reason}. Everything saved before is safe."

    def append_event(
        self,
        kind: EventKind,
        *,
        annotator: str,
        document_id: str | None = None,
        doc_sha256: str | None = None,
        subject: str | None = None,
        before: Any = None,
        after: Any = None,
        after_json: str | None = None,
        at: str | None = None,
    ) -> None:
        """Append one event, written by ``annotator`` (the person who performed the change).

        ``after_json`` is ``after`` already in canonical JSON (an import's event, written directly:
        see ``import_event``); ``at`` the time of the change when the caller has read the clock.
        """
        assert self._depth, "events are only written inside a write transaction"
        if kind != EventKind.ANNOTATOR_ADDED:
            self.ensure_annotator(annotator)  # every event's author is a known annotator
        if self._chain_head is None:  # read once per transaction, then carried along
            last = self.conn.execute(
                "SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1"
            ).fetchone()
            self._chain_head = (last[0], last[1]) if last else (0, GENESIS_HASH)
        seq, prev_hash = self._chain_head[0] + 1, self._chain_head[1]
        if self.operation is None:
            self.operation = seq
        if document_id is not None and doc_sha256 is None:
            doc_sha256 = self.scalar("SELECT sha256 FROM documents WHERE id = ?", document_id)
        fields = {
            "seq": seq,
            "at": at or utc_now(),
            "annotator": annotator,
            "kind": str(kind),
            "document_id": document_id,
            "doc_sha256": doc_sha256,
            "subject": subject,
            "before": to_json(before),
            "after": after_json if after_json is not None else to_json(after),
            "app_version": APP_VERSION,
            "prev_hash": prev_hash,
            "operation": self.operation,
            "reverts": self._reverts,
        }
        fields["hash"] = digest = event_hash(fields)
        self._chain_head = (seq, digest)
        self.conn.execute(
            "INSERT INTO events (seq, at, annotator, kind, document_id, doc_sha256, subject,"
            " before, after, app_version, prev_hash, hash, operation, reverts)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            tuple(fields[name] for name in _EVENT_COLUMNS),
        )

    def ensure_annotator(
        self, name: str, kind: str | None = None, *, by: str | None = None
    ) -> None:
        """Make sure the layer ``name`` exists: a person's unless ``kind`` (or the name) says.

        ``by`` is who performs the write that needs the layer, when that is someone else (the
        curator whose first decision creates ``gold``): its event names them, not the layer.
        """
        if name in self._known_annotators:
            return
        problem = annotator_name_problem(name)
        if problem:
            raise InvariantError(f"invalid annotator name {name!r}: {problem}")
        exists = self.scalar("SELECT 1 FROM annotators WHERE name = ?", name)
        if not exists:
            if by is not None and by != name:
                self.ensure_annotator(by)  # the performer is a known annotator before acting
            kind = kind or ("gold" if name == GOLD_LAYER else "person")
            self.conn.execute(
                "INSERT INTO annotators (name, created_at, kind) VALUES (?, ?, ?)",
                (name, utc_now(), kind),
            )
            self.append_event(
                EventKind.ANNOTATOR_ADDED,
                subject=name,
                after={"name": name, "kind": kind},
                annotator=by or name,
            )
        self._known_annotators.add(name)

    def add_merged_layer(
        self, name: str, kind: str, *, by: str, merged_from: dict[str, str]
    ) -> None:
        """Add the layer ``name`` brought by a merge that ``by`` performs (the caller checked
        it is missing); its event says so, where ``ensure_annotator``'s names the layer itself."""
        problem = annotator_name_problem(name)
        if problem:
            raise InvariantError(f"invalid annotator name {name!r}: {problem}")
        self.conn.execute(
            "INSERT INTO annotators (name, created_at, kind) VALUES (?, ?, ?)",
            (name, utc_now(), kind),
        )
        self.append_event(
            EventKind.ANNOTATOR_MERGED,
            subject=name,
            after={"name": name, "kind": kind, "merged_from": merged_from},
            annotator=by,
        )
        self._known_annotators.add(name)
