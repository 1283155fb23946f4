"""Split spans (E extends the current span with the selection, Shift+E takes a fragment out) and
the attribute form (F4, Tab, Enter, Esc), driven by keys, checked in the project file."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QApplication, QLineEdit, QToolTip

from tests.gui.conftest import reopen
from tests.gui.test_layers import add_as, choose_row, layer_rows, toggle_layer

from .helpers import (
    article,
    open_doc,
    point_of,
    put_cursor,
    select_with_keys,
    settle,
    stored_spans,
)

CLAIM = "they shot down a Russian helicopter"
MORE = "in Syria"
REPORT = "On Board were five people, all of them died"


def _offsets(window, phrase: str, after: int = 0) -> tuple[int, int]:
    start = window.desk.document.text.index(phrase, after)
    return start, start + len(phrase)


def _label(qtbot, window, phrase: str, key: Qt.Key) -> tuple[int, int]:
    start, end = _offsets(window, phrase)
    select_with_keys(qtbot, window, start, end - start)
    qtbot.keyClick(article(window), key)
    return start, end


def _only_span(project_path, window):
    (span,) = stored_spans(project_path, window.ids["sample"])
    return span


def test_e_extends_the_current_span_and_undo_takes_the_fragment_back(qtbot, window, project_path):
    claim = _label(qtbot, window, CLAIM, Qt.Key.Key_1)
    more = _offsets(window, MORE, claim[1])
    select_with_keys(qtbot, window, more[0], more[1] - more[0])
    qtbot.keyClick(article(window), Qt.Key.Key_E)
    span = _only_span(project_path, window)
    assert span.fragments == (claim, more)
    assert (span.start, span.end) == (claim[0], more[1])
    assert span.piece_texts == [CLAIM, MORE]
    settle(qtbot)
    table = window.desk.span_table
    assert table.model().index(0, 1).data() == f"{CLAIM} … {MORE}"
    # drawn as one span: both pieces tinted, the gap between them not
    view = article(window)
    block = view.document().findBlock(view.offsets.to_qt(claim[0]))
    view.highlighter.format_block(block)
    ranges = [(r.start, r.start + r.length) for r in block.layout().formats()]
    to_block = [view.offsets.to_qt(o) - block.position() for o in (*claim, *more)]
    assert ranges == [tuple(to_block[:2]), tuple(to_block[2:])]
    overlay = [
        (
            view.offsets.from_qt(s.cursor.selectionStart()),
            view.offsets.from_qt(s.cursor.selectionEnd()),
        )
        for s in view.extraSelections()
    ]
    assert overlay == [claim, more]  # the current span's tint covers the pieces only
    # and every split span gets a dotted line under its gap
    assert view.highlighter.split_spans(0, len(view.text)) == [("claim", (claim, more))]
    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    undone = _only_span(project_path, window)
    assert (undone.start, undone.end, undone.fragments) == (*claim, None)
    qtbot.keyClick(
        view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    assert _only_span(project_path, window).fragments == (claim, more)


def test_shift_e_takes_the_fragment_under_the_caret_out(qtbot, window, project_path):
    claim = _label(qtbot, window, CLAIM, Qt.Key.Key_1)
    more = _offsets(window, MORE, claim[1])
    select_with_keys(qtbot, window, more[0], more[1] - more[0])
    qtbot.keyClick(article(window), Qt.Key.Key_E)
    put_cursor(window, more[0] + 2)  # a click inside the second fragment
    qtbot.keyClick(article(window), Qt.Key.Key_E, Qt.KeyboardModifier.ShiftModifier)
    span = _only_span(project_path, window)
    assert (span.start, span.end, span.fragments, span.text) == (*claim, None, CLAIM)


def test_a_click_in_the_gap_does_not_find_the_split_span(qtbot, window):
    claim = _label(qtbot, window, CLAIM, Qt.Key.Key_1)
    more = _offsets(window, MORE, claim[1])
    select_with_keys(qtbot, window, more[0], more[1] - more[0])
    qtbot.keyClick(article(window), Qt.Key.Key_E)
    view = article(window)
    gap = window.desk.document.text.index("province", claim[1])
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point_of(window, gap + 2))
    assert window.desk.current_span is None
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point_of(window, more[0] + 2))
    assert window.desk.current_span is not None
    assert window.desk.current_span.fragments == (claim, more)


def test_attribute_form_by_keyboard_refuses_with_the_rule_then_saves(
    qtbot, window, project_path, monkeypatch
):
    _label(qtbot, window, REPORT, Qt.Key.Key_3)
    form = window.desk.attribute_form
    assert window.desk.span_table.isColumnHidden(4)  # no values anywhere yet
    qtbot.keyClick(article(window), Qt.Key.Key_F4)
    killed = form.fields["killed"]
    assert isinstance(killed, QLineEdit) and killed.hasFocus()
    qtbot.keyClicks(killed, "five")
    qtbot.keyClick(killed, Qt.Key.Key_Return)
    assert form.problem.text() == (
        "killed must be a whole number ≥ 0, a range such as 10–12, or unknown; got 'five'"
    )
    assert form.problem.textFormat() == Qt.TextFormat.PlainText
    assert not _only_span(project_path, window).attributes
    killed.selectAll()
    qtbot.keyClicks(killed, "5")
    qtbot.keyClick(killed, Qt.Key.Key_Tab)
    injured = form.fields["injured"]
    assert injured.hasFocus()
    qtbot.keyClicks(injured, "10-12")
    qtbot.keyClick(injured, Qt.Key.Key_Tab)
    group = form.fields["group"]
    assert group.hasFocus()
    qtbot.keyClicks(group, "mil")  # keyboard search: "military"
    assert group.currentText() == "military"
    qtbot.keyClick(group, Qt.Key.Key_Return)
    span = _only_span(project_path, window)
    assert dict(span.attributes) == {"killed": 5, "injured": (10, 12), "group": "military"}
    assert form.problem.text() == ""
    qtbot.keyClick(form.fields["group"], Qt.Key.Key_Escape)
    assert article(window).hasFocus()
    settle(qtbot)
    assert not window.desk.span_table.isColumnHidden(4)
    row = window.desk.span_table.model().index(0, 4).data()
    assert row == "killed 5, injured 10–12, group military"
    shown = []
    monkeypatch.setattr(QToolTip, "showText", staticmethod(lambda pos, tip, *a: shown.append(tip)))
    viewport = article(window).viewport()
    pos = point_of(window, _offsets(window, REPORT)[0] + 3)
    QApplication.sendEvent(
        viewport, QHelpEvent(QEvent.Type.ToolTip, pos, viewport.mapToGlobal(pos))
    )
    assert shown == ["<qt>Casualty report: killed 5, injured 10–12, group military</qt>"]
    # and Ctrl+Z takes the values back in one step
    qtbot.keyClick(article(window), Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert not _only_span(project_path, window).attributes
    assert form.fields["killed"].text() == ""


def test_a_label_without_attributes_says_so(qtbot, window):
    _label(qtbot, window, CLAIM, Qt.Key.Key_1)
    qtbot.keyClick(article(window), Qt.Key.Key_F4)
    assert window.desk.attribute_form.heading.text() == "Claim has no attributes"
    assert window.desk.attribute_form.fields == {}


def test_extending_across_emoji_and_crlf_stores_code_points(qtbot, window, project_path):
    """Qt counts UTF-16 units and folds CRLF: the stored pieces are still code points."""
    open_doc(qtbot, window, "unicode")
    text = window.desk.document.text
    first = text.index("firetrucks")
    select_with_keys(qtbot, window, first, len("firetrucks"))
    qtbot.keyClick(article(window), Qt.Key.Key_1)
    second = text.index("society")
    select_with_keys(qtbot, window, second, len("society"))
    qtbot.keyClick(article(window), Qt.Key.Key_E)
    (span,) = stored_spans(project_path, window.ids["unicode"])
    assert span.fragments == ((first, first + 10), (second, second + 7))
    assert span.piece_texts == ["firetrucks", "society"]
    assert "\r\n" in span.text  # the envelope runs across the line break


def test_the_form_follows_a_schema_change_made_in_another_window(qtbot, window, project_path):
    _label(qtbot, window, REPORT, Qt.Key.Key_3)
    form = window.desk.attribute_form
    assert "a range such as 10–12" in form.fields["killed"].placeholderText()
    other = reopen(project_path)
    try:
        other.schema.change_attribute(
            "casualty_report", "killed", allow_range=False, annotator="tester"
        )
    finally:
        other.close()
    window.desk.session.updates.check_elsewhere()
    qtbot.waitUntil(lambda: "range" not in form.fields["killed"].placeholderText())


def test_another_layers_values_are_shown_read_only_and_copied_with_the_span(
    qtbot, window, project_path
):
    doc = window.ids["sample"]
    theirs = add_as(project_path, "alice", doc, REPORT, "casualty_report")
    other = reopen(project_path)
    try:
        other.set_attributes(theirs.id, {"killed": 5}, annotator="alice")
    finally:
        other.close()
    qtbot.waitUntil(lambda: "alice — 1" in layer_rows(window))
    toggle_layer(qtbot, window, "alice")
    choose_row(qtbot, window, REPORT, "alice")
    form = window.desk.attribute_form
    assert form.heading.text() == "Attributes of Casualty report (another layer: read-only)"
    assert form.fields["killed"].text() == "5" and not form.fields["killed"].isEnabled()
    qtbot.keyClick(article(window), Qt.Key.Key_Insert)  # copy into my layer
    mine = next(s for s in stored_spans(project_path, doc) if s.annotator == "tester")
    assert dict(mine.attributes) == {"killed": 5}
    assert form.fields["killed"].isEnabled()  # the copy is current, and mine
