"""`audit verify` replays attributes, fragments and attribute definitions, and finds them edited
behind claimmark's back."""

from __future__ import annotations

import sqlite3

import pytest
from click.testing import CliRunner

from claimmark.core.attributes import AttributeDefinition
from claimmark.core.cli import cli
from claimmark.core.history import describe_event
from claimmark.core.import_event import imported_spans
from claimmark.core.project import NewDocument, NewSpan, Project

TEXT = "Officials said five people were killed, the army said, and 10 to 12 injured."


@pytest.fixture
def history(tmp_path):
    path = tmp_path / "p.db"
    with Project.open(path, created_by="alice") as project:
        doc, _ = project.import_document(
            NewDocument(
                text=TEXT,
                title="t",
                spans=[
                    NewSpan(
                        15,
                        76,
                        "casualty_report",
                        annotator="bob",
                        fragments=[[15, 38], [59, 76]],
                        attributes={"killed": 5, "injured": "10-12"},
                    ),
                    NewSpan(0, 9, "attribution", attributes={"source_type": "official"}),
                ],
            ),
            annotator="alice",
        )
        claim = project.add_span(doc, "casualty_report", 15, 38, annotator="alice").created[0]
        project.add_fragment(claim.id, 59, 76, annotator="alice")
        project.set_attributes(claim.id, {"group": "civilians"}, annotator="alice")
        extra = project.add_fragment(claim.id, 0, 9, annotator="alice")
        project.revert(extra)
        project.remove_fragment(claim.id, 1, annotator="alice")
        project.add_attribute_definition(
            AttributeDefinition("claim", "confirmed", "boolean"), annotator="alice"
        )
    return path


def _verify(path):
    return CliRunner().invoke(cli, ["--project", str(path), "audit", "verify"])


def _tamper(path, statement):
    conn = sqlite3.connect(path)
    conn.execute(statement)
    conn.commit()
    conn.close()


def test_history_with_attributes_and_fragments_verifies(history):
    result = _verify(history)
    assert result.exit_code == 0, result.output
    with Project.open(history) as project:
        imported = next(e for e in project.events() if e.kind == "document_imported")
        first, second = imported_spans(imported.after)
        assert first["fragments"] == [[15, 38], [59, 76]]
        assert first["attributes"] == {"killed": 5, "injured": [10, 12]}
        assert "fragments" not in second  # the compact form leaves defaults out
        lines = [describe_event(e) for e in project.events()]
    assert any("extended span casualty_report 15-38 -> 15-38;59-76" in line for line in lines)
    assert any("attributes of casualty_report" in line and "'civilians'" in line for line in lines)
    assert any("added attribute confirmed (boolean) to label claim" in line for line in lines)


@pytest.mark.parametrize(
    ("statement", "expected"),
    [
        (
            """UPDATE spans SET attributes = '{"killed":7,"injured":[10,12]}'
               WHERE fragments IS NOT NULL AND attributes != '{}'""",
            "differs from what its events record (attributes)",
        ),
        (
            "UPDATE spans SET attributes = '{\"killed\":' WHERE label = 'attribution'",
            "not valid JSON",
        ),
        (
            "UPDATE spans SET attributes = '{\"killed\":\"five\"}' WHERE label = 'casualty_report'",
            "killed must be a whole number ≥ 0, a range such as 10–12, or unknown; got 'five'",
        ),
        (
            "UPDATE spans SET fragments = '[[15,38],[30,76]]' WHERE label = 'casualty_report'",
            "overlap",
        ),
        ("UPDATE spans SET fragments = '[[15,38],[59,80]]' WHERE label = 'casualty_report'", "run"),
        ("UPDATE spans SET fragments = NULL WHERE fragments IS NOT NULL", "(fragments)"),
        ("UPDATE label_attributes SET minimum = 1 WHERE name = 'killed'", "attribute casualty"),
    ],
    ids=["values", "bad json", "bad value", "overlap", "outside", "dropped", "definition"],
)
def test_hand_edits_are_found(history, statement, expected):
    _tamper(history, statement)
    result = _verify(history)
    assert result.exit_code == 1
    assert expected in result.stdout
