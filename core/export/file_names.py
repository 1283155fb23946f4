"""File names made from document ids: portable, unique, stable for the same export."""

from __future__ import annotations

import hashlib
import re

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_WINDOWS_RESERVED = {
    "CON", "PRN", "AUX", "NUL",
    *(f"COM{i}" for i in range(1, 10)),
    *(f"LPT{i}" for i in range(1, 10)),
}  # fmt: skip
MAX_STEM = 80


class StemAllocator:
    """Turns document ids into file stems that are safe on Windows, macOS and Linux.

    Characters other than ASCII letters, digits, '.', '_' and '-' become '_'; leading dots are
    removed (no hidden files); device names get a prefix; the stem is cut to 80 characters. When
    the result was changed or collides (case-insensitively) with an earlier stem, a short hash of
    the original id is appended, so distinct ids never share a file.
    """

    def __init__(self) -> None:
        self._taken: set[str] = set()

    def stem(self, document_id: str) -> str:
        base = _UNSAFE.sub("_", document_id).lstrip(".")[:MAX_STEM].rstrip(". ") or "document"
        if base.split(".")[0].upper() in _WINDOWS_RESERVED:
            base = f"doc_{base}"
        candidate = base
        if candidate != document_id or candidate.casefold() in self._taken:
            digest = hashlib.sha256(document_id.encode("utf-8", "surrogatepass")).hexdigest()
            candidate = f"{base}-{digest[:8]}"
            n = 2
            while candidate.casefold() in self._taken:
                candidate = f"{base}-{digest[:8]}-{n}"
                n += 1
        self._taken.add(candidate.casefold())
        return candidate
