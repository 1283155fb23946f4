"""Backups, restore, damage detection, full disks, read-only files and a second instance."""

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from claimmark.core.backup_rotation import Retention, to_keep
from claimmark.core.backups import AutoBackup, Backup, list_backups, take_backup
from claimmark.core.cli import cli
from claimmark.core.instance_lock import InstanceLock
from claimmark.core.model import DamagedProjectError, ProjectWriteError
from claimmark.core.project import NewDocument, Project
from claimmark.core.restore import restore


@pytest.fixture(autouse=True)
def data_home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))


@pytest.fixture
def project(tmp_path):
    with Project.open(tmp_path / "news.db", created_by="ann") as project:
        project.import_document(
            NewDocument(text="Three were killed, officials said.", title="t"), annotator="ann"
        )
        yield project


def test_backup_is_a_consistent_copy_and_rotates(project):
    doc = project.documents("x")[0].id
    first = take_backup(project)
    assert take_backup(project) is None  # nothing happened since
    project.add_span(doc, "casualty_report", 0, 17, annotator="x")
    for _ in range(3):
        project.add_span(doc, "claim", 0, 5, annotator="x")
        take_backup(project, retention=Retention(recent=2, daily=0, weekly=0))
        project.delete_span(project.spans(doc, labels=["claim"])[0].id, annotator="x")
    backups = list_backups(project.path)
    assert len(backups) == 2
    assert first.path not in [b.path for b in backups]
    with Project.open(backups[0].path, created_by="x") as copy:
        assert [s.text for s in copy.spans(doc, labels=["casualty_report"])] == [
            "Three were killed"
        ]


def test_unchanged_project_is_not_backed_up_again_so_earlier_restore_points_stay(project):
    runner = CliRunner()
    doc = project.documents("ann")[0].id
    take_backup(project)
    project.add_span(doc, "claim", 0, 5, annotator="ann")
    for _ in range(12):
        result = runner.invoke(cli, ["--project", str(project.path), "backup"])
        assert result.exit_code == 0, result.output
    assert "Nothing changed since the backup of" in result.stdout
    assert len(list_backups(project.path)) == 2
    # The same number of events is not the same project: restore an older backup, edit once.
    older = list_backups(project.path)[-1]
    project.close()
    restore(project.path, older.path)
    with Project.open(project.path, created_by="ann") as reopened:
        reopened.add_span(doc, "denial", 0, 5, annotator="ann")
        assert reopened.event_count() == list_backups(project.path)[0].events
        assert take_backup(reopened) is not None


def _dated(*stamps: str) -> list[Backup]:
    """Fake backups at the given UTC times, newest first."""
    taken = sorted((datetime.fromisoformat(s).replace(tzinfo=UTC) for s in stamps), reverse=True)
    return [Backup(Path(f"{t:%Y%m%dT%H%M%S}.db"), t, i) for i, t in enumerate(taken)]


def test_rotation_keeps_recent_daily_and_weekly_restore_points():
    # A busy afternoon of backups, one a day before that, one a week before that.
    afternoon = [f"2026-12-02T{h:02d}:{m:02d}" for h in range(13, 18) for m in (0, 30)]
    days = [f"2026-11-{d:02d}T18:00" for d in range(20, 30)]
    weeks = ["2026-11-01T09:00", "2026-10-20T09:00", "2026-10-01T09:00", "2026-09-01T09:00"]
    backups = _dated(*afternoon, *days, *weeks)
    kept = {f"{b.taken_at:%Y-%m-%dT%H:%M}" for b in to_keep(backups, Retention(5, 7, 4))}
    # the newest 5 (this afternoon), then the newest of the next 6 days...
    assert kept >= {"2026-12-02T17:30", "2026-12-02T15:30"}
    assert "2026-12-02T15:00" not in kept
    assert {f"2026-11-{d}T18:00" for d in range(24, 30)} <= kept
    assert "2026-11-23T18:00" not in kept  # an eighth day; its week's newest (29th) is kept
    # ...and the newest of each of the last 4 ISO weeks that have a backup: 49 (today), 48
    # (the 29th), 47 (the 22nd), then 44 (1 November, a Sunday), skipping empty weeks.
    assert {"2026-11-22T18:00", "2026-11-01T09:00"} <= kept
    assert not {"2026-11-21T18:00", "2026-10-20T09:00", "2026-10-01T09:00"} & kept
    assert len(kept) <= 5 + 7 + 4
    # A burst of ten more backups today evicts none of the older days.
    more = _dated(*afternoon, *[f"2026-12-02T18:{m:02d}" for m in range(10)], *days)
    kept_after = {f"{b.taken_at:%Y-%m-%d}" for b in to_keep(more, Retention(5, 7, 4))}
    assert {f"2026-11-{d}" for d in range(24, 30)} <= kept_after


def test_auto_backup_on_open_and_while_editing(project):
    auto = AutoBackup(project, interval=0)
    assert len(list_backups(project.path)) == 1
    doc = project.documents("ann")[0].id
    project.add_span(doc, "claim", 0, 5, annotator="ann")
    project.add_span(doc, "claim", 6, 10, annotator="ann")
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
    with Project.open(path, created_by="ann") as project:
        for i in range(40):
            project.import_document(
                NewDocument(text=f"Article {i}. " * 200, title=f"a{i}"), annotator="ann"
            )
        project.set_status(project.documents("ann")[0].id, "done", annotator="ann")
        take_backup(project)
        project._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    _damage(path)
    damaged = path.read_bytes()
    with pytest.raises(DamagedProjectError, match="damaged"):
        Project.open(path, created_by="ann")
    assert path.read_bytes() == damaged  # never silently overwritten

    runner = CliRunner()
    result = runner.invoke(cli, ["--project", str(path), "stats"])
    assert result.exit_code == 1
    assert "damaged" in result.stderr and "restore" in result.stderr

    result = runner.invoke(cli, ["--project", str(path), "restore"])
    assert result.exit_code == 0, result.output
    aside = next(tmp_path.glob("news.db.replaced-*"))
    assert aside.read_bytes() == damaged  # the damaged file is kept for rescue
    with Project.open(path, created_by="ann") as restored:
        assert restored.document_count() == 40
        assert restored.status(restored.documents("ann")[0].id, "ann") == "done"


def test_cli_backup_and_list(tmp_path):
    runner = CliRunner()
    path = str(tmp_path / "news.db")
    Project.open(path, created_by="ann").close()
    result = runner.invoke(cli, ["--project", path, "backup"])
    assert result.exit_code == 0 and "Backed up" in result.stdout
    listing = runner.invoke(cli, ["--project", path, "backup", "--list"]).stdout
    assert "events" in listing and listing.count("\n") == 1


def test_full_disk_gives_clear_message_and_resumes(project):
    doc = project.documents("other")[0].id
    project.add_span(doc, "claim", 0, 5, annotator="other")
    saved = project.spans(doc)
    pages = project._conn.execute("PRAGMA page_count").fetchone()[0]
    project._conn.execute(f"PRAGMA max_page_count = {pages}")  # the disk is now full
    with pytest.raises(ProjectWriteError, match=r"disk .* is full.*Everything saved before"):
        project.add_span(doc, "casualty_report", 0, 17, note="x" * 50_000, annotator="other")
    assert project.spans(doc) == saved  # still readable, nothing lost, nothing half-written
    project._conn.execute("PRAGMA max_page_count = 1073741823")  # space freed
    project.add_span(doc, "casualty_report", 0, 17, note="x" * 50_000, annotator="other")
    with Project.open(project.path, created_by="other") as reopened:
        assert len(reopened.spans(doc)) == 2
        assert reopened._conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_read_only_project_gives_clear_message(project):
    doc = project.documents("ann")[0].id
    project._conn.execute("PRAGMA query_only = ON")  # as root, chmod cannot make a file read-only
    with pytest.raises(ProjectWriteError, match="read-only"):
        project.add_span(doc, "claim", 0, 5, annotator="ann")
    assert project.document(doc).title == "t"
    project._conn.execute("PRAGMA query_only = OFF")
    assert project.add_span(doc, "claim", 0, 5, annotator="ann").created[0].text == "Three"


def test_second_instance_is_told(tmp_path):
    first, second = InstanceLock(tmp_path / "news.db"), InstanceLock(tmp_path / "news.db")
    assert first.acquire() is True
    assert second.acquire() is False
    first.release()
    assert second.acquire() is True
    second.release()


def test_integrity_after_many_writes(project):
    doc = project.documents("ann")[0].id
    for start in range(0, 30):
        project.add_span(doc, "claim", start, start + 3, annotator="ann")
    conn = sqlite3.connect(project.path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()


def test_background_backup_copies_while_the_project_stays_in_use(project):
    doc = project.documents("x")[0].id
    auto = AutoBackup(project, interval=0, background=True)
    project.add_span(
        doc, "claim", 0, 5, annotator="x"
    )  # writing while the first copy may still be running
    auto.wait()
    project.add_span(doc, "claim", 6, 10, annotator="x")
    auto.stop()  # joins the copy in flight
    newest = list_backups(project.path)[0]
    assert newest.events == project.event_count()
    with Project.open(newest.path, created_by="x") as copy:
        assert copy._conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert len(copy.spans(doc)) == 2
