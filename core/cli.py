"""The ``claimmark`` command line.

Global options (``--project``, ``--annotator``) come before the subcommand. Every command names the
project file it used on stderr, so stdout stays clean for data (``export -o -``). With no
subcommand the GUI opens; the GUI package passes its launcher in through ``obj`` so that this
module never imports Qt.
"""

from __future__ import annotations

import click

from .cli_adjudicate import adjudicate_command
from .cli_agreement import agreement_command
from .cli_audit import audit_group
from .cli_context import CliState
from .cli_export import export_command
from .cli_import import import_command
from .cli_labels import labels_group
from .cli_merge import merge_command
from .cli_project import backup_command, restore_command, stats_command
from .version import APP_VERSION


@click.group(
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog="Run 'claimmark COMMAND --help' for a command's options. "
    "With no command, the annotation window opens.",
)
@click.option(
    "--project",
    "project_option",
    metavar="FILE",
    help="Project file. Only 'import', 'merge' and 'labels add' create a missing one (the window "
    "asks first). Default: $CLAIMMARK_PROJECT, else your default project in the user data folder.",
)
@click.option(
    "--annotator",
    "annotator_option",
    metavar="NAME",
    help="Who is annotating; recorded on everything you create. "
    "Default: $CLAIMMARK_ANNOTATOR, else your login name.",
)
@click.version_option(APP_VERSION, prog_name="claimmark")
@click.pass_context
def cli(ctx: click.Context, project_option: str | None, annotator_option: str | None) -> None:
    """claimmark: label claims, denials, casualty reports and attributions in news articles.

    Every label is saved to the project file (one SQLite file) the moment it is made.
    """
    state = CliState(project_option, annotator_option)
    ctx.call_on_close(state.close)
    launcher = (ctx.obj or {}).get("open_gui") if isinstance(ctx.obj, dict) else None
    ctx.obj = state
    if ctx.invoked_subcommand is None:
        if launcher is None:
            click.echo(ctx.get_help())
            return
        if state.is_default:
            state.project().close()  # creates and seeds the default project on first use
            state._project = None
        ctx.exit(launcher(state.path, state.annotator))


for command in (
    import_command,
    export_command,
    stats_command,
    labels_group,
    backup_command,
    restore_command,
    audit_group,
    agreement_command,
    adjudicate_command,
    merge_command,
):
    cli.add_command(command)


def main() -> None:
    """Entry point without the GUI (``python -m claimmark.core``)."""
    cli()
