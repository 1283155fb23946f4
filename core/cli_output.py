"""What the command line prints: control characters in data never reach the terminal raw.

Document ids, titles, label names, notes and file names come from files anyone can write. Printed
raw, an escape sequence recolours or clears the terminal and a newline starts a line that looks
like claimmark's own (a forged ``audit log`` entry). ``echo`` escapes control characters, line
and paragraph separators, bidi overrides and lone surrogates as ``\\xNN``/``\\uNNNN``; ordinary
visible text (emoji, Arabic, Hebrew) is printed as it is.
"""

from __future__ import annotations

import unicodedata

import click

_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _escaped(ch: str) -> str:
    if ch in _BIDI_CONTROLS or unicodedata.category(ch) in ("Cc", "Zl", "Zp", "Cs"):
        code = ord(ch)
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
    return ch


def terminal_safe(text: str, *, keep_newlines: bool = False) -> str:
    """``text`` with every line-forging character escaped (``keep_newlines``: all but ``\\n``,
    for output that is several lines by design, such as a table)."""
    if text.isprintable():  # the usual case costs one C call
        return text
    if keep_newlines:
        return "\n".join(terminal_safe(line) for line in text.split("\n"))
    return "".join(map(_escaped, text))


def echo(message: str = "", *, err: bool = False, keep_newlines: bool = False) -> None:
    click.echo(terminal_safe(message, keep_newlines=keep_newlines), err=err)
