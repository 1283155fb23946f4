"""Deterministic news-like text, with the characters that make offsets hard mixed in.

Every article uses CRLF line endings and carries, here and there, emoji (skin tones, ZWJ
families, flags), Arabic and Hebrew sentences, an NBSP and a combining accent: the cases where
Qt positions and stored code points disagree, so the benchmarks pay for the offset mapping the
way real articles make the app pay for it.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence

SOURCES = (
    "the defence ministry",
    "a military source",
    "the interior ministry",
    "local officials",
    "the monitoring group",
    "a spokesman for the rebels",
    "state television",
    "the news agency",
    "witnesses",
    "the regional governor",
    "a senior diplomat",
    "the UN mission",
)
ACTORS = (
    "government forces",
    "the militants",
    "rebel fighters",
    "the air force",
    "police units",
    "an armed group",
    "coalition aircraft",
    "border guards",
    "the navy",
    "separatist units",
)
VERBS = (
    "shot down",
    "destroyed",
    "captured",
    "shelled",
    "surrounded",
    "attacked",
    "seized",
    "struck",
    "abandoned",
    "reinforced",
)
OBJECTS = (
    "a helicopter",
    "two armoured vehicles",
    "the airport",
    "a supply convoy",
    "the bridge",
    "a command post",
    "the main road",
    "an ammunition depot",
    "the power station",
    "a drone",
)
PLACES = (
    "Aleppo",
    "Kharkiv",
    "Mosul",
    "Donetsk",
    "Idlib",
    "Gaza",
    "Khartoum",
    "Tripoli",
    "Sanaa",
    "Mariupol",
    "Raqqa",
    "Benghazi",
    "Kherson",
    "Homs",
)
PEOPLE = ("civilians", "soldiers", "fighters", "police officers", "aid workers", "children")
CASUALTY = ("killed", "wounded", "injured", "missing", "captured", "evacuated")
DAYS = ("on Monday", "on Tuesday", "overnight", "early on Friday", "late on Sunday", "last week")
OUTLETS = ("Reuters", "TASS", "Al Jazeera", "the BBC", "AFP", "Interfax", "Anadolu")

ARABIC = (
    "قال المتحدث إن الهجوم فشل.",
    "وأكدت وزارة الدفاع مقتل جنديين في الهجوم.",
    "ونفى المسؤولون هذه الأنباء بشكل قاطع.",
    "وذكرت وكالة الأنباء أن الطائرة سقطت قرب المدينة.",
)
HEBREW = (
    "אמר הדובר שהמסוק הופל.",
    "משרד הביטחון הכחיש את הדיווחים.",
    "לדברי עדי ראייה, שני חיילים נפצעו.",
)
EMOJI = (
    "\U0001f468\U0001f3fb\u200d\U0001f692",  # firefighter, light skin tone (ZWJ)
    "\U0001f469\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466",  # family (ZWJ)
    "\U0001f3f3\ufe0f\u200d\U0001f308",  # rainbow flag (ZWJ + VS16)
    "\U0001f1fa\U0001f1e6",  # flag: Ukraine (regional indicators)
    "\U0001f525",
    "\U0001f4f0",
    "\U0001f680",
    "\u26a0\ufe0f",
)


def _sentence(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.30:
        s = (
            f"{rng.choice(SOURCES).capitalize()} said {rng.choice(ACTORS)} had"
            f" {rng.choice(VERBS)} {rng.choice(OBJECTS)} near {rng.choice(PLACES)}"
            f" {rng.choice(DAYS)}."
        )
    elif kind < 0.50:
        n = rng.choice(("two", "three", "at least 12", "dozens of", "more than 40", "seven"))
        s = (
            f"According to {rng.choice(SOURCES)}, {n} {rng.choice(PEOPLE)} were"
            f" {rng.choice(CASUALTY)} in {rng.choice(PLACES)}."
        )
    elif kind < 0.65:
        s = (
            f"{rng.choice(SOURCES).capitalize()} denied reports that {rng.choice(ACTORS)} had"
            f" {rng.choice(VERBS)} {rng.choice(OBJECTS)}, {rng.choice(OUTLETS)} reported."
        )
    elif kind < 0.80:
        s = (
            f"\u201c{rng.choice(ACTORS).capitalize()} {rng.choice(VERBS)} {rng.choice(OBJECTS)}"
            f" and we will respond,\u201d {rng.choice(SOURCES)} told {rng.choice(OUTLETS)}."
        )
    elif kind < 0.88:
        s = (
            f"The cafe\u0301 on the main square in {rng.choice(PLACES)} reopened"
            f"\u00a0{rng.choice(DAYS)}, residents said."
        )
    elif kind < 0.94:
        s = rng.choice(ARABIC)
    else:
        s = rng.choice(HEBREW)
    if rng.random() < 0.06:
        s += " " + rng.choice(EMOJI)
    return s


def article_text(rng: random.Random, chars: int) -> str:
    """An article of about ``chars`` code points: a headline, then CRLF-separated paragraphs."""
    headline = (
        f"{rng.choice(ACTORS).capitalize()} {rng.choice(VERBS)} {rng.choice(OBJECTS)}"
        f" near {rng.choice(PLACES)}"
    )
    parts = [headline, "\r\n\r\n"]
    size = len(headline) + 4
    while size < chars:
        paragraph = " ".join(_sentence(rng) for _ in range(rng.randint(2, 6)))
        parts.append(paragraph)
        parts.append("\r\n\r\n")
        size += len(paragraph) + 4
    text = "".join(parts)[:chars]
    # Never end inside a CRLF or a ZWJ cluster, or on whitespace: trim back to a word end.
    return text[: _last_word_end(text)]


_WORD = re.compile(r"\w+")


def _last_word_end(text: str) -> int:
    end = len(text)
    while end > 0 and not text[end - 1].isalnum():
        end -= 1
    return end


def words(text: str) -> list[tuple[int, int]]:
    """(start, end) of every word, in code points."""
    return [m.span() for m in _WORD.finditer(text)]


def random_spans(
    rng: random.Random,
    word_list: Sequence[tuple[int, int]],
    count: int,
    labels: Sequence[str],
    *,
    max_words: int = 8,
) -> list[tuple[int, int, str]]:
    """``count`` distinct (start, end, label) spans on word boundaries, spread over the text.

    Random placement gives what real annotation gives: mostly separate spans, some nested or
    overlapping ones.
    """
    spans: set[tuple[int, int, str]] = set()
    n = len(word_list)
    while len(spans) < count:
        i = rng.randrange(n)
        j = min(n - 1, i + rng.randint(0, max_words - 1))
        spans.add((word_list[i][0], word_list[j][1], rng.choice(labels)))
    return sorted(spans)
