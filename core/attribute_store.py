"""Attribute definitions: which typed values each label's spans carry (``label_attributes``)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from .attributes import AttributeDefinition, check_definition, checked_values
from .event_kinds import EventKind
from .label_store import LabelStore
from .model import AttributeValues, InvariantError
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

    def checked(self, label: str, values: Mapping[str, Any]) -> AttributeValues:
        """``values`` of a span of ``label`` in stored form, or InvariantError with the rule."""
        if not values:
            return AttributeValues()
        return checked_values(self.of_label(label), label, values)
