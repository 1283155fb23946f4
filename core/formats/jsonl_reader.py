"""claimmark's native JSONL: one document per line, as written by ``export --format jsonl``.

Every line is checked completely before anything is stored, and every problem is reported with
its line, so one run shows everything wrong with a file. Lines are read with a size cap, so a
file with a gigantic line costs bounded memory. A ``{"label_definition": {...}}`` line (see
``jsonl_writer``) describes a label imported from another tool: its key and source name; an
``{"attribute_definition": {...}}`` line one attribute of a label; a
``{"relation_type_definition": {...}}`` line a relation type. A span may carry
``fragments`` (a discontinuous span) and ``attributes``; their values are checked against the
label's definitions when the file is imported, where the project's schema is known.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..attributes import AttributeDefinition, definition_problem
from ..fragments import fragments_problem
from ..import_errors import Problem
from ..model import COLOR_RE, LABEL_KEY_RE, STATUSES, Label, LabelKey, RelationType
from ..project import NewDocument, NewRelation, NewSpan, text_sha256
from ..text_checks import string_problem, strings_in, title_from_text
from .decoding import DecodeProblem, decode
from .foreign_spans import offset_hint
from .json_limits import depth_problem, load_json

DOCUMENT_KEYS = {
    "id",
    "title",
    "text",
    "meta",
    "spans",
    "sha256",
    "source",
    "imported_at",
    "status",
    "relations",
}
RELATION_KEYS = {"id", "type", "from", "to", "annotator", "created_at"}
RELATION_TYPE_KEYS = {
    "key",
    "name",
    "color",
    "hotkey",
    "description",
    "from_labels",
    "to_labels",
    "source_name",
}
#: A span's keys besides its structure: what ``_usual_span`` reads on its fast path.
_PLAIN_SPAN_KEYS = {
    "id",
    "start",
    "end",
    "label",
    "text",
    "annotator",
    "note",
    "created_at",
    "updated_at",
}
SPAN_KEYS = _PLAIN_SPAN_KEYS | {"fragments", "attributes"}
_STRING_KEYS = ("text", "annotator", "note", "id", "created_at", "updated_at")

#: The only ways a decoded line can yield NUL or a lone surrogate: a \u0000 or \uD800-\uDFFF escape
#: (raw NUL bytes are refused while decoding).
_RISKY_ESCAPE = re.compile(r"\\u(?:0000|[dD][89a-fA-F])")

DEFAULT_MAX_LINE_BYTES = 64 * 1024 * 1024


@dataclass
class ParsedFile:
    documents: list[tuple[int, NewDocument]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    #: (line, label) for each label the file describes (claimmark JSONL's label definitions).
    labels: list[tuple[int, Label]] = field(default_factory=list)
    #: (line, definition) for each attribute definition the file carries.
    attributes: list[tuple[int, AttributeDefinition]] = field(default_factory=list)
    #: The definitions are the reader's guess from the values (brat has no attribute types): a
    #: definition the project has already wins, and checks the values.
    guessed_attributes: bool = False
    #: (line, relation type) for each relation type the file describes.
    relation_types: list[tuple[int, RelationType]] = field(default_factory=list)


def read_jsonl(
    path: Path, *, encoding: str = "utf-8", max_line_bytes: int = DEFAULT_MAX_LINE_BYTES
) -> ParsedFile:
    parsed = ParsedFile()
    name = str(path)
    for number, line in _decoded_lines(path, encoding, max_line_bytes, parsed, name):
        if line is None:
            continue
        if not line.strip():
            continue
        try:
            value = load_json(line)
        except json.JSONDecodeError as exc:
            parsed.problems.append(
                Problem(name, number, f"invalid JSON at column {exc.colno}: {exc.msg}")
            )
            continue
        if isinstance(value, dict) and "label_definition" in value:
            label = _label_definition(value, number, name, parsed)
            if label is not None:
                parsed.labels.append((number, label))
            continue
        if isinstance(value, dict) and "attribute_definition" in value:
            definition = _attribute_definition(value, number, name, parsed)
            if definition is not None:
                parsed.attributes.append((number, definition))
            continue
        if isinstance(value, dict) and "relation_type_definition" in value:
            relation_type = _relation_type_definition(value, number, name, parsed)
            if relation_type is not None:
                parsed.relation_types.append((number, relation_type))
            continue
        problems, warnings, document = _document(
            value, number, name, suspicious=bool(_RISKY_ESCAPE.search(line))
        )
        parsed.problems.extend(problems)
        parsed.warnings.extend(warnings)
        if document is not None and not problems:
            parsed.documents.append((number, document))
    return parsed


def _label_definition(value: dict, line: int, name: str, parsed: ParsedFile) -> Label | None:
    """The label a definition line describes; None (with the problem recorded) if it is bad."""

    def problem(message: str) -> None:
        parsed.problems.append(Problem(name, line, f"label definition: {message}"))

    definition = value["label_definition"]
    if len(value) != 1 or not isinstance(definition, dict):
        problem('expected {"label_definition": {"key": ..., "source_name": ...}}')
        return None
    key, source = definition.get("key"), definition.get("source_name")
    if not isinstance(key, str) or not LABEL_KEY_RE.match(key):
        problem(f"'key' must be a label key (a-z, 0-9, _), got {key!r}")
        return None
    for field_name in ("name", "source_name", "description", "color"):
        item = definition.get(field_name)
        if item is not None and (not isinstance(item, str) or string_problem(item)):
            problem(f"{field_name!r} of label {key!r} must be a plain string")
            return None
    if not source or not source.strip():
        problem(f"label {key!r} has no 'source_name'")
        return None
    color = definition.get("color")
    return Label(
        LabelKey(key),
        definition.get("name") or source,
        color if color and COLOR_RE.match(color) else "",
        description=definition.get("description") or "",
        source_name=source,
    )


def _attribute_definition(
    value: dict, line: int, name: str, parsed: ParsedFile
) -> AttributeDefinition | None:
    """The attribute a definition line describes; None (with the problem recorded) if bad."""

    def problem(message: str) -> None:
        parsed.problems.append(Problem(name, line, f"attribute definition: {message}"))

    given = value["attribute_definition"]
    if len(value) != 1 or not isinstance(given, dict):
        problem('expected {"attribute_definition": {"label": ..., "name": ..., "kind": ...}}')
        return None
    label = given.get("label")
    if not isinstance(label, str) or not LABEL_KEY_RE.match(label):
        problem(f"'label' must be a label key (a-z, 0-9, _), got {label!r}")
        return None
    for key, kind in (("name", str), ("kind", str), ("description", str), ("choices", list)):
        if given.get(key) is not None and not isinstance(given[key], kind):
            problem(f"{key!r} must be a {'list' if kind is list else 'string'}")
            return None
    for key in ("minimum", "maximum"):
        if given.get(key) is not None and type(given[key]) is not int:
            problem(f"{key!r} must be a whole number")
            return None
    for key in ("allow_range", "allow_unknown"):
        if given.get(key) is not None and type(given[key]) is not bool:
            problem(f"{key!r} must be true or false")
            return None
    if not isinstance(given.get("name"), str) or not isinstance(given.get("kind"), str):
        problem("'name' and 'kind' are required")
        return None
    definition = AttributeDefinition.from_json(given)
    reason = definition_problem(definition)
    if reason:
        problem(reason)
        return None
    return definition


def _relation_type_definition(
    value: dict, line: int, name: str, parsed: ParsedFile
) -> RelationType | None:
    """The relation type a definition line describes; None (problem recorded) if it is bad."""

    def problem(message: str) -> None:
        parsed.problems.append(Problem(name, line, f"relation type definition: {message}"))

    definition = value["relation_type_definition"]
    if len(value) != 1 or not isinstance(definition, dict):
        problem('expected {"relation_type_definition": {"key": ..., ...}}')
        return None
    key = definition.get("key")
    if not isinstance(key, str) or not LABEL_KEY_RE.match(key):
        problem(f"'key' must be a key (a-z, 0-9, _), got {key!r}")
        return None
    for unknown in sorted(set(definition) - RELATION_TYPE_KEYS):
        parsed.warnings.append(Problem(name, line, f"relation type {key!r}: {unknown!r} ignored"))
    for field_name in ("name", "source_name", "description", "color", "hotkey"):
        item = definition.get(field_name)
        if item is not None and (not isinstance(item, str) or string_problem(item)):
            problem(f"{field_name!r} of relation type {key!r} must be a plain string")
            return None
    ends: list[tuple[str, ...]] = []
    for field_name in ("from_labels", "to_labels"):
        keys = definition.get(field_name) or []
        if not isinstance(keys, list) or not all(
            isinstance(k, str) and LABEL_KEY_RE.match(k) for k in keys
        ):
            problem(f"{field_name!r} of relation type {key!r} must be a list of label keys")
            return None
        ends.append(tuple(keys))
    color = definition.get("color")
    return RelationType(
        key,
        definition.get("name") or key,
        color if color and COLOR_RE.match(color) else "#999999",
        definition.get("hotkey") or None,
        definition.get("description") or "",
        ends[0],
        ends[1],
        definition.get("source_name") or None,
    )


def _relations(
    raw: Any, spans: list[NewSpan], refused: frozenset[str] = frozenset()
) -> tuple[list[NewRelation], list[str], list[str]]:
    """A document's ``relations``: each must name spans of the same line by their ids.

    A relation to a span refused above is not a second problem: the span's own message says
    what is wrong, and "no span with id" would send the reader looking for a missing span."""
    if not isinstance(raw, list):
        return [], ["'relations' must be a list"], []
    known = {span.id for span in spans if span.id is not None}
    relations: list[NewRelation] = []
    problems: list[str] = []
    warnings: list[str] = []
    for index, item in enumerate(raw):
        where = f"relation {index}"
        if not isinstance(item, dict):
            problems.append(f"{where}: expected an object, got {type(item).__name__}")
            continue
        for key in sorted(set(item) - RELATION_KEYS):
            warnings.append(f"{where}: unknown key {key!r} ignored")
        bad = [
            key
            for key in ("type", "from", "to")
            if not isinstance(item.get(key), str) or not item[key].strip()
        ] + [
            key
            for key in ("id", "annotator", "created_at")
            if item.get(key) is not None and not isinstance(item[key], str)
        ]
        if bad:
            must = "must be a string" if len(bad) == 1 else "must be strings"
            problems.append(f"{where}: {', '.join(repr(k) for k in bad)} {must}")
            continue
        missing = [item[end] for end in ("from", "to") if item[end] not in known]
        if missing and all(span_id in refused for span_id in missing):
            continue
        if missing:
            problems.append(
                f"{where} ({item['type']}): no span with id {missing[0]!r} in this document"
            )
            continue
        relations.append(
            NewRelation(
                item["type"],
                item["from"],
                item["to"],
                item.get("annotator"),
                item.get("id"),
                item.get("created_at"),
            )
        )
    return relations, problems, warnings


def _counting_hint(text: str, start: int, end: int, expected: str) -> str:
    """Why the offsets might be off: another tool's way of counting (UTF-16, CRLF, bytes)."""
    hint = offset_hint(text, start, end, expected)
    return f"; {hint}" if hint else ""


def _decoded_lines(
    path: Path, encoding: str, limit: int, parsed: ParsedFile, name: str
) -> Iterator[tuple[int, str | None]]:
    """Lines as text; None for a line that could not be decoded (the problem is recorded)."""
    if _wide(encoding):
        yield from _wide_lines(path, encoding, limit, parsed, name)
        return
    for number, raw in _lines(path, limit, parsed, name):
        try:
            yield number, decode(raw, encoding, what="line")
        except DecodeProblem as exc:
            parsed.problems.append(Problem(name, number, str(exc)))
            yield number, None


def _wide(encoding: str) -> bool:
    """UTF-16/32 cannot be split into lines at the byte b"\\n" before decoding."""
    return codecs.lookup(encoding).name.startswith(("utf-16", "utf-32"))


def _wide_lines(
    path: Path, encoding: str, limit: int, parsed: ParsedFile, name: str
) -> Iterator[tuple[int, str | None]]:
    with path.open("r", encoding=encoding, newline="") as handle:
        number = 0
        while True:
            try:
                line = handle.readline(limit + 2)  # room for a CRLF
            except UnicodeDecodeError as exc:
                parsed.problems.append(
                    Problem(name, number + 1, f"not valid {encoding.upper()}: {exc.reason}")
                )
                return
            if not line:
                return
            number += 1
            line = line.rstrip("\r\n")
            if len(line) > limit:
                parsed.problems.append(
                    Problem(name, number, f"line is longer than {limit:,} characters; refused")
                )
                return
            yield number, line[1:] if number == 1 and line.startswith("\ufeff") else line


def _lines(path: Path, limit: int, parsed: ParsedFile, name: str) -> Iterator[tuple[int, bytes]]:
    with path.open("rb") as handle:
        number = 0
        while True:
            raw = handle.readline(limit + 2)  # room for a CRLF
            if not raw:
                return
            number += 1
            raw = raw.rstrip(b"\r\n")
            if len(raw) > limit:
                parsed.problems.append(
                    Problem(name, number, f"line is longer than {limit:,} bytes; refused")
                )
                return
            yield number, raw


def _document(
    value: Any, line: int, name: str, suspicious: bool = True
) -> tuple[list[Problem], list[Problem], NewDocument | None]:
    """Check one parsed line; ``suspicious`` is False when its raw text cannot hold NUL or a
    lone surrogate (no such escape in it), which spares walking every string of a clean line."""
    problems: list[Problem] = []
    warnings: list[Problem] = []

    def problem(message: str) -> None:
        problems.append(Problem(name, line, message))

    if not isinstance(value, dict):
        problem(f"expected a JSON object, got {type(value).__name__}")
        return problems, warnings, None
    if suspicious and (deep := depth_problem(value, "the line")):
        problem(deep)  # before walking it: the walk recurses
        return problems, warnings, None
    for where, string in strings_in(value) if suspicious else ():
        reason = string_problem(string)
        if reason:
            problem(f"{where or 'value'}: {reason}")
    if problems:
        return problems, warnings, None
    if not value.keys() <= DOCUMENT_KEYS:
        for key in sorted(set(value) - DOCUMENT_KEYS):
            warnings.append(Problem(name, line, f"unknown key {key!r} ignored"))

    text = value.get("text")
    if "text" not in value:
        problem("missing required key 'text'")
    elif not isinstance(text, str):
        problem(f"'text' must be a string, got {type(text).__name__}")
    elif not text or text.isspace():  # not text.strip(): no copy of an article to test it
        problem("empty document: 'text' has no visible characters")
    doc_id = value.get("id")
    if doc_id is not None and (not isinstance(doc_id, str | int) or isinstance(doc_id, bool)):
        problem("'id' must be a string or an integer")
    elif doc_id is not None and not str(doc_id).strip():
        problem("'id' is empty")
    for key in ("title", "source", "imported_at"):
        if value.get(key) is not None and not isinstance(value[key], str):
            problem(f"{key!r} must be a string")
    meta = value.get("meta", {})
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        problem("'meta' must be a JSON object")
    elif deep := depth_problem(meta, "'meta'"):
        problem(deep)
    statuses = value.get("status") or {}
    if not isinstance(statuses, dict) or any(
        not isinstance(v, str) or v not in STATUSES for v in statuses.values()
    ):
        problem(f"'status' must map annotator names to one of: {', '.join(STATUSES)}")
    if problems or not isinstance(text, str):  # a text that is not a string is a problem above
        return problems, warnings, None
    if "sha256" in value and value["sha256"] != text_sha256(text):
        problem("'sha256' does not match the text (was the text changed after export?)")

    spans: list[NewSpan] = []
    raw_spans = value.get("spans") or []
    if not isinstance(raw_spans, list):
        problem("'spans' must be a list")
        raw_spans = []
    length = len(text)
    refused: set[str] = set()
    for index, raw in enumerate(raw_spans):
        span = _usual_span(raw, text, length)
        if span is None:  # rare: every check again, with the message for each problem
            span, span_problems, span_warnings = _checked_span(raw, index, text)
            problems.extend(Problem(name, line, m) for m in span_problems)
            warnings.extend(Problem(name, line, m) for m in span_warnings)
            if span is None and isinstance(raw, dict) and isinstance(raw.get("id"), str):
                refused.add(raw["id"])
        if span is not None:
            spans.append(span)
    relations: list[NewRelation] = []
    if value.get("relations") is not None:
        relations, relation_problems, relation_warnings = _relations(
            value["relations"], spans, frozenset(refused)
        )
        problems.extend(Problem(name, line, m) for m in relation_problems)
        warnings.extend(Problem(name, line, m) for m in relation_warnings)
    if problems:
        return problems, warnings, None
    fallback = str(doc_id) if doc_id is not None else Path(name).stem
    return (
        problems,
        warnings,
        NewDocument(
            text=text,
            title=value.get("title") or title_from_text(text, fallback),
            id=str(doc_id) if doc_id is not None else None,
            source=value.get("source") or name,
            meta=meta,
            imported_at=value.get("imported_at"),
            spans=spans,
            statuses=statuses,
            relations=relations,
        ),
    )


def _usual_span(raw: Any, text: str, length: int) -> NewSpan | None:
    """The usual span (known keys, integer offsets inside the text, a label, strings or nothing
    elsewhere, a text that matches) checked in one pass; None sends it to ``_checked_span``.

    A long document holds tens of thousands of spans, so this is written out test by test (a
    list and a generator per span cost a fifth of the import's reading).
    """
    if type(raw) is not dict or not raw.keys() <= _PLAIN_SPAN_KEYS:
        return None  # also a span with fragments or attributes: checked in ``_checked_span``
    get = raw.get
    start, end, label, given = get("start"), get("end"), get("label"), get("text")
    annotator, note, span_id = get("annotator"), get("note"), get("id")
    created, updated = get("created_at"), get("updated_at")
    if (
        type(start) is int
        and type(end) is int
        and type(label) is str
        and 0 <= start < end <= length
        and label
        and not label.isspace()
        and (given is None or given == text[start:end])
        and (annotator is None or type(annotator) is str)
        and (note is None or type(note) is str)
        and (span_id is None or type(span_id) is str)
        and (created is None or type(created) is str)
        and (updated is None or type(updated) is str)
    ):
        return NewSpan(start, end, label, annotator, note, span_id, created, updated)
    return None


def _checked_span(raw: Any, index: int, text: str) -> tuple[NewSpan | None, list[str], list[str]]:
    """Every check of a span, with the message for each problem (the unusual path)."""
    where = f"span {index}"
    if not isinstance(raw, dict):
        return None, [f"{where}: expected an object, got {type(raw).__name__}"], []
    problems: list[str] = []
    warnings = (
        []  # the usual case, checked without building a set per span
        if raw.keys() <= SPAN_KEYS
        else [f"{where}: unknown key {k!r} ignored" for k in sorted(set(raw) - SPAN_KEYS)]
    )
    start, end, label = raw.get("start"), raw.get("end"), raw.get("label")
    for key, item in (("start", start), ("end", end)):
        if type(item) is not int:  # JSON's true and false are bools, a subclass of int
            problems.append(f"{where}: {key!r} must be an integer, got {item!r}")
    if not isinstance(label, str) or not label.strip():
        problems.append(f"{where}: 'label' must be a non-empty string")
    for key in _STRING_KEYS:
        item = raw.get(key)
        if item is not None and not isinstance(item, str):
            problems.append(f"{where}: {key!r} must be a string")
    # Bad offsets or label are problems above; the types restated narrow them for the checker.
    if problems or type(start) is not int or type(end) is not int or not isinstance(label, str):
        return None, problems, warnings
    if start >= end:
        return None, [f"{where}: start {start} must be less than end {end}"], warnings
    if start < 0 or end > len(text):
        return (
            None,
            [
                f"{where}: offsets {start}-{end} are outside the text (length {len(text)})"
                + (_counting_hint(text, start, end, raw["text"]) if raw.get("text") else "")
            ],
            warnings,
        )
    if raw.get("text") is not None and raw["text"] != text[start:end]:
        return (
            None,
            [
                f"{where}: 'text' {raw['text']!r} does not match the text at {start}-{end}"
                f" ({text[start:end]!r}); offsets must be code points into 'text'"
                + _counting_hint(text, start, end, raw["text"])
            ],
            warnings,
        )
    fragments, attributes = raw.get("fragments"), raw.get("attributes")
    if fragments is not None and (problem := fragments_problem(fragments, start, end)):
        return None, [f"{where}: {problem}"], warnings
    if attributes is not None and (
        not isinstance(attributes, dict)
        or any(
            not (
                isinstance(v, str | int | bool | None)
                or (isinstance(v, list) and len(v) == 2 and all(type(n) is int for n in v))
            )
            for v in attributes.values()
        )
    ):
        return (
            None,
            [
                f"{where}: 'attributes' must be an object of names and values (a number, a"
                " [low, high] range, a string, true or false)"
            ],
            warnings,
        )
    return (
        NewSpan(
            start=start,
            end=end,
            label=label,
            annotator=raw.get("annotator"),
            note=raw.get("note"),
            id=raw.get("id"),
            created_at=raw.get("created_at"),
            updated_at=raw.get("updated_at"),
            fragments=fragments,
            attributes=attributes or None,
        ),
        [],
        warnings,
    )
