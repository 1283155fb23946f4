"""Relations: typed links between two spans of one document and layer, their rules, undo, audit."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from claimmark.core.audit import verify
from claimmark.core.cli import cli
from claimmark.core.history import describe_event
from claimmark.core.model import GOLD_LAYER, ClaimmarkError, InvariantError, RelationType
from claimmark.core.project import NewDocument, Project
from claimmark.core.undo_history import UndoHistory

TEXT = (
    "Militants said they killed five soldiers. "  # 0-41
    "The ministry denied that anyone was killed."  # 42-85
)
OTHER_TEXT = "Another article: the army said it shot down a drone."


def _span(project: Project, document_id: str, label: str, piece: str, annotator: str) -> str:
    start = project.document(document_id).text.index(piece)
    changes = project.add_span(document_id, label, start, start + len(piece), annotator=annotator)
    return changes.created[0].id


@pytest.fixture
def linked(project: Project):
    """alice's claim, attribution and denial in one article, and a claim of bob's."""
    doc, _ = project.import_document(NewDocument(text=TEXT, title="t"), annotator="alice")
    other, _ = project.import_document(NewDocument(text=OTHER_TEXT, title="o"), annotator="alice")
    ids = {
        "claim": _span(project, doc, "claim", "they killed five soldiers", "alice"),
        "source": _span(project, doc, "attribution", "Militants", "alice"),
        "denial": _span(project, doc, "denial", "denied that anyone was killed", "alice"),
        "bob_source": _span(project, doc, "attribution", "Militants", "bob"),
        "elsewhere": _span(project, other, "attribution", "the army", "alice"),
    }
    return project, doc, ids


def test_a_new_project_has_the_default_relation_types(project):
    types = {t.key: t for t in project.relation_types()}
    assert list(types) == ["attributed_to", "denies"]
    assert types["attributed_to"].from_labels == ("claim", "denial", "casualty_report")
    assert types["attributed_to"].to_labels == ("attribution",)
    assert types["denies"].from_labels == ("denial",)
    assert types["denies"].to_labels == ("claim",)
    label_hotkeys = {label.hotkey for label in project.labels()}
    assert {t.hotkey for t in types.values()} == {"a", "d"}
    assert not label_hotkeys & {"a", "d"}
    kinds = [e.kind for e in project.events()]
    assert kinds.count("relation_type_added") == 2
    assert verify(project).ok


def test_an_upgraded_old_file_gets_no_relation_types(tmp_path):
    fixture = Path(__file__).parent / "fixtures" / "schema_v1" / "rich.db"
    path = tmp_path / "old.db"
    shutil.copyfile(fixture, path)
    with Project.open(path) as project:
        assert project.relation_types() == []
        assert verify(project).ok


def test_a_link_is_stored_with_its_event(linked):
    project, doc, ids = linked
    changes = project.add_relation(ids["claim"], ids["source"], "attributed_to", annotator="alice")
    [record] = changes.relations
    relation = record.after
    assert relation.document_id == doc and relation.annotator == "alice"
    assert project.relations(doc, "alice") == [relation]
    assert project.relations_of_span(ids["source"]) == [relation]
    assert changes.caption == "Add relation" and changes.undoable
    event = project.events()[-1]
    assert event.kind == "relation_created" and event.subject == relation.id
    assert describe_event(event, with_document=False) == (
        "linked claim 'they killed five soldiers' -attributed_to-> attribution 'Militants'"
    )


@pytest.mark.parametrize(
    ("ends", "type_", "message"),
    [
        (
            ("source", "claim"),
            "attributed_to",
            "attributed_to goes from claim, denial or casualty_report to attribution,"
            " not from attribution to claim",
        ),
        (
            ("claim", "denial"),
            "denies",
            "denies goes from denial to claim, not from claim to denial",
        ),
        (("claim", "claim"), "attributed_to", "a relation links two different spans"),
        (("claim", "elsewhere"), "attributed_to", "the two spans are in different documents"),
        (
            ("claim", "bob_source"),
            "attributed_to",
            "the two spans are in different layers (alice's and bob's)",
        ),
        (("claim", "source"), "supports", "unknown relation type 'supports'"),
    ],
    ids=["reversed", "wrong labels", "itself", "two documents", "two layers", "unknown type"],
)
def test_a_link_breaking_a_rule_is_refused_naming_it(linked, ends, type_, message):
    project, doc, ids = linked
    events = len(project.events())
    with pytest.raises(InvariantError) as refused:
        project.add_relation(ids[ends[0]], ids[ends[1]], type_, annotator="alice")
    assert message in str(refused.value)
    assert project.relations(doc, "alice") == []
    assert len(project.events()) == events


def test_a_link_to_a_missing_span_is_refused(linked):
    project, _doc, ids = linked
    with pytest.raises(InvariantError, match="no span with id 'nope'"):
        project.add_relation(ids["claim"], "nope", "attributed_to", annotator="alice")


def test_the_same_link_twice_is_refused(linked):
    project, _doc, ids = linked
    project.add_relation(ids["claim"], ids["source"], "attributed_to", annotator="alice")
    with pytest.raises(InvariantError, match="already exists"):
        project.add_relation(ids["claim"], ids["source"], "attributed_to", annotator="alice")


def test_nobody_links_another_persons_spans(linked):
    project, doc, ids = linked
    with pytest.raises(InvariantError, match="this is alice's layer; bob can change only"):
        project.add_relation(ids["claim"], ids["source"], "attributed_to", annotator="bob")
    relation = project.add_relation(
        ids["claim"], ids["source"], "attributed_to", annotator="alice"
    ).relations[0]
    with pytest.raises(InvariantError, match="this is alice's layer"):
        project.delete_relation(relation.after.id, annotator="bob")
    assert len(project.relations(doc, "alice")) == 1


def test_adjudication_links_gold_spans_and_only_it_does(project):
    doc, _ = project.import_document(NewDocument(text=TEXT, title="t"), annotator="curator")
    claim = project.add_span(
        doc, "claim", 15, 40, annotator=GOLD_LAYER, by="curator", adjudication=True
    ).created[0]
    source = project.add_span(
        doc, "attribution", 0, 9, annotator=GOLD_LAYER, by="curator", adjudication=True
    ).created[0]
    with pytest.raises(InvariantError, match="written only by adjudication"):
        project.add_relation(claim.id, source.id, "attributed_to", annotator="curator")
    changes = project.add_relation(
        claim.id, source.id, "attributed_to", annotator="curator", adjudication=True
    )
    assert changes.relations[0].after.annotator == GOLD_LAYER
    assert [r.type for r in project.relations(doc, GOLD_LAYER)] == ["attributed_to"]
    history = UndoHistory("curator")
    history.record(changes)
    history.undo(project)
    assert project.relations(doc, GOLD_LAYER) == []
    history.redo(project)
    assert len(project.relations(doc, GOLD_LAYER)) == 1
    assert verify(project).ok


def test_relabelling_a_linked_span_out_of_its_rule_is_refused(linked):
    project, _doc, ids = linked
    project.add_relation(ids["claim"], ids["source"], "attributed_to", annotator="alice")
    with pytest.raises(InvariantError) as refused:
        project.relabel_span(ids["source"], "claim", annotator="alice")
    assert str(refused.value) == (
        "cannot change the label to claim: the span is the target of a relation of type"
        " attributed_to (attributed_to goes from claim, denial or casualty_report to"
        " attribution); delete the relation first"
    )
    assert project.span(ids["source"]).label == "attribution"
    # a label the rule still allows is fine: a claim relabelled a denial keeps its source
    project.relabel_span(ids["claim"], "denial", annotator="alice")
    assert project.span(ids["claim"]).label == "denial"


def test_deleting_a_span_deletes_its_relations_in_one_undo_step(linked):
    project, doc, ids = linked
    history = UndoHistory("alice")
    history.record(
        project.add_relation(ids["claim"], ids["source"], "attributed_to", annotator="alice")
    )
    history.record(project.add_relation(ids["denial"], ids["claim"], "denies", annotator="alice"))
    before = project.relations(doc, "alice")
    changes = project.delete_span(ids["claim"], annotator="alice")
    history.record(changes)
    assert changes.caption == "Delete span"
    assert len(changes.relations) == 2 and len(changes.spans) == 1
    assert project.relations(doc, "alice") == []
    assert {e.operation for e in project.events()[-3:]} == {changes.operation}
    history.undo(project)
    assert project.span(ids["claim"]).text == "they killed five soldiers"
    assert project.relations(doc, "alice") == before
    history.redo(project)
    assert project.relations(doc, "alice") == []
    history.undo(project)
    assert project.relations(doc, "alice") == before
    assert verify(project).ok


def test_deleting_a_relation_is_undone_and_redone(linked):
    project, doc, ids = linked
    history = UndoHistory("alice")
    made = project.add_relation(ids["claim"], ids["source"], "attributed_to", annotator="alice")
    history.record(made)
    relation = made.relations[0].after
    deleted = project.delete_relation(relation.id, annotator="alice")
    history.record(deleted)
    assert history.undo_caption == "Delete relation"
    assert project.relations(doc, "alice") == []
    history.undo(project)
    assert project.relations(doc, "alice") == [relation]  # same id, same time: restored
    assert project.events()[-1].kind == "relation_restored"
    history.undo(project)
    assert project.relations(doc, "alice") == []
    history.redo(project)
    assert project.relations(doc, "alice") == [relation]
    assert verify(project).ok


def test_the_undo_history_with_relations_is_rebuilt_from_the_log(linked):
    project, doc, ids = linked
    history = UndoHistory("alice")
    history.record(
        project.add_relation(ids["claim"], ids["source"], "attributed_to", annotator="alice")
    )
    history.record(project.delete_span(ids["claim"], annotator="alice"))
    history.undo(project)
    rebuilt = UndoHistory.rebuild(project, "alice")
    assert (rebuilt.undo_caption, rebuilt.redo_caption) == ("Add relation", "Delete span")
    rebuilt.redo(project)
    assert project.relations(doc, "alice") == []
    rebuilt.undo(project)
    assert len(project.relations(doc, "alice")) == 1
    rebuilt.undo(project)
    assert project.relations(doc, "alice") == []
    assert verify(project).ok


def test_the_project_file_refuses_bent_relations(linked, tmp_path):
    project, doc, ids = linked
    relation = project.add_relation(
        ids["claim"], ids["source"], "attributed_to", annotator="alice"
    ).relations[0]
    conn = project._conn
    with pytest.raises(sqlite3.IntegrityError, match="never changes"):
        conn.execute("UPDATE relations SET type = 'denies' WHERE id = ?", (relation.after.id,))
    with pytest.raises(sqlite3.IntegrityError, match="its own document and layer"):
        conn.execute(
            "INSERT INTO relations VALUES ('x', ?, 'attributed_to', ?, ?, 'alice', 'now')",
            (doc, ids["claim"], ids["bob_source"]),
        )
    with pytest.raises(sqlite3.IntegrityError, match="its own document and layer"):
        conn.execute(
            "INSERT INTO relations VALUES ('x', ?, 'attributed_to', ?, ?, 'alice', 'now')",
            (doc, ids["claim"], ids["claim"]),
        )
    with pytest.raises(sqlite3.IntegrityError, match="stays in its document and layer"):
        conn.execute("UPDATE spans SET annotator = 'bob' WHERE id = ?", (ids["claim"],))
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        conn.execute("DELETE FROM spans WHERE id = ?", (ids["claim"],))


def test_audit_finds_a_relation_made_or_removed_behind_claimmarks_back(linked):
    project, doc, ids = linked
    relation = project.add_relation(
        ids["claim"], ids["source"], "attributed_to", annotator="alice"
    ).relations[0]
    assert verify(project).ok
    assert verify(project).counts["relations"] == 1
    conn = project._conn
    conn.execute(
        "INSERT INTO relations VALUES ('planted', ?, 'denies', ?, ?, 'alice', 'now')",
        (doc, ids["denial"], ids["claim"]),
    )
    assert verify(project).problems == ["relation planted: in the project but no event created it"]
    conn.execute("DELETE FROM relations WHERE id = 'planted'")
    assert verify(project).ok
    conn.execute("DELETE FROM relations WHERE id = ?", (relation.after.id,))
    assert verify(project).problems == [
        f"relation {relation.after.id}: in the history but not in the project"
    ]


def test_audit_finds_a_relation_type_changed_behind_claimmarks_back(project):
    project._conn.execute("UPDATE relation_types SET to_labels = '[]' WHERE key = 'denies'")
    assert verify(project).problems == [
        "relation type denies: differs from what its events record (to_labels)"
    ]


def test_a_relation_type_is_added_with_its_rule_checked(project):
    added = RelationType("supports", "Supports", "#123456", "s", "", ("claim",), ("claim",))
    changes = project.add_relation_type(added, annotator="alice")
    assert changes.relation_types == (added,) and not changes.undoable
    assert project.relation_type("supports") == added
    assert describe_event(project.events()[-1]) == (
        "added relation type supports (Supports, #123456): from claim to claim"
    )
    for bad, message in [
        (RelationType("x", "X", "#123456", "a"), "hotkey 'a' is already used by relation type"),
        (RelationType("y", "Y", "#123456", None, "", ("rumour",)), "label 'rumour'"),
        (RelationType("Bad Key", "B", "#123456"), "is not allowed"),
        (RelationType("z", "Z", "red"), "is not a #rrggbb colour"),
        (RelationType("supports", "S", "#123456"), "already exists"),
    ]:
        with pytest.raises(InvariantError, match=message):
            project.add_relation_type(bad, annotator="alice")
    assert verify(project).ok


def test_allowed_types_follow_the_two_spans_labels(linked):
    project, _doc, ids = linked
    keys = [t.key for t in project.allowed_relation_types(ids["denial"], ids["claim"])]
    assert keys == ["denies"]
    keys = [t.key for t in project.allowed_relation_types(ids["denial"], ids["source"])]
    assert keys == ["attributed_to"]
    assert project.allowed_relation_types(ids["source"], ids["claim"]) == []
    assert project.allowed_relation_types(ids["claim"], ids["bob_source"]) == []


def test_stats_count_relations_per_type(linked, tmp_path):
    project, _doc, ids = linked
    project.add_relation(ids["claim"], ids["source"], "attributed_to", annotator="alice")
    project.add_relation(ids["denial"], ids["source"], "attributed_to", annotator="alice")
    project.add_relation(ids["denial"], ids["claim"], "denies", annotator="alice")
    stats = project.stats()
    assert stats["relations"] == 3
    assert stats["relations_per_type"] == {"attributed_to": 2, "denies": 1}


def test_cli_stats_lists_relations_per_type(tmp_path):
    path = tmp_path / "p.db"
    with Project.open(path, created_by="alice") as project:
        doc, _ = project.import_document(NewDocument(text=TEXT, title="t"), annotator="alice")
        claim = _span(project, doc, "claim", "they killed five soldiers", "alice")
        source = _span(project, doc, "attribution", "Militants", "alice")
        project.add_relation(claim, source, "attributed_to", annotator="alice")
    result = CliRunner().invoke(cli, ["--project", str(path), "stats"])
    assert result.exit_code == 0, result.output
    assert "relations: 1\nrelations per type:\n  attributed_to: 1\n  denies: 0\n" in result.stdout


def test_revert_of_a_span_insert_with_newer_links_is_refused_cleanly(linked):
    """Undo of an old span creation whose span has since been linked (by a redo path, say)."""
    project, doc, _ids = linked
    made = project.add_span(doc, "claim", 42, 54, annotator="alice")
    span = made.created[0]
    source = project.spans(doc, annotators=["alice"], labels=["attribution"])[0]
    project.add_relation(span.id, source.id, "attributed_to", annotator="alice")
    with pytest.raises(ClaimmarkError, match="the span has relations; delete them first"):
        project.revert(made)
    assert project.span(span.id) == span


def test_cli_export_names_a_relation_it_cannot_carry_by_its_id(tmp_path):
    """A relation has no label or offsets: the loss line names the relation, not 'span s None'."""
    path = tmp_path / "p.db"
    with Project.open(path, created_by="alice") as project:
        doc, _ = project.import_document(NewDocument(text=TEXT, title="t"), annotator="alice")
        claim = _span(project, doc, "claim", "they killed five soldiers", "alice")
        source = _span(project, doc, "attribution", "Militants", "alice")
        relation = project.add_relation(claim, source, "attributed_to", annotator="alice")
        relation_id = relation.relations[0].relation.id
    out = tmp_path / "x.conll"
    result = CliRunner().invoke(
        cli, ["--project", str(path), "export", "--format", "conll", "-o", str(out), "-q"]
    )
    assert result.exit_code == 0, result.output
    lines = [
        line
        for line in result.stderr.splitlines()
        if line.startswith("lost:") and "relation_not_carried" in line
    ]
    assert lines == [
        f"lost: {doc} relation {relation_id} (from span {claim}) relation_not_carried: "
        f"the format has no relations: attributed_to from span {claim} to span {source}"
    ]
