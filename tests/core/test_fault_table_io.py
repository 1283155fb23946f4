"""The fault table's display-free rows for files out, files in and the history (issue 14).

Each row reproduces one attack or accident found by the adversarial pass (its defect number is in
the row's id) through claimmark's public entry points, the command line or the core API, and
checks what a user would notice: a clear refusal, nothing overwritten, no false alarm, no forged
line. Every row failed on the code before its fix.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import textwrap
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from claimmark.core.audit import verify
from claimmark.core.cli import cli
from claimmark.core.export import ExportOptions, export_project
from claimmark.core.project import NewDocument, NewSpan, Project

ARTICLE = "Officials said 12 civilians died.\r\nThe ministry denied it. 👨🏻‍🚒 مرحبا"


@dataclass(frozen=True)
class Row:
    defect: str  # the number for it, or "anchor"
    what: str
    check: Callable[[Path], None]  # given a project path holding one document; asserts


def _run(project: Path, *args: str):
    return CliRunner().invoke(cli, ["--project", str(project), "--annotator", "cli", *args])


def _events(path: Path) -> int:
    with Project.open(path, created_by="reader") as project:
        return project.event_count()


# ---------------------------------------------------------------- 2: what an export may replace
def _state(path: Path) -> tuple:
    with Project.open(path, created_by="reader") as project:
        return project.event_count(), project.latest_event_hash(), len(project.spans())


def _export_refused(target: Callable[[Path], Path], *args: str, expected: str):
    def check(path: Path) -> None:
        before = _state(path)
        out = target(path)
        around = sorted(p.name for p in path.parent.iterdir())
        result = _run(path, "export", "-o", str(out), *args)
        assert result.exit_code == 1, result.output
        assert expected in result.stderr, result.stderr
        assert sorted(p.name for p in path.parent.iterdir()) == around
        assert _state(path) == before

    return check


def _backup(path: Path) -> Path:
    assert _run(path, "backup").exit_code == 0
    from claimmark.core.backups import list_backups

    return list_backups(path)[0].path


def _folder_holding_the_project(path: Path) -> Path:
    (path.parent / "notes.txt").write_text("mine")
    return path.parent


def _existing_file(path: Path) -> None:
    out = path.parent / "data.jsonl"
    out.write_text("an earlier export\n")
    result = _run(path, "export", "-o", str(out))
    assert result.exit_code == 1 and "already exists (use --force" in result.stderr
    assert out.read_text() == "an earlier export\n"
    assert not Path(f"{out}.provenance.json").exists()
    result = _run(path, "export", "-o", str(out), "--force")
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text())["id"] == "doc-1"


def _sidecar_exists(path: Path) -> None:
    out = path.parent / "data.jsonl"
    Path(f"{out}.provenance.json").write_text("someone's notes")
    result = _run(path, "export", "-o", str(out))
    assert result.exit_code == 1 and "provenance.json: already exists" in result.stderr
    assert not out.exists() and Path(f"{out}.provenance.json").read_text() == "someone's notes"


def _foreign_folder_with_force(path: Path) -> None:
    out = path.parent / "brat"
    out.mkdir()
    (out / "thesis.tex").write_text("years of work")
    result = _run(path, "export", "--format", "brat", "-o", str(out), "--force")
    assert result.exit_code == 1 and "claimmark did not write (thesis.tex)" in result.stderr
    assert [p.name for p in out.iterdir()] == ["thesis.tex"]


def _pipe(path: Path) -> None:
    fifo = path.parent / "pipe"
    os.mkfifo(fifo)
    for force in ((), ("--force",)):
        result = _run(path, "export", "-o", str(fifo), *force)
        assert result.exit_code == 1 and "not a regular file" in result.stderr, result.output
        assert stat.S_ISFIFO(fifo.lstat().st_mode), "the pipe was replaced"
        assert not Path(f"{fifo}.provenance.json").exists()


# ---------------------------------------------------------------- 8: bounded JSON in every reader
_DEEP = "[" * 100_000 + "]" * 100_000


def _hostile_json(name: str, content: str, expected: str) -> Callable[[Path], None]:
    """A bad file first, then a good one in the same run: a file:line error, the rest imports."""

    def check(path: Path) -> None:
        bad = path.parent / name
        bad.write_text(content, encoding="utf-8")
        later = path.parent / "later.jsonl"
        later.write_text(json.dumps({"text": "A later file still imports."}) + "\n")
        before = _events(path)
        result = _run(path, "import", str(bad), str(later))
        assert result.exit_code == 1, result.output
        assert f"{bad}:{expected}" in result.stderr, result.stderr
        assert "Traceback" not in result.output
        assert f"{later}: 1 imported" in result.stderr
        with Project.open(path) as project:
            assert [d.title for d in project.iter_documents()][-1] == "A later file still imports."
        assert _events(path) > before

    return check


_GOOD = json.dumps({"text": "a good line"})
_DOCCANO = json.dumps({"text": "a doccano line", "entities": []})
_LS_GOOD = '{"data": {"text": "a task"}}'


# ---------------------------------------------------------------- 9: hostile folders
def _import_in_a_process(path: Path, *targets: Path) -> subprocess.CompletedProcess:
    """A separate process with a time limit: a hang is a failure here, not a stuck test run."""
    command = [sys.executable, "-m", "claimmark.core", "--project", str(path), "import"]
    return subprocess.run(
        [*command, *map(str, targets)], capture_output=True, text=True, timeout=120
    )


def _fifo_in_a_folder(path: Path) -> None:
    folder = path.parent / "articles"
    folder.mkdir()
    os.mkfifo(folder / "pipe.jsonl")
    (folder / "real.txt").write_text("A real article\nwith a body.")
    result = _import_in_a_process(path, folder)
    assert "pipe.jsonl: skipped: not a regular file" in result.stderr, result.stderr
    assert "real.txt: 1 imported" in result.stderr


def _fifo_named(path: Path) -> None:
    fifo = path.parent / "pipe.txt"
    os.mkfifo(fifo)
    result = _import_in_a_process(path, fifo)
    assert result.returncode == 1
    assert "pipe.txt: not a regular file" in result.stderr, result.stderr


def _link_out_of_the_folder(path: Path) -> None:
    secret = path.parent / "private" / "diary.txt"
    secret.parent.mkdir()
    secret.write_text("Private diary\nnot for the corpus.")
    folder = path.parent / "articles"
    folder.mkdir()
    (folder / "real.txt").write_text("A real article\nwith a body.")
    (folder / "diary.txt").symlink_to(secret)
    (folder / "more").symlink_to(secret.parent, target_is_directory=True)
    (folder / "inside.txt").symlink_to(folder / "real.txt")  # inside: the same text, skipped
    result = _run(path, "import", str(folder))
    assert "diary.txt: skipped: a symbolic link to" in result.stderr, result.stderr
    assert "outside the folder being imported" in result.stderr
    assert "more: skipped: a symbolic link to a folder is not followed" in result.stderr
    with Project.open(path, created_by="reader") as project:
        titles = [d.title for d in project.iter_documents()]
    assert "A real article" in titles and "Private diary" not in titles


def _spacy_bomb(path: Path) -> None:
    from claimmark.core.formats import spacy_reader

    packer = zlib.compressobj(9)
    bomb = b"".join(packer.compress(bytes(2**20)) for _ in range(24)) + packer.flush()
    (path.parent / "bomb.spacy").write_bytes(bomb)
    with pytest.MonkeyPatch.context() as patch:  # 16 MB stands for the real 512 MB limit
        patch.setattr(spacy_reader, "MAX_UNPACKED_BYTES", 16 * 2**20, raising=False)
        result = _run(path, "import", str(path.parent / "bomb.spacy"))
    assert result.exit_code == 1
    assert "bomb.spacy: refused: it unpacks to more than 16 MB" in result.stderr, result.stderr


# ---------------------------------------------------------------- 11: no forged terminal lines
_FORGED = "\x1b[2J\x1b[31mred\n     99  2099-01-01T00:00:00Z  mallory  deleted everything\u2028"


def _only_real_lines(output: str, expected_lines: int) -> None:
    assert "\x1b" not in output and "\u2028" not in output, output
    assert "mallory" not in output.splitlines()[-1] or output.count("\n") == expected_lines
    assert not any(line.lstrip().startswith("99  2099") for line in output.splitlines())


def _audit_log_with_hostile_id(path: Path) -> None:
    source = path.parent / "in.jsonl"
    source.write_text(
        json.dumps({"id": _FORGED, "title": "👨🏻‍🚒 مرحبا", "text": "body text"}) + "\n"
    )
    assert _run(path, "import", str(source)).exit_code == 0
    result = _run(path, "audit", "log")
    assert result.exit_code == 0
    _only_real_lines(result.stdout, _events(path))
    assert "\\x1b[2J" in result.stdout and "'👨🏻‍🚒 مرحبا'" in result.stdout  # escaped; readable


def _import_summary_with_hostile_name(path: Path) -> None:
    source = path.parent / "a\x1b[2J\nforged: 1000 imported.txt"
    source.write_bytes(b"\x00binary")
    result = _run(path, "import", str(source))
    assert "\x1b" not in result.stderr
    assert not any(line.startswith("forged") for line in result.stderr.splitlines())
    assert "\\x1b[2J\\x0aforged" in result.stderr


def _export_losses_with_hostile_id(path: Path) -> None:
    source = path.parent / "in.jsonl"
    line = {
        "id": "x\nlost: doc-1 forged",
        "text": "ab\ncd",
        "spans": [{"start": 1, "end": 4, "label": "claim"}],
    }
    source.write_text(json.dumps(line) + "\n")
    assert _run(path, "import", str(source)).exit_code == 0
    result = _run(path, "export", "--format", "conll", "-o", str(path.parent / "o.conll"))
    assert result.exit_code == 0, result.output
    assert not any(line.startswith("lost: doc-1 forged") for line in result.stderr.splitlines())


# ---------------------------------------------------------------- 3: one snapshot under writers
_WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from claimmark.core.project import Project

    path, name, stop = sys.argv[1], sys.argv[2], Path(sys.argv[3])
    with Project.open(path, created_by=name) as project:
        doc = project.document_ids()[-1]
        length = len(project.document(doc).text)
        for at in range(100_000):
            if stop.exists():
                break
            start = at % (length - 20)
            end = start + 5 + at // 2000
            project.add_span(doc, "claim", start, end, annotator=name)
            if at == 20:
                Path(stop.parent / f"{name}.ready").touch()
    """
)


class Writers:
    """Two other processes adding spans as fast as they can, until stopped."""

    def __init__(self, path: Path):
        with Project.open(path, created_by="setup") as project:
            project.import_document(
                NewDocument(text="words and more " * 400, title="long"), annotator="setup"
            )
        self.stop = path.parent / "stop"
        self.processes = [
            subprocess.Popen([sys.executable, "-c", _WRITER, str(path), name, str(self.stop)])
            for name in ("writer-a", "writer-b")
        ]
        ready = [path.parent / f"{name}.ready" for name in ("writer-a", "writer-b")]
        while not all(r.exists() for r in ready):
            assert all(p.poll() is None for p in self.processes), "a writer died"
            time.sleep(0.01)

    def finish(self) -> None:
        self.stop.touch()
        for process in self.processes:
            assert process.wait(timeout=60) == 0


def _verify_while_others_write(path: Path) -> None:
    writers = Writers(path)
    try:
        with Project.open(path, created_by="auditor") as project:
            results = [verify(project) for _ in range(6)]
        cli_result = _run(path, "audit", "verify")
        growing = _events(path)
    finally:
        writers.finish()
    assert growing < _events(path), "the writers must still have been writing"
    assert [r.problems for r in results] == [[]] * 6
    assert cli_result.exit_code == 0, cli_result.output


def _spans_at(path: Path, event_count: int) -> int:
    """How many spans the history holds after its first ``event_count`` events."""
    spans = 0
    with Project.open(path, created_by="reader") as project:
        for event in project.events():
            if event.seq > event_count:
                break
            if event.kind == "document_imported":
                spans += len(event.after["spans"])
            elif event.kind in ("span_created", "span_restored"):
                spans += 1
            elif event.kind == "span_deleted":
                spans -= 1
    return spans


def _export_while_others_write(path: Path) -> None:
    writers = Writers(path)
    outputs = []
    try:
        with Project.open(path, created_by="auditor") as project:
            for n in range(4):
                out = path.parent / f"out{n}.jsonl"
                report = export_project(project, "jsonl", out, ExportOptions())
                outputs.append((out, report.provenance["project"]["event_count"]))
    finally:
        writers.finish()
    for out, event_count in outputs:
        written = sum(len(json.loads(line)["spans"]) for line in out.read_text().splitlines())
        provenance = json.loads(Path(f"{out}.provenance.json").read_text())
        assert provenance["project"]["event_count"] == event_count
        assert provenance["counts"]["spans"] == written
        assert written == _spans_at(path, event_count), "provenance describes other data"


# ---------------------------------------------------------------- anchoring the history
def _export_anchor(path: Path) -> Path:
    out = path.parent / "anchor.jsonl"
    result = _run(path, "export", "-o", str(out))
    assert result.exit_code == 0, result.output
    return Path(f"{out}.provenance.json")


def _anchor_holds_after_more_work(path: Path) -> None:
    provenance = _export_anchor(path)
    head = json.loads(provenance.read_text())["project"]["latest_event_hash"]
    with Project.open(path, created_by="bob") as project:
        project.add_span(project.document_ids()[0], "denial", 35, 47, annotator="bob")
    result = _run(path, "audit", "verify", "--against", str(provenance), "--head", head)
    assert result.exit_code == 0, result.output
    assert f"anchored: {provenance.name}: event" in result.stdout
    assert "anchored: --head" in result.stdout


def _rebuild_history(path: Path, keep: Callable[[list], list]) -> None:
    """What a forger does: replace the whole project by a consistent one with another history."""
    with Project.open(path, created_by="reader") as project:
        document = project.document(project.documents("reader")[0].id)
        spans = project.spans()
    path.unlink()
    with Project.open(path, created_by="alice") as project:
        project.import_document(
            NewDocument(
                text=document.text,
                title=document.title,
                id=document.id,
                spans=[NewSpan(s.start, s.end, s.label, s.annotator) for s in keep(spans)],
            ),
            annotator="reader",
        )


def _anchor_catches(tamper: Callable[[Path], None], expected: str) -> Callable[[Path], None]:
    def check(path: Path) -> None:
        with Project.open(path, created_by="alice") as project:
            project.set_status(project.document_ids()[0], "done", annotator="alice")
        provenance = _export_anchor(path)
        tamper(path)
        assert _run(path, "audit", "verify").exit_code == 0, "the forgery is self-consistent"
        result = _run(path, "audit", "verify", "--against", str(provenance))
        assert result.exit_code == 1, result.output
        assert expected in result.stdout, result.stdout

    return check


def _truncate(path: Path) -> None:
    _rebuild_history(path, lambda spans: spans)  # same data, fewer events


def _rewrite(path: Path) -> None:
    _rebuild_history(path, lambda spans: spans)
    with Project.open(path, created_by="alice") as project:
        for _ in range(3):  # as many events as before, different ones
            project.set_status(project.document_ids()[0], "done", annotator="alice")
            project.set_status(project.document_ids()[0], "in_progress", annotator="alice")


def _wipe(path: Path) -> None:
    path.unlink()
    Project.open(path, created_by="alice").close()


ROWS = [
    Row("11", "audit log of a document id with escape codes", _audit_log_with_hostile_id),
    Row("11", "import summary of a file name with escapes", _import_summary_with_hostile_name),
    Row("11", "export loss lines of a hostile document id", _export_losses_with_hostile_id),
    Row("9", "a FIFO in an imported folder", _fifo_in_a_folder),
    Row("9", "a FIFO named on the command line", _fifo_named),
    Row("9", "symbolic links out of the imported folder", _link_out_of_the_folder),
    Row("9", "a .spacy zip bomb", _spacy_bomb),
    Row(
        "8",
        "JSONL meta nested 100,000 levels",
        _hostile_json("deep.jsonl", f'{_GOOD}\n{{"text": "x", "meta": {_DEEP}}}\n', "2: "),
    ),
    Row(
        "8",
        "JSONL meta nested 100 levels (parses, not stored)",
        _hostile_json(
            "deep.jsonl", '{"text": "x", "meta": {"m": ' + "[" * 99 + "]" * 99 + "}}\n", "1: "
        ),
    ),
    Row(
        "8",
        "JSONL integer of 5,000 digits",
        _hostile_json(
            "big.jsonl", f'{_GOOD}\n{{"text": "x", "meta": {{"n": {"9" * 5000}}}}}\n', "2: "
        ),
    ),
    Row(
        "8",
        "JSONL number 1e999 (infinity)",
        _hostile_json("inf.jsonl", '{"text": "x", "meta": {"n": 1e999}}\n', "1: "),
    ),
    Row(
        "8",
        "doccano line nested 100,000 levels",
        _hostile_json("deep.jsonl", f'{_DOCCANO}\n{{"text": "x", "entities": {_DEEP}}}\n', "2: "),
    ),
    Row(
        "8",
        "doccano integer of 5,000 digits",
        _hostile_json(
            "big.jsonl", f'{_DOCCANO}\n{{"text": "x", "entities": [], "n": {"9" * 5000}}}\n', "2: "
        ),
    ),
    Row(
        "8",
        "Label Studio task nested 100,000 levels",
        _hostile_json(
            "deep.json", f'[{_LS_GOOD}, {{"data": {{"text": "x", "m": {_DEEP}}}}}]', "1: "
        ),
    ),
    Row(
        "8",
        "Label Studio integer of 5,000 digits",
        _hostile_json(
            "big.json", f'[{_LS_GOOD}, {{"data": {{"text": "x"}}, "id": {"9" * 5000}}}]', "1: "
        ),
    ),
    Row("2", "export over the open project", _export_refused(lambda p: p, expected="refused")),
    Row(
        "2",
        "export over the project's -wal, forced",
        _export_refused(lambda p: Path(f"{p}-wal"), "--force", expected="journal files"),
    ),
    Row(
        "2",
        "export into the project's backups",
        _export_refused(_backup, "--force", expected="backup folder"),
    ),
    Row(
        "2",
        "brat --force into the folder holding the project",
        _export_refused(
            _folder_holding_the_project, "--format", "brat", "--force", expected="refused"
        ),
    ),
    Row("2", "existing file without --force", _existing_file),
    Row("2", "existing provenance beside the output", _sidecar_exists),
    Row("2", "--force on a folder claimmark did not write", _foreign_folder_with_force),
    Row("2", "output is a pipe (as /dev/null is a device)", _pipe),
    Row("3", "verify while two processes write", _verify_while_others_write),
    Row("3", "export provenance while two processes write", _export_while_others_write),
    Row("anchor", "recorded heads hold after more work", _anchor_holds_after_more_work),
    Row("anchor", "history truncated since an export", _anchor_catches(_truncate, "now has only")),
    Row("anchor", "history rewritten since an export", _anchor_catches(_rewrite, "rewritten")),
    Row("anchor", "history wiped since an export", _anchor_catches(_wipe, "events were removed")),
]


@pytest.mark.parametrize("row", ROWS, ids=[f"{r.defect}: {r.what}" for r in ROWS])
def test_fault_row(row: Row, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "user-data"))  # backups go there
    path = tmp_path / "project" / "p.db"
    path.parent.mkdir()
    with Project.open(path, created_by="alice") as project:
        doc, _ = project.import_document(
            NewDocument(text=ARTICLE, title="t", id="doc-1", spans=[NewSpan(0, 9, "claim")]),
            annotator="alice",
        )
        project.set_status(doc, "in_progress", annotator="alice")
    row.check(path)
