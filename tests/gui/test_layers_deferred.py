"""Opening a long document with another layer shown: the first page is drawn with that layer's
outlines at once, the rest of the layer is read while the window stays usable, and once it has
settled the table, the outlines and hit-testing hold every span, as a full read would."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

from claimmark.gui.document_list_model import DOCUMENT_ID_ROLE
from tests.gui.conftest import reopen
from tests.gui.helpers import article, point_of, settle
from tests.gui.test_layers import layer_rows, table_rows, toggle_layer

LONG = "".join(f"Paragraph {n}: the ministry denied the report.\n" for n in range(400))
NEEDLE = "ministry"


def import_long_with_alice(path) -> tuple[str, list[int]]:
    """A long article (many pages) with one span of alice's per paragraph, written elsewhere."""
    from claimmark.core.project import NewDocument

    with reopen(path) as other:
        document_id, _ = other.import_document(
            NewDocument(text=LONG, title="Long wire"), annotator="tester"
        )
        starts = [i for i in range(len(LONG)) if LONG.startswith(NEEDLE, i)]
        for start in starts:
            other.add_span(document_id, "claim", start, start + len(NEEDLE), annotator="alice")
    return document_id, starts


def show_alice_from_the_sample(qtbot, window, document_id: str) -> None:
    """Tick alice's layer (listed once a document of hers was open), then go back to the
    sample article: the long one is opened afresh with her layer shown."""
    qtbot.waitUntil(lambda: window.desk.document_model.row_of(document_id) is not None)
    click_document(qtbot, window, document_id)
    qtbot.waitUntil(lambda: any(row.startswith("alice") for row in layer_rows(window)))
    toggle_layer(qtbot, window, "alice")
    click_document(qtbot, window, window.ids["sample"])
    settle(qtbot)
    assert window.desk.model.shown_layers == {"alice"}


def click_document(qtbot, window, document_id: str) -> None:
    view = window.desk.document_list
    model = view.model()
    row = next(
        r
        for r in range(model.rowCount())
        if model.index(r, 0).data(DOCUMENT_ID_ROLE) == document_id
    )
    qtbot.mouseClick(
        view.viewport(),
        Qt.MouseButton.LeftButton,
        pos=view.visualRect(model.index(row, 0)).center(),
    )


def outline_pixels(window, start: int, end: int, label: str) -> int:
    """Pixels of ``label``'s colour on the line of ``[start, end)``, between its ends: the
    dashed outline of another layer's span (nothing else on that line has the colour)."""
    view = article(window)
    image = view.viewport().grab().toImage()
    color = view.highlighter.label_color(label).rgb()
    cursor = QTextCursor(view.document())
    cursor.setPosition(view.offsets.to_qt(start))
    line = view.cursorRect(cursor)
    x2 = point_of(window, end).x()
    return sum(
        1
        for x in range(line.x(), x2 + 2)
        for y in range(line.top(), line.bottom() + 1)
        if 0 <= x < image.width() and 0 <= y < image.height() and image.pixel(x, y) == color
    )


def test_long_document_opens_with_other_layer_drawn_and_settles_complete(
    qtbot, window, project_path
):
    document_id, starts = import_long_with_alice(project_path)
    show_alice_from_the_sample(qtbot, window, document_id)

    click_document(qtbot, window, document_id)
    assert window.desk.document.id == document_id
    # The first page, painted before the event loop turns, already shows alice's outline.
    view = article(window)
    view.viewport().repaint()
    first = starts[0]
    assert outline_pixels(window, first, first + len(NEEDLE), "claim") > 0
    assert layer_rows(window)[1] == "alice — …"  # not "0" while her layer is being read

    model = window.desk.model
    qtbot.waitUntil(lambda: model.others_complete)
    settle(qtbot)
    rows = table_rows(window)
    assert rows.count(("Claim", NEEDLE, "alice")) == len(starts) == 400
    assert layer_rows(window)[1] == "alice — 400"

    # The last paragraph: outlined when scrolled to, and a click on it finds alice's span.
    last = starts[-1]
    view.verticalScrollBar().setValue(view.verticalScrollBar().maximum())
    view.viewport().repaint()
    assert outline_pixels(window, last, last + len(NEEDLE), "claim") > 0
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point_of(window, last + 3))
    span = window.desk.current_span
    assert (span.annotator, span.start, span.text) == ("alice", last, NEEDLE)


def test_scrolling_before_the_layer_is_read_draws_what_is_on_screen(qtbot, window, project_path):
    """Scrolled to the end at once, before the event loop turns: the page painted there reads
    what it shows, so no outline is missing even mid-read."""
    document_id, starts = import_long_with_alice(project_path)
    show_alice_from_the_sample(qtbot, window, document_id)
    click_document(qtbot, window, document_id)
    view = article(window)
    view.verticalScrollBar().setValue(view.verticalScrollBar().maximum())
    view.viewport().repaint()
    last = starts[-1]
    assert outline_pixels(window, last, last + len(NEEDLE), "claim") > 0
