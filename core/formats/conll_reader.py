"""CoNLL-style token files (CoNLL-2003, IOB2 ``.iob``/``.bio``): one token per line.

The first column is the token, the last its tag (``O``, ``B-X``, ``I-X``; ``E-``/``S-`` and
``L-``/``U-`` of BIOES/BILOU are understood too). A blank line ends a sentence and a line whose
first column is ``-DOCSTART-`` ends a document. The text is rebuilt: tokens joined by one space,
sentences by a newline, so offsets cannot disagree with it. An ``I-`` tag that starts a span
(IOB1, or a stray ``I-`` after ``O``) is accepted as the start of a span, with one warning per
file saying where.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..import_errors import Problem
from ..project import NewDocument, NewSpan
from ..text_checks import string_problem
from .decoding import read_decoded
from .jsonl_reader import ParsedFile

_TAG = re.compile(r"(?:O|([BIESLU])-(.+))\Z")
TITLE_LENGTH = 80


@dataclass
class _Document:
    line: int
    sentences: list[list[tuple[str, str, int]]] = field(default_factory=lambda: [[]])

    def add(self, token: str, tag: str, line: int) -> None:
        self.sentences[-1].append((token, tag, line))

    def end_sentence(self) -> None:
        if self.sentences[-1]:
            self.sentences.append([])

    @property
    def empty(self) -> bool:
        return not any(self.sentences)


def read_conll(path: Path, *, encoding: str = "utf-8") -> ParsedFile:
    parsed = ParsedFile()
    name = str(path)
    source = read_decoded(path, encoding, parsed.problems)
    if source is None:
        return parsed
    documents: list[_Document] = []
    current: _Document | None = None
    # split on "\n" only: str.splitlines() would also break at U+2028 or U+001C inside a token
    for number, raw in enumerate(source.split("\n"), start=1):
        line = raw.strip()
        if not line:
            if current is not None:
                current.end_sentence()
            continue
        columns = line.split("\t") if "\t" in line else line.split()
        columns = [c.strip() for c in columns]
        if columns[0] == "-DOCSTART-":
            current = None
            continue
        if line.startswith("#") and (len(columns) < 2 or not _TAG.match(columns[-1])):
            continue  # a comment line ("# id = ...", "# text = ...")
        if len(columns) < 2:
            parsed.problems.append(
                Problem(name, number, f"expected a token and a tag, got {line!r}")
            )
            continue
        token, tag = columns[0], columns[-1]
        reason = string_problem(token)
        if reason:
            parsed.problems.append(Problem(name, number, f"token: {reason}"))
            continue
        if not _TAG.match(tag):
            parsed.problems.append(
                Problem(name, number, f"tag {tag!r} is not O or B-/I-LABEL (IOB2)")
            )
            continue
        if current is None:
            current = _Document(number)
            documents.append(current)
        current.add(token, tag, number)
    if parsed.problems:
        return parsed
    stray: list[int] = []
    for index, document in enumerate(d for d in documents if not d.empty):
        text, spans = _rebuild(document, stray)
        title = text.split("\n", 1)[0]
        if len(title) > TITLE_LENGTH:
            title = title[: TITLE_LENGTH - 1].rstrip() + "…"
        parsed.documents.append(
            (
                document.line,
                NewDocument(
                    text=text,
                    title=title,
                    source=name,
                    meta={"conll_document": index + 1},
                    spans=spans,
                ),
            )
        )
    if not parsed.documents:
        parsed.problems.append(Problem(name, None, "no tokens found"))
    if stray:
        shown = ", ".join(map(str, stray[:10])) + (", …" if len(stray) > 10 else "")
        parsed.warnings.append(
            Problem(
                name,
                stray[0],
                f"{len(stray)} span(s) start with I- instead of B- (IOB1 or a stray I-; lines"
                f" {shown}): each was read as the start of a span",
            )
        )
    return parsed


def _rebuild(document: _Document, stray: list[int]) -> tuple[str, list[NewSpan]]:
    parts: list[str] = []
    spans: list[NewSpan] = []
    offset = 0
    open_label: str | None = None
    open_start = 0
    last_end = 0

    def close() -> None:
        nonlocal open_label
        if open_label is not None:
            spans.append(NewSpan(open_start, last_end, open_label))
        open_label = None

    for s_index, sentence in enumerate(s for s in document.sentences if s):
        if s_index:
            parts.append("\n")
            offset += 1
        close()  # spans never cross a sentence break
        for t_index, (token, tag, line) in enumerate(sentence):
            if t_index:
                parts.append(" ")
                offset += 1
            start, end = offset, offset + len(token)
            parts.append(token)
            offset = end
            match = _TAG.match(tag)
            assert match is not None
            prefix, label = match[1], match[2]
            if prefix is None:  # O
                close()
            elif prefix in "BSU" or open_label != label:
                close()
                if prefix in "IEL":
                    stray.append(line)
                open_label, open_start = label, start
            last_end = end
            if prefix in ("E", "S", "L", "U"):
                close()
    close()
    return "".join(parts), spans
