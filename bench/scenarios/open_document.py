"""Scenario 2: open a 2,000,000-character article with 20,000 spans from the document list.

App: the window shows the short article; the clock runs from a mouse click on the long
article's row until its text and highlights are drawn (a synchronous ``viewport().repaint()``,
then pending events processed). One sample per process: the first open of a session, as cold
as the user's.

Baseline: a bare QPlainTextEdit showing the short article; ``setPlainText(long text)``,
``viewport().repaint()``, pending events processed. The text is already in memory (read
before the clock).
"""

from __future__ import annotations

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
        article = window.desk.article
        extra = {
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
