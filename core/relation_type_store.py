"""The project's relation types: the kinds of link annotators choose from after ``R``."""

from __future__ import annotations

import json
from typing import Any

from .event_kinds import EventKind
from .model import InvariantError, RelationType
from .project_db import ProjectDb
from .relation_rules import validate_relation_type

_COLUMNS = "key, name, color, hotkey, description, from_labels, to_labels, source_name"


def relation_type_dict(relation_type: RelationType) -> dict[str, Any]:
    """A relation type as its event (and the JSONL definition line) records it."""
    return {
        "key": relation_type.key,
        "name": relation_type.name,
        "color": relation_type.color,
        "hotkey": relation_type.hotkey,
        "description": relation_type.description,
        "from_labels": list(relation_type.from_labels),
        "to_labels": list(relation_type.to_labels),
        "source_name": relation_type.source_name,
    }


def _relation_type(row: tuple) -> RelationType:
    key, name, color, hotkey, description, from_labels, to_labels, source_name = row
    return RelationType(
        key,
        name,
        color,
        hotkey,
        description,
        tuple(json.loads(from_labels)),
        tuple(json.loads(to_labels)),
        source_name,
    )


class RelationTypeStore:
    def __init__(self, db: ProjectDb):
        self._db = db

    def all(self) -> list[RelationType]:
        rows = self._db.conn.execute(
            f"SELECT {_COLUMNS} FROM relation_types ORDER BY position, key"
        )
        return [_relation_type(row) for row in rows]

    def get(self, key: str) -> RelationType | None:
        row = self._db.conn.execute(
            f"SELECT {_COLUMNS} FROM relation_types WHERE key = ?", (key,)
        ).fetchone()
        return _relation_type(row) if row is not None else None

    def insert(self, relation_type: RelationType, *, annotator: str) -> None:
        """Store a new relation type and its event; the caller holds the write transaction."""
        scalar = self._db.scalar
        labels = [row[0] for row in self._db.conn.execute("SELECT key FROM labels")]
        validate_relation_type(relation_type, labels)
        if scalar("SELECT 1 FROM relation_types WHERE key = ?", relation_type.key):
            raise InvariantError(f"relation type {relation_type.key!r} already exists")
        hotkey = relation_type.hotkey
        taken = hotkey and scalar("SELECT key FROM relation_types WHERE hotkey = ?", hotkey)
        if taken:
            raise InvariantError(f"hotkey {hotkey!r} is already used by relation type {taken!r}")
        if relation_type.source_name is not None:
            taken = scalar(
                "SELECT key FROM relation_types WHERE source_name = ?", relation_type.source_name
            )
            if taken:
                raise InvariantError(
                    f"relation type {taken!r} already stands for {relation_type.source_name!r}"
                )
        position = scalar("SELECT coalesce(max(position), 0) + 1 FROM relation_types")
        values = relation_type_dict(relation_type)
        self._db.conn.execute(
            f"INSERT INTO relation_types ({_COLUMNS}, position)"
            " VALUES (:key, :name, :color, :hotkey, :description, :from_labels, :to_labels,"
            " :source_name, :position)",
            values
            | {
                "from_labels": json.dumps(values["from_labels"]),
                "to_labels": json.dumps(values["to_labels"]),
                "position": position,
            },
        )
        self._db.append_event(
            EventKind.RELATION_TYPE_ADDED,
            subject=relation_type.key,
            after=values,
            annotator=annotator,
        )
