"""spaCy ``DocBin`` (``.spacy``), the training data ``spacy train`` reads.

Every span goes to ``doc.spans[span_key]`` (overlaps allowed); ``doc.ents`` gets the spans that
do not overlap, chosen as CoNLL chooses (longest, then earliest): each span left out of
``doc.ents`` is reported as ``overlap_not_in_ents``. A document imported from a DocBin gets its
spans back where they were (``spacy_memory``): an entity stays in ``doc.ents`` only, a span of a
group in that group, with its ``kb_id``, and ``doc.cats`` is restored. ``doc.user_data`` carries
the document id and title; each span's ``id_`` is its claimmark span id. Notes and annotator
names are not carried. Span and entity labels are the labels' imported names (``PER``, ``人名``)
or else their keys, so a DocBin import exported again gives back its labels.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from . import losses as L
from .context import ExportContext, ExportFormat
from .spacy_memory import Placement, SpacyMemory
from .tokenising import (
    align_spans,
    blank_pipeline,
    keep_non_overlapping,
    report_changed,
    report_document_losses,
)


@contextmanager
def _msgpack_encoders_resolved_once() -> Iterator[None]:
    """Resolve srsly's msgpack encoders once instead of once per document.

    ``DocBin(store_user_data=True)`` packs each document's ``user_data`` with srsly, which looks
    its encoders up through package entry points on every call: a scan of every installed
    package's metadata, about 1.5 ms, which doubled the time of a 10,000-document export. The
    encoders the scan finds are registered for the duration and the scan is switched off; both
    are undone afterwards, so srsly behaves exactly as before for everyone else.
    """
    import catalogue
    import srsly

    registry = srsly.msgpack_encoders
    if not registry.entry_points:
        yield
        return
    added = []
    for name, encoder in registry.get_entry_points().items():
        key = (*registry.namespace, name)
        if key not in catalogue.REGISTRY:
            catalogue.REGISTRY[key] = encoder
            added.append(key)
    registry.entry_points = False
    try:
        yield
    finally:
        registry.entry_points = True
        for key in added:
            catalogue.REGISTRY.pop(key, None)


def write(ctx: ExportContext) -> None:
    nlp = blank_pipeline(ctx.options.lang)  # first: it says how to install spaCy if it is missing
    with _msgpack_encoders_resolved_once():
        _write(ctx, nlp)


def _write(ctx: ExportContext, nlp) -> None:
    from spacy.tokens import DocBin, Span

    options = ctx.options
    names = ctx.label_names()
    for part in ctx.parts:
        docbin = DocBin(store_user_data=True)
        for selected in ctx.documents(part):
            document = selected.document
            doc = ctx.token_doc(nlp, document)
            doc.user_data["claimmark_document_id"] = document.id
            doc.user_data["claimmark_title"] = document.title
            aligned = align_spans(doc, selected.spans, options.align, ctx.losses)
            memory = SpacyMemory(document)
            groups: dict[str, list] = {options.span_key: []}
            candidates = []
            for item in aligned:
                report_changed(item, item.start, item.end, ctx.losses, f"--align {options.align}")
                label = names.get(item.span.label, item.span.label)
                placement = memory.placement(item.span, label) or Placement(
                    True, (options.span_key,)
                )
                for key in placement.groups:
                    span = Span(
                        doc,
                        item.token_start,
                        item.token_end,
                        label=label,
                        kb_id=placement.kb_id,
                    )
                    span.id_ = item.span.id
                    groups.setdefault(key, []).append(span)
                if placement.ents:
                    tokens = frozenset(range(item.token_start, item.token_end))
                    candidates.append((item, tokens, placement.kb_id))
            for key, group in groups.items():
                doc.spans[key] = group
            # doc.ents cannot overlap: keep what CoNLL keeps (longest, then earliest); the rest
            # stay in doc.spans only and are reported.
            kb_ids = {id(item): kb_id for item, _, kb_id in candidates}
            kept = keep_non_overlapping(
                [(item, tokens) for item, tokens, _ in candidates],
                ctx.losses,
                L.OVERLAP_NOT_IN_ENTS,
            )
            doc.ents = [
                Span(
                    doc,
                    item.token_start,
                    item.token_end,
                    label=names.get(item.span.label, item.span.label),
                    kb_id=kb_ids[id(item)],
                )
                for item, _ in kept
            ]
            if memory.cats:
                doc.cats = dict(memory.cats)
            report_document_losses(selected.spans, document.id, ctx.losses)
            docbin.add(doc)
        with ctx.staging.binary(ctx.staging.data_name(part, ".spacy")) as handle:
            handle.write(docbin.to_bytes())


FORMAT = ExportFormat(
    "spacy",
    ".spacy",
    write,
    needs_spacy=True,
    description="spaCy DocBin: doc.spans[KEY] + doc.ents (non-overlapping, longest first)",
)
