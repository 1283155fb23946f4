"""``claimmark export``: documents and labels out, never as a half-written file."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .atomic_file import atomic_text_writer
from .cli_context import CliState, pass_state
from .formats.jsonl_writer import write_jsonl


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
