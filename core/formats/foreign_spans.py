"""Checking span offsets that another tool wrote, and saying why they are wrong when they are.

claimmark stores Python code-point offsets into the text exactly as read. Other tools count
differently: JavaScript front ends (older Label Studio, doccano) count UTF-16 units, so every emoji
shifts later offsets by one; tools that read text with universal newlines count CRLF as one
character; a few count UTF-8 bytes. A span read with the wrong counting lands a little off its
words, which nobody notices until the statistics are wrong, so a mismatch is always an error, never
a silent shift; when another counting explains the offsets exactly, the message says so.
"""

from __future__ import annotations

import bisect
import unicodedata
from collections.abc import Callable, Iterable

from ..project import NewSpan

_ZWJ = "\u200d"
_VARIATION_SELECTORS = {"\ufe0e", "\ufe0f"}


#: The name of the UTF-16 reading, for callers that have applied it already.
UTF16_READING = "UTF-16 units"


def span_offset_problem(
    text: str, start: object, end: object, expected: str | None, skip: tuple[str, ...] = ()
) -> str | None:
    """Why (start, end) cannot be a code-point span of ``text`` whose text is ``expected``.

    With ``expected`` (brat, Label Studio) the span text must match exactly. Without it (doccano)
    offsets are accepted when they are in range, unless they cut a CRLF or a character cluster
    (or a word) where another counting gives clean boundaries: that is far likelier to be a
    counting mistake than an annotation. ``skip`` names readings not to suggest.
    """
    for name, value in (("start", start), ("end", end)):
        if not isinstance(value, int) or isinstance(value, bool):
            return f"{name} offset must be an integer, got {value!r}"
    assert isinstance(start, int) and isinstance(end, int)
    if start >= end:
        return f"start {start} must be less than end {end}"
    in_range = start >= 0 and end <= len(text)
    if expected is not None:
        if in_range and text[start:end] == expected:
            return None
        found = f" ({text[start:end]!r})" if in_range else f" (text length {len(text)})"
        message = (
            f"text {expected!r} does not match the document at {start}-{end}{found}; "
            "offsets must be code points into the text"
        )
        hint = _explanation(text, start, end, lambda s, e: text[s:e] == expected, skip)
        return f"{message}; {hint}" if hint else message
    if not in_range:
        message = f"offsets {start}-{end} are outside the text (length {len(text)})"
        hint = _explanation(text, start, end, lambda s, e: _tidy(text, s, e), skip)
        return f"{message}; {hint}" if hint else message
    if _clean(text, start, end):
        return None
    hint = _explanation(text, start, end, lambda s, e: _tidy(text, s, e), skip)
    if hint:
        return (
            f"offsets {start}-{end} cut into a word, a character cluster or a CRLF"
            f" ({text[start:end]!r}); {hint}"
        )
    if _inside_crlf(text, start) or _inside_crlf(text, end):
        return f"offsets {start}-{end} put a span boundary between CR and LF"
    return None


def offset_hint(text: str, start: int, end: int, expected: str) -> str | None:
    """A counting mistake that would explain a span whose ``expected`` text is elsewhere."""
    return _explanation(text, start, end, lambda s, e: text[s:e] == expected)


def _explanation(
    text: str, start: int, end: int, fits: Callable[[int, int], bool], skip: tuple[str, ...] = ()
) -> str | None:
    """Every other counting under which the offsets fit, or None."""
    found = []
    for describe, convert in _READINGS:
        if describe in skip:
            continue
        converted = convert(text, start, end)
        if converted is None:
            continue
        s, e = converted
        if 0 <= s < e <= len(text) and fits(s, e):
            found.append(f"{describe} (read that way they give {s}-{e}, {text[s:e]!r})")
    if not found:
        return None
    return (
        f"offsets look like {' or like '.join(found)}; convert them to code points before importing"
    )


def _utf16(text: str, start: int, end: int) -> tuple[int, int] | None:
    if text.isascii() or all(ord(c) < 0x10000 for c in text):
        return None
    units = [0]
    for char in text:
        units.append(units[-1] + (2 if ord(char) >= 0x10000 else 1))
    return _index_of(units, start), _index_of(units, end)


def _crlf_as_one(text: str, start: int, end: int) -> tuple[int, int] | None:
    if "\r\n" not in text:
        return None
    # position in the LF-normalised text -> position in the raw text
    folded = [0]
    for i, char in enumerate(text):
        if char == "\n" and i and text[i - 1] == "\r":
            folded[-1] = i + 1  # the CR and LF together are one step
            continue
        folded.append(i + 1)
    if start >= len(folded) or end >= len(folded):
        return None
    return folded[start], folded[end]


def _utf8(text: str, start: int, end: int) -> tuple[int, int] | None:
    if text.isascii():
        return None
    units = [0]
    for char in text:
        units.append(units[-1] + len(char.encode("utf-8", "surrogatepass")))
    return _index_of(units, start), _index_of(units, end)


def _index_of(units: list[int], offset: int) -> int:
    """The code point at which ``offset`` units have passed; -1 if it falls inside a character."""
    i = bisect.bisect_left(units, offset)
    return i if i < len(units) and units[i] == offset else -1


_READINGS: tuple[tuple[str, Callable[[str, int, int], tuple[int, int] | None]], ...] = (
    (UTF16_READING, _utf16),
    ("they count CRLF as one character", _crlf_as_one),
    ("UTF-8 bytes", _utf8),
)


def clean_boundaries(text: str, start: int, end: int) -> bool:
    """Neither edge cuts a word, a character cluster or a CRLF."""
    return _clean(text, start, end)


def _clean(text: str, start: int, end: int) -> bool:
    return all(_clean_boundary(text, b) for b in (start, end))


def _tidy(text: str, start: int, end: int) -> bool:
    """Clean, and not starting or ending with whitespace: what another reading must be to count.

    The code-point reading is only required to be clean: annotators do select trailing spaces.
    """
    return _clean(text, start, end) and not (text[start].isspace() or text[end - 1].isspace())


def _clean_boundary(text: str, b: int) -> bool:
    if b <= 0 or b >= len(text):
        return True
    before, after = text[b - 1], text[b]
    if _inside_crlf(text, b) or before == _ZWJ or after == _ZWJ:
        return False
    if after in _VARIATION_SELECTORS or 0x1F3FB <= ord(after) <= 0x1F3FF:
        return False
    if unicodedata.category(after).startswith("M"):
        return False
    return not (before.isalnum() and after.isalnum())


def _inside_crlf(text: str, b: int) -> bool:
    return 0 < b < len(text) and text[b - 1] == "\r" and text[b] == "\n"


def dedupe_spans(spans: Iterable[NewSpan]) -> tuple[list[NewSpan], int]:
    """Spans with the same offsets, label and annotator merged into one (notes joined).

    The project stores such a span once; another tool may list it twice (spaCy's ``doc.ents``
    and ``doc.spans``, brat's duplicate T lines). Returns the spans and how many were merged.
    """
    kept: dict[tuple, NewSpan] = {}
    merged = 0
    for span in spans:
        key = (span.start, span.end, span.label, span.annotator)
        first = kept.get(key)
        if first is None:
            kept[key] = span
            continue
        merged += 1
        if span.note and span.note != first.note:
            note = f"{first.note}; {span.note}" if first.note else span.note
            kept[key] = first._replace(note=note)
    return list(kept.values()), merged
