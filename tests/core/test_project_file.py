"""The project file: what it accepts, what it refuses, and that refusing never modifies it."""

import itertools
import sqlite3
import subprocess
import sys

import pytest

from claimmark.core.model import InvariantError, ProjectFileError
from claimmark.core.project import NewDocument, NewSpan, Project
from claimmark.core.schema import APPLICATION_ID, SCHEMA_VERSION


def test_new_project_has_default_schema_in_order(tmp_path):
    with Project.open(tmp_path / "p.db", created_by="ann") as project:
        labels = project.labels()
    assert [label.key for label in labels] == ["claim", "denial", "casualty_report", "attribution"]
    assert [label.hotkey for label in labels] == ["1", "2", "3", "4"]
    assert all(len(label.description) > 100 for label in labels)


def test_file_is_recognisable_wal_and_versioned(tmp_path):
    Project.open(tmp_path / "p.db", created_by="ann").close()
    conn = sqlite3.connect(tmp_path / "p.db")
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    assert {"documents", "labels", "annotators", "spans", "events", "span_view"} <= names


def test_reopening_keeps_everything(tmp_path):
    with Project.open(tmp_path / "p.db", created_by="ann") as project:
        doc, _ = project.import_document(
            NewDocument(text="Shelling killed two.", title="t"), annotator="ann"
        )
        project.add_span(doc, "casualty_report", 0, 19, annotator="ann")
    with Project.open(tmp_path / "p.db", created_by="other") as project:
        [span] = project.spans(doc)
    assert (span.text, span.annotator, span.label) == (
        "Shelling killed two",
        "ann",
        "casualty_report",
    )


def _snapshot(path):
    return path.read_bytes()


def test_not_an_sqlite_file_is_refused_and_untouched(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("these are my notes, not a database\n" * 50)
    before = _snapshot(path)
    with pytest.raises(ProjectFileError, match="not a claimmark project"):
        Project.open(path, created_by="ann")
    assert _snapshot(path) == before
    assert not (tmp_path / "notes.db-wal").exists()


def test_foreign_sqlite_database_is_refused_and_untouched(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE customers (name TEXT)")
    conn.commit()
    conn.close()
    before = _snapshot(path)
    with pytest.raises(ProjectFileError, match="tables: customers"):
        Project.open(path, created_by="ann")
    assert _snapshot(path) == before


def test_newer_schema_is_refused_with_clear_message(tmp_path):
    path = tmp_path / "p.db"
    Project.open(path, created_by="ann").close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    before = _snapshot(path)
    with pytest.raises(ProjectFileError, match="newer claimmark"):
        Project.open(path, created_by="ann")
    assert _snapshot(path) == before


def test_planted_trigger_is_refused(tmp_path):
    path = tmp_path / "p.db"
    Project.open(path, created_by="ann").close()
    conn = sqlite3.connect(path)
    conn.execute(
        "CREATE TRIGGER steal AFTER INSERT ON spans BEGIN "
        "INSERT INTO labels(key, name, color, position) VALUES ('x', 'x', '#000000', 9); END"
    )
    conn.commit()
    conn.close()
    with pytest.raises(ProjectFileError, match="trigger steal"):
        Project.open(path, created_by="ann")


def test_table_replaced_by_view_is_refused(tmp_path):
    path = tmp_path / "p.db"
    Project.open(path, created_by="ann").close()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA writable_schema = ON")
    conn.execute("ALTER TABLE annotators RENAME TO annotators_old")
    conn.execute("CREATE VIEW annotators AS SELECT * FROM annotators_old")
    conn.commit()
    conn.close()
    with pytest.raises(ProjectFileError, match="schema is not the one claimmark created"):
        Project.open(path, created_by="ann")


def test_folder_and_missing_parent_are_clear_errors(tmp_path):
    with pytest.raises(ProjectFileError, match="is a folder"):
        Project.open(tmp_path, created_by="ann")
    with pytest.raises(ProjectFileError, match="does not exist"):
        Project.open(tmp_path / "nope" / "p.db", created_by="ann")


def test_database_refuses_span_text_that_does_not_match(tmp_path):
    """Even a hand edit with sqlite3 cannot bend a span: the schema enforces the invariant."""
    path = tmp_path / "p.db"
    with Project.open(path, created_by="ann") as project:
        doc, _ = project.import_document(NewDocument(text="abc def", title="t"), annotator="ann")
        span = project.add_span(doc, "claim", 0, 3, annotator="ann").created[0]
    conn = sqlite3.connect(path)
    for sql, params in [
        ("UPDATE spans SET text = 'xyz' WHERE id = ?", (span.id,)),
        ("UPDATE spans SET start = 1 WHERE id = ?", (span.id,)),
        ('UPDATE spans SET start = 4, "end" = 7 WHERE id = ?', (span.id,)),
        ("UPDATE documents SET text = 'abc xyz'", ()),
        ("DELETE FROM events", ()),
        ("UPDATE events SET annotator = 'mallory'", ()),
    ]:
        with pytest.raises(sqlite3.DatabaseError):
            conn.execute(sql, params)
    conn.close()


def test_span_invariant_holds_for_hostile_unicode():
    text = "👨🏻‍🚒 firemen\r\ndrive\u2028fire\u2029trucks e\u0301 \u00a0مرحبا שלום"
    with Project.open(None, created_by="ann") as project:
        doc, _ = project.import_document(NewDocument(text=text, title="t"), annotator="ann")
        assert project.document(doc).text == text
        for start in range(0, len(text), 3):
            for end in range(start + 1, len(text) + 1, 5):
                if text[start:end].strip():
                    project.add_span(doc, "claim", start, end, annotator="ann")
        with pytest.raises(InvariantError, match="only whitespace"):
            project.add_span(doc, "claim", 12, 14, annotator="ann")  # the CRLF alone
        project.add_span(
            doc, "attribution", 5, 12, annotator="ann"
        )  # after a 4-code-point ZWJ emoji
        spans = project.spans(doc)
    assert spans and all(text[s.start : s.end] == s.text for s in spans)
    firemen = next(s for s in spans if s.label == "attribution")
    assert firemen.text == "firemen"


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [(5, 5, "before its end"), (6, 2, "before its end"), (-1, 2, "outside"), (0, 99, "outside")],
)
def test_bad_offsets_refused_and_nothing_written(start, end, message):
    with Project.open(None, created_by="ann") as project:
        doc, _ = project.import_document(NewDocument(text="some text", title="t"), annotator="ann")
        events = len(project.events())
        with pytest.raises(InvariantError, match=message):
            project.add_span(doc, "claim", start, end, annotator="ann")
        assert project.spans(doc) == []
        assert len(project.events()) == events


def test_duplicate_refused_but_overlap_nested_and_other_annotator_allowed():
    with Project.open(None, created_by="ann") as project:
        doc, _ = project.import_document(
            NewDocument(text="one two\nthree four", title="t"), annotator="ann"
        )
        project.add_span(doc, "claim", 0, 7, annotator="ann")
        with pytest.raises(InvariantError, match="identical span"):
            project.add_span(doc, "claim", 0, 7, annotator="ann")
        project.add_span(doc, "denial", 0, 7, annotator="ann")  # same range, other label
        project.add_span(
            doc, "claim", 4, 13, annotator="ann"
        )  # overlapping, crossing the line break
        project.add_span(doc, "attribution", 0, 3, annotator="ann")  # nested
        project.add_span(doc, "claim", 0, 7, annotator="bob")  # same span by another annotator
        assert len(project.spans(doc)) == 5
        assert project.annotators() == ["ann", "bob"]


def test_unknown_label_refused():
    with Project.open(None, created_by="ann") as project:
        doc, _ = project.import_document(NewDocument(text="some text", title="t"), annotator="ann")
        with pytest.raises(InvariantError, match="unknown label"):
            project.add_span(doc, "rumour", 0, 4, annotator="ann")


def test_every_change_has_its_event_and_can_be_undone():
    with Project.open(None, created_by="ann") as project:
        doc, _ = project.import_document(
            NewDocument(text="They denied the strike.", title="t"), annotator="ann"
        )
        created = project.add_span(doc, "claim", 5, 11, annotator="ann")
        relabelled = project.relabel_span(created.created[0].id, "denial", annotator="ann")
        resized = project.resize_span(created.created[0].id, 0, 22, annotator="ann")
        noted = project.set_note(created.created[0].id, "whole sentence", annotator="ann")
        status = project.set_status(doc, "done", annotator="ann")
        kinds = [e.kind for e in project.events()]
        assert kinds[-6:] == [
            "span_created",
            "status_changed",  # a first span marks the document in progress
            "span_relabelled",
            "span_resized",
            "span_noted",
            "status_changed",
        ]
        last = project.events()[-2]
        assert last.before["note"] is None and last.after["note"] == "whole sentence"
        assert last.doc_sha256 == project.document(doc).sha256
        span = project.span(created.created[0].id)
        assert (span.label, span.text, span.note) == (
            "denial",
            "They denied the strike",
            "whole sentence",
        )

        for change in (status, noted, resized, relabelled):
            project.revert(change)
        assert project.status(doc, "ann") == "in_progress"  # the first span started it
        span = project.span(created.created[0].id)
        assert (span.label, span.start, span.end, span.note) == ("claim", 5, 11, None)
        undo_create = project.revert(created)  # the span and the status it set, in one step
        assert project.spans(doc) == []
        assert project.status(doc, "ann") is None
        project.revert(undo_create)  # redo: the same span comes back with its id
        assert [s.id for s in project.spans(doc)] == [created.created[0].id]


def test_import_document_keeps_given_ids_and_is_atomic():
    with Project.open(None, created_by="ann") as project:
        events = len(project.events())
        bad = NewDocument(
            text="abc", title="t", id="d1", spans=[NewSpan(0, 1, "claim"), NewSpan(0, 9, "claim")]
        )
        with pytest.raises(InvariantError):
            project.import_document(bad, annotator="ann")
        assert project.document_count() == 0 and len(project.events()) == events
        doc, imported = project.import_document(
            NewDocument(text="abc", title="t", id="d1", spans=[NewSpan(0, 1, "claim", id="s1")]),
            annotator="ann",
        )
        assert (doc, imported) == ("d1", True)
        assert project.import_document(NewDocument(text="abc", title="again"), annotator="ann") == (
            "d1",
            False,
        )
        assert [s.id for s in project.spans("d1")] == ["s1"]


def test_events_form_a_hash_chain():
    with Project.open(None, created_by="ann") as project:
        doc, _ = project.import_document(NewDocument(text="abc def", title="t"), annotator="ann")
        project.add_span(doc, "claim", 0, 3, annotator="ann")
        events = project.events()
        latest = project.latest_event_hash()
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    for previous, event in itertools.pairwise(events):
        assert event.prev_hash == previous.hash
    assert len({e.hash for e in events}) == len(events)
    assert latest == events[-1].hash


def test_second_connection_waits_instead_of_failing(tmp_path):
    path = tmp_path / "p.db"
    first = Project.open(path, created_by="a")
    second = Project.open(path, created_by="b")
    doc, _ = first.import_document(NewDocument(text="shared text", title="t"), annotator="a")
    second.add_span(doc, "claim", 0, 6, annotator="a")
    first.add_span(doc, "claim", 7, 11, annotator="a")
    assert len(first.spans(doc)) == len(second.spans(doc)) == 2
    first.close()
    second.close()


def test_undoing_a_status_change_restores_that_annotators_status():
    with Project.open(None, created_by="alice") as project:
        doc, _ = project.import_document(
            NewDocument(text="some text", title="t"), annotator="alice"
        )
        change = project.set_status(doc, "done", annotator="alice")
        project.set_status(doc, "in_progress", annotator="bob")
        project.revert(change)
        assert project.statuses(doc) == {"bob": "in_progress"}


def test_nobody_changes_another_annotators_span_and_a_refusal_writes_nothing():
    """Layers are separate: maria cannot relabel, resize, note or delete alice's span."""
    with Project.open(None, created_by="alice") as project:
        doc, _ = project.import_document(
            NewDocument(text="They said so.", title="t"), annotator="alice"
        )
        span = project.add_span(doc, "claim", 0, 4, annotator="alice").created[0]
        events = project.event_count()
        for attempt in (
            lambda: project.relabel_span(span.id, "attribution", annotator="maria"),
            lambda: project.resize_span(span.id, 0, 9, annotator="maria"),
            lambda: project.set_note(span.id, "mine now", annotator="maria"),
            lambda: project.delete_span(span.id, annotator="maria"),
        ):
            with pytest.raises(InvariantError, match="alice's layer"):
                attempt()
        assert project.span(span.id) == span
        assert project.event_count() == events
        assert project.annotators() == ["alice"]


def test_span_extents_are_one_annotators_spans_in_text_order():
    with Project.open(None, created_by="alice") as project:
        doc, _ = project.import_document(
            NewDocument(text="one two three four", title="t"), annotator="alice"
        )
        late = project.add_span(doc, "claim", 8, 13, annotator="alice").created[0]
        early = project.add_span(doc, "denial", 0, 3, note="n", annotator="alice").created[0]
        project.add_span(doc, "claim", 4, 7, annotator="bob")
        rows = project.span_extents(doc, "alice")
    assert rows == [(0, 3, "denial", early.id, "n"), (8, 13, "claim", late.id, None)]


def test_new_project_is_migrated_as_sqlite_utils_would_without_importing_it(tmp_path):
    """Creating a project applies the schema steps with the standard library (sqlite-utils pulls
    in pandas when installed: a second per new project), yet the file is exactly what sqlite-utils'
    ``Migrations`` writes, and sqlite-utils sees nothing left to apply."""
    from sqlite_utils import Database

    from claimmark.core.schema import migration_set

    path = tmp_path / "p.db"
    child = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from claimmark.core.project import Project;"
            f" Project.open({str(path)!r}, created_by='ann').close();"
            " print(sorted(m for m in ('sqlite_utils', 'pandas') if m in sys.modules))",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert child.stdout.strip() == "[]"
    theirs = Database(memory=True)
    migration_set().apply(theirs)
    ours = Database(sqlite3.connect(path))

    def schema(db):
        return sorted(db.execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall())

    def records(db):
        return db.execute("SELECT id, migration_set, name FROM _sqlite_migrations").fetchall()

    assert schema(ours) == schema(theirs)
    assert records(ours) == records(theirs)
    assert migration_set().pending(ours) == []
    ours.close()
