"""Making and editing spans through real keys, drags and buttons; checked in the project file."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt

from claimmark.core.project import NewDocument
from claimmark.gui.span_table_model import SPAN_ID_ROLE
from tests.gui.conftest import UNICODE_TEXT
from tests.gui.helpers import (
    NOTE_DIALOG,
    article,
    check_span_texts,
    drag,
    open_doc,
    point_of,
    put_cursor,
    select_with_keys,
    settle,
    stored_spans,
)

ALT = Qt.KeyboardModifier.AltModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
CTRL = Qt.KeyboardModifier.ControlModifier


def sample_offset(window, needle: str) -> int:
    return window.desk.document.text.index(needle)


def test_document_opens_with_focus_in_the_article(window):
    assert window.focusWidget() is article(window)
    assert window.windowTitle() == "claimmark — p.db"


def test_keyboard_selection_and_hotkey_make_a_snapped_span(qtbot, window, project_path):
    start = sample_offset(window, "they shot down")
    # "hey sho": starts and ends mid-word, snapping widens it to "they shot"
    select_with_keys(qtbot, window, start + 1, 7)
    with qtbot.waitSignal(window.desk.sig_saved):
        qtbot.keyClick(article(window), Qt.Key.Key_1)
    [span] = stored_spans(project_path, window.ids["sample"])
    assert (span.label, span.text, span.annotator) == ("claim", "they shot", "tester")
    assert window.statusBar().currentMessage() == "Saved"
    assert window.desk.span_model.rowCount() == 1


def test_ctrl_shift_right_selects_words_and_whitespace_is_dropped(qtbot, window, project_path):
    start = sample_offset(window, "they shot down")
    put_cursor(window, start - 1)  # on the space before "they"
    for _ in range(4):  # Qt stops at word starts: "they", "shot", "down", "a"
        qtbot.keyClick(article(window), Qt.Key.Key_Right, CTRL | SHIFT)
    qtbot.keyClick(article(window), Qt.Key.Key_4)
    [span] = stored_spans(project_path, window.ids["sample"])
    assert (span.label, span.text) == ("attribution", "they shot down")


def test_alt_hotkey_keeps_the_exact_selection(qtbot, window, project_path):
    start = sample_offset(window, "they shot down")
    select_with_keys(qtbot, window, start + 1, 7)
    qtbot.keyClick(article(window), Qt.Key.Key_2, ALT)
    [span] = stored_spans(project_path, window.ids["sample"])
    assert (span.label, span.text) == ("denial", "hey sho")


def test_snap_toggle_off_keeps_the_exact_selection(qtbot, window, project_path):
    window.snap_action.trigger()
    assert not window.desk.snap_enabled
    start = sample_offset(window, "they shot down")
    select_with_keys(qtbot, window, start + 1, 3)
    qtbot.keyClick(article(window), Qt.Key.Key_1)
    assert [s.text for s in stored_spans(project_path, window.ids["sample"])] == ["hey"]


def test_mouse_drag_then_label_button(qtbot, window, project_path):
    start = sample_offset(window, "monitoring group SITE")
    drag(qtbot, window, start + 2, start + len("monitoring group SI"))
    assert article(window).selected_range() == (start + 2, start + len("monitoring group SI"))
    qtbot.mouseClick(window.desk.label_bar.button("attribution"), Qt.MouseButton.LeftButton)
    [span] = stored_spans(project_path, window.ids["sample"])
    assert (span.label, span.text) == ("attribution", "monitoring group SITE")
    assert window.focusWidget() is article(window)


def test_mouse_drag_then_hotkey(qtbot, window, project_path):
    start = sample_offset(window, "reports TASS")
    drag(qtbot, window, start, start + len("reports TASS"))
    qtbot.keyClick(article(window), Qt.Key.Key_4)
    assert [s.text for s in stored_spans(project_path, window.ids["sample"])] == ["reports TASS"]


def test_only_whitespace_selected_makes_nothing(qtbot, window, project_path):
    start = sample_offset(window, "that they")
    select_with_keys(qtbot, window, start + 4, 1)
    qtbot.keyClick(article(window), Qt.Key.Key_1)
    assert stored_spans(project_path, window.ids["sample"]) == []
    assert "whitespace" in window.statusBar().currentMessage()


def make_span(qtbot, window, needle: str, key=Qt.Key.Key_1):
    start = sample_offset(window, needle)
    select_with_keys(qtbot, window, start, len(needle))
    qtbot.keyClick(article(window), key)
    return window.desk.current_span


def test_new_span_is_current_and_a_hotkey_relabels_it(qtbot, window, project_path):
    span = make_span(qtbot, window, "shot down a Russian helicopter")
    assert window.desk.current_span.id == span.id
    qtbot.keyClick(article(window), Qt.Key.Key_2)
    [stored] = stored_spans(project_path, window.ids["sample"])
    assert (stored.id, stored.label) == (span.id, "denial")


def test_clicking_inside_a_span_selects_it_and_its_row(qtbot, window):
    first = make_span(qtbot, window, "Islamic state")
    make_span(qtbot, window, "monitoring group", Qt.Key.Key_4)
    start = sample_offset(window, "Islamic state")
    qtbot.mouseClick(
        article(window).viewport(),
        Qt.MouseButton.LeftButton,
        pos=point_of(window, start + 3),
    )
    assert window.desk.current_span.id == first.id
    table = window.desk.span_table
    # the table follows once the article is painted
    qtbot.waitUntil(lambda: table.currentIndex().data(Qt.ItemDataRole.UserRole + 1) == first.id)


def test_labelling_before_the_span_table_has_filled(qtbot, window, project_path):
    first = make_span(qtbot, window, "Islamic state")
    qtbot.keyClick(article(window), Qt.Key.Key_PageDown, CTRL)  # next document
    qtbot.keyClick(article(window), Qt.Key.Key_PageUp, CTRL)  # and straight back: no pause
    assert window.desk.document.id == window.ids["sample"]
    start = sample_offset(window, "monitoring group")
    select_with_keys(qtbot, window, start, len("monitoring group"))
    qtbot.keyClick(article(window), Qt.Key.Key_2)
    stored = {s.id for s in stored_spans(project_path, window.ids["sample"])}
    assert len(stored) == 2 and first.id in stored
    assert set(_table_ids(window)) == stored  # filled early, for the change to land in it
    settle(qtbot)
    assert sorted(_table_ids(window)) == sorted(stored)  # and not filled twice


def test_deleting_a_span_does_not_jump_to_its_neighbour_in_the_table(qtbot, window, project_path):
    first = make_span(qtbot, window, "Islamic state")
    make_span(qtbot, window, "monitoring group", Qt.Key.Key_4)
    settle(qtbot)  # the table has followed: the new span's row is current
    caret = article(window).cursor_offset()
    qtbot.keyClick(article(window), Qt.Key.Key_Delete)
    assert [s.id for s in stored_spans(project_path, window.ids["sample"])] == [first.id]
    settle(qtbot)
    assert window.desk.current_span is None
    assert article(window).cursor_offset() == caret  # not moved to the remaining span
    assert not article(window).is_flashing()


def _table_ids(window) -> list[str]:
    model = window.desk.span_table.model()
    return [model.index(r, 0).data(SPAN_ID_ROLE) for r in range(model.rowCount())]


def _click_header(qtbot, window, section: int) -> None:
    header = window.desk.span_table.horizontalHeader()
    x = header.sectionViewportPosition(section) + header.sectionSize(section) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))


def test_span_table_sorts_on_a_clicked_header_and_new_spans_take_their_place(
    qtbot, window, project_path
):
    make_span(qtbot, window, "monitoring group", Qt.Key.Key_2)  # Denial
    make_span(qtbot, window, "Islamic state", Qt.Key.Key_1)  # Claim
    in_text_order = [s.id for s in stored_spans(project_path, window.ids["sample"])]
    assert _table_ids(window) == in_text_order  # text order until a column is chosen
    names = {label.key: label.name for label in window.project.labels()}

    def labels_shown():
        by_id = {s.id: names[s.label] for s in stored_spans(project_path, window.ids["sample"])}
        return [by_id[i] for i in _table_ids(window)]

    _click_header(qtbot, window, 0)  # Label, A to Z
    assert labels_shown() == ["Claim", "Denial"]
    made = make_span(qtbot, window, "they shot down", Qt.Key.Key_4)  # Attribution
    assert labels_shown() == ["Attribution", "Claim", "Denial"]
    qtbot.waitUntil(lambda: window.desk.span_table.currentIndex().row() == 0)
    assert window.desk.span_table.currentIndex().data(SPAN_ID_ROLE) == made.id
    qtbot.keyClick(article(window), Qt.Key.Key_2)  # relabelled: it moves to its new place
    assert labels_shown() == ["Claim", "Denial", "Denial"]
    _click_header(qtbot, window, 0)  # Z to A
    assert labels_shown() == ["Denial", "Denial", "Claim"]
    _click_header(qtbot, window, 0)  # the third click goes back to text order
    assert _table_ids(window) == [s.id for s in stored_spans(project_path, window.ids["sample"])]


def test_clicking_a_table_row_moves_to_the_span(qtbot, window):
    first = make_span(qtbot, window, "Islamic state")
    make_span(qtbot, window, "monitoring group", Qt.Key.Key_4)
    table = window.desk.span_table
    row = next(
        r
        for r in range(table.model().rowCount())
        if table.model().index(r, 0).data(Qt.ItemDataRole.UserRole + 1) == first.id
    )
    rect = table.visualRect(table.model().index(row, 1))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.desk.current_span.id == first.id
    assert article(window).cursor_offset() == first.start
    overlay = article(window).extraSelections()[0]  # the flash is drawn over it for a moment
    assert overlay.cursor.selectionStart() == article(window).offsets.to_qt(first.start)
    # the label hotkey works from the table too
    qtbot.keyClick(table, Qt.Key.Key_3)
    assert window.project.span(first.id).label == "casualty_report"


def test_choosing_a_table_row_scrolls_to_and_flashes_the_span(qtbot, window):
    view = article(window)
    window.resize(700, 420)
    window.zoom(8)  # the article is now several screens long
    last = make_span(qtbot, window, "the entire year")  # its last words
    make_span(qtbot, window, "Islamic state")
    view.verticalScrollBar().setValue(0)  # the end of the article is out of sight
    assert not view.viewport().rect().contains(view.cursorRect(_cursor_at(view, last.start)))
    table = window.desk.span_table
    row = next(
        r
        for r in range(table.model().rowCount())
        if table.model().index(r, 0).data(Qt.ItemDataRole.UserRole + 1) == last.id
    )
    with qtbot.waitSignal(view.sig_flash_finished, timeout=5000):
        qtbot.mouseClick(
            table.viewport(),
            Qt.MouseButton.LeftButton,
            pos=table.visualRect(table.model().index(row, 1)).center(),
        )
        assert view.viewport().rect().contains(view.cursorRect(_cursor_at(view, last.start)))
        overlay, flash = view.extraSelections()
        span_range = (view.offsets.to_qt(last.start), view.offsets.to_qt(last.end))
        assert (flash.cursor.selectionStart(), flash.cursor.selectionEnd()) == span_range
        assert view.is_flashing()
        qtbot.waitUntil(lambda: not view.is_flashing())  # it blinks off...
        qtbot.waitUntil(view.is_flashing)  # ...and on again
    [overlay] = view.extraSelections()  # then only the current-span overlay stays
    assert (overlay.cursor.selectionStart(), overlay.cursor.selectionEnd()) == span_range
    assert not view.is_flashing()
    assert window.desk.current_span.id == last.id


def _cursor_at(view, offset: int):
    from PySide6.QtGui import QTextCursor

    cursor = QTextCursor(view.document())
    cursor.setPosition(view.offsets.to_qt(offset))
    return cursor


def test_delete_removes_the_current_span(qtbot, window, project_path):
    make_span(qtbot, window, "Islamic state")
    qtbot.keyClick(article(window), Qt.Key.Key_Delete)
    assert stored_spans(project_path, window.ids["sample"]) == []
    assert window.desk.span_model.rowCount() == 0
    assert window.desk.current_span is None


def test_f2_edits_the_note(qtbot, window, project_path, monkeypatch):
    make_span(qtbot, window, "Islamic state")
    monkeypatch.setattr(NOTE_DIALOG, lambda *a: ("  check <b>this</b> ", True))
    qtbot.keyClick(article(window), Qt.Key.Key_F2)
    [span] = stored_spans(project_path, window.ids["sample"])
    assert span.note == "check <b>this</b>"
    assert window.desk.span_model.index(0, 3).data() == "check <b>this</b>"


@pytest.mark.parametrize(
    ("keys", "expected"),
    [
        ((Qt.Key.Key_Right, ALT), "the militants of"),
        ((Qt.Key.Key_Left, ALT), "the"),
        ((Qt.Key.Key_Left, ALT | SHIFT), "they the militants"),
        ((Qt.Key.Key_Right, ALT | SHIFT), "militants"),
    ],
)
def test_grow_and_shrink_by_a_word(qtbot, window, project_path, keys, expected):
    text = "that they the militants of banned"
    doc_id, _ = window.project.import_document(
        NewDocument(text=text, title="words"), annotator="tester"
    )
    window.desk.reload_documents()
    window.desk.open_document(doc_id)
    select_with_keys(qtbot, window, text.index("the militants"), len("the militants"))
    qtbot.keyClick(article(window), Qt.Key.Key_1)
    qtbot.keyClick(article(window), *keys)
    [span] = stored_spans(project_path, doc_id)
    assert span.text == expected


def test_grow_by_a_character_when_snapping_is_off(qtbot, window, project_path):
    window.snap_action.trigger()
    make_span(qtbot, window, "Islamic state")
    qtbot.keyClick(article(window), Qt.Key.Key_Right, ALT)
    qtbot.keyClick(article(window), Qt.Key.Key_Left, ALT | SHIFT)
    [span] = stored_spans(project_path, window.ids["sample"])
    assert span.text == "“Islamic state”"


def test_shrinking_to_nothing_is_refused(qtbot, window, project_path):
    make_span(qtbot, window, "Islamic")
    qtbot.keyClick(article(window), Qt.Key.Key_Left, ALT)
    assert [s.text for s in stored_spans(project_path, window.ids["sample"])] == ["Islamic"]
    assert "cannot shrink" in window.statusBar().currentMessage()


def test_duplicate_span_shows_the_error_and_changes_nothing(qtbot, window, project_path):
    make_span(qtbot, window, "Islamic state")
    make_span(qtbot, window, "Islamic state")
    assert len(stored_spans(project_path, window.ids["sample"])) == 1
    assert "already exists" in window.statusBar().currentMessage()
    assert window.desk.span_model.rowCount() == 1


# ---------------------------------------------------------------------- Unicode
def unicode_span(qtbot, window, project_path, needle: str, snap=True):
    open_doc(qtbot, window, "unicode")
    start = UNICODE_TEXT.index(needle)
    view = article(window)
    # a drag between the exact pixels, whatever Qt's positions are
    drag(qtbot, window, start, start + len(needle))
    qtbot.keyClick(view, Qt.Key.Key_1, Qt.KeyboardModifier.NoModifier if snap else ALT)
    spans = stored_spans(project_path, window.ids["unicode"])
    check_span_texts(project_path, window.ids["unicode"])
    return spans


@pytest.mark.parametrize(
    "needle",
    [
        "firetrucks",  # after a ZWJ emoji with a skin tone (Qt is 3 positions ahead)
        "society",  # after a CRLF and a combining accent
        "met\u00a0today",  # NBSP inside
        "الهجوم",  # Arabic, after two CRLFs
        "שהמסוק",  # Hebrew, after U+2028
        "end",  # after U+2029 and another emoji
    ],
)
def test_offsets_after_emoji_crlf_and_rtl(qtbot, window, project_path, needle):
    [span] = unicode_span(qtbot, window, project_path, needle)
    assert span.text == needle
    assert (span.start, span.end) == (
        UNICODE_TEXT.index(needle),
        UNICODE_TEXT.index(needle) + len(needle),
    )


def test_selecting_the_emoji_takes_the_whole_cluster(qtbot, window, project_path):
    open_doc(qtbot, window, "unicode")
    put_cursor(window, 0)
    qtbot.keyClick(article(window), Qt.Key.Key_Right, SHIFT)  # Qt moves by grapheme
    qtbot.keyClick(article(window), Qt.Key.Key_1, ALT)
    [span] = stored_spans(project_path, window.ids["unicode"])
    assert span.text == "👨🏻\u200d🚒"


def test_span_across_a_crlf_keeps_both_characters(qtbot, window, project_path):
    open_doc(qtbot, window, "unicode")
    start = UNICODE_TEXT.index("firetrucks")
    end = UNICODE_TEXT.index(" society")
    select_with_keys(qtbot, window, start, 0)
    view = article(window)
    for _ in range(len("firetrucks") + 1 + len("café")):  # Qt: one break; é is one cluster
        qtbot.keyClick(view, Qt.Key.Key_Right, SHIFT)
    qtbot.keyClick(view, Qt.Key.Key_1, ALT)
    [span] = stored_spans(project_path, window.ids["unicode"])
    assert span.text == UNICODE_TEXT[start:end] == "firetrucks\r\ncafe\u0301"
