"""The project's labels: the schema annotators choose from."""

from __future__ import annotations

from .event_kinds import EventKind
from .model import InvariantError, Label, LabelKey
from .project_db import ProjectDb
from .project_rows import label_dict
from .project_rules import validate_label


class LabelStore:
    def __init__(self, db: ProjectDb):
        self._db = db

    def all(self) -> list[Label]:
        rows = self._db.conn.execute(
            "SELECT key, name, color, hotkey, description, source_name FROM labels"
            " ORDER BY position, key"
        )
        return [Label(LabelKey(k), n, c, h, d, s) for k, n, c, h, d, s in rows]

    def get(self, key: str) -> Label | None:
        return next((label for label in self.all() if label.key == key), None)

    def insert(
        self,
        label: Label,
        *,
        annotator: str,
        kind: EventKind = EventKind.LABEL_ADDED,
        merged_from: dict[str, str] | None = None,
    ) -> None:
        """Store a new label and its event; the caller holds the write transaction.

        A label brought by a merge is recorded as such (``kind``, ``merged_from``: the file).
        """
        validate_label(label)
        scalar = self._db.scalar
        if scalar("SELECT 1 FROM labels WHERE key = ?", label.key):
            raise InvariantError(f"label {label.key!r} already exists")
        if label.hotkey and scalar("SELECT key FROM labels WHERE hotkey = ?", label.hotkey):
            taken = scalar("SELECT key FROM labels WHERE hotkey = ?", label.hotkey)
            raise InvariantError(f"hotkey {label.hotkey!r} is already used by label {taken!r}")
        if label.source_name is not None:
            taken = scalar("SELECT key FROM labels WHERE source_name = ?", label.source_name)
            if taken:
                raise InvariantError(f"label {taken!r} already stands for {label.source_name!r}")
        position = scalar("SELECT coalesce(max(position), 0) + 1 FROM labels")
        self._db.conn.execute(
            "INSERT INTO labels (key, name, color, hotkey, description, source_name, position)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                label.key,
                label.name,
                label.color,
                label.hotkey,
                label.description,
                label.source_name,
                position,
            ),
        )
        after = label_dict(label)
        if merged_from is not None:
            after["merged_from"] = merged_from
        self._db.append_event(kind, subject=label.key, after=after, annotator=annotator)

    def check_exists(self, key: str) -> None:
        if not self._db.scalar("SELECT 1 FROM labels WHERE key = ?", key):
            raise InvariantError(f"unknown label {key!r}")
