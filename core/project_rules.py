"""What a label, a span offset, a note or an annotator name must be before it is stored.

Kept apart from the storage code so the GUI can ask the same questions before it writes.
"""

from __future__ import annotations

from .model import COLOR_RE, LABEL_KEY_RE, InvariantError, Label
from .text_checks import string_problem


def annotator_name_problem(name: str) -> str | None:
    """Why ``name`` cannot be an annotator's name (it is shown everywhere and exported), or None."""
    if not name or not name.strip():
        return "it is empty"
    if any(c < " " or c == "\x7f" for c in name) or string_problem(name):
        return "it holds control characters such as a line break"
    return None


def check_note(note: str | None) -> None:
    if note is not None:
        problem = string_problem(note)
        if problem:
            raise InvariantError(f"note not saved: it {problem}")


def validate_label(label: Label) -> None:
    for field_name in ("name", "description"):
        problem = string_problem(getattr(label, field_name))
        if problem:
            raise InvariantError(f"label {field_name} {problem}")
    if label.source_name is not None:
        problem = string_problem(label.source_name) or (
            "is empty" if not label.source_name.strip() else None
        )
        if problem:
            raise InvariantError(f"label source name {problem}")
    if not LABEL_KEY_RE.match(label.key):
        raise InvariantError(
            f"label key {label.key!r} is not allowed: use lower-case letters, digits and _,"
            " starting with a letter (e.g. casualty_report)"
        )
    if not COLOR_RE.match(label.color):
        raise InvariantError(f"label colour {label.color!r} is not a #rrggbb colour")
    if not label.name.strip():
        raise InvariantError(f"label {label.key!r} needs a display name")
    if label.hotkey is not None and (len(label.hotkey) != 1 or not label.hotkey.isprintable()):
        raise InvariantError(f"hotkey {label.hotkey!r} must be a single printable character")


#: Plain keys the annotation window keeps for itself: a label hotkey on one of them would shadow
#: it (label hotkeys are read first in the article). Letters, compared without case.
WINDOW_KEYS = {
    "e": "E extends the current span with the selection (Shift+E removes a piece)",
    "r": "R starts a link from the current span",
}


def check_hotkey_not_the_windows(hotkey: str | None) -> None:
    """Refuse a label hotkey the window uses for something else (imports keep theirs)."""
    taken = WINDOW_KEYS.get((hotkey or "").casefold())
    if taken:
        raise InvariantError(f"hotkey {hotkey!r} is taken by the window: {taken}")


def check_offsets(start: int, end: int, length: int) -> None:
    if not (0 <= start < end <= length):
        if start >= end:
            raise InvariantError(f"span start {start} must be before its end {end}")
        raise InvariantError(f"span {start}-{end} is outside the document (length {length})")
