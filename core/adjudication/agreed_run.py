"""``adjudicate --accept-agreed`` over the whole project: what every annotator agreed on, into gold.

A document takes part when enough annotators labelled it (``min_annotators``, or by default
every annotator who did, at least two). A candidate goes into gold when each of them proposed
it exactly (same offsets and label), or with ``min_annotators`` at least that many. Rejected
candidates and those already in gold are left alone, so running it again adds nothing. The run
is one transaction and one undo step of the performer.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..changes import ChangeSet
from ..model import ClaimmarkError
from ..project import Project
from .candidates import documents_candidates
from .curator import agreed

#: Documents whose candidates are read together.
_BATCH = 200


@dataclass(frozen=True, slots=True)
class AgreedRun:
    #: Documents labelled by enough annotators to take part.
    documents: int
    #: Documents left out: labelled by fewer annotators than asked (or than two).
    too_few: int
    #: Spans put into gold by this run.
    accepted: int
    #: Candidates in the documents taking part that are still undecided (not in gold or rejected).
    disagreements: int
    changes: ChangeSet


def accept_agreed_everywhere(
    project: Project, *, annotator: str, min_annotators: int | None = None
) -> AgreedRun:
    if min_annotators is not None and min_annotators < 2:
        raise ClaimmarkError("--min-annotators must be at least 2: agreement takes two")
    needed = min_annotators or 2
    taking_part = too_few = remaining = 0
    parts: list[ChangeSet] = []
    ids = project.document_ids()
    with project.batch():
        for at in range(0, len(ids), _BATCH):
            for document in documents_candidates(project, ids[at : at + _BATCH]).values():
                if len(document.labelled_by) < needed:
                    too_few += 1 if document.labelled_by else 0
                    continue
                taking_part += 1
                candidates = document.candidates
                chosen = [c for c in candidates if agreed(c, min_annotators)]
                undecided = sum(1 for c in candidates if c.state.undecided)
                remaining += undecided - len(chosen)
                if chosen:
                    parts.append(
                        project.add_gold_spans([c.proposal() for c in chosen], annotator=annotator)
                    )
    accepted = sum(len(p.spans) for p in parts)
    changes = ChangeSet.combine(parts, annotator=annotator, title=f"Accept {accepted} agreed spans")
    return AgreedRun(taking_part, too_few, accepted, remaining, changes)
