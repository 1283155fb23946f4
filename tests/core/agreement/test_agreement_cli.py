"""``claimmark agreement`` on real project files: what counts, what is excluded, bad selections."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from claimmark.core.cli import cli
from claimmark.core.project import NewDocument, NewSpan, Project

TEXT = "Rebels said the ministry denied that 🚁 was downed near Hama. Five people died."
#           0         1         2         3          4         5         6         7
CLAIM = (0, 11)  # "Rebels said"
DENIAL = (16, 31)  # "ministry denied"
CASUALTY = (62, 78)  # "Five people died"


def _span(where, label, who):
    return NewSpan(where[0], where[1], label, annotator=who)


def _make(path: Path, documents) -> Path:
    with Project.open(path, created_by="setup") as project:
        for doc_id, spans, statuses in documents:
            project.import_document(
                NewDocument(
                    f"{TEXT} ({doc_id})",
                    f"Article {doc_id}",
                    id=doc_id,
                    spans=spans,
                    statuses=statuses,
                ),
                annotator="setup",
            )
    return path


def _run(path: Path, *args: str):
    return CliRunner().invoke(cli, ["--project", str(path), "agreement", *args])


@pytest.fixture
def team(tmp_path: Path) -> Path:
    return _make(
        tmp_path / "team.claimmark",
        [
            (
                "a1",
                [
                    _span(CLAIM, "claim", "alice"),
                    _span(DENIAL, "denial", "alice"),
                    _span(CLAIM, "claim", "bob"),
                    _span((16, 24), "denial", "bob"),  # "ministry": boundaries differ
                    _span(CASUALTY, "casualty_report", "bob"),  # alice missed it
                    _span(CLAIM, "claim", "gold"),
                    _span(DENIAL, "denial", "labelstudio-prediction"),
                ],
                {"alice": "done", "bob": "done"},
            ),
            (
                "a2",
                [_span(CLAIM, "claim", "alice"), _span(CLAIM, "attribution", "bob")],
                {"alice": "done"},
            ),
            ("a3", [_span(CLAIM, "claim", "alice")], {}),  # only alice labelled it
        ],
    )


def test_json_report_counts_documents_and_pools_span_f1(team):
    result = _run(team, "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    # Neither gold nor imported predictions are people: compared only when named.
    assert report["annotators"] == ["alice", "bob"]
    assert report["documents"] == 2
    excluded = {d["id"]: d["reason"] for d in report["excluded"]["documents"]}
    assert excluded == {"a3": "only alice labelled it"}
    (pair,) = report["pairs"]
    assert (pair["a"], pair["b"], pair["documents"]) == ("alice", "bob", 2)
    # alice (true) 3 spans, bob (pred) 4 spans over both documents:
    # claim = claim (correct); ministry vs ministry denied (boundaries); casualty spurious;
    # a2: same offsets, other label.
    strict = pair["counts"]["strict"]
    assert strict == {"correct": 1, "incorrect": 2, "partial": 0, "missed": 0, "spurious": 1}
    assert pair["f1"]["strict"] == pytest.approx(2 * (1 / 4) * (1 / 3) / (1 / 4 + 1 / 3))
    assert pair["f1"]["exact"] == pytest.approx(2 * (2 / 4) * (2 / 3) / (2 / 4 + 2 / 3))
    assert pair["f1"]["partial"] == pytest.approx(2 * (2.5 / 4) * (2.5 / 3) / (2.5 / 4 + 2.5 / 3))
    assert pair["f1"]["type"] == pytest.approx(2 * (2 / 4) * (2 / 3) / (2 / 4 + 2 / 3))
    for key in ("cohen_kappa", "fleiss_kappa", "krippendorff_alpha", "alpha_u"):
        value = pair[key] if key == "cohen_kappa" else report[key]
        assert value is not None and -1 <= value < 1
    assert set(report["per_label"]) == {"claim", "denial", "casualty_report", "attribution"}
    assert report["per_label"]["claim"]["f1_strict"] == pytest.approx(2 * 1 * 0.5 / 1.5)
    assert report["per_label"]["casualty_report"]["f1_strict"] == 0.0
    assert report["tokens"] > 0 and "UAX #29" in report["tokenisation"]


def test_identical_layers_agree_perfectly(tmp_path):
    spans = [_span(CLAIM, "claim", who) for who in ("ann", "ben", "cat")]
    spans += [_span(CASUALTY, "casualty_report", who) for who in ("ann", "ben", "cat")]
    path = _make(tmp_path / "p.claimmark", [("d", spans, {})])
    report = json.loads(_run(path, "--json").stdout)
    assert len(report["pairs"]) == 3
    assert all(
        p["f1"]["strict"] == 1.0 and p["cohen_kappa"] == pytest.approx(1.0) for p in report["pairs"]
    )
    for key in ("fleiss_kappa", "krippendorff_alpha", "alpha_u"):
        assert report[key] == pytest.approx(1.0)
    # A label nobody used is undefined, with the reason, never a made-up number.
    denial = report["per_label"]["denial"]
    assert denial["f1_strict"] is None and denial["reasons"]["f1_strict"]
    assert denial["alpha_u"] is None


def test_status_done_keeps_only_documents_both_finished(team):
    report = json.loads(_run(team, "--json", "--status", "done").stdout)
    assert report["documents"] == 1
    reasons = {d["id"]: d["reason"] for d in report["excluded"]["documents"]}
    assert reasons["a2"] == "not done by bob"


def test_gold_is_compared_only_when_named(team):
    report = json.loads(_run(team, "--json", "--annotator", "alice", "--annotator", "gold").stdout)
    assert report["annotators"] == ["alice", "gold"]
    assert report["pairs"][0]["f1"]["strict"] == pytest.approx(2 * 1 * 0.5 / 1.5)


def test_label_filter_and_per_document_rows(team):
    report = json.loads(_run(team, "--json", "--label", "claim", "--per-document").stdout)
    assert report["labels"] == ["claim"]
    rows = {row["id"]: row for row in report["per_document"]}
    assert rows["a1"]["f1_strict"] == 1.0
    assert rows["a2"]["f1_strict"] == 0.0  # bob called it an attribution


def test_text_report_says_what_was_counted(team):
    result = _run(team, "--per-document")
    assert result.exit_code == 0
    out = result.stdout
    assert "documents counted (labelled by all): 2" in out
    assert "document a3: only alice labelled it" in out
    assert "UAX #29" in out
    assert "alice  bob" in out
    assert out.index("a2") < out.index("a1", out.index("per document"))  # lowest first


def test_one_annotator_is_a_clear_error(tmp_path):
    path = _make(tmp_path / "solo.claimmark", [("d", [_span(CLAIM, "claim", "alice")], {})])
    result = _run(path)
    assert result.exit_code == 2
    assert "two or more annotators" in result.output
    assert "Traceback" not in result.output


def test_unknown_names_are_errors_naming_them(team):
    for args, name in (
        (["--annotator", "zoe", "--annotator", "bob"], "zoe"),
        (["--label", "rumour"], "rumour"),
    ):
        result = _run(team, *args)
        assert result.exit_code == 2
        assert repr(name) in result.output


def test_empty_project_gets_a_message(tmp_path):
    path = _make(tmp_path / "empty.claimmark", [])
    result = _run(path)
    assert result.exit_code == 2
    assert "two or more annotators" in result.output
