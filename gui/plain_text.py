"""Text from articles, titles and label guidelines shown exactly as written, never as HTML.

Qt tooltips guess rich text: a title holding ``<img src="/some/path">`` would make Qt read a
local file. Escaping and wrapping in ``<qt>`` forces the rich-text path on purpose, with
nothing left in it for Qt to interpret.
"""

from __future__ import annotations

import html


def plain_tooltip(text: str) -> str:
    if not text:
        return ""
    escaped = html.escape(text, quote=False).replace("\n", "<br>")
    return f"<qt>{escaped}</qt>"


def one_line(text: str, limit: int = 200) -> str:
    """A span's text for a table cell: breaks shown as ⏎ so rows keep one line."""
    flat = (
        text.replace("\r\n", "⏎")
        .replace("\n", "⏎")
        .replace("\r", "⏎")
        .replace("\u2028", "⏎")
        .replace("\u2029", "⏎")
    )
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
