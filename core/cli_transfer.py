"""``claimmark import`` and ``claimmark export``: moving documents and labels in and out."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .atomic_file import atomic_text_writer
from .backups import take_backup
from .cli_context import CliState, pass_state
from .formats.decoding import DecodeProblem, check_encoding
from .formats.jsonl_reader import DEFAULT_MAX_LINE_BYTES
from .formats.jsonl_writer import write_jsonl
from .importing import FileResult, import_paths


@click.command("import")
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
def import_command(state: CliState, paths: tuple[Path, ...], encoding: str, max_line_mb: int):
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


@click.command("export")
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
def export_command(state: CliState, fmt: str, output: Path, annotators, labels, documents):
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
