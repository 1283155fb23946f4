"""The project's labels: the schema annotators choose from.

A label's key never changes (spans, exports and events name it); its display name, colour,
hotkey, description and place in the order can, each change an audited schema event.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from .event_kinds import EventKind
from .model import InvariantError, Label, LabelKey
from .project_db import ProjectDb
from .project_rows import label_dict
from .project_rules import check_hotkey_not_the_windows, validate_label


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
        self._check_hotkey_free(label)
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

    def _check_hotkey_free(self, label: Label) -> None:
        """A hotkey belongs to one label; the article reads letters without case (Qt's key
        code for ``a`` and ``A`` is the same), so ``A`` is taken when ``a`` is."""
        if not label.hotkey:
            return
        for other in self.all():
            taken = other.hotkey and other.hotkey.casefold() == label.hotkey.casefold()
            if taken and other.key != label.key:
                raise InvariantError(
                    f"hotkey {label.hotkey!r} is already used by label {other.key!r} ({other.name})"
                )

    def require(self, key: str) -> Label:
        label = self.get(key)
        if label is None:
            known = ", ".join(label.key for label in self.all())
            raise InvariantError(f"unknown label {key!r} (the labels are: {known})")
        return label

    def change(self, key: str, *, annotator: str, **fields: Any) -> tuple[Label, Label] | None:
        """Change a label's name, color, hotkey and/or description (its key stays); the event
        records it before and after. None when nothing would change (nothing is written)."""
        allowed = {"name", "color", "hotkey", "description"}
        if set(fields) - allowed:
            raise TypeError(f"a label's {sorted(set(fields) - allowed)} cannot be changed")
        before = self.require(key)
        after = replace(before, **fields)
        if after == before:
            return None
        validate_label(after)
        if after.hotkey != before.hotkey:
            check_hotkey_not_the_windows(after.hotkey)
        self._check_hotkey_free(after)
        self._db.conn.execute(
            "UPDATE labels SET name = ?, color = ?, hotkey = ?, description = ? WHERE key = ?",
            (after.name, after.color, after.hotkey, after.description, key),
        )
        self._db.append_event(
            EventKind.LABEL_CHANGED,
            subject=key,
            before=label_dict(before),
            after=label_dict(after),
            annotator=annotator,
        )
        return before, after

    def reorder(self, keys: Sequence[str], *, annotator: str) -> bool:
        """Put the labels in the order of ``keys`` (every label once); False if it already is."""
        before = [label.key for label in self.all()]
        if sorted(keys) != sorted(before) or len(set(keys)) != len(keys):
            missing = sorted(set(before) - set(keys))
            unknown = sorted(set(keys) - set(before))
            repeated = sorted({k for k in keys if list(keys).count(k) > 1})
            parts = [
                f"{what}: {', '.join(found)}"
                for what, found in (
                    ("missing", missing),
                    ("unknown", unknown),
                    ("named twice", repeated),
                )
                if found
            ]
            raise InvariantError(f"a new order must name every label once ({'; '.join(parts)})")
        if list(keys) == before:
            return False
        self._db.conn.executemany(
            "UPDATE labels SET position = ? WHERE key = ?",
            [(position, key) for position, key in enumerate(keys, start=1)],
        )
        self._db.append_event(
            EventKind.LABELS_REORDERED,
            before={"order": before},
            after={"order": list(keys)},
            annotator=annotator,
        )
        return True

    def usage(self, key: str) -> int:
        """How many spans, in every layer, carry the label."""
        return self._db.scalar("SELECT count(*) FROM spans WHERE label = ?", key)

    def usage_by_layer(self, key: str) -> dict[str, int]:
        """Spans carrying the label, per layer (annotator) that has any."""
        return dict(
            self._db.conn.execute(
                "SELECT annotator, count(*) FROM spans WHERE label = ? GROUP BY annotator"
                " ORDER BY annotator",
                (key,),
            )
        )

    def usage_by_label(self) -> dict[str, int]:
        counts = dict(self._db.conn.execute("SELECT label, count(*) FROM spans GROUP BY label"))
        return {label.key: counts.get(label.key, 0) for label in self.all()}

    def check_removable(self, key: str) -> Label:
        """The label, if nothing but relation types stands in the way of removing it now."""
        label = self.require(key)
        used = self.usage(key)
        if used:
            raise InvariantError(
                f"label {key!r} is used by {used} span{'s' if used != 1 else ''}: move them to"
                " another label to remove it"
            )
        attributes = [
            name
            for (name,) in self._db.conn.execute(
                "SELECT name FROM label_attributes WHERE label = ? ORDER BY position", (key,)
            )
        ]
        if attributes:
            raise InvariantError(
                f"label {key!r} has attributes ({', '.join(attributes)}): remove them first"
            )
        return label

    def remove(self, key: str, *, annotator: str, moved_to: str | None, moved: int) -> Label:
        """Delete an unused label; the event records it and where its spans went, if anywhere."""
        label = self.check_removable(key)
        self._db.conn.execute("DELETE FROM labels WHERE key = ?", (key,))
        self._db.append_event(
            EventKind.LABEL_REMOVED,
            subject=key,
            before=label_dict(label),
            after={"spans_moved_to": moved_to, "spans_moved": moved},
            annotator=annotator,
        )
        return label
