"""Candidate spans: the annotators' spans of a document grouped by identical offsets and label.

A candidate is what the curator decides on: every person layer's span with the same
(start, end, label) and the same pieces (a discontinuous span's fragments) is one candidate,
proposed by those annotators. Its state says what is left to decide. Gold spans that match no
candidate (added by the curator, or the result of an edited acceptance) are listed too, so
they can be seen and removed.

Which annotators *labelled* a document decides "all agree": a person layer labelled it when it
holds a span there or has marked it done (a document with nothing to label is still labelled).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum

from ..model import (
    GOLD_LAYER,
    NO_ATTRIBUTES,
    AttributeValues,
    DocumentId,
    Fragments,
    LabelKey,
    Span,
    SpanId,
)
from ..project import Project
from .records import CandidateKey, GoldProposal, Rejection, Source


class CandidateState(Enum):
    """What is left to decide about a candidate, worded as the adjudication table shows it."""

    AGREED = "all agree"
    SOME = "some"
    ONE = "one"
    IN_GOLD = "in gold"
    REJECTED = "rejected"
    #: A gold span no annotator proposed as it is (added, or edited on acceptance).
    GOLD_ONLY = "gold only"

    @property
    def undecided(self) -> bool:
        return self in (CandidateState.AGREED, CandidateState.SOME, CandidateState.ONE)

    @property
    def disagreement(self) -> bool:
        """Undecided, and not every annotator who labelled the document proposed it."""
        return self in (CandidateState.SOME, CandidateState.ONE)


@dataclass(frozen=True, slots=True)
class Candidate:
    document_id: DocumentId
    start: int
    end: int
    label: LabelKey
    text: str
    sources: tuple[Source, ...]
    state: CandidateState
    #: The gold span holding it (identical, or edited from it), when it is in gold.
    gold_span_id: SpanId | None = None
    #: Why it was rejected (or why the gold span was added), when the curator said.
    reason: str | None = None
    #: The pieces of a discontinuous span (None: one piece).
    fragments: Fragments | None = None
    #: The attribute values every proposer gave it (none when they differ).
    attributes: AttributeValues = NO_ATTRIBUTES

    @property
    def key(self) -> CandidateKey:
        return (self.start, self.end, self.label, self.fragments)

    @property
    def annotators(self) -> tuple[str, ...]:
        return tuple(source.annotator for source in self.sources)

    @property
    def proposed(self) -> bool:
        return self.state is not CandidateState.GOLD_ONLY

    def proposal(
        self,
        *,
        start: int | None = None,
        end: int | None = None,
        label: str | None = None,
        reason: str | None = None,
    ) -> GoldProposal:
        """This candidate into gold, as it is or with changed offsets and/or label.

        New offsets make it one piece; attributes stay only while the label does.
        """
        start = self.start if start is None else start
        end = self.end if end is None else end
        label = self.label if label is None else LabelKey(label)
        same_extent = (start, end) == (self.start, self.end)
        return GoldProposal(
            self.document_id,
            label,
            start,
            end,
            self.sources,
            self.key,
            reason or None,
            self.fragments if same_extent else None,
            self.attributes if label == self.label else NO_ATTRIBUTES,
        )

    def rejection(self, reason: str | None = None) -> Rejection:
        return Rejection(
            self.document_id,
            self.start,
            self.end,
            self.label,
            self.text,
            self.sources,
            reason or None,
            self.fragments,
        )


def span_key(span: Span) -> CandidateKey:
    return (span.start, span.end, span.label, span.fragments)


def _text_order(key: CandidateKey) -> tuple:
    return (*key[:3], key[3] or ())


def _shared_attributes(spans: Sequence[Span]) -> AttributeValues:
    first = spans[0].attributes
    return first if all(s.attributes == first for s in spans) else NO_ATTRIBUTES


def labellers(person_spans: Iterable[Span], done: Iterable[str]) -> list[str]:
    """The person layers that labelled a document: a span there, or marked done."""
    return sorted({span.annotator for span in person_spans} | set(done))


def group_candidates(
    document_id: str,
    person_spans: Sequence[Span],
    gold_spans: Sequence[Span],
    *,
    labelled_by: Sequence[str],
    rejections: Sequence[Rejection] = (),
    gold_origins: Mapping[str, CandidateKey] | None = None,
) -> list[Candidate]:
    """A document's candidates in text order, then gold spans no candidate matches.

    ``gold_origins`` maps a gold span to the candidate an edited acceptance decided, so that
    candidate reads "in gold" too.
    """
    origins = gold_origins or {}
    grouped: dict[CandidateKey, list[Span]] = {}
    for span in person_spans:
        grouped.setdefault(span_key(span), []).append(span)
    gold_by_key = {span_key(s): s for s in gold_spans}
    edited_into = {
        origins[s.id]: s for s in gold_spans if s.id in origins and origins[s.id] in grouped
    }
    rejected = {r.key: r for r in rejections}
    everyone = len(labelled_by)
    found: list[Candidate] = []
    for key in sorted(grouped, key=_text_order):
        spans = grouped[key]
        sources = tuple(Source(s.annotator, s.id) for s in sorted(spans, key=lambda s: s.annotator))
        gold = gold_by_key.get(key) or edited_into.get(key)
        reason = None
        if gold is not None:
            state = CandidateState.IN_GOLD
        elif key in rejected:
            state, reason = CandidateState.REJECTED, rejected[key].reason
        else:
            proposers = len({s.annotator for s in spans})
            if proposers >= 2 and proposers >= everyone:
                state = CandidateState.AGREED
            else:
                state = CandidateState.SOME if proposers >= 2 else CandidateState.ONE
        found.append(
            Candidate(
                DocumentId(document_id),
                *key[:3],
                spans[0].text,
                sources,
                state,
                gold.id if gold is not None else None,
                reason,
                key[3],
                _shared_attributes(spans),
            )
        )
    for key in sorted(set(gold_by_key) - set(grouped), key=_text_order):
        gold = gold_by_key[key]
        found.append(
            Candidate(
                DocumentId(document_id),
                *key[:3],
                gold.text,
                (),
                CandidateState.GOLD_ONLY,
                gold.id,
                fragments=key[3],
                attributes=gold.attributes,
            )
        )
    return found


@dataclass(frozen=True, slots=True)
class DocumentCandidates:
    """A document's candidates and the annotators who labelled it."""

    document_id: DocumentId
    labelled_by: tuple[str, ...]
    candidates: list[Candidate]

    @property
    def disagreements(self) -> list[Candidate]:
        return [c for c in self.candidates if c.state.disagreement]


def person_layers(project: Project) -> list[str]:
    """Every layer that is one person's own work (never gold or a machine's)."""
    return [layer.name for layer in project.layers() if layer.kind == "person"]


def document_candidates(project: Project, document_id: str) -> DocumentCandidates:
    """One document's candidates as the project holds them now."""
    return documents_candidates(project, [document_id])[document_id]


def documents_candidates(
    project: Project, document_ids: Sequence[str]
) -> dict[str, DocumentCandidates]:
    """Candidates of several documents, read a few hundred documents per query."""
    people = person_layers(project)
    with project.read_snapshot():
        spans = project.spans_by_document(document_ids, annotators=[*people, GOLD_LAYER])
        statuses = project.statuses_by_document(document_ids)
        rejections = project.rejections(document_ids)
        origins = project.gold_origins(document_ids)
    found: dict[str, DocumentCandidates] = {}
    for document_id in document_ids:
        held = spans.get(document_id, [])
        person = [s for s in held if s.annotator != GOLD_LAYER]
        done = [a for a, status in statuses.get(document_id, {}).items() if status == "done"]
        labelled_by = labellers(person, [a for a in done if a in people])
        candidates = group_candidates(
            document_id,
            person,
            [s for s in held if s.annotator == GOLD_LAYER],
            labelled_by=labelled_by,
            rejections=rejections.get(document_id, ()),
            gold_origins=origins,
        )
        found[document_id] = DocumentCandidates(
            DocumentId(document_id), tuple(labelled_by), candidates
        )
    return found
