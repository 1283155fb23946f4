"""Discontinuous spans: the rules their pieces keep, and how extending, removing and resizing
change them.

A span's ``start``/``end`` are the envelope of its pieces; ``fragments`` lists the pieces only when
there are two or more (None otherwise), so one representation exists for each span and a span
that is extended until its pieces touch becomes a plain span again.
"""

from __future__ import annotations

from collections.abc import Iterable

from .model import Fragments, InvariantError


def fragments_problem(fragments: object, start: int, end: int) -> str | None:
    """Why ``fragments`` cannot be the pieces of a span from ``start`` to ``end``, or None."""
    if not isinstance(fragments, list | tuple) or len(fragments) < 2:
        return "fragments must be a list of at least two [start, end] pairs"
    previous_end = None
    for piece in fragments:
        if (
            not isinstance(piece, list | tuple)
            or len(piece) != 2
            or not all(type(v) is int for v in piece)
        ):
            return f"fragment {piece!r} is not a [start, end] pair of integers"
        fs, fe = piece
        if fs >= fe:
            return f"fragment {fs}-{fe}: start must be before end"
        if previous_end is not None and fs <= previous_end:
            return (
                f"fragment {fs}-{fe} overlaps, touches or comes before the previous one"
                " (fragments must be in text order, apart from each other)"
            )
        previous_end = fe
    if fragments[0][0] != start or fragments[-1][1] != end:
        return (
            f"fragments must run from the span's start {start} to its end {end}"
            f" (they run from {fragments[0][0]} to {fragments[-1][1]})"
        )
    return None


def check_fragments(fragments: Fragments | None, start: int, end: int) -> None:
    if fragments is not None:
        problem = fragments_problem(fragments, start, end)
        if problem:
            raise InvariantError(problem)


def normalised(pieces: Iterable[tuple[int, int]]) -> tuple[int, int, Fragments | None]:
    """Pieces merged where they overlap or touch: (start, end, fragments or None)."""
    merged: list[list[int]] = []
    for fs, fe in sorted(pieces):
        if merged and fs <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], fe)
        else:
            merged.append([fs, fe])
    if not merged:
        raise InvariantError("a span needs at least one stretch of text")
    fragments = tuple((s, e) for s, e in merged) if len(merged) > 1 else None
    return merged[0][0], merged[-1][1], fragments


def extended(pieces: Fragments, start: int, end: int) -> tuple[int, int, Fragments | None]:
    """The pieces with ``start``-``end`` added."""
    return normalised((*pieces, (start, end)))


def without_piece(pieces: Fragments, index: int) -> tuple[int, int, Fragments | None]:
    """The pieces without the one at ``index``; the last piece cannot be removed."""
    if len(pieces) < 2:
        raise InvariantError("the span has only one fragment; delete the span instead")
    if not 0 <= index < len(pieces):
        raise InvariantError(f"the span has no fragment {index + 1}")
    return normalised(p for i, p in enumerate(pieces) if i != index)


def resized(pieces: Fragments, start: int, end: int) -> Fragments | None:
    """The pieces of a span whose envelope becomes ``start``-``end``: pieces outside it are
    dropped, those it cuts are cut, and the outer ones stretch to reach it."""
    kept = [(max(s, start), min(e, end)) for s, e in pieces if s < end and e > start]
    if not kept:
        return None
    kept[0] = (start, kept[0][1])
    kept[-1] = (kept[-1][0], end)
    return normalised(kept)[2]
