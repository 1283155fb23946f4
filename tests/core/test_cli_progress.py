"""Progress bars of long CLI imports and exports: drawn on a terminal's stderr, never otherwise."""

from __future__ import annotations

import io
import json

import pytest
from click.testing import CliRunner

from claimmark.core import cli_progress
from claimmark.core.cli import cli


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def corpus(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for part in range(3):
        lines = [
            json.dumps({"id": f"d{part}-{n}", "text": f"Article {part}-{n}: officials said so."})
            for n in range(5)
        ]
        (folder / f"part-{part}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def _run(tmp_path, *args):
    return CliRunner().invoke(cli, ["--project", str(tmp_path / "p.db"), "--annotator", "a", *args])


@pytest.mark.parametrize("quiet", [False, True])
def test_bars_on_a_terminal_unless_quiet(tmp_path, corpus, monkeypatch, quiet):
    terminal = _Terminal()
    monkeypatch.setattr(cli_progress, "_terminal_stderr", lambda: terminal)
    flag = ["--quiet"] if quiet else []
    imported = _run(tmp_path, "import", str(corpus), *flag)
    assert imported.exit_code == 0, imported.output
    out = str(tmp_path / "out.jsonl")
    exported = _run(tmp_path, "export", "--format", "jsonl", "-o", out, *flag)
    assert exported.exit_code == 0, exported.output
    drawn = terminal.getvalue()
    if quiet:
        assert drawn == ""
    else:
        assert "Importing" in drawn and "Exporting" in drawn
        assert drawn.count("100%") >= 2
    assert (tmp_path / "out.jsonl").read_text(encoding="utf-8").count("\n") == 15


def test_no_bar_when_stderr_is_not_a_terminal(tmp_path, corpus):
    """What scripts and logs see (CliRunner's stderr is not a terminal): the summary only."""
    result = _run(tmp_path, "import", str(corpus))
    assert result.exit_code == 0, result.output
    assert "Importing" not in result.stderr and "%" not in result.stderr
    assert "Imported 15 documents" in result.stdout
