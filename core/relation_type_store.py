"""The project's relation types: the kinds of link annotators choose from after ``R``."""

from __future__ import annotations

import json
from dataclasses import replace
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

    def insert(
        self,
        relation_type: RelationType,
        *,
        annotator: str,
        kind: EventKind = EventKind.RELATION_TYPE_ADDED,
        merged_from: dict[str, str] | None = None,
    ) -> None:
        """Store a new relation type and its event; the caller holds the write transaction.

        A type brought by a merge is recorded as such (``kind``, ``merged_from``: the file).
        """
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
        after = values if merged_from is None else values | {"merged_from": merged_from}
        self._db.append_event(kind, subject=relation_type.key, after=after, annotator=annotator)

    def require(self, key: str) -> RelationType:
        found = self.get(key)
        if found is None:
            known = ", ".join(t.key for t in self.all()) or "none"
            raise InvariantError(f"unknown relation type {key!r} (the relation types are: {known})")
        return found

    def usage(self, key: str) -> int:
        return self._db.scalar("SELECT count(*) FROM relations WHERE type = ?", key)

    def _broken_links(self, relation_type: RelationType) -> int:
        """How many stored relations of the type its (new) label rules would break."""
        rows = self._db.conn.execute(
            "SELECT f.label, t.label FROM relations r JOIN spans f ON f.id = r.from_span"
            " JOIN spans t ON t.id = r.to_span WHERE r.type = ?",
            (relation_type.key,),
        )
        return sum(
            1 for from_label, to_label in rows if not relation_type.allows(from_label, to_label)
        )

    def change(
        self, key: str, *, annotator: str, **fields: Any
    ) -> tuple[RelationType, RelationType] | None:
        """Change a relation type's name, colour, hotkey, description or allowed labels (its key
        stays). A rule that stored relations would break is refused, with how many. None when
        nothing would change."""
        allowed = {"name", "color", "hotkey", "description", "from_labels", "to_labels"}
        if set(fields) - allowed:
            raise TypeError(f"a relation type's {sorted(set(fields) - allowed)} cannot be changed")
        for side in ("from_labels", "to_labels"):
            if side in fields:
                fields[side] = tuple(fields[side])
        before = self.require(key)
        after = replace(before, **fields)
        if after == before:
            return None
        labels = [row[0] for row in self._db.conn.execute("SELECT key FROM labels")]
        validate_relation_type(after, labels)
        hotkey = after.hotkey
        taken = hotkey and self._db.scalar(
            "SELECT key FROM relation_types WHERE hotkey = ? AND key <> ?", hotkey, key
        )
        if taken:
            raise InvariantError(f"hotkey {hotkey!r} is already used by relation type {taken!r}")
        broken = self._broken_links(after)
        if broken:
            raise InvariantError(
                f"{broken} relation{'s' if broken != 1 else ''} of type {key} would break the"
                f" new rule ({after.rule}): delete or relabel them first"
            )
        values = relation_type_dict(after)
        self._db.conn.execute(
            "UPDATE relation_types SET name = :name, color = :color, hotkey = :hotkey,"
            " description = :description, from_labels = :from_labels, to_labels = :to_labels"
            " WHERE key = :key",
            values
            | {
                "from_labels": json.dumps(values["from_labels"]),
                "to_labels": json.dumps(values["to_labels"]),
            },
        )
        self._db.append_event(
            EventKind.RELATION_TYPE_CHANGED,
            subject=key,
            before=relation_type_dict(before),
            after=values,
            annotator=annotator,
        )
        return before, after

    def remove(self, key: str, *, annotator: str) -> RelationType:
        """Delete a relation type no relation uses."""
        relation_type = self.require(key)
        used = self.usage(key)
        if used:
            raise InvariantError(
                f"relation type {key!r} is used by {used} relation{'s' if used != 1 else ''}:"
                " delete them first"
            )
        self._db.conn.execute("DELETE FROM relation_types WHERE key = ?", (key,))
        self._db.append_event(
            EventKind.RELATION_TYPE_REMOVED,
            subject=key,
            before=relation_type_dict(relation_type),
            annotator=annotator,
        )
        return relation_type

    def label_removed(self, key: str, replacement: str | None, *, annotator: str) -> None:
        """A label goes: each relation type that allows it allows ``replacement`` in its place
        (its spans move there), or, with none, no longer names it. A rule left with no label
        at one end would allow every label there, so that is refused."""
        for relation_type in self.all():
            changed = {}
            for side in ("from_labels", "to_labels"):
                keys: tuple[str, ...] = getattr(relation_type, side)
                if key not in keys:
                    continue
                kept = [k for k in keys if k != key]
                if replacement is not None and replacement not in kept:
                    kept.insert(keys.index(key), replacement)
                if not kept:
                    end = side.split("_")[0]
                    raise InvariantError(
                        f"relation type {relation_type.key!r} allows only label {key!r} at its"
                        f" {end} end: change or remove the relation type first"
                    )
                changed[side] = tuple(kept)
            if changed:
                self.change(relation_type.key, annotator=annotator, **changed)
