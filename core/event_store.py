"""Reading the audit log and the annotators (``ProjectDb.append_event`` writes it)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .event_kinds import EventKind
from .events import GENESIS_HASH
from .model import Event, Layer
from .project_db import ProjectDb
from .project_rows import from_json

_COLUMNS = (
    "seq, at, annotator, kind, document_id, doc_sha256, subject, before, after,"
    " app_version, prev_hash, hash, operation, reverts"
)


class EventStore:
    def __init__(self, db: ProjectDb):
        self._db = db

    def select(
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
        rows = self._db.conn.execute(f"SELECT {_COLUMNS} FROM events {where} ORDER BY seq", params)
        return [_event(row) for row in rows]

    def raw(self) -> Iterator[dict[str, Any]]:
        """Events exactly as stored (JSON columns as text), for verifying the hash chain."""
        cursor = self._db.conn.execute(f"SELECT {_COLUMNS} FROM events ORDER BY seq")
        names = [d[0] for d in cursor.description]
        for row in cursor:
            yield dict(zip(names, row, strict=True))

    def after(self, seq: int, *, limit: int | None = None) -> list[Event]:
        """Events newer than ``seq``, oldest first: what a view that saw ``seq`` has missed.

        ``seq`` is the primary key, so this costs the same near the end of a long log as at its
        start; ``limit`` caps what a catching-up view reads after a large import.
        """
        rows = self._db.conn.execute(
            f"SELECT {_COLUMNS} FROM events WHERE seq > ? ORDER BY seq LIMIT ?",
            (seq, -1 if limit is None else limit),
        )
        return [_event(row) for row in rows]

    def last_seq(self) -> int:
        return self._db.scalar("SELECT max(seq) FROM events") or 0

    def data_version(self) -> int:
        """SQLite's counter of commits made by *other* connections to this file: a cheap way
        to notice another window or a CLI command wrote, without reading anything."""
        return self._db.scalar("PRAGMA data_version")

    def count(self) -> int:
        return self._db.scalar("SELECT count(*) FROM events")

    def latest_hash(self) -> str:
        return self._db.scalar("SELECT hash FROM events ORDER BY seq DESC LIMIT 1") or GENESIS_HASH

    def undoable_by(self, annotator: str) -> list[Event]:
        """``annotator``'s events that belong to an operation and can be undone, in order:
        what their undo history is rebuilt from."""
        kinds = [kind.value for kind in EventKind if kind.undoable]
        rows = self._db.conn.execute(
            f"SELECT {_COLUMNS} FROM events WHERE annotator = ? AND operation IS NOT NULL"
            f" AND kind IN ({', '.join('?' * len(kinds))}) ORDER BY seq",
            (annotator, *kinds),
        )
        return [_event(row) for row in rows]

    def layers(self) -> list[Layer]:
        rows = self._db.conn.execute(
            "SELECT a.name, a.kind, (SELECT count(*) FROM spans s WHERE s.annotator = a.name)"
            " FROM annotators a ORDER BY a.kind = 'person' DESC, a.name"
        )
        return [Layer(name, kind, count) for name, kind, count in rows]

    def annotators(self) -> list[str]:
        return [r[0] for r in self._db.conn.execute("SELECT name FROM annotators ORDER BY name")]


def _event(row: tuple[Any, ...]) -> Event:
    """An events row (``_COLUMNS``) as an Event, its JSON columns decoded."""
    (
        seq,
        at,
        annotator,
        kind,
        document_id,
        doc_sha256,
        subject,
        before,
        after,
        app_version,
        prev_hash,
        hash_,
        operation,
        reverts,
    ) = row
    return Event(
        seq,
        at,
        annotator,
        kind,
        document_id,
        doc_sha256,
        subject,
        from_json(before),
        from_json(after),
        app_version,
        prev_hash,
        hash_,
        operation,
        reverts,
    )
