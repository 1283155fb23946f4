"""``claimmark import``: documents and labels in, each file whole or not at all."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .backups import take_backup
from .cli_context import CliState, pass_state
from .cli_output import echo
from .cli_progress import progress_bar, quiet_option
from .formats.decoding import DecodeProblem, check_encoding
from .formats.detect import FORMATS
from .formats.jsonl_reader import DEFAULT_MAX_LINE_BYTES
from .formats.utf16_units import OFFSET_UNITS, UTF16
from .importing import FileResult, ImportUnit, import_paths, import_units
from .model import ClaimmarkError


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
@click.option(
    "--format",
    "format_",
    type=click.Choice(FORMATS),
    default=None,
    help="Read every path in this format instead of detecting it from the path.",
)
@click.option(
    "--text-key",
    metavar="KEY",
    default=None,
    help="Label Studio: the key of each task's 'data' that holds the text "
    "(default: 'text', else the first string value).",
)
@click.option(
    "--doccano-offsets",
    type=click.Choice(OFFSET_UNITS),
    default=UTF16,
    show_default=True,
    help="doccano: how the offsets count. utf16 is what doccano's editor shows and exports "
    "(an emoji is two units); codepoints for files written by Python scripts. A file whose "
    "offsets fit only the other counting is refused with a hint.",
)
@click.option(
    "--columns",
    metavar="TOKEN,TAG",
    default=None,
    help="CoNLL: the token and tag column numbers (1-based), e.g. 2,4. Default: the first and "
    "the last, recognising a leading index column and conlleval's token/gold/predicted.",
)
@quiet_option
@pass_state
def import_command(
    state: CliState,
    paths: tuple[Path, ...],
    encoding: str,
    max_line_mb: int,
    format_: str | None,
    text_key: str | None,
    doccano_offsets: str,
    columns: str | None,
    quiet: bool,
):
    """Import articles and annotated datasets: files, and folders of them (recursively).

    \b
    Formats, detected from the path unless --format is given:
      .txt                       plain-text article (the first line is its title)
      .jsonl                     claimmark JSONL, or doccano JSONL when its lines
                                 hold "entities" or "label" spans and no "spans"
      .json                      Label Studio task export
      .conll .iob .iob2 .bio     CoNLL / IOB2 token-per-line files
      .spacy                     spaCy DocBin
      folder with .ann files     brat standoff (.txt + .ann pairs)

    Each file (each brat .txt/.ann pair) is imported whole or not at all. A document whose text is
    already in the project is skipped. Offsets are checked against the text: a span that does not
    fit is an error naming the file, line and span, never a silent shift.

    claimmark JSONL lines hold one object each: "text" is required; "id", "title", "meta" and
    "spans" (objects with "start", "end", "label" and optional "text", "annotator", "note") are
    optional. Offsets are Python code-point offsets, end exclusive. doccano offsets count
    UTF-16 units unless --doccano-offsets codepoints is given.
    """
    try:
        check_encoding(encoding)
    except DecodeProblem as exc:
        raise click.BadParameter(str(exc), param_hint="--encoding") from exc
    conll_columns = parse_columns(columns) if columns else None
    project = state.project(create=True)
    if project.document_count():
        try:
            take_backup(project)  # an import is a big change: keep the project as it was before
        except ClaimmarkError as exc:
            echo(f"warning: no backup was taken before this import: {exc}", err=True)

    units = list(import_units(paths, format_))
    sizes = {str(u.path): _size(u) for u in units}
    total, done = sum(sizes.values()), 0

    def report(result: FileResult) -> None:
        nonlocal done
        done += sizes.get(result.path, 0)
        advance(done, total)
        for warning in result.warnings:
            echo(f"warning: {warning}", err=True)
        for problem in result.problems:
            echo(f"error: {problem}", err=True)
        if result.refused:
            echo(f"{result.path}: not imported", err=True)
        elif result.imported or result.skipped:
            echo(
                f"{result.path}: {len(result.imported)} imported, {len(result.skipped)} skipped",
                err=True,
            )

    with progress_bar("Importing", quiet=quiet) as advance:
        advance(0, total)
        summary = import_paths(
            project,
            paths,
            annotator=state.annotator,
            encoding=encoding,
            max_line_bytes=max_line_mb * 1024 * 1024,
            on_file=report,
            format=format_,
            text_key=text_key,
            doccano_offsets=doccano_offsets,
            conll_columns=conll_columns,
        )
    refused = sum(f.refused for f in summary.files)
    duplicates = sum(f.duplicate_spans for f in summary.files if not f.refused)
    echo(
        f"Imported {summary.count('imported')} documents, skipped {summary.count('skipped')} "
        f"already present, refused {refused} file{'s' if refused != 1 else ''}."
        + (
            f" Skipped {duplicates} duplicate span{'s' if duplicates != 1 else ''}"
            " (file and line in the warnings above)."
            if duplicates
            else ""
        )
    )
    if summary.new_labels:
        echo(f"New labels added to the schema: {', '.join(summary.new_labels)}")
    if not summary.ok:
        sys.exit(1)


def parse_columns(value: str) -> tuple[int, int]:
    """``"2,4"`` -> (2, 4): the token and tag columns of a CoNLL file, counted from 1."""
    parts = value.split(",")
    if len(parts) != 2 or not all(p.strip().isdigit() and int(p) >= 1 for p in parts):
        raise click.BadParameter(
            f"{value!r} is not TOKEN,TAG (two column numbers from 1, e.g. 2,4)",
            param_hint="--columns",
        )
    token, tag = (int(p) for p in parts)
    if token == tag:
        raise click.BadParameter("the token and tag columns must differ", param_hint="--columns")
    return token, tag


def _size(unit: ImportUnit) -> int:
    """A unit's weight in the progress bar: its bytes (a brat pair's two files)."""
    total = 0
    for path in (unit.path, unit.text_path):
        if path is not None and path.is_file():
            total += path.stat().st_size
    return total
