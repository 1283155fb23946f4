"""The ``document_imported`` event's record of a document's spans: one JSON array per span.

An import writes one event per document, carrying every span it created (the audit trail must
prove them). Written as objects, ``{"annotator": ..., "end": ..., "id": ..., ...}`` per span,
encoding them with sorted keys was a tenth of a 10,000-document import and their keys a third of
the event's size. Since December 2026 the event names its span fields once, in ``span_fields``,
and records each span as an array of values in that order: ``[id, label, start, end,
annotator]``, then ``note``, ``created_at``, ``updated_at``, ``fragments`` and ``attributes``
only when needed (trailing absent values are left out; an absent value inside is ``null``). The
array of each span is written here directly, and the event's JSON is the canonical JSON (sorted
keys, no spaces, non-ASCII kept) ``to_json`` would make of the same value: a test holds the two
to it.

Older events (objects per span) still replay: ``imported_spans`` reads both forms.
"""

from __future__ import annotations

from collections.abc import Mapping
from json.encoder import encode_basestring  # the C function JSONEncoder itself uses
from typing import Any

from .project_rows import to_json

#: What a span's array holds, in order. An absent value is ``null`` or, at the end, left out.
SPAN_FIELDS = (
    "id",
    "label",
    "start",
    "end",
    "annotator",
    "note",
    "created_at",
    "updated_at",
    "fragments",
    "attributes",
)
_REQUIRED = 5  # id, label, start, end, annotator: always present
_SPAN_FIELDS_JSON = to_json(list(SPAN_FIELDS))


def quoted(text: str) -> str:
    """``text`` as a JSON string, exactly as ``to_json`` writes it (non-ASCII kept)."""
    return encode_basestring(text)


def span_array(
    id_json: str,
    label_json: str,
    start: int,
    end: int,
    owner_json: str,
    optional: tuple[Any, ...] = (),
) -> str:
    """One span's array; ``id_json``, ``label_json`` and ``owner_json`` are already ``quoted``
    (an import quotes each label and annotator once, not once per span, and its own ids need no
    escaping). ``optional`` holds the values of
    ``note``, ``created_at``, ``updated_at``, ``fragments`` and ``attributes`` (None where absent),
    or nothing."""
    head = f"[{id_json},{label_json},{start},{end},{owner_json}"
    while optional and optional[-1] is None:
        optional = optional[:-1]
    if not optional:
        return head + "]"
    return head + "," + ",".join(to_json(v) or "null" for v in optional) + "]"


def after_json(
    *,
    title: str,
    source: str | None,
    meta_json: str,
    imported_at: str,
    length: int,
    spans_at: str,
    span_arrays: list[str],
    relations_json: str | None = None,
) -> str:
    """The event's ``after``, in canonical JSON: its keys in sorted order; the metadata (as
    ``to_json`` wrote it for the document's row), the spans and the relations among them (when
    the file had any) already encoded."""
    relations = "" if relations_json is None else f'"relations":{relations_json},'
    return (
        f'{{"imported_at":{quoted(imported_at)},"length":{length},"meta":{meta_json},'
        f"{relations}"
        f'"source":{"null" if source is None else quoted(source)},'
        f'"span_fields":{_SPAN_FIELDS_JSON},"spans":[{",".join(span_arrays)}],'
        f'"spans_at":{quoted(spans_at)},"title":{quoted(title)}}}'
    )


def imported_spans(after: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The spans an import event records, one dict each, in either form: arrays under
    ``span_fields`` (absent values left out of the dict), or objects (events before December
    2026, with or without their text, note and times)."""
    spans = after["spans"]
    fields = after.get("span_fields")
    if fields is None:
        return list(spans)
    out = []
    for values in spans:
        if len(values) < _REQUIRED or len(values) > len(fields):
            raise ValueError(f"a span recorded as {values!r} does not fit {fields!r}")
        out.append({k: v for k, v in zip(fields, values, strict=False) if v is not None})
    return out
