"""Attribute definitions: which typed values each label's spans carry (``label_attributes``)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from .attributes import AttributeDefinition, check_definition, checked_values, normalised_value
from .event_kinds import EventKind
from .label_store import LabelStore
from .model import AttributeValues, ClaimmarkError, InvariantError
from .project_db import ProjectDb

_COLUMNS = "label, name, kind, choices, minimum, maximum, allow_range, allow_unknown, description"


class AttributeStore:
    def __init__(self, db: ProjectDb, labels: LabelStore):
        self._db = db
        self._labels = labels

    def all(self, label: str | None = None) -> list[AttributeDefinition]:
        """Definitions in schema order (by label's position, then the attribute's)."""
        where, params = ("WHERE a.label = ?", (label,)) if label is not None else ("", ())
        rows = self._db.conn.execute(
            f"SELECT {', '.join('a.' + c.strip() for c in _COLUMNS.split(','))}"
            f" FROM label_attributes a JOIN labels l ON l.key = a.label {where}"
            " ORDER BY l.position, a.label, a.position, a.name",
            params,
        )
        return [
            AttributeDefinition(
                label=row[0],
                name=row[1],
                kind=row[2],
                choices=tuple(json.loads(row[3])),
                minimum=row[4],
                maximum=row[5],
                allow_range=bool(row[6]),
                allow_unknown=bool(row[7]),
                description=row[8],
            )
            for row in rows
        ]

    def of_label(self, label: str) -> dict[str, AttributeDefinition]:
        return {d.name: d for d in self.all(label)}

    def insert(
        self,
        definition: AttributeDefinition,
        *,
        annotator: str,
        kind: EventKind = EventKind.ATTRIBUTE_ADDED,
        merged_from: dict[str, str] | None = None,
    ) -> None:
        """Store a new definition and its event; the caller holds the write transaction.

        A definition brought by a merge is recorded as such (``kind``, ``merged_from``).
        """
        check_definition(definition)
        self._labels.check_exists(definition.label)
        scalar = self._db.scalar
        if scalar(
            "SELECT 1 FROM label_attributes WHERE label = ? AND name = ?",
            definition.label,
            definition.name,
        ):
            raise InvariantError(
                f"label {definition.label} already has an attribute {definition.name!r}"
            )
        position = scalar(
            "SELECT coalesce(max(position), 0) + 1 FROM label_attributes WHERE label = ?",
            definition.label,
        )
        d = definition
        self._db.conn.execute(
            f"INSERT INTO label_attributes ({_COLUMNS}, position)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                d.label,
                d.name,
                d.kind,
                json.dumps(list(d.choices), ensure_ascii=False),
                d.minimum,
                d.maximum,
                int(d.allow_range),
                int(d.allow_unknown),
                d.description,
                position,
            ),
        )
        after = d.as_json()
        if merged_from is not None:
            after["merged_from"] = merged_from
        self._db.append_event(kind, subject=f"{d.label}.{d.name}", after=after, annotator=annotator)

    def require(self, label: str, name: str) -> AttributeDefinition:
        found = self.of_label(label).get(name)
        if found is None:
            self._labels.check_exists(label)
            known = ", ".join(self.of_label(label)) or "none"
            raise InvariantError(f"label {label} has no attribute {name!r} (it has: {known})")
        return found

    def spans_with_value(self, label: str, name: str) -> list[tuple[str, Any]]:
        """(span id, stored value) of every span, in every layer, holding a value for it."""
        found = []
        for span_id, values in self._db.conn.execute(
            "SELECT id, attributes FROM spans WHERE label = ? ORDER BY document_id, start, rowid",
            (label,),
        ):
            value = json.loads(values).get(name)
            if value is not None:
                found.append((span_id, value))
        return found

    def change(
        self, label: str, name: str, *, annotator: str, **fields: Any
    ) -> tuple[AttributeDefinition, AttributeDefinition] | None:
        """Change a definition's kind, choices, bounds, range/unknown permission or meaning (its
        label and name stay). A rule some stored value would break is refused, with how many.
        None when nothing would change."""
        allowed = {
            "kind",
            "choices",
            "minimum",
            "maximum",
            "allow_range",
            "allow_unknown",
            "description",
        }
        if set(fields) - allowed:
            raise TypeError(f"an attribute's {sorted(set(fields) - allowed)} cannot be changed")
        if "choices" in fields:
            fields["choices"] = tuple(fields["choices"])
        before = self.require(label, name)
        after = replace(before, **fields)
        if after == before:
            return None
        check_definition(after)
        broken = []
        for _span_id, value in self.spans_with_value(label, name):
            stored = tuple(value) if isinstance(value, list) else value
            try:
                fits = normalised_value(after, stored) == stored
            except ClaimmarkError:
                fits = False
            if not fits:
                broken.append(value)
        if broken:
            shown = ", ".join(sorted({str(v) for v in broken})[:5])
            raise InvariantError(
                f"{len(broken)} stored value{'s' if len(broken) != 1 else ''} of {label}.{name}"
                f" ({shown}) would break the new rule ({name} must be {after.rule}):"
                " change them first, or remove the attribute with its values"
            )
        d = after
        self._db.conn.execute(
            "UPDATE label_attributes SET kind = ?, choices = ?, minimum = ?, maximum = ?,"
            " allow_range = ?, allow_unknown = ?, description = ? WHERE label = ? AND name = ?",
            (
                d.kind,
                json.dumps(list(d.choices), ensure_ascii=False),
                d.minimum,
                d.maximum,
                int(d.allow_range),
                int(d.allow_unknown),
                d.description,
                label,
                name,
            ),
        )
        self._db.append_event(
            EventKind.ATTRIBUTE_CHANGED,
            subject=f"{label}.{name}",
            before=before.as_json(),
            after=after.as_json(),
            annotator=annotator,
        )
        return before, after

    def remove(self, label: str, name: str, *, annotator: str, dropped: int) -> AttributeDefinition:
        """Delete a definition no span holds a value of (any were dropped first)."""
        definition = self.require(label, name)
        held = len(self.spans_with_value(label, name))
        if held:
            raise InvariantError(
                f"{held} span{'s hold' if held != 1 else ' holds'} a value of {label}.{name}:"
                " remove it with its values dropped (--drop-values), or clear them first"
            )
        self._db.conn.execute(
            "DELETE FROM label_attributes WHERE label = ? AND name = ?", (label, name)
        )
        self._db.append_event(
            EventKind.ATTRIBUTE_REMOVED,
            subject=f"{label}.{name}",
            before=definition.as_json(),
            after={"values_dropped": dropped},
            annotator=annotator,
        )
        return definition

    def checked(self, label: str, values: Mapping[str, Any]) -> AttributeValues:
        """``values`` of a span of ``label`` in stored form, or InvariantError with the rule."""
        if not values:
            return AttributeValues()
        return checked_values(self.of_label(label), label, values)
