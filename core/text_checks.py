"""Checks on text that came from outside: what SQLite, Qt and every export format can hold.

Lone surrogates (legal in JSON escapes, illegal in UTF-8) would be dropped by Qt and rejected by
SQLite's UTF-8 storage, and NUL cuts strings short in C code downstream; both are refused at the
door rather than stored and discovered later.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any


def string_problem(value: str) -> str | None:
    """Why ``value`` cannot be stored, or None."""
    nul = value.find("\x00")
    if nul >= 0:
        return f"contains a NUL character at position {nul}"
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        return (
            f"contains a lone surrogate {value[exc.start]!r} at position {exc.start}"
            " (a broken \\uXXXX escape?)"
        )
    return None


def strings_in(value: Any, where: str = "") -> Iterator[tuple[str, str]]:
    """Every string (keys included) inside a JSON value, with a path like ``meta.tags[2]``."""
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield f"{where}.{key}" if where else key, key
            yield from strings_in(item, f"{where}.{key}" if where else key)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from strings_in(item, f"{where}[{index}]")


def title_from_text(text: str, fallback: str) -> str:
    """The first non-blank line, shortened: a news article's first line is its headline."""
    for line in text.splitlines():
        line = " ".join(line.split())
        if line:
            return line if len(line) <= 200 else line[:199] + "…"
    return fallback
