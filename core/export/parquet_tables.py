"""Parquet of spans and documents (see ``span_tables``): ``spans.parquet``, ``documents.parquet``.

Written with ``pyarrow`` (the optional ``parquet`` extra), imported only when this format runs.
Columns are typed (offsets int64, the rest strings; a missing note is null), written in batches
so a large project never sits in memory twice.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from typing import Any

from .context import ExportContext, ExportFormat
from .errors import ExportError
from .span_tables import DOCUMENT_COLUMNS, SPAN_COLUMNS, write_tables

INSTALL_HINT = "pip install 'claimmark[parquet]'"


def require_pyarrow() -> Any:
    try:
        import pyarrow
        import pyarrow.parquet
    except ImportError as exc:
        raise ExportError(f"the parquet format needs pyarrow: {INSTALL_HINT} ({exc})") from exc
    return pyarrow


def _schema(pa: Any, columns) -> Any:
    types = {"string": pa.string(), "int64": pa.int64()}
    return pa.schema([(name, types[kind]) for name, kind in columns])


def write(ctx: ExportContext) -> None:
    pa = require_pyarrow()
    import pyarrow.parquet as pq

    @contextmanager
    def open_tables(spans_name: str, documents_name: str) -> Iterator:
        with ExitStack() as stack:
            sinks = []
            for name, columns in ((spans_name, SPAN_COLUMNS), (documents_name, DOCUMENT_COLUMNS)):
                handle = stack.enter_context(ctx.staging.binary(name))
                schema = _schema(pa, columns)
                writer = stack.enter_context(pq.ParquetWriter(handle, schema))

                def sink(rows, writer=writer, schema=schema) -> None:
                    writer.write_table(pa.Table.from_pylist(rows, schema=schema))

                sinks.append(sink)
            yield tuple(sinks)

    write_tables(ctx, ".parquet", open_tables)


FORMAT = ExportFormat(
    "parquet",
    "",
    write,
    folder=True,
    description="Parquet folder: spans.parquet (one row per span) and documents.parquet",
)
