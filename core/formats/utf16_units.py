"""Code points <-> UTF-16 units, for tools whose front end indexes JavaScript strings.

doccano's web interface counts UTF-16 units (doccano issue #2290): every character above U+FFFF
(most emoji, some CJK) is two units there and one code point in claimmark. Only those characters
shift anything, so the map keeps just their positions and bisects them.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

UTF16 = "utf16"
CODE_POINTS = "codepoints"
#: How a tool's offsets count: the choices of ``--doccano-offsets``.
OFFSET_UNITS = (UTF16, CODE_POINTS)
UNIT_NAMES = {UTF16: "UTF-16 units", CODE_POINTS: "code points"}

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


class Utf16Map:
    """Offsets of one text in code points and in UTF-16 units."""

    __slots__ = ("_astral", "_astral_units", "length", "units_length")

    def __init__(self, text: str):
        #: Code-point index of each astral character, and the unit index where it starts.
        self._astral = [m.start() for m in _ASTRAL.finditer(text)]
        self._astral_units = [cp + i for i, cp in enumerate(self._astral)]
        self.length = len(text)
        self.units_length = len(text) + len(self._astral)

    @property
    def shifts(self) -> bool:
        """Whether any offset differs between the two countings."""
        return bool(self._astral)

    def to_units(self, code_point: int) -> int:
        return code_point + bisect_left(self._astral, code_point)

    def to_code_point(self, unit: int) -> int | None:
        """The code point ``unit`` UTF-16 units in; None inside a surrogate pair or outside."""
        if not 0 <= unit <= self.units_length:
            return None
        before = bisect_right(self._astral_units, unit - 2)  # astral characters wholly before
        if before < len(self._astral_units) and self._astral_units[before] == unit - 1:
            return None  # between the two halves of a pair
        return unit - before


def code_point_offsets(
    mapping: Utf16Map, start: int, end: int, unit: str
) -> tuple[int, int] | None:
    """(start, end) counted in ``unit`` as code points; None when they fall outside or inside."""
    if unit == CODE_POINTS:
        return (start, end) if 0 <= start < end <= mapping.length else None
    s, e = mapping.to_code_point(start), mapping.to_code_point(end)
    if s is None or e is None or s >= e:
        return None
    return s, e


def other_unit(unit: str) -> str:
    return CODE_POINTS if unit == UTF16 else UTF16
