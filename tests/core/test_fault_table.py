"""The fault table's rows that need no display: hostile files, tampering, backups, restore, the
command line and misleading messages (issue 14), each kept fixed by one row.

Every case starts from the same project file (a document with a title and metadata, a span, a
status: things a user would hate to lose), does one bad thing the way a hostile or careless user
would (a planted trigger, a forged title, a backup of another project, a mistyped path), and
expects a message containing the given words. Afterwards the project file must hold exactly what
it held before, every row of every table. The rows that need the window are in
``tests/gui/test_fault_table.py``.
"""

from __future__ import annotations

import resource
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from claimmark.core.backups import backup_folder, list_backups
from claimmark.core.cli import cli
from claimmark.core.instance_lock import InstanceLock
from claimmark.core.model import ProjectFileError
from claimmark.core.project import NewDocument, NewSpan, Project
from tests.unprivileged import run_python

ARTICLE = "Officials said 12 civilians died.\r\nThe ministry denied it. 👨🏻‍🚒 مرحبا"


@dataclass(frozen=True)
class Case:
    area: str
    defect: int  #: the numbered defect of issue 14 the row keeps fixed
    what: str
    act: Callable[[Path], str]  #: gets the (closed) project file; returns what the user is told
    expected: tuple[str, ...]


def _make_project(path: Path) -> None:
    with Project.open(path, created_by="alice") as project:
        doc, _ = project.import_document(
            NewDocument(
                text=ARTICLE,
                title="Strike toll disputed",
                id="doc-1",
                source="wire/strike.txt",
                meta={"outlet": "Wire"},
                spans=[NewSpan(0, 9, "claim", note="first")],
            ),
            annotator="alice",
        )
        project.set_status(doc, "in_progress", annotator="alice")


def _dump(path: Path) -> dict[str, list[tuple]]:
    """Every row of every table, through a read-only connection of its own."""
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name != ?",
                ("_sqlite_migrations",),
            )
        ]
        return {
            t: sorted(conn.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr) for t in tables
        }
    finally:
        conn.close()


def _copy(path: Path, name: str = "copy.db") -> Path:
    """A copy made the way a user would share one: SQLite's backup API, one file."""
    copy = path.with_name(name)
    source, target = sqlite3.connect(path), sqlite3.connect(copy)
    source.backup(target)
    source.close()
    target.close()
    return copy


def _sql(path: Path, *statements: str) -> None:
    conn = sqlite3.connect(path)
    for statement in statements:
        conn.execute(statement)
    conn.commit()
    conn.close()


def _cli(*args: str, env: dict[str, str] | None = None) -> str:
    """Run the command line in-process; a traceback is a failure, whatever the exit code."""
    result = CliRunner().invoke(cli, list(args), env=env)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return f"exit {result.exit_code}\n{result.stdout}{result.stderr}"


# ---------------------------------------------------------------- acts
def _refused_with(*statements: str) -> Callable[[Path], str]:
    """A copy of the project altered with ``sqlite3`` is refused on open, and left as it was."""

    def act(path: Path) -> str:
        copy = _copy(path)
        _sql(copy, *statements)
        before = copy.read_bytes()
        with pytest.raises(ProjectFileError) as caught:
            Project.open(copy, created_by="mallory")
        assert copy.read_bytes() == before, "a refused file must not be modified"
        return str(caught.value)

    return act


def _verify_after(*statements: str) -> Callable[[Path], str]:
    """A copy of the project changed behind claimmark's back, then ``audit verify`` on it."""

    def act(path: Path) -> str:
        copy = _copy(path)
        _sql(copy, *statements)
        return _cli("--project", str(copy), "audit", "verify")

    return act


def _backup_named(name: str, decoy: str | None = None) -> Callable[[Path], str]:
    """Back up (and restore) a copy of the project whose file name needs quoting in a URI; a
    ``decoy`` is another project where an unquoted URI would lead."""

    def act(path: Path) -> str:
        copy = _copy(path, name)
        if decoy is not None:
            Project.open(path.with_name(decoy), created_by="decoy").close()
        said = _cli("--project", str(copy), "backup")
        [backup] = list_backups(copy)
        assert _dump(backup.path) == _dump(copy), "the backup is not a copy of this project"
        said += _cli("--project", str(copy), "restore")
        assert _dump(copy) == _dump(path)
        return said

    return act


def _later_copy(path: Path, name: str = "later.db") -> Path:
    """The same project (same project id) with more in it: what a backup of it could hold."""
    copy = _copy(path, name)
    with Project.open(copy, created_by="alice") as project:
        project.add_span("doc-1", "denial", 35, 58, note="after the copy", annotator="alice")
    return copy


def _restore_while_window_open(path: Path) -> str:
    backup = _later_copy(path)
    window = InstanceLock(path)
    assert window.acquire()
    try:
        return _cli("--project", str(path), "restore", str(backup))
    finally:
        window.release()


def _restore_other_project(path: Path) -> str:
    other = path.with_name("other.db")
    with Project.open(other, created_by="bob") as project:
        project.import_document(
            NewDocument(text="Another project's article.", title="other"), annotator="bob"
        )
    return _cli("--project", str(path), "restore", str(other))


def _restore_file(name: str, make: Callable[[Path], None]) -> Callable[[Path], str]:
    def act(path: Path) -> str:
        make(path.with_name(name))
        return _cli("--project", str(path), "restore", str(path.with_name(name)))

    return act


def _customers(target: Path) -> None:
    _sql(target, "CREATE TABLE customers (name TEXT)", "INSERT INTO customers VALUES ('x')")


def _restore_on_full_disk(path: Path) -> str:
    """The restore runs in a process whose files may not grow past 256 kB, as on a full disk."""
    backup = _later_copy(path)
    with Project.open(backup, created_by="alice") as project:
        project.import_document(
            NewDocument(text="Long article. " * 100_000, title="long"), annotator="alice"
        )
    limit = 256 * 1024
    assert path.stat().st_size < limit < backup.stat().st_size
    said = _in_process_with_files_up_to(limit, "--project", str(path), "restore", str(backup))
    assert not list(path.parent.glob(".p.db.restoring*")), "the partial copy was left behind"
    return said


def _unchanged_backups(path: Path) -> str:
    said = _cli("--project", str(path), "backup")
    [first] = list_backups(path)
    for _ in range(10):
        said = _cli("--project", str(path), "backup")
    assert list_backups(path) == [first], "a backup of an unchanged project was taken"
    return said


def _backup_folder_is_a_file(path: Path) -> Path:
    """A backup folder nobody can write into (as root, permissions would not stop the test)."""
    blocked = backup_folder(path).parent
    blocked.parent.mkdir(parents=True, exist_ok=True)
    blocked.write_text("not a folder")
    return blocked


def _import_with_backup_folder_blocked(path: Path) -> str:
    copy = _copy(path)
    _backup_folder_is_a_file(copy)
    source = path.with_name("more.jsonl")
    source.write_text('{"text": "One more article.", "id": "doc-2"}\n', encoding="utf-8")
    said = _cli("--project", str(copy), "import", str(source))
    with Project.open(copy, created_by="alice") as project:
        assert project.has_document("doc-2"), "the import did not go on without its backup"
    return said


def _backup_with_folder_blocked(path: Path) -> str:
    _backup_folder_is_a_file(path)
    return _cli("--project", str(path), "backup")


def _in_process_with_files_up_to(limit: int, *args: str) -> str:
    """Run the command line in a process whose files cannot grow past ``limit`` bytes: a full
    disk, as far as that process can tell."""

    def full_disk() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a failed write, not a killed process
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, resource.RLIM_INFINITY))

    done = subprocess.run(
        [sys.executable, "-m", "claimmark.core", *args],
        capture_output=True,
        text=True,
        preexec_fn=full_disk,
        check=False,
    )
    assert "Traceback" not in done.stderr, done.stderr
    return f"exit {done.returncode}\n{done.stdout}{done.stderr}"


def _backup_on_full_disk(path: Path) -> str:
    said = _in_process_with_files_up_to(48 * 1024, "--project", str(path), "backup")
    folder = backup_folder(path)
    assert not list(folder.iterdir()), "a partial backup was left behind"
    return said


def _unprivileged_cli(*args: str) -> str:
    """Run the command line in a process for which permissions hold (tests run as root)."""
    return run_python("-m", "claimmark.core", *args)


def _as_closed(path: Path) -> None:
    """The project as claimmark leaves it when the last connection closes: no ``-wal`` and
    ``-shm`` (``_dump``'s read-only connection leaves an empty pair behind)."""
    wal, shm = Path(f"{path}-wal"), Path(f"{path}-shm")
    assert not wal.exists() or wal.stat().st_size == 0
    wal.unlink(missing_ok=True)
    shm.unlink(missing_ok=True)


def _in_read_only_folder(*command: str) -> Callable[[Path], str]:
    """The project in a folder that cannot be written (a shared or mounted folder, a CD)."""

    def act(path: Path) -> str:
        _as_closed(path)
        (path.parent / "data").mkdir(exist_ok=True)  # $XDG_DATA_HOME: backups stay writable
        path.parent.chmod(0o555)
        try:
            said = _unprivileged_cli("--project", str(path), *command)
        finally:
            path.parent.chmod(0o755)
        assert not Path(f"{path}-shm").exists(), "reading a read-only folder's project wrote"
        return said

    return act


def _read_only_file(*command: str) -> Callable[[Path], str]:
    """The project file itself made read-only (``chmod 444``), its folder writable."""

    def act(path: Path) -> str:
        path.chmod(0o444)
        try:
            return _unprivileged_cli("--project", str(path), *command)
        finally:
            path.chmod(0o644)

    return act


def _write_after_read_only_opening(path: Path) -> str:
    """Opened once while read-only, the project leaves ``-wal``/``-shm`` files with its own
    permissions (0444); made writable again, its writes fail because of them."""
    _as_closed(path)
    path.chmod(0o444)
    read = _unprivileged_cli("--project", str(path), "stats")
    path.chmod(0o644)
    assert "exit 0" in read and "documents: 1" in read, read
    assert oct(Path(f"{path}-shm").stat().st_mode & 0o777) == "0o444", "no read-only -shm left"
    return _unprivileged_cli("--project", str(path), "labels", "add", "rumour")


def _mistyped_project(*command: str) -> Callable[[Path], str]:
    def act(path: Path) -> str:
        mistyped = path.with_name("p.bd")
        said = _cli("--project", str(mistyped), *command)
        assert not mistyped.exists(), "a mistyped --project became a new project"
        return said

    return act


def _import_file(name: str, data: bytes, *options: str, env=None) -> Callable[[Path], str]:
    def act(path: Path) -> str:
        source = path.with_name(name)
        source.write_bytes(data)
        return _cli(*options, "--project", str(path), "import", str(source), env=env)

    return act


GOOD_LINE = b'{"text": "One more article.", "id": "doc-2"}\n'
NOTEPAD_TEXT = "Officials said 12 civilians died.\r\n"


def _stray_wal(path: Path) -> str:
    """Another database's WAL, left beside the project under the project's name."""
    other = path.with_name("other.db")
    writer = sqlite3.connect(other)
    writer.execute("PRAGMA journal_mode = WAL")
    writer.execute("PRAGMA wal_autocheckpoint = 0")
    writer.execute("CREATE TABLE customers (name TEXT)")
    writer.execute("INSERT INTO customers VALUES ('x')")
    writer.commit()
    stray = Path(f"{path}-wal")
    stray.write_bytes(Path(f"{other}-wal").read_bytes())
    writer.close()
    before = path.read_bytes(), stray.read_bytes()
    with pytest.raises(ProjectFileError) as caught:
        Project.open(path, created_by="alice")
    assert (path.read_bytes(), stray.read_bytes()) == before, "the stray WAL was replayed"
    stray.unlink()
    return str(caught.value)


CASES = [
    # 1: the hostile-file check compares names exactly and refuses what claimmark never creates
    Case(
        "hostile file",
        1,
        "trigger named like SQLite's own objects (sqlite1) swallowing inserts",
        _refused_with(
            "CREATE TRIGGER sqlite1 BEFORE INSERT ON spans BEGIN SELECT RAISE(IGNORE); END"
        ),
        ("trigger sqlite1", "not the one claimmark created", "not modified"),
    ),
    Case(
        "hostile file",
        1,
        "view named sqlite1",
        _refused_with("CREATE VIEW sqlite1 AS SELECT * FROM spans"),
        ("view sqlite1",),
    ),
    Case(
        "hostile file",
        1,
        "index named sqlite1",
        _refused_with("CREATE INDEX sqlite1 ON spans (note)"),
        ("index sqlite1",),
    ),
    Case(
        "hostile file",
        1,
        "virtual table named sqlite1",
        _refused_with("CREATE VIRTUAL TABLE sqlite1 USING fts5(body)"),
        ("table sqlite1",),
    ),
    Case(
        "hostile file",
        1,
        "extra index on the migrations table",
        _refused_with("CREATE INDEX planted ON _sqlite_migrations (applied_at)"),
        ("index planted",),
    ),
    # 4: verify replays what the import event records about a document, not only its text
    *(
        Case(
            "tampering",
            4,
            f"document {column} changed with sqlite3",
            _verify_after(f"UPDATE documents SET {column} = {value}"),
            ("exit 1", "FAILED: document doc-1: differs from what its events record", column),
        )
        for column, value in (
            ("title", "'FORGED'"),
            ("source", "'elsewhere.txt'"),
            ("meta", """'{"outlet": "Forged"}'"""),
            ("imported_at", "'1999-01-01T00:00:00.000000Z'"),
            ("length", "length + 1"),
        )
    ),
    # 6: paths are quoted in SQLite URIs
    Case(
        "backup",
        6,
        "project file named news#1.db",
        _backup_named("news#1.db", decoy="news"),
        ("exit 0", "Backed up", "Restored"),
    ),
    Case(
        "backup",
        6,
        "project file named a%41b.db beside aAb.db",
        _backup_named("a%41b.db", decoy="aAb.db"),
        ("exit 0", "Backed up", "Restored"),
    ),
    Case(
        "backup",
        6,
        "project file named what?.db",
        _backup_named("what?.db", decoy="what"),
        ("exit 0", "Backed up", "Restored"),
    ),
    # 5: restore respects the window's lock, knows which project a file belongs to, is atomic
    Case(
        "restore",
        5,
        "restore while a window has the project open",
        _restore_while_window_open,
        ("exit 1", "Not restored", "another claimmark window", "Close it"),
    ),
    Case(
        "restore",
        5,
        "another project's file as the backup",
        _restore_other_project,
        ("exit 1", "belongs to another project", "was not changed", "--force"),
    ),
    Case(
        "restore",
        5,
        "someone else's SQLite database as the backup",
        _restore_file("customers.db", _customers),
        ("exit 1", "Not restored", "not a claimmark project", "customers"),
    ),
    Case(
        "restore",
        5,
        "a text file as the backup",
        _restore_file("notes.db", lambda p: p.write_text("my notes\n" * 500)),
        ("exit 1", "Not restored", "not a claimmark project"),
    ),
    Case(
        "restore",
        5,
        "an empty file as the backup",
        _restore_file("empty.db", lambda p: p.write_bytes(b"")),
        ("exit 1", "Not restored", "not a claimmark project"),
    ),
    Case(
        "restore",
        5,
        "disk full while restoring",
        _restore_on_full_disk,
        ("exit 1", "Not restored", "was not changed"),
    ),
    # 10: only commands that add data create a project
    *(
        Case(
            "command line",
            10,
            f"mistyped --project given to {' '.join(command)}",
            _mistyped_project(*command),
            ("exit 1", "no project at", "p.bd: the file does not exist", "Check --project"),
        )
        for command in (
            ("stats",),
            ("export", "--format", "jsonl", "-o", "-"),
            ("audit", "log"),
            ("labels",),
        )
    ),
    # 12: a backup of an unchanged project is not taken (it would evict a real restore point)
    Case(
        "backup",
        12,
        "ten backups of an unchanged project",
        _unchanged_backups,
        ("exit 0", "Nothing changed since the backup of", "no new backup taken"),
    ),
    # 13: messages that mislead, and crashes where a message was due
    Case(
        "message",
        13,
        "import while the backup folder cannot be written",
        _import_with_backup_folder_blocked,
        ("exit 0", "warning: no backup was taken before this import", "1 imported"),
    ),
    Case(
        "message",
        13,
        "backup while the backup folder cannot be written",
        _backup_with_folder_blocked,
        (
            "exit 1",
            "Not backed up: cannot write to the backup folder",
            "project itself is unchanged",
        ),
    ),
    Case(
        "message",
        13,
        "UTF-16 article (with a byte order mark)",
        _import_file("notepad.txt", NOTEPAD_TEXT.encode("utf-16")),
        ("notepad.txt", "looks like UTF-16 text", "--encoding utf-16"),
    ),
    Case(
        "message",
        13,
        "UTF-16 article without a byte order mark",
        _import_file("ps.txt", NOTEPAD_TEXT.encode("utf-16-le")),
        ("ps.txt", "--encoding utf-16-le"),
    ),
    Case(
        "message",
        13,
        "--annotator of spaces only",
        _import_file("more.jsonl", GOOD_LINE, "--annotator", "   "),
        ("exit 2", "--annotator is empty once spaces are trimmed", "give a name"),
    ),
    Case(
        "message",
        13,
        "$CLAIMMARK_ANNOTATOR of spaces only",
        _import_file("more.jsonl", GOOD_LINE, env={"CLAIMMARK_ANNOTATOR": " \t"}),
        ("exit 2", "$CLAIMMARK_ANNOTATOR is empty once spaces are trimmed"),
    ),
    Case(
        "message",
        13,
        "a stray -wal of another database beside the project",
        _stray_wal,
        ("p.db-wal belongs to another database", "Move p.db-wal out of the folder"),
    ),
    Case(
        "message",
        13,
        "backup on a full disk",
        _backup_on_full_disk,
        ("exit 1", "Not backed up", "project itself is unchanged"),
    ),
    # 13: a read-only folder, file or -shm is read-only, not "damaged"; reading still works
    *(
        Case(
            "read-only",
            13,
            f"{' '.join(command[:2])} in a read-only folder",
            _in_read_only_folder(*command),
            expected,
        )
        for command, expected in (
            (("stats",), ("exit 0", "documents: 1", "claim: 1")),
            (("export", "--format", "jsonl", "-o", "-"), ("exit 0", '"id": "doc-1"')),
            (("audit", "verify"), ("exit 0", "OK")),
            (("audit", "log"), ("exit 0", "imported document doc-1")),
            (("labels",), ("exit 0", "casualty_report")),
            (("agreement",), ("exit 2", "needs two or more annotators", "(alice)")),
            (("backup",), ("exit 0", "Backed up 13 events")),
        )
    ),
    *(
        Case(
            "read-only",
            13,
            f"{command[0]} into a read-only folder",
            _in_read_only_folder(*command),
            expected,
        )
        for command, expected in (
            (
                ("labels", "add", "rumour"),
                ("exit 1", "Not saved: the folder", "is read-only", "copy p.db to a writable"),
            ),
        )
    ),
    Case(
        "read-only",
        13,
        "labels add to a read-only project file",
        _read_only_file("labels", "add", "rumour"),
        ("exit 1", "Not saved: the file", "p.db is read-only", "chmod u+w"),
    ),
    Case(
        "read-only",
        13,
        "a write after the project was opened read-only once (a 0444 -shm left)",
        _write_after_read_only_opening,
        ("exit 1", "p.db-shm is read-only", "make it writable", "delete p.db-shm"),
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[f"{c.defect}. {c.area}: {c.what}" for c in CASES])
def test_fault_gives_clear_message_and_loses_nothing(case: Case, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))  # backups stay in tmp_path
    monkeypatch.delenv("CLAIMMARK_PROJECT", raising=False)
    monkeypatch.setenv("CLAIMMARK_ANNOTATOR", "alice")
    path = tmp_path / "p.db"
    _make_project(path)
    before = _dump(path)
    message = case.act(path)
    for words in case.expected:
        assert words in message, message
    assert _dump(path) == before
