"""`claimmark merge`: annotators' files into the team file, as the curator sees it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from claimmark.core.event_kinds import EventKind
from claimmark.core.history import describe_event
from claimmark.core.merge.run import merge_files
from claimmark.core.model import ClaimmarkError
from claimmark.core.project import NewDocument, Project
from claimmark.core.undo_history import UndoHistory
from tests.core.merge.builders import TEXTS, DocSpec, ProjectSpec, SpanSpec, build, merge, state
from tests.core.merge.builders import verify as verify_cli


@pytest.fixture
def files(tmp_path):
    """Alice and Bob each imported the same article (under different ids) and labelled it."""
    alice = build(
        tmp_path / "alice.db",
        ProjectSpec(
            (
                DocSpec(
                    "a1",
                    TEXTS[0],
                    (SpanSpec("alice", "claim", 0, 9, "first"),),
                    (("alice", "done"),),
                ),
                DocSpec("a2", TEXTS[1], (SpanSpec("alice", "denial", 4, 8),)),
            )
        ),
        created_by="alice",
    )
    bob = build(
        tmp_path / "bob.db",
        ProjectSpec(
            (
                DocSpec("b1", TEXTS[0], (SpanSpec("bob", "attribution", 10, 14),)),
                DocSpec("b3", TEXTS[2], (SpanSpec("bob", "claim", 0, 6),)),
            )
        ),
        created_by="bob",
    )
    return tmp_path / "team.db", alice, bob


def test_merge_brings_documents_spans_and_statuses_and_says_so(files):
    team, alice, bob = files
    result = merge(team, alice, bob)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert f"{alice}: project " in out and f"{bob}: project " in out
    assert "documents: 2 new, 0 already present" in out  # alice
    assert "documents: 1 new, 1 already present" in out  # bob: the same text is one document
    assert "spans: 2 added, 0 already present" in out
    assert "conflicts: 0" in out
    assert "Merged 2 file(s): 3 new document(s), 4 span(s) added" in out
    with Project.open(team) as project:
        assert project.document_count() == 3
        assert project.document_id_for_sha256(project.document("a1").sha256) == "a1"
        a1 = {(s.annotator, s.label, s.start, s.end, s.note) for s in project.spans("a1")}
        assert a1 == {("alice", "claim", 0, 9, "first"), ("bob", "attribution", 10, 14, None)}
        assert project.statuses("a1") == {"alice": "done", "bob": "in_progress"}
        assert {layer.name for layer in project.layers()} >= {"alice", "bob", "carol"}
    assert verify_cli(team).exit_code == 0


def test_spans_keep_their_ids_layers_and_times(files):
    team, alice, bob = files
    merge(team, alice, bob)
    with Project.open(alice) as source:
        originals = {span.id: span for span in source.spans()}
    with Project.open(team) as project:
        merged = {span.id: span for span in project.spans() if span.id in originals}
    assert set(merged) == set(originals)
    for span_id, original in originals.items():
        assert merged[span_id] == original  # same document id here: every field as it was


def test_merging_a_file_twice_adds_nothing(files):
    team, alice, bob = files
    merge(team, alice, bob)
    before = state(team)
    with Project.open(team) as project:
        events = project.event_count()
    again = merge(team, alice, bob)
    assert again.exit_code == 0, again.output
    assert "Merged 2 file(s): 0 new document(s), 0 span(s) added, 0 status(es)" in again.stdout
    assert "documents: 0 new, 2 already present" in again.stdout
    assert state(team) == before
    with Project.open(team) as project:
        new = project.events_after(events)
    assert [e.kind for e in new] == [EventKind.PROJECT_MERGED] * 2  # only the record of it


def test_merging_into_a_copy_of_the_source_adds_nothing(files):
    team, alice, _bob = files
    shutil.copy(alice, team)
    result = merge(team, alice)
    assert "(a copy of this project)" in result.stdout
    assert "documents: 0 new, 2 already present" in result.stdout
    assert state(team) == state(alice)


def test_dry_run_prints_the_same_summary_and_writes_nothing(files):
    team, alice, bob = files
    dry = merge(team, alice, bob, extra=("--dry-run",))
    assert dry.exit_code == 0, dry.output
    assert not team.exists()  # not even created
    assert "Would merge 2 file(s): 3 new document(s), 4 span(s) added" in dry.stdout
    assert "Dry run: nothing was written." in dry.stdout
    real = merge(team, alice, bob)
    assert [line for line in dry.stdout.splitlines()[:-1]] == real.stdout.splitlines()[:-1]
    # into an existing project too: nothing changes
    extra = build(
        team.with_name("extra.db"), ProjectSpec((DocSpec("x", TEXTS[3]),)), created_by="dan"
    )
    before = team.read_bytes()
    again = merge(team, extra, extra=("--dry-run",))
    assert again.exit_code == 0
    assert "documents: 1 new, 0 already present" in again.stdout
    assert team.read_bytes() == before
    with Project.open(team) as project:
        assert project.document_count() == 3


def test_audit_log_shows_who_made_each_span_when_and_who_merged_it(files):
    team, alice, _bob = files
    with Project.open(alice) as source:
        claim = next(s for s in source.spans() if s.label == "claim")
    merge(team, alice, by="carol")
    with Project.open(team) as project:
        events = project.events(subject=claim.id)
        assert [e.kind for e in events] == [EventKind.SPAN_MERGED]
        event = events[0]
        assert event.annotator == "carol"  # who merged it
        assert event.after["annotator"] == "alice"  # whose span it is
        assert event.after["created_at"] == claim.created_at  # and when she made it
        line = describe_event(event)
        assert "into alice's layer" in line and f"made by alice at {claim.created_at}" in line
        assert "from 'alice.db'" in line
        record = project.events(annotator="carol")[-1]
        assert record.kind == EventKind.PROJECT_MERGED
        with Project.open(alice) as source:
            head, count, uuid = source.latest_event_hash(), source.event_count(), source.uuid()
        assert record.after["file"] == str(alice.resolve())
        assert record.after["application_id"] == "0x434D4B31"
        assert record.after["events"] == count and record.after["head_hash"] == head
        assert record.after["project_uuid"] == uuid
        assert record.after["verified"] is True and record.after["allow_unverified"] is False


def test_merged_records_are_not_the_mergers_undo_steps(files):
    team, alice, bob = files
    # Alice merges her own file into the team file: her spans arrive, but none is her edit.
    merge(team, alice, bob, by="alice")
    with Project.open(team) as project:
        for person in ("alice", "bob"):
            assert not UndoHistory.rebuild(project, person).can_undo
        span = project.add_span("a2", "claim", 0, 3, annotator="alice")  # her own edit is
        history = UndoHistory.rebuild(project, "alice")
        assert history.can_undo and history.undo_caption == "Add span"
        history.undo(project)
        assert not UndoHistory.rebuild(project, "alice").can_undo
        assert span.created[0].id not in {s.id for s in project.spans("a2")}
        assert len(project.spans("a2")) == 1  # the merged span stays
        assert verify_cli(team).exit_code == 0


def test_merge_returns_a_summary_for_the_window(files):
    team, alice, bob = files
    with Project.open(team, created_by="carol") as project:
        seen = []
        summary = merge_files(
            project, [alice, bob], by="carol", progress=lambda d, t, _: seen.append((d, t))
        )
    assert [s.documents_new for s in summary.sources] == [2, 1]
    assert seen[0] == (0, 4) and seen[-1] == (4, 4)
    assert summary.headline().startswith("Merged 2 file(s): 3 new document(s)")


def test_an_older_schema_file_is_merged_from_an_upgraded_copy_not_in_place(tmp_path):
    old = Path(__file__).parents[1] / "fixtures" / "schema_v1" / "rich.db"
    source = tmp_path / "old.db"
    shutil.copy(old, source)
    before = source.read_bytes()
    team = tmp_path / "team.db"
    result = merge(team, source)
    assert result.exit_code == 0, result.output
    assert source.read_bytes() == before
    assert "no project id" in result.stdout  # schema 1 files have none
    with Project.open(source) as upgraded:  # (upgrades the copy we compare with)
        expected = {(s.id, s.label, s.start, s.end, s.annotator) for s in upgraded.spans()}
    with Project.open(team) as project:
        got = {(s.id, s.label, s.start, s.end, s.annotator) for s in project.spans()}
    assert expected and expected <= got
    assert verify_cli(team).exit_code == 0


def test_team_documents_that_are_already_there_take_the_spans(tmp_path):
    """The curator imported the articles first; the annotators' copies hold the same texts."""
    team = tmp_path / "team.db"
    with Project.open(team, created_by="carol") as project:
        project.import_document(
            NewDocument(text=TEXTS[0], title="t", id="news-1"), annotator="carol"
        )
    alice = build(
        tmp_path / "alice.db",
        ProjectSpec((DocSpec("a1", TEXTS[0], (SpanSpec("alice", "claim", 0, 9),)),)),
        created_by="alice",
    )
    assert merge(team, alice).exit_code == 0
    with Project.open(team) as project:
        assert project.document_ids() == ["news-1"]
        assert [s.document_id for s in project.spans()] == ["news-1"]


def test_a_file_name_with_uri_characters_is_read_as_named(tmp_path, files):
    """SQLite URIs cut a name at '#' or '?' and decode '%41': the file named is the one read."""
    team, alice, _bob = files
    odd = tmp_path / "alice #1 ?x %41.db"
    shutil.copy(alice, odd)
    result = merge(team, odd)
    assert result.exit_code == 0, result.output
    assert "documents: 2 new, 0 already present" in result.stdout
    assert state(team) == state(alice)


def test_undoing_a_status_does_not_erase_the_one_a_merge_set_since(tmp_path):
    """Alice marks the article in progress in the team file; a merge brings 'done' from her
    own copy; her Ctrl+Z of 'in progress' must not wipe the merged status (nor her span)."""
    team = build(tmp_path / "team.db", ProjectSpec((DocSpec("t1", TEXTS[0]),)), created_by="carol")
    copy = tmp_path / "alice.db"
    shutil.copy(team, copy)
    build(copy, ProjectSpec((DocSpec("t1", TEXTS[0], (), (("alice", "done"),)),)))
    with Project.open(team) as project:
        history = UndoHistory("alice")
        history.record(project.add_span("t1", "claim", 0, 9, annotator="alice"))
        assert project.status("t1", "alice") == "in_progress"
        merge_files(project, [copy], by="carol")
        assert project.status("t1", "alice") == "done"
        history.undo(project)  # her span goes; the merged status stays
        assert project.spans("t1", annotators=["alice"]) == []
        assert project.status("t1", "alice") == "done"
        history.redo(project)
        assert [s.label for s in project.spans("t1", annotators=["alice"])] == ["claim"]
        assert project.status("t1", "alice") == "done"
    assert verify_cli(team).exit_code == 0


def test_undoing_only_a_status_a_merge_changed_since_says_so_and_writes_nothing(tmp_path):
    team = build(tmp_path / "team.db", ProjectSpec((DocSpec("t1", TEXTS[0]),)), created_by="carol")
    copy = tmp_path / "alice.db"
    shutil.copy(team, copy)
    build(copy, ProjectSpec((DocSpec("t1", TEXTS[0], (), (("alice", "done"),)),)))
    with Project.open(team) as project:
        history = UndoHistory("alice")
        history.record(project.set_status("t1", "in_progress", annotator="alice"))
        merge_files(project, [copy], by="carol")
        events = project.event_count()
        with pytest.raises(ClaimmarkError, match=r"changed since \(document t1: done\)"):
            history.undo(project)
        assert project.status("t1", "alice") == "done"
        assert project.event_count() == events
        assert not history.can_undo
