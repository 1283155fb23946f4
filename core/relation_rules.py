"""What a relation must be before it is stored, and which types fit two spans.

Kept apart from the storage code so the GUI asks the same questions (which types to offer after
``R``) that the store asks before it writes, and gets the same words back.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol

from .model import COLOR_RE, LABEL_KEY_RE, InvariantError, RelationType, Span
from .text_checks import string_problem


def schema_problem(relation_type: RelationType, from_label: str, to_label: str) -> str | None:
    """Why a ``relation_type`` link from a ``from_label`` span to a ``to_label`` one breaks the
    schema ("attributed_to goes from claim, denial or casualty_report to attribution, not from
    attribution to claim"), or None."""
    if relation_type.allows(from_label, to_label):
        return None
    return f"{relation_type.rule}, not from {from_label} to {to_label}"


def allowed_types(
    relation_types: Iterable[RelationType], from_label: str, to_label: str
) -> list[RelationType]:
    """The types a link from a ``from_label`` span to a ``to_label`` span may have."""
    return [t for t in relation_types if t.allows(from_label, to_label)]


class SpanEnd(Protocol):
    """What the rules read of a span at one end of a link (a ``Span`` has it)."""

    @property
    def id(self) -> str: ...
    @property
    def document_id(self) -> str: ...
    @property
    def annotator(self) -> str: ...


def pair_problem(first: SpanEnd, second: SpanEnd) -> str | None:
    """Why two spans cannot be linked at all (whatever the type), or None."""
    if first.id == second.id:
        return "a relation links two different spans, not a span to itself"
    if first.document_id != second.document_id:
        return "the two spans are in different documents; a relation links spans of one document"
    if first.annotator != second.annotator:
        return (
            f"the two spans are in different layers ({first.annotator}'s and"
            f" {second.annotator}'s); a relation links spans of one layer"
        )
    return None


def relabel_problem(
    span: Span,
    new_label: str,
    links: Sequence[tuple[RelationType, bool]],
) -> str | None:
    """Why ``span`` cannot take ``new_label`` while it has these links ((type, is its source)).

    A relabel that would leave a relation breaking its rule is refused rather than deleting the
    relation behind the annotator's back: they delete the link first, knowingly.
    """
    for relation_type, outgoing in links:
        fits = relation_type.allows_from if outgoing else relation_type.allows_to
        if not fits(new_label):
            end = "source" if outgoing else "target"
            return (
                f"cannot change the label to {new_label}: the span is the {end} of a relation of"
                f" type {relation_type.key} ({relation_type.rule}); delete the relation first"
            )
    return None


def validate_relation_type(relation_type: RelationType, label_keys: Iterable[str]) -> None:
    """Refuse a relation type that could not be stored or shown as it is."""
    for field_name in ("name", "description"):
        problem = string_problem(getattr(relation_type, field_name))
        if problem:
            raise InvariantError(f"relation type {field_name} {problem}")
    if relation_type.source_name is not None:
        problem = string_problem(relation_type.source_name) or (
            "is empty" if not relation_type.source_name.strip() else None
        )
        if problem:
            raise InvariantError(f"relation type source name {problem}")
    if not LABEL_KEY_RE.match(relation_type.key):
        raise InvariantError(
            f"relation type key {relation_type.key!r} is not allowed: use lower-case letters,"
            " digits and _, starting with a letter (e.g. attributed_to)"
        )
    if not COLOR_RE.match(relation_type.color):
        raise InvariantError(
            f"relation type colour {relation_type.color!r} is not a #rrggbb colour"
        )
    if not relation_type.name.strip():
        raise InvariantError(f"relation type {relation_type.key!r} needs a display name")
    hotkey = relation_type.hotkey
    if hotkey is not None and (len(hotkey) != 1 or not hotkey.isprintable() or hotkey == " "):
        raise InvariantError(f"hotkey {hotkey!r} must be a single printable character")
    known = set(label_keys)
    for side, keys in (("from", relation_type.from_labels), ("to", relation_type.to_labels)):
        if len(set(keys)) != len(keys):
            raise InvariantError(f"relation type {relation_type.key!r} names a label twice")
        for key in keys:
            if key not in known:
                raise InvariantError(
                    f"relation type {relation_type.key!r} goes {side} label {key!r},"
                    " which the project does not have"
                )
