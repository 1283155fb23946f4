"""Shared material for the import tests: hostile texts with overlapping spans, and a comparison.

Every reader is fed the same documents (emoji with ZWJ and skin tones, flags, CRLF line ends,
Arabic and Hebrew), written by the tests in each tool's documented layout.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest

from claimmark.core.project import Project


@dataclass(frozen=True)
class Doc:
    name: str
    text: str
    spans: tuple[tuple[int, int, str], ...]


def _at(text: str, piece: str, label: str, nth: int = 0) -> tuple[int, int, str]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(piece, start + 1)
    return start, start + len(piece), label


EMOJI = "Firefighters 👨🏻‍🚒 said 3 died 😢.\r\nThe ministry denied it 🇺🇦 later."
RTL = "قال المتحدث إن 12 شخصاً قتلوا.\r\nהמשרד הכחיש את הדיווח."
PLAIN = "Rebels claimed the bridge.\nOfficials denied that claim."

CORPUS = (
    Doc(
        "emoji",
        EMOJI,
        (
            _at(EMOJI, "Firefighters 👨🏻‍🚒", "attribution"),
            _at(EMOJI, "said 3 died", "claim"),
            _at(EMOJI, "3 died", "casualty_report"),  # inside the claim
            _at(EMOJI, "denied it 🇺🇦", "denial"),
        ),
    ),
    Doc(
        "rtl",
        RTL,
        (
            _at(RTL, "قال المتحدث", "attribution"),
            _at(RTL, "المتحدث إن 12", "claim"),  # overlaps the attribution
            _at(RTL, "12 شخصاً قتلوا", "casualty_report"),
            _at(RTL, "הכחיש", "denial"),
        ),
    ),
    Doc(
        "plain",
        PLAIN,
        (_at(PLAIN, "claimed the bridge", "claim"), _at(PLAIN, "denied", "denial")),
    ),
)


@pytest.fixture
def corpus() -> tuple[Doc, ...]:
    return CORPUS


@pytest.fixture
def stored() -> Callable[[Project, str], list[tuple]]:
    """A document's spans as (start, end, label, text), sorted: what a round trip must keep."""

    def spans(project: Project, document_id: str) -> list[tuple]:
        return sorted((s.start, s.end, s.label, s.text) for s in project.spans(document_id))

    return spans


@pytest.fixture
def expected() -> Callable[[Doc], list[tuple]]:
    def spans(doc: Doc) -> list[tuple]:
        return sorted((s, e, label, doc.text[s:e]) for s, e, label in doc.spans)

    return spans
