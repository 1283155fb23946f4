"""The label schema that ships with claimmark, and colours for labels an import brings in."""

from __future__ import annotations

import colorsys
import hashlib
import json
from importlib.resources import files

from .attributes import AttributeDefinition
from .model import Label, LabelKey, RelationType


def _schema() -> dict:
    return json.loads(files("claimmark.resources").joinpath("labels.json").read_text("utf-8"))


def default_labels() -> list[Label]:
    return [
        Label(LabelKey(d["key"]), d["name"], d["color"], d.get("hotkey"), d.get("description", ""))
        for d in _schema()["labels"]
    ]


def default_attributes() -> list[AttributeDefinition]:
    """The attributes new projects give the default labels (a casualty report's figures)."""
    return [
        AttributeDefinition.from_json({"label": d["key"], **attribute})
        for d in _schema()["labels"]
        for attribute in d.get("attributes", ())
    ]


def generated_color(key: str) -> str:
    """A stable, mid-saturation colour for a label nobody chose a colour for.

    Derived from the key so the same label gets the same colour in every project.
    """
    hue = int.from_bytes(hashlib.sha256(key.encode()).digest()[:2], "big") / 65536
    r, g, b = colorsys.hls_to_rgb(hue, 0.45, 0.65)
    return f"#{round(r * 255):02x}{round(g * 255):02x}{round(b * 255):02x}"


def display_name(key: str) -> str:
    return key.replace("_", " ").capitalize()


def default_relation_types() -> list[RelationType]:
    """The relation types a new project starts with (``relations`` in ``labels.json``)."""
    return [
        RelationType(
            d["key"],
            d["name"],
            d["color"],
            d.get("hotkey"),
            d.get("description", ""),
            tuple(d.get("from", ())),
            tuple(d.get("to", ())),
        )
        for d in _schema().get("relations", ())
    ]
