"""Spans and documents as flat tables (CSV, Parquet) for pandas, Datasette and spreadsheets.

Two tables per part: ``spans`` (one row per span) and ``documents`` (one row per document). They
carry everything the project holds about both, so nothing is lost: offsets are code points into
``documents.text`` (``text[start:end] == span text``), ``meta`` and ``status`` (annotator ->
status) are JSON strings. Label display names come from the schema. A span's ``fragments``
(a discontinuous span's ``[[start, end], ...]``, empty for a usual span), ``attributes`` (an
object) and ``relations`` (the relations from it: ``[{"id", "type", "to", "created_at"}]``,
``to`` a span id of the same document) are JSON strings too, so nothing is lost.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

from .context import ExportContext
from .selection import SelectedDocument

SPAN_COLUMNS = (
    ("document_id", "string"),
    ("title", "string"),
    ("span_id", "string"),
    ("label", "string"),
    ("label_name", "string"),
    ("start", "int64"),
    ("end", "int64"),
    ("text", "string"),
    ("annotator", "string"),
    ("note", "string"),
    ("created_at", "string"),
    ("updated_at", "string"),
    ("fragments", "string"),
    ("attributes", "string"),
    ("relations", "string"),
)

DOCUMENT_COLUMNS = (
    ("document_id", "string"),
    ("title", "string"),
    ("text", "string"),
    ("length", "int64"),
    ("sha256", "string"),
    ("source", "string"),
    ("meta", "string"),
    ("imported_at", "string"),
    ("status", "string"),
    ("span_count", "int64"),
)

#: A writer of one table: called with the rows as they come, in batches.
TableSink = Callable[[list[dict[str, Any]]], None]


def span_rows(selected: SelectedDocument, label_names: dict[str, str]) -> list[dict[str, Any]]:
    document = selected.document
    outgoing: dict[str, list[dict[str, str]]] = {}
    for r in selected.relations:
        outgoing.setdefault(r.from_span, []).append(
            {"id": r.id, "type": r.type, "to": r.to_span, "created_at": r.created_at}
        )
    return [
        {
            "document_id": document.id,
            "title": document.title,
            "span_id": span.id,
            "label": span.label,
            "label_name": label_names.get(span.label, span.label),
            "start": span.start,
            "end": span.end,
            "text": span.text,
            "annotator": span.annotator,
            "note": span.note,
            "created_at": span.created_at,
            "updated_at": span.updated_at,
            "fragments": _json([list(p) for p in span.fragments]) if span.fragments else "",
            "attributes": _json(span.attributes.as_json()),
            "relations": _json(outgoing.get(span.id, [])),
        }
        for span in selected.spans
    ]


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def document_row(selected: SelectedDocument) -> dict[str, Any]:
    document = selected.document
    return {
        "document_id": document.id,
        "title": document.title,
        "text": document.text,
        "length": len(document.text),
        "sha256": document.sha256,
        "source": document.source,
        "meta": json.dumps(document.meta, ensure_ascii=False, sort_keys=True),
        "imported_at": document.imported_at,
        "status": json.dumps(selected.statuses, ensure_ascii=False, sort_keys=True),
        "span_count": len(selected.spans),
    }


def table_names(part: str | None, extension: str) -> tuple[str, str]:
    """File names of a part's spans and documents tables inside the export folder."""
    prefix = f"{part}." if part else ""
    return f"{prefix}spans{extension}", f"{prefix}documents{extension}"


def write_tables(
    ctx: ExportContext,
    extension: str,
    open_tables: Callable[[str, str], Any],
    batch: int = 1000,
) -> None:
    """Fill each part's two tables. ``open_tables(spans_name, documents_name)`` is a context
    manager giving ``(span_sink, document_sink)``."""
    label_names: dict[str, str] = {label.key: label.name for label in ctx.project.labels()}
    for part in ctx.parts:
        spans_name, documents_name = table_names(part, extension)
        with open_tables(spans_name, documents_name) as (span_sink, document_sink):
            spans: list[dict[str, Any]] = []
            documents: list[dict[str, Any]] = []
            for selected in ctx.documents(part):
                spans.extend(span_rows(selected, label_names))
                documents.append(document_row(selected))
                if len(spans) >= batch or len(documents) >= batch:
                    _flush(span_sink, spans)
                    _flush(document_sink, documents)
            _flush(span_sink, spans, final=True)
            _flush(document_sink, documents, final=True)


def _flush(sink: TableSink, rows: list[dict[str, Any]], *, final: bool = False) -> None:
    if rows or final:
        sink(list(rows))
        rows.clear()


def column_names(columns: Iterable[tuple[str, str]]) -> list[str]:
    return [name for name, _ in columns]
