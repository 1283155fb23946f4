"""doccano JSONL exports, both sequence-labelling layouts, one document per line.

* ``{"text", "label": [[start, end, "LABEL"], ...]}`` (doccano 1.x sequence labelling);
* ``{"text", "entities": [{"id", "start_offset", "end_offset", "label"}], "relations": [...]}``
  (projects with relations).

Offsets count UTF-16 units by default, as doccano's editor does (it indexes JavaScript strings),
or code points (``offsets="codepoints"``), end exclusive; which one fits is checked over the
whole file (see ``doccano_offsets``). ``relations`` (``{"id", "from_id", "to_id", "type"}``
between entity ids of the same line) become relations of that type; every other key of a line
(``id`` aside, which becomes the document id) is kept in the document's meta.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..foreign_labels import key_for_name
from ..ids import new_span_ids
from ..import_errors import Problem
from ..label_schema import generated_color
from ..model import LABEL_KEY_RE, RelationType
from ..project import NewDocument, NewRelation, NewSpan
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
        if document is not None and not problems:
            pending.append((number, document))
    reading = read_offsets(raw, offsets)
    parsed.problems.extend(Problem(name, line, message) for line, message in reading.problems)
    parsed.warnings.extend(Problem(name, None, message) for message in reading.warnings)
    if parsed.problems:
        return parsed
    types: dict[str, str] = {}
    for number, document in pending:
        spans = [reading.spans[i] for i in document.span_indices]
        links = _relations(document, spans, types, parsed, name, number)
        if not links:  # a merged duplicate might be a relation's end: then keep them all
            spans, merged = dedupe_spans(spans)
            if merged:
                parsed.warnings.append(
                    Problem(
                        name, number, f"{merged} duplicate span{'s' if merged != 1 else ''} merged"
                    )
                )
        else:
            spans = [span._replace(id=document.span_ids.get(i)) for i, span in enumerate(spans)]
        parsed.documents.append((number, replace(document.document, spans=spans, relations=links)))
    for key, type_name in types.items():
        source_name = type_name if type_name != key else None
        relation_type = RelationType(key, type_name, generated_color(key), source_name=source_name)
        parsed.relation_types.append((1, relation_type))
    return parsed


def _relations(
    document: _Pending,
    spans: list[NewSpan],
    types: dict[str, str],
    parsed: ParsedFile,
    name: str,
    line: int,
) -> list[NewRelation]:
    """A line's ``relations`` between its entities (by their ids), with new span ids for the
    entities they link. A relation to no entity of the line (or without a type) refuses the
    file, as claimmark's own JSONL does: imported without it, the line would silently lose a
    link its file holds."""
    relations = []
    for index, item in enumerate(document.relations):
        where = f"relation {index}" + (
            f" (id {item['id']})" if isinstance(item, dict) and "id" in item else ""
        )
        ends = (
            [document.entity_ids.get(item.get(k)) for k in ("from_id", "to_id")]
            if isinstance(item, dict)
            else [None, None]
        )
        type_name = item.get("type") if isinstance(item, dict) else None
        if None in ends or not isinstance(type_name, str) or not type_name.strip():
            parsed.problems.append(
                Problem(
                    name,
                    line,
                    f"{where}: expected from_id and to_id of entities of this line and a type",
                )
            )
            continue
        source, target = ends
        assert source is not None and target is not None
        if source == target:
            parsed.warnings.append(
                Problem(name, line, f"{where}: links an entity to itself; not imported")
            )
            continue
        key = type_name if LABEL_KEY_RE.match(type_name) else key_for_name(type_name)
        types.setdefault(key, type_name)
        for end in (source, target):
            if end not in document.span_ids:
                document.span_ids[end] = new_span_ids(1)[0]
        relations.append(NewRelation(key, document.span_ids[source], document.span_ids[target]))
    return relations


@dataclass
class _Pending:
    """A line's document, waiting for the file's offsets to be read."""

    document: NewDocument
    span_indices: list[int]
    #: doccano entity id -> position of its span in ``span_indices``.
    entity_ids: dict[Any, int] = field(default_factory=dict)
    relations: list[Any] = field(default_factory=list)
    #: position of a span a relation links -> the id it gets.
    span_ids: dict[int, str] = field(default_factory=dict)


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

    entity_ids: dict[Any, int] = {}
    relations = value.get("relations")
    if relations is not None and not isinstance(relations, list):
        problems.append("'relations' must be a list")
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
        if "id" in entity and not isinstance(found, str):
            entity_ids.setdefault(entity["id"], len(spans))
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
    return problems, warnings, _Pending(document, indices, entity_ids, list(relations or []))


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
