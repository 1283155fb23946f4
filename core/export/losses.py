"""What an export format could not carry, one record per span (or per document).

Every format reports here instead of dropping silently; the records become the loss report
(``losses.jsonl``), the summary's counts, and the reason ``--strict`` refuses an export.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, fields

from ..model import Relation, Span

# Reasons, as written in the report. A span with a loss is either dropped from the output or
# written changed (``boundaries_changed``: the new offsets are in ``detail``).
NOT_TOKEN_ALIGNED = "not_token_aligned"
BOUNDARIES_CHANGED = "boundaries_changed"
ONLY_WHITESPACE = "only_whitespace"
OVERLAP = "overlap"
OVERLAP_NOT_IN_ENTS = "overlap_not_in_ents"
#: Written, but the consumer keeps it only with a setting that is off by default (doccano).
OVERLAP_NEEDS_SETTING = "overlap_needs_setting"
CROSSES_LINE_BREAK = "crosses_line_break"
UNWRITABLE_TOKEN = "unwritable_token"
NOTE_NOT_CARRIED = "note_not_carried"
NOTE_CHANGED = "note_changed"
ANNOTATORS_MERGED = "annotators_merged"
#: A span's attribute the format cannot hold (or not as it is); the detail names it.
ATTRIBUTE_NOT_CARRIED = "attribute_not_carried"
#: A discontinuous span written as one stretch from its first fragment to its last (gaps included).
FRAGMENTS_NOT_CARRIED = "fragments_not_carried"
#: A discontinuous span whose fragments come back otherwise (brat: only line breaks between two).
FRAGMENTS_CHANGED = "fragments_changed"
#: A relation the format has no place for (one line per relation; the detail names it).
RELATION_NOT_CARRIED = "relation_not_carried"
#: Document-level: what the format has no place for at all (see ``carried``).
STATUS_NOT_CARRIED = "status_not_carried"
DOCUMENT_FIELDS_NOT_CARRIED = "document_fields_not_carried"
SPAN_FIELDS_NOT_CARRIED = "span_fields_not_carried"
#: Label Studio: the annotator is not a member email, so the importing user gets the credit.
ANNOTATOR_NOT_CARRIED = "annotator_not_carried"
#: Label Studio: unfinished work is written as a draft, which older servers do not import.
STATUS_AS_DRAFT = "status_as_draft"


@dataclass(frozen=True, slots=True)
class Loss:
    document_id: str
    span_id: str | None
    label: str | None
    start: int | None
    end: int | None
    format: str
    reason: str
    detail: str = ""
    part: str | None = None
    #: For ``boundaries_changed``: the offsets the span was written with.
    written_start: int | None = None
    written_end: int | None = None
    #: For a relation's loss: its id (``span_id`` is then its source span).
    relation_id: str | None = None

    def place(self) -> str:
        """Where the loss is, for a person reading the summary: a relation by its id (it has
        no label or offsets of its own), a span by id, label and offsets, else nothing."""
        if self.relation_id is not None:
            return f" relation {self.relation_id} (from span {self.span_id})"
        if self.span_id is None:
            return ""
        offsets = "" if self.start is None else f" {self.start}-{self.end}"
        return f" span {self.span_id} {self.label}{offsets}"

    def to_json(self) -> str:
        # Field by field: dataclasses.asdict deep-copies, measurably slow for 100k losses.
        return json.dumps({f: getattr(self, f) for f in _FIELDS}, ensure_ascii=False)


_FIELDS = tuple(f.name for f in fields(Loss))


class LossLog:
    """Collects the losses of one export run."""

    def __init__(self, fmt: str):
        self.format = fmt
        self.part: str | None = None
        self.items: list[Loss] = []

    def span(
        self,
        span: Span,
        reason: str,
        detail: str = "",
        written: tuple[int, int] | None = None,
    ) -> None:
        self.items.append(
            Loss(
                span.document_id,
                span.id,
                span.label,
                span.start,
                span.end,
                self.format,
                reason,
                detail,
                self.part,
                *(written or (None, None)),
            )
        )

    def relation(self, relation: Relation, reason: str, detail: str) -> None:
        self.items.append(
            Loss(
                relation.document_id,
                relation.from_span,
                None,
                None,
                None,
                self.format,
                reason,
                detail,
                self.part,
                relation_id=relation.id,
            )
        )

    def document(self, document_id: str, reason: str, detail: str = "") -> None:
        self.items.append(
            Loss(document_id, None, None, None, None, self.format, reason, detail, self.part)
        )

    def by_reason(self) -> dict[str, int]:
        return dict(sorted(Counter(loss.reason for loss in self.items).items()))

    def __len__(self) -> int:
        return len(self.items)

    def __bool__(self) -> bool:
        return bool(self.items)
