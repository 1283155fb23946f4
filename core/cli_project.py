"""Commands about the project itself: statistics, backups, restoring (labels: ``cli_labels``)."""

from __future__ import annotations

from pathlib import Path

import click

from .backups import backup_folder, list_backups, take_backup
from .cli_context import CliState, pass_state, state_of
from .cli_output import echo
from .instance_lock import InstanceLock
from .model import ClaimmarkError
from .restore import restore


@click.command("stats")
@pass_state
def stats_command(state: CliState):
    """Count documents and spans, per label and per annotator, relations per type, and the gold
    layer's progress.

    A document is adjudicated when the curator has marked it done in the gold layer
    (View → Adjudicate).
    """
    stats = state.project().stats()
    echo(f"documents: {stats['documents']}")
    echo(f"spans: {stats['spans']}")
    echo("spans per label:")
    for key, count in stats["spans_per_label"].items():
        echo(f"  {key}: {count}")
    echo("spans per annotator:")
    for name, count in stats["spans_per_annotator"].items():
        done = stats["done_per_annotator"].get(name, 0)
        echo(f"  {name}: {count} ({done} documents done)")
    echo(
        f"gold: {stats['adjudicated']} of {stats['documents']} documents adjudicated"
        f" ({stats['with_gold_spans']} with gold spans)"
    )
    echo(f"relations: {stats['relations']}")
    echo("relations per type:")
    for key, count in stats["relations_per_type"].items():
        echo(f"  {key}: {count}")


@click.command("backup")
@click.option("--list", "list_only", is_flag=True, help="List the existing backups instead.")
@pass_state
def backup_command(state: CliState, list_only: bool):
    """Back up the project now, unless the newest backup already holds it as it is.

    Automatic backups are also taken while you work. Kept: the newest 5, the newest of each of
    the last 7 days and of each of the last 4 weeks that have one.
    """
    if list_only:
        for listed in list_backups(state.path):
            echo(
                f"{listed.taken_at:%Y-%m-%d %H:%M:%S} UTC  {listed.events:>7} events  {listed.path}"
            )
        return
    try:
        backup = take_backup(state.project())
    except ClaimmarkError as exc:
        raise click.ClickException(str(exc)) from exc
    if backup is None:
        newest = list_backups(state.path)[0]
        echo(
            f"Nothing changed since the backup of {newest.taken_at:%Y-%m-%d %H:%M:%S} UTC "
            f"({newest.path}); no new backup taken."
        )
        return
    echo(f"Backed up {backup.events} events to {backup.path}")


@click.command("restore")
@click.argument(
    "backup", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option(
    "--force",
    is_flag=True,
    help="Restore even when BACKUP belongs to another project (its project id differs).",
)
@click.pass_context
def restore_command(ctx: click.Context, backup: Path | None, force: bool):
    """Replace the project with BACKUP (default: the newest backup).

    The current file is not deleted: it is moved aside next to the project, so a restore can
    itself be undone. BACKUP must be a claimmark project; one of another project is refused
    unless --force. Close every claimmark window on the project first.
    """
    state = state_of(ctx)
    echo(f"project: {state.path}", err=True)
    if backup is None:
        backups = list_backups(state.path)
        if not backups:
            raise click.ClickException(f"no backups of {state.path} in {backup_folder(state.path)}")
        backup = backups[0].path
    lock = InstanceLock(state.path)
    if not lock.acquire():
        raise click.ClickException(
            f"Not restored: another claimmark window or process has {state.path} open (it would "
            "go on saving into the file moved aside). Close it, then restore again."
        )
    try:
        aside = restore(state.path, backup, force=force)
    except ClaimmarkError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        lock.release()
    kept = f"; the previous file was kept as {aside}" if aside else ""
    echo(f"Restored {backup}{kept}")
