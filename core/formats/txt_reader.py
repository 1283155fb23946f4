"""Plain-text articles: one document per file, the headline taken from the first line."""

from __future__ import annotations

from pathlib import Path

from ..import_errors import Problem
from ..project import NewDocument
from ..text_checks import title_from_text
from .decoding import read_decoded
from .jsonl_reader import ParsedFile


def read_txt(path: Path, *, encoding: str = "utf-8") -> ParsedFile:
    parsed = ParsedFile()
    text = read_decoded(path, encoding, parsed.problems)
    if text is None:
        return parsed
    if not text.strip():
        parsed.problems.append(Problem(str(path), None, "empty document: no visible characters"))
        return parsed
    document = NewDocument(text=text, title=title_from_text(text, path.stem), source=str(path))
    parsed.documents.append((1, document))
    return parsed
