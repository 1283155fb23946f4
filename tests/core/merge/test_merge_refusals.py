"""Files that must not be merged: a clear error naming the file, and the project left as it was."""

from __future__ import annotations

import shutil
import sqlite3

import pytest

from claimmark.core.event_kinds import EventKind
from claimmark.core.project import Project
from claimmark.core.schema import SCHEMA_VERSION
from tests.core.merge.builders import (
    TEXTS,
    DocSpec,
    ProjectSpec,
    SpanSpec,
    build,
    digest,
    merge,
    state,
)
from tests.core.merge.builders import verify as verify_cli


@pytest.fixture
def team(tmp_path):
    path = build(
        tmp_path / "team.db",
        ProjectSpec((DocSpec("t1", TEXTS[0], (SpanSpec("carol", "claim", 0, 9),)),)),
        created_by="carol",
    )
    Project.open(path).close()  # checkpointed: the file alone holds everything
    return path


@pytest.fixture
def alice(tmp_path):
    return build(
        tmp_path / "alice.db",
        ProjectSpec((DocSpec("a1", TEXTS[1], (SpanSpec("alice", "denial", 4, 8),)),)),
        created_by="alice",
    )


def _refused(team, *sources, extra=()):
    before = digest(team)
    result = merge(team, *sources, extra=extra)
    assert result.exit_code == 1, result.output
    assert digest(team) == before
    assert "Nothing was merged." in result.output
    return result.output


def test_a_file_that_is_not_a_project_is_refused(team, alice, tmp_path):
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE notes (x)")
    conn.commit()
    conn.close()
    text = tmp_path / "notes.txt"
    text.write_text("hello")
    output = _refused(team, alice, other, text)
    assert f"{other}: not a claimmark project" in output
    assert f"{text}: not a claimmark project" in output


def test_a_missing_or_empty_file_is_refused(team, tmp_path):
    (tmp_path / "empty.db").touch()
    output = _refused(team, tmp_path / "nope.db", tmp_path / "empty.db")
    assert "nope.db: the file does not exist" in output
    assert "empty.db: not a claimmark project (an empty file)" in output


def test_a_newer_file_is_refused(team, alice):
    conn = sqlite3.connect(alice)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    output = _refused(team, alice)
    assert "written by a newer claimmark" in output


def test_a_damaged_file_is_refused(team, alice, tmp_path):
    Project.open(alice).close()
    data = bytearray(alice.read_bytes())
    page = 4096
    for at in range(2 * page + 100, min(len(data), 4 * page), 7):
        data[at] = 0xA5  # scribble over pages past the header
    alice.write_bytes(bytes(data))
    output = _refused(team, alice)
    assert f"{alice}: " in output and "damaged" in output


def test_the_project_itself_is_refused_by_path_and_by_link(team, tmp_path):
    link = tmp_path / "link.db"
    link.symlink_to(team)
    hard = tmp_path / "hard.db"
    hard.hardlink_to(team)
    output = _refused(team, team, link, hard)
    assert output.count("is the project being merged into") == 3


def test_a_source_with_a_broken_chain_is_refused_unless_allowed_and_then_recorded(team, alice):
    shutil.copy(alice, alice.with_name("tampered.db"))
    tampered = alice.with_name("tampered.db")
    conn = sqlite3.connect(tampered)
    conn.execute("DROP TRIGGER events_refuse_update")
    conn.execute("UPDATE events SET annotator = 'mallory' WHERE seq = 3")
    conn.execute(
        "CREATE TRIGGER events_refuse_update BEFORE UPDATE ON events BEGIN"
        " SELECT RAISE(ABORT, 'the event log is append-only'); END"
    )
    conn.commit()
    conn.close()
    assert verify_cli(tampered).exit_code == 1
    output = _refused(team, tampered)
    assert f"{tampered}: its history does not verify (event 3" in output
    assert "--allow-unverified" in output

    result = merge(team, tampered, extra=("--allow-unverified",))
    assert result.exit_code == 0, result.output
    assert "history NOT verified" in result.stdout
    assert "merged although its history does not verify: event 3" in result.stdout
    with Project.open(team) as project:
        record = project.events(annotator="carol")[-1]
    assert record.kind == EventKind.PROJECT_MERGED
    assert record.after["verified"] is False and record.after["allow_unverified"] is True
    assert record.after["problems"][0].startswith("event 3")
    assert verify_cli(team).exit_code == 0  # the team's own history is intact


def test_one_bad_file_among_good_ones_merges_nothing(team, alice, tmp_path):
    (tmp_path / "bad.db").write_text("not sqlite at all, just text")
    output = _refused(team, alice, tmp_path / "bad.db")
    assert "bad.db: not a claimmark project" in output


def test_a_source_open_in_a_window_mid_write_is_read_as_committed_and_never_modified(team, alice):
    from claimmark.core.instance_lock import InstanceLock

    lock = InstanceLock(alice)
    assert lock.acquire()
    window = Project.open(alice)
    try:
        window.add_span("a1", "claim", 0, 3, annotator="alice")  # committed: merged
        writing = window.batch()
        writing.__enter__()  # holds the write lock, with an uncommitted span
        window.add_span("a1", "attribution", 9, 12, annotator="alice")
        before = {p.name: p.read_bytes() for p in alice.parent.glob("alice.db*")}
        result = merge(team, alice)
        assert result.exit_code == 0, result.output
        assert "spans: 2 added" in result.stdout
        after = {p.name: p.read_bytes() for p in alice.parent.glob("alice.db*")}
        assert after["alice.db"] == before["alice.db"]
        assert after["alice.db-wal"] == before["alice.db-wal"]
        writing.__exit__(None, None, None)
    finally:
        window.close()
        lock.release()
    with Project.open(team) as project:
        labels = sorted(s.label for s in project.spans() if s.annotator == "alice")
    assert labels == ["claim", "denial"]
    merge(team, alice)
    assert state(team)["spans"].keys() >= state(alice)["spans"].keys()


def test_the_gold_layer_cannot_run_a_merge(team, alice, tmp_path):
    """Every merge event names the person who ran it: 'gold' is refused, no file created."""
    before = digest(team)
    result = merge(team, alice, by="gold")
    assert result.exit_code != 0
    assert "'gold' is the adjudicated layer, not a person" in result.output
    assert digest(team) == before
    missing = tmp_path / "new-team.db"
    assert merge(missing, alice, by="gold").exit_code != 0
    assert not missing.exists()
