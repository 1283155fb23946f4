"""Moving between documents, statuses, the filter, the annotator and literal HTML."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog

from tests.gui.conftest import HTML_TEXT, HTML_TITLE
from tests.gui.helpers import article, open_doc, select_with_keys, settle, stored_spans

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


def test_next_and_previous_document_keys(qtbot, window):
    view = article(window)
    qtbot.keyClick(view, Qt.Key.Key_PageDown, CTRL)
    assert window.desk.document.id == window.ids["unicode"]
    assert window.focusWidget() is article(window)
    qtbot.keyClick(article(window), Qt.Key.Key_PageDown, CTRL)
    assert window.desk.document.id == window.ids["html"]
    qtbot.keyClick(article(window), Qt.Key.Key_PageDown, CTRL)
    assert window.desk.document.id == window.ids["html"]
    assert window.statusBar().currentMessage() == "No more documents"
    qtbot.keyClick(article(window), Qt.Key.Key_PageUp, CTRL)
    assert window.desk.document.id == window.ids["unicode"]
    current = window.desk.document_list.currentIndex()
    assert current.data(Qt.ItemDataRole.UserRole + 1) == window.ids["unicode"]


def test_switching_documents_shows_their_own_spans(qtbot, window):
    start = window.desk.document.text.index("Islamic")
    select_with_keys(qtbot, window, start, 7)
    qtbot.keyClick(article(window), Qt.Key.Key_1)
    open_doc(qtbot, window, "unicode")
    assert window.desk.span_model.rowCount() == 0
    assert article(window).toPlainText().startswith("👨🏻\u200d🚒")
    open_doc(qtbot, window, "sample")
    assert window.desk.span_model.rowCount() == 1
    assert window.desk.document_model.summary(window.ids["sample"]).span_count == 1


def test_toggle_status_and_progress(qtbot, window, project_path):
    status_label = window._progress_label
    assert status_label.text() == "0 / 3 documents done"
    qtbot.keyClick(article(window), Qt.Key.Key_Return, CTRL)
    with window.project.__class__.open(project_path, created_by="tester") as other:
        assert other.status(window.ids["sample"], "tester") == "done"
    assert status_label.text() == "1 / 3 documents done"
    assert window.statusBar().currentMessage() == "Saved"
    index = window.desk.document_list.currentIndex().siblingAtColumn(1)
    assert index.data() == "done"
    qtbot.keyClick(article(window), Qt.Key.Key_Return, CTRL)
    assert window.project.status(window.ids["sample"], "tester") == "in_progress"
    assert status_label.text() == "0 / 3 documents done"


def test_jump_to_next_document_not_done(qtbot, window):
    window.project.set_status(window.ids["unicode"], "done", annotator="tester")
    window.desk.reload_documents()
    qtbot.keyClick(article(window), Qt.Key.Key_PageDown, CTRL | SHIFT)
    assert window.desk.document.id == window.ids["html"]
    qtbot.keyClick(article(window), Qt.Key.Key_PageDown, CTRL | SHIFT)
    assert window.desk.document.id == window.ids["sample"]  # wraps around


def test_status_filter_hides_done_documents(qtbot, window):
    qtbot.keyClick(article(window), Qt.Key.Key_Return, CTRL)
    combo = window.desk.status_filter
    combo.setCurrentIndex(combo.findText("Not done"))
    view = window.desk.document_list
    shown = [view.model().index(r, 0).data() for r in range(view.model().rowCount())]
    assert len(shown) == 2
    assert window.desk.document_model.summary(window.ids["sample"]).title not in shown
    combo.setCurrentIndex(combo.findText("Done"))
    assert view.model().rowCount() == 1


def test_change_annotator(qtbot, window, project_path, monkeypatch):
    start = window.desk.document.text.index("Islamic")
    select_with_keys(qtbot, window, start, 7)
    qtbot.keyClick(article(window), Qt.Key.Key_1)
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("ann2", True)))
    action = next(a for a in window._actions if a.text() == "Change &annotator…")
    action.trigger()
    assert window.session.annotator == "ann2"
    assert window._annotator_label.text() == "Annotator: ann2"
    settle(qtbot)
    assert window.desk.span_model.rowCount() == 0  # ann2 has no spans yet
    select_with_keys(qtbot, window, start, 7)
    qtbot.keyClick(article(window), Qt.Key.Key_2)
    spans = stored_spans(project_path, window.ids["sample"])
    assert sorted((s.annotator, s.label) for s in spans) == [
        ("ann2", "denial"),
        ("tester", "claim"),
    ]


def test_html_title_and_text_are_shown_literally(qtbot, window):
    open_doc(qtbot, window, "html")
    assert article(window).toPlainText() == HTML_TEXT
    view = window.desk.document_list
    titles = [view.model().index(r, 0).data() for r in range(view.model().rowCount())]
    assert HTML_TITLE in titles
    tooltip = window.desk.label_bar.button("claim").toolTip()
    assert tooltip.startswith("<qt>") and "&lt;" not in window.project.labels()[0].description
    start = HTML_TEXT.index("<i>")
    select_with_keys(qtbot, window, start, len("<i>article</i>"))
    qtbot.keyClick(article(window), Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)
    [span] = window.project.spans(window.ids["html"])
    assert span.text == "<i>article</i>"
    assert window.desk.span_model.index(0, 1).data() == "<i>article</i>"
