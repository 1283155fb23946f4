"""The command line as a user types it: global options, default project, labels, stats."""

import json

import pytest
from click.testing import CliRunner

from claimmark.core.cli import cli
from claimmark.core.project import Project


@pytest.fixture
def runner(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("CLAIMMARK_PROJECT", raising=False)
    monkeypatch.delenv("CLAIMMARK_ANNOTATOR", raising=False)
    return CliRunner()


def test_default_project_is_created_with_the_sample_and_named(runner, tmp_path):
    result = runner.invoke(cli, ["stats"])
    assert result.exit_code == 0, result.output
    default = tmp_path / "data" / "claimmark" / "default-project.claimmark.db"
    assert f"project: {default}" in result.stderr
    assert "documents: 1" in result.stdout
    with Project.open(default, created_by="x") as project:
        [doc] = project.documents("x")
    assert doc.title == "ISIS militants declared in Syria shot down a Russian helicopter"
    # Using it again does not seed a second copy.
    assert "documents: 1" in runner.invoke(cli, ["stats"]).stdout


def test_project_option_and_environment_variable(runner, tmp_path, monkeypatch):
    explicit = tmp_path / "news.db"
    Project.open(explicit, created_by="ann").close()
    result = runner.invoke(cli, ["--project", str(explicit), "stats"])
    assert result.exit_code == 0
    assert f"project: {explicit}" in result.stderr
    assert "documents: 0" in result.stdout  # only the default project gets the sample
    monkeypatch.setenv("CLAIMMARK_PROJECT", str(tmp_path / "env.db"))
    Project.open(tmp_path / "env.db", created_by="ann").close()
    result = runner.invoke(cli, ["stats"])
    assert f"project: {tmp_path / 'env.db'}" in result.stderr


@pytest.mark.parametrize(
    "command",
    [["stats"], ["labels"], ["export", "-o", "out.jsonl"], ["audit", "verify"], ["backup"]],
)
def test_a_mistyped_project_is_refused_by_commands_that_only_read(runner, tmp_path, command):
    mistyped = tmp_path / "nwes.db"
    result = runner.invoke(cli, ["--project", str(mistyped), *command])
    assert result.exit_code == 1
    assert f"no project at {mistyped}: the file does not exist" in result.stderr
    assert not mistyped.exists()
    mistyped.touch()
    result = runner.invoke(cli, ["--project", str(mistyped), *command])
    assert "the file is empty" in result.stderr and mistyped.stat().st_size == 0


def test_commands_that_add_data_create_the_project(runner, tmp_path):
    result = runner.invoke(cli, ["--project", str(tmp_path / "new.db"), "labels", "add", "threat"])
    assert result.exit_code == 0, result.output
    assert _import_one(runner, tmp_path / "other.db").exit_code == 0
    for name in ("new.db", "other.db"):
        with Project.open(tmp_path / name, created_by="x") as project:
            assert project.labels()


def _import_one(runner, project, *global_options, env=None):
    source = project.parent / "in.jsonl"
    source.write_text(
        json.dumps(
            {
                "text": "Officials said 3 died.",
                "spans": [{"start": 15, "end": 21, "label": "casualty_report"}],
            }
        )
        + "\n",
        encoding="utf-8",
    )
    return runner.invoke(
        cli, [*global_options, "--project", str(project), "import", str(source)], env=env
    )


def test_annotator_precedence(runner, tmp_path, monkeypatch):
    monkeypatch.setattr("getpass.getuser", lambda: "login-name")
    for options, env, expected in [
        ((), {}, "login-name"),
        ((), {"CLAIMMARK_ANNOTATOR": "from-env"}, "from-env"),
        (("--annotator", "from-option"), {"CLAIMMARK_ANNOTATOR": "from-env"}, "from-option"),
    ]:
        project = tmp_path / f"{expected}.db"
        result = _import_one(runner, project, *options, env=env)
        assert result.exit_code == 0, result.output
        with Project.open(project, created_by="reader") as opened:
            [span] = opened.spans()
            assert span.annotator == expected
            assert opened.events()[-1].annotator == expected


def test_stats_counts_per_label_and_annotator(runner, tmp_path):
    project = tmp_path / "p.db"
    _import_one(runner, project, "--annotator", "alice")
    result = runner.invoke(cli, ["--project", str(project), "stats"])
    assert "documents: 1" in result.stdout
    assert "spans: 1" in result.stdout
    assert "  casualty_report: 1" in result.stdout
    assert "  claim: 0" in result.stdout
    assert "  alice: 1 (0 documents done)" in result.stdout


def test_labels_list_and_add(runner, tmp_path):
    project = str(tmp_path / "p.db")
    Project.open(project, created_by="ann").close()
    listing = runner.invoke(cli, ["--project", project, "labels"]).stdout
    keys = [line.split()[1] for line in listing.splitlines() if line[:1].isdigit()]
    assert keys == ["claim", "denial", "casualty_report", "attribution"]
    result = runner.invoke(
        cli,
        [
            "--project",
            project,
            "labels",
            "add",
            "threat",
            "--name",
            "Threat",
            "--color",
            "#112233",
            "--key",
            "5",
            "--description",
            "A stated intention to harm.",
        ],
    )
    assert result.exit_code == 0, result.output
    listing = runner.invoke(cli, ["--project", project, "labels"]).stdout
    assert "5  threat               #112233  Threat" in listing
    assert "A stated intention to harm." in listing


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["Bad Key"], "not allowed"),
        (["claim"], "already exists"),
        (["threat", "--key", "1"], "already used by label 'claim'"),
        (["threat", "--color", "red"], "not a #rrggbb colour"),
    ],
)
def test_labels_add_refuses_bad_labels(runner, tmp_path, args, message):
    project = str(tmp_path / "p.db")
    result = runner.invoke(cli, ["--project", project, "labels", "add", *args])
    assert result.exit_code == 1
    assert message in result.stderr
    listing = runner.invoke(cli, ["--project", project, "labels"]).stdout
    assert "threat" not in listing


def test_help_for_every_command(runner):
    for args in ([], ["import"], ["export"], ["stats"], ["labels"], ["labels", "add"]):
        result = runner.invoke(cli, [*args, "--help"])
        assert result.exit_code == 0
        assert "Usage:" in result.stdout


def test_no_subcommand_opens_the_gui_launcher(runner, tmp_path):
    calls = []
    result = runner.invoke(
        cli,
        ["--project", str(tmp_path / "p.db"), "--annotator", "ann"],
        obj={"open_gui": lambda path, annotator: calls.append((path, annotator)) or 0},
    )
    assert result.exit_code == 0
    assert calls == [(tmp_path / "p.db", "ann")]


def test_not_a_project_is_a_clear_error(runner, tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("hello")
    result = runner.invoke(cli, ["--project", str(path), "stats"])
    assert result.exit_code == 1
    assert "not a claimmark project" in result.stderr
    assert path.read_text() == "hello"


def test_no_command_runs_as_the_gold_layer(runner, tmp_path):
    """An import (or any command) by 'gold' would write spans into gold with nobody named as
    having done it: refused before the project file is made, from the option or the variable."""
    project = tmp_path / "p.db"
    for options, env in [(("--annotator", "gold"), {}), ((), {"CLAIMMARK_ANNOTATOR": "gold"})]:
        result = _import_one(runner, project, *options, env=env)
        assert result.exit_code != 0
        assert "'gold' is the adjudicated layer, not a person" in result.output
        assert not project.exists()
