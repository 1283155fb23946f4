"""Which reader a path needs: from its extension, and for ``.jsonl`` from what its lines hold.

A ``.txt`` file is always a plain-text article unless ``--format`` says otherwise (CoNLL files
are recognised only by ``.conll``/``.iob``/``.iob2``/``.bio``), and a folder with ``.ann`` files
in it is a brat folder. A ``.jsonl`` file is doccano's when its lines use doccano's span layouts
(``entities``, or ``label`` as ``[start, end, label]`` lists) and none has claimmark's ``spans``.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..import_errors import Problem
from .doccano_reader import jsonl_flavour
from .json_limits import load_json
from .jsonl_reader import ParsedFile, _decoded_lines, _wide

FORMATS = ("jsonl", "txt", "brat", "doccano", "labelstudio", "conll", "spacy")

#: Format of a file by its extension, when no --format is given.
BY_EXTENSION = {
    ".txt": "txt",
    ".jsonl": "jsonl",
    ".json": "labelstudio",
    ".ann": "brat",
    ".conll": "conll",
    ".iob": "conll",
    ".iob2": "conll",
    ".bio": "conll",
    ".spacy": "spacy",
}

#: Files a folder walk picks up when --format is given.
EXTENSIONS_OF = {
    "jsonl": {".jsonl"},
    "doccano": {".jsonl"},
    "txt": {".txt"},
    "brat": {".txt", ".ann"},
    "labelstudio": {".json"},
    "conll": {".conll", ".iob", ".iob2", ".bio", ".txt", ".tsv"},
    "spacy": {".spacy"},
}

#: brat's configuration files, found in most brat folders and never documents.
BRAT_CONFIG = {"annotation.conf", "visual.conf", "tools.conf", "kb_shortcuts.conf"}


#: A doccano line has a top-level "entities" list or a "label" list; claimmark's own lines have
#: neither ("label" there is a string inside a span). Searched in raw bytes, at C speed.
_DOCCANO_HINT = re.compile(rb'"entities"|"label"\s*:\s*\[')


def _may_be_doccano(path: Path, chunk: int = 1 << 20) -> bool:
    """Whether the file could hold a doccano line; read in chunks so memory stays bounded."""
    tail = b""
    with path.open("rb") as handle:
        while block := handle.read(chunk):
            if _DOCCANO_HINT.search(tail + block):
                return True
            tail = block[-64:]
    return False


def jsonl_format(path: Path, encoding: str, max_line_bytes: int) -> str | Problem:
    """ "jsonl" or "doccano" for a .jsonl file; a Problem when its lines mix the two layouts.

    Lines that cannot be read or parsed are left for the reader to report.
    """
    if not _wide(encoding) and not _may_be_doccano(path):
        return "jsonl"
    seen: dict[str, int] = {}
    for number, line in _decoded_lines(path, encoding, max_line_bytes, ParsedFile(), str(path)):
        if not line or not line.strip():
            continue
        try:
            value = load_json(line)
        except ValueError:
            continue
        flavour = jsonl_flavour(value)
        if flavour is not None:
            seen.setdefault(flavour, number)
        if len(seen) == 2:
            return Problem(
                str(path),
                number,
                f"mixes claimmark lines ('spans', first on line {seen['jsonl']}) with doccano"
                f" lines ('entities' or 'label', first on line {seen['doccano']});"
                " choose one with --format jsonl or --format doccano",
            )
    return "doccano" if "doccano" in seen else "jsonl"
