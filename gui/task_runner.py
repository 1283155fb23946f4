"""One way to run a long operation (import, export, agreement, merge) off the GUI thread.

The work is a plain function of a ``Project`` and a ``Progress``. It runs on a worker thread
with its own connection to the project file (a SQLite connection belongs to the thread that
opened it), so the window keeps painting and Cancel is a click, not a ``processEvents`` loop
that lets any other action run half-way through. The work calls ``progress(done, total,
text)`` at its safe points (between two files, between two documents); after Cancel that call
raises ``Cancelled``, and the work's own atomicity (a file per transaction, an export staged
then moved) leaves nothing half-written.

A project with no file (in memory, as in some tests and scripts) cannot be opened twice, so its
work runs on the GUI thread with the same ``Progress``, Cancel included.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal

from claimmark.core.project import Project

#: At most this often does the worker tell the GUI how far it got (signals cost, and a bar
#: updated a thousand times a second shows nothing more).
PROGRESS_INTERVAL_S = 0.05

Work = Callable[[Project, "Progress"], Any]


class Cancelled(Exception):
    """Raised by ``Progress`` at the work's next safe point after Cancel was pressed."""


class Progress:
    """What the work calls at its safe points: reports how far it got, and stops it there."""

    def __init__(self, report: Callable[[int, int, str], None]) -> None:
        self._report = report
        self._cancel = threading.Event()
        self._last = 0.0
        self._last_done: int | None = None
        self._last_text = ""

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def __call__(self, done: int, total: int, text: str = "") -> None:
        now = time.monotonic()
        # A new stage name at the same count (agreement's stages) is always worth showing.
        new_stage = done == self._last_done and text != self._last_text
        if done >= total or new_stage or now - self._last >= PROGRESS_INTERVAL_S:
            self._last, self._last_done, self._last_text = now, done, text
            self._report(done, total, text)
        if self._cancel.is_set() and done < total:
            raise Cancelled


class _Worker(QThread):
    #: done, total, text (queued to the GUI thread)
    sig_progress = Signal(int, int, str)

    def __init__(self, path, work: Work, parent: QObject) -> None:
        super().__init__(parent)
        self._path, self._work = path, work
        self.progress = Progress(self.sig_progress.emit)
        self.outcome: tuple[str, Any] = ("cancelled", None)

    def run(self) -> None:
        try:
            with Project.open(self._path) as project:  # the work names who performs it
                self.outcome = ("finished", self._work(project, self.progress))
        except Cancelled:
            self.outcome = ("cancelled", None)
        except Exception as exc:  # handed to the GUI thread, which says what went wrong
            self.outcome = ("failed", exc)


class TaskRunner(QObject):
    """Runs one piece of work at a time and hands its outcome to the callbacks it came with."""

    #: done, total, text
    sig_progress = Signal(int, int, str)
    #: True when a run starts, False when it has ended (its callback already called)
    sig_running_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._worker: _Worker | None = None
        self._inline: Progress | None = None
        self._callbacks: dict[str, Callable[[Any], None]] = {}

    def is_running(self) -> bool:
        return self._worker is not None or self._inline is not None

    def start(
        self,
        project: Project,
        work: Work,
        *,
        finished: Callable[[Any], None],
        failed: Callable[[Exception], None],
        cancelled: Callable[[], None],
    ) -> None:
        """Run ``work`` on its own connection to ``project``'s file (inline without a file);
        then exactly one of ``finished(result)``, ``failed(exception)``, ``cancelled()``."""
        if self.is_running():
            raise RuntimeError("a long operation is already running")
        self._callbacks = {
            "finished": finished,
            "failed": failed,
            "cancelled": lambda _none: cancelled(),
        }
        if project.path is None:
            self._run_inline(project, work)
            return
        worker = _Worker(project.path, work, self)
        worker.sig_progress.connect(self.sig_progress)
        worker.finished.connect(self._on_worker_finished)
        self._worker = worker
        self.sig_running_changed.emit(True)
        worker.start()

    def cancel(self) -> None:
        """Ask the work to stop at its next safe point; the ``cancelled`` callback follows."""
        if self._worker is not None:
            self._worker.progress.cancel()
        elif self._inline is not None:
            self._inline.cancel()

    def wait(self) -> None:
        """Block until the worker thread is done and its outcome handed on."""
        if self._worker is not None:
            self._worker.wait()
            self._on_worker_finished()

    def _on_worker_finished(self) -> None:
        worker, self._worker = self._worker, None
        if worker is None:
            return  # already handed on (``wait`` ran first)
        worker.deleteLater()
        self._hand_on(*worker.outcome)

    def _run_inline(self, project: Project, work: Work) -> None:
        self._inline = Progress(self.sig_progress.emit)
        self.sig_running_changed.emit(True)
        try:
            outcome: tuple[str, Any] = ("finished", work(project, self._inline))
        except Cancelled:
            outcome = ("cancelled", None)
        except Exception as exc:
            outcome = ("failed", exc)
        finally:
            self._inline = None
        self._hand_on(*outcome)

    def _hand_on(self, how: str, value: Any) -> None:
        callback, self._callbacks = self._callbacks[how], {}
        try:
            callback(value)
        finally:
            self.sig_running_changed.emit(False)
