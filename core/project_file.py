"""Opening a file as a claimmark project, defensively.

A project file may come from someone else, so nothing in it runs before it has been recognised:
the SQLite header's application id must be claimmark's, its schema version must be one this
claimmark knows, and its schema objects must be exactly the ones claimmark creates (a planted
trigger or a view posing as a table is refused). ``trusted_schema`` is off before the first read.

Durability choices: WAL so that readers never block the annotator's writes, and
``synchronous=FULL`` because in WAL mode ``NORMAL`` can lose the last commits on power loss, and an
annotation shown as saved must survive that; a FULL commit costs about a quarter of a millisecond.
"""

from __future__ import annotations

import re
import sqlite3
from functools import cache
from pathlib import Path
from urllib.parse import quote

from .model import DamagedProjectError, ProjectFileError
from .read_only import file_writable, folder_writable, read_only_reason, sidecars
from .schema import APPLICATION_ID, MIGRATIONS_TABLE, SCHEMA_VERSION, STEPS, apply_steps
from .stray_wal import refuse_stray_wal

#: How long a write waits for another window or process holding the write lock.
BUSY_TIMEOUT_MS = 10_000

_SQLITE_DBCONFIG_DEFENSIVE = 1010

#: SQLite's primary result codes for "cannot write or create a file": SQLITE_PERM,
#: SQLITE_READONLY, SQLITE_CANTOPEN. Not damage: the file is fine, its place is not writable.
_CANNOT_WRITE = frozenset({3, 8, 14})  # sqlite3.SQLITE_DBCONFIG_DEFENSIVE on Python >= 3.12


def connect(path: Path | None) -> tuple[sqlite3.Connection, bool]:
    """Open (or create) a project file; returns the connection and whether it is new and empty."""
    if path is None:
        conn = sqlite3.connect(":memory:", isolation_level=None)
    else:
        conn = _connect_file(path)
    try:
        _harden(conn)
        is_new = _recognise(conn, path)
        _configure(conn, path if path is not None and not read_only_reason(path) else None)
    except BaseException:
        conn.close()
        raise
    return conn, is_new


def _connect_file(path: Path) -> sqlite3.Connection:
    if path.is_dir():
        raise ProjectFileError(f"{path}: is a folder, not a project file")
    if not path.parent.exists():
        raise ProjectFileError(f"{path}: folder {path.parent} does not exist")
    # mode=rw never creates a file, so a mistyped path to an existing project cannot silently
    # turn into a new empty one; only a missing or zero-byte file is created.
    mode = "rw" if path.exists() and path.stat().st_size > 0 else "rwc"
    if mode == "rw":
        refuse_stray_wal(path)
        mode = _read_only_mode(path) or mode
    elif read_only_reason(path):
        raise ProjectFileError(f"{path}: cannot create the project: {read_only_reason(path)}")
    try:
        return sqlite3.connect(
            file_uri(path, mode), uri=True, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000
        )
    except sqlite3.OperationalError as exc:
        raise ProjectFileError(f"{path}: cannot open: {exc}") from exc


def _read_only_mode(path: Path) -> str | None:
    """How to open a project that cannot be written, so that reading it still works (``stats``,
    ``export``, ``audit verify``); None when it can be written.

    A read-only folder cannot hold the ``-shm`` file SQLite needs to read a WAL-mode file; with
    no ``-wal`` there, nobody is writing it (a writer keeps one while it has the file open), so
    the file is read as immutable: no ``-shm``, no locks. Otherwise ``mode=ro`` keeps SQLite's
    locking, so a reader never sees another process's half-written state.
    """
    wal, _shm = sidecars(path)
    if not folder_writable(path) and not wal.exists():
        return "ro&immutable=1"
    if not folder_writable(path) or not file_writable(path):
        return "ro"
    return None


def read_mode(path: Path) -> str:
    """The URI mode for reading ``path`` without writing anything beside it (see
    ``_read_only_mode``): a backup of, or a restore from, a file in a read-only folder."""
    return _read_only_mode(path) or "ro"


def file_uri(path: Path, mode: str) -> str:
    """An SQLite URI for ``path``, quoted: unquoted, ``news#1.db`` opens ``news`` (``#`` starts
    a fragment) and ``a%41b.db`` opens ``aAb.db``. ``mode``: ``ro`` (perhaps with
    ``&immutable=1``), ``rw`` or ``rwc``."""
    return f"file:{quote(str(Path(path).resolve()))}?mode={mode}"


def recognise_file(path: Path) -> None:
    """Raise unless ``path`` is a claimmark project this claimmark can open; never modifies it.

    The same checks as opening it (header, schema version, schema objects, ``quick_check``),
    through a read-only connection: for a file about to be put in a project's place.
    """
    try:
        conn = sqlite3.connect(file_uri(path, read_mode(path)), uri=True, isolation_level=None)
    except sqlite3.Error as exc:
        raise ProjectFileError(f"{path}: cannot open: {exc}") from exc
    try:
        _harden(conn)
        is_empty = _recognise(conn, path)
    finally:
        conn.close()
    if is_empty:
        raise ProjectFileError(f"{path}: not a claimmark project (an empty file)")


def open_read_only(path: Path) -> tuple[sqlite3.Connection, int]:
    """A connection that only ever reads the project at ``path``, and its schema version.

    For another person's file (a merge source): recognised exactly as opening it is (header,
    version, schema objects, ``quick_check``), but never upgraded, switched to WAL or
    checkpointed, and readable while a window on it holds the write lock (WAL readers never
    wait for a writer). A file from an older schema is returned as it is; the caller decides.
    """
    path = Path(path)
    if path.is_dir():
        raise ProjectFileError(f"{path}: is a folder, not a project file")
    if not path.is_file():
        raise ProjectFileError(f"{path}: the file does not exist")
    if path.stat().st_size == 0:
        raise ProjectFileError(f"{path}: not a claimmark project (an empty file)")
    refuse_stray_wal(path)
    try:
        conn = sqlite3.connect(
            file_uri(path, read_mode(path)),
            uri=True,
            isolation_level=None,
            timeout=BUSY_TIMEOUT_MS / 1000,
        )
    except sqlite3.Error as exc:
        raise ProjectFileError(f"{path}: cannot open: {exc}") from exc
    try:
        _harden(conn)
        if _recognise(conn, path):
            raise ProjectFileError(f"{path}: not a claimmark project (an empty database)")
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
    except BaseException:
        conn.close()
        raise
    return conn, version


def project_uuid(path: Path) -> str | None:
    """The project id recorded in the file at ``path``; None when it has none (a file from
    before projects had ids) or cannot be read."""
    try:
        conn = sqlite3.connect(file_uri(path, read_mode(path)), uri=True, isolation_level=None)
        try:
            _harden(conn)
            row = conn.execute("SELECT uuid FROM project").fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return None
    return row[0] if row else None


def _harden(conn: sqlite3.Connection) -> None:
    conn.execute("PRAGMA trusted_schema = OFF")
    setconfig = getattr(conn, "setconfig", None)
    if setconfig is not None:
        setconfig(_SQLITE_DBCONFIG_DEFENSIVE, True)


def _recognise(conn: sqlite3.Connection, path: Path | None) -> bool:
    name = str(path) if path is not None else ":memory:"
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        objects = _schema_objects(conn)
    except sqlite3.DatabaseError as exc:
        reason = read_only_reason(path) if path is not None else None
        if reason and getattr(exc, "sqlite_errorcode", 0) & 0xFF in _CANNOT_WRITE:
            raise ProjectFileError(f"{name}: cannot be read here: {reason}") from exc
        if path is not None and _header_says_claimmark(path):
            raise DamagedProjectError(f"{name}: the project file is damaged ({exc})") from exc
        raise ProjectFileError(
            f"{name}: not a claimmark project (not an SQLite database: {exc})"
        ) from exc
    if app_id == 0 and not objects:
        return True
    if app_id != APPLICATION_ID:
        tables = ", ".join(sorted(n for t, n, _ in objects if t == "table")) or "none"
        raise ProjectFileError(
            f"{name}: not a claimmark project (it is an SQLite database with tables: {tables}); "
            "it was not modified"
        )
    if version > SCHEMA_VERSION:
        raise ProjectFileError(
            f"{name}: written by a newer claimmark (schema version {version}; this claimmark "
            f"knows up to {SCHEMA_VERSION}). Upgrade claimmark to open it; it was not modified."
        )
    expected = expected_schema(version)
    foreign = sorted(f"{t} {n}" for t, n, sql in objects - expected)
    missing = sorted(f"{t} {n}" for t, n, sql in expected - objects)
    if foreign or missing:
        detail = "; ".join(
            part
            for part in (
                f"unexpected or altered: {', '.join(foreign)}" if foreign else "",
                f"missing: {', '.join(missing)}" if missing else "",
            )
            if part
        )
        raise ProjectFileError(
            f"{name}: refused: its schema is not the one claimmark created ({detail}); "
            "it was not modified"
        )
    # Ordinary queries can miss a damaged page; quick_check reads them all (after the schema was
    # found to be ours, so nothing planted in it is evaluated).
    try:
        check = conn.execute("PRAGMA quick_check").fetchall()
    except sqlite3.DatabaseError as exc:
        check = [(str(exc),)]
    if check != [("ok",)]:
        detail = "; ".join(row[0] for row in check[:3])
        raise DamagedProjectError(f"{name}: the project file is damaged ({detail})")
    return False


def _header_says_claimmark(path: Path) -> bool:
    """Read the 100-byte SQLite header directly: the application id sits at offset 68."""
    try:
        with path.open("rb") as handle:
            header = handle.read(100)
    except OSError:
        return False
    return (
        header.startswith(b"SQLite format 3\x00")
        and len(header) == 100
        and int.from_bytes(header[68:72], "big") == APPLICATION_ID
    )


def _configure(conn: sqlite3.Connection, path: Path | None) -> None:
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA recursive_triggers = ON")  # so a REPLACE cannot dodge a DELETE trigger
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    if path is not None:  # None too for a file opened read-only: it cannot change its mode
        try:
            conn.execute("PRAGMA journal_mode = WAL")
        except sqlite3.OperationalError as exc:
            raise ProjectFileError(f"{path}: cannot open for writing: {exc}") from exc
    conn.execute("PRAGMA synchronous = FULL")
    # Copy the WAL back into the file every 64 MB instead of every 4 MB. Commits are as durable
    # (each still syncs the WAL); a 20 MB import then checkpoints once, at close, instead of a
    # dozen times with a sync each: about 7% of its time.
    conn.execute("PRAGMA wal_autocheckpoint = 16384")
    # 64 MB of page cache instead of SQLite's 2 MB: an import touches every index of a large
    # project and would otherwise re-read the same pages over and over.
    conn.execute("PRAGMA cache_size = -65536")


#: Tables SQLite itself may add to any database (``ANALYZE``, ``AUTOINCREMENT``): data for its
#: query planner or counters, no code. Matched by exact name: ``LIKE 'sqlite_%'`` would also
#: let through a planted ``sqlite1`` (``_`` is a wildcard there).
_SQLITE_OWN_TABLES = frozenset({"sqlite_sequence", "sqlite_stat1", "sqlite_stat4"})

#: The one index sqlite-utils puts on its migrations table, as sqlite-utils writes it.
_MIGRATIONS_INDEX = re.compile(
    r'CREATE UNIQUE INDEX "?idx__sqlite_migrations_migration_set_name"? '
    r'ON "?_sqlite_migrations"? \("?migration_set"?, "?name"?\)'
)


def _schema_objects(conn: sqlite3.Connection) -> set[tuple[str, str, str]]:
    """Every schema object as (type, name, normalised SQL), SQLite's automatic indexes included.

    sqlite-utils' migrations table is compared by name only, and its index by shape: that DDL is
    sqlite-utils', and its spacing may differ between its versions.
    """
    rows = conn.execute("SELECT type, name, tbl_name, coalesce(sql, '') FROM sqlite_master")
    objects = set()
    for kind, name, table, sql in rows:
        sql = " ".join(sql.split())
        if kind == "table" and name in _SQLITE_OWN_TABLES:
            continue
        if table == MIGRATIONS_TABLE and (
            kind == "table" or (kind == "index" and _MIGRATIONS_INDEX.fullmatch(sql))
        ):
            sql = ""
        objects.add((kind, name, sql))
    return objects


@cache
def expected_schema(version: int) -> frozenset[tuple[str, str, str]]:
    """The schema objects claimmark itself creates at ``version``, built in memory."""
    conn = sqlite3.connect(":memory:", isolation_level=None)
    conn.execute(
        f"CREATE TABLE {MIGRATIONS_TABLE}"
        " (id INTEGER PRIMARY KEY, migration_set TEXT, name TEXT, applied_at TEXT)"
    )
    conn.execute(
        f"CREATE UNIQUE INDEX idx_{MIGRATIONS_TABLE}_migration_set_name"
        f" ON {MIGRATIONS_TABLE} (migration_set, name)"
    )
    for _name, statements in STEPS[:version]:
        for statement in statements:
            conn.execute(statement)
    objects = frozenset(_schema_objects(conn))
    conn.close()
    return objects


def initialise(conn: sqlite3.Connection, version: int = SCHEMA_VERSION) -> None:
    """Create or upgrade the schema to ``version``; the caller holds the write transaction.

    Only the upgrade tests ask for less than the newest version: they stop after each step to
    check that the file it leaves is one this claimmark recognises.
    """
    apply_steps(conn, version)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute(f"PRAGMA user_version = {version}")
