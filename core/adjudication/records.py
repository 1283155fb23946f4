"""What an adjudication decision records: whose spans it came from, what it decided, and why.

These values travel in audit events (``span_adjudicated``, ``gold_span_removed``,
``candidate_rejected``, ``rejection_withdrawn``) and in change sets, so they are plain frozen
values with a fixed JSON form; they import nothing from the project, which stores them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..model import (
    NO_ATTRIBUTES,
    AttributeValues,
    DocumentId,
    Fragments,
    LabelKey,
    SpanId,
    fragments_from_json,
    fragments_json,
)

#: A candidate span as adjudication groups them: offsets (end exclusive), label, and the pieces
#: of a discontinuous span (None for a one-piece span). Spans differing in any of these are
#: different candidates; attributes are not part of it.
CandidateKey = tuple[int, int, LabelKey, Fragments | None]


def candidate_key(
    start: int, end: int, label: str, fragments: Fragments | None = None
) -> CandidateKey:
    return (start, end, LabelKey(label), fragments)


@dataclass(frozen=True, slots=True)
class Source:
    """One annotator's span behind a candidate."""

    annotator: str
    span_id: SpanId

    def values(self) -> dict[str, str]:
        return {"annotator": self.annotator, "span": self.span_id}

    @classmethod
    def from_values(cls, values: dict[str, Any]) -> Source:
        return cls(values["annotator"], SpanId(values["span"]))


def sources_values(sources: tuple[Source, ...]) -> list[dict[str, str]]:
    return [source.values() for source in sources]


def sources_from_values(values: list[dict[str, Any]] | None) -> tuple[Source, ...]:
    return tuple(Source.from_values(v) for v in values or ())


def key_values(key: CandidateKey) -> dict[str, Any]:
    return {"start": key[0], "end": key[1], "label": key[2], "fragments": fragments_json(key[3])}


def key_from_values(values: dict[str, Any]) -> CandidateKey:
    fragments = fragments_from_json(values.get("fragments"))
    return (values["start"], values["end"], LabelKey(values["label"]), fragments)


@dataclass(frozen=True, slots=True)
class Rejection:
    """A candidate the curator decided not to put into gold, kept in the log (no table)."""

    document_id: DocumentId
    start: int
    end: int
    label: LabelKey
    text: str
    sources: tuple[Source, ...] = ()
    reason: str | None = None
    fragments: Fragments | None = None

    @property
    def key(self) -> CandidateKey:
        return (self.start, self.end, self.label, self.fragments)

    @property
    def subject(self) -> str:
        """What the event's ``subject`` names: the candidate, as ``start-end:label``."""
        return f"{self.start}-{self.end}:{self.label}"

    def values(self) -> dict[str, Any]:
        return {
            **key_values(self.key),
            "text": self.text,
            "sources": sources_values(self.sources),
            "reason": self.reason,
        }

    @classmethod
    def from_values(cls, values: dict[str, Any], document_id: str) -> Rejection:
        return cls(
            DocumentId(document_id),
            values["start"],
            values["end"],
            LabelKey(values["label"]),
            values["text"],
            sources_from_values(values.get("sources")),
            values.get("reason"),
            fragments_from_json(values.get("fragments")),
        )


@dataclass(frozen=True, slots=True)
class GoldProposal:
    """A span to put into gold, and what it decides.

    ``candidate`` is the candidate it accepts (None: a span nobody proposed); offsets or label
    differing from it make it an edited acceptance.
    """

    document_id: DocumentId
    label: LabelKey
    start: int
    end: int
    sources: tuple[Source, ...] = ()
    candidate: CandidateKey | None = None
    reason: str | None = None
    fragments: Fragments | None = None
    #: Carried into gold when every source span has these same values.
    attributes: AttributeValues = NO_ATTRIBUTES

    @property
    def key(self) -> CandidateKey:
        return (self.start, self.end, self.label, self.fragments)

    @property
    def edited(self) -> bool:
        return self.candidate is not None and self.candidate != self.key

    def record(self) -> dict[str, Any]:
        """What the ``span_adjudicated`` event adds to the span's values, as ``adjudication``."""
        return {
            "candidate": key_values(self.candidate) if self.candidate is not None else None,
            "sources": sources_values(self.sources),
            "edited": self.edited,
            "reason": self.reason,
        }
