"""Rotating backups of a project file, taken with SQLite's online backup API.

Copying the ``.db`` file of an open WAL database can miss recent commits, so backups always go
through ``Connection.backup``. They live in the user data folder, one folder per project (named
from the project's file name and a hash of its full path, so two ``news.db`` never share one), and
each backup's name carries its time, the project's event count and the start of its newest
event's hash, so "nothing changed since the last backup" is visible without opening anything.
Which backups are kept is ``backup_rotation.py``'s. Restoring is ``restore.py``'s.
"""

from __future__ import annotations

import contextlib
import errno
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

from .backup_rotation import RETENTION, Retention, to_keep
from .events import GENESIS_HASH
from .model import ClaimmarkError
from .project import Project
from .project_file import file_uri, read_mode

_NAME = re.compile(
    r"(?P<stamp>\d{8}T\d{6}\d{6}Z)-e(?P<events>\d+)(?:-(?P<head>[0-9a-f]{12}))?\.db\Z"
)


@dataclass(frozen=True, slots=True)
class Backup:
    path: Path
    taken_at: datetime
    events: int
    #: The first 12 hex digits of the newest event's hash (None in names from before it was kept).
    head: str | None = None

    def holds(self, events: int, head: str) -> bool:
        """Whether this backup already holds the project at ``events`` events ending in ``head``."""
        return self.events == events and (self.head is None or head.startswith(self.head))


def backup_folder(project_path: Path) -> Path:
    resolved = Path(project_path).resolve()
    digest = hashlib.sha256(str(resolved).encode("utf-8")).hexdigest()[:10]
    return user_data_path("claimmark", appauthor=False) / "backups" / f"{resolved.stem}-{digest}"


def list_backups(project_path: Path) -> list[Backup]:
    """Backups of ``project_path``, newest first."""
    folder = backup_folder(project_path)
    found = []
    for path in folder.glob("*.db") if folder.is_dir() else ():
        match = _NAME.match(path.name)
        if match:
            taken = datetime.strptime(match["stamp"], "%Y%m%dT%H%M%S%fZ").replace(tzinfo=UTC)
            found.append(Backup(path, taken, int(match["events"]), match["head"]))
    return sorted(found, key=lambda b: b.taken_at, reverse=True)


def take_backup(
    project: Project, *, retention: Retention = RETENTION, only_if_changed: bool = True
) -> Backup | None:
    """Copy the project with the online backup API.

    Returns None, taking nothing, when the newest backup already holds the project as it is
    (unless ``only_if_changed`` is False): ten backups of an unchanged project would otherwise
    be ten copies of one restore point.
    """
    return copy_project_file(
        _file_of(project), retention=retention, only_if_changed=only_if_changed
    )


def _file_of(project: Project) -> Path:
    if project.path is None:
        raise ClaimmarkError("an in-memory project has no file to back up")
    return project.path


def copy_project_file(
    project_path: Path, *, retention: Retention = RETENTION, only_if_changed: bool = True
) -> Backup | None:
    """Back up the file at ``project_path`` through a read-only connection of its own.

    Its own connection makes it safe to run on any thread while the project stays open and in
    use: SQLite's backup copies a consistent snapshot, starting over if a write lands meanwhile.
    A backup that cannot be written (no backup folder, a full disk) raises ``ClaimmarkError``
    and leaves no partial file; the project is not touched either way.
    """
    folder = backup_folder(project_path)
    try:
        source = sqlite3.connect(file_uri(project_path, read_mode(project_path)), uri=True)
    except sqlite3.Error as exc:
        raise ClaimmarkError(f"Not backed up: cannot read {project_path} ({exc})") from exc
    partial = folder / f".{os.getpid()}-{threading.get_ident()}.part"
    try:
        events, head = _position(source)
        newest = next(iter(list_backups(project_path)), None)
        if only_if_changed and newest is not None and newest.holds(events, head):
            return None
        folder.mkdir(parents=True, exist_ok=True)
        destination = sqlite3.connect(partial)
        try:
            source.backup(destination)
            events, head = _position(destination)  # what the copy holds, exactly
        finally:
            destination.close()
        now = datetime.now(UTC)
        target = folder / f"{now.strftime('%Y%m%dT%H%M%S%fZ')}-e{events}-{head[:12]}.db"
        os.replace(partial, target)
    except (OSError, sqlite3.Error) as exc:
        for leftover in (partial, Path(f"{partial}-journal")):
            with contextlib.suppress(OSError):
                leftover.unlink(missing_ok=True)
        raise ClaimmarkError(
            f"Not backed up: cannot write to the backup folder {folder} ({_reason(exc)}). "
            "The project itself is unchanged."
        ) from exc
    finally:
        source.close()
    _rotate(project_path, retention)
    return Backup(target, now, events, head[:12])


def _unchanged(project: Project) -> bool:
    """The newest backup already holds the project (read through its own connection, cheaply)."""
    newest = next(iter(list_backups(_file_of(project))), None)
    return newest is not None and newest.holds(project.event_count(), project.latest_event_hash())


def _position(conn: sqlite3.Connection) -> tuple[int, str]:
    """How many events a file holds and the newest one's hash: what "unchanged" compares."""
    count, head = conn.execute(
        "SELECT count(*), (SELECT hash FROM events ORDER BY seq DESC LIMIT 1) FROM events"
    ).fetchone()
    return count, head or GENESIS_HASH


def _rotate(project_path: Path, retention: Retention) -> None:
    backups = list_backups(project_path)
    kept = {b.path for b in to_keep(backups, retention)}
    for old in backups:
        if old.path not in kept:
            old.path.unlink(missing_ok=True)


def _reason(exc: BaseException) -> str:
    text = str(exc)
    if isinstance(exc, OSError) and exc.strerror:
        text = exc.strerror
    if "full" in text or getattr(exc, "errno", None) == errno.ENOSPC:
        return "the disk is full"
    return text


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
        retention: Retention = RETENTION,
        on_failure: Callable[[Exception], None] | None = None,
        background: bool = False,
    ):
        self.project = project
        self.interval = interval
        self.retention = retention
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
            if self.project.path is None or _unchanged(self.project):
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
            copy_project_file(_file_of(self.project), retention=self.retention)
        except (OSError, sqlite3.Error, ClaimmarkError) as exc:
            self._failed(exc)

    def _failed(self, exc: Exception) -> None:
        if self.on_failure is None:
            raise exc
        self.on_failure(exc)
