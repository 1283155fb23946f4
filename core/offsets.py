"""Translate between stored code-point offsets and Qt text positions.

Spans are stored as Python code-point offsets into the text exactly as saved, because that
is what survives a round trip through SQLite and what `text[start:end]` understands. The
editor shows the same text via `QPlainTextEdit.setPlainText`, but Qt positions disagree:

* Qt counts UTF-16 code units, so every astral character (>= U+10000: emoji, parts of ZWJ
  sequences, rare CJK) is two positions;
* QTextDocument folds "\\r\\n" into one paragraph break, while a lone "\\r", "\\n", U+2028,
  U+2029 (and U+FDD0/U+FDD1) each stay one position, so only the pair shifts anything;
* PySide strips one U+FEFF at the very start of any string it hands to Qt, so a leading
  BOM never reaches the document.

Everything else (combining marks, NBSP, RTL text, controls) is one position per code
point. Real articles contain few of these special characters, so instead of a table per
character we keep only the sparse points where the shift changes and bisect them. The
mapping assumes the whole stored text was given to `setPlainText` in one call.

Finding those points means a regex pass over the text, about 15 ms for a 2,000,000-character
article, while opening it needs only the first screenful. So the map scans the text a chunk
at a time, as far as the positions asked for so far reach.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from itertools import accumulate
from typing import Literal

__all__ = ["OffsetMap"]

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
_CRLF = re.compile("\r\n")
_BOM = "\ufeff"


class OffsetMap:
    """Bidirectional code-point <-> Qt position map for one immutable text.

    Each shift point is the code-point offset just *after* a character whose width in Qt
    differs from one: +1 after an astral character, -1 after the "\\n" of a CRLF and after
    a leading BOM (the "dropped" characters). Between points the shift is constant.

    Points are found lazily: ``_scanned`` code points from the start have been looked at,
    and every point up to that offset is known.
    """

    __slots__ = (
        "_chunk",
        "_cp_points",
        "_deltas",
        "_has_astral",
        "_qt_points",
        "_scanned",
        "_steps",
        "_text",
        "_text_length",
    )

    def __init__(self, text: str, *, chunk: int = 1 << 16) -> None:
        self._text = text
        self._text_length = len(text)
        self._chunk = max(1, chunk)
        self._has_astral = not text.isascii()  # O(1); without it no regex pass is needed
        self._cp_points: list[int] = []
        self._steps: list[int] = []
        self._deltas: list[int] = []
        self._qt_points: list[int] = []
        self._scanned = 0

    def _scan_next(self) -> None:
        """Find the shift points of the next chunk; a CRLF is never cut in two."""
        text = self._text
        start = self._scanned
        end = min(start + self._chunk, self._text_length)
        if end < self._text_length and text[end - 1] == "\r" and text[end] == "\n":
            end += 1
        # Two sorted lists of points, merged below: they never share an offset (a CRLF's end
        # follows "\n", an astral character's end follows that character, the BOM's is 1).
        drops = [m.end() for m in _CRLF.finditer(text, start, end)]
        if start == 0 and text.startswith(_BOM):
            drops.insert(0, 1)
        grows = [m.end() for m in _ASTRAL.finditer(text, start, end)] if self._has_astral else []
        if not grows:
            points, steps = drops, [-1] * len(drops)
        elif not drops:
            points, steps = grows, [1] * len(grows)
        else:
            # Sort both at once as ints, the low bit telling a drop (0) from a growth (1).
            keys = sorted([cp << 1 for cp in drops] + [(cp << 1) | 1 for cp in grows])
            points = [key >> 1 for key in keys]
            steps = [(key & 1) * 2 - 1 for key in keys]
        deltas = list(accumulate(steps, initial=self._delta_at_scan_end()))[1:]
        self._cp_points += points
        self._steps += steps
        self._deltas += deltas
        # Strictly increasing: two shift points are always at least one Qt position apart.
        self._qt_points += [cp + delta for cp, delta in zip(points, deltas, strict=True)]
        self._scanned = end

    def _delta_at_scan_end(self) -> int:
        return self._deltas[-1] if self._deltas else 0

    def _scan_to_cp(self, cp: int) -> None:
        while self._scanned < cp:
            self._scan_next()

    def _scan_to_qt(self, pos: int) -> None:
        """Scan until every point at Qt position ``pos + 1`` or before is known.

        A point beyond the scan lies at least one Qt position after the scan's end (the end of
        a character past it; a dropped "\\n" needs its "\\r" past it too), so scanning until that
        end reaches ``pos + 1`` is enough.
        """
        while self._scanned < self._text_length and (
            self._scanned + self._delta_at_scan_end() < pos + 1
        ):
            self._scan_next()

    @property
    def qt_length(self) -> int:
        """What `document().characterCount() - 1` reports (Qt's trailing block end excluded).

        Scans the whole text the first time."""
        return self.to_qt(self._text_length)

    def has_qt(self, pos: int) -> bool:
        """Whether ``pos`` is a Qt position in this text, scanning only as far as it."""
        if pos < 0:
            return False
        self._scan_to_qt(pos)
        return self._scanned < self._text_length or pos <= self.to_qt(self._text_length)

    def to_qt(self, cp: int) -> int:
        """An offset just before a dropped character lands where that character would sit.

        For the "\\n" of a CRLF that is after the paragraph break, so a span ending between
        "\\r" and "\\n" still includes the break; for a leading BOM it is position 0.
        """
        if not 0 <= cp <= self._text_length:
            raise ValueError(f"code-point offset {cp} outside 0..{self._text_length}")
        self._scan_to_cp(cp)
        k = bisect_right(self._cp_points, cp)
        return cp + self._deltas[k - 1] if k else cp

    def from_qt(self, pos: int, *, round: Literal["down", "up"] = "down") -> int:
        """Never returns an offset just before a dropped character (mid-CRLF, before the BOM).

        Qt lets a cursor sit between the halves of a surrogate pair; `round` decides whether
        such a position snaps to the start ("down") or the end ("up") of that character, so
        a selection can be widened or narrowed to whole code points. Elsewhere it is ignored.
        """
        if round not in ("down", "up"):
            raise ValueError(f"round must be 'down' or 'up', not {round!r}")
        if not self.has_qt(pos):
            raise ValueError(f"Qt position {pos} outside 0..{self.qt_length}")
        k = bisect_right(self._qt_points, pos)
        if k < len(self._qt_points) and self._steps[k] == 1 and self._qt_points[k] == pos + 1:
            return self._cp_points[k] - (round == "down")
        return pos - self._deltas[k - 1] if k else pos
