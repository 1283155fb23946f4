"""``claimmark export``: documents and labels out, all or nothing, with a loss report.

The work is done by ``claimmark.core.export.export_project``; this module turns options into
``ExportOptions`` and the ``ExportReport`` into a summary on stderr (stdout stays for data).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from .cli_context import CliState, pass_state
from .cli_output import echo
from .cli_progress import progress_bar, quiet_option
from .export import (
    ExportError,
    ExportOptions,
    ExportReport,
    LossesNotAllowed,
    export_jsonl_stream,
    export_project,
    parse_split,
)
from .export.options import ALIGN_MODES, DOCCANO_LAYOUTS, STATUS_CHOICES
from .export.registry import FORMATS
from .formats.utf16_units import OFFSET_UNITS, UTF16

#: Loss lines printed before "... and N more" (all of them are in the loss report).
SHOWN_LOSSES = 20


@click.command("export")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(list(FORMATS)),
    default="jsonl",
    show_default=True,
    help="Output format.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(allow_dash=True, path_type=Path),
    default="-",
    help="Output file, or folder (brat, --split). '-' (jsonl only): standard output. "
    "Written atomically.",
)
@click.option("--annotator", "annotators", multiple=True, help="Only this annotator's spans.")
@click.option("--label", "labels", multiple=True, help="Only spans with this label.")
@click.option("--document", "documents", multiple=True, help="Only this document (by id).")
@click.option(
    "--status",
    "statuses",
    multiple=True,
    type=click.Choice(STATUS_CHOICES),
    help="Only documents with this status (for the --annotator(s) given, else for anyone).",
)
@click.option(
    "--split",
    metavar="NAME=FRACTION,...",
    help="Split documents into parts, e.g. train=0.8,dev=0.1,test=0.1; -o is then a folder.",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of --split.")
@click.option("--strict", is_flag=True, help="Fail (writing nothing) if anything would be lost.")
@click.option(
    "--force",
    is_flag=True,
    help="Replace an existing output file, or a folder holding an earlier claimmark export "
    "(never files claimmark did not write, nor the project or its backups).",
)
@click.option("--span-key", default="sc", show_default=True, help="spaCy: doc.spans key.")
@click.option(
    "--lang", default="xx", show_default=True, help="spaCy/CoNLL/HF: spacy.blank language."
)
@click.option(
    "--align",
    type=click.Choice(ALIGN_MODES),
    default="expand",
    show_default=True,
    help="spaCy/CoNLL/HF: spans not on token boundaries grow, shrink, or are dropped.",
)
@click.option(
    "--doccano-layout",
    type=click.Choice(DOCCANO_LAYOUTS),
    default="entities",
    show_default=True,
    help="doccano: entities/relations (relation projects) or label ([[s, e, L]]).",
)
@click.option(
    "--doccano-offsets",
    type=click.Choice(OFFSET_UNITS),
    default=UTF16,
    show_default=True,
    help="doccano: count offsets in UTF-16 units, as doccano's editor does (an emoji is two), "
    "or in code points (for Python scripts; doccano would show spans after an emoji shifted).",
)
@click.option(
    "--labelstudio-user",
    "labelstudio_users",
    multiple=True,
    metavar="NAME=EMAIL",
    help="Label Studio: credit NAME's annotations to the member with this email (Label Studio "
    "ignores names; an annotator whose name is an email needs no mapping).",
)
@quiet_option
@pass_state
def export_command(
    state: CliState,
    fmt: str,
    output: Path,
    annotators,
    labels,
    documents,
    statuses,
    split,
    seed,
    strict,
    force,
    span_key,
    lang,
    align,
    doccano_layout,
    doccano_offsets,
    labelstudio_users,
    quiet,
):
    """Export documents and their spans (--annotator, --label, --document, --status repeat).

    Anything the format cannot carry is reported (and written to a loss report);
    a provenance file records the project state exported.
    """
    project = state.project()
    try:
        options = ExportOptions(
            annotators=tuple(annotators),
            labels=tuple(labels),
            statuses=tuple(statuses),
            documents=tuple(documents),
            split=parse_split(split) if split else None,
            seed=seed,
            strict=strict,
            force=force,
            span_key=span_key,
            lang=lang,
            align=align,
            doccano_layout=doccano_layout,
            doccano_offsets=doccano_offsets,
            labelstudio_users=tuple(parse_user(item) for item in labelstudio_users),
        )
    except ExportError as exc:
        raise click.BadParameter(str(exc)) from exc
    to_stdout = str(output) == "-"
    if to_stdout and (fmt != "jsonl" or options.split is not None):
        raise click.UsageError("only a jsonl export without --split can go to standard output")
    for document_id in documents:
        if not project.has_document(document_id):
            raise click.BadParameter(
                f"no document with id {document_id!r}", param_hint="--document"
            )
    try:
        if to_stdout:
            report = export_jsonl_stream(project, sys.stdout, options)
        else:
            with progress_bar("Exporting", quiet=quiet) as advance:
                report = export_project(project, fmt, output, options, on_document=advance)
    except LossesNotAllowed as exc:
        echo_losses(exc.losses)
        raise click.ClickException(str(exc)) from exc
    except ExportError as exc:
        raise click.ClickException(str(exc)) from exc
    except OSError as exc:
        raise click.ClickException(f"{output}: cannot write: {exc.strerror or exc}") from exc
    echo_summary(report, "standard output" if to_stdout else str(output))


def parse_user(item: str) -> tuple[str, str]:
    name, sep, email = item.partition("=")
    if not sep or not name.strip() or "@" not in email:
        raise ExportError(f"--labelstudio-user {item!r} is not NAME=EMAIL")
    return name.strip(), email.strip()


def echo_losses(losses) -> None:
    for loss in losses[:SHOWN_LOSSES]:
        detail = f": {loss.detail}" if loss.detail else ""
        echo(f"lost: {loss.document_id}{loss.place()} {loss.reason}{detail}", err=True)
    if len(losses) > SHOWN_LOSSES:
        echo(f"... and {len(losses) - SHOWN_LOSSES} more", err=True)


def echo_summary(report: ExportReport, where: str) -> None:
    echo_losses(report.losses)
    echo(f"Exported {report.documents} documents, {report.spans} spans to {where}.", err=True)
    for notice in report.notices:
        echo(notice, err=True)
    if len(report.parts) > 1:
        echo("Parts: " + ", ".join(f"{n} {c} docs" for n, c in report.parts.items()), err=True)
    if report.losses:
        reasons = ", ".join(f"{r}: {n}" for r, n in report.losses_by_reason().items())
        echo(f"Losses: {len(report.losses)} ({reasons}); see {report.loss_report}", err=True)
    elif report.loss_report is not None:
        echo(f"Losses: none ({report.loss_report})", err=True)
    project = report.provenance["project"]
    echo(
        f"Project state: event {project['event_count']}, hash {project['latest_event_hash']}",
        err=True,
    )
    if report.provenance_file is None:
        echo("Provenance: " + json.dumps(report.provenance, ensure_ascii=False), err=True)
    else:
        echo(f"Provenance: {report.provenance_file}", err=True)
    if report.destination is not None and report.destination.is_dir():
        echo(f"Output: {report.destination}/ ({len(report.outputs)} files)", err=True)
    elif report.outputs:
        echo("Files: " + ", ".join(str(p) for p in report.outputs), err=True)
