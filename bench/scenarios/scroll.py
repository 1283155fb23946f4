"""Scenario 3: scroll through the long article page by page, one repaint per page.

The long article is opened first (untimed), then the vertical scroll bar steps one page at a
time (``triggerAction(SliderPageStepAdd)``, what PgDn on the bar does); each frame's clock
covers the step and a synchronous ``viewport().repaint()``. Events pending after a frame are
processed untimed and their cost reported separately, so nothing hides there. Baseline: the
same scroll over a bare QPlainTextEdit with the same text.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QAbstractSlider

from ..corpus import copy_project
from ..measure import Stopwatch, median
from . import long_article as la
from . import qt_support as qt


def _scroll(view, max_frames: int | None) -> dict:
    bar = view.verticalScrollBar()
    bar.setValue(0)
    qt.drain()
    view.viewport().repaint()
    watch = Stopwatch()
    leftovers = []
    while bar.value() < bar.maximum() and (max_frames is None or len(watch.samples) < max_frames):
        with watch.timed():
            bar.triggerAction(QAbstractSlider.SliderAction.SliderPageStepAdd)
            view.viewport().repaint()
        leftovers.append(qt.drain())
    return watch.result(
        {
            "frames": len(watch.samples),
            "reached_end": bar.value() >= bar.maximum(),
            "leftover_events_ms_median": median(leftovers),
            "leftover_events_ms_max": max(leftovers, default=0.0),
        }
    )


def run(variant: str, params: dict) -> dict:
    tmp = Path(params["tmp"])
    qt.application(tmp)
    path = copy_project(Path(params["project"]), tmp)
    if variant == "app":
        window = la.app_window(path, tmp)
        la.click_long_article(window)
        view = window.desk.article
    else:
        small, big = la.texts(path)
        view = la.bare_with_short(small)
        la.bare_switch(view, big)
    return _scroll(view, params.get("max_frames"))
