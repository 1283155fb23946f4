"""Scenarios 1b and 2b: the desk with two other annotators' layers shown beside your own.

1b (``label_layers``): scenario 1's label action, timed the same way, but near the end of the
2,000,000-character article with 20,000 spans of your own and 20,000 of each of two other
annotators shown (outlined, read-only, listed in the span table), with the history panel open.
Targets lie in the last tenth of the text. Baseline: scenario 1's (a bare INSERT + COMMIT and a
bare editor's repaint, on the same text).

2b (``open_layers``): scenario 2's open of the long article, clicked in the document list, with
the two other layers ticked in the Layers panel beforehand (three layers shown). Baseline:
scenario 2's bare ``setPlainText``. The desk reads the other layers' spans on the first page
before painting it and the rest a part per turn of the event loop afterwards; the time until
every one is read and the span table lists all 60,000 and is painted is reported beside the
budgeted figure ("other layers read, table filled too").
"""

from __future__ import annotations

import time
from pathlib import Path

from ..corpus import OTHER_LAYERS, copy_project
from ..measure import Stopwatch
from . import label_action
from . import long_article as la
from . import qt_support as qt

#: Label targets lie after this fraction of the text: "near the end".
NEAR_END = 0.9


def run(variant: str, params: dict) -> dict:
    tmp = Path(params["tmp"])
    qt.application(tmp)
    path = copy_project(Path(params["project"]), tmp)
    if params["scenario"] == "label_layers":
        count, seed = params["actions"], params["seed"]
        if variant == "app":
            return label_action._app(path, tmp, count, seed, _long_article_with_layers, NEAR_END)
        return label_action._baseline(path, tmp, count, seed, la.BIG_ID, NEAR_END)
    return _open(variant, path, tmp)


def _show_other_layers(window) -> None:
    layers = window.desk.layers_panel.model
    for layer in OTHER_LAYERS:
        if not layers.set_shown(layer, True):
            raise AssertionError(f"layer {layer} is not listed in the Layers panel")


def _long_article_with_layers(window) -> dict:
    """Off the clock: the long article open, two other layers shown, the history panel open."""
    la.click_long_article(window)
    _show_other_layers(window)
    window.history_dock.show()
    qt.drain()
    desk = window.desk
    qt.wait_until(lambda: desk.model.others_complete, 60, "the other layers")
    shown = len(desk.model.others)
    if shown == 0:
        raise AssertionError("the other layers' spans are not shown")
    qt.wait_until(lambda: window.history.document_section.model.rowCount() > 0, 60, "history")
    return {"other_layer_spans_shown": shown, "history_reads_before": window.history.reads}


def _open(variant: str, path: Path, tmp: Path) -> dict:
    watch = Stopwatch()
    if variant == "app":
        window = la.app_window(path, tmp)
        _show_other_layers(window)
        qt.drain()
        with watch.timed():
            la.click_long_article(window)
        desk = window.desk
        t0 = time.perf_counter()
        qt.wait_until(lambda: desk.model.others_complete, 60, "the other layers")
        rows = len(desk.model.own) + len(desk.model.others)
        qt.wait_until(lambda: desk.span_model.rowCount() == rows, 60, "the span table")
        desk.span_table.viewport().repaint()
        qt.drain()
        settled_ms = watch.samples[-1] + (time.perf_counter() - t0) * 1000
        extra = {
            "settled_ms": settled_ms,
            "own_spans": len(desk.model.own),
            "other_layer_spans": len(desk.model.others),
            "leftover_events_ms": qt.drain(),
        }
    else:
        small, big = la.texts(path)
        edit = la.bare_with_short(small)
        with watch.timed():
            la.bare_switch(edit, big)
        extra = {"text_chars": len(big), "leftover_events_ms": qt.drain()}
    return watch.result(extra)
