"""Bringing one source file's records into the project, in one transaction.

Labels and layers come first (spans and statuses refer to them), then documents with their
spans and statuses, a batch of documents at a time. What is compared, and what wins:

* a document is the same when its text is (SHA-256), whatever its id; a different text under
  an id the project uses already is kept under ``<id>-<first 8 hex digits of its SHA-256>``
  (longer if even that is taken), the same whichever file or order it comes in;
* a span is the same when every field is (its document by text); the same id with other
  content, or the same layer, label and offsets under another id, is a conflict and the
  project's span is kept;
* a label or layer missing here is added; the same key with another name or colour, or the
  same layer name with another kind, is a conflict and the project's is kept;
* statuses: ``done`` wins over ``in_progress`` (see ``winning_status``), so the result does
  not depend on the order files are merged in.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any

from ..document_store import text_sha256
from ..event_kinds import EventKind
from ..model import (
    RELATION_FIELDS,
    SPAN_FIELDS,
    ClaimmarkError,
    Document,
    DocumentId,
    InvariantError,
    Relation,
    Span,
)
from ..project import Project
from ..relation_type_store import relation_type_dict
from ..status_store import StatusRecord
from .source import Source
from .summary import Conflict, SourceSummary

#: Documents read from a source (with their spans and statuses) per batch.
BATCH = 200

#: Called with how many documents are done, after each document.
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


class FileMerge:
    def __init__(
        self,
        team: Project,
        source: Source,
        summary: SourceSummary,
        *,
        by: str,
        team_name: str,
        document_done: DocumentDone,
    ) -> None:
        self.team = team
        self.source = source
        self.summary = summary
        self.by = by
        self.team_name = team_name
        self._document_done = document_done
        self._from = {"file": source.name}
        self._store = team.merge_store

    def run(self) -> None:
        """Everything the file holds, in the caller's transaction."""
        self._labels()
        self._attributes()
        self._relation_types()
        self._layers()
        for batch in self._document_batches():
            self._documents(batch)

    # ------------------------------------------------------------------ conflicts
    def _conflict(self, record: str, detail: str, subject: str, **kw: Any) -> None:
        conflict = Conflict(str(self.source.path), record, detail)
        self.summary.conflicts.append(conflict)
        after = {"file": self.source.name, "record": record, "detail": detail, **kw}
        self._store.record(
            EventKind.MERGE_CONFLICT,
            by=self.by,
            subject=subject,
            after=after,
            document_id=kw.get("document"),
        )

    # ------------------------------------------------------------------ labels and layers
    def _labels(self) -> None:
        here = {label.key: label for label in self.team.labels()}
        hotkeys = {label.hotkey: label.key for label in here.values() if label.hotkey}
        names = {label.source_name: label.key for label in here.values() if label.source_name}
        for label in self.source.project.labels():
            mine = here.get(label.key)
            if mine is not None:
                if (mine.name, mine.color) == (label.name, label.color):
                    self.summary.labels_present += 1
                else:
                    self._conflict(
                        f"label {label.key}",
                        f"named {label.name!r}, colour {label.color} there;"
                        f" {self.team_name} keeps {mine.name!r}, colour {mine.color}",
                        label.key,
                        incoming={"name": label.name, "color": label.color},
                    )
                continue
            if label.hotkey and label.hotkey in hotkeys:
                self._conflict(
                    f"label {label.key}",
                    f"its hotkey {label.hotkey!r} is label {hotkeys[label.hotkey]!r}'s in"
                    f" {self.team_name}: added without a hotkey",
                    label.key,
                )
                label = replace(label, hotkey=None)
            if label.source_name and label.source_name in names:
                self._conflict(
                    f"label {label.key}",
                    f"its imported name {label.source_name!r} stands for label"
                    f" {names[label.source_name]!r} in {self.team_name}: added without it",
                    label.key,
                )
                label = replace(label, source_name=None)
            self._store.add_label(label, by=self.by, merged_from=self._from)
            here[label.key] = label
            if label.hotkey:
                hotkeys[label.hotkey] = label.key
            if label.source_name:
                names[label.source_name] = label.key
            self.summary.labels_added += 1

    def _attributes(self) -> None:
        here = {(d.label, d.name): d for d in self.team.attribute_definitions()}
        for definition in self.source.project.attribute_definitions():
            mine = here.get((definition.label, definition.name))
            if mine is None:
                self._store.add_attribute(definition, by=self.by, merged_from=self._from)
                self.summary.attributes_added += 1
            elif mine.as_json() != definition.as_json():
                differ = [k for k, v in definition.as_json().items() if mine.as_json()[k] != v]
                self._conflict(
                    f"attribute {definition.label}.{definition.name}",
                    f"defined otherwise there ({', '.join(differ)}): {self.team_name} keeps"
                    f" its definition ({mine.rule})",
                    f"{definition.label}.{definition.name}",
                    incoming=definition.as_json(),
                )
            else:
                self.summary.attributes_present += 1

    def _relation_types(self) -> None:
        here = {t.key: t for t in self.team.relation_types()}
        hotkeys = {t.hotkey: t.key for t in here.values() if t.hotkey}
        names = {t.source_name: t.key for t in here.values() if t.source_name}
        for relation_type in self.source.project.relation_types():
            key = relation_type.key
            mine = here.get(key)
            if mine is not None:
                theirs = relation_type_dict(relation_type)
                differ = [k for k, v in relation_type_dict(mine).items() if theirs[k] != v]
                if differ:
                    self._conflict(
                        f"relation type {key}",
                        f"defined otherwise there ({', '.join(differ)}):"
                        f" {self.team_name} keeps its own",
                        key,
                        incoming=theirs,
                    )
                else:
                    self.summary.relation_types_present += 1
                continue
            if relation_type.hotkey and relation_type.hotkey in hotkeys:
                self._conflict(
                    f"relation type {key}",
                    f"its hotkey {relation_type.hotkey!r} is relation type"
                    f" {hotkeys[relation_type.hotkey]!r}'s in {self.team_name}:"
                    " added without a hotkey",
                    key,
                )
                relation_type = replace(relation_type, hotkey=None)
            if relation_type.source_name and relation_type.source_name in names:
                self._conflict(
                    f"relation type {key}",
                    f"its imported name {relation_type.source_name!r} stands for relation type"
                    f" {names[relation_type.source_name]!r} in {self.team_name}: added without it",
                    key,
                )
                relation_type = replace(relation_type, source_name=None)
            self._store.add_relation_type(relation_type, by=self.by, merged_from=self._from)
            here[key] = relation_type
            if relation_type.hotkey:
                hotkeys[relation_type.hotkey] = key
            if relation_type.source_name:
                names[relation_type.source_name] = key
            self.summary.relation_types_added += 1

    def _layers(self) -> None:
        here = {layer.name: layer.kind for layer in self.team.layers()}
        for layer in self.source.project.layers():
            kind = here.get(layer.name)
            if kind is None:
                self._store.add_layer(layer.name, layer.kind, by=self.by, merged_from=self._from)
                here[layer.name] = layer.kind
                self.summary.layers_added += 1
            elif kind != layer.kind:
                self._conflict(
                    f"layer {layer.name}",
                    f"a {layer.kind} layer there; {self.team_name} keeps it a {kind} layer",
                    layer.name,
                )
            else:
                self.summary.layers_present += 1

    # ------------------------------------------------------------------ documents
    def _document_batches(self) -> Iterator[list[Document]]:
        batch: list[Document] = []
        for document in self.source.project.iter_documents():
            batch.append(document)
            if len(batch) == BATCH:
                yield batch
                batch = []
        if batch:
            yield batch

    def _documents(self, documents: list[Document]) -> None:
        ids = [document.id for document in documents]
        source = self.source.project
        spans = source.spans_by_document(ids)
        statuses: dict[str, list[StatusRecord]] = {i: [] for i in ids}
        for record in source.status_store.records(ids):
            statuses[record.document_id].append(record)
        relations = source.relations_by_document(ids)
        span_ids = [span.id for found in spans.values() for span in found]
        known = self.team.span_store.get_many(span_ids)
        relation_ids = [r.id for found in relations.values() for r in found]
        known_relations = self.team.relation_store.get_many(relation_ids)
        for document in documents:
            target = self._document(document)
            self._spans(spans[document.id], target, known)
            self._relations(relations[document.id], target, known_relations)
            self._statuses(statuses[document.id], target)
            self._document_done()

    def _document(self, document: Document) -> DocumentId:
        """The project's id of the document's text, bringing the document in if it is new."""
        sha256 = text_sha256(document.text)  # not the stored one: an unverified file may lie
        found = self.team.document_id_for_sha256(sha256)
        if found is not None:
            self.summary.documents_present += 1
            return found
        target = free_document_id(self.team, document.id, sha256)
        if target != document.id:
            self._conflict(
                f"document {document.id}",
                f"{self.team_name} holds another text under this id: its text is kept as"
                f" document {target}",
                document.id,
                kept_as=target,
            )
        self._store.add_document(document, target, by=self.by, merged_from=self._from)
        self.summary.documents_new += 1
        return DocumentId(target)

    def _spans(self, spans: list[Span], document_id: DocumentId, known: dict[str, Span]) -> None:
        here = self.team.spans(document_id)
        by_extent = {(s.annotator, s.start, s.end, s.label): s.id for s in here}
        for span in spans:
            incoming = replace(span, document_id=document_id)
            mine = known.get(span.id)
            if mine is not None:
                if mine == incoming:
                    self.summary.spans_present += 1
                else:
                    differ = [n for n in SPAN_FIELDS if getattr(mine, n) != getattr(incoming, n)]
                    self._conflict(
                        f"span {span.id}",
                        f"the same span id with other content ({', '.join(differ)}):"
                        f" {self.team_name} keeps its own",
                        span.id,
                        document=document_id,
                        differs=differ,
                    )
                continue
            extent = (span.annotator, span.start, span.end, span.label)
            if extent in by_extent:
                self._conflict(
                    f"span {span.id}",
                    f"{self.team_name} holds the same {span.label} span of {span.annotator}"
                    f" at {span.start}-{span.end} as span {by_extent[extent]}: keeps that one",
                    span.id,
                    document=document_id,
                    kept=by_extent[extent],
                )
                continue
            try:
                self._store.add_span(incoming, by=self.by, merged_from=self._from)
            except InvariantError as exc:  # its attributes break this project's definitions
                self._conflict(
                    f"span {span.id}",
                    f"cannot be stored in {self.team_name} ({exc}): not merged",
                    span.id,
                    document=document_id,
                )
                continue
            known[span.id] = incoming
            by_extent[extent] = span.id
            self.summary.spans_added += 1

    def _relations(
        self, relations: list[Relation], document_id: DocumentId, known: dict[str, Relation]
    ) -> None:
        """Relations after their spans; a relation whose span stayed out (a conflict) or that
        breaks this project's relation types is reported, not merged."""
        for relation in relations:
            incoming = replace(relation, document_id=document_id)
            mine = known.get(relation.id)
            if mine is not None:
                if mine == incoming:
                    self.summary.relations_present += 1
                else:
                    differ = [
                        n for n in RELATION_FIELDS if getattr(mine, n) != getattr(incoming, n)
                    ]
                    self._conflict(
                        f"relation {relation.id}",
                        f"the same relation id with other content ({', '.join(differ)}):"
                        f" {self.team_name} keeps its own",
                        relation.id,
                        document=document_id,
                        differs=differ,
                    )
                continue
            try:
                self._store.add_relation(incoming, by=self.by, merged_from=self._from)
            except ClaimmarkError as exc:
                self._conflict(
                    f"relation {relation.id}",
                    f"cannot be stored in {self.team_name} ({exc}): not merged",
                    relation.id,
                    document=document_id,
                )
                continue
            known[relation.id] = incoming
            self.summary.relations_added += 1

    def _statuses(self, records: list[StatusRecord], document_id: DocumentId) -> None:
        here = self.team.statuses(document_id)
        for record in records:
            record = replace(record, document_id=document_id)
            mine = here.get(record.annotator)
            if mine == record.status:
                self.summary.statuses_present += 1
                continue
            if mine is not None:
                kept = winning_status(mine, record.status)
                self._conflict(
                    f"status of document {document_id} for {record.annotator}",
                    f"{record.status} there, {mine} in {self.team_name}:"
                    f" {kept} kept (done wins over in progress)",
                    record.annotator,
                    document=document_id,
                    kept=kept,
                )
                if kept == mine:
                    continue
            self._store.set_status(record, before=mine, by=self.by, merged_from=self._from)
            self.summary.statuses_added += 1
