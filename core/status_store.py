"""Each annotator's status of each document: not started (no row), in progress, done."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .changes import StatusChange
from .clock import utc_now
from .event_kinds import EventKind
from .model import STATUSES, ClaimmarkError, DocumentId, InvariantError
from .project_db import ProjectDb, chunks, placeholders


@dataclass(frozen=True, slots=True)
class StatusRecord:
    """One annotator's status of one document, as stored (what a merge carries)."""

    document_id: DocumentId
    annotator: str
    status: str
    updated_at: str


class StatusStore:
    def __init__(self, db: ProjectDb):
        self._db = db

    def get(self, document_id: str, annotator: str) -> str | None:
        return self._db.scalar(
            "SELECT status FROM document_status WHERE document_id = ? AND annotator = ?",
            document_id,
            annotator,
        )

    def of_document(self, document_id: str) -> dict[str, str]:
        rows = self._db.conn.execute(
            "SELECT annotator, status FROM document_status WHERE document_id = ?"
            " ORDER BY annotator",
            (document_id,),
        )
        return dict(rows.fetchall())

    def of_documents(self, document_ids: Sequence[str]) -> dict[str, dict[str, str]]:
        """``of_document`` for several documents in a query per few hundred, not one each."""
        found: dict[str, dict[str, str]] = {d: {} for d in document_ids}
        for part in chunks(list(found)):
            rows = self._db.conn.execute(
                "SELECT document_id, annotator, status FROM document_status"
                f" WHERE document_id IN ({placeholders(part)})"
                " ORDER BY document_id, annotator",
                part,
            )
            for document_id, annotator, status in rows:
                found[document_id][annotator] = status
        return found

    def set(
        self, document_id: str, annotator: str, status: str | None, *, by: str | None = None
    ) -> StatusChange | None:
        """Set ``annotator``'s status inside the caller's write (None: it was already so).

        ``by`` is who performs it (the annotator unless adjudication writes ``gold``).
        """
        if status is not None and status not in STATUSES:
            raise InvariantError(f"unknown status {status!r}; use one of {', '.join(STATUSES)}")
        if not self._db.scalar("SELECT 1 FROM documents WHERE id = ?", document_id):
            raise ClaimmarkError(f"no document with id {document_id!r}")
        self._db.ensure_annotator(annotator, by=by)
        before = self.get(document_id, annotator)
        if before == status:
            return None
        if status is None:
            self._db.conn.execute(
                "DELETE FROM document_status WHERE document_id = ? AND annotator = ?",
                (document_id, annotator),
            )
        else:
            self._db.conn.execute(
                "INSERT INTO document_status (document_id, annotator, status, updated_at)"
                " VALUES (?, ?, ?, ?) ON CONFLICT (document_id, annotator)"
                " DO UPDATE SET status = excluded.status, updated_at = excluded.updated_at",
                (document_id, annotator, status, utc_now()),
            )
        self._db.append_event(
            EventKind.STATUS_CHANGED,
            document_id=document_id,
            subject=annotator,
            before={"status": before},
            after={"status": status},
            annotator=by or annotator,
        )
        return StatusChange(DocumentId(document_id), annotator, before, status)

    def records(self, document_ids: Sequence[str]) -> list[StatusRecord]:
        """The status rows of these documents as stored, by document and annotator."""
        found: list[StatusRecord] = []
        for part in chunks(list(document_ids)):
            rows = self._db.conn.execute(
                "SELECT document_id, annotator, status, updated_at FROM document_status"
                f" WHERE document_id IN ({placeholders(part)})"
                " ORDER BY document_id, annotator",
                part,
            )
            found.extend(StatusRecord(DocumentId(d), a, s, u) for d, a, s, u in rows)
        return found

    def set_merged(
        self, record: StatusRecord, *, before: str | None, by: str, merged_from: dict[str, str]
    ) -> None:
        """Put a status another project file holds in place, with its own time, as a merge
        that ``by`` performs (not an edit of the layer's owner: nobody's undo step)."""
        if record.status not in STATUSES:
            raise InvariantError(f"unknown status {record.status!r}")
        self._db.conn.execute(
            "INSERT INTO document_status (document_id, annotator, status, updated_at)"
            " VALUES (?, ?, ?, ?) ON CONFLICT (document_id, annotator)"
            " DO UPDATE SET status = excluded.status, updated_at = excluded.updated_at",
            (record.document_id, record.annotator, record.status, record.updated_at),
        )
        self._db.append_event(
            EventKind.STATUS_MERGED,
            document_id=record.document_id,
            subject=record.annotator,
            before={"status": before},
            after={
                "status": record.status,
                "updated_at": record.updated_at,
                "merged_from": merged_from,
            },
            annotator=by,
        )
