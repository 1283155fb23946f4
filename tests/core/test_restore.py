"""Restore: which files it accepts as a backup of this project, and what it keeps."""

import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from claimmark.core.backups import backup_folder, take_backup
from claimmark.core.cli import cli
from claimmark.core.model import ClaimmarkError
from claimmark.core.project import NewDocument, Project
from claimmark.core.project_file import project_uuid
from claimmark.core.restore import restore

V1_FIXTURE = Path(__file__).parent / "fixtures" / "schema_v1" / "rich.db"


@pytest.fixture(autouse=True)
def data_home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))


def _project(path: Path, text: str) -> Path:
    with Project.open(path, created_by="ann") as project:
        project.import_document(NewDocument(text=text, title=text[:10], id="d"), annotator="ann")
    return path


def _text(path: Path) -> str:
    with Project.open(path, created_by="reader") as project:
        return project.document("d").text


def test_every_project_gets_its_own_id_and_keeps_it(tmp_path):
    a = _project(tmp_path / "a.db", "First project.")
    b = _project(tmp_path / "b.db", "Second project.")
    assert project_uuid(a) and project_uuid(b) and project_uuid(a) != project_uuid(b)
    first = project_uuid(a)
    Project.open(a, created_by="x").close()
    assert project_uuid(a) == first
    conn = sqlite3.connect(a)
    with pytest.raises(sqlite3.IntegrityError, match="identity never changes"):
        conn.execute("UPDATE project SET uuid = ?", (project_uuid(b),))
    with pytest.raises(sqlite3.IntegrityError, match="identity never changes"):
        conn.execute("DELETE FROM project")
    conn.close()


def test_a_file_from_before_project_ids_gets_one_when_upgraded(tmp_path):
    path = tmp_path / "old.db"
    shutil.copyfile(V1_FIXTURE, path)
    assert project_uuid(path) is None
    with Project.open(path, created_by="x") as project:
        first_event = project.events()[0].at
    conn = sqlite3.connect(path)
    uuid, created_at = conn.execute("SELECT uuid, created_at FROM project").fetchone()
    conn.close()
    assert len(uuid) == 36 and uuid[14] == "4"  # a random (version 4) UUID
    assert created_at == first_event


def test_force_restores_another_project_and_keeps_the_replaced_file(tmp_path):
    ours = _project(tmp_path / "ours.db", "Our article.")
    theirs = _project(tmp_path / "theirs.db", "Their article.")
    with pytest.raises(ClaimmarkError, match="belongs to another project"):
        restore(ours, theirs)
    assert _text(ours) == "Our article."
    aside = restore(ours, theirs, force=True)
    assert _text(ours) == "Their article." and _text(aside) == "Our article."
    assert project_uuid(ours) == project_uuid(theirs)


def test_backup_without_an_id_is_trusted_only_from_the_projects_own_backup_folder(tmp_path):
    ours = tmp_path / "ours.db"
    shutil.copyfile(V1_FIXTURE, ours)
    old_backup = tmp_path / "old-backup.db"
    shutil.copyfile(V1_FIXTURE, old_backup)
    Project.open(ours, created_by="x").close()  # upgraded: it has an id now, the backup none
    with pytest.raises(ClaimmarkError, match="cannot tell whether"):
        restore(ours, old_backup)
    backup_folder(ours).mkdir(parents=True)
    own = backup_folder(ours) / "20261101T000000000000Z-e30.db"
    shutil.copyfile(V1_FIXTURE, own)
    assert restore(ours, own) is not None
    assert restore(ours, old_backup, force=True) is not None


def test_restore_recreates_a_deleted_project_from_its_backup(tmp_path):
    path = _project(tmp_path / "p.db", "Kept article.")
    with Project.open(path, created_by="ann") as project:
        backup = take_backup(project)
    path.unlink()
    result = CliRunner().invoke(cli, ["--project", str(path), "restore"])
    assert result.exit_code == 0, result.output
    assert f"Restored {backup.path}" in result.stdout and "kept as" not in result.stdout
    assert _text(path) == "Kept article."
    assert not list(tmp_path.glob(".p.db.restoring*"))
