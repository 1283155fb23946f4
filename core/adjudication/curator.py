"""The curator's decisions on one document's candidates, each one audited write and undo step.

Every decision names the curator performing it (``annotator=``) and writes only the gold layer
or the log; the change set it returns goes on the curator's own undo history like any edit.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..changes import ChangeSet
from ..model import GOLD_LAYER, ClaimmarkError, DocumentId, LabelKey
from ..project import Project
from .candidates import Candidate, CandidateState, document_candidates
from .records import GoldProposal


def _undecided(candidate: Candidate) -> None:
    if not candidate.proposed:
        raise ClaimmarkError("this span is already in gold; nobody proposed it")
    if candidate.state is CandidateState.IN_GOLD:
        raise ClaimmarkError("this candidate is already in gold")


def accept(
    project: Project, candidate: Candidate, *, annotator: str, reason: str | None = None
) -> ChangeSet:
    """Put the candidate into gold as it is."""
    _undecided(candidate)
    changes = project.add_gold_spans([candidate.proposal(reason=reason)], annotator=annotator)
    return _added(changes)


def _added(changes: ChangeSet) -> ChangeSet:
    if not changes:
        raise ClaimmarkError("this span is already in gold")
    return changes


def edit_and_accept(
    project: Project,
    candidate: Candidate,
    *,
    annotator: str,
    start: int | None = None,
    end: int | None = None,
    label: str | None = None,
    reason: str | None = None,
) -> ChangeSet:
    """Put the candidate into gold with other offsets and/or another label."""
    _undecided(candidate)
    proposal = candidate.proposal(start=start, end=end, label=label, reason=reason)
    return _added(project.add_gold_spans([proposal], annotator=annotator, title="Edit and accept"))


def reject(
    project: Project, candidate: Candidate, *, annotator: str, reason: str | None = None
) -> ChangeSet:
    """Keep the candidate out of gold; it shows as rejected until the rejection is undone."""
    _undecided(candidate)
    if candidate.state is CandidateState.REJECTED:
        raise ClaimmarkError("this candidate is already rejected")
    return project.reject_candidate(candidate.rejection(reason), annotator=annotator)


def accept_agreed(
    project: Project,
    candidates: Sequence[Candidate],
    *,
    annotator: str,
    min_annotators: int | None = None,
) -> ChangeSet:
    """Every undecided candidate enough annotators proposed, into gold as one undo step.

    Without ``min_annotators``: those every annotator who labelled the document proposed
    (state "all agree"); with it: those at least that many proposed.
    """
    chosen = [c.proposal() for c in candidates if agreed(c, min_annotators)]
    title = f"Accept {len(chosen)} agreed spans" if len(chosen) != 1 else "Accept agreed span"
    return project.add_gold_spans(chosen, annotator=annotator, title=title)


def agreed(candidate: Candidate, min_annotators: int | None = None) -> bool:
    if not candidate.state.undecided:
        return False
    if min_annotators is None:
        return candidate.state is CandidateState.AGREED
    return len(set(candidate.annotators)) >= min_annotators


def add_gold_span(
    project: Project,
    document_id: str,
    label: str,
    start: int,
    end: int,
    *,
    annotator: str,
    reason: str | None = None,
) -> ChangeSet:
    """A gold span nobody proposed (the event says so)."""
    proposal = GoldProposal(DocumentId(document_id), LabelKey(label), start, end, reason=reason)
    for candidate in document_candidates(project, document_id).candidates:
        if candidate.key == (start, end, label, None) and candidate.proposed:
            return accept(project, candidate, annotator=annotator, reason=reason)
    return _added(project.add_gold_spans([proposal], annotator=annotator, title="Add gold span"))


def remove_gold_span(
    project: Project, span_id: str, *, annotator: str, reason: str | None = None
) -> ChangeSet:
    return project.remove_gold_span(span_id, annotator=annotator, reason=reason)


def mark_adjudicated(
    project: Project, document_id: str, *, annotator: str, done: bool = True
) -> ChangeSet:
    """The gold layer's status of the document: done means adjudicated (what ``stats`` counts)."""
    return project.set_status(
        document_id,
        "done" if done else "in_progress",
        annotator=GOLD_LAYER,
        by=annotator,
        adjudication=True,
    )
