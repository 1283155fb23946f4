"""What each export format carries of a document and its spans, and the losses for the rest.

The format writers report what they change or drop span by span (alignment, overlaps, notes,
merged annotators). What a format has *no place for at all* (statuses, metadata, titles, span
ids, edit times) is declared here, in one table, and reported for every document that holds it,
so that "Losses: none" is only said when the consumer gets everything back.

A format not in the table (a test's stand-in) is taken to carry everything.
"""

from __future__ import annotations

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

EVERYTHING = frozenset(
    (DOCUMENT_ID, TITLE, SOURCE, IMPORTED_AT, META, STATUS, SPAN_IDS, SPAN_TIMES)
)

#: Format -> what it carries. Document ids written only to ``provenance.json`` (CoNLL's file
#: order, brat's file names) count as carried: the provenance maps them back.
CARRIES: dict[str, frozenset[str]] = {
    "jsonl": EVERYTHING,
    "csv": EVERYTHING,
    "parquet": EVERYTHING,
    "spacy": frozenset((DOCUMENT_ID, TITLE, SPAN_IDS)),
    "conll": frozenset((DOCUMENT_ID,)),
    "hf": frozenset((DOCUMENT_ID, TITLE, SPAN_IDS)),
    "brat": frozenset((DOCUMENT_ID,)),
    "doccano": frozenset((DOCUMENT_ID, TITLE)),
    # Status: done work is an annotation, the rest a draft (the writer reports drafts); meta:
    # written into ``data`` (the writer reports a key it cannot write).
    "labelstudio": frozenset((DOCUMENT_ID, TITLE, SPAN_IDS, META, STATUS)),
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
    if spans and missing:
        losses.document(
            document.id,
            L.SPAN_FIELDS_NOT_CARRIED,
            f"{' and '.join(missing)} of {spans} span(s) are not in the format",
        )
