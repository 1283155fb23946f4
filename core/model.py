"""Domain types shared by the storage layer, the formats, the CLI and the GUI.

Everything is a frozen dataclass so that a value handed to the GUI or kept on an undo stack can
never drift from what was committed; a changed span is a new value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from typing import Any, NewType

DocumentId = NewType("DocumentId", str)
SpanId = NewType("SpanId", str)
LabelKey = NewType("LabelKey", str)

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


@dataclass(frozen=True, slots=True)
class Span:
    id: SpanId
    document_id: DocumentId
    label: LabelKey
    start: int
    end: int
    text: str
    annotator: str
    note: str | None = None
    created_at: str = ""
    updated_at: str = ""


#: A span's fields, declared once by ``Span`` itself: the table's columns, in order.
SPAN_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Span))
#: What a span event records of a span (the event names the document itself).
SPAN_EVENT_FIELDS: tuple[str, ...] = tuple(n for n in SPAN_FIELDS if n != "document_id")


def span_values(span: Span) -> dict[str, Any]:
    """A span as its event records it."""
    return {name: getattr(span, name) for name in SPAN_EVENT_FIELDS}


def span_from_values(values: dict[str, Any], document_id: str) -> Span:
    """The span an event recorded (``span_values`` read back)."""
    return Span(document_id=DocumentId(document_id), **{n: values[n] for n in SPAN_EVENT_FIELDS})


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
