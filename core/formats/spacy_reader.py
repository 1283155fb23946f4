"""spaCy DocBin files (``.spacy``), as spaCy's own training pipelines write and read them.

Every span group (``doc.spans[key]``) and ``doc.ents`` become spans; a span present in several
of them is stored once. A group other than spaCy's default ``sc`` is named in the span's note so
that annotators see it. What a span carries besides its label (whether it was in ``doc.ents``,
which groups held it, its ``kb_id``), ``doc.cats`` and the tokens are kept in the document's meta
(``spacy``, ``token_offsets``), so a spaCy export gives them back (``export.spacy_memory``).
spaCy is imported only when a ``.spacy`` file is read: it is an optional dependency.
"""

from __future__ import annotations

import zlib
from pathlib import Path

from ..import_errors import Problem
from ..project import NewDocument, NewSpan
from ..text_checks import string_problem, title_from_text
from .jsonl_reader import ParsedFile
from .token_meta import SPACY_META_KEY, TOKEN_OFFSETS_KEY

DEFAULT_SPANS_KEY = "sc"
MISSING_SPACY = "reading .spacy files needs spaCy: pip install 'claimmark[spacy]'"


#: What a DocBin may unpack to: a DocBin is zlib-compressed msgpack, and a 1 MB file of zeros
#: unpacks to gigabytes (spaCy unpacks it whole, in memory).
MAX_UNPACKED_BYTES = 512 * 2**20


def _unpacked_size(data: bytes) -> int | None:
    """How much ``data`` unpacks to, stopping just past the limit; None if it is not zlib."""
    unpacker = zlib.decompressobj()
    size = 0
    try:
        chunk = unpacker.decompress(data, 2**20)
        while chunk:
            size += len(chunk)
            if size > MAX_UNPACKED_BYTES:
                return size
            chunk = unpacker.decompress(unpacker.unconsumed_tail, 2**20)
    except zlib.error:
        return None  # not compressed: spaCy says what is wrong with it
    return size


def read_spacy(path: Path) -> ParsedFile:
    parsed = ParsedFile()
    name = str(path)
    try:
        import spacy
        from spacy.tokens import DocBin
    except ImportError:
        parsed.problems.append(Problem(name, None, MISSING_SPACY))
        return parsed
    try:
        data = path.read_bytes()
        if (unpacked := _unpacked_size(data)) is not None and unpacked > MAX_UNPACKED_BYTES:
            parsed.problems.append(
                Problem(
                    name,
                    None,
                    f"refused: it unpacks to more than {MAX_UNPACKED_BYTES // 2**20:,} MB"
                    f" from {len(data):,} bytes (a DocBin that large is split into several files)",
                )
            )
            return parsed
        docs = list(DocBin().from_bytes(data).get_docs(spacy.blank("xx").vocab))
    except OSError as exc:
        parsed.problems.append(Problem(name, None, f"cannot read: {exc.strerror or exc}"))
        return parsed
    except Exception as exc:  # spaCy and msgpack raise many kinds for a file that is not a DocBin
        parsed.problems.append(
            Problem(name, None, f"not a spaCy DocBin file ({type(exc).__name__}: {exc})")
        )
        return parsed
    for number, doc in enumerate(docs, start=1):
        where = f"doc {number}"
        text = doc.text
        reason = string_problem(text)
        if reason:
            parsed.problems.append(Problem(name, None, f"{where}: text {reason}"))
            continue
        if not text.strip():
            parsed.warnings.append(Problem(name, None, f"{where}: empty document skipped"))
            continue
        groups: dict[tuple[int, int, str], list[str]] = {}
        memory: dict[tuple[int, int, str], dict] = {}
        unlabelled = 0
        sources = [(key, group) for key, group in doc.spans.items()] + [(None, doc.ents)]
        for key, group in sources:
            for span in group:
                if not span.label_:
                    unlabelled += 1
                    continue
                place = (span.start_char, span.end_char, span.label_)
                found = groups.setdefault(place, [])
                if key is not None and key not in found:
                    found.append(key)
                entry = memory.setdefault(
                    place,
                    {"start": place[0], "end": place[1], "label": place[2], "ents": False},
                )
                if key is None:
                    entry["ents"] = True
                else:
                    entry.setdefault("groups", []).append(key)
                if span.kb_id_:
                    entry["kb_id"] = span.kb_id_
        if unlabelled:
            parsed.warnings.append(
                Problem(name, None, f"{where}: {unlabelled} span(s) without a label not imported")
            )
        spans = [
            NewSpan(start, end, label, note=_note(keys))
            for (start, end, label), keys in sorted(groups.items())
        ]
        document = NewDocument(
            text=text,
            title=title_from_text(text, f"{path.stem} {number}"),
            source=name,
            meta={
                "spacy_doc": number,
                SPACY_META_KEY: {"cats": dict(doc.cats), "spans": list(memory.values())},
                TOKEN_OFFSETS_KEY: [
                    [t.idx, t.idx + len(t.text)] for t in doc if not t.is_space and t.text
                ],
            },
            spans=spans,
        )
        parsed.documents.append((number, document))
    if not docs:
        parsed.problems.append(Problem(name, None, "the DocBin holds no documents"))
    return parsed


def _note(keys: list[str]) -> str | None:
    other = [key for key in keys if key != DEFAULT_SPANS_KEY]
    if not other:
        return None
    return f"spaCy span group{'s' if len(other) > 1 else ''} {', '.join(map(repr, other))}"
