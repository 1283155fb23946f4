"""Backups, restore, damage detection, full disks, read-only files and a second instance."""

import sqlite3

import pytest
from click.testing import CliRunner

from claimmark.core.backups import AutoBackup, list_backups, take_backup
from claimmark.core.cli import cli
from claimmark.core.instance_lock import InstanceLock
from claimmark.core.model import DamagedProjectError, ProjectWriteError
from claimmark.core.project import NewDocument, Project


@pytest.fixture(autouse=True)
def data_home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))


@pytest.fixture
def project(tmp_path):
    with Project.open(tmp_path / "news.db", annotator="ann") as project:
        project.import_document(NewDocument(text="Three were killed, officials said.", title="t"))
        yield project


def test_backup_is_a_consistent_copy_and_rotates(project):
    doc = project.documents()[0].id
    first = take_backup(project)
    assert take_backup(project, only_if_changed=True) is None  # nothing happened since
    project.add_span(doc, "casualty_report", 0, 17)
    for _ in range(3):
        project.add_span(doc, "claim", 0, 5)
        take_backup(project, keep=2)
        project.delete_span(project.spans(doc, labels=["claim"])[0].id)
    backups = list_backups(project.path)
    assert len(backups) == 2
    assert first.path not in [b.path for b in backups]
    with Project.open(backups[0].path, annotator="x") as copy:
        assert [s.text for s in copy.spans(doc, labels=["casualty_report"])] == [
            "Three were killed"
        ]


def test_auto_backup_on_open_and_while_editing(project):
    auto = AutoBackup(project, interval=0)
    assert len(list_backups(project.path)) == 1
    doc = project.documents()[0].id
    project.add_span(doc, "claim", 0, 5)
    project.add_span(doc, "claim", 6, 10)
    backups = list_backups(project.path)
    assert len(backups) == 3
    assert backups[0].events == project.event_count()
    assert auto.project is project


def _damage(path):
    """Overwrite a page in the middle of the file with garbage, as a failing disk would."""
    data = bytearray(path.read_bytes())
    page = 4096
    data[3 * page : 4 * page] = b"\xa5" * page
    path.write_bytes(bytes(data))


def test_damaged_project_is_reported_with_backup_and_restored(tmp_path):
    path = tmp_path / "news.db"
    with Project.open(path, annotator="ann") as project:
        for i in range(40):
            project.import_document(NewDocument(text=f"Article {i}. " * 200, title=f"a{i}"))
        project.set_status(project.documents()[0].id, "done")
        take_backup(project)
        project._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    _damage(path)
    damaged = path.read_bytes()
    with pytest.raises(DamagedProjectError, match="damaged"):
        Project.open(path, annotator="ann")
    assert path.read_bytes() == damaged  # never silently overwritten

    runner = CliRunner()
    result = runner.invoke(cli, ["--project", str(path), "stats"])
    assert result.exit_code == 1
    assert "damaged" in result.stderr and "restore" in result.stderr

    result = runner.invoke(cli, ["--project", str(path), "restore"])
    assert result.exit_code == 0, result.output
    aside = next(tmp_path.glob("news.db.replaced-*"))
    assert aside.read_bytes() == damaged  # the damaged file is kept for rescue
    with Project.open(path, annotator="ann") as restored:
        assert restored.document_count() == 40
        assert restored.status(restored.documents()[0].id) == "done"


def test_cli_backup_and_list(tmp_path):
    runner = CliRunner()
    path = str(tmp_path / "news.db")
    result = runner.invoke(cli, ["--project", path, "backup"])
    assert result.exit_code == 0 and "Backed up" in result.stdout
    listing = runner.invoke(cli, ["--project", path, "backup", "--list"]).stdout
    assert "events" in listing and listing.count("\n") == 1


def test_full_disk_gives_clear_message_and_resumes(project):
    doc = project.documents()[0].id
    project.add_span(doc, "claim", 0, 5)
    saved = project.spans(doc)
    pages = project._conn.execute("PRAGMA page_count").fetchone()[0]
    project._conn.execute(f"PRAGMA max_page_count = {pages}")  # the disk is now full
    with pytest.raises(ProjectWriteError, match=r"disk .* is full.*Everything saved before"):
        project.add_span(doc, "casualty_report", 0, 17, note="x" * 50_000)
    assert project.spans(doc) == saved  # still readable, nothing lost, nothing half-written
    project._conn.execute("PRAGMA max_page_count = 1073741823")  # space freed
    project.add_span(doc, "casualty_report", 0, 17, note="x" * 50_000)
    with Project.open(project.path, annotator="other") as reopened:
        assert len(reopened.spans(doc)) == 2
        assert reopened._conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_read_only_project_gives_clear_message(project):
    doc = project.documents()[0].id
    project._conn.execute("PRAGMA query_only = ON")  # as root, chmod cannot make a file read-only
    with pytest.raises(ProjectWriteError, match="read-only"):
        project.add_span(doc, "claim", 0, 5)
    assert project.document(doc).title == "t"
    project._conn.execute("PRAGMA query_only = OFF")
    assert project.add_span(doc, "claim", 0, 5).after.text == "Three"


def test_second_instance_is_told(tmp_path):
    first, second = InstanceLock(tmp_path / "news.db"), InstanceLock(tmp_path / "news.db")
    assert first.acquire() is True
    assert second.acquire() is False
    first.release()
    assert second.acquire() is True
    second.release()


def test_integrity_after_many_writes(project):
    doc = project.documents()[0].id
    for start in range(0, 30):
        project.add_span(doc, "claim", start, start + 3)
    conn = sqlite3.connect(project.path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()


def test_background_backup_copies_while_the_project_stays_in_use(project):
    doc = project.documents()[0].id
    auto = AutoBackup(project, interval=0, background=True)
    project.add_span(doc, "claim", 0, 5)  # writing while the first copy may still be running
    auto.wait()
    project.add_span(doc, "claim", 6, 10)
    auto.stop()  # joins the copy in flight
    newest = list_backups(project.path)[0]
    assert newest.events == project.event_count()
    with Project.open(newest.path, annotator="x") as copy:
        assert copy._conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert len(copy.spans(doc)) == 2
