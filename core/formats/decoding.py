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
        wide = wide_encoding(data)
        if wide is not None:
            raise DecodeProblem(
                f"looks like {wide.upper()} text, not {encoding}; import it with --encoding {wide}"
            )
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


def wide_encoding(data: bytes) -> str | None:
    """``utf-16``/``utf-32`` (or a byte order without a BOM) when ``data`` looks like text in one
    of them: Windows tools (PowerShell, Notepad's "Unicode") write UTF-16, whose NUL bytes would
    otherwise make the file look binary."""
    for bom, name in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            return name
    head = data[:2000]
    if len(head) < 4:
        return None
    # Mostly-ASCII UTF-16 without a BOM: every other byte is NUL, the rest are not.
    evens, odds = head[0::2], head[1::2]
    for zeros, others, name in ((odds, evens, "utf-16-le"), (evens, odds, "utf-16-be")):
        if zeros.count(0) >= 0.9 * len(zeros) and others.count(0) <= 0.1 * len(others):
            return name
    return None


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
