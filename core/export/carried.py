"""What each export format carries of a document and its spans, and the losses for the rest.

The format writers report what they change or drop span by span (alignment, overlaps, notes,
merged annotators). What a format has *no place for at all* (statuses, metadata, titles, span
ids, edit times) is declared here, in one table, and reported for every document that holds it,
so that "Losses: none" is only said when the consumer gets everything back.

A format not in the table (a test's stand-in) is taken to carry everything.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from . import losses as L
from .losses import LossLog
from .selection import SelectedDocument

# What a format can carry.
DOCUMENT_ID = "id"
TITLE = "title"
SOURCE = "source"
IMPORTED_AT = "imported_at"
META = "meta"
STATUS = "status"
SPAN_IDS = "span ids"
SPAN_TIMES = "span times"
#: Relations between spans, their ids and creation times (a relation's annotator is its spans').
RELATIONS = "relations"
RELATION_IDS = "relation ids and times"
ATTRIBUTES = "attributes"
#: A discontinuous span's fragments (else the span is written from its first to its last).
FRAGMENTS = "fragments"

EVERYTHING = frozenset(
    (DOCUMENT_ID, TITLE, SOURCE, IMPORTED_AT, META, STATUS, SPAN_IDS, SPAN_TIMES)
) | frozenset((RELATIONS, RELATION_IDS, ATTRIBUTES, FRAGMENTS))

#: Format -> what it carries. Document ids written only to ``provenance.json`` (CoNLL's file
#: order, brat's file names) count as carried: the provenance maps them back.
CARRIES: dict[str, frozenset[str]] = {
    "jsonl": EVERYTHING,
    "csv": EVERYTHING,
    "parquet": EVERYTHING,
    "spacy": frozenset((DOCUMENT_ID, TITLE, SPAN_IDS)),
    "conll": frozenset((DOCUMENT_ID,)),
    "hf": frozenset((DOCUMENT_ID, TITLE, SPAN_IDS)),
    # The writer reports what it cannot write of an attribute (brat has no "no").
    "brat": frozenset((DOCUMENT_ID, RELATIONS, ATTRIBUTES, FRAGMENTS)),
    # Relations in the entities layout (the writer reports them in the label layout).
    "doccano": frozenset((DOCUMENT_ID, TITLE, RELATIONS)),
    # Status: done work is an annotation, the rest a draft (the writer reports drafts); meta:
    # written into ``data`` (the writer reports a key it cannot write); attributes as per-region
    # choices, numbers and text (the writer reports a value its control cannot hold).
    "labelstudio": frozenset((DOCUMENT_ID, TITLE, SPAN_IDS, META, STATUS, RELATIONS, ATTRIBUTES)),
}

#: Meta keys a format gives back although it has no general place for meta: the tokens (CoNLL,
#: HF and spaCy write them) and what a spaCy import remembered (the spaCy export restores it).
META_KEYS_CARRIED: dict[str, frozenset[str]] = {
    "spacy": frozenset(("token_offsets", "spacy")),
    "conll": frozenset(("token_offsets",)),
    "hf": frozenset(("token_offsets",)),
}


def report_uncarried(fmt: str, selected: SelectedDocument, losses: LossLog) -> None:
    carries = CARRIES.get(fmt, EVERYTHING)
    if carries == EVERYTHING:
        return
    document = selected.document
    if STATUS not in carries and selected.statuses:
        shown = ", ".join(f"{who}: {status}" for who, status in sorted(selected.statuses.items()))
        losses.document(
            document.id, L.STATUS_NOT_CARRIED, f"the format has no document status ({shown})"
        )
    fields = []
    if TITLE not in carries and document.title:
        fields.append("title")
    if SOURCE not in carries and document.source:
        fields.append("source")
    if IMPORTED_AT not in carries and document.imported_at:
        fields.append("imported_at")
    if META not in carries and isinstance(document.meta, dict):
        kept = META_KEYS_CARRIED.get(fmt, frozenset())
        keys = sorted(k for k in document.meta if k not in kept)
        if keys:
            fields.append(f"meta ({', '.join(keys)})")
    if fields:
        losses.document(
            document.id,
            L.DOCUMENT_FIELDS_NOT_CARRIED,
            f"the format has no place for: {', '.join(fields)}",
        )
    spans = len(selected.spans)
    missing = [what for what in (SPAN_IDS, SPAN_TIMES) if what not in carries]
    parts = [f"{' and '.join(missing)} of {spans} span(s)"] if spans and missing else []
    relations = len(selected.relations)
    if relations and RELATIONS in carries and RELATION_IDS not in carries:
        parts.append(f"ids and times of {relations} relation(s)")
    if parts:
        losses.document(
            document.id,
            L.SPAN_FIELDS_NOT_CARRIED,
            f"{' and '.join(parts)} are not in the format",
        )
    _report_structure(carries, selected, losses)


def _report_structure(carries: frozenset[str], selected: SelectedDocument, losses: LossLog) -> None:
    """Relations, attributes and fragments a format has no place for, one line each."""
    for span in selected.spans:
        if span.fragments and FRAGMENTS not in carries:
            losses.span(
                span,
                L.FRAGMENTS_NOT_CARRIED,
                f"written as one span {span.start}-{span.end}: the gaps between its"
                f" {len(span.fragments)} fragments are included",
            )
        if span.attributes and ATTRIBUTES not in carries:
            losses.span(
                span,
                L.ATTRIBUTE_NOT_CARRIED,
                f"the format has no attributes: {attribute_text(span.attributes)}",
            )
    if RELATIONS not in carries:
        for relation in selected.relations:
            losses.relation(
                relation,
                L.RELATION_NOT_CARRIED,
                f"the format has no relations: {relation.type} from span {relation.from_span}"
                f" to span {relation.to_span}",
            )


def attribute_text(values: Mapping[str, Any]) -> str:
    """``killed=5, group=military``; a range as ``10-12``."""
    return ", ".join(
        f"{name}={'-'.join(map(str, value)) if isinstance(value, tuple) else value}"
        for name, value in values.items()
    )
