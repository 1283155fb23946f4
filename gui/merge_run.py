"""A merge of other project files as work for the ``TaskRunner``, and its report.

Core merges each file in its own transaction and reports progress document by document; Cancel
raises at the next report, which rolls back the file being merged (whole) and keeps the files
before it, so the summary says exactly which files are in.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from claimmark.core.backups import take_backup
from claimmark.core.merge.run import merge_files
from claimmark.core.merge.summary import MergeSummary
from claimmark.core.model import ClaimmarkError
from claimmark.core.project import Project

from .task_runner import Cancelled, Progress, Work


def merge_work(paths: Sequence[Path], annotator: str) -> Work:
    """Merge ``paths`` into the runner's connection to the project, performed by ``annotator``."""

    def work(project: Project, progress: Progress) -> MergeSummary:
        summary = MergeSummary(total=len(paths))
        problem = _backup_before(project)
        try:
            progress(0, 1, f"Checking {len(paths)} file(s)…")
            merge_files(project, paths, by=annotator, progress=progress, summary=summary)
        except Cancelled:
            summary.cancelled = True
        if problem:
            summary.notes.append(problem)
        return summary

    return work


def _backup_before(project: Project) -> str | None:
    """A merge is a big change: keep the project as it was, as the CLI does."""
    if project.path is None or not project.document_count():
        return None
    try:
        take_backup(project, only_if_changed=True)
    except (ClaimmarkError, OSError) as exc:
        return f"No backup was taken before this merge: {exc}"
    return None


def merge_report(summary: MergeSummary) -> str:
    """The summary's body: each file's counts and every conflict, one per line."""
    return "\n".join([*summary.notes, *summary.lines()])
