"""doccano JSONL exports, both sequence-labelling layouts, one document per line.

* ``{"text", "label": [[start, end, "LABEL"], ...]}`` (doccano 1.x sequence labelling);
* ``{"text", "entities": [{"id", "start_offset", "end_offset", "label"}], "relations": [...]}``
  (projects with relations).

Offsets are code points, end exclusive. claimmark has no relations yet, so they are reported as
a warning rather than dropped unseen; every other key of a line (``id`` aside, which becomes the
document id) is kept in the document's meta.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..import_errors import Problem
from ..project import NewDocument, NewSpan
from ..text_checks import string_problem, strings_in, title_from_text
from .foreign_spans import dedupe_spans, span_offset_problem
from .jsonl_reader import DEFAULT_MAX_LINE_BYTES, ParsedFile, _decoded_lines, _refuse_constant


def read_doccano(
    path: Path, *, encoding: str = "utf-8", max_line_bytes: int = DEFAULT_MAX_LINE_BYTES
) -> ParsedFile:
    parsed = ParsedFile()
    name = str(path)
    relations = 0
    for number, line in _decoded_lines(path, encoding, max_line_bytes, parsed, name):
        if line is None or not line.strip():
            continue
        try:
            value = json.loads(line, parse_constant=_refuse_constant)
        except json.JSONDecodeError as exc:
            parsed.problems.append(
                Problem(name, number, f"invalid JSON at column {exc.colno}: {exc.msg}")
            )
            continue
        problems, warnings, document = _document(value, name)
        parsed.problems.extend(Problem(name, number, m) for m in problems)
        parsed.warnings.extend(Problem(name, number, m) for m in warnings)
        if isinstance(value, dict) and isinstance(value.get("relations"), list):
            relations += len(value["relations"])
        if document is not None and not problems:
            parsed.documents.append((number, document))
    if relations:
        parsed.warnings.append(
            Problem(
                name,
                None,
                f"{relations} doccano relation{'s' if relations != 1 else ''} not imported"
                " (claimmark has no relations yet); the spans they connect were imported",
            )
        )
    return parsed


def _document(value: Any, name: str) -> tuple[list[str], list[str], NewDocument | None]:
    if not isinstance(value, dict):
        return [f"expected a JSON object, got {type(value).__name__}"], [], None
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
    spans: list[NewSpan] = []
    meta = {k: v for k, v in value.items() if k not in {"id", "text", "entities", "relations"}}

    entities = value.get("entities")
    if entities is not None and not isinstance(entities, list):
        problems.append("'entities' must be a list")
    for index, entity in enumerate(entities or []):
        if not isinstance(entity, dict):
            problems.append(f"entity {index}: expected an object, got {type(entity).__name__}")
            continue
        where = f"entity {index}" + (f" (id {entity['id']})" if "id" in entity else "")
        span = _span(
            text, entity.get("start_offset"), entity.get("end_offset"), entity.get("label")
        )
        _collect(span, where, spans, problems)

    labels = value.get("label")
    if isinstance(labels, list) and all(isinstance(item, list) for item in labels):
        meta.pop("label")
        for index, item in enumerate(labels):
            if len(item) != 3:
                problems.append(f"label {index}: expected [start, end, label], got {item!r}")
                continue
            _collect(_span(text, *item), f"label {index} {item!r}", spans, problems)
    elif labels is not None:
        warnings.append("'label' is not a list of [start, end, label] spans; kept in meta")
    if problems:
        return problems, warnings, None
    spans, merged = dedupe_spans(spans)
    if merged:
        warnings.append(f"{merged} duplicate span{'s' if merged != 1 else ''} merged")
    doc_id = value.get("id")
    doc_id = str(doc_id) if isinstance(doc_id, str | int) and not isinstance(doc_id, bool) else None
    title = title_from_text(text, doc_id or Path(name).stem)
    return problems, warnings, NewDocument(text, title, doc_id, name, meta, spans=spans)


def _span(text: str, start: Any, end: Any, label: Any) -> NewSpan | str:
    if not isinstance(label, str) or not label.strip():
        return f"label must be a non-empty string, got {label!r}"
    problem = span_offset_problem(text, start, end, None)
    if problem:
        return problem
    return NewSpan(start=start, end=end, label=label)


def _collect(span: NewSpan | str, where: str, spans: list[NewSpan], problems: list[str]) -> None:
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
