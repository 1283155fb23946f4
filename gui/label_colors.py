"""Colours for span highlights, derived from the schema's label colours.

Label colours are saturated (Okabe-Ito); text on them would be hard to read, so backgrounds are
the colour mixed into white, and overlaps mix every label present so a nested span reads as a
different tint from either parent.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtGui import QColor

BACKGROUND_STRENGTH = 0.28
OVERLAP_STRENGTH = 0.40


def mix(colors: Sequence[QColor], strength: float) -> QColor:
    r = sum(c.redF() for c in colors) / len(colors)
    g = sum(c.greenF() for c in colors) / len(colors)
    b = sum(c.blueF() for c in colors) / len(colors)
    return QColor.fromRgbF(1 - strength * (1 - r), 1 - strength * (1 - g), 1 - strength * (1 - b))


def background_for(colors: Sequence[QColor]) -> QColor:
    return mix(colors, BACKGROUND_STRENGTH if len(colors) == 1 else OVERLAP_STRENGTH)


def readable_text_on(color: QColor) -> QColor:
    luminance = 0.2126 * color.redF() + 0.7152 * color.greenF() + 0.0722 * color.blueF()
    return QColor("black") if luminance > 0.5 else QColor("white")
