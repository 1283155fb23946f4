"""Where a selection or a span edge should land, computed on the stored text in code points.

Annotators drag roughly; snapping a selection outward to whole words (and dropping the spaces
around it) saves a pixel-exact drag per span and keeps spans comparable between annotators.
The same word steps drive the keyboard grow/shrink commands. Pure functions: no Qt, so they
are tested on strings directly and never see UTF-16 positions.
"""

from __future__ import annotations

import unicodedata

#: Characters that glue onto the character before them: a span edge never goes between them.
_JOINERS = {"\u200d", "\ufe0e", "\ufe0f"}


def is_word_char(ch: str) -> bool:
    return ch == "_" or unicodedata.category(ch)[0] in "LNM"


def _is_attached(text: str, i: int) -> bool:
    """True when an edge at ``i`` would cut a character cluster (mark, ZWJ sequence, CRLF)."""
    if not 0 < i < len(text):
        return False
    ch, before = text[i], text[i - 1]
    if unicodedata.category(ch)[0] == "M" or ch in _JOINERS or before == "\u200d":
        return True
    if "\U0001f3fb" <= ch <= "\U0001f3ff":  # skin-tone modifier
        return True
    return before == "\r" and ch == "\n"


def snap_to_words(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Drop the whitespace around ``[start, end)``, then widen it to whole words.

    Returns None when nothing but whitespace was selected.
    """
    start, end = max(0, start), min(len(text), end)
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start >= end:
        return None
    while start > 0 and (
        (is_word_char(text[start - 1]) and is_word_char(text[start])) or _is_attached(text, start)
    ):
        start -= 1
    while end < len(text) and (
        (is_word_char(text[end - 1]) and is_word_char(text[end])) or _is_attached(text, end)
    ):
        end += 1
    return start, end


def exact_selection(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Snapping off: keep the selection as dragged, only never cutting a character cluster.

    A selection of only whitespace is still refused (None), as with snapping: it labels
    nothing a reader could see, and every export format would have to drop it.
    """
    start, end = max(0, start), min(len(text), end)
    while _is_attached(text, start):
        start -= 1
    while _is_attached(text, end):
        end += 1
    if start >= end or text[start:end].isspace():
        return None
    return start, end


def step(text: str, pos: int, direction: int, *, by_word: bool) -> int:
    """The next edge position left (-1) or right (+1) of ``pos``.

    By word: right goes to the end of the next word, left to the start of the previous one,
    as Ctrl+arrow does in editors. By character: one whole cluster.
    """
    n = len(text)
    i = pos
    if by_word:
        if direction > 0:
            while i < n and not is_word_char(text[i]):
                i += 1
            while i < n and is_word_char(text[i]):
                i += 1
        else:
            while i > 0 and not is_word_char(text[i - 1]):
                i -= 1
            while i > 0 and is_word_char(text[i - 1]):
                i -= 1
    else:
        i = min(n, max(0, i + direction))
    while _is_attached(text, i):
        i += direction
    return i


def moved_edge(
    text: str, start: int, end: int, edge: str, direction: int, *, by_word: bool
) -> tuple[int, int] | None:
    """The span after moving its ``edge`` ("start" or "end") one step; None if it would vanish.

    Shrinking by a word also drops the whitespace it uncovers, so "the militants" shrinks at
    the start to "militants", not " militants".
    """
    if edge == "start":
        new = step(text, start, direction, by_word=by_word)
        if by_word and direction > 0:
            while new < end and not is_word_char(text[new]):
                new += 1
        start = new
    else:
        new = step(text, end, direction, by_word=by_word)
        if by_word and direction < 0:
            while new > start and not is_word_char(text[new - 1]):
                new -= 1
        end = new
    return (start, end) if start < end else None
