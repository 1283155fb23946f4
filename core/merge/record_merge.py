"""The records half of merging a file: documents, then each one's spans, relations and statuses.

Read a batch of documents at a time (with their spans, relations and statuses in a few queries).
What is compared, and what wins:

* a document is the same when its text is (SHA-256), whatever its id; a different text under an
  id the project uses already is kept under ``<id>-<first 8 hex digits of its SHA-256>``
  (longer if even that is taken), the same whichever file or order it comes in;
* a span or relation is the same when every field is (its document by text); the same id with
  other content is a conflict and the project's is kept, never overwritten; so is the same span
  (layer, label, offsets) under another id; one the project cannot store (attributes its
  definitions refuse, a relation whose span stayed out) is reported and left out;
* statuses: ``done`` wins over ``in_progress`` (``winning_status``), whatever the order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace

from ..document_store import text_sha256
from ..model import (
    RELATION_FIELDS,
    SPAN_FIELDS,
    ClaimmarkError,
    Document,
    DocumentId,
    Relation,
    Span,
)
from ..project import Project
from ..status_store import StatusRecord
from .context import MergeContext, differing

#: Documents read from a source (with their spans, relations and statuses) per batch.
BATCH = 200

#: Called after each document merged (for progress, and where Cancel may stop the file).
DocumentDone = Callable[[], None]

#: Statuses by how far along they are: of two different ones, the further wins.
_STATUS_RANK = {"in_progress": 1, "done": 2}


def winning_status(a: str, b: str) -> str:
    """The status a merge keeps when two files disagree about one annotator's document.

    ``done`` beats ``in_progress``: the rule must not depend on which file comes first (the
    files' clocks are not comparable), and a document someone finished in any copy is one they
    finished.
    """
    return max(a, b, key=lambda status: (_STATUS_RANK.get(status, 0), status))


def free_document_id(project: Project, document_id: str, sha256: str) -> str:
    """``document_id`` if the project does not use it, else one derived from the text's hash."""
    if not project.has_document(document_id):
        return document_id
    for digits in (8, 16, 64):
        candidate = f"{document_id}-{sha256[:digits]}"
        if not project.has_document(candidate):
            return candidate
    raise AssertionError("a document id with the text's whole hash cannot be taken by another")


def merge_records(ctx: MergeContext, document_done: DocumentDone) -> None:
    for batch in _batches(ctx.source.project.iter_documents()):
        _documents(ctx, batch, document_done)


def _batches(documents: Iterator[Document]) -> Iterator[list[Document]]:
    batch: list[Document] = []
    for document in documents:
        batch.append(document)
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _documents(ctx: MergeContext, documents: list[Document], document_done: DocumentDone) -> None:
    ids = [document.id for document in documents]
    source = ctx.source.project
    spans = source.spans_by_document(ids)
    relations = source.relations_by_document(ids)
    statuses: dict[str, list[StatusRecord]] = {i: [] for i in ids}
    for record in source.status_store.records(ids):
        statuses[record.document_id].append(record)
    known_spans = ctx.team.span_store.get_many([s.id for f in spans.values() for s in f])
    known_relations = ctx.team.relation_store.get_many(
        [r.id for f in relations.values() for r in f]
    )
    for document in documents:
        target = _document(ctx, document)
        _spans(ctx, spans[document.id], target, known_spans)
        _relations(ctx, relations[document.id], target, known_relations)
        _statuses(ctx, statuses[document.id], target)
        document_done()


def _document(ctx: MergeContext, document: Document) -> DocumentId:
    """The project's id of the document's text, bringing the document in if it is new."""
    sha256 = text_sha256(document.text)  # not the stored one: an unverified file may lie
    found = ctx.team.document_id_for_sha256(sha256)
    if found is not None:
        ctx.summary.documents_present += 1
        return found
    target = free_document_id(ctx.team, document.id, sha256)
    if target != document.id:
        ctx.conflict(
            f"document {document.id}",
            f"{ctx.team_name} holds another text under this id: its text is kept as"
            f" document {target}",
            document.id,
            kept_as=target,
        )
    ctx.team.merge_store.add_document(document, target, by=ctx.by, merged_from=ctx.merged_from)
    ctx.summary.documents_new += 1
    return DocumentId(target)


def _same_id_conflict(
    ctx: MergeContext,
    what: str,
    mine: Span | Relation,
    incoming: Span | Relation,
    names: tuple[str, ...],
) -> None:
    differ = differing(mine, incoming, names)
    ctx.conflict(
        f"{what} {incoming.id}",
        f"the same {what} id with other content ({', '.join(differ)}):"
        f" {ctx.team_name} keeps its own",
        incoming.id,
        document=incoming.document_id,
        differs=differ,
    )


def _not_stored(
    ctx: MergeContext, what: str, incoming: Span | Relation, exc: ClaimmarkError
) -> None:
    ctx.conflict(
        f"{what} {incoming.id}",
        f"cannot be stored in {ctx.team_name} ({exc}): not merged",
        incoming.id,
        document=incoming.document_id,
    )


def _spans(
    ctx: MergeContext, spans: list[Span], document_id: DocumentId, known: dict[str, Span]
) -> None:
    extents = {(s.annotator, s.start, s.end, s.label): s.id for s in ctx.team.spans(document_id)}
    for span in spans:
        incoming = replace(span, document_id=document_id)
        mine = known.get(span.id)
        if mine is not None:
            if mine == incoming:
                ctx.summary.spans_present += 1
            else:
                _same_id_conflict(ctx, "span", mine, incoming, SPAN_FIELDS)
            continue
        extent = (span.annotator, span.start, span.end, span.label)
        if extent in extents:
            ctx.conflict(
                f"span {span.id}",
                f"{ctx.team_name} holds the same {span.label} span of {span.annotator}"
                f" at {span.start}-{span.end} as span {extents[extent]}: keeps that one",
                span.id,
                document=document_id,
                kept=extents[extent],
            )
            continue
        try:
            ctx.team.merge_store.add_span(incoming, by=ctx.by, merged_from=ctx.merged_from)
        except ClaimmarkError as exc:  # its attributes break this project's definitions
            _not_stored(ctx, "span", incoming, exc)
            continue
        known[span.id] = incoming
        extents[extent] = span.id
        ctx.summary.spans_added += 1


def _relations(
    ctx: MergeContext,
    relations: list[Relation],
    document_id: DocumentId,
    known: dict[str, Relation],
) -> None:
    for relation in relations:
        incoming = replace(relation, document_id=document_id)
        mine = known.get(relation.id)
        if mine is not None:
            if mine == incoming:
                ctx.summary.relations_present += 1
            else:
                _same_id_conflict(ctx, "relation", mine, incoming, RELATION_FIELDS)
            continue
        try:
            ctx.team.merge_store.add_relation(incoming, by=ctx.by, merged_from=ctx.merged_from)
        except ClaimmarkError as exc:  # a span of it stayed out, or the types here refuse it
            _not_stored(ctx, "relation", incoming, exc)
            continue
        known[relation.id] = incoming
        ctx.summary.relations_added += 1


def _statuses(ctx: MergeContext, records: list[StatusRecord], document_id: DocumentId) -> None:
    here = ctx.team.statuses(document_id)
    for record in records:
        record = replace(record, document_id=document_id)
        mine = here.get(record.annotator)
        if mine == record.status:
            ctx.summary.statuses_present += 1
            continue
        if mine is not None:
            kept = winning_status(mine, record.status)
            ctx.conflict(
                f"status of document {document_id} for {record.annotator}",
                f"{record.status} there, {mine} in {ctx.team_name}:"
                f" {kept} kept (done wins over in progress)",
                record.annotator,
                document=document_id,
                kept=kept,
            )
            if kept == mine:
                continue
        ctx.team.merge_store.set_status(record, before=mine, by=ctx.by, merged_from=ctx.merged_from)
        ctx.summary.statuses_added += 1
