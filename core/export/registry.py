"""The export formats by name. Importing this imports no format's third-party library."""

from __future__ import annotations

from . import brat, conll, csv_tables, doccano, hf, labelstudio, parquet_tables, spacy_docbin
from .context import ExportFormat
from .native_jsonl import jsonl_format

FORMATS: dict[str, ExportFormat] = {
    f.name: f
    for f in (
        jsonl_format(),
        spacy_docbin.FORMAT,
        conll.FORMAT,
        hf.FORMAT,
        brat.FORMAT,
        doccano.FORMAT,
        labelstudio.FORMAT,
        csv_tables.FORMAT,
        parquet_tables.FORMAT,
    )
}
