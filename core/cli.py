"""The ``claimmark`` command line.

Global options (``--project``, ``--annotator``) come before the subcommand. Every command names the
project file it used on stderr, so stdout stays clean for data (``export -o -``). With no
subcommand the GUI opens; the GUI package passes its launcher in through ``obj`` so that this
module never imports Qt.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .atomic_file import atomic_text_writer
from .audit import verify
from .backups import backup_folder, list_backups, restore, take_backup
from .defaults import open_project, resolve_annotator, resolve_project_path
from .formats.decoding import DecodeProblem, check_encoding
from .formats.jsonl_reader import DEFAULT_MAX_LINE_BYTES
from .formats.jsonl_writer import write_jsonl
from .history import describe_event
from .importing import FileResult, import_paths
from .label_schema import display_name, generated_color
from .model import ClaimmarkError, DamagedProjectError, Label, LabelKey
from .project import Project
from .version import APP_VERSION


class _Context:
    def __init__(self, project_option: str | None, annotator_option: str | None):
        self.path, self.is_default = resolve_project_path(project_option)
        self.annotator = resolve_annotator(annotator_option)
        self._project: Project | None = None

    def project(self) -> Project:
        if self._project is None:
            try:
                self._project = open_project(self.path, self.annotator, is_default=self.is_default)
            except DamagedProjectError as exc:
                raise click.ClickException(f"{exc}. {damage_advice(self.path)}") from exc
            except ClaimmarkError as exc:
                raise click.ClickException(str(exc)) from exc
            click.echo(f"project: {self.path}", err=True)
        return self._project

    def close(self) -> None:
        if self._project is not None:
            self._project.close()


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
    help="Project file (created if missing). Default: $CLAIMMARK_PROJECT, else your default "
    "project in the user data folder.",
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
    state = _Context(project_option, annotator_option)
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


pass_state = click.make_pass_decorator(_Context)


@cli.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--encoding",
    default="utf-8",
    show_default=True,
    help="Text encoding of the files (a UTF-8 byte-order mark is always dropped).",
)
@click.option(
    "--max-line-mb",
    type=click.IntRange(min=1),
    default=DEFAULT_MAX_LINE_BYTES // (1024 * 1024),
    show_default=True,
    help="Refuse JSONL lines longer than this, so a broken file cannot exhaust memory.",
)
@pass_state
def import_command(state: _Context, paths: tuple[Path, ...], encoding: str, max_line_mb: int):
    """Import .txt files, .jsonl files and folders of them (recursively).

    Each file is imported whole or not at all. A document whose text is already in the project is
    skipped. JSONL lines hold one object each: "text" is required; "id", "title", "meta" and
    "spans" (objects with "start", "end", "label" and optional "text", "annotator", "note") are
    optional. Offsets are Python code-point offsets, end exclusive.
    """
    try:
        check_encoding(encoding)
    except DecodeProblem as exc:
        raise click.BadParameter(str(exc), param_hint="--encoding") from exc
    project = state.project()
    if project.document_count():
        take_backup(project, only_if_changed=True)  # an import is a big change: keep the before

    def report(result: FileResult) -> None:
        for warning in result.warnings:
            click.echo(f"warning: {warning}", err=True)
        for problem in result.problems:
            click.echo(f"error: {problem}", err=True)
        if result.refused:
            click.echo(f"{result.path}: not imported", err=True)
        elif result.imported or result.skipped:
            click.echo(
                f"{result.path}: {len(result.imported)} imported, {len(result.skipped)} skipped",
                err=True,
            )

    summary = import_paths(
        project,
        paths,
        encoding=encoding,
        max_line_bytes=max_line_mb * 1024 * 1024,
        on_file=report,
    )
    refused = sum(f.refused for f in summary.files)
    click.echo(
        f"Imported {summary.count('imported')} documents, skipped {summary.count('skipped')} "
        f"already present, refused {refused} file{'s' if refused != 1 else ''}."
    )
    if summary.new_labels:
        click.echo(f"New labels added to the schema: {', '.join(summary.new_labels)}")
    if not summary.ok:
        sys.exit(1)


@cli.command("export")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["jsonl"]),
    default="jsonl",
    show_default=True,
    help="Output format.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(allow_dash=True, dir_okay=False, path_type=Path),
    default="-",
    help="Output file ('-' for standard output). Written atomically.",
)
@click.option("--annotator", "annotators", multiple=True, help="Only this annotator's spans.")
@click.option("--label", "labels", multiple=True, help="Only spans with this label.")
@click.option("--document", "documents", multiple=True, help="Only this document (by id).")
@pass_state
def export_command(state: _Context, fmt: str, output: Path, annotators, labels, documents):
    """Export documents and their spans (each option may be repeated)."""
    project = state.project()
    for document_id in documents:
        if not project.has_document(document_id):
            raise click.BadParameter(
                f"no document with id {document_id!r}", param_hint="--document"
            )
    options = {"annotators": annotators, "labels": labels, "documents": documents}
    try:
        if str(output) == "-":
            summary = write_jsonl(project, sys.stdout, **options)
        else:
            with atomic_text_writer(output) as handle:
                summary = write_jsonl(project, handle, **options)
    except OSError as exc:
        raise click.ClickException(f"{output}: cannot write: {exc.strerror or exc}") from exc
    where = "standard output" if str(output) == "-" else str(output)
    click.echo(
        f"Exported {summary.documents} documents, {summary.spans} spans to {where}.", err=True
    )


@cli.command("stats")
@pass_state
def stats_command(state: _Context):
    """Count documents and spans, per label and per annotator."""
    stats = state.project().stats()
    click.echo(f"documents: {stats['documents']}")
    click.echo(f"spans: {stats['spans']}")
    click.echo("spans per label:")
    for key, count in stats["spans_per_label"].items():
        click.echo(f"  {key}: {count}")
    click.echo("spans per annotator:")
    for name, count in stats["spans_per_annotator"].items():
        done = stats["done_per_annotator"].get(name, 0)
        click.echo(f"  {name}: {count} ({done} documents done)")


@cli.group("labels", invoke_without_command=True)
@click.pass_context
def labels_group(ctx: click.Context):
    """List the label schema, or change it (see 'labels add --help')."""
    if ctx.invoked_subcommand is None:
        project = ctx.find_object(_Context).project()
        for label in project.labels():
            hotkey = label.hotkey or "-"
            click.echo(f"{hotkey}  {label.key:<20} {label.color}  {label.name}")
            if label.description:
                click.echo(f"   {label.description}")


@labels_group.command("add")
@click.argument("key")
@click.option("--name", help="Display name (default: from the key).")
@click.option("--color", help="Colour as #rrggbb (default: generated from the key).")
@click.option("--key", "hotkey", help="Hotkey: one character, e.g. 5.")
@click.option("--description", default="", help="The annotation guideline for this label.")
@pass_state
def labels_add(state: _Context, key: str, name, color, hotkey, description):
    """Add the label KEY (lower-case letters, digits and _, e.g. casualty_report)."""
    label = Label(
        LabelKey(key),
        name or display_name(key),
        color or generated_color(key),
        hotkey,
        description,
    )
    try:
        state.project().add_label(label)
    except ClaimmarkError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Added label {key} ({label.name}, {label.color}, hotkey {hotkey or 'none'}).")


@cli.command("backup")
@click.option("--list", "list_only", is_flag=True, help="List the existing backups instead.")
@pass_state
def backup_command(state: _Context, list_only: bool):
    """Back up the project now (automatic backups are also taken while you work)."""
    if list_only:
        for backup in list_backups(state.path):
            click.echo(
                f"{backup.taken_at:%Y-%m-%d %H:%M:%S} UTC  {backup.events:>7} events  {backup.path}"
            )
        return
    backup = take_backup(state.project())
    click.echo(f"Backed up {backup.events} events to {backup.path}")


@cli.command("restore")
@click.argument(
    "backup", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.pass_context
def restore_command(ctx: click.Context, backup: Path | None):
    """Replace the project with BACKUP (default: the newest backup).

    The current file is not deleted: it is moved aside next to the project, so a restore can
    itself be undone.
    """
    state = ctx.find_object(_Context)
    if backup is None:
        backups = list_backups(state.path)
        if not backups:
            raise click.ClickException(f"no backups of {state.path} in {backup_folder(state.path)}")
        backup = backups[0].path
    try:
        aside = restore(state.path, backup)
    except ClaimmarkError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"project: {state.path}", err=True)
    click.echo(f"Restored {backup}; the previous file was kept as {aside}")


def damage_advice(path: Path) -> str:
    backups = list_backups(path)
    if not backups:
        return "No backup of it exists; copy the file before trying to rescue it."
    newest = backups[0]
    return (
        f"The newest backup is from {newest.taken_at:%Y-%m-%d %H:%M} UTC ({newest.path}); "
        f"'claimmark --project {path} restore' puts it back and keeps the damaged file aside."
    )


@cli.group("audit")
def audit_group():
    """Check and read the project's tamper-evident history."""


@audit_group.command("verify")
@pass_state
def audit_verify(state: _Context):
    """Recompute the event hash chain and replay every event from an empty project.

    Exits 0 when the history is intact and reproduces the current documents, labels, annotators,
    spans and statuses exactly; otherwise names the first event or row that does not match.
    """
    result = verify(state.project())
    if result.ok:
        counts = ", ".join(f"{n} {what}" for what, n in result.counts.items())
        click.echo(f"OK: {result.events} events, hash chain intact; replay matches ({counts}).")
        click.echo(f"latest event hash: {state.project().latest_event_hash()}")
        return
    for problem in result.problems:
        click.echo(f"FAILED: {problem}")
    sys.exit(1)


@audit_group.command("log")
@click.option("--document", help="Only events about this document (by id).")
@click.option("--annotator", help="Only events by this annotator.")
@click.option("--since", metavar="TIME", help="Only events at or after TIME (e.g. 2026-11-25).")
@pass_state
def audit_log(state: _Context, document, annotator, since):
    """Print the history: who changed what, when, from what to what."""
    for event in state.project().events(document_id=document, annotator=annotator, since=since):
        click.echo(f"{event.seq:>6}  {event.at}  {event.annotator}  {describe_event(event)}")


def main() -> None:
    """Entry point without the GUI (``python -m claimmark.core``)."""
    cli()
