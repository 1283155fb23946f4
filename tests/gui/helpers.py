"""Driving the article like a person: keys and drags, positions computed from the stored text."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextCursor

from claimmark.core.project import Project


def desk(window):
    return window.desk


def article(window):
    return window.desk.article


def open_doc(qtbot, window, key: str) -> None:
    """Open a document by clicking its row in the document list."""
    view = window.desk.document_list
    model = view.model()
    row = next(
        r
        for r in range(model.rowCount())
        if model.index(r, 0).data(Qt.ItemDataRole.UserRole + 1) == window.ids[key]
    )
    rect = view.visualRect(model.index(row, 0))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.desk.document.id == window.ids[key]
    settle(qtbot)


def settle(qtbot) -> None:
    """Let the span table follow the article (it fills on the event loop's next turn)."""
    qtbot.wait(20)


def put_cursor(window, offset: int) -> None:
    """Setup only: park the caret at a code-point offset (what a click would do)."""
    article(window).place_cursor(offset)


def select_with_keys(qtbot, window, start: int, chars: int) -> None:
    """Caret at ``start`` then Shift+Right ``chars`` times: a real keyboard selection."""
    put_cursor(window, start)
    view = article(window)
    for _ in range(chars):
        qtbot.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)


def point_of(window, offset: int) -> QPoint:
    """Viewport pixel of the gap before code point ``offset`` (from cursorRect)."""
    view = article(window)
    cursor = QTextCursor(view.document())
    cursor.setPosition(view.offsets.to_qt(offset))
    rect = view.cursorRect(cursor)
    return QPoint(rect.x() + 1, rect.center().y())


def drag(qtbot, window, start: int, end: int) -> None:
    view = article(window)
    a, b = point_of(window, start), point_of(window, end)
    viewport = view.viewport()
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=a)
    qtbot.mouseMove(viewport, pos=QPoint((a.x() + b.x()) // 2, b.y()))
    qtbot.mouseMove(viewport, pos=b)
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=b)


def stored_spans(path, document_id: str) -> list:
    with Project.open(path, created_by="x") as other:
        return other.spans(document_id)


def check_span_texts(path, document_id: str) -> None:
    with Project.open(path, created_by="x") as other:
        text = other.document(document_id).text
        for span in other.spans(document_id):
            assert text[span.start : span.end] == span.text


class MessageBoxes:
    """Stands in for the user in front of QMessageBox: records every box shown, modal or not,
    and answers modal ones by clicking the button whose text is in ``answers`` (else Ok/Cancel:
    the box's default)."""

    def __init__(self, monkeypatch, answers: tuple[str, ...] = ()) -> None:
        from PySide6.QtWidgets import QMessageBox

        self.shown: list[dict] = []
        self.answers = answers
        # Plain functions: a bound method set on the class would not receive the box.
        monkeypatch.setattr(QMessageBox, "exec", lambda box: self._exec(box))
        monkeypatch.setattr(QMessageBox, "show", lambda box: self._show(box))

    def _record(self, box, modal: bool) -> None:
        self.shown.append(
            {
                "title": box.windowTitle(),
                "text": box.text(),
                "plain": box.textFormat() == Qt.TextFormat.PlainText,
                "modal": modal,
                "buttons": [b.text() for b in box.buttons()],
            }
        )

    def _exec(self, box) -> int:
        self._record(box, modal=True)
        for button in box.buttons():
            if button.text() in self.answers:
                button.click()
                return 0
        default = box.defaultButton()
        if default is not None:
            default.click()
        return 0

    def _show(self, box) -> None:
        self._record(box, modal=False)

    def texts(self) -> list[str]:
        return [b["text"] for b in self.shown]


def file_state(path) -> list[str]:
    """Everything the project file holds, as SQL, read through a separate read-only connection:
    equal before and after means the file is unchanged (an event, a span, a label, a status)."""
    import sqlite3

    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


#: Where the desk asks for a note: tests that are not about the dialog answer it through this.
NOTE_DIALOG = "claimmark.gui.annotation_desk.ask_note"


def wait_for_runner(qtbot, window) -> None:
    """Wait until the window's import or export (on its worker thread) has ended."""
    qtbot.waitUntil(lambda: not window.runner.is_running(), timeout=30_000)


class HeldAtProgress:
    """Holds a long operation's worker at its report of ``at`` done until ``release()``: the
    test then clicks Cancel while the worker is known to be between two safe steps."""

    def __init__(self, monkeypatch, at: int) -> None:
        import threading

        from claimmark.gui.task_runner import Progress

        self.reached = threading.Event()
        self._released = threading.Event()
        original = Progress.__call__

        def call(progress, done, total, text=""):
            if done == at and not self.reached.is_set():
                self.reached.set()
                self._released.wait(20)
            return original(progress, done, total, text)

        monkeypatch.setattr(Progress, "__call__", call)

    def release(self) -> None:
        self._released.set()
