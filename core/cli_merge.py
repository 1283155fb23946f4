"""``claimmark merge``: other people's project files into this one, with a summary."""

from __future__ import annotations

from pathlib import Path

import click

from .backups import take_backup
from .cli_context import CliState, pass_state
from .cli_output import echo
from .cli_progress import progress_bar, quiet_option
from .layer_rules import check_merger
from .merge.run import MergeRefused, merge_files
from .model import ClaimmarkError
from .project import Project


@click.command("merge")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--dry-run",
    is_flag=True,
    help="Compute and print everything the merge would do, and write nothing.",
)
@click.option(
    "--allow-unverified",
    is_flag=True,
    help="Merge a file whose own 'audit verify' fails (refused otherwise); the audit log "
    "records that this option was used.",
)
@quiet_option
@pass_state
def merge_command(
    state: CliState, paths: tuple[Path, ...], dry_run: bool, allow_unverified: bool, quiet: bool
):
    """Merge other claimmark project files (each annotator's copy) into this project.

    Brings in their documents (the same text is one document, whatever its id), labels,
    attribute definitions, relation types, layers (gold too), spans (keeping their ids, layers,
    times, pieces and attribute values), relations and statuses, one transaction per file, and
    prints what each file brought and every conflict. Every file is checked first (a claimmark
    project, not newer, not damaged, not this project itself, its history verified); one bad
    file and nothing is merged. Merging a file again adds nothing; the order of the files does
    not change the documents, spans or statuses.
    """
    try:
        check_merger(state.annotator)  # before the team file is created or opened
    except ClaimmarkError as exc:
        raise click.ClickException(str(exc)) from exc
    scratch = _scratch_project(state) if dry_run else None
    project = scratch or state.project(create=True)
    try:
        if not dry_run and project.document_count():
            try:
                take_backup(project)  # a merge is a big change: keep the project as it was
            except ClaimmarkError as exc:
                echo(f"warning: no backup was taken before this merge: {exc}", err=True)
        with progress_bar("Merging", quiet=quiet) as advance:
            summary = merge_files(
                project,
                paths,
                by=state.annotator,
                dry_run=dry_run,
                allow_unverified=allow_unverified,
                progress=lambda done, total, _text: advance(done, total),
                team_name=state.path.name,
            )
    except MergeRefused as exc:
        for reason in exc.reasons:
            echo(f"refused: {reason}", err=True)
        count = len(exc.reasons)
        raise click.ClickException(
            f"{count} file{'s' if count != 1 else ''} cannot be merged. Nothing was merged."
        ) from exc
    except ClaimmarkError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        if scratch is not None:
            scratch.close()
    for line in summary.lines():
        echo(line)


def _scratch_project(state: CliState) -> Project | None:
    """A dry run into a file that does not exist yet merges into an empty project in memory,
    so that it writes nothing, not even a new file; None when the file exists."""
    path = state.path
    if state.is_default or (path.is_file() and path.stat().st_size):
        return None
    if path.exists() and not path.is_file():
        return None  # a folder or a device: opening it gives the precise message
    echo(f"project: {path} (does not exist yet: a dry run creates nothing)", err=True)
    return Project.open(None, created_by=state.annotator)
