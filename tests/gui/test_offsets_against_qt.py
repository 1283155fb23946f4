"""OffsetMap against a real QPlainTextEdit: the mapping must be what Qt actually does."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QPlainTextEdit

from claimmark.core.offsets import OffsetMap
from tests.unicode_texts import hostile_texts

# selectedText() reports every paragraph break as U+2029; QTextDocument also turns its
# internal frame markers U+FDD0/U+FDD1 into breaks. U+2028 stays U+2028.
_BREAKS = str.maketrans({"\r": "\u2029", "\n": "\u2029", "\ufdd0": "\u2029", "\ufdd1": "\u2029"})

HAND_WRITTEN = [
    "👨🏻\u200d🚒 firemen drive firetrucks",
    "👩\u200d👩\u200d👧\u200d👦 family 🇺🇸 flag 👍🏽 thumbs",
    "first\r\nsecond\r\n\r\nfourth\r\n",
    "lone\rcr\n\rlf-cr\r\r\nend",
    "line\u2028separator\u2029paragraph",
    "price:\u00a0100\u202f€ \u00a0",
    "cafe\u0301 n\u0303 a\u0308\u0304 \u0915\u094d\u0937",
    "قال المتحدث: لا 😀 «نفي»\r\nאמר הדובר: לא",
    "\ufeffleading BOM 😀\r\nthen text",
    "\ufeff\r\n😀",
    "\ufeff\ufeffdouble",
    "mid\ufeffBOM",
    "\U0010ffff\U00020000\U0001f600",
    "",
]

texts = hostile_texts(30)
QT_SETTINGS = settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture
def editor(qtbot):
    widget = QPlainTextEdit()
    qtbot.addWidget(widget)
    return widget


def visible(text: str, start: int, end: int) -> str:
    """What Qt should show for stored text[start:end]: breaks as U+2029, leading BOM gone."""
    if start == 0 and text.startswith("\ufeff"):
        start = min(1, end)
    return text[start:end].replace("\r\n", "\r").translate(_BREAKS)


def splits_crlf(text: str, cp: int) -> bool:
    return text[cp - 1 : cp + 1] == "\r\n" if cp else False


def qt_selection(editor: QPlainTextEdit, a: int, b: int) -> str:
    cursor = QTextCursor(editor.document())
    cursor.setPosition(a)
    cursor.setPosition(b, QTextCursor.MoveMode.KeepAnchor)
    assert (cursor.anchor(), cursor.position()) == (a, b), "Qt refused the position"
    return cursor.selectedText()


def is_low_surrogate(ch: str) -> bool:
    return len(ch) == 1 and 0xDC00 <= ord(ch) <= 0xDFFF


def check_whole_text(editor: QPlainTextEdit, text: str) -> OffsetMap:
    editor.setPlainText(text)
    doc = editor.document()
    m = OffsetMap(text)
    assert doc.characterCount() - 1 == m.qt_length
    # every stored offset lands on a Qt position showing exactly the stored prefix
    for cp in range(len(text) + 1):
        pos = m.to_qt(cp)
        assert not is_low_surrogate(doc.characterAt(pos)), (text, cp)
        if not splits_crlf(text, cp):
            assert qt_selection(editor, 0, pos) == visible(text, 0, cp), (text, cp)
    # every Qt position maps back to the offset whose prefix Qt shows
    for pos in range(m.qt_length + 1):
        down, up = m.from_qt(pos, round="down"), m.from_qt(pos, round="up")
        if is_low_surrogate(doc.characterAt(pos)):
            # Qt's two halves at pos-1, pos are the one astral character between down and up
            pair = doc.characterAt(pos - 1) + doc.characterAt(pos)
            as_char = pair.encode("utf-16-le", "surrogatepass").decode("utf-16-le")
            assert (up - down, text[down]) == (1, as_char), (text, pos)
            assert qt_selection(editor, 0, pos - 1) == visible(text, 0, down)
            assert qt_selection(editor, 0, pos + 1) == visible(text, 0, up)
        else:
            assert down == up, (text, pos)
            assert not splits_crlf(text, down), (text, pos)
            assert qt_selection(editor, 0, pos) == visible(text, 0, down), (text, pos)
    return m


@pytest.mark.parametrize("text", HAND_WRITTEN)
def test_hand_written_texts_match_qt(editor, text):
    m = check_whole_text(editor, text)
    offsets = [cp for cp in range(len(text) + 1) if not splits_crlf(text, cp)]
    for i, start in enumerate(offsets):
        for end in offsets[i:]:
            got = qt_selection(editor, m.to_qt(start), m.to_qt(end))
            assert got == visible(text, start, end), (text, start, end)


def test_firemen_span_selects_firetrucks(editor):
    text = HAND_WRITTEN[0]
    m = check_whole_text(editor, text)
    assert (m.to_qt(19), m.to_qt(29)) == (22, 32)
    assert qt_selection(editor, 22, 32) == "firetrucks" == text[19:29]


def test_leading_bom_really_is_dropped_by_pyside(editor):
    # If a PySide/Qt upgrade stops stripping it, OffsetMap's BOM rule must go too.
    editor.setPlainText("\ufeffab")
    assert editor.document().characterCount() - 1 == 2
    assert editor.toPlainText() == "ab"


@QT_SETTINGS
@given(text=texts, data=st.data())
def test_random_texts_and_spans_match_qt(editor, text, data):
    m = check_whole_text(editor, text)
    offsets = [cp for cp in range(len(text) + 1) if not splits_crlf(text, cp)]
    for _ in range(10):
        start, end = sorted(data.draw(st.lists(st.sampled_from(offsets), min_size=2, max_size=2)))
        got = qt_selection(editor, m.to_qt(start), m.to_qt(end))
        assert got == visible(text, start, end), (text, start, end)
