"""Another project file to merge from: recognised, verified and read as one snapshot, never written.

The file may be open in someone's window, even in the middle of a write: it is read through a
read-only connection inside one read transaction, so the history that is verified and the
records that are merged are the same moment of it. A file from an older schema is upgraded in a
copy in memory, never in place.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from ..audit import Verification, verify
from ..model import ClaimmarkError
from ..project import Project
from ..project_file import initialise, open_read_only
from ..schema import APPLICATION_ID, SCHEMA_VERSION

#: The schema step that gave projects their identity: a file from before it has none.
_UUID_SINCE = 3


class SourceRefused(ClaimmarkError):
    """A file cannot be merged; nothing was written anywhere."""


@dataclass
class Source:
    #: The path as the user gave it (what the summary and the audit log name).
    path: Path
    project: Project
    schema_version: int
    project_uuid: str | None
    events: int
    head_hash: str
    verification: Verification

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def application_id(self) -> str:
        """The header's application id, checked to be claimmark's before anything was read."""
        return f"0x{APPLICATION_ID:08X}"

    def close(self) -> None:
        """Ends the read snapshot with the connection (nothing was written to roll back)."""
        self.project.close()


def same_file(path: Path, team_path: Path | None) -> bool:
    """Whether ``path`` is the project file itself: the same resolved path, or the same file
    reached another way (a hard link, a symbolic link to it)."""
    if team_path is None:
        return False
    if Path(path).resolve() == Path(team_path).resolve():
        return True
    try:
        return os.path.samefile(path, team_path)
    except OSError:
        return False


def open_source(path: Path, team_path: Path | None, *, allow_unverified: bool) -> Source:
    """Open ``path`` to merge from, holding one read snapshot until ``Source.close``.

    Refused (``SourceRefused``, naming the file and why) when it is the project itself, does not
    exist, is not a claimmark project, was written by a newer claimmark, is damaged, or its
    history does not verify (unless ``allow_unverified``).
    """
    path = Path(path)
    if same_file(path, team_path):
        raise SourceRefused(
            f"{path}: is the project being merged into ({team_path}) itself; nothing to merge"
        )
    try:
        conn, version = open_read_only(path)
    except ClaimmarkError as exc:
        raise SourceRefused(str(exc)) from exc
    try:
        source = _snapshot(path, conn, version)
    except BaseException:
        conn.close()
        raise
    if not source.verification.ok and not allow_unverified:
        problem = source.verification.problems[0]
        source.close()
        raise SourceRefused(
            f"{path}: its history does not verify ({problem}); not merged. "
            "--allow-unverified merges it anyway and records that in the audit log"
        )
    return source


def _snapshot(path: Path, conn: sqlite3.Connection, version: int) -> Source:
    uuid = None
    if version >= _UUID_SINCE:
        uuid = conn.execute("SELECT uuid FROM project").fetchone()[0]
    if version < SCHEMA_VERSION:
        conn = _upgraded_copy(conn)
    else:
        conn.execute("BEGIN DEFERRED")  # the snapshot: every read below sees one moment
    project = Project(conn, None)
    verification = verify(project)
    return Source(
        path=path,
        project=project,
        schema_version=version,
        project_uuid=uuid,
        events=project.event_count(),
        head_hash=project.latest_event_hash(),
        verification=verification,
    )


def _upgraded_copy(conn: sqlite3.Connection) -> sqlite3.Connection:
    """The file as this claimmark reads it, upgraded in memory (the backup API copies one
    consistent moment); the file itself stays as it is."""
    copy = sqlite3.connect(":memory:", isolation_level=None)
    try:
        conn.backup(copy)
        conn.close()
        copy.execute("BEGIN IMMEDIATE")
        initialise(copy)
        copy.execute("COMMIT")
    except BaseException:
        copy.close()
        raise
    copy.execute("BEGIN DEFERRED")
    return copy
