"""claimmark's native JSONL export: everything needed to rebuild the project's documents and spans.

Importing the output into an empty project reproduces the same documents (ids, titles, texts,
metadata, import times, statuses) and the same spans (ids, annotators, notes, times) exactly.

A label imported from another tool under a derived key (``人名`` stored as ``u4eba_u540d``) is
described by a ``{"label_definition": {...}}`` line before the documents, so its source name
(and display name, colour, description) survives the round trip and later exports still write
the name that came in. Files without such lines (older exports) read as before.

Attribute definitions follow as ``{"attribute_definition": {...}}`` lines, except claimmark's
defaults (every new project has them, and an import adds one a file's spans use when the
project lacks it), so the export of a project with the default schema has only documents; a span
carries ``"fragments": [[start, end], ...]`` when it is discontinuous (its ``start``/``end`` then
the first fragment's start and the last one's end, its ``text`` the whole stretch between) and
``"attributes": {...}`` when it has values. Both are left out otherwise, so a file of plain spans
is what it always was.

Every relation type the exported layers use is described by a
``{"relation_type_definition": {...}}`` line (key, name, colour, hotkey, description,
``from_labels``, ``to_labels``, source name), and a document's
relations ride on its line as ``"relations": [{"id", "type", "from", "to", "annotator",
"created_at"}]``, ``from``/``to`` naming span ids of the same line. A relation is exported when
both its spans are (a label or annotator filter can leave one out).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TextIO

from ..attributes import AttributeDefinition
from ..label_schema import default_attributes
from ..model import Document, Label, Relation, RelationType, Span, fragments_json
from ..project import Project
from ..relation_type_store import relation_type_dict


@dataclass
class ExportSummary:
    documents: int = 0
    spans: int = 0


def document_record(
    project: Project,
    document: Document,
    spans: Sequence[Span],
    statuses,
    relations: Sequence[Relation] = (),
) -> dict:
    record = {
        "id": document.id,
        "title": document.title,
        "text": document.text,
        "sha256": document.sha256,
        "source": document.source,
        "meta": document.meta,
        "imported_at": document.imported_at,
        "status": statuses,
        "spans": [span_record(s) for s in spans],
    }
    if relations:
        record["relations"] = [
            {
                "id": r.id,
                "type": r.type,
                "from": r.from_span,
                "to": r.to_span,
                "annotator": r.annotator,
                "created_at": r.created_at,
            }
            for r in relations
        ]
    return record


def span_record(s: Span) -> dict:
    record = {
        "id": s.id,
        "start": s.start,
        "end": s.end,
        "label": s.label,
        "text": s.text,
        "annotator": s.annotator,
        "note": s.note,
        "created_at": s.created_at,
        "updated_at": s.updated_at,
    }
    if s.fragments is not None:
        record["fragments"] = fragments_json(s.fragments)
    if s.attributes:
        record["attributes"] = s.attributes.as_json()
    return record


#: Characters that str.splitlines() and some JSONL readers treat as line breaks although JSON
#: allows them raw inside strings; escaped so a document can never be split across lines.
_LINE_BREAKERS = (("\u2028", "\\u2028"), ("\u2029", "\\u2029"), ("\x85", "\\u0085"))


def json_line(record: dict) -> str:
    line = json.dumps(record, ensure_ascii=False)
    for char, escape in _LINE_BREAKERS:
        if char in line:  # a C-speed scan; rare, so the replace seldom runs
            line = line.replace(char, escape)
    return line + "\n"


#: The key of a line that describes a label instead of a document.
LABEL_DEFINITION = "label_definition"


def label_definition_record(label: Label) -> dict:
    return {
        LABEL_DEFINITION: {
            "key": label.key,
            "name": label.name,
            "color": label.color,
            "description": label.description,
            "source_name": label.source_name,
        }
    }


#: The key of a line that describes one attribute of a label.
ATTRIBUTE_DEFINITION = "attribute_definition"


def attribute_definition_record(definition: AttributeDefinition) -> dict:
    return {ATTRIBUTE_DEFINITION: definition.as_json()}


#: The key of a line that describes a relation type.
RELATION_TYPE_DEFINITION = "relation_type_definition"


def relation_type_definition_record(relation_type: RelationType) -> dict:
    return {RELATION_TYPE_DEFINITION: relation_type_dict(relation_type)}


def write_jsonl(
    project: Project,
    out: TextIO,
    *,
    annotators: Sequence[str] = (),
    labels: Sequence[str] = (),
    documents: Sequence[str] = (),
    on_document: Callable[[Document, Sequence[Span]], None] | None = None,
) -> ExportSummary:
    """One JSON line per document; ``on_document`` is told after each line (for progress).

    An empty ``documents`` means every document.
    """
    summary = ExportSummary()
    for label in project.labels():
        if label.source_name and (not labels or label.key in labels):
            out.write(json_line(label_definition_record(label)))
    defaults = default_attributes()
    for definition in project.attribute_definitions():
        if definition not in defaults and (not labels or definition.label in labels):
            out.write(json_line(attribute_definition_record(definition)))
    used = set(project.relation_store.counts_by_type(annotators or None))
    for relation_type in project.relation_types():
        if relation_type.key in used:
            out.write(json_line(relation_type_definition_record(relation_type)))
    batch: list[Document] = []
    for document in project.iter_documents(documents or None):
        batch.append(document)
        if len(batch) == _BATCH:
            _write_batch(project, out, batch, annotators, labels, on_document, summary)
            batch = []
    _write_batch(project, out, batch, annotators, labels, on_document, summary)
    return summary


#: Documents whose spans and statuses are read together: a query per document each cost as
#: much as the JSON encoding of a ten-thousand-document export.
_BATCH = 200


def _write_batch(
    project: Project,
    out: TextIO,
    batch: list[Document],
    annotators: Sequence[str],
    labels: Sequence[str],
    on_document: Callable[[Document, Sequence[Span]], None] | None,
    summary: ExportSummary,
) -> None:
    ids = [document.id for document in batch]
    spans_of = project.spans_by_document(ids, annotators=annotators, labels=labels)
    statuses_of = project.statuses_by_document(ids)
    relations_of = project.relations_by_document(ids, annotators=annotators or None)
    for document in batch:
        spans = spans_of[document.id]
        statuses = statuses_of[document.id]
        if annotators:
            statuses = {a: s for a, s in statuses.items() if a in annotators}
        exported = {span.id for span in spans}
        relations = [
            r
            for r in relations_of[document.id]
            if r.from_span in exported and r.to_span in exported
        ]
        record = document_record(project, document, spans, statuses, relations)
        out.write(json_line(record))
        summary.documents += 1
        summary.spans += len(spans)
        if on_document is not None:
            on_document(document, spans)
