"""The one runner for long operations: its own thread and connection, one outcome, Cancel."""

from __future__ import annotations

import tempfile
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from claimmark.core.project import NewDocument, Project
from claimmark.gui.task_progress import TaskProgress
from claimmark.gui.task_runner import Cancelled, TaskRunner
from tests.gui.helpers import HeldAtProgress


def run(qtbot, runner: TaskRunner, project: Project, work) -> list:
    outcome: list = []
    runner.start(
        project,
        work,
        finished=lambda value: outcome.append(("finished", value)),
        failed=lambda exc: outcome.append(("failed", exc)),
        cancelled=lambda: outcome.append(("cancelled", None)),
    )
    qtbot.waitUntil(lambda: bool(outcome) and not runner.is_running(), timeout=20_000)
    return outcome


def test_work_runs_on_its_own_thread_and_connection_and_writes_for_the_gui(
    qtbot, project, project_path
):
    runner = TaskRunner()
    seen = {}

    def work(other: Project, progress) -> str:
        seen["thread"] = threading.get_ident()
        seen["same project"] = other is project
        progress(0, 1)
        doc_id, _ = other.import_document(
            NewDocument(text="Written off the GUI thread.", title="w"), annotator="t"
        )
        progress(1, 1)
        return doc_id

    [(how, doc_id)] = run(qtbot, runner, project, work)
    assert how == "finished"
    assert seen == {"thread": seen["thread"], "same project": False}
    assert seen["thread"] != threading.get_ident()
    assert project.document(doc_id).text == "Written off the GUI thread."  # committed, seen


def test_an_error_in_the_work_is_handed_to_failed(qtbot, project):
    def work(_project, _progress):
        raise ValueError("bad input at line 3")

    [(how, exc)] = run(qtbot, TaskRunner(), project, work)
    assert how == "failed" and str(exc) == "bad input at line 3"


def test_cancel_stops_at_the_next_safe_point_and_progress_arrives(qtbot, project, monkeypatch):
    runner = TaskRunner()
    reports = []
    runner.sig_progress.connect(lambda done, total, text: reports.append((done, total, text)))
    steps = []
    held = HeldAtProgress(monkeypatch, at=2)
    box = TaskProgress(runner, "Working", "Starting…", None, name="testProgress")
    qtbot.addWidget(box)

    def work(_project, progress):
        for step in range(10):
            progress(step, 10, f"step {step}")
            steps.append(step)
        return "never"

    outcome = []
    runner.start(
        project,
        work,
        finished=lambda value: outcome.append(value),
        failed=lambda exc: outcome.append(exc),
        cancelled=lambda: outcome.append("cancelled"),
    )
    qtbot.waitUntil(held.reached.is_set)
    qtbot.waitUntil(box.isVisible)  # the GUI thread is free: the box came up by itself
    qtbot.waitUntil(lambda: (0, 10, "step 0") in reports)
    box.grab().save(str(Path(tempfile.gettempdir()) / "l3-task-progress.png"))
    qtbot.mouseClick(box.cancel_button, Qt.MouseButton.LeftButton)
    assert not box.cancel_button.isEnabled()
    held.release()
    qtbot.waitUntil(lambda: outcome == ["cancelled"])
    assert steps == [0, 1]  # step 2 was never done


def test_a_project_without_a_file_runs_inline(qtbot):
    with Project.open(None, created_by="t") as memory:
        [(how, value)] = run(qtbot, TaskRunner(), memory, lambda p, progress: p.document_count())
    assert (how, value) == ("finished", 0)


def test_progress_raises_cancelled_only_before_the_end():
    from claimmark.gui.task_runner import Progress

    progress = Progress(lambda *a: None)
    progress.cancel()
    with pytest.raises(Cancelled):
        progress(1, 3)
    progress(3, 3)  # the work is done: nothing left to stop


def test_progress_is_thinned_by_count_but_every_stage_name_is_shown():
    from claimmark.gui.task_runner import Progress

    reports = []
    progress = Progress(lambda *a: reports.append(a))
    for done in range(1000):
        progress(done, 1000, f"file {done}")
    assert (1 <= len(reports) < 100 and reports[-1] == (999, 1000, "file 999")) or len(
        reports
    ) < 100
    stages = []
    staged = Progress(lambda *a: stages.append(a[2]))
    for stage in ("reading", "pairing", "counting"):
        staged(0, 1, stage)
    assert stages == ["reading", "pairing", "counting"]
