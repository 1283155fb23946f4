"""What an export is asked to do, and what it did."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..formats.utf16_units import OFFSET_UNITS, UTF16
from .errors import ExportError
from .losses import Loss

STATUS_CHOICES = ("done", "in_progress", "not_started")
#: What Label Studio can take for a member's email: an annotator named so needs no mapping.
EMAIL_RE = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
ALIGN_MODES = ("expand", "contract", "strict")
DOCCANO_LAYOUTS = ("entities", "label")

#: Part names become file and folder names next to ``losses.jsonl`` and ``provenance.json``.
_PART_NAME_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,39}\Z")
_RESERVED_PARTS = {"losses", "provenance", "labels", "config", "annotation"}


@dataclass(frozen=True, slots=True)
class ExportOptions:
    annotators: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()
    #: Document status filter: done / in_progress / not_started (for ``annotators``, or anyone).
    statuses: tuple[str, ...] = ()
    documents: tuple[str, ...] = ()
    #: ((part name, fraction), ...), fractions summing to 1; None = one output.
    split: tuple[tuple[str, float], ...] | None = None
    seed: int = 0
    strict: bool = False
    force: bool = False
    span_key: str = "sc"
    lang: str = "xx"
    align: str = "expand"
    doccano_layout: str = "entities"
    #: doccano offsets: UTF-16 units (what doccano's editor counts) or code points.
    doccano_offsets: str = UTF16
    #: Label Studio: (annotator, member email) pairs, so annotations are credited to them.
    labelstudio_users: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        for name, values, allowed in (
            ("status", self.statuses, STATUS_CHOICES),
            ("align", (self.align,), ALIGN_MODES),
            ("doccano layout", (self.doccano_layout,), DOCCANO_LAYOUTS),
            ("doccano offset unit", (self.doccano_offsets,), OFFSET_UNITS),
        ):
            for value in values:
                if value not in allowed:
                    raise ExportError(f"unknown {name} {value!r}; use one of {', '.join(allowed)}")
        for name, email in self.labelstudio_users:
            labelstudio_member_problem(name, email)
        if not self.span_key:
            raise ExportError("the span key must not be empty")
        if self.split is not None:
            check_split(self.split)

    def filters(self) -> dict[str, Any]:
        return {
            "annotators": list(self.annotators),
            "labels": list(self.labels),
            "statuses": list(self.statuses),
            "documents": list(self.documents),
        }


def labelstudio_member_problem(name: str, email: str) -> None:
    """Raise unless ``email`` can name a Label Studio member (it matches members by email)."""
    if not name.strip():
        raise ExportError(f"a Label Studio member ({email!r}) needs the annotator it stands for")
    if not EMAIL_RE.fullmatch(email.strip()):
        raise ExportError(
            f"Label Studio member of {name!r}: {email!r} is not an email address (Label Studio"
            " credits annotations to members by email)"
        )


def parse_split(text: str) -> tuple[tuple[str, float], ...]:
    """``"train=0.8,dev=0.1,test=0.1"`` -> (("train", 0.8), ("dev", 0.1), ("test", 0.1))."""
    parts = []
    for item in text.split(","):
        name, sep, value = item.strip().partition("=")
        if not sep:
            raise ExportError(f"split part {item.strip()!r} is not NAME=FRACTION")
        try:
            fraction = float(value)
        except ValueError:
            raise ExportError(f"split part {name!r}: {value!r} is not a number") from None
        parts.append((name.strip(), fraction))
    split = tuple(parts)
    check_split(split)
    return split


def check_split(split: tuple[tuple[str, float], ...]) -> None:
    names = [name for name, _ in split]
    if not split:
        raise ExportError("a split needs at least one part")
    for name, fraction in split:
        if not _PART_NAME_RE.match(name) or name.lower() in _RESERVED_PARTS:
            raise ExportError(
                f"split part name {name!r} must be letters, digits, '_' or '-' and not one of "
                f"{', '.join(sorted(_RESERVED_PARTS))}"
            )
        if not 0 <= fraction <= 1:
            raise ExportError(f"split part {name!r}: fraction {fraction} is not between 0 and 1")
    if len({n.casefold() for n in names}) != len(names):
        raise ExportError("split part names must be different (ignoring case)")
    total = sum(fraction for _, fraction in split)
    if abs(total - 1) > 1e-6:
        raise ExportError(f"split fractions add up to {total:g}, not 1")


@dataclass(slots=True)
class ExportReport:
    format: str
    documents: int = 0
    spans: int = 0
    losses: list[Loss] = field(default_factory=list)
    #: Every file or folder the export created, main outputs first.
    outputs: list[Path] = field(default_factory=list)
    #: The ``-o`` path: the data file, or the folder holding everything.
    destination: Path | None = None
    loss_report: Path | None = None
    provenance_file: Path | None = None
    provenance: dict[str, Any] = field(default_factory=dict)
    #: Part name -> number of documents (a single output is the part "all").
    parts: dict[str, int] = field(default_factory=dict)
    #: Facts the user should know that are not losses (e.g. where tokens came from).
    notices: list[str] = field(default_factory=list)

    def losses_by_reason(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for loss in self.losses:
            counts[loss.reason] = counts.get(loss.reason, 0) + 1
        return dict(sorted(counts.items()))
