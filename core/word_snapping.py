"""Where a selection or a span edge should land, computed on the stored text in code points.

Annotators drag roughly; snapping a selection outward to whole words (and dropping the spaces
around it) saves a pixel-exact drag per span and keeps spans comparable between annotators.
The same word steps drive the keyboard grow/shrink commands.

An edge only ever lands between two user-perceived characters: grapheme clusters (UAX #29) come
from the ``regex`` module's ``\\X``, so a flag, an emoji ZWJ sequence, a decomposed Hangul
syllable or a letter with its combining marks is never cut, which hand-written rules got wrong.
Invisible characters (soft hyphen, zero-width space and joiners, variation selectors: Unicode's
default-ignorable code points) never stop a word and never sit at a span's edge: between two
word characters they belong to the word, elsewhere they are dropped like spaces.

Clusters are segmented only in the stretch around the positions asked about, cut at whitespace
(where a cluster always ends), so a keypress near the end of a 2,000,000-character article costs
no more than one near its start.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator

import regex

__all__ = ["exact_selection", "is_word_char", "moved_edge", "snap_to_words", "step"]

_CLUSTER = regex.compile(r"\X")
_INVISIBLE = regex.compile(r"\p{Default_Ignorable_Code_Point}+")
#: Punctuation that closes a clause ("Syria," "killed." "؟"), dropped from a snapped end.
_CLAUSE_END = regex.compile(r"\p{Terminal_Punctuation}")
_ABBREVIATION = regex.compile(r"\.\w")
_PREPEND = regex.compile(r"\p{Grapheme_Cluster_Break=Prepend}")
_SPACE_BEFORE = regex.compile(r"(?r)\s")
_SPACE_AFTER = regex.compile(r"\s")

# What a cluster is, for snapping.
WORD, SPACE, INVISIBLE, OTHER = "word", "space", "invisible", "other"


def is_word_char(ch: str) -> bool:
    return ch == "_" or unicodedata.category(ch)[0] in "LNM"


def _kind(cluster: str) -> str:
    if cluster.isspace():
        return SPACE
    if _INVISIBLE.fullmatch(cluster):
        return INVISIBLE
    return WORD if is_word_char(cluster[0]) else OTHER


def _is_cut(text: str, i: int) -> bool:
    """Whitespace at ``i`` starts a new cluster: the segmenter may start afresh there."""
    return (
        i <= 0
        or i >= len(text)
        or (text[i].isspace() and text[i - 1] != "\r" and not _PREPEND.match(text, i - 1))
    )


def _cut_before(text: str, i: int) -> int:
    """The nearest position at or before ``i`` where segmenting may start."""
    i = min(i, len(text))
    while not _is_cut(text, i):
        found = _SPACE_BEFORE.search(text, 0, i)
        i = found.start() if found else 0
    return i


def _cut_after(text: str, i: int) -> int:
    """The nearest position at or after ``i`` where segmenting may stop."""
    i = max(i, 0)
    while not _is_cut(text, i):
        found = _SPACE_AFTER.search(text, i + 1)
        i = found.start() if found else len(text)
    return i


def clusters_after(text: str, pos: int) -> Iterator[tuple[int, int, str]]:
    """(start, end, kind) of each cluster ending after ``pos``, in text order."""
    lo = _cut_before(text, pos)
    while lo < len(text):
        hi = _cut_after(text, max(pos, lo) + 1)
        for match in _CLUSTER.finditer(text, lo, hi):
            if match.end() > pos:
                yield match.start(), match.end(), _kind(match.group())
        lo = hi


def clusters_before(text: str, pos: int) -> Iterator[tuple[int, int, str]]:
    """(start, end, kind) of each cluster starting before ``pos``, nearest first."""
    hi = _cut_after(text, pos)
    while hi > 0:
        lo = _cut_before(text, min(pos, hi) - 1)
        found = [(m.start(), m.end(), _kind(m.group())) for m in _CLUSTER.finditer(text, lo, hi)]
        yield from (c for c in reversed(found) if c[0] < pos)
        hi = lo


def _floor(text: str, i: int) -> int:
    """The cluster boundary at or before ``i``."""
    return next((c[0] for c in clusters_after(text, i) if c[0] <= i), i)


def _ceil(text: str, i: int) -> int:
    """The cluster boundary at or after ``i``."""
    return next((c[1] for c in clusters_before(text, i) if c[1] >= i), i)


def _word_run_start(text: str, pos: int) -> int:
    """Going left from ``pos`` (just after a word cluster), where that word begins.

    Invisible clusters between two word clusters are crossed; anything else stops the word.
    """
    start = pos
    for a, _b, kind in clusters_before(text, pos):
        if kind == WORD:
            start = a
        elif kind != INVISIBLE:
            break
    return start


def _word_run_end(text: str, pos: int) -> int:
    """Going right from ``pos`` (just before a word cluster), where that word ends."""
    end = pos
    for _a, b, kind in clusters_after(text, pos):
        if kind == WORD:
            end = b
        elif kind != INVISIBLE:
            break
    return end


def _first_kind_after(text: str, pos: int, skip=(INVISIBLE,)) -> str | None:
    return next((c[2] for c in clusters_after(text, pos) if c[2] not in skip), None)


def _first_kind_before(text: str, pos: int, skip=(INVISIBLE,)) -> str | None:
    return next((c[2] for c in clusters_before(text, pos) if c[2] not in skip), None)


def _trim(text: str, start: int, end: int, drop: tuple[str, ...]) -> tuple[int, int]:
    """Move ``start`` right and ``end`` left past clusters of the kinds in ``drop``."""
    for a, b, kind in clusters_after(text, start):
        if a >= end or kind not in drop:
            break
        start = b
    return start, max(start, _trim_end(text, start, end, drop))


def _trim_end(text: str, start: int, end: int, drop: tuple[str, ...]) -> int:
    """Move ``end`` left past clusters of the kinds in ``drop``, never before ``start``."""
    for a, b, kind in clusters_before(text, end):
        if b <= start or kind not in drop:
            break
        end = a
    return end


def _without_clause_end(text: str, start: int, end: int) -> int:
    """``end`` moved left past trailing clause punctuation (and the spaces it uncovers).

    The full stop of an abbreviation ("U.S.") stays; so does punctuation that is all there is.
    """
    new = end
    for a, b, kind in clusters_before(text, end):
        if a < start or kind == WORD:
            break
        if kind == OTHER:
            if not _CLAUSE_END.fullmatch(text[a:b]):
                break
            if text[a:b] == "." and _ABBREVIATION.search(text, _cut_before(text, a), a):
                break
        new = a
    return new if new > start else end


def snap_to_words(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Drop the whitespace and invisibles around ``[start, end)``, widen it to whole words,
    and drop the clause punctuation it ends with ("Syria," becomes "Syria").

    Returns None when nothing visible was selected.
    """
    start, end = max(0, start), min(len(text), end)
    start, end = _floor(text, start), _ceil(text, end)
    start, end = _trim(text, start, end, (SPACE, INVISIBLE))
    if start >= end:
        return None
    first = next(clusters_after(text, start))
    if first[2] == WORD and _first_kind_before(text, start) == WORD:
        start = _word_run_start(text, start)
    last = next(clusters_before(text, end))
    if last[2] == WORD and _first_kind_after(text, end) == WORD:
        end = _word_run_end(text, end)
    return start, _without_clause_end(text, start, end)


def exact_selection(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Snapping off: keep the selection as dragged, only never cutting a character cluster.

    A selection of only whitespace (or invisibles) is still refused (None), as with snapping:
    it labels nothing a reader could see, and every export format would have to drop it.
    """
    start, end = max(0, start), min(len(text), end)
    start, end = _floor(text, start), _ceil(text, end)
    if start >= end or _trim(text, start, end, (SPACE, INVISIBLE))[0] >= end:
        return None
    return start, end


def step(text: str, pos: int, direction: int, *, by_word: bool) -> int:
    """The next edge position left (-1) or right (+1) of ``pos``.

    By word: right goes to the end of the next word, left to the start of the previous one,
    as Ctrl+arrow does in editors; with no word that way, the edge stays. By character: one
    visible cluster and the spaces and invisibles before it, so an edge never stops beside a
    space or an invisible character.
    """
    clusters = clusters_after(text, pos) if direction > 0 else clusters_before(text, pos)
    if by_word:
        for a, b, kind in clusters:
            if kind == WORD:
                return _word_run_end(text, a) if direction > 0 else _word_run_start(text, b)
        return pos
    for a, b, kind in clusters:
        if kind not in (SPACE, INVISIBLE):
            return b if direction > 0 else a
    return pos


def moved_edge(
    text: str, start: int, end: int, edge: str, direction: int, *, by_word: bool
) -> tuple[int, int] | None:
    """The span after moving its ``edge`` ("start" or "end") one step; None if it would vanish.

    Shrinking also drops the whitespace and invisibles it uncovers, so "the militants" shrinks
    at the start to "militants", not " militants".
    """
    drop = (SPACE, INVISIBLE, OTHER) if by_word else (SPACE, INVISIBLE)
    if edge == "start":
        start = step(text, start, direction, by_word=by_word)
        if direction > 0:
            start = _trim(text, start, end, drop)[0]
    else:
        end = step(text, end, direction, by_word=by_word)
        if direction < 0:
            # Only the end moves: trimming the start too could carry it past the whole span
            # (an emoji counts as punctuation here) and drag the end along with it.
            end = _trim_end(text, start, end, drop)
    return (start, end) if start < end else None
