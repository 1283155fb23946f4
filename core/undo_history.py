"""One person's undo and redo, kept apart from everyone else's and rebuilt from the event log.

Undo belongs to the person who made the change: each annotator has their own ``UndoHistory``,
which only ever holds change sets they performed, so undoing never touches another layer. The
history is not stored anywhere of its own: every event names its operation and, for an undo or
redo, the operation it reverted, so replaying a person's events rebuilds their stacks exactly as
they were when the last window closed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from itertools import groupby

from .adjudication.records import Rejection
from .changes import ChangeSet, RejectionChange, RelationChange, SpanChange, StatusChange
from .event_kinds import Effect, EventKind
from .model import ClaimmarkError, DocumentId, Event, relation_from_values, span_from_values
from .project import Project

#: How many steps back one can go; older steps are forgotten (the events stay, of course).
UNDO_LIMIT = 500


class UndoHistory:
    def __init__(self, annotator: str) -> None:
        self.annotator = annotator
        self._undo: list[ChangeSet] = []
        self._redo: list[ChangeSet] = []

    # ------------------------------------------------------------------ state
    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)

    @property
    def undo_caption(self) -> str | None:
        return self._undo[-1].caption if self._undo else None

    @property
    def redo_caption(self) -> str | None:
        return self._redo[-1].caption if self._redo else None

    def __len__(self) -> int:
        return len(self._undo)

    # ------------------------------------------------------------------ changing
    def record(self, changes: ChangeSet) -> None:
        """A new change of this person's: it can be undone, and nothing can be redone now."""
        if changes.annotator != self.annotator:
            raise ValueError(f"{changes.annotator}'s change does not belong to {self.annotator}")
        if changes.undoable:
            self._push(self._undo, changes)
            self._redo.clear()

    def undo(self, project: Project) -> ChangeSet:
        return self._step(project, self._undo, self._redo)

    def redo(self, project: Project) -> ChangeSet:
        return self._step(project, self._redo, self._undo)

    def _step(self, project: Project, source: list[ChangeSet], target: list[ChangeSet]):
        if not source:
            raise ClaimmarkError("nothing to undo" if source is self._undo else "nothing to redo")
        try:
            result = project.revert(source[-1])
        except ClaimmarkError:
            source.pop()  # it cannot be reverted (changed elsewhere): do not offer it again
            raise
        original = source.pop()
        if result.undoable:  # named as what it undid: "Redo Add span", not "Redo Delete span"
            self._push(target, replace(result, title=original.caption))
        return result

    @staticmethod
    def _push(stack: list[ChangeSet], changes: ChangeSet) -> None:
        stack.append(changes)
        del stack[:-UNDO_LIMIT]

    # ------------------------------------------------------------------ rebuilding
    @classmethod
    def rebuild(cls, project: Project, annotator: str) -> UndoHistory:
        """``annotator``'s history as their events leave it (after a restart, say)."""
        history = cls(annotator)
        for changes, reverts in operations(project.event_store.undoable_by(annotator), annotator):
            if reverts is not None and history._undo and history._undo[-1].operation == reverts:
                original = history._undo.pop()
                history._push(history._redo, replace(changes, title=original.caption))
            elif reverts is not None and history._redo and history._redo[-1].operation == reverts:
                original = history._redo.pop()
                history._push(history._undo, replace(changes, title=original.caption))
            else:
                history.record(changes)
        return history


def operations(events: Iterable[Event], annotator: str) -> Iterable[tuple[ChangeSet, int | None]]:
    """Events grouped into the change sets of their operations, each with what it reverted."""
    for operation, group in groupby(events, key=lambda e: e.operation):
        spans: list[SpanChange] = []
        statuses: list[StatusChange] = []
        rejections: list[RejectionChange] = []
        relations: list[RelationChange] = []
        reverts = None
        for event in group:
            reverts = event.reverts
            kind = EventKind.of(event.kind)
            document_id = DocumentId(event.document_id or "")
            if kind.effect is Effect.DECISION:
                values = event.after if kind is EventKind.CANDIDATE_REJECTED else event.before
                rejections.append(RejectionChange(kind, Rejection.from_values(values, document_id)))
            elif kind.effect is Effect.STATUS:
                statuses.append(
                    StatusChange(
                        document_id,
                        event.subject or "",
                        event.before["status"],
                        event.after["status"],
                    )
                )
            elif kind.effect in (Effect.RELATION_INSERT, Effect.RELATION_DELETE):
                relations.append(
                    RelationChange(
                        kind,
                        relation_from_values(event.before, document_id) if event.before else None,
                        relation_from_values(event.after, document_id) if event.after else None,
                    )
                )
            else:
                before = span_from_values(event.before, document_id) if event.before else None
                after = span_from_values(event.after, document_id) if event.after else None
                spans.append(SpanChange(kind, before, after))
        changes = ChangeSet(
            annotator,
            operation,
            tuple(spans),
            tuple(statuses),
            rejections=tuple(rejections),
            relations=tuple(relations),
        )
        yield changes, reverts
