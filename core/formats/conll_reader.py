"""CoNLL-style token files (CoNLL-2003, IOB2 ``.iob``/``.bio``): one token per line.

The first column is the token, the last its tag (``O``, ``B-X``, ``I-X``; ``E-``/``S-`` and
``L-``/``U-`` of BIOES/BILOU are understood too). A blank line ends a sentence and a line whose
first column is ``-DOCSTART-`` ends a document. A leading token-index column and conlleval's
``token gold predicted`` layout are recognised (see ``_columns``), or ``columns`` names them.
The text is rebuilt: tokens joined by one space, sentences by a newline, so offsets cannot
disagree with it; the tokens' offsets are kept in the document's meta (``token_offsets``), so an
export writes the same tokens again. An ``I-`` tag that starts a span (IOB1, or a stray ``I-``
after ``O``) is accepted as the start of a span, with one warning per file saying where.
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
from .token_meta import TOKEN_OFFSETS_KEY

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


def read_conll(
    path: Path, *, encoding: str = "utf-8", columns: tuple[int, int] | None = None
) -> ParsedFile:
    """``columns``: 1-based (token, tag) column numbers; None detects them (see ``_columns``)."""
    parsed = ParsedFile()
    name = str(path)
    source = read_decoded(path, encoding, parsed.problems)
    if source is None:
        return parsed
    rows: list[tuple[int, list[str] | None]] = []  # None: a blank line
    cells: list[str] | None
    # split on "\n" only: str.splitlines() would also break at U+2028 or U+001C inside a token
    for number, raw in enumerate(source.split("\n"), start=1):
        line = raw.strip()
        if not line:
            rows.append((number, None))
            continue
        cells = line.split("\t") if "\t" in line else line.split()
        cells = [c.strip() for c in cells]
        if line.startswith("#") and (len(cells) < 2 or not _TAG.match(cells[-1])):
            continue  # a comment line ("# id = ...", "# text = ...")
        rows.append((number, cells))
    if columns is None:
        token_at, tag_at, note = _columns(rows)
        if note:
            parsed.warnings.append(Problem(name, None, note))
    else:
        token_at, tag_at = columns[0] - 1, columns[1] - 1
    documents: list[_Document] = []
    current: _Document | None = None
    for number, cells in rows:
        if cells is None:
            if current is not None:
                current.end_sentence()
            continue
        if cells[0] == "-DOCSTART-":
            current = None
            continue
        if len(cells) < 2 or len(cells) <= max(token_at, tag_at):
            wanted = "a token and a tag" if columns is None else f"{max(columns)} columns"
            parsed.problems.append(
                Problem(name, number, f"expected {wanted}, got {' '.join(cells)!r}")
            )
            continue
        token, tag = cells[token_at], cells[tag_at]
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
        text, spans, tokens = _rebuild(document, stray)
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
                    meta={"conll_document": index + 1, TOKEN_OFFSETS_KEY: tokens},
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


def _rebuild(document: _Document, stray: list[int]) -> tuple[str, list[NewSpan], list[list[int]]]:
    parts: list[str] = []
    spans: list[NewSpan] = []
    tokens: list[list[int]] = []
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
            tokens.append([start, end])
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
    return "".join(parts), spans, tokens


def _columns(rows: list[tuple[int, list[str] | None]]) -> tuple[int, int, str | None]:
    """(token, tag) column indexes, and a note when they are not the first and the last.

    Two layouts would otherwise import the wrong thing: a leading index column (``1 EU B-ORG``,
    numbered 1, 2, 3... in each sentence) whose numbers would become the text, and conlleval's
    ``token gold predicted``, whose last column is a model's guess. The second is recognised by
    its last two columns both being tags over shared labels (CoNLL-2003's chunk column shares
    none with the entity column); the gold column is read.
    """
    lines = [cells for _, cells in rows if cells is not None and cells[0] != "-DOCSTART-"]
    if not lines or any(len(cells) < 3 for cells in lines):
        return 0, -1, None
    token_at, note = 0, None
    if _numbered(rows):
        token_at, note = 1, "the first column numbers the tokens; tokens read from column 2"
    width = min(len(cells) for cells in lines)
    if width - 2 > token_at:
        gold = [_TAG.match(cells[-2]) for cells in lines]
        predicted = [_TAG.match(cells[-1]) for cells in lines]
        if all(gold) and all(predicted):
            shared = {m[2] for m in gold if m and m[2]} & {m[2] for m in predicted if m and m[2]}
            if shared:
                conlleval = (
                    "the last two columns are both tags over the same labels (conlleval:"
                    " token, gold, predicted): the gold column (second to last) was imported;"
                    " use --columns to choose another"
                )
                note = f"{note}; {conlleval}" if note else conlleval
                return token_at, -2, note
    return token_at, -1, note


def _numbered(rows: list[tuple[int, list[str] | None]]) -> bool:
    """Whether the first column counts 1, 2, 3... (or from any start) within each sentence."""
    expected, seen = None, False
    for _, cells in rows:
        if cells is None or cells[0] == "-DOCSTART-":
            expected = None
            continue
        if not cells[0].isdigit() or not cells[0].isascii():
            return False
        value = int(cells[0])
        if expected is not None and value != expected:
            return False
        expected, seen = value + 1, True
    return seen
