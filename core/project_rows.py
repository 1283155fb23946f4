"""Converting between the project file's rows and claimmark's values; used only by Project."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from typing import Any

from .model import (
    NO_ATTRIBUTES,
    SPAN_FIELDS,
    AttributeValues,
    Document,
    DocumentId,
    Label,
    Span,
    fragments_json,
)


def integrity_message(exc: sqlite3.IntegrityError) -> str:
    text = str(exc)
    if "UNIQUE constraint failed: spans.id" in text:
        return "a span with this id already exists in the project"
    if "UNIQUE" in text and "spans" in text:
        return "an identical span (same document, annotator, label and offsets) already exists"
    if "FOREIGN KEY" in text:
        return "the span refers to a document, label or annotator that does not exist"
    return text


#: One encoder for every JSON column: ``json.dumps`` with options builds a new one per call,
#: and an import writes one event per document.
_JSON = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def to_json(value: Any) -> str | None:
    if value is None:
        return None
    return _JSON.encode(value)


def from_json(value: str | None) -> Any:
    return None if value is None else json.loads(value)


def document_from_row(row: Sequence[Any]) -> Document:
    i, title, text, sha, source, meta, imported_at = row
    return Document(DocumentId(i), title, text, sha, source, json.loads(meta), imported_at)


#: The span table's columns and their named parameters, from the one declaration of a span.
SPAN_COLUMNS = ", ".join(f'"{name}"' for name in SPAN_FIELDS)
SPAN_PARAMETERS = ", ".join(f":{name}" for name in SPAN_FIELDS)


def span_as_row(span: Span) -> dict[str, Any]:
    """The span as named parameters for its table's columns."""
    row = {name: getattr(span, name) for name in SPAN_FIELDS}
    row["fragments"] = fragments_row(span.fragments)
    row["attributes"] = attributes_row(span.attributes)
    return row


def fragments_row(fragments: tuple[tuple[int, int], ...] | None) -> str | None:
    return None if fragments is None else _JSON.encode(fragments_json(fragments))


#: What the ``attributes`` column holds for a span without any (its default).
EMPTY_ATTRIBUTES = "{}"


def attributes_row(values: AttributeValues) -> str:
    return _JSON.encode(values.as_json()) if values else EMPTY_ATTRIBUTES


def fragments_from_row(value: str | None) -> tuple[tuple[int, int], ...] | None:
    return None if value is None else tuple((s, e) for s, e in json.loads(value))


def attributes_from_row(value: str) -> AttributeValues:
    return NO_ATTRIBUTES if value == EMPTY_ATTRIBUTES else AttributeValues(json.loads(value))


def span_from_row(row: Sequence[Any]) -> Span:
    """A span from its columns in ``SPAN_FIELDS`` order (the JSON columns decoded)."""
    span_id, document_id, label, start, end, text, annotator, note, created, updated = row[:10]
    fragments, attributes = row[10], row[11]
    return Span(
        span_id,
        document_id,
        label,
        start,
        end,
        text,
        annotator,
        note,
        created,
        updated,
        fragments=fragments_from_row(fragments),
        attributes=attributes_from_row(attributes),
    )


def label_dict(label: Label) -> dict[str, Any]:
    return {
        "key": label.key,
        "name": label.name,
        "color": label.color,
        "hotkey": label.hotkey,
        "description": label.description,
        "source_name": label.source_name,
    }
