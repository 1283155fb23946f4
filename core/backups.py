"""Rotating backups of a project file, taken with SQLite's online backup API.

Copying the ``.db`` file of an open WAL database can miss recent commits, so backups always go
through ``Connection.backup``. They live in the user data folder, one folder per project (named
from the project's file name and a hash of its full path, so two ``news.db`` never share one), and
each backup's name carries its time and the project's event count, so "nothing changed since the
last backup" is visible without opening anything. Restoring is ``restore.py``'s.
"""

from __future__ import annotations

import hashlib
import os
import re
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from platformdirs import user_data_path

from .model import ClaimmarkError
from .project import Project
from .project_file import file_uri

KEEP = 10
_NAME = re.compile(r"(?P<stamp>\d{8}T\d{6}\d{6}Z)-e(?P<events>\d+)\.db\Z")


@dataclass(frozen=True, slots=True)
class Backup:
    path: Path
    taken_at: datetime
    events: int


def backup_folder(project_path: Path) -> Path:
    resolved = Path(project_path).resolve()
    digest = hashlib.sha256(str(resolved).encode("utf-8")).hexdigest()[:10]
    return user_data_path("claimmark", appauthor=False) / "backups" / f"{resolved.stem}-{digest}"


def list_backups(project_path: Path) -> list[Backup]:
    """Backups of ``project_path``, newest first."""
    folder = backup_folder(project_path)
    found = []
    for path in folder.glob("*.db") if folder.exists() else ():
        match = _NAME.match(path.name)
        if match:
            taken = datetime.strptime(match["stamp"], "%Y%m%dT%H%M%S%fZ").replace(tzinfo=UTC)
            found.append(Backup(path, taken, int(match["events"])))
    return sorted(found, key=lambda b: b.taken_at, reverse=True)


def take_backup(
    project: Project, *, keep: int = KEEP, only_if_changed: bool = False
) -> Backup | None:
    """Copy the project with the online backup API.

    Returns None, taking nothing, when ``only_if_changed`` and no event happened since the last.
    """
    if project.path is None:
        raise ClaimmarkError("an in-memory project has no file to back up")
    if only_if_changed and not _changed_since_last_backup(project):
        return None
    return copy_project_file(project.path, keep=keep)


def _changed_since_last_backup(project: Project) -> bool:
    existing = list_backups(project.path)
    return not existing or existing[0].events != project.event_count()


def copy_project_file(project_path: Path, *, keep: int = KEEP) -> Backup:
    """Back up the file at ``project_path`` through a read-only connection of its own.

    Its own connection makes it safe to run on any thread while the project stays open and in
    use: SQLite's backup copies a consistent snapshot, starting over if a write lands meanwhile.
    """
    source = sqlite3.connect(file_uri(project_path, "ro"), uri=True)
    try:
        events = source.execute("SELECT count(*) FROM events").fetchone()[0]
        folder = backup_folder(project_path)
        folder.mkdir(parents=True, exist_ok=True)
        now = datetime.now(UTC)
        target = folder / f"{now.strftime('%Y%m%dT%H%M%S%fZ')}-e{events}.db"
        partial = target.with_suffix(".part")
        destination = sqlite3.connect(partial)
        try:
            source.backup(destination)
        finally:
            destination.close()
    finally:
        source.close()
    os.replace(partial, target)
    for old in list_backups(project_path)[keep:]:
        old.path.unlink(missing_ok=True)
    return Backup(target, now, events)


class AutoBackup:
    """A backup when the project opens, then at most one per ``interval`` seconds of editing.

    It runs after a write has committed, so a failed backup (full disk, no backup folder) must
    not look like a failed write: it is passed to ``on_failure`` and annotating goes on. With
    ``background=True`` the copy runs on a thread (SQLite's backup releases the GIL), so a large
    project does not freeze the window while it is copied; ``wait()`` joins it.
    """

    def __init__(
        self,
        project: Project,
        *,
        interval: float = 600.0,
        keep: int = KEEP,
        on_failure: Callable[[Exception], None] | None = None,
        background: bool = False,
    ):
        self.project = project
        self.interval = interval
        self.keep = keep
        self.on_failure = on_failure
        self.background = background
        self._thread: threading.Thread | None = None
        self.last = time.monotonic()
        self._backup()
        project.commit_listeners.append(self._after_commit)

    def stop(self) -> None:
        if self._after_commit in self.project.commit_listeners:
            self.project.commit_listeners.remove(self._after_commit)
        self.wait()

    def wait(self, timeout: float | None = None) -> None:
        if self._thread is not None:
            self._thread.join(timeout)

    def _after_commit(self) -> None:
        if time.monotonic() - self.last >= self.interval:
            self.last = time.monotonic()
            self._backup()

    def _backup(self) -> None:
        try:
            if self.project.path is None or not _changed_since_last_backup(self.project):
                return
        except (OSError, sqlite3.Error) as exc:
            self._failed(exc)
            return
        if not self.background:
            self._copy()
        elif self._thread is None or not self._thread.is_alive():  # one copy at a time
            self._thread = threading.Thread(target=self._copy, name="claimmark-backup", daemon=True)
            self._thread.start()

    def _copy(self) -> None:
        try:
            copy_project_file(self.project.path, keep=self.keep)
        except (OSError, sqlite3.Error, ClaimmarkError) as exc:
            self._failed(exc)

    def _failed(self, exc: Exception) -> None:
        if self.on_failure is None:
            raise exc
        self.on_failure(exc)
