"""OffsetMap against a slow, obviously-correct reference model of what Qt does to the text."""

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claimmark.core.offsets import OffsetMap
from tests.unicode_texts import hostile_texts

FIREMEN = "👨🏻\u200d🚒 firemen drive firetrucks"


def qt_units(s: str) -> int:
    """UTF-16 length of `s` once PySide/QTextDocument have had it (BOM stripped, CRLF folded)."""
    folded = s.removeprefix("\ufeff").replace("\r\n", "\u2029")
    return len(folded.encode("utf-16-le")) // 2


def ref_to_qt(text: str, cp: int) -> int:
    return qt_units(text[:cp])


def dropped(text: str, cp: int) -> bool:
    """True where text[cp] does not exist in Qt: a leading BOM or the "\\n" of a CRLF."""
    return (cp == 0 and text.startswith("\ufeff")) or text[cp - 1 : cp + 1] == "\r\n"


# --- concrete cases ------------------------------------------------------------------


def test_firemen_emoji_zwj_sequence():
    m = OffsetMap(FIREMEN)
    assert FIREMEN[19:29] == "firetrucks"
    assert (m.to_qt(19), m.to_qt(29)) == (22, 32)
    assert (m.from_qt(22), m.from_qt(32)) == (19, 29)
    assert m.qt_length == 32
    # 👨 U+1F468 (2) 🏻 U+1F3FB (2) ZWJ (1) 🚒 U+1F692 (2)
    assert [m.to_qt(i) for i in range(5)] == [0, 2, 4, 5, 7]


def test_firemen_positions_inside_surrogate_pairs_snap():
    m = OffsetMap(FIREMEN)
    assert (m.from_qt(1, round="down"), m.from_qt(1, round="up")) == (0, 1)
    assert (m.from_qt(3, round="down"), m.from_qt(3, round="up")) == (1, 2)
    assert (m.from_qt(6, round="down"), m.from_qt(6, round="up")) == (3, 4)
    # outside a pair, round is irrelevant
    assert m.from_qt(4, round="down") == m.from_qt(4, round="up") == 2
    assert m.from_qt(5, round="up") == 3


def test_crlf_folds_into_one_position():
    text = "ab\r\ncd\r\n\r\nef"
    m = OffsetMap(text)
    assert m.qt_length == len(text) - 3
    assert [m.to_qt(i) for i in range(len(text) + 1)] == [0, 1, 2, 3, 3, 4, 5, 6, 6, 7, 7, 8, 9]
    # the break sits at Qt 2 -> offset of "\r"; Qt 3 -> after "\n", never between them
    assert m.from_qt(2) == 2
    assert m.from_qt(3) == 4
    assert [m.from_qt(p) for p in range(m.qt_length + 1)] == [0, 1, 2, 4, 5, 6, 8, 10, 11, 12]
    assert m.from_qt(3, round="up") == m.from_qt(3, round="down") == 4


def test_crlf_after_lone_cr():
    m = OffsetMap("\r\r\n")
    assert m.qt_length == 2
    assert [m.to_qt(i) for i in range(4)] == [0, 1, 2, 2]
    assert [m.from_qt(p) for p in range(3)] == [0, 1, 3]


@pytest.mark.parametrize(
    "text",
    [
        "a\rb\nc\n\rd",  # lone CR, LF and LF-CR: one break each, no folding
        "line\u2028sep\u2029para",
        "price:\u00a0100\u202f€",
        "cafe\u0301 n\u0303 a\u0308\u0304",  # combining marks stay separate code points
        "قال المتحدث: لا",
        "אמר הדובר: לא",
        "mixed עברית and عربي 123",
        "\x00\t\x0b\x0c\x85",
        "a\ufeffb",  # a BOM that is not leading is an ordinary character
    ],
)
def test_one_to_one_texts(text):
    m = OffsetMap(text)
    assert m.qt_length == len(text)
    for i in range(len(text) + 1):
        assert m.to_qt(i) == i
        assert m.from_qt(i, round="down") == m.from_qt(i, round="up") == i


def test_leading_bom_is_dropped_once():
    m = OffsetMap("\ufeff\ufeffab")
    assert m.qt_length == 3
    assert [m.to_qt(i) for i in range(5)] == [0, 0, 1, 2, 3]
    # Qt 0 maps past the invisible BOM, so text[from_qt(a):from_qt(b)] is what Qt shows
    assert [m.from_qt(p) for p in range(4)] == [1, 2, 3, 4]


def test_bom_then_crlf_then_emoji():
    text = "\ufeff\r\n😀x"
    m = OffsetMap(text)
    assert m.qt_length == 4
    assert [m.to_qt(i) for i in range(len(text) + 1)] == [0, 0, 1, 1, 3, 4]
    assert [m.from_qt(p) for p in range(5)] == [1, 3, 3, 4, 5]
    assert m.from_qt(2, round="up") == 4


def test_empty_and_bom_only():
    assert OffsetMap("").qt_length == 0
    assert OffsetMap("").to_qt(0) == 0
    assert OffsetMap("").from_qt(0) == 0
    bom = OffsetMap("\ufeff")
    assert (bom.qt_length, bom.to_qt(0), bom.to_qt(1), bom.from_qt(0)) == (0, 0, 0, 1)


def test_out_of_range_and_bad_round_are_rejected():
    m = OffsetMap("😀")
    for bad in (-1, 2):
        with pytest.raises(ValueError):
            m.to_qt(bad)
    for bad in (-1, 3):
        with pytest.raises(ValueError):
            m.from_qt(bad)
    with pytest.raises(ValueError):
        m.from_qt(1, round="nearest")  # type: ignore[arg-type]


def test_large_document_maps_exactly():
    line = "lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor "
    line = (line * 2)[:97] + "😀\r\n"
    text = line * 20_000  # 2M code points, 20k emoji, 20k CRLF
    assert len(text) == 2_000_000
    rng = random.Random(7)
    m = OffsetMap(text)
    assert m.qt_length == qt_units(text)
    for cp in rng.sample(range(len(text) + 1), 200):
        if not dropped(text, cp):
            assert m.from_qt(m.to_qt(cp)) == cp
    for cp in (0, 1_000_000, 2_000_000):
        assert m.to_qt(cp) == qt_units(text[:cp])


# --- properties ----------------------------------------------------------------------

texts = hostile_texts(40)


@given(texts)
def test_to_qt_matches_reference_model(text):
    m = OffsetMap(text)
    assert m.qt_length == qt_units(text)
    for cp in range(len(text) + 1):
        assert m.to_qt(cp) == ref_to_qt(text, cp)


@given(texts)
def test_round_trip_is_identity_except_before_dropped_characters(text):
    m = OffsetMap(text)
    for cp in range(len(text) + 1):
        back = m.from_qt(m.to_qt(cp), round="down")
        assert back == m.from_qt(m.to_qt(cp), round="up")
        assert back == (cp + 1 if dropped(text, cp) else cp), (text, cp)


@given(texts)
def test_from_qt_is_largest_offset_at_that_position(text):
    m = OffsetMap(text)
    for pos in range(m.qt_length + 1):
        at = [cp for cp in range(len(text) + 1) if ref_to_qt(text, cp) == pos]
        if at:
            assert m.from_qt(pos, round="down") == m.from_qt(pos, round="up") == max(at)
        else:  # inside a surrogate pair: exactly one astral character straddles pos
            down, up = m.from_qt(pos, round="down"), m.from_qt(pos, round="up")
            assert up == down + 1
            assert ord(text[down]) >= 0x10000
            assert ref_to_qt(text, down) == pos - 1
            assert ref_to_qt(text, up) == pos + 1


@given(texts)
def test_from_qt_is_monotonic(text):
    m = OffsetMap(text)
    positions = range(m.qt_length + 1)
    down = [m.from_qt(p, round="down") for p in positions]
    up = [m.from_qt(p, round="up") for p in positions]
    assert down == sorted(down)
    assert up == sorted(up)
    assert up[-1] == down[-1] == len(text)
    # only the two sides of a surrogate pair may share an offset
    whole = [d for d, u in zip(down, up, strict=True) if d == u]
    assert whole == sorted(set(whole))
    to = [m.to_qt(cp) for cp in range(len(text) + 1)]
    assert to == sorted(to)


@settings(max_examples=300)  # chunk edges meet CRLFs, BOMs and emoji only now and then
@given(texts, st.randoms(use_true_random=False))
def test_a_map_scanned_in_small_chunks_in_any_order_agrees(text, rng):
    """The map scans the text only as far as it is asked about: asked in a random order and
    a few characters at a time, it must answer exactly what a full scan answers."""
    whole = OffsetMap(text)
    questions = [("to", cp) for cp in range(len(text) + 1)]
    questions += [("from", pos) for pos in range(whole.qt_length + 2)]
    questions.append(("length", 0))
    for chunk in (1, 2, 3):
        rng.shuffle(questions)
        lazy = OffsetMap(text, chunk=chunk)
        for kind, value in questions:
            if kind == "to":
                assert lazy.to_qt(value) == whole.to_qt(value)
            elif kind == "length":
                assert lazy.qt_length == whole.qt_length
            elif value > whole.qt_length:
                assert not lazy.has_qt(value)
                with pytest.raises(ValueError):
                    lazy.from_qt(value)
            else:
                assert lazy.has_qt(value)
                for round in ("down", "up"):
                    assert lazy.from_qt(value, round=round) == whole.from_qt(value, round=round)


@pytest.mark.parametrize("text", ["\r\r\n", "a\r\r\r\nb", "\r\n\r\n", "\ufeff\r\n"])
def test_a_chunk_never_ends_between_the_halves_of_a_crlf(text):
    whole = OffsetMap(text)
    for chunk in (1, 2):
        lazy = OffsetMap(text, chunk=chunk)
        assert [lazy.to_qt(cp) for cp in range(len(text) + 1)] == [
            whole.to_qt(cp) for cp in range(len(text) + 1)
        ]


def test_opening_a_long_text_scans_only_what_is_asked_for():
    text = ("word 😀\r\n" * 250_000)[:2_000_000]
    m = OffsetMap(text, chunk=1000)
    assert m.to_qt(6) == 7  # the emoji is two Qt positions
    assert (m.from_qt(6, round="down"), m.from_qt(6, round="up")) == (5, 6)  # inside it
    assert m.to_qt(16) == 16  # the CRLF folds into one: two units of 8 code points later, even
    assert m._scanned <= 2000  # the start of the text, not all of it
    assert m.qt_length == qt_units(text)
