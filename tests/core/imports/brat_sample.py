"""A small brat document that uses every kind of ``.ann`` line, for the brat tests.

The text has an emoji (one code point, two UTF-16 units) and a CRLF (brat counts the CR), so
offsets that were counted any other way would land on the wrong text.
"""

from __future__ import annotations

from pathlib import Path

TEXT = (
    "Rebels said the 🚁 was downed near Hama.\r\n"
    "The ministry, officials said, denied it. Five people died, all civilians."
)


def at(piece: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(piece, start + 1)
    return start, start + len(piece)


def offsets(*pieces: tuple[int, int]) -> str:
    return ";".join(f"{a} {b}" for a, b in pieces)


def piece_text(*pieces: tuple[int, int]) -> str:
    return " ".join(TEXT[a:b] for a, b in pieces)


CLAIM = (at("the 🚁 was downed near Hama"),)
SOURCE = (at("Rebels"),)
DENIAL = (at("The ministry"), at("denied it"))  # interrupted by "officials said"
CASUALTY = (at("Five people died"),)
TRIGGER = (at("downed"),)
OFFICIALS = (at("officials"),)

ANN_LINES = [
    f"T1\tclaim {offsets(*CLAIM)}\t{piece_text(*CLAIM)}",
    f"T2\tattribution {offsets(*SOURCE)}\t{piece_text(*SOURCE)}",
    f"T3\tdenial {offsets(*DENIAL)}\t{piece_text(*DENIAL)}",
    f"T4\tcasualty_report {offsets(*CASUALTY)}\t{piece_text(*CASUALTY)}",
    f"T5\tAttack {offsets(*TRIGGER)}\t{piece_text(*TRIGGER)}",
    f"T6\tattribution {offsets(*OFFICIALS)}\t{piece_text(*OFFICIALS)}",
    "R1\tattributed_to Arg1:T1 Arg2:T2",
    "R2\tdenies Arg1:T3 Arg2:T1",
    "R3\tattributed_to Arg1:T3 Arg2:T6",
    "E1\tAttack:T5 Target:T1 Agent:T2",
    "A1\tNegated T3",
    "A2\tgroup T4 civilians",
    "M3\tSpeculation E1",  # the old spelling, binary only; a trigger takes no attribute
    "N1\tReference T2 Wikidata:Q123\tRebel group",
    "#1\tAnnotatorNotes T1\tcheck the source",
    "#2\tAnnotatorNotes T4\tfigure from the ministry 🙁",
    "*\tEquiv T2 T6",
]


def write_sample(folder: Path, name: str = "sample") -> Path:
    """``NAME.txt`` and ``NAME.ann`` in ``folder``; returns the document's path stem."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.txt").write_bytes(TEXT.encode("utf-8"))
    (folder / f"{name}.ann").write_bytes("".join(f"{line}\n" for line in ANN_LINES).encode())
    return folder / name
