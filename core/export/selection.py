"""Which documents and spans an export carries, and how documents are split into parts.

Filters: annotators and labels select spans; documents and statuses select documents. A split
assigns whole documents to parts, so a document never appears in two parts.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from ..model import Document, Relation, Span
from ..project import Project
from .errors import ExportError
from .options import ExportOptions


@dataclass(frozen=True, slots=True)
class SelectedDocument:
    document: Document
    #: The filtered spans, ordered by (start, end, label, annotator, id) so outputs are stable.
    spans: tuple[Span, ...]
    #: annotator -> status, restricted to the selected annotators when some are given.
    statuses: dict[str, str]
    #: The relations between the selected spans (a relation to a span filtered out is left out
    #: with it), oldest first.
    relations: tuple[Relation, ...] = ()

    @property
    def annotators(self) -> list[str]:
        return sorted({span.annotator for span in self.spans})


def select_document_ids(project: Project, options: ExportOptions) -> list[str]:
    """Ids of the documents to export, in import order (or in the order given by --document)."""
    if options.documents:
        missing = [d for d in options.documents if not project.has_document(d)]
        if missing:
            raise ExportError(f"no document with id {missing[0]!r}")
        ids = list(dict.fromkeys(options.documents))
    else:
        ids = list(project.document_ids())
    if options.statuses:
        wanted = set(options.statuses)
        ids = [d for d in ids if _status_names(project.statuses(d), options.annotators) & wanted]
    return ids


def _status_names(statuses: dict[str, str], annotators: Sequence[str]) -> set[str]:
    """The statuses a document has for the given annotators (or for anyone): a document nobody
    (of them) has a status for is ``not_started``."""
    if annotators:
        values = {statuses.get(a) for a in annotators}
    else:
        values = set(statuses.values()) or {None}
    return {value or "not_started" for value in values}


def _span_order(span: Span) -> tuple:
    return (span.start, span.end, span.label, span.annotator, span.id)


def load_selected_batch(
    project: Project, document_ids: Sequence[str], options: ExportOptions
) -> list[SelectedDocument]:
    """The documents with their filtered spans and statuses: three queries per few hundred
    documents, not three each."""
    spans_of = project.spans_by_document(
        document_ids, annotators=options.annotators, labels=options.labels
    )
    statuses_of = project.statuses_by_document(document_ids)
    relations_of = project.relations_by_document(document_ids, annotators=options.annotators)
    selected = []
    for document in project.iter_documents(document_ids):
        spans = sorted(spans_of[document.id], key=_span_order)
        statuses = statuses_of[document.id]
        if options.annotators:
            statuses = {a: s for a, s in statuses.items() if a in options.annotators}
        ids = {span.id for span in spans}
        relations = tuple(
            r for r in relations_of[document.id] if r.from_span in ids and r.to_span in ids
        )
        selected.append(SelectedDocument(document, tuple(spans), statuses, relations))
    return selected


def assign_parts(
    ids: Sequence[str], split: Sequence[tuple[str, float]], seed: int
) -> dict[str, list[str]]:
    """Split document ids into parts of the asked sizes, reproducibly.

    The ids are sorted, shuffled with ``random.Random(seed)`` (deterministic across runs and
    platforms for an int seed), then cut into consecutive runs whose sizes are the fractions
    rounded by largest remainder (so sizes add up exactly). Inside a part, documents keep their
    export order. Same project selection + same seed = same split.
    """
    shuffled = sorted(ids)
    random.Random(seed).shuffle(shuffled)
    sizes = _part_sizes(len(shuffled), [fraction for _, fraction in split])
    assignment: dict[str, str] = {}
    at = 0
    for (name, _), size in zip(split, sizes, strict=True):
        for document_id in shuffled[at : at + size]:
            assignment[document_id] = name
        at += size
    parts: dict[str, list[str]] = {name: [] for name, _ in split}
    for document_id in ids:
        parts[assignment[document_id]].append(document_id)
    return parts


def _part_sizes(total: int, fractions: Sequence[float]) -> list[int]:
    exact = [total * f for f in fractions]
    sizes = [int(x) for x in exact]
    by_remainder = sorted(range(len(exact)), key=lambda i: (-(exact[i] - sizes[i]), i))
    for i in by_remainder[: total - sum(sizes)]:
        sizes[i] += 1
    return sizes
