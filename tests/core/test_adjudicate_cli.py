"""``claimmark adjudicate --accept-agreed``, ``stats`` and ``export --annotator gold`` on a
project three annotators labelled (see ``tests/team_project.py``)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from claimmark.core.audit import verify
from claimmark.core.cli import cli
from claimmark.core.event_kinds import EventKind
from claimmark.core.export.registry import FORMATS
from claimmark.core.model import GOLD_LAYER
from claimmark.core.project import Project
from tests.team_project import CURATOR, key, make_team_project


@pytest.fixture
def team(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("CLAIMMARK_PROJECT", raising=False)
    monkeypatch.delenv("CLAIMMARK_ANNOTATOR", raising=False)
    path = tmp_path / "team.db"
    make_team_project(path).close()
    return path


def _run(path, *args):
    return CliRunner().invoke(cli, ["--project", str(path), "--annotator", CURATOR, *args])


def _gold(path):
    with Project.open(path) as project:
        return {
            (s.document_id, s.start, s.end, s.label, s.fragments)
            for s in project.spans(annotators=[GOLD_LAYER])
        }


def test_accept_agreed_takes_exactly_what_every_annotator_agrees_on_and_only_once(team):
    result = _run(team, "adjudicate", "--accept-agreed")
    assert result.exit_code == 0, result.output
    assert "documents labelled by at least 2 annotators: 2" in result.stdout
    assert "documents left out (labelled by fewer): 1" in result.stdout
    assert "accepted into gold: 3" in result.stdout
    assert "disagreements remaining: 4" in result.stdout
    assert _gold(team) == {
        ("d1", *key("Officials said", "claim")),
        ("d1", *key("The army denied it", "denial")),
        ("d2", *key("Officials said", "claim")),
    }
    again = _run(team, "adjudicate", "--accept-agreed")
    assert again.exit_code == 0, again.output
    assert "accepted into gold: 0" in again.stdout
    assert "disagreements remaining: 4" in again.stdout
    assert len(_gold(team)) == 3
    with Project.open(team) as project:
        assert verify(project).ok, verify(project).problems
        accepted = [e for e in project.events() if e.kind == EventKind.SPAN_ADJUDICATED]
        assert len(accepted) == 3 and {e.annotator for e in accepted} == {CURATOR}
        assert len({e.operation for e in accepted}) == 1  # one run, one undo step


def test_min_annotators_takes_documents_and_spans_with_at_least_that_many(team):
    result = _run(
        team, "adjudicate", "--accept-agreed", "--min-annotators", "2", "--mode", "strict"
    )
    assert result.exit_code == 0, result.output
    assert "accepted into gold: 4" in result.stdout
    assert "disagreements remaining: 3" in result.stdout
    assert ("d1", *key("12 died", "casualty_report")) in _gold(team)
    assert not any(doc == "d3" for doc, *_ in _gold(team))


def test_min_annotators_three_leaves_out_documents_two_labelled(tmp_path, team):
    result = _run(team, "adjudicate", "--accept-agreed", "--min-annotators", "3")
    assert "documents labelled by at least 3 annotators: 1" in result.stdout
    assert "accepted into gold: 2" in result.stdout
    assert {doc for doc, *_ in _gold(team)} == {"d1"}


@pytest.mark.parametrize(
    "args",
    [
        ["adjudicate", "--accept-agreed", "--min-annotators", "1"],
        ["adjudicate", "--accept-agreed", "--mode", "overlap"],
        ["adjudicate"],
        ["--annotator", GOLD_LAYER, "adjudicate", "--accept-agreed"],
    ],
)
def test_bad_adjudicate_options_are_refused_and_write_nothing(team, args):
    with Project.open(team) as project:
        events = project.event_count()
    result = _run(team, *args)
    assert result.exit_code != 0
    with Project.open(team) as project:
        assert project.event_count() == events


def test_stats_shows_the_gold_layers_progress(team):
    _run(team, "adjudicate", "--accept-agreed")
    with Project.open(team) as project:
        project.set_status("d2", "done", annotator=GOLD_LAYER, by=CURATOR, adjudication=True)
    result = _run(team, "stats")
    assert "gold: 1 of 3 documents adjudicated (2 with gold spans)" in result.stdout


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_export_gold_in_every_format(team, tmp_path, fmt):
    _run(team, "adjudicate", "--accept-agreed")
    out = tmp_path / ("out" if fmt in ("brat",) else f"gold.{fmt}")
    result = _run(team, "export", "--annotator", GOLD_LAYER, "--format", fmt, "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "Exported 3 documents, 3 spans" in result.stderr
    if fmt == "jsonl":
        lines = [json.loads(line) for line in out.read_text().splitlines()]
        assert sum(1 for line in lines if "spans" in line) == 3
        spans = [
            (line["id"], s["start"], s["end"], s["label"], s["annotator"])
            for line in lines
            if "spans" in line
            for s in line["spans"]
        ]
        assert sorted(spans) == sorted(
            (doc, start, end, label, GOLD_LAYER) for doc, start, end, label, _ in _gold(team)
        )


def test_adjudicate_help_says_what_agreement_means(team):
    result = CliRunner().invoke(cli, ["adjudicate", "--help"])
    assert result.exit_code == 0
    assert "--accept-agreed" in result.stdout and "--min-annotators" in result.stdout
    assert "labelled a document when their layer has a span in it or marks it done" in " ".join(
        result.stdout.split()
    )


def test_exporting_gold_before_any_adjudication_says_how_to_make_it(team, tmp_path):
    out = tmp_path / "gold.jsonl"
    result = _run(team, "export", "--annotator", GOLD_LAYER, "--format", "jsonl", "-o", str(out))
    assert result.exit_code == 1
    assert "no annotator 'gold' in the project: nothing is adjudicated yet" in result.stderr
    assert "claimmark adjudicate --accept-agreed" in result.stderr
    assert not out.exists()
