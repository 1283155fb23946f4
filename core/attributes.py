"""Attributes: typed values a label's spans carry (a casualty report's ``killed``), and the rules a
value must keep.

A value is checked and put into one canonical form before it is stored, so the same figure is
stored the same way whoever typed it ("10-12", "10–12" and ``[10, 12]`` are all the range
``(10, 12)``), and a refused value is refused with the rule it breaks, in words an annotator can
act on.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .model import LABEL_KEY_RE, AttributeValue, AttributeValues, InvariantError
from .text_checks import string_problem

#: What an attribute can hold.
ATTRIBUTE_KINDS = ("integer", "choice", "boolean", "text")
#: The word that stands for "not known" where a definition allows it.
UNKNOWN = "unknown"
#: A short text attribute is a field, not a note.
MAX_TEXT = 200

_INTEGER = re.compile(r"\s*([+-]?\d+)\s*\Z")
_RANGE = re.compile(r"\s*([+-]?\d+)\s*(?:-|–|—|\.\.|to)\s*([+-]?\d+)\s*\Z")
_YES = {"yes", "true", "y", "1"}
_NO = {"no", "false", "n", "0"}


@dataclass(frozen=True, slots=True)
class AttributeDefinition:
    """One attribute of a label, as the schema defines it."""

    label: str
    name: str
    kind: str
    choices: tuple[str, ...] = ()
    minimum: int | None = None
    maximum: int | None = None
    allow_range: bool = False
    allow_unknown: bool = False
    #: Its guideline meaning (shown beside the field).
    description: str = ""

    def as_json(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "name": self.name,
            "kind": self.kind,
            "choices": list(self.choices),
            "minimum": self.minimum,
            "maximum": self.maximum,
            "allow_range": self.allow_range,
            "allow_unknown": self.allow_unknown,
            "description": self.description,
        }

    @classmethod
    def from_json(cls, values: Mapping[str, Any]) -> AttributeDefinition:
        """Read back ``as_json`` (or a definition line of a file); the caller checks it."""
        return cls(
            label=values["label"],
            name=values["name"],
            kind=values["kind"],
            choices=tuple(values.get("choices") or ()),
            minimum=values.get("minimum"),
            maximum=values.get("maximum"),
            allow_range=bool(values.get("allow_range", False)),
            allow_unknown=bool(values.get("allow_unknown", False)),
            description=values.get("description") or "",
        )

    @property
    def rule(self) -> str:
        """What a value must be, as a sentence ending: "killed must be <rule>"."""
        if self.kind == "integer":
            parts = [f"a whole number{_bounds(self.minimum, self.maximum)}"]
            if self.allow_range:
                parts.append("a range such as 10–12")
        elif self.kind == "choice":
            parts = [f"one of {', '.join(self.choices)}"]
        elif self.kind == "boolean":
            parts = ["yes or no"]
        else:
            parts = [f"a text of at most {MAX_TEXT} characters on one line"]
        if self.allow_unknown and not (self.kind == "choice" and UNKNOWN in self.choices):
            parts.append(UNKNOWN)
        if len(parts) == 1:
            return parts[0]
        if len(parts) == 2:
            return f"{parts[0]} or {parts[1]}"
        return f"{', '.join(parts[:-1])}, or {parts[-1]}"


def _bounds(minimum: int | None, maximum: int | None) -> str:
    if minimum is not None and maximum is not None:
        return f" from {minimum} to {maximum}"
    if minimum is not None:
        return f" ≥ {minimum}"
    if maximum is not None:
        return f" ≤ {maximum}"
    return ""


def definition_problem(definition: AttributeDefinition) -> str | None:
    """Why ``definition`` cannot be part of the schema, or None."""
    d = definition
    if not isinstance(d.name, str) or not LABEL_KEY_RE.match(d.name):
        return (
            f"attribute name {d.name!r} is not allowed: use lower-case letters, digits and _,"
            " starting with a letter (e.g. source_type)"
        )
    if d.kind not in ATTRIBUTE_KINDS:
        return f"attribute {d.name}: kind must be one of {', '.join(ATTRIBUTE_KINDS)}"
    for text in (d.description, *d.choices):
        if not isinstance(text, str) or string_problem(text):
            return f"attribute {d.name}: descriptions and choices must be plain text"
    if d.kind == "choice":
        if not d.choices or any(not c.strip() for c in d.choices):
            return f"attribute {d.name}: a choice needs a list of non-empty choices"
        if len(set(d.choices)) != len(d.choices):
            return f"attribute {d.name}: a choice is listed twice"
    elif d.choices:
        return f"attribute {d.name}: only a choice attribute has choices"
    for bound in (d.minimum, d.maximum):
        if bound is not None and (type(bound) is not int or d.kind != "integer"):
            return f"attribute {d.name}: minimum and maximum are whole numbers of an integer"
    if d.minimum is not None and d.maximum is not None and d.minimum > d.maximum:
        return f"attribute {d.name}: minimum {d.minimum} is above maximum {d.maximum}"
    if d.allow_range and d.kind != "integer":
        return f"attribute {d.name}: only an integer attribute can allow ranges"
    return None


def check_definition(definition: AttributeDefinition) -> None:
    problem = definition_problem(definition)
    if problem:
        raise InvariantError(problem)


def normalised_value(definition: AttributeDefinition, value: Any) -> AttributeValue:
    """``value`` in its stored form; InvariantError naming the rule when it breaks it."""
    result = _normalised(definition, value)
    if result is None:
        shown = "-".join(map(str, value)) if isinstance(value, list | tuple) else repr(value)
        raise InvariantError(f"{definition.name} must be {definition.rule}; got {shown}")
    return result


def _normalised(d: AttributeDefinition, value: Any) -> AttributeValue | None:
    if d.allow_unknown and isinstance(value, str) and value.strip().lower() == UNKNOWN:
        return UNKNOWN
    if d.kind == "integer":
        return _integer(d, value)
    if d.kind == "choice":
        text = value.strip() if isinstance(value, str) else None
        return text if text in d.choices else None
    if d.kind == "boolean":
        if type(value) is bool:
            return value
        word = value.strip().lower() if isinstance(value, str) else None
        return True if word in _YES else False if word in _NO else None
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text or len(text) > MAX_TEXT or "\n" in text or "\r" in text or string_problem(text):
        return None
    return text


def _integer(d: AttributeDefinition, value: Any) -> AttributeValue | None:
    low: Any
    high: Any
    if type(value) is int:
        low = high = value
    elif isinstance(value, str) and (match := _INTEGER.match(value)):
        low = high = int(match.group(1))
    elif d.allow_range and isinstance(value, str) and (match := _RANGE.match(value)):
        low, high = int(match.group(1)), int(match.group(2))
    elif d.allow_range and isinstance(value, list | tuple) and len(value) == 2:
        low, high = value
        if type(low) is not int or type(high) is not int:
            return None
    else:
        return None
    for number in (low, high):
        if (d.minimum is not None and number < d.minimum) or (
            d.maximum is not None and number > d.maximum
        ):
            return None
    if low == high:
        return low
    return (low, high) if low < high else None


def value_text(value: AttributeValue) -> str:
    """A value as an annotator reads it: 5, 10–12, yes, military."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, tuple):
        return f"{value[0]}–{value[1]}"
    return str(value)


def attributes_text(values: Mapping[str, AttributeValue], order: Sequence[str] = ()) -> str:
    """``killed 5, group military``: how a span's values read in a table or a tooltip, in the
    schema's ``order`` (names it lacks last, alphabetically)."""
    rank = {name: i for i, name in enumerate(order)}
    names = sorted(values, key=lambda n: (rank.get(n, len(rank)), n))
    return ", ".join(f"{name.replace('_', ' ')} {value_text(values[name])}" for name in names)


def checked_values(
    definitions: Mapping[str, AttributeDefinition], label: str, values: Mapping[str, Any]
) -> AttributeValues:
    """``values`` for a span of ``label`` in their stored form; InvariantError naming the first
    one that is not an attribute of the label or breaks its rule. None or "" leaves one out."""
    if not isinstance(values, Mapping):
        raise InvariantError("attributes must be an object of names and values")
    stored: dict[str, AttributeValue] = {}
    for name, value in values.items():
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        definition = definitions.get(name)
        if definition is None:
            raise InvariantError(f"label {label} has no attribute {name!r}")
        stored[name] = normalised_value(definition, value)
    return AttributeValues(stored)
