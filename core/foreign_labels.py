"""Label names from other tools, mapped onto the project's label keys: never two names as one.

A key is restricted (``[a-z][a-z0-9_]*``) because it ends up as a CoNLL tag, a brat type and an
XML attribute. Names from other tools are not: ``PER``, ``Merge-org``, ``人名``, ``ПЕРСОНА``. Such
a name gets a key derived from it and is kept on the label as its display name and as its
``source_name``, which exports to formats that carry names write back unchanged. Two different
names that would share a key (``PER`` and ``per``; ``Merge-org`` and ``merge_org``), or a name
that would land on a project label standing for another name, are refused, naming both.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from .label_schema import display_name, generated_color
from .model import LABEL_KEY_RE, Label, LabelKey

_UNDERSCORES = re.compile("_+")


def key_for_name(name: str) -> str:
    """A valid key for a name: "Casualty Report" -> casualty_report, "人名" -> u4eba_u540d.

    Letters that decompose to ASCII keep their base letter ("Café" -> cafe); other letters and
    digits are spelled by code point, so names in any script get distinct keys.
    """
    parts = []
    for char in unicodedata.normalize("NFKD", name.strip().lower()):
        if char.isascii() and char.isalnum():
            parts.append(char)
        elif unicodedata.category(char).startswith("M"):
            continue
        elif char.isalnum():
            parts.append(f"_u{ord(char):x}_")
        else:
            parts.append("_")
    key = _UNDERSCORES.sub("_", "".join(parts)).strip("_")
    if not key or not ("a" <= key[0] <= "z"):
        key = f"label_{key}".rstrip("_")
    return key


@dataclass
class LabelPlan:
    """How one file's label names become keys, and the labels it adds."""

    keys: dict[str, str] = field(default_factory=dict)
    new: list[Label] = field(default_factory=list)
    #: (line, message): two names that would become one label.
    problems: list[tuple[int, str]] = field(default_factory=list)
    warnings: list[tuple[int, str]] = field(default_factory=list)


def plan_labels(
    names: Iterable[tuple[str, int]], labels: Iterable[Label], *, native: bool
) -> LabelPlan:
    """Map each (name, line of first use) onto a key; ``native``: names are claimmark keys."""
    plan = LabelPlan()
    by_key: dict[str, Label] = {label.key: label for label in labels}
    by_source = {label.source_name: label for label in by_key.values() if label.source_name}
    project_keys = set(by_key)
    #: key -> the name in this file that took it
    taken: dict[str, str] = {}

    def collide(line: int, name: str, other: str, key: str, in_project: bool = False) -> None:
        where = "the project's label" if in_project else "label"
        plan.problems.append(
            (
                line,
                f"label {name!r} and {where} {other!r} would both become label {key!r}: two"
                f" different names, one label; rename {name!r} in the file"
                + (f" (to {key!r} to use the project's label)" if in_project else ""),
            )
        )

    for name, line in names:
        if name in plan.keys:
            continue
        if name in by_source:
            plan.keys[name] = by_source[name].key
            continue
        if LABEL_KEY_RE.match(name):
            key = name
            existing = by_key.get(key)
            if existing is not None and existing.source_name and not native:
                collide(line, name, existing.source_name, key, in_project=key in project_keys)
                continue
        else:
            key = key_for_name(name)
            existing = by_key.get(key)
            if existing is not None:
                if existing.source_name is None and existing.name == name:
                    plan.warnings.append(
                        (
                            line,
                            f"label {name!r} imported as the project's label {key!r}"
                            f" (shown as {name!r}); exports write {key!r}",
                        )
                    )
                    plan.keys[name] = key
                else:
                    shown = existing.source_name or existing.name
                    collide(line, name, shown, key, in_project=key in project_keys)
                continue
        if key in taken and taken[key] != name:
            collide(line, name, taken[key], key)
            continue
        taken[key] = name
        plan.keys[name] = key
        if key not in by_key:
            source = None if name == key else name
            label = Label(
                LabelKey(key), name if source else display_name(key), generated_color(key)
            )
            if source:
                label = Label(label.key, label.name, label.color, source_name=source)
            plan.new.append(label)
            by_key[key] = label
    return plan
