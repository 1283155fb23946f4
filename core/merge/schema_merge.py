"""The schema half of merging a file: labels, attribute definitions, relation types, layers.

They come before any record, since spans, relations and statuses refer to them. One missing here
is added; one defined otherwise is a conflict and the project's is kept (records that then do
not fit it are reported one by one, not stored). A hotkey or imported name another label (type)
holds here is dropped from the newcomer, as a conflict, since both must be unique.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TypeVar

from ..model import Label, RelationType
from ..relation_type_store import relation_type_dict
from .context import MergeContext

_Named = TypeVar("_Named", Label, RelationType)


def merge_schema(ctx: MergeContext) -> None:
    _labels(ctx)
    _attributes(ctx)
    _relation_types(ctx)
    _layers(ctx)


def _without_taken(ctx: MergeContext, what: str, item: _Named, here: list[_Named]) -> _Named:
    """``item`` without the hotkey and imported name another one of ``here`` holds already."""
    hotkeys = {other.hotkey: other.key for other in here if other.hotkey}
    names = {other.source_name: other.key for other in here if other.source_name}
    if item.hotkey and item.hotkey in hotkeys:
        ctx.conflict(
            f"{what} {item.key}",
            f"its hotkey {item.hotkey!r} is {what} {hotkeys[item.hotkey]!r}'s in"
            f" {ctx.team_name}: added without a hotkey",
            item.key,
        )
        item = replace(item, hotkey=None)
    if item.source_name and item.source_name in names:
        ctx.conflict(
            f"{what} {item.key}",
            f"its imported name {item.source_name!r} stands for {what}"
            f" {names[item.source_name]!r} in {ctx.team_name}: added without it",
            item.key,
        )
        item = replace(item, source_name=None)
    return item


def _labels(ctx: MergeContext) -> None:
    here = {label.key: label for label in ctx.team.labels()}
    for label in ctx.source.project.labels():
        mine = here.get(label.key)
        if mine is None:
            label = _without_taken(ctx, "label", label, list(here.values()))
            ctx.team.merge_store.add_label(label, by=ctx.by, merged_from=ctx.merged_from)
            here[label.key] = label
            ctx.summary.labels_added += 1
        elif (mine.name, mine.color) != (label.name, label.color):
            ctx.conflict(
                f"label {label.key}",
                f"named {label.name!r}, colour {label.color} there;"
                f" {ctx.team_name} keeps {mine.name!r}, colour {mine.color}",
                label.key,
                incoming={"name": label.name, "color": label.color},
            )
        else:
            ctx.summary.labels_present += 1


def _attributes(ctx: MergeContext) -> None:
    here = {(d.label, d.name): d for d in ctx.team.attribute_definitions()}
    for definition in ctx.source.project.attribute_definitions():
        mine = here.get((definition.label, definition.name))
        theirs = definition.as_json()
        if mine is None:
            ctx.team.merge_store.add_attribute(definition, by=ctx.by, merged_from=ctx.merged_from)
            ctx.summary.attributes_added += 1
        elif mine.as_json() != theirs:
            differ = [k for k, v in mine.as_json().items() if theirs[k] != v]
            ctx.conflict(
                f"attribute {definition.label}.{definition.name}",
                f"defined otherwise there ({', '.join(differ)}): {ctx.team_name} keeps"
                f" its definition ({mine.rule})",
                f"{definition.label}.{definition.name}",
                incoming=theirs,
            )
        else:
            ctx.summary.attributes_present += 1


def _relation_types(ctx: MergeContext) -> None:
    here = {t.key: t for t in ctx.team.relation_types()}
    for relation_type in ctx.source.project.relation_types():
        mine = here.get(relation_type.key)
        theirs = relation_type_dict(relation_type)
        if mine is None:
            relation_type = _without_taken(ctx, "relation type", relation_type, list(here.values()))
            ctx.team.merge_store.add_relation_type(
                relation_type, by=ctx.by, merged_from=ctx.merged_from
            )
            here[relation_type.key] = relation_type
            ctx.summary.relation_types_added += 1
            continue
        differ = [k for k, v in relation_type_dict(mine).items() if theirs[k] != v]
        if differ:
            ctx.conflict(
                f"relation type {relation_type.key}",
                f"defined otherwise there ({', '.join(differ)}): {ctx.team_name} keeps its own",
                relation_type.key,
                incoming=theirs,
            )
        else:
            ctx.summary.relation_types_present += 1


def _layers(ctx: MergeContext) -> None:
    here = {layer.name: layer.kind for layer in ctx.team.layers()}
    for layer in ctx.source.project.layers():
        kind = here.get(layer.name)
        if kind is None:
            ctx.team.merge_store.add_layer(
                layer.name, layer.kind, by=ctx.by, merged_from=ctx.merged_from
            )
            here[layer.name] = layer.kind
            ctx.summary.layers_added += 1
        elif kind != layer.kind:
            ctx.conflict(
                f"layer {layer.name}",
                f"a {layer.kind} layer there; {ctx.team_name} keeps it a {kind} layer",
                layer.name,
            )
        else:
            ctx.summary.layers_present += 1
