"""The tokens that token-level κ and α code: Unicode word segments, each labelled or ``O``.

Segmentation is UAX #29 word boundaries as the ``regex`` module implements them (its ``(?w)``
flag), with whitespace-only segments dropped: it needs no language model, keeps emoji sequences,
flags and combining marks whole, and gives the same tokens for the same text on every machine.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from itertools import pairwise

import regex

SEGMENTATION = (
    "Unicode word boundaries (UAX #29, the regex module's (?w) flag); whitespace is not a token"
)

#: A token's code when no span covers it.
OUTSIDE = "O"

_BOUNDARY = regex.compile(r"(?wV1)\b")

Token = tuple[int, int]


def word_tokens(text: str) -> list[Token]:
    cuts = sorted({0, len(text), *(m.start() for m in _BOUNDARY.finditer(text))})
    return [(start, end) for start, end in pairwise(cuts) if not text[start:end].isspace()]


def code_tokens(
    tokens: Sequence[Token], spans: Sequence[tuple[int, int, str]]
) -> tuple[list[str], int]:
    """Each token's label (the span sharing a character with it) and how many had two labels.

    Where one annotator's spans of different labels both touch a token, the longest span's
    label is the token's code (as the CoNLL export keeps the longest of overlapping spans); the
    second number counts such tokens so that the report can say how often it happened.
    """
    codes = [OUTSIDE] * len(tokens)
    starts = [s for s, _ in tokens]
    ends = [e for _, e in tokens]
    contested: set[int] = set()
    # Shorter spans first, so that a longer one overwrites them.
    for start, end, label in sorted(spans, key=lambda s: (s[1] - s[0], s[0], s[2])):
        first = bisect_right(ends, start)  # first token ending after the span starts
        last = bisect_left(starts, end)  # tokens starting before the span ends
        for index in range(first, last):
            if codes[index] != OUTSIDE and codes[index] != label:
                contested.add(index)
            codes[index] = label
    return codes, len(contested)
