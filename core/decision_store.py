"""Adjudication decisions that live only in the audit log: rejections, and where gold came from.

A rejection changes no row, so it needs no table: its ``candidate_rejected`` event is the
record, and undoing it appends ``rejection_withdrawn``. A document's current rejections are its
decision events folded in order, read through the events' index by document; a restart sees
exactly what the log says. The same index gives each gold span's ``span_adjudicated`` event,
which names the candidate an edited acceptance decided.
"""

from __future__ import annotations

from collections.abc import Sequence

from .adjudication.records import CandidateKey, Rejection, key_from_values
from .changes import RejectionChange
from .event_kinds import EventKind
from .layer_rules import check_curator
from .model import ClaimmarkError, InvariantError
from .project_db import ProjectDb, chunks, placeholders
from .project_rows import from_json

_DECISIONS = (EventKind.CANDIDATE_REJECTED.value, EventKind.REJECTION_WITHDRAWN.value)


class DecisionStore:
    def __init__(self, db: ProjectDb):
        self._db = db

    # ------------------------------------------------------------------ reading
    def rejections(self, document_ids: Sequence[str] | None = None) -> dict[str, list[Rejection]]:
        """The standing rejections per document (every document that has one, or those asked)."""
        found: dict[str, dict[CandidateKey, Rejection]] = {}
        for event_document, kind, before, after in self._decision_rows(_DECISIONS, document_ids):
            held = found.setdefault(event_document, {})
            if kind == EventKind.CANDIDATE_REJECTED:
                rejection = Rejection.from_values(from_json(after), event_document)
                held[rejection.key] = rejection
            else:
                held.pop(Rejection.from_values(from_json(before), event_document).key, None)
        return {d: list(held.values()) for d, held in found.items() if held}

    def gold_origins(self, document_ids: Sequence[str] | None = None) -> dict[str, CandidateKey]:
        """Gold span id -> the candidate its acceptance decided (spans nobody proposed: none)."""
        origins: dict[str, CandidateKey] = {}
        rows = self._decision_rows((EventKind.SPAN_ADJUDICATED.value,), document_ids, subject=True)
        for subject, _kind, _before, after in rows:
            candidate = (from_json(after).get("adjudication") or {}).get("candidate")
            if candidate is not None:
                origins.setdefault(subject, key_from_values(candidate))
        return origins

    def _decision_rows(
        self, kinds: Sequence[str], document_ids: Sequence[str] | None, *, subject: bool = False
    ):
        first = "subject" if subject else "document_id"
        select = f"SELECT {first}, kind, before, after FROM events"
        kind_clause = f"kind IN ({placeholders(list(kinds))})"
        if document_ids is None:
            yield from self._db.conn.execute(
                f"{select} WHERE {kind_clause} ORDER BY seq", list(kinds)
            )
            return
        for part in chunks(list(document_ids)):
            yield from self._db.conn.execute(
                f"{select} WHERE document_id IN ({placeholders(part)}) AND {kind_clause}"
                " ORDER BY seq",
                [*part, *kinds],
            )

    # ------------------------------------------------------------------ writing
    def reject(self, rejection: Rejection, *, by: str) -> RejectionChange:
        """Record that ``by`` rejected the candidate (inside the caller's write)."""
        check_curator(by)
        if not self._db.scalar("SELECT 1 FROM documents WHERE id = ?", rejection.document_id):
            raise ClaimmarkError(f"no document with id {rejection.document_id!r}")
        standing = self.rejections([rejection.document_id]).get(rejection.document_id, [])
        if any(r.key == rejection.key for r in standing):
            raise InvariantError("this candidate is already rejected")
        self._db.append_event(
            EventKind.CANDIDATE_REJECTED,
            annotator=by,
            document_id=rejection.document_id,
            subject=rejection.subject,
            after=rejection.values(),
        )
        return RejectionChange(EventKind.CANDIDATE_REJECTED, rejection)

    def withdraw(self, rejection: Rejection, *, by: str) -> RejectionChange:
        """Record that the rejection no longer stands (undo of a rejection)."""
        standing = self.rejections([rejection.document_id]).get(rejection.document_id, [])
        current = next((r for r in standing if r.key == rejection.key), None)
        if current is None:
            raise InvariantError("this candidate is not rejected")
        self._db.append_event(
            EventKind.REJECTION_WITHDRAWN,
            annotator=by,
            document_id=current.document_id,
            subject=current.subject,
            before=current.values(),
        )
        return RejectionChange(EventKind.REJECTION_WITHDRAWN, current)
