"""Editing the project's schema: labels (rename, recolour, re-key, reorder, describe, remove) and
relation types (the same, plus which labels each end allows).

A schema change is shared by everyone working on the project, so it is not a person's own edit:
any annotator may make one, each is an audited event naming who made it, and none enters the
per-person undo history (``ChangeSet.undoable`` is false for anything touching labels). Removing
a label that spans use takes an explicit target label: every span of it, in every layer, is
moved there in the same transaction, each move its own ``span_moved_to_label`` event, so the
audit shows whose work the schema change touched. An undo someone takes later of an edit made
before the change is refused if it would bring a removed label back (its label no longer exists).
"""

from __future__ import annotations

from typing import Any

from .attribute_store import AttributeStore
from .attributes import AttributeDefinition
from .changes import ChangeSet
from .event_kinds import EventKind
from .label_store import LabelStore
from .model import InvariantError, Label, RelationType
from .project_db import ProjectDb
from .relation_type_store import RelationTypeStore
from .span_store import UNSET, SpanStore


class SchemaEditor:
    def __init__(
        self,
        db: ProjectDb,
        labels: LabelStore,
        spans: SpanStore,
        relation_types: RelationTypeStore,
        attributes: AttributeStore,
    ):
        self._db = db
        self._labels = labels
        self._spans = spans
        self._relation_types = relation_types
        self._attributes = attributes

    def _change_set(self, annotator: str, labels: tuple[Label, ...], title: str, spans=()):
        if not labels:
            return ChangeSet(annotator)
        operation = self._db.operation
        return ChangeSet(annotator, operation, spans=tuple(spans), labels=labels, title=title)

    # ------------------------------------------------------------------ reading
    def label_usage(self, key: str) -> int:
        """How many spans in every layer carry the label (what removing it would move)."""
        self._labels.require(key)
        return self._labels.usage(key)

    def usage_by_layer(self, key: str) -> dict[str, int]:
        """Spans carrying the label, per layer that has any: what a removal would touch."""
        self._labels.require(key)
        return self._labels.usage_by_layer(key)

    def usage_by_label(self) -> dict[str, int]:
        return self._labels.usage_by_label()

    # ------------------------------------------------------------------ labels
    def change_label(
        self,
        key: str,
        *,
        annotator: str,
        name: Any = UNSET,
        color: Any = UNSET,
        hotkey: Any = UNSET,
        description: Any = UNSET,
    ) -> ChangeSet:
        """Change a label's display name, colour, hotkey (None clears it) or description.

        The key stays: spans, exports and the history name labels by it. An empty change set
        when nothing would change.
        """
        fields = {
            name_: value
            for name_, value in (
                ("name", name),
                ("color", color),
                ("hotkey", hotkey or None if hotkey is not UNSET else UNSET),
                ("description", description),
            )
            if value is not UNSET
        }
        with self._db.write():
            changed = self._labels.change(key, annotator=annotator, **fields)
        if changed is None:
            return ChangeSet(annotator)
        return self._change_set(annotator, (changed[1],), f"Change label {key}")

    def reorder_labels(self, keys: list[str], *, annotator: str) -> ChangeSet:
        """Put the labels (all of them, each once) in this order: the label bar's order."""
        with self._db.write():
            changed = self._labels.reorder(keys, annotator=annotator)
        labels = tuple(self._labels.all()) if changed else ()
        return self._change_set(annotator, labels, "Reorder labels")

    def move_label(self, key: str, position: int, *, annotator: str) -> ChangeSet:
        """Move one label to ``position`` (1 is first; beyond the end is last)."""
        order: list[str] = [label.key for label in self._labels.all()]
        self._labels.require(key)
        if position < 1:
            raise InvariantError(f"position {position} is not allowed: the first position is 1")
        order.remove(key)
        order.insert(min(position, len(order) + 1) - 1, key)
        return self.reorder_labels(order, annotator=annotator)

    def remove_label(
        self, key: str, *, annotator: str, move_spans_to: str | None = None
    ) -> ChangeSet:
        """Remove a label. One that spans use is removed only with ``move_spans_to``: its spans
        in every layer are relabelled to that label first (a duplicate that would result is
        merged into the span it duplicates), all in one transaction."""
        label = self._labels.require(key)
        if move_spans_to is not None:
            if move_spans_to == key:
                raise InvariantError(f"cannot move the spans of label {key!r} to itself")
            self._labels.require(move_spans_to)
        with self._db.write():
            moved = []
            if move_spans_to is not None:
                moved = self._spans.move_to_label(key, move_spans_to, by=annotator)
            self._labels.check_removable(key)  # its own reasons first, then the relation types'
            self._relation_types.label_removed(key, move_spans_to, annotator=annotator)
            self._labels.remove(key, annotator=annotator, moved_to=move_spans_to, moved=len(moved))
        return self._change_set(annotator, (label,), f"Remove label {key}", moved)

    # ------------------------------------------------------------------ relation types
    def relation_type_usage(self, key: str) -> int:
        """How many relations, in every layer, have the type."""
        self._relation_types.require(key)
        return self._relation_types.usage(key)

    def change_relation_type(
        self,
        key: str,
        *,
        annotator: str,
        name: Any = UNSET,
        color: Any = UNSET,
        hotkey: Any = UNSET,
        description: Any = UNSET,
        from_labels: Any = UNSET,
        to_labels: Any = UNSET,
    ) -> ChangeSet:
        """Change a relation type (its key stays). ``from_labels``/``to_labels``: the labels its
        source and target spans may carry (empty: any); a rule the stored relations would
        break is refused. An empty change set when nothing would change."""
        fields = {
            name_: value
            for name_, value in (
                ("name", name),
                ("color", color),
                ("hotkey", hotkey or None if hotkey is not UNSET else UNSET),
                ("description", description),
                ("from_labels", from_labels),
                ("to_labels", to_labels),
            )
            if value is not UNSET
        }
        with self._db.write():
            changed = self._relation_types.change(key, annotator=annotator, **fields)
        if changed is None:
            return ChangeSet(annotator)
        return self._types_change_set(annotator, (changed[1],), f"Change relation type {key}")

    def remove_relation_type(self, key: str, *, annotator: str) -> ChangeSet:
        """Remove a relation type no relation uses."""
        with self._db.write():
            removed = self._relation_types.remove(key, annotator=annotator)
        return self._types_change_set(annotator, (removed,), f"Remove relation type {key}")

    def _types_change_set(
        self, annotator: str, types: tuple[RelationType, ...], title: str
    ) -> ChangeSet:
        return ChangeSet(annotator, self._db.operation, relation_types=types, title=title)

    # ------------------------------------------------------------------ attributes
    def attribute_usage(self, label: str, name: str) -> int:
        """How many spans, in every layer, hold a value of the attribute."""
        self._attributes.require(label, name)
        return len(self._attributes.spans_with_value(label, name))

    def change_attribute(
        self, label: str, name: str, *, annotator: str, **fields: Any
    ) -> ChangeSet:
        """Change an attribute definition: ``kind``, ``choices``, ``minimum``, ``maximum``,
        ``allow_range``, ``allow_unknown``, ``description`` (its label and name stay). A rule
        that a stored value breaks is refused, naming how many. Empty when nothing changes."""
        with self._db.write():
            changed = self._attributes.change(label, name, annotator=annotator, **fields)
        if changed is None:
            return ChangeSet(annotator)
        return self._definitions_change_set(
            annotator, (changed[1],), f"Change attribute {label}.{name}"
        )

    def remove_attribute(
        self, label: str, name: str, *, annotator: str, drop_values: bool = False
    ) -> ChangeSet:
        """Remove an attribute definition: only when no span holds a value of it, or, with
        ``drop_values``, after dropping every value (in every layer, each its own
        ``span_attribute_dropped`` event), all in one transaction."""
        self._attributes.require(label, name)
        dropped = []
        with self._db.write():
            if drop_values:
                for span_id, _value in self._attributes.spans_with_value(label, name):
                    span = self._spans.get(span_id)
                    kept = {k: v for k, v in span.attributes.items() if k != name}
                    change = self._spans.update(
                        span_id,
                        by=annotator,
                        attributes=kept,
                        kind=EventKind.SPAN_ATTRIBUTE_DROPPED,
                        schema_change=True,
                    )
                    if change is not None:
                        dropped.append(change)
            removed = self._attributes.remove(
                label, name, annotator=annotator, dropped=len(dropped)
            )
        return self._definitions_change_set(
            annotator, (removed,), f"Remove attribute {label}.{name}", dropped
        )

    def _definitions_change_set(
        self, annotator: str, definitions: tuple[AttributeDefinition, ...], title: str, spans=()
    ) -> ChangeSet:
        return ChangeSet(
            annotator,
            self._db.operation,
            spans=tuple(spans),
            definitions=definitions,
            title=title,
        )
