"""One label per token (IOB2), as CoNLL and Hugging Face token classification want it.

Whitespace tokens are not written. Spans are aligned to spaCy tokens, overlaps resolved by the
rule in ``tokenising.keep_non_overlapping`` (longest, then earliest, kept), and every span that is
dropped or written with other offsets is a loss.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from . import losses as L
from .losses import LossLog
from .selection import SelectedDocument
from .tokenising import (
    align_spans,
    iob2_tags,
    keep_non_overlapping,
    report_changed,
    report_document_losses,
)

#: What ends a line in the article view (and so a CoNLL sentence): \n, \r, U+2028, U+2029.
#: \f, \v and U+0085 are shown inside a line there, so they do not end a sentence either.
SENTENCE_BREAKS = frozenset("\n\r\u2028\u2029")


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    start: int
    end: int
    #: Index of the line ("sentence") the token is on; lines are separated by line breaks.
    line: int


@dataclass(frozen=True, slots=True)
class LabelSequence:
    tokens: list[Token]
    tags: list[str]


def label_sequence(
    doc: Any,
    selected: SelectedDocument,
    align: str,
    losses: LossLog,
    *,
    lines_are_sentences: bool,
    whitespace_free_tokens: bool,
    spans_carried_beside: bool = False,
    names: Mapping[str, str] | None = None,
) -> LabelSequence:
    """Written tokens and their tags for one document.

    ``lines_are_sentences``: a span whose tokens are on two lines is a loss (CoNLL writes one
    line per sentence block). ``whitespace_free_tokens``: a token with whitespace inside cannot
    be written (CoNLL columns are split on whitespace), so it is dropped with its spans.
    ``spans_carried_beside``: the format also writes every span whole (HF's ``spans`` column,
    with annotator and note), so notes and annotators are not lost. ``names``: label key ->
    the name written in the tags (see ``iob2_tags``).
    """
    written: dict[int, int] = {}  # spaCy token index -> position among written tokens
    unwritable: set[int] = set()
    tokens: list[Token] = []
    line = 0
    for token in doc:
        text = token.text
        if text.isspace():
            if tokens and tokens[-1].line == line and any(c in SENTENCE_BREAKS for c in text):
                line += 1
            continue
        if whitespace_free_tokens and any(c.isspace() for c in text):
            unwritable.add(token.i)
            continue
        written[token.i] = len(tokens)
        tokens.append(Token(text, token.idx, token.idx + len(text), line))

    candidates = []
    for item in align_spans(doc, selected.spans, align, losses):
        indices = range(item.token_start, item.token_end)
        if unwritable.intersection(indices):
            losses.span(
                item.span,
                L.UNWRITABLE_TOKEN,
                "a token of the span has whitespace inside and cannot be a CoNLL column",
            )
            continue
        positions = frozenset(written[i] for i in indices if i in written)
        if not positions:
            losses.span(item.span, L.ONLY_WHITESPACE, "the span covers only whitespace tokens")
            continue
        if lines_are_sentences and len({tokens[p].line for p in positions}) > 1:
            losses.span(
                item.span,
                L.CROSSES_LINE_BREAK,
                "CoNLL sentences end at line breaks; the span would be split",
            )
            continue
        candidates.append((item, positions))

    kept = keep_non_overlapping(candidates, losses)
    for item, positions in kept:
        start, end = tokens[min(positions)].start, tokens[max(positions)].end
        report_changed(item, start, end, losses, f"token boundaries, --align {align}")
    if not spans_carried_beside:
        report_document_losses(selected.spans, selected.document.id, losses)
    return LabelSequence(tokens, iob2_tags(len(tokens), kept, names))
