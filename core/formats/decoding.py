"""Turning bytes from a file into text without changing a single character.

A UTF-8 BOM is the only thing dropped; line endings, NBSP, U+2028/2029 and combining marks are kept
as they are, because span offsets point into exactly this text.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from ..import_errors import Problem


class DecodeProblem(ValueError):
    pass


def decode(data: bytes, encoding: str, *, what: str = "file") -> str:
    nul = data.find(b"\x00")
    if nul >= 0 and not encoding.lower().replace("-", "").startswith(("utf16", "utf32")):
        raise DecodeProblem(f"looks like a binary {what} (it contains a NUL byte at byte {nul})")
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise DecodeProblem(
            f"not valid {exc.encoding.upper()} at byte {exc.start}"
            f" ({data[exc.start : exc.start + 4]!r}); if the {what} uses another encoding,"
            " pass it with --encoding (e.g. --encoding cp1252)"
        ) from None
    except LookupError:
        raise DecodeProblem(f"unknown encoding {encoding!r}") from None
    if text.startswith("\ufeff"):
        text = text[1:]
    return text


def check_encoding(encoding: str) -> None:
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise DecodeProblem(f"unknown encoding {encoding!r}") from None


def read_decoded(path: Path, encoding: str, problems: list[Problem]) -> str | None:
    """A whole file as text, or None with the reason added to ``problems``."""
    try:
        return decode(path.read_bytes(), encoding)
    except DecodeProblem as exc:
        problems.append(Problem(str(path), None, str(exc)))
    except OSError as exc:
        problems.append(Problem(str(path), None, f"cannot read: {exc.strerror or exc}"))
    return None
