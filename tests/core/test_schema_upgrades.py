"""Project files written by earlier releases open in this one, upgraded, with their history intact.

The fixtures under ``fixtures/schema_v<N>/`` are real files written by the release that wrote
schema N (``scripts/make_schema_fixtures.py``); they are never regenerated. Each one is upgraded
one migration step at a time, and after every step the file must be one this claimmark recognises
(the hostile-file check compares it with what that many steps create from nothing), with every
row the old release wrote still there. At the end ``audit verify`` replays the old events and
finds the data they describe, and the upgraded project takes new edits like a new one.
"""

from __future__ import annotations

import importlib.util
import re
import shutil
import sqlite3
from pathlib import Path

import pytest

from claimmark.core.audit import verify
from claimmark.core.model import Label, LabelKey, ProjectFileError
from claimmark.core.project import Project
from claimmark.core.project_file import connect, initialise
from claimmark.core.schema import SCHEMA_VERSION, STEPS

FIXTURES = Path(__file__).parent / "fixtures"
FIXTURE_FILES = sorted(FIXTURES.glob("schema_v*/*.db"))
V1_TABLES = ("documents", "labels", "annotators", "spans", "document_status", "events")


def _version_of(fixture: Path) -> int:
    return int(re.fullmatch(r"schema_v(\d+)", fixture.parent.name)[1])


def _copy(fixture: Path, tmp_path: Path) -> Path:
    """Tests never write into the checkout: every upgrade runs on a copy."""
    path = tmp_path / fixture.name
    shutil.copyfile(fixture, path)
    return path


def _rows(path: Path, tables=V1_TABLES, columns: dict[str, list[str]] | None = None) -> dict:
    """Every row of ``tables``, restricted to ``columns`` (a later step may add columns)."""
    # immutable: reading a committed WAL-mode fixture must not leave -wal/-shm files beside it.
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    try:
        found = {}
        for table in tables:
            names = (columns or {}).get(table) or [
                row[1] for row in conn.execute(f"PRAGMA table_info({table})")
            ]
            quoted = ", ".join(f'"{name}"' for name in names)
            found[table] = (
                names,
                conn.execute(f"SELECT {quoted} FROM {table} ORDER BY {quoted}").fetchall(),
            )
        return found
    finally:
        conn.close()


def _applied_steps(path: Path) -> list[str]:
    # immutable: reading a committed WAL-mode fixture must not leave -wal/-shm files beside it.
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    try:
        return [r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations ORDER BY id")]
    finally:
        conn.close()


def test_fixtures_exist_for_schema_v1_and_are_not_trivial():
    v1 = [f for f in FIXTURE_FILES if _version_of(f) == 1]
    assert {f.name for f in v1} >= {"rich.db", "default.db", "empty.db"}
    rows = _rows(FIXTURES / "schema_v1" / "rich.db")
    kinds = {row[rows["events"][0].index("kind")] for row in rows["events"][1]}
    assert kinds >= {
        "annotator_added",
        "label_added",
        "document_imported",
        "span_created",
        "span_relabelled",
        "span_resized",
        "span_noted",
        "span_updated",
        "span_deleted",
        "span_restored",
        "status_changed",
    }
    assert len(rows["annotators"][1]) >= 3
    notes = [row[rows["spans"][0].index("note")] for row in rows["spans"][1]]
    assert any(notes)
    assert {row[2] for row in rows["document_status"][1]} == {"in_progress", "done"}


@pytest.mark.parametrize(
    "fixture", FIXTURE_FILES, ids=[f"{f.parent.name}/{f.name}" for f in FIXTURE_FILES]
)
def test_old_project_upgrades_step_by_step_and_its_history_still_verifies(fixture, tmp_path):
    path = _copy(fixture, tmp_path)
    written = _rows(path)
    columns = {table: names for table, (names, _) in written.items()}
    old_version = _version_of(fixture)
    assert _applied_steps(path) == [name for name, _ in STEPS[:old_version]]

    for version in range(old_version, SCHEMA_VERSION + 1):
        conn, is_new = connect(path)  # the hostile-file check, at this version
        try:
            assert not is_new
            conn.execute("BEGIN IMMEDIATE")
            initialise(conn, version)
            conn.execute("COMMIT")
        finally:
            conn.close()
        assert _applied_steps(path) == [name for name, _ in STEPS[:version]]
        assert _rows(path, columns=columns) == written, f"step {version} lost or changed rows"

    with Project.open(path, created_by="upgrader") as project:
        result = verify(project)
        assert result.ok, result.problems
        assert result.events == len(written["events"][1])  # the old events, replayed
        # The upgraded project takes new edits and stays provable.
        project.add_label(Label(LabelKey("upgraded"), "Upgraded", "#123456"), annotator="upgrader")
        for document in project.documents("upgrader"):
            text = project.document(document.id).text
            start = next(i for i, c in enumerate(text) if c.isalnum())
            project.add_span(
                document.id,
                "upgraded",
                start,
                start + 1,
                note="after the upgrade",
                annotator="upgrader",
            )
            project.set_status(document.id, "done", annotator="upgrader")
        after = verify(project)
        assert after.ok, after.problems
        assert after.events > result.events
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    conn.close()


@pytest.mark.parametrize(
    "fixture", FIXTURE_FILES, ids=[f"{f.parent.name}/{f.name}" for f in FIXTURE_FILES]
)
def test_old_project_upgrades_in_one_open(fixture, tmp_path):
    """What a user does: open an old file with the new claimmark, once."""
    path = _copy(fixture, tmp_path)
    events = _rows(path, ("events",))
    old_columns = {"events": events["events"][0]}  # a later step may add columns
    with Project.open(path, created_by="upgrader") as project:
        assert verify(project).ok
    assert _applied_steps(path) == [name for name, _ in STEPS]
    assert _rows(path, ("events",), columns=old_columns) == events
    Project.open(path, created_by="upgrader").close()  # and reopens as a current file


def test_file_from_a_newer_claimmark_is_still_refused_and_untouched(tmp_path):
    path = _copy(FIXTURES / "schema_v1" / "rich.db", tmp_path)
    Project.open(path, created_by="upgrader").close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(ProjectFileError, match="newer claimmark"):
        Project.open(path, created_by="upgrader")
    assert path.read_bytes() == before


def test_old_file_with_a_planted_trigger_is_refused_before_any_upgrade(tmp_path):
    """An upgrade runs claimmark's SQL in the file: only after the file was found to be ours."""
    path = _copy(FIXTURES / "schema_v1" / "rich.db", tmp_path)
    conn = sqlite3.connect(path)
    conn.execute("CREATE TRIGGER t AFTER INSERT ON spans BEGIN DELETE FROM labels; END")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(ProjectFileError, match="trigger t"):
        Project.open(path, created_by="upgrader")
    assert path.read_bytes() == before
    assert _applied_steps(path) == ["m001_initial"]


def test_fixture_script_still_writes_projects_that_verify(tmp_path):
    """The script that wrote the fixtures keeps working, so the next schema version gets its own."""
    script = Path(__file__).parents[2] / "scripts" / "make_schema_fixtures.py"
    spec = importlib.util.spec_from_file_location("make_schema_fixtures", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    written = module.make_fixtures(tmp_path / "out")
    assert [p.name for p in written] == ["rich.db", "default.db", "empty.db"]
    for path in written:
        assert not Path(f"{path}-wal").exists()
        with Project.open(path, created_by="checker") as project:
            assert verify(project).ok
    with pytest.raises(SystemExit, match="refusing to overwrite"):
        module.make_fixtures(tmp_path / "out")
