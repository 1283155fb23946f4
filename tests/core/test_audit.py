"""`claimmark audit verify` against every kind of tampering, and `audit log` as a user reads it."""

import sqlite3

import pytest
from click.testing import CliRunner

from claimmark.core.audit import verify
from claimmark.core.cli import cli
from claimmark.core.events import event_hash
from claimmark.core.import_event import imported_spans
from claimmark.core.project import NewDocument, NewSpan, Project


@pytest.fixture
def history(tmp_path):
    """A project with a varied history: import, labels, every kind of span change, statuses."""
    path = tmp_path / "p.db"
    with Project.open(path, created_by="alice") as project:
        doc, _ = project.import_document(
            NewDocument(
                text="Officials said 12 died.\r\nThe army denied it.",
                title="t",
                spans=[NewSpan(0, 9, "attribution")],
            ),
            annotator="alice",
        )
        claim = project.add_span(doc, "claim", 15, 22, annotator="alice").created[0]
        project.relabel_span(claim.id, "casualty_report", annotator="alice")
        project.resize_span(claim.id, 15, 17, annotator="alice")
        project.set_note(claim.id, "number only", annotator="alice")
        project.set_status(doc, "done", annotator="alice")
        gone = project.add_span(doc, "denial", 25, 44, annotator="bob")
        project.revert(project.delete_span(gone.created[0].id, annotator="bob"))
    return path


def _verify(path):
    return CliRunner().invoke(cli, ["--project", str(path), "audit", "verify"])


def _tamper(path, *statements, drop_triggers=False):
    conn = sqlite3.connect(path)
    if drop_triggers:
        conn.execute("DROP TRIGGER IF EXISTS events_refuse_update")
        conn.execute("DROP TRIGGER IF EXISTS events_refuse_delete")
    for statement in statements:
        conn.execute(statement)
    if drop_triggers:  # put them back so the file looks untouched
        for action in ("UPDATE", "DELETE"):
            conn.execute(
                f"CREATE TRIGGER events_refuse_{action.lower()} BEFORE {action} ON events BEGIN"
                " SELECT RAISE(ABORT, 'the event log is append-only'); END"
            )
    conn.commit()
    conn.close()


def test_intact_history_verifies(history):
    result = _verify(history)
    assert result.exit_code == 0, result.output
    assert "OK:" in result.stdout and "hash chain intact" in result.stdout
    assert "replay matches (1 documents, 4 labels, 3 spans, 0 relations)" in result.stdout


@pytest.mark.parametrize(
    ("statements", "expected"),
    [
        (
            ["UPDATE events SET annotator = 'mallory' WHERE seq = 15"],
            "event 15 (span_relabelled): content does not match its hash",
        ),
        (["DELETE FROM events WHERE seq = 14"], "event 15: expected event 14 here"),
        (["DELETE FROM events WHERE seq = (SELECT max(seq) FROM events)"], "span"),
    ],
    ids=["edited event", "deleted event", "last event deleted"],
)
def test_tampered_events_are_found(history, statements, expected):
    _tamper(history, *statements, drop_triggers=True)
    result = _verify(history)
    assert result.exit_code == 1
    assert expected in result.stdout


def test_inserted_event_with_a_valid_hash_is_found(history):
    """A forger who recomputes the inserted event's own hash still breaks the next link."""
    conn = sqlite3.connect(history)
    conn.row_factory = sqlite3.Row
    rows = [dict(r) for r in conn.execute("SELECT * FROM events ORDER BY seq")]
    forged = {
        **rows[11],
        "seq": 13,
        "annotator": "mallory",
        "kind": "annotator_added",
        "document_id": None,
        "doc_sha256": None,
        "subject": "mallory",
        "before": None,
        "after": '{"name":"mallory"}',
        "prev_hash": rows[11]["hash"],
    }
    forged["hash"] = event_hash(forged)
    conn.execute("DROP TRIGGER events_refuse_update")
    conn.execute("UPDATE events SET seq = seq + 1000 WHERE seq >= 13")
    conn.execute("UPDATE events SET seq = seq - 999 WHERE seq >= 1013")
    conn.execute(
        "INSERT INTO events VALUES (:seq, :at, :annotator, :kind, :document_id, :doc_sha256,"
        " :subject, :before, :after, :app_version, :prev_hash, :hash, :operation, :reverts)",
        forged,
    )
    conn.commit()
    conn.close()
    _tamper(history, drop_triggers=True)  # recreates the missing trigger
    result = _verify(history)
    assert result.exit_code == 1
    assert "event 14: its previous-hash does not match event 13" in result.stdout


def test_span_changed_without_event_is_found(history):
    _tamper(history, "UPDATE spans SET label = 'claim' WHERE label = 'casualty_report'")
    result = _verify(history)
    assert result.exit_code == 1
    assert "differs from what its events record" in result.stdout


def test_span_added_without_event_is_found(history):
    _tamper(
        history,
        "INSERT INTO spans SELECT 'planted', document_id, 'claim', 0, 9, 'Officials', 'alice',"
        " NULL, created_at, updated_at, NULL, '{}' FROM spans LIMIT 1",
    )
    result = _verify(history)
    assert result.exit_code == 1
    assert "span planted: in the project but no event created it" in result.stdout


def test_dropped_trigger_then_edits_is_refused(history):
    conn = sqlite3.connect(history)
    conn.execute("DROP TRIGGER events_refuse_delete")
    conn.execute("DELETE FROM events WHERE seq = 3")
    conn.commit()
    conn.close()
    result = _verify(history)
    assert result.exit_code == 1
    assert "missing: trigger events_refuse_delete" in result.stderr


def test_audit_log_filters(history):
    run = CliRunner().invoke
    everything = run(cli, ["--project", str(history), "audit", "log"]).stdout
    assert "relabelled span claim -> casualty_report '12 died'" in everything
    assert "resized span casualty_report 15-22 '12 died' -> 15-17 '12'" in everything
    assert "note on casualty_report 15-17 '12': None -> 'number only'" in everything
    bob = run(cli, ["--project", str(history), "audit", "log", "--annotator", "bob"]).stdout
    assert "deleted span denial" in bob and "alice" not in bob
    later = run(cli, ["--project", str(history), "audit", "log", "--since", "2999-01-01"]).stdout
    assert later == ""


def test_span_inserted_by_hand_with_text_not_the_documents_is_found(history):
    """The file refuses such an insert only when the span lies outside the document (schema
    step 2 dropped the costly text comparison on insert); verify compares every span's text."""
    conn = sqlite3.connect(history)
    with pytest.raises(sqlite3.IntegrityError, match="outside the document"):
        conn.execute(
            "INSERT INTO spans SELECT 'far', document_id, 'claim', 100, 103, 'abc', 'alice',"
            " NULL, created_at, updated_at, NULL, '{}' FROM spans LIMIT 1",
        )
    conn.close()
    _tamper(
        history,
        "INSERT INTO spans SELECT 'bent', document_id, 'claim', 0, 9, 'Officialz', 'alice',"
        " NULL, created_at, updated_at, NULL, '{}' FROM spans LIMIT 1",
    )
    result = _verify(history)
    assert result.exit_code == 1
    assert "span bent: its text is not the document's text at its offsets" in result.stdout


def test_import_events_leave_out_what_the_project_holds_already_and_still_replay(tmp_path):
    """An import event names its document's text by hash, so its spans need not repeat their
    texts, absent notes, or the import's time; verify rebuilds every span exactly from it."""
    text = "👨🏻‍🚒 Officials said 12 died.\r\nThe army denied it."
    with Project.open(tmp_path / "p.db", created_by="alice") as project:
        doc, _ = project.import_document(
            NewDocument(
                text=text,
                title="t",
                spans=[
                    NewSpan(5, 14, "attribution"),
                    NewSpan(20, 28, "claim", annotator="bob", note="count"),
                    NewSpan(
                        35,
                        43,
                        "denial",
                        created_at="2024-01-01T00:00:00.000000Z",
                        updated_at="2024-01-02T00:00:00.000000Z",
                    ),
                ],
            ),
            annotator="alice",
        )
        event = next(e for e in project.events() if e.kind == "document_imported")
        recorded = {s["start"]: s for s in imported_spans(event.after)}
        assert all("text" not in s for s in recorded.values())
        assert "note" not in recorded[5] and recorded[20]["note"] == "count"
        assert "created_at" not in recorded[5] and "updated_at" not in recorded[5]
        assert recorded[35]["updated_at"] == "2024-01-02T00:00:00.000000Z"
        assert verify(project).ok
        assert [s.text for s in project.spans(doc)] == [text[5:14], text[20:28], text[35:43]]
        assert text[5:14] == "Officials"
    _tamper(tmp_path / "p.db", "UPDATE spans SET note = 'forged' WHERE start = 5")
    result = _verify(tmp_path / "p.db")
    assert result.exit_code == 1
    assert "differs from what its events record (note)" in result.stdout
