"""`claimmark labels` subcommands as a user types them: each changes the schema, audited."""

import pytest
from click.testing import CliRunner

from claimmark.core.cli import cli
from claimmark.core.project import NewDocument, NewSpan, Project


@pytest.fixture
def project_path(tmp_path, monkeypatch):
    monkeypatch.delenv("CLAIMMARK_PROJECT", raising=False)
    monkeypatch.setenv("CLAIMMARK_ANNOTATOR", "ed")
    path = tmp_path / "p.db"
    with Project.open(path, created_by="ann") as project:
        project.import_document(
            NewDocument(
                text="The ministry said five died. The army denied it.",
                title="t",
                spans=[NewSpan(18, 27, "claim", annotator="alice")],
            ),
            annotator="ann",
        )
    return path


def run(path, *args):
    return CliRunner().invoke(cli, ["--project", str(path), "labels", *args])


def labels(path):
    with Project.open(path) as project:
        return {label.key: label for label in project.labels()}


def test_rename_recolour_hotkey_describe(project_path, tmp_path):
    assert run(project_path, "rename", "claim", "Assertion").stdout.endswith(
        "Label claim is now called Assertion.\n"
    )
    assert run(project_path, "recolour", "claim", "#aabbcc").exit_code == 0
    assert run(project_path, "recolor", "denial", "#010203").exit_code == 0
    assert run(project_path, "hotkey", "claim", "q").exit_code == 0
    assert run(project_path, "hotkey", "denial", "--clear").exit_code == 0
    assert run(project_path, "describe", "attribution", "Who said it.").exit_code == 0
    guideline = tmp_path / "guide.txt"
    guideline.write_text("A report of people killed or injured.\n", encoding="utf-8")
    assert run(project_path, "describe", "casualty_report", "--file", str(guideline)).exit_code == 0
    found = labels(project_path)
    assert (found["claim"].name, found["claim"].color, found["claim"].hotkey) == (
        "Assertion",
        "#aabbcc",
        "q",
    )
    assert found["denial"].color == "#010203" and found["denial"].hotkey is None
    assert found["attribution"].description == "Who said it."
    assert found["casualty_report"].description == "A report of people killed or injured."
    listing = run(project_path).stdout
    assert "q  claim                #aabbcc  Assertion" in listing
    assert "-  denial" in listing
    log = CliRunner().invoke(cli, ["--project", str(project_path), "audit", "log"]).stdout
    assert "changed label claim: name 'Claim' -> 'Assertion' (schema change)" in log
    verified = CliRunner().invoke(cli, ["--project", str(project_path), "audit", "verify"])
    assert verified.exit_code == 0, verified.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["hotkey", "denial", "1"],
            "label denial not given that hotkey: hotkey '1' is already"
            " used by label 'claim' (Claim)",
        ),
        (["recolour", "claim", "red"], "label claim not recoloured: label colour 'red' is not"),
        (["rename", "clam", "X"], "label clam not renamed: unknown label 'clam'"),
        (
            ["remove", "claim"],
            "label claim not removed: 1 span in the project carries it. Add --move-spans-to OTHER",
        ),
        (["remove", "claim", "--move-spans-to", "nope"], "unknown label 'nope'"),
        (
            ["remove", "denial"],
            "label denial not removed: relation type 'denies' allows only label 'denial'",
        ),
        (["order", "claim", "denial"], "missing: attribution, casualty_report"),
        (["move", "claim", "--to-position", "0"], "the first position is 1"),
    ],
)
def test_refusals_name_the_label_and_change_nothing(project_path, args, message):
    before = labels(project_path)
    result = run(project_path, *args)
    assert result.exit_code == 1
    assert message in " ".join(result.stderr.split())
    assert labels(project_path) == before


def test_hotkey_needs_a_key_or_clear(project_path):
    result = run(project_path, "hotkey", "claim")
    assert result.exit_code == 2 and "either a HOTKEY or --clear" in result.stderr


def test_move_and_order(project_path):
    result = run(project_path, "move", "attribution", "--to-position", "1")
    assert "Labels now in this order: attribution, claim, denial, casualty_report" in result.stdout
    run(project_path, "order", "denial", "claim", "casualty_report", "attribution")
    assert list(labels(project_path)) == ["denial", "claim", "casualty_report", "attribution"]
    unchanged = run(project_path, "order", "denial", "claim", "casualty_report", "attribution")
    assert "nothing changed" in unchanged.stdout


def test_remove_unused_and_remove_moving_spans(project_path):
    assert run(project_path, "add", "threat").exit_code == 0
    assert run(project_path, "remove", "threat").stdout.endswith("Removed label threat.\n")
    result = run(project_path, "remove", "claim", "--move-spans-to", "casualty_report")
    assert result.exit_code == 0, result.output
    assert "Removed label claim; 1 span moved to casualty_report." in result.stdout
    assert list(labels(project_path)) == ["denial", "casualty_report", "attribution"]
    with Project.open(project_path) as project:
        (span,) = project.spans()
        assert (span.label, span.annotator) == ("casualty_report", "alice")
    log = CliRunner().invoke(cli, ["--project", str(project_path), "audit", "log"]).stdout
    assert "moved alice's span claim 18-27 'five died'" in log
    verified = CliRunner().invoke(cli, ["--project", str(project_path), "audit", "verify"])
    assert verified.exit_code == 0, verified.output


def test_a_label_name_with_control_characters_is_printed_escaped(project_path):
    assert run(project_path, "rename", "claim", "Claim\x1b[2J").exit_code == 0
    listing = run(project_path).stdout
    assert "\x1b" not in listing and "Claim\\x1b[2J" in listing


def test_relation_types_listed_added_edited_and_removed(project_path):
    listing = run(project_path, "relation").stdout
    assert "d  denies" in listing and "denies goes from denial to claim" in listing
    added = run(project_path, "relation", "add", "supports", "--from", "claim", "--to", "claim")
    assert added.exit_code == 0, added.output
    edited = run(
        project_path,
        "relation",
        "edit",
        "supports",
        "--name",
        "Backs up",
        "--hotkey",
        "s",
        "--any-from",
    )
    assert edited.exit_code == 0, edited.output
    with Project.open(project_path) as project:
        supports = project.relation_type("supports")
    assert (supports.name, supports.hotkey, supports.from_labels) == ("Backs up", "s", ())
    refused = run(project_path, "relation", "edit", "denies", "--from", "nope")
    assert refused.exit_code == 1
    assert "relation type denies not changed: relation type 'denies' goes from label" in (
        " ".join(refused.stderr.split())
    )
    assert run(project_path, "relation", "edit", "denies").exit_code == 2  # nothing asked
    assert run(project_path, "relation", "remove", "supports").stdout == (
        "Removed relation type supports.\n"
    )
    verified = CliRunner().invoke(cli, ["--project", str(project_path), "audit", "verify"])
    assert verified.exit_code == 0, verified.output


def test_attributes_added_edited_and_removed_with_their_values(project_path):
    with Project.open(project_path) as project:
        (span,) = project.spans()
        project.schema.remove_label("claim", move_spans_to="casualty_report", annotator="ann")
        project.set_attributes(span.id, {"killed": 5}, annotator="alice")
    result = run(
        project_path,
        "attribute",
        "add",
        "denial",
        "tone",
        "--kind",
        "choice",
        "--choice",
        "firm",
        "--choice",
        "vague",
        "--description",
        "How firmly it denies.",
    )
    assert result.exit_code == 0, result.output
    assert "denial.tone (choice): one of firm, vague" in result.stdout
    listing = run(project_path, "attribute", "list", "casualty_report").stdout
    assert "casualty_report.killed (integer)" in listing and "denial.tone" not in listing
    refused = run(project_path, "attribute", "edit", "casualty_report", "killed", "--max", "3")
    assert refused.exit_code == 1
    assert "1 stored value of casualty_report.killed (5) would break" in refused.stderr
    edited = run(project_path, "attribute", "edit", "casualty_report", "killed", "--max", "9")
    assert edited.exit_code == 0, edited.output
    refused = run(project_path, "attribute", "remove", "casualty_report", "killed")
    assert "1 span holds a value of casualty_report.killed" in refused.stderr
    removed = run(project_path, "attribute", "remove", "casualty_report", "killed", "--drop-values")
    assert removed.stdout == "Removed attribute casualty_report.killed; 1 spans' values dropped.\n"
    with Project.open(project_path) as project:
        assert project.spans()[0].attributes == {}
    verified = CliRunner().invoke(cli, ["--project", str(project_path), "audit", "verify"])
    assert verified.exit_code == 0, verified.output
