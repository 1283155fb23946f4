"""``export_project``: the one entry point of every export (CLI now, GUI dialog later)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import TextIO

from ..backups import backup_folder
from ..formats.jsonl_writer import write_jsonl
from ..model import GOLD_LAYER
from ..project import Project
from .context import ExportContext, ExportFormat, ProgressCallback, schema_labels
from .errors import ExportError, LossesNotAllowed
from .losses import LossLog
from .options import ExportOptions, ExportReport
from .provenance import provenance_record
from .selection import assign_parts, select_document_ids
from .staging import Protected, Staging
from .token_doc import IMPORTED, TOKENIZER
from .tokenising import blank_pipeline, require_spacy


def export_project(
    project: Project,
    fmt: str,
    out: str | Path,
    options: ExportOptions | None = None,
    *,
    on_document: ProgressCallback | None = None,
    formats: Mapping[str, ExportFormat] | None = None,
) -> ExportReport:
    """Export the selected documents to ``out`` in format ``fmt``; all or nothing.

    ``on_document(done, total)`` is called after each document. With ``options.strict`` any
    loss raises ``LossesNotAllowed`` and nothing is written. ``formats`` replaces the registry
    (tests, or a caller wrapping a writer).

    Everything is read in one snapshot, so the provenance's event count and head hash describe
    exactly the data written even while others keep annotating.
    """
    from .registry import FORMATS

    options = options or ExportOptions()
    registry = FORMATS if formats is None else formats
    if fmt not in registry:
        raise ExportError(f"unknown export format {fmt!r}; use one of {', '.join(registry)}")
    with project.read_snapshot():
        return _export(project, registry[fmt], fmt, Path(out), options, on_document)


def _export(
    project: Project,
    export_format: ExportFormat,
    fmt: str,
    out: Path,
    options: ExportOptions,
    on_document: ProgressCallback | None,
) -> ExportReport:
    check_filters(project, options)
    tools = {}
    if export_format.needs_spacy:
        blank_pipeline(options.lang)  # fails now, before anything is written
        tools["spacy"] = require_spacy().__version__

    ids = select_document_ids(project, options)
    parts: dict[str | None, list[str]]
    if options.split is not None:
        parts = {
            part: part_ids
            for part, part_ids in assign_parts(ids, options.split, options.seed).items()
        }
    else:
        parts = {None: ids}
    staging = Staging(
        out,
        folder=export_format.folder or options.split is not None,
        force=options.force,
        protected=Protected.for_project(
            project.path, backup_folder(project.path) if project.path is not None else None
        ),
    )
    losses = LossLog(fmt)
    ctx = ExportContext(
        project,
        options,
        staging,
        losses,
        parts,
        schema_labels(project, options.labels),
        on_document,
    )
    try:
        export_format.write(ctx)
        if options.strict and losses:
            raise LossesNotAllowed(losses.items)
        report = ExportReport(
            fmt,
            documents=ctx.documents_done,
            spans=ctx.spans_seen,
            losses=list(losses.items),
            parts={part or "all": len(part_ids) for part, part_ids in parts.items()},
        )
        report.notices = token_notices(ctx, options.lang)
        data_files = staging.files
        if not export_format.lossless:
            loss_name = staging.beside_name(".losses.jsonl")
            with staging.text(loss_name) as handle:
                handle.writelines(loss.to_json() + "\n" for loss in losses.items)
        provenance_name = staging.beside_name(".provenance.json")
        report.provenance = provenance_record(
            project,
            fmt,
            options,
            parts,
            spans=report.spans,
            losses_by_reason=report.losses_by_reason(),
            files=data_files,
            tools=tools,
            extra=ctx.provenance_extra,
        )
        with staging.text(provenance_name) as handle:
            handle.write(json.dumps(report.provenance, ensure_ascii=False, indent=2) + "\n")
        report.outputs = staging.commit()
    except BaseException:
        staging.discard()
        raise
    base = out if staging.folder else out.parent
    if not export_format.lossless:
        report.loss_report = base / loss_name
    report.provenance_file = base / provenance_name
    report.destination = out
    return report


def export_jsonl_stream(
    project: Project,
    stream: TextIO,
    options: ExportOptions | None = None,
) -> ExportReport:
    """Native JSONL to an open stream (standard output): not atomic, no split, no sidecars.

    The provenance is in the report for the caller to show (the CLI prints it to stderr).
    """
    options = options or ExportOptions()
    if options.split is not None:
        raise ExportError("a split writes several files; give a folder with -o")
    with project.read_snapshot():
        return _export_stream(project, stream, options)


def _export_stream(project: Project, stream: TextIO, options: ExportOptions) -> ExportReport:
    check_filters(project, options)
    ids = select_document_ids(project, options)
    spans = 0
    if ids:
        summary = write_jsonl(
            project,
            stream,
            annotators=options.annotators,
            labels=options.labels,
            documents=ids,
        )
        spans = summary.spans
    report = ExportReport("jsonl", documents=len(ids), spans=spans, parts={"all": len(ids)})
    report.provenance = provenance_record(
        project,
        "jsonl",
        options,
        {None: ids},
        spans=spans,
        losses_by_reason={},
        files=["-"],
        tools={},
        extra={},
    )
    return report


def token_notices(ctx: ExportContext, lang: str) -> list[str]:
    """Say which documents kept their imported tokens and which were tokenised here."""
    sources = ctx.token_sources
    if not sources:
        return []
    ctx.provenance_extra["tokens"] = {"lang": lang, **sources}
    notices = []
    if sources.get(IMPORTED):
        notices.append(f"Tokens: {sources[IMPORTED]} document(s) kept their imported tokens")
    if sources.get(TOKENIZER):
        notices.append(
            f"Tokens: {sources[TOKENIZER]} document(s) have no imported tokens; "
            f"tokenised with spacy.blank({lang!r})"
        )
    return notices


def check_filters(project: Project, options: ExportOptions) -> None:
    known = {label.key for label in project.labels()}
    for label in options.labels:
        if label not in known:
            raise ExportError(f"no label {label!r} in the project")
    people = set(project.annotators())
    for annotator in (*options.annotators, *(name for name, _ in options.labelstudio_users)):
        if annotator == GOLD_LAYER and annotator not in people:
            raise ExportError(
                f"no annotator {annotator!r} in the project: nothing is adjudicated yet"
                " ('claimmark adjudicate --accept-agreed', or View → Adjudicate in the window)"
            )
        if annotator not in people:
            raise ExportError(f"no annotator {annotator!r} in the project")
    for document_id in options.documents:
        if not project.has_document(document_id):
            raise ExportError(f"no document with id {document_id!r}")
