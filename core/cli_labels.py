"""``claimmark labels``: list the label schema and change it, each change an audited event."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import click

from .changes import ChangeSet
from .cli_context import CliState, pass_state, state_of
from .cli_output import echo
from .cli_schema_structure import attribute_group, relation_group
from .label_schema import display_name, generated_color
from .model import ClaimmarkError, Label, LabelKey
from .project import Project


@click.group("labels", invoke_without_command=True)
@click.pass_context
def labels_group(ctx: click.Context):
    """List the label schema, or change it (see each subcommand's --help).

    A label's key never changes (spans and exports name it); everything else can. Every
    change is recorded in the history under your name and checked by 'audit verify'.
    """
    if ctx.invoked_subcommand is None:
        project = state_of(ctx).project()
        for label in project.labels():
            hotkey = label.hotkey or "-"
            echo(f"{hotkey}  {label.key:<20} {label.color}  {label.name}")
            if label.description:
                echo(f"   {label.description}")


@labels_group.command("add")
@click.argument("key")
@click.option("--name", help="Display name (default: from the key).")
@click.option("--color", help="Colour as #rrggbb (default: generated from the key).")
@click.option("--key", "hotkey", help="Hotkey: one character, e.g. 5.")
@click.option("--description", default="", help="The annotation guideline for this label.")
@pass_state
def labels_add(state: CliState, key: str, name, color, hotkey, description):
    """Add the label KEY (lower-case letters, digits and _, e.g. casualty_report)."""
    label = Label(
        LabelKey(key),
        name or display_name(key),
        color or generated_color(key),
        hotkey,
        description,
    )
    try:
        state.project(create=True).add_label(label, annotator=state.annotator)
    except ClaimmarkError as exc:
        raise click.ClickException(str(exc)) from exc
    echo(f"Added label {key} ({label.name}, {label.color}, hotkey {hotkey or 'none'}).")


def _change(state: CliState, key: str, what: str, change: Callable[[Project], ChangeSet]) -> bool:
    """Run one schema change; a refusal is a click error naming the label. False: no change."""
    project = state.project()
    try:
        changes = change(project)
    except ClaimmarkError as exc:
        raise click.ClickException(f"label {key} not {what}: {exc}") from exc
    if not changes:
        echo(f"Label {key} is already like that; nothing changed.")
    return bool(changes)


@labels_group.command("rename")
@click.argument("key")
@click.argument("name")
@pass_state
def labels_rename(state: CliState, key: str, name: str):
    """Give the label KEY the display NAME (its key stays KEY)."""
    if _change(
        state,
        key,
        "renamed",
        lambda p: p.schema.change_label(key, name=name, annotator=state.annotator),
    ):
        echo(f"Label {key} is now called {name}.")


@labels_group.command("recolour")
@click.argument("key")
@click.argument("colour")
@pass_state
def labels_recolour(state: CliState, key: str, colour: str):
    """Give the label KEY the colour COLOUR (#rrggbb). Also spelt 'recolor'."""
    if _change(
        state,
        key,
        "recoloured",
        lambda p: p.schema.change_label(key, color=colour, annotator=state.annotator),
    ):
        echo(f"Label {key} is now {colour}.")


labels_group.add_command(
    click.Command(
        "recolor",
        callback=labels_recolour.callback,
        params=labels_recolour.params,
        help="Same as 'recolour'.",
        hidden=True,
    )
)


@labels_group.command("hotkey")
@click.argument("key")
@click.argument("hotkey", required=False)
@click.option("--clear", is_flag=True, help="Take the hotkey away (the label keeps its button).")
@pass_state
def labels_hotkey(state: CliState, key: str, hotkey: str | None, clear: bool):
    """Give the label KEY the one-character HOTKEY, or take it away with --clear.

    A hotkey belongs to one label: one held by another label is refused, naming it.
    """
    if (hotkey is None) == (not clear):
        raise click.UsageError("give either a HOTKEY or --clear")
    if _change(
        state,
        key,
        "given that hotkey",
        lambda p: p.schema.change_label(key, hotkey=hotkey, annotator=state.annotator),
    ):
        echo(f"Label {key} has hotkey {hotkey}." if hotkey else f"Label {key} has no hotkey now.")


@labels_group.command("describe")
@click.argument("key")
@click.argument("text", required=False)
@click.option(
    "--file",
    "from_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Read the description from this UTF-8 text file instead.",
)
@pass_state
def labels_describe(state: CliState, key: str, text: str | None, from_file: Path | None):
    """Set the annotation guideline of the label KEY to TEXT (or the text of --file).

    The window shows it in the guideline panel and as the label button's tooltip. An empty
    TEXT ('') removes it.
    """
    if (text is None) == (from_file is None):
        raise click.UsageError("give either TEXT or --file")
    if from_file is not None:
        try:
            text = from_file.read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError) as exc:
            raise click.ClickException(
                f"{from_file}: cannot be read as UTF-8 text ({exc})"
            ) from exc
    if _change(
        state,
        key,
        "described",
        lambda p: p.schema.change_label(key, description=text, annotator=state.annotator),
    ):
        echo(f"Label {key} has a new description ({len(text or '')} characters).")


@labels_group.command("move")
@click.argument("key")
@click.option("--to-position", "position", type=int, required=True, help="1 is the first place.")
@pass_state
def labels_move(state: CliState, key: str, position: int):
    """Move the label KEY to another place in the label bar's order."""
    if _change(
        state,
        key,
        "moved",
        lambda p: p.schema.move_label(key, position, annotator=state.annotator),
    ):
        _echo_order(state.project())


@labels_group.command("order")
@click.argument("keys", nargs=-1, required=True)
@pass_state
def labels_order(state: CliState, keys: tuple[str, ...]):
    """Put the labels in the order KEYS (every label, each once)."""
    if _change(
        state,
        " ".join(keys),
        "reordered",
        lambda p: p.schema.reorder_labels(list(keys), annotator=state.annotator),
    ):
        _echo_order(state.project())


def _echo_order(project: Project) -> None:
    echo("Labels now in this order: " + ", ".join(label.key for label in project.labels()))


@labels_group.command("remove")
@click.argument("key")
@click.option(
    "--move-spans-to",
    "target",
    metavar="OTHER",
    help="Relabel every span of KEY, in every annotator's layer, to the label OTHER first.",
)
@pass_state
def labels_remove(state: CliState, key: str, target: str | None):
    """Remove the label KEY. A label spans use is removed only with --move-spans-to.

    Moving spans is a schema change: it edits every layer, is recorded under your name, and is
    not in anyone's undo. A span that would then duplicate one of the same layer is merged
    into it.
    """
    project = state.project()
    try:
        used = project.schema.label_usage(key)
    except ClaimmarkError as exc:
        raise click.ClickException(f"label {key} not removed: {exc}") from exc
    if used and target is None:
        raise click.ClickException(
            f"label {key} not removed: {used} span{'s' if used != 1 else ''} in the project"
            f" {'carry' if used != 1 else 'carries'} it. Add --move-spans-to OTHER to relabel"
            f" {'them' if used != 1 else 'it'} first."
        )
    changes = ChangeSet(state.annotator)

    def remove(p: Project) -> ChangeSet:
        nonlocal changes
        changes = p.schema.remove_label(key, move_spans_to=target, annotator=state.annotator)
        return changes

    _change(state, key, "removed", remove)
    merged = len(changes.deleted)
    moved = len(changes.spans) - merged
    if target is None:
        echo(f"Removed label {key}.")
    else:
        extra = f"; {merged} merged into an identical {target} span" if merged else ""
        spans = "span" if moved == 1 else "spans"
        echo(f"Removed label {key}; {moved} {spans} moved to {target}{extra}.")


labels_group.add_command(relation_group)
labels_group.add_command(attribute_group)
