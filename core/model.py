"""Domain types shared by the storage layer, the formats, the CLI and the GUI.

Everything is a frozen dataclass so that a value handed to the GUI or kept on an undo stack can
never drift from what was committed; a changed span is a new value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
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


@dataclass(frozen=True, slots=True)
class Change:
    """What one operation did: enough to refresh a view and to undo it.

    ``before`` is None for a creation and ``after`` is None for a deletion.
    """

    kind: str
    document_id: DocumentId | None
    before: Span | None = None
    after: Span | None = None
    extra: dict[str, Any] = field(default_factory=dict)


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
