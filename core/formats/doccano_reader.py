"""doccano JSONL exports, both sequence-labelling layouts, one document per line.

* ``{"text", "label": [[start, end, "LABEL"], ...]}`` (doccano 1.x sequence labelling);
* ``{"text", "entities": [{"id", "start_offset", "end_offset", "label"}], "relations": [...]}``
  (projects with relations).

Offsets count UTF-16 units by default, as doccano's editor does (it indexes JavaScript strings),
or code points (``offsets="codepoints"``), end exclusive; which one fits is checked over the
whole file (see ``doccano_offsets``). claimmark has no relations yet, so they are reported as
a warning rather than dropped unseen; every other key of a line (``id`` aside, which becomes the
document id) is kept in the document's meta.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ..import_errors import Problem
from ..project import NewDocument
from ..text_checks import string_problem, strings_in, title_from_text
from .doccano_offsets import RawSpan, read_offsets
from .foreign_spans import dedupe_spans
from .json_limits import depth_problem, load_json
from .jsonl_reader import DEFAULT_MAX_LINE_BYTES, ParsedFile, _decoded_lines
from .utf16_units import UTF16


def read_doccano(
    path: Path,
    *,
    encoding: str = "utf-8",
    max_line_bytes: int = DEFAULT_MAX_LINE_BYTES,
    offsets: str = UTF16,
) -> ParsedFile:
    """``offsets``: how the file counts (UTF-16 units, as doccano's editor, or code points)."""
    parsed = ParsedFile()
    name = str(path)
    relations = 0
    raw: list[RawSpan] = []
    pending: list[tuple[int, _Pending]] = []
    for number, line in _decoded_lines(path, encoding, max_line_bytes, parsed, name):
        if line is None or not line.strip():
            continue
        try:
            value = load_json(line)
        except json.JSONDecodeError as exc:
            parsed.problems.append(
                Problem(name, number, f"invalid JSON at column {exc.colno}: {exc.msg}")
            )
            continue
        problems, warnings, document = _document(value, name, number, raw)
        parsed.problems.extend(Problem(name, number, m) for m in problems)
        parsed.warnings.extend(Problem(name, number, m) for m in warnings)
        if isinstance(value, dict) and isinstance(value.get("relations"), list):
            relations += len(value["relations"])
        if document is not None and not problems:
            pending.append((number, document))
    reading = read_offsets(raw, offsets)
    parsed.problems.extend(Problem(name, line, message) for line, message in reading.problems)
    parsed.warnings.extend(Problem(name, None, message) for message in reading.warnings)
    if relations:
        parsed.warnings.append(
            Problem(
                name,
                None,
                f"{relations} doccano relation{'s' if relations != 1 else ''} not imported"
                " (claimmark has no relations yet); the spans they connect were imported",
            )
        )
    if parsed.problems:
        return parsed
    for number, document in pending:
        spans, merged = dedupe_spans(reading.spans[i] for i in document.span_indices)
        if merged:
            parsed.warnings.append(
                Problem(name, number, f"{merged} duplicate span{'s' if merged != 1 else ''} merged")
            )
        parsed.documents.append((number, replace(document.document, spans=spans)))
    return parsed


@dataclass
class _Pending:
    """A line's document, waiting for the file's offsets to be read."""

    document: NewDocument
    span_indices: list[int]


def _document(
    value: Any, name: str, number: int, raw: list[RawSpan]
) -> tuple[list[str], list[str], _Pending | None]:
    if not isinstance(value, dict):
        return [f"expected a JSON object, got {type(value).__name__}"], [], None
    if deep := depth_problem(value, "the line"):
        return [deep], [], None
    problems = [
        f"{where or 'value'}: {reason}"
        for where, string in strings_in(value)
        if (reason := string_problem(string))
    ]
    if problems:
        return problems, [], None
    text = value.get("text")
    if not isinstance(text, str):
        what = "missing required key 'text'" if "text" not in value else "'text' must be a string"
        return [what], [], None
    if not text.strip():
        return ["empty document: 'text' has no visible characters"], [], None
    warnings: list[str] = []
    spans: list[RawSpan] = []
    meta = {k: v for k, v in value.items() if k not in {"id", "text", "entities", "relations"}}

    entities = value.get("entities")
    if entities is not None and not isinstance(entities, list):
        problems.append("'entities' must be a list")
    for index, entity in enumerate(entities or []):
        if not isinstance(entity, dict):
            problems.append(f"entity {index}: expected an object, got {type(entity).__name__}")
            continue
        where = f"entity {index}" + (f" (id {entity['id']})" if "id" in entity else "")
        found = _span(
            text,
            entity.get("start_offset"),
            entity.get("end_offset"),
            entity.get("label"),
            number,
            where,
        )
        _collect(found, where, spans, problems)

    labels = value.get("label")
    if isinstance(labels, list) and all(isinstance(item, list) for item in labels):
        meta.pop("label")
        for index, item in enumerate(labels):
            if len(item) != 3:
                problems.append(f"label {index}: expected [start, end, label], got {item!r}")
                continue
            where = f"label {index} {item!r}"
            start, end, label = item
            _collect(_span(text, start, end, label, number, where), where, spans, problems)
    elif labels is not None:
        warnings.append("'label' is not a list of [start, end, label] spans; kept in meta")
    if problems:
        return problems, warnings, None
    indices = list(range(len(raw), len(raw) + len(spans)))
    raw.extend(spans)
    doc_id = value.get("id")
    doc_id = str(doc_id) if isinstance(doc_id, str | int) and not isinstance(doc_id, bool) else None
    title = title_from_text(text, doc_id or Path(name).stem)
    document = NewDocument(text, title, doc_id, name, meta)
    return problems, warnings, _Pending(document, indices)


def _span(text: str, start: Any, end: Any, label: Any, number: int, where: str) -> RawSpan | str:
    if not isinstance(label, str) or not label.strip():
        return f"label must be a non-empty string, got {label!r}"
    for name, offset in (("start", start), ("end", end)):
        if not isinstance(offset, int) or isinstance(offset, bool):
            return f"{name} offset must be an integer, got {offset!r}"
    if start >= end:
        return f"start {start} must be less than end {end}"
    return RawSpan(number, where, text, start, end, label)


def _collect(span: RawSpan | str, where: str, spans: list[RawSpan], problems: list[str]) -> None:
    if isinstance(span, str):
        problems.append(f"{where}: {span}")
    else:
        spans.append(span)


def jsonl_flavour(value: Any) -> str | None:
    """ "doccano" or "jsonl" for a line that shows its layout, None for one that could be either."""
    if not isinstance(value, dict):
        return None
    if "spans" in value:
        return "jsonl"
    labels = value.get("label")
    if isinstance(value.get("entities"), list) or (
        isinstance(labels, list) and all(isinstance(item, list) for item in labels)
    ):
        return "doccano"
    return None
