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
"""

from __future__ import annotations

import re
from bisect import bisect_right
from itertools import accumulate
from operator import add
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
    """

    __slots__ = ("_cp_points", "_deltas", "_qt_length", "_qt_points", "_steps", "_text_length")

    def __init__(self, text: str) -> None:
        # Two sorted lists of shift points, merged below: they never share an offset (a CRLF's
        # end follows "\n", an astral character's end follows that character, the BOM's is 1).
        drops = [m.end() for m in _CRLF.finditer(text)] if "\r\n" in text else []
        if text.startswith(_BOM):
            drops.insert(0, 1)
        # isascii is O(1); the regex scan is the only costly pass over non-ASCII text.
        grows = [] if text.isascii() else [m.end() for m in _ASTRAL.finditer(text)]
        if not grows:
            self._cp_points = drops
            self._steps = [-1] * len(drops)
        elif not drops:
            self._cp_points = grows
            self._steps = [1] * len(grows)
        else:
            # Sort both at once as ints, the low bit telling a drop (0) from a growth (1).
            keys = sorted([cp << 1 for cp in drops] + [(cp << 1) | 1 for cp in grows])
            self._cp_points = [key >> 1 for key in keys]
            self._steps = [(key & 1) * 2 - 1 for key in keys]
        self._deltas = list(accumulate(self._steps))
        # Strictly increasing: two shift points are always at least one Qt position apart.
        self._qt_points = list(map(add, self._cp_points, self._deltas))
        self._text_length = len(text)
        self._qt_length = self.to_qt(len(text))

    @property
    def qt_length(self) -> int:
        """What `document().characterCount() - 1` reports (Qt's trailing block end excluded)."""
        return self._qt_length

    def to_qt(self, cp: int) -> int:
        """An offset just before a dropped character lands where that character would sit.

        For the "\\n" of a CRLF that is after the paragraph break, so a span ending between
        "\\r" and "\\n" still includes the break; for a leading BOM it is position 0.
        """
        if not 0 <= cp <= self._text_length:
            raise ValueError(f"code-point offset {cp} outside 0..{self._text_length}")
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
        if not 0 <= pos <= self._qt_length:
            raise ValueError(f"Qt position {pos} outside 0..{self._qt_length}")
        k = bisect_right(self._qt_points, pos)
        if k < len(self._qt_points) and self._steps[k] == 1 and self._qt_points[k] == pos + 1:
            return self._cp_points[k] - (round == "down")
        return pos - self._deltas[k - 1] if k else pos
