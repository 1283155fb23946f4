"""claimmark's own JSONL (lossless), through ``formats.jsonl_writer.write_jsonl``."""

from __future__ import annotations

from collections.abc import Callable

from ..formats import jsonl_writer
from .context import ExportContext, ExportFormat


def jsonl_format(writer: Callable | None = None) -> ExportFormat:
    """The native format; ``writer`` defaults to ``jsonl_writer.write_jsonl``, looked up late."""

    def write(ctx: ExportContext) -> None:
        options = ctx.options
        for part, ids in ctx.parts.items():
            with ctx.staging.text(ctx.staging.data_name(part, ".jsonl")) as handle:
                if not ids:  # write_jsonl takes an empty id list as "every document"
                    continue
                (writer or jsonl_writer.write_jsonl)(
                    ctx.project,
                    handle,
                    annotators=options.annotators,
                    labels=options.labels,
                    documents=ids,
                    on_document=lambda _document, spans: ctx.count(len(spans)),
                )

    return ExportFormat(
        "jsonl",
        ".jsonl",
        write,
        lossless=True,
        streamable=True,
        description="claimmark's own JSONL: everything, re-importable",
    )
