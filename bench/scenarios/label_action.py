"""Scenario 1: label a selection with a hotkey in an article that already holds many spans.

App: the real MainWindow; the selection is set on the article's QTextCursor (what a drag or a
Shift+arrow selection leaves behind), then the hotkey is pressed with ``QTest.keyClick``. The
clock runs from the key press until the span is committed (the session commits before it
announces the change) and the highlighter has re-highlighted, events are processed and the
viewport has been repainted (``viewport().repaint()``, synchronous).

Baseline: one INSERT + COMMIT into a bare SQLite file with the same pragmas (WAL,
synchronous=FULL), plus ``viewport().repaint()`` of a bare QPlainTextEdit holding the same text
with the same selection.
"""

from __future__ import annotations

import random
import sqlite3
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtTest import QTest

from claimmark.core.offsets import OffsetMap
from claimmark.core.project import Project
from claimmark.core.word_snapping import snap_to_words

from ..corpus import ANNOTATOR, copy_project
from ..measure import Stopwatch
from ..text_gen import words
from . import qt_support as qt


def _targets(
    text: str,
    taken: set[tuple[int, int, str]],
    hotkeys: dict[str, str],
    count: int,
    seed: int,
    from_fraction: float = 0.0,
) -> list[tuple[int, int, str]]:
    """(start, end, hotkey) selections spread over the text (over its part after
    ``from_fraction`` of it), none duplicating a stored span.

    Duplicates are checked on the range after word snapping, which is what the app stores.
    """
    rng = random.Random(seed)
    word_list = [w for w in words(text) if w[0] >= len(text) * from_fraction]
    keys = sorted(hotkeys)
    chosen: list[tuple[int, int, str]] = []
    taken = set(taken)
    while len(chosen) < count:
        i = rng.randrange(len(word_list))
        j = min(len(word_list) - 1, i + rng.randint(0, 4))
        start, end = word_list[i][0], word_list[j][1]
        hotkey = rng.choice(keys)
        snapped = snap_to_words(text, start, end)
        if snapped is None or (*snapped, hotkeys[hotkey]) in taken:
            continue
        taken.add((*snapped, hotkeys[hotkey]))
        chosen.append((start, end, hotkey))
    return chosen


def _select(view, offsets: OffsetMap, start: int, end: int) -> None:
    cursor = view.textCursor()
    cursor.setPosition(offsets.to_qt(start))
    cursor.setPosition(offsets.to_qt(end), QTextCursor.MoveMode.KeepAnchor)
    view.setTextCursor(cursor)
    view.ensureCursorVisible()


def _settle(view) -> None:
    """Untimed: let the selection's own repaint happen before the clock starts."""
    qt.drain()
    view.viewport().repaint()
    qt.drain()


def run(variant: str, params: dict) -> dict:
    tmp = Path(params["tmp"])
    qt.application(tmp)
    path = copy_project(Path(params["project"]), tmp)
    count = params["actions"]
    return (_app if variant == "app" else _baseline)(path, tmp, count, params["seed"])


def _app(
    path: Path,
    tmp: Path,
    count: int,
    seed: int,
    prepare: Callable[[Any], dict] | None = None,
    from_fraction: float = 0.0,
) -> dict:
    """``prepare`` readies the window off the clock (another document, layers, panels) and
    returns what to report about it; targets lie after ``from_fraction`` of the text."""
    project = Project.open(path, created_by=ANNOTATOR)
    window = qt.open_main_window(project, tmp)
    prepared = prepare(window) if prepare is not None else {}
    desk = window.desk
    article = desk.article
    highlighter = article.highlighter
    document = desk.document
    hotkeys = {label.hotkey: label.key for label in project.labels() if label.hotkey}
    taken = {(s.start, s.end, s.label) for s in project.spans(document.id)}
    targets = _targets(document.text, taken, hotkeys, count, seed, from_fraction)
    checker = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    watch = Stopwatch()
    leftovers = []
    for start, end, hotkey in targets:
        _select(article, article.offsets, start, end)
        _settle(article)
        before = highlighter.highlighted_blocks
        with watch.timed():
            QTest.keyClick(article, getattr(Qt.Key, f"Key_{hotkey}"))
            qt.wait_until(
                lambda b=before: highlighter.highlighted_blocks > b, 10, "the re-highlight"
            )
            # repaint() first: it paints the article now and syncs the window's other dirty
            # widgets (span table, list); the event processing after it handles what is left.
            # The other order would paint the article twice (once for its pending update).
            article.viewport().repaint()
            qt.drain()
        leftovers.append(qt.drain())
        snapped = snap_to_words(document.text, start, end)
        stored = checker.execute(
            "SELECT count(*) FROM spans WHERE document_id = ? AND label = ? AND start = ?"
            ' AND "end" = ?',
            (document.id, hotkeys[hotkey], *snapped),
        ).fetchone()[0]
        if stored != 1:
            raise AssertionError(f"span {snapped} {hotkeys[hotkey]} is not in the project file")
    extra = {
        "spans_before": len(taken),
        "text_chars": len(document.text),
        "article_viewport": [article.viewport().width(), article.viewport().height()],
        "leftover_events_ms_median": sorted(leftovers)[len(leftovers) // 2],
        **prepared,
    }
    checker.close()
    window.close()
    return watch.result(extra)


def _baseline(
    path: Path, tmp: Path, count: int, seed: int, document: str | None = None, from_fraction=0.0
) -> dict:
    """``document``: the id of the document labelled (default: the first)."""
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    if document is None:
        (document_id, text), *_ = source.execute("SELECT id, text FROM documents ORDER BY rowid")
    else:
        document_id, text = source.execute(
            "SELECT id, text FROM documents WHERE id = ?", (document,)
        ).fetchone()
    taken = set(
        source.execute(
            'SELECT start, "end", label FROM spans WHERE document_id = ?', (document_id,)
        )
    )
    hotkeys = dict(source.execute("SELECT hotkey, key FROM labels WHERE hotkey IS NOT NULL"))
    source.close()
    targets = _targets(text, taken, hotkeys, count, seed, from_fraction)

    conn = sqlite3.connect(tmp / "bare.db", isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute(
        "CREATE TABLE spans (id TEXT PRIMARY KEY, document_id TEXT, label TEXT, start INTEGER,"
        ' "end" INTEGER, text TEXT, annotator TEXT, note TEXT, created_at TEXT, updated_at TEXT)'
    )
    edit = qt.bare_editor()
    edit.setPlainText(text)
    qt.show(edit)
    offsets = OffsetMap(text)
    watch = Stopwatch()
    for start, end, hotkey in targets:
        _select(edit, offsets, start, end)
        _settle(edit)
        row = (
            str(uuid.uuid4()),
            document_id,
            hotkeys[hotkey],
            start,
            end,
            text[start:end],
            ANNOTATOR,
            None,
            "2024-01-01T00:00:00Z",
            "2024-01-01T00:00:00Z",
        )
        with watch.timed():
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("INSERT INTO spans VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", row)
            conn.execute("COMMIT")
            edit.viewport().repaint()
        qt.drain()
    conn.close()
    edit.close()
    return watch.result({"text_chars": len(text)})
