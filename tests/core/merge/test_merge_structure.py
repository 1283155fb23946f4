"""Discontinuous spans, attribute values and attribute definitions travel through a merge."""

from __future__ import annotations

from claimmark.core.attributes import AttributeDefinition
from claimmark.core.project import Project
from tests.core.merge.builders import TEXTS, DocSpec, ProjectSpec, SpanSpec, build, merge
from tests.core.merge.builders import verify as verify_cli


def _definition(**values) -> AttributeDefinition:
    return AttributeDefinition.from_json({"label": "claim", "name": "certainty", **values})


def test_fragments_attributes_and_definitions_are_carried(tmp_path):
    alice = build(
        tmp_path / "alice.db",
        ProjectSpec((DocSpec("d", TEXTS[0], (SpanSpec("alice", "casualty_report", 0, 9),)),)),
        created_by="alice",
    )
    with Project.open(alice) as project:
        project.add_attribute_definition(
            _definition(kind="choice", choices=["sure", "hedged"]), annotator="alice"
        )
        (report,) = project.spans()
        project.add_fragment(report.id, 15, 21, annotator="alice")
        project.set_attributes(report.id, {"killed": 12, "group": "civilians"}, annotator="alice")
        claim = project.add_span("d", "claim", 22, 26, annotator="alice").created[0]
        project.set_attributes(claim.id, {"certainty": "hedged"}, annotator="alice")
        originals = {span.id: span for span in project.spans()}
    team = tmp_path / "team.db"
    result = merge(team, alice)
    assert result.exit_code == 0, result.output
    assert "attributes: 1 added, 4 already present" in result.stdout
    with Project.open(team) as project:
        assert {s.id: s for s in project.spans()} == originals  # every field, pieces included
        assert project.span(report.id).fragments == ((0, 9), (15, 21))
        assert dict(project.span(claim.id).attributes) == {"certainty": "hedged"}
        assert project.attribute_store.of_label("claim")["certainty"].choices == (
            "sure",
            "hedged",
        )
    assert verify_cli(team).exit_code == 0
    again = merge(team, alice)
    assert "spans: 0 added, 2 already present" in again.stdout
    assert "conflicts: 0" in again.stdout


def test_an_attribute_defined_otherwise_is_a_conflict_and_spans_that_do_not_fit_stay_out(
    tmp_path,
):
    alice = build(
        tmp_path / "alice.db",
        ProjectSpec((DocSpec("d", TEXTS[0]),)),
        created_by="alice",
    )
    with Project.open(alice) as project:
        project.add_attribute_definition(
            _definition(kind="choice", choices=["sure", "hedged"]), annotator="alice"
        )
        fits = project.add_span("d", "claim", 0, 9, annotator="alice").created[0]
        project.set_attributes(fits.id, {"certainty": "sure"}, annotator="alice")
        odd = project.add_span("d", "claim", 10, 14, annotator="alice").created[0]
        project.set_attributes(odd.id, {"certainty": "hedged"}, annotator="alice")
    team = tmp_path / "team.db"
    with Project.open(team, created_by="carol") as project:
        project.add_attribute_definition(
            _definition(kind="choice", choices=["sure", "doubtful"]), annotator="carol"
        )
    result = merge(team, alice)
    assert result.exit_code == 0, result.output
    lines = [line.strip() for line in result.stdout.splitlines() if "conflict: " in line]
    assert lines[0] == (
        f"conflict: {alice}: attribute claim.certainty: defined otherwise there (choices):"
        " team.db keeps its definition (one of sure, doubtful)"
    )
    assert lines[1].startswith(f"conflict: {alice}: span {odd.id}: cannot be stored in team.db (")
    assert lines[1].endswith("): not merged")
    assert len(lines) == 2
    with Project.open(team) as project:
        assert {s.id for s in project.spans()} == {fits.id}
    assert verify_cli(team).exit_code == 0
