"""Exporting a project to the formats training pipelines and annotation tools accept.

``export_project(project, fmt, out, options)`` is the entry point; each format is one module
(``spacy_docbin``, ``conll``, ``hf``, ``brat``, ``doccano``, ``labelstudio``, ``native_jsonl``).
Importing this package does not import spaCy: only the formats that tokenise do, when they run.
"""

from .errors import ExportError, LossesNotAllowed, OutputExists
from .losses import Loss
from .options import ExportOptions, ExportReport, parse_split
from .run import export_jsonl_stream, export_project

__all__ = [
    "ExportError",
    "ExportOptions",
    "ExportReport",
    "Loss",
    "LossesNotAllowed",
    "OutputExists",
    "export_jsonl_stream",
    "export_project",
    "parse_split",
]
