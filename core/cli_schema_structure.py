"""``claimmark labels relation ...`` and ``labels attribute ...``: the rest of the schema.

Relation types (which links annotators may draw, between which labels) and attribute definitions
(which typed values a label's spans carry) are changed the way labels are: each change an
audited schema event under the annotator's name, refused with the reason when stored data would
break it.
"""

from __future__ import annotations

from collections.abc import Callable

import click

from .attributes import ATTRIBUTE_KINDS, AttributeDefinition
from .changes import ChangeSet
from .cli_context import CliState, pass_state, state_of
from .cli_output import echo
from .label_schema import display_name, generated_color
from .model import ClaimmarkError, RelationType
from .project import Project


def _run(state: CliState, what: str, change: Callable[[Project], ChangeSet]) -> bool:
    try:
        changes = change(state.project())
    except ClaimmarkError as exc:
        raise click.ClickException(f"{what}: {exc}") from exc
    if not changes:
        echo("Already like that; nothing changed.")
    return bool(changes)


# ---------------------------------------------------------------------- relation types
@click.group("relation", invoke_without_command=True)
@click.pass_context
def relation_group(ctx: click.Context):
    """List the relation types, or add, edit or remove one."""
    if ctx.invoked_subcommand is None:
        for relation_type in state_of(ctx).project().relation_types():
            _echo_relation_type(relation_type)


def _echo_relation_type(t: RelationType) -> None:
    echo(f"{t.hotkey or '-'}  {t.key:<20} {t.color}  {t.name}: {t.rule}")
    if t.description:
        echo(f"   {t.description}")


_FROM = click.option(
    "--from",
    "from_labels",
    multiple=True,
    metavar="LABEL",
    help="A label the source span may carry (repeatable).",
)
_TO = click.option(
    "--to",
    "to_labels",
    multiple=True,
    metavar="LABEL",
    help="A label the target span may carry (repeatable).",
)


@relation_group.command("add")
@click.argument("key")
@click.option("--name", help="Display name (default: from the key).")
@click.option("--color", help="Colour as #rrggbb (default: generated from the key).")
@click.option("--key", "hotkey", help="Hotkey after R: one character.")
@click.option("--description", default="", help="The guideline for this link.")
@_FROM
@_TO
@pass_state
def relation_add(state: CliState, key, name, color, hotkey, description, from_labels, to_labels):
    """Add the relation type KEY; without --from (--to) any label may be its source (target)."""
    relation_type = RelationType(
        key,
        name or display_name(key),
        color or generated_color(key),
        hotkey,
        description,
        tuple(from_labels),
        tuple(to_labels),
    )
    if _run(
        state,
        f"relation type {key} not added",
        lambda p: p.add_relation_type(relation_type, annotator=state.annotator),
    ):
        _echo_relation_type(relation_type)


@relation_group.command("edit")
@click.argument("key")
@click.option("--name", help="New display name.")
@click.option("--color", help="New colour (#rrggbb).")
@click.option("--hotkey", help="New hotkey (one character).")
@click.option("--clear-hotkey", is_flag=True, help="Take the hotkey away.")
@click.option("--description", help="New guideline.")
@_FROM
@_TO
@click.option("--any-from", is_flag=True, help="Any label may be the source.")
@click.option("--any-to", is_flag=True, help="Any label may be the target.")
@pass_state
def relation_edit(
    state: CliState,
    key,
    name,
    color,
    hotkey,
    clear_hotkey,
    description,
    from_labels,
    to_labels,
    any_from,
    any_to,
):
    """Change the relation type KEY: only the options given change.

    --from/--to replace the labels allowed at that end; a rule that stored relations would
    break is refused, saying how many.
    """
    fields: dict = {}
    for field_name, value in (("name", name), ("color", color), ("description", description)):
        if value is not None:
            fields[field_name] = value
    if hotkey is not None or clear_hotkey:
        fields["hotkey"] = None if clear_hotkey else hotkey
    if from_labels or any_from:
        fields["from_labels"] = () if any_from else from_labels
    if to_labels or any_to:
        fields["to_labels"] = () if any_to else to_labels
    if not fields:
        raise click.UsageError("say what to change (see --help)")
    if _run(
        state,
        f"relation type {key} not changed",
        lambda p: p.schema.change_relation_type(key, annotator=state.annotator, **fields),
    ):
        changed = state.project().relation_type(key)
        assert changed is not None
        _echo_relation_type(changed)


@relation_group.command("remove")
@click.argument("key")
@pass_state
def relation_remove(state: CliState, key):
    """Remove the relation type KEY; refused while relations have it."""
    if _run(
        state,
        f"relation type {key} not removed",
        lambda p: p.schema.remove_relation_type(key, annotator=state.annotator),
    ):
        echo(f"Removed relation type {key}.")


# ---------------------------------------------------------------------- attributes
@click.group("attribute", invoke_without_command=True)
@click.pass_context
def attribute_group(ctx: click.Context):
    """List the attribute definitions, or add, edit or remove one ('list LABEL': one label's)."""
    if ctx.invoked_subcommand is None:
        for definition in state_of(ctx).project().attribute_definitions():
            _echo_definition(definition)


@attribute_group.command("list")
@click.argument("label", required=False)
@pass_state
def attribute_list(state: CliState, label: str | None):
    """List the attribute definitions of LABEL (default: every label's)."""
    try:
        definitions = state.project().attribute_definitions(label)
    except ClaimmarkError as exc:
        raise click.ClickException(str(exc)) from exc
    for definition in definitions:
        _echo_definition(definition)


def _echo_definition(d: AttributeDefinition) -> None:
    echo(f"{d.label}.{d.name} ({d.kind}): {d.rule}")
    if d.description:
        echo(f"   {d.description}")


def _rule_options(command):
    for option in reversed(
        (
            click.option("--kind", type=click.Choice(ATTRIBUTE_KINDS), help="Kind of value."),
            click.option(
                "--choice", "choices", multiple=True, help="One of the choices (repeatable)."
            ),
            click.option("--min", "minimum", type=int, help="Smallest whole number allowed."),
            click.option("--max", "maximum", type=int, help="Largest whole number allowed."),
            click.option("--range/--no-range", "allow_range", default=None, help="Allow 10-12."),
            click.option(
                "--unknown/--no-unknown", "allow_unknown", default=None, help="Allow 'unknown'."
            ),
            click.option("--description", help="What the attribute means (its guideline)."),
        )
    ):
        command = option(command)
    return command


@attribute_group.command("add")
@click.argument("label")
@click.argument("name")
@_rule_options
@pass_state
def attribute_add(state: CliState, label, name, kind, choices, minimum, maximum, **flags):
    """Add the attribute NAME to LABEL (--kind integer, choice, boolean or text)."""
    if kind is None:
        raise click.UsageError("give the attribute's --kind")
    definition = AttributeDefinition(
        label=label,
        name=name,
        kind=kind,
        choices=tuple(choices),
        minimum=minimum,
        maximum=maximum,
        allow_range=bool(flags["allow_range"]),
        allow_unknown=bool(flags["allow_unknown"]),
        description=flags["description"] or "",
    )
    if _run(
        state,
        f"attribute {label}.{name} not added",
        lambda p: p.add_attribute_definition(definition, annotator=state.annotator),
    ):
        _echo_definition(definition)


@attribute_group.command("edit")
@click.argument("label")
@click.argument("name")
@_rule_options
@click.option("--no-min", is_flag=True, help="Remove the smallest number allowed.")
@click.option("--no-max", is_flag=True, help="Remove the largest number allowed.")
@pass_state
def attribute_edit(state: CliState, label, name, choices, no_min, no_max, **given):
    """Change the attribute NAME of LABEL: only the options given change.

    A rule that a stored value breaks is refused, saying how many and which.
    """
    fields = {k: v for k, v in given.items() if v is not None}
    if choices:
        fields["choices"] = choices
    if no_min:
        fields["minimum"] = None
    if no_max:
        fields["maximum"] = None
    if not fields:
        raise click.UsageError("say what to change (see --help)")
    if _run(
        state,
        f"attribute {label}.{name} not changed",
        lambda p: p.schema.change_attribute(label, name, annotator=state.annotator, **fields),
    ):
        found = {d.name: d for d in state.project().attribute_definitions(label)}
        _echo_definition(found[name])


@attribute_group.command("remove")
@click.argument("label")
@click.argument("name")
@click.option(
    "--drop-values",
    is_flag=True,
    help="Also drop every span's value of it, in every annotator's layer.",
)
@pass_state
def attribute_remove(state: CliState, label, name, drop_values):
    """Remove the attribute NAME of LABEL; refused while spans hold values, unless
    --drop-values."""
    changes = ChangeSet(state.annotator)

    def remove(p: Project) -> ChangeSet:
        nonlocal changes
        changes = p.schema.remove_attribute(
            label, name, drop_values=drop_values, annotator=state.annotator
        )
        return changes

    if _run(state, f"attribute {label}.{name} not removed", remove):
        dropped = len(changes.spans)
        extra = f"; {dropped} spans' values dropped" if dropped else ""
        echo(f"Removed attribute {label}.{name}{extra}.")
