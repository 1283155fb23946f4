"""Span colours are set per block when it is painted; a change re-formats only its own blocks."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QApplication, QToolTip

from claimmark.core.highlight_segments import SpanIntervals
from claimmark.core.project import NewDocument
from claimmark.gui.article_view import ArticleView
from tests.gui.conftest import UNICODE_TEXT
from tests.gui.helpers import article, open_doc, point_of, select_with_keys


def formats_of(view: ArticleView, block_number: int):
    block = view.document().findBlockByNumber(block_number)
    return [
        (r.start, r.length, r.format.background().color().name()) for r in block.layout().formats()
    ]


def test_nested_spans_blend_and_list_every_label(qtbot, window):
    text = window.desk.document.text
    outer = text.index("they shot down a Russian helicopter")
    inner = text.index("a Russian helicopter", outer)
    select_with_keys(qtbot, window, outer, len("they shot down a Russian helicopter"))
    qtbot.keyClick(article(window), Qt.Key.Key_1)
    select_with_keys(qtbot, window, inner, len("a Russian helicopter"))
    qtbot.keyClick(article(window), Qt.Key.Key_3)
    view = article(window)
    assert view.highlighter.labels_at(outer) == ("claim",)
    assert view.highlighter.labels_at(inner) == ("claim", "casualty_report")
    block = view.document().findBlock(view.offsets.to_qt(outer))
    ranges = formats_of(view, block.blockNumber())
    colours = {colour for _, _, colour in ranges}
    assert len(ranges) == 2 and len(colours) == 2  # outer-only tint and the blended tint differ
    start_in_block = view.offsets.to_qt(outer) - block.position()
    assert ranges[0][:2] == (start_in_block, inner - outer)


def test_tooltip_lists_every_label_as_plain_text(qtbot, window, monkeypatch):
    text = window.desk.document.text
    outer = text.index("they shot down a Russian helicopter")
    select_with_keys(qtbot, window, outer, len("they shot down a Russian helicopter"))
    qtbot.keyClick(article(window), Qt.Key.Key_1)
    inner = text.index("Russian", outer)
    select_with_keys(qtbot, window, inner, len("Russian"))
    qtbot.keyClick(article(window), Qt.Key.Key_3)
    shown = []
    monkeypatch.setattr(QToolTip, "showText", staticmethod(lambda pos, tip, *a: shown.append(tip)))
    viewport = article(window).viewport()
    pos = point_of(window, inner + 2)
    QApplication.sendEvent(
        viewport, QHelpEvent(QEvent.Type.ToolTip, pos, viewport.mapToGlobal(pos))
    )
    assert shown == ["<qt>Claim<br>Casualty report</qt>"]


def test_adding_a_span_rehighlights_only_its_block(qtbot, window):
    view = article(window)
    highlighter = view.highlighter
    assert view.document().blockCount() > 5
    start = window.desk.document.text.index("Amaq news Agency")
    select_with_keys(qtbot, window, start, len("Amaq"))
    before = highlighter.highlighted_blocks  # no paint runs inside a key click
    qtbot.keyClick(view, Qt.Key.Key_4)
    assert highlighter.highlighted_blocks - before == 1
    undo_before = highlighter.highlighted_blocks
    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert highlighter.highlighted_blocks - undo_before == 1


def test_highlight_positions_after_emoji_and_crlf(qtbot, window):
    open_doc(qtbot, window, "unicode")
    view = article(window)
    for needle in ("firetrucks", "society", "final"):
        start = UNICODE_TEXT.index(needle)
        select_with_keys(qtbot, window, start, len(needle))
        qtbot.keyClick(view, Qt.Key.Key_1)
    block0, block1 = formats_of(view, 0), formats_of(view, 1)
    assert [(s, n) for s, n, _ in block0] == [(22, 10)]  # Qt: 👨🏻‍🚒 is 7 units, firetrucks 22–32
    assert [(s, n) for s, n, _ in block1] == [(6, 7)]  # "café " then "society" (CRLF folded)
    last = view.document().lastBlock()
    assert [(r.start, r.length) for r in last.layout().formats()] == [(0, 5)]


def test_large_document_formats_only_painted_blocks_and_one_per_change(qtbot, project):
    """20,000 spans over 2,000,000 characters: opening formats the blocks on screen, not the
    20,000 paragraphs, and a change re-formats its own block only."""
    paragraph = ("word " * 99 + "end.") + "\n"
    text = paragraph * (2_000_000 // len(paragraph))
    # spans built here, not stored: importing 20,000 spans into one 2 MB text is slow in core
    spans = [(i * 100, i * 100 + 4, "claim") for i in range(20_000)]
    doc_id, _ = project.import_document(NewDocument(text=text, title="big"), annotator="tester")
    view = ArticleView()
    qtbot.addWidget(view)
    view.resize(600, 400)
    view.show()
    qtbot.waitExposed(view)
    view.set_labels(project.labels())
    intervals = SpanIntervals(spans)
    view.show_text(text, intervals)
    highlighter = view.highlighter
    qtbot.waitUntil(lambda: highlighter.highlighted_blocks > 0)  # the first paint
    assert highlighter.highlighted_blocks < 50 < view.document().blockCount()
    assert formats_of(view, 0)[0][:2] == (0, 4)
    assert formats_of(view, 3_000) == []  # far below the screen: untouched
    assert highlighter.labels_at(100) == ("claim",)
    before = highlighter.highlighted_blocks
    change = project.add_span(doc_id, "denial", 1_000_000, 1_000_050, annotator="tester")
    [span] = change.created
    intervals.add((span.start, span.end, "denial"))
    highlighter.update_range(span.start, span.end)
    assert highlighter.highlighted_blocks - before == 1
    assert highlighter.labels_at(1_000_000) == ("claim", "denial")
    block = view.document().findBlock(view.offsets.to_qt(1_000_000))
    ranges = formats_of(view, block.blockNumber())
    assert [(a, n) for a, n, _ in ranges] == [
        (0, 4),
        (4, 46),
        (100, 4),
        (200, 4),
        (300, 4),
        (400, 4),
    ]
    assert len({colour for _, _, colour in ranges[:3]}) == 3  # both, denial alone, claim alone


def test_spans_in_the_first_block_are_highlighted_when_a_document_opens(qtbot, window):
    """Blocks are formatted when painted, never from a cache of the previous document."""
    select_with_keys(qtbot, window, 0, len("ISIS"))
    qtbot.keyClick(article(window), Qt.Key.Key_4)
    open_doc(qtbot, window, "unicode")
    open_doc(qtbot, window, "sample")
    qtbot.waitUntil(lambda: [(s, n) for s, n, _ in formats_of(article(window), 0)] == [(0, 4)])
