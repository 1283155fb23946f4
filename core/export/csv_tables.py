"""CSV of spans and documents (see ``span_tables``): ``spans.csv`` and ``documents.csv``.

RFC 4180 as Python's ``csv`` writes it (fields with commas, quotes or line breaks are quoted; CRLF
inside a text is kept byte for byte), UTF-8 without BOM, a header row. A missing value (no note)
is an empty field. Cells are written as they are: a spreadsheet may read a cell starting with
``=`` as a formula, so open the files through an import dialog, or with pandas.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

from .context import ExportContext, ExportFormat
from .span_tables import DOCUMENT_COLUMNS, SPAN_COLUMNS, column_names, write_tables


def write(ctx: ExportContext) -> None:
    @contextmanager
    def open_tables(spans_name: str, documents_name: str) -> Iterator:
        with ExitStack() as stack:
            sinks = []
            for name, columns in ((spans_name, SPAN_COLUMNS), (documents_name, DOCUMENT_COLUMNS)):
                handle = stack.enter_context(ctx.staging.text(name))
                writer = csv.DictWriter(handle, fieldnames=column_names(columns))
                writer.writeheader()
                sinks.append(writer.writerows)
            yield tuple(sinks)

    write_tables(ctx, ".csv", open_tables)


FORMAT = ExportFormat(
    "csv",
    "",
    write,
    folder=True,
    description="CSV folder: spans.csv (one row per span) and documents.csv",
)
