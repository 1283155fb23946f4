"""Scenario 2: open a 2,000,000-character article with 20,000 spans from the document list.

App: the window shows the short article; the clock runs from a mouse click on the long
article's row until its text and highlights are drawn (a synchronous ``viewport().repaint()``,
then pending events processed). One sample per process: the first open of a session, as cold
as the user's. The span table fills on a later turn of the event loop; the time until it has
every span and is painted too is reported beside the budgeted figure ("table filled too").

Baseline: a bare QPlainTextEdit showing the short article; ``setPlainText(long text)``,
``viewport().repaint()``, pending events processed. The text is already in memory (read
before the clock).
"""

from __future__ import annotations

import time
from pathlib import Path

from ..corpus import copy_project
from ..measure import Stopwatch
from . import long_article as la
from . import qt_support as qt


def run(variant: str, params: dict) -> dict:
    tmp = Path(params["tmp"])
    qt.application(tmp)
    path = copy_project(Path(params["project"]), tmp)
    watch = Stopwatch()
    if variant == "app":
        window = la.app_window(path, tmp)
        with watch.timed():
            la.click_long_article(window)
        desk = window.desk
        spans = len(desk.span_rows())  # the bench's own count: off the clock
        t0 = time.perf_counter()
        qt.wait_until(lambda: desk.span_model.rowCount() == spans, 60, "the span table")
        desk.span_table.viewport().repaint()
        qt.drain()
        table_filled_ms = watch.samples[-1] + (time.perf_counter() - t0) * 1000
        article = window.desk.article
        extra = {
            "table_filled_ms": table_filled_ms,
            "text_chars": len(window.desk.document.text),
            "spans": len(window.desk.spans()),
            "blocks": article.document().blockCount(),
            "highlighted_blocks": article.highlighter.highlighted_blocks,
            "leftover_events_ms": qt.drain(),
        }
    else:
        small, big = la.texts(path)
        edit = la.bare_with_short(small)
        with watch.timed():
            la.bare_switch(edit, big)
        extra = {"text_chars": len(big), "leftover_events_ms": qt.drain()}
    return watch.result(extra)
