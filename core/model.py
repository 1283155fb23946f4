"""Domain types shared by the storage layer, the formats, the CLI and the GUI.

Everything is a frozen dataclass so that a value handed to the GUI or kept on an undo stack can
never drift from what was committed; a changed span is a new value.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, fields
from typing import Any, NewType

DocumentId = NewType("DocumentId", str)
SpanId = NewType("SpanId", str)
LabelKey = NewType("LabelKey", str)
RelationId = NewType("RelationId", str)

#: Label keys end up as brat types, CoNLL tags, spaCy span keys and XML attribute values, so they
#: are restricted to what every one of those formats accepts unchanged.
LABEL_KEY_RE = re.compile(r"[a-z][a-z0-9_]*\Z")
COLOR_RE = re.compile(r"#[0-9a-fA-F]{6}\Z")

STATUSES = ("in_progress", "done")


@dataclass(frozen=True, slots=True)
class Document:
    id: DocumentId
    title: str
    text: str
    sha256: str
    source: str | None
    meta: dict[str, Any]
    imported_at: str


@dataclass(frozen=True, slots=True)
class DocumentSummary:
    """What a document list shows, without loading the text (projects hold thousands)."""

    id: DocumentId
    title: str
    length: int
    span_count: int
    status: str | None


@dataclass(frozen=True, slots=True)
class Label:
    key: LabelKey
    name: str
    color: str
    hotkey: str | None = None
    description: str = ""
    #: The name the label had in the file it came from, when that is not a valid key
    #: ("PER", "人名"); exports to formats that carry names write it instead of the key.
    source_name: str | None = None

    @property
    def exported_name(self) -> str:
        """The name written where a format carries label names."""
        return self.source_name or self.key


#: One attribute's value: a whole number, a range of whole numbers (low, high), a choice or a
#: short text (including "unknown"), or yes/no.
AttributeValue = int | bool | str | tuple[int, int]

#: A discontinuous span's pieces: ``(start, end)`` pairs in text order.
Fragments = tuple[tuple[int, int], ...]


class AttributeValues(Mapping[str, AttributeValue]):
    """A span's attribute values: a read-only, hashable mapping, so a ``Span`` stays a value.

    ``dict`` is mutable and unhashable and ``MappingProxyType`` unhashable; a span handed to a
    view or kept on an undo stack must not change under it.
    """

    __slots__ = ("_items",)

    def __init__(self, values: Mapping[str, Any] | None = None) -> None:
        items = {}
        for name, value in sorted((values or {}).items()):
            items[name] = tuple(value) if isinstance(value, list | tuple) else value
        self._items: dict[str, AttributeValue] = items

    def __getitem__(self, name: str) -> AttributeValue:
        return self._items[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __hash__(self) -> int:
        return hash(tuple(self._items.items()))

    def __repr__(self) -> str:
        return f"AttributeValues({self._items!r})"

    def as_json(self) -> dict[str, Any]:
        """The values as JSON holds them (a range as a two-item list)."""
        return {k: list(v) if isinstance(v, tuple) else v for k, v in self._items.items()}


NO_ATTRIBUTES = AttributeValues()


@dataclass(frozen=True, slots=True)
class Span:
    id: SpanId
    document_id: DocumentId
    label: LabelKey
    start: int
    end: int
    #: The document's text from ``start`` to ``end``: for a discontinuous span, the envelope
    #: (gaps included), so the text guards hold whatever the fragments.
    text: str
    annotator: str
    note: str | None = None
    created_at: str = ""
    updated_at: str = ""
    #: None for the usual one-piece span; else two or more ``(start, end)`` pieces in text order,
    #: apart from each other, the first starting at ``start`` and the last ending at ``end``.
    fragments: Fragments | None = None
    attributes: AttributeValues = NO_ATTRIBUTES

    @property
    def pieces(self) -> Fragments:
        """The stretches of text the span covers (one for a usual span)."""
        return self.fragments or ((self.start, self.end),)

    @property
    def piece_texts(self) -> list[str]:
        """Each piece's text, cut from the envelope ``text``."""
        return [self.text[s - self.start : e - self.start] for s, e in self.pieces]


#: A span's fields, declared once by ``Span`` itself: the table's columns, in order.
SPAN_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Span))
#: What a span event records of a span (the event names the document itself).
SPAN_EVENT_FIELDS: tuple[str, ...] = tuple(n for n in SPAN_FIELDS if n != "document_id")
#: Fields events written before attributes and fragments existed lack; read as these.
SPAN_FIELD_DEFAULTS: dict[str, Any] = {"fragments": None, "attributes": {}}


def fragments_json(fragments: Fragments | None) -> list[list[int]] | None:
    return None if fragments is None else [[s, e] for s, e in fragments]


def fragments_from_json(value: Any) -> Fragments | None:
    return None if value is None else tuple((s, e) for s, e in value)


def span_values(span: Span) -> dict[str, Any]:
    """A span as its event records it (JSON-ready)."""
    values = {name: getattr(span, name) for name in SPAN_EVENT_FIELDS}
    values["fragments"] = fragments_json(span.fragments)
    values["attributes"] = span.attributes.as_json()
    return values


def span_from_values(values: dict[str, Any], document_id: str) -> Span:
    """The span an event recorded (``span_values`` read back; older events lack the fields
    added since, which read as their defaults)."""
    given = {
        n: values.get(n, SPAN_FIELD_DEFAULTS[n]) if n in SPAN_FIELD_DEFAULTS else values[n]
        for n in SPAN_EVENT_FIELDS
    }
    given["fragments"] = fragments_from_json(given["fragments"])
    given["attributes"] = AttributeValues(given["attributes"])
    return Span(document_id=DocumentId(document_id), **given)


def _label_list(keys: tuple[str, ...]) -> str:
    if not keys:
        return "any label"
    if len(keys) == 1:
        return keys[0]
    return f"{', '.join(keys[:-1])} or {keys[-1]}"


@dataclass(frozen=True, slots=True)
class RelationType:
    """A kind of directed link between two spans, with the labels its ends may carry.

    ``from_labels``/``to_labels`` empty means any label; otherwise a link from or to a span of
    another label is refused (and so is relabelling a linked span to one).
    """

    key: str
    name: str
    color: str
    hotkey: str | None = None
    description: str = ""
    from_labels: tuple[str, ...] = ()
    to_labels: tuple[str, ...] = ()
    #: The name the type had in the file it came from, when that is not a valid key.
    source_name: str | None = None

    @property
    def exported_name(self) -> str:
        return self.source_name or self.key

    def allows(self, from_label: str, to_label: str) -> bool:
        return self.allows_from(from_label) and self.allows_to(to_label)

    def allows_from(self, label: str) -> bool:
        return not self.from_labels or label in self.from_labels

    def allows_to(self, label: str) -> bool:
        return not self.to_labels or label in self.to_labels

    @property
    def rule(self) -> str:
        """The rule in words: "attributed_to goes from claim or denial to attribution"."""
        return (
            f"{self.key} goes from {_label_list(self.from_labels)} to {_label_list(self.to_labels)}"
        )


@dataclass(frozen=True, slots=True)
class Relation:
    """A typed, directed link from one span to another of the same document and layer."""

    id: RelationId
    document_id: DocumentId
    type: str
    from_span: SpanId
    to_span: SpanId
    annotator: str
    created_at: str = ""


#: A relation's fields, declared once by ``Relation``: the table's columns, in order.
RELATION_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Relation))
#: What a relation event records of a relation (the event names the document itself).
RELATION_EVENT_FIELDS: tuple[str, ...] = tuple(n for n in RELATION_FIELDS if n != "document_id")


def relation_values(relation: Relation) -> dict[str, Any]:
    """A relation as its event records it."""
    return {name: getattr(relation, name) for name in RELATION_EVENT_FIELDS}


def relation_from_values(values: dict[str, Any], document_id: str) -> Relation:
    """The relation an event recorded (``relation_values`` read back)."""
    return Relation(
        document_id=DocumentId(document_id), **{n: values[n] for n in RELATION_EVENT_FIELDS}
    )


#: The layer every annotator's work is merged into by adjudication; never a hand-edited layer.
GOLD_LAYER = "gold"
#: What a layer holds: one person's annotations, the adjudicated gold, or a machine's suggestions.
LAYER_KINDS = ("person", "gold", "machine")


@dataclass(frozen=True, slots=True)
class Layer:
    """A named set of spans and statuses: one per annotator, plus ``gold`` and machine layers."""

    name: str
    kind: str
    span_count: int


#: One span as a view holds tens of thousands of them: (start, end, label, id, note). It sorts
#: in text order, and ``SpanIntervals`` can hold it as it is; the text is
#: ``document.text[start:end]``.
ShownSpan = tuple[int, int, LabelKey, SpanId, str | None]


def shown_span(span: Span) -> ShownSpan:
    return (span.start, span.end, span.label, span.id, span.note)


@dataclass(frozen=True, slots=True)
class Event:
    seq: int
    at: str
    annotator: str
    kind: str
    document_id: str | None
    doc_sha256: str | None
    subject: str | None
    before: Any
    after: Any
    app_version: str
    prev_hash: str
    hash: str
    #: The operation (transaction) this event belongs to, and the one it undoes or redoes.
    operation: int | None = None
    reverts: int | None = None


class ClaimmarkError(Exception):
    """An error whose message is meant for the user as it is."""


class InvariantError(ClaimmarkError):
    """A write would break a rule the data must never break; nothing was written."""


class ProjectFileError(ClaimmarkError):
    """The file cannot be opened as a claimmark project; it has not been modified."""


class ProjectWriteError(ClaimmarkError):
    """A write could not reach the disk (full, read-only, busy); it was rolled back whole."""


class DamagedProjectError(ProjectFileError):
    """SQLite's own check found damage; the file is left as it is for restoring or rescue."""
