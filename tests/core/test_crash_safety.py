"""SIGKILL at random moments: nothing reported as saved is lost, and nothing is half-written.

A child process writes spans (or imports a file) and reports each id only after the call that
committed it returned; the parent kills it with SIGKILL at a random moment, many times, then checks
the file.
"""

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time

from claimmark.core.audit import verify
from claimmark.core.project import NewDocument, Project

WRITER = textwrap.dedent(
    """
    import sys
    from claimmark.core.project import Project
    project = Project.open(sys.argv[1], created_by="writer")
    doc = project.documents("writer")[0].id
    n = int(sys.argv[2])
    while True:
        n += 1
        start = n % 400
        end = start + 1 + n % 7
        change = project.add_span(doc, "claim", start, end, note=str(n), annotator="writer")
        print(change.created[0].id, flush=True)
    """
)

IMPORTER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from claimmark.core.importing import import_paths
    from claimmark.core.project import Project
    project = Project.open(sys.argv[1], created_by="importer")
    print("start", flush=True)
    import_paths(project, [Path(sys.argv[2])], annotator="importer")
    print("done", flush=True)
    """
)


def _run_and_kill(args, rng, min_lines, max_delay=0.05):
    child = subprocess.Popen(
        [sys.executable, "-c", *args], stdout=subprocess.PIPE, text=True, bufsize=1
    )
    lines = []
    for _ in range(min_lines):
        line = child.stdout.readline()
        if not line:
            break
        lines.append(line.strip())
    time.sleep(rng.uniform(0, max_delay))  # a random moment: mid-transaction or between commits
    child.send_signal(signal.SIGKILL)
    rest, _ = child.communicate()
    lines.extend(line.strip() for line in rest.splitlines())
    return lines


def test_committed_spans_survive_sigkill(tmp_path):
    path = tmp_path / "p.db"
    with Project.open(path, created_by="setup") as project:
        project.import_document(NewDocument(text="word " * 100, title="t"), annotator="setup")
    rng = random.Random(20261125)
    reported = []
    for round_ in range(15):
        reported += _run_and_kill(
            [WRITER, str(path), str(round_ * 100_000)], rng, min_lines=rng.randint(1, 40)
        )
    assert len(reported) >= 15
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    stored = {row[0] for row in conn.execute("SELECT id FROM spans")}
    events = {
        row[0] for row in conn.execute("SELECT subject FROM events WHERE kind = 'span_created'")
    }
    conn.close()
    missing = [span_id for span_id in reported if span_id not in stored]
    assert not missing
    assert stored == events  # every stored span has its event, and no event lacks its span


def test_import_killed_halfway_is_all_or_nothing(tmp_path):
    source = tmp_path / "big.jsonl"
    with source.open("w", encoding="utf-8") as handle:
        for i in range(3000):
            text = f"Report {i}: shelling killed {i % 13} people, the ministry said. " * 3
            span = {"start": 0, "end": 6, "label": "claim"}
            handle.write(json.dumps({"id": f"d{i}", "text": text, "spans": [span]}) + "\n")
    rng = random.Random(7)
    outcomes = set()
    for attempt in range(5):
        path = tmp_path / f"p{attempt}.db"
        Project.open(path, created_by="setup").close()
        _run_and_kill([IMPORTER, str(path), str(source)], rng, min_lines=1, max_delay=1.5)
        conn = sqlite3.connect(path)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        documents = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
        spans = conn.execute("SELECT count(*) FROM spans").fetchone()[0]
        conn.close()
        assert (documents, spans) in {(0, 0), (3000, 3000)}
        outcomes.add(documents)
    assert os.path.exists(source)
    assert 0 in outcomes  # the kill did land mid-import at least once


CONCURRENT_WRITER = textwrap.dedent(
    """
    import sys
    from claimmark.core.project import Project
    project = Project.open(sys.argv[1], created_by=sys.argv[2])
    doc = project.documents("setup")[0].id
    for n in range(150):
        start = n % 400
        who = sys.argv[2]
        project.add_span(doc, "claim", start, start + 1 + n % 5, note=f"{who} {n}", annotator=who)
        if n % 10 == 0:
            project.set_status(doc, "in_progress" if n % 20 else "done", annotator=who)
    print("ok", flush=True)
    """
)


def test_two_processes_writing_at_once_do_not_corrupt_the_project(tmp_path):
    path = tmp_path / "p.db"
    with Project.open(path, created_by="setup") as project:
        project.import_document(NewDocument(text="word " * 100, title="t"), annotator="setup")
    children = [
        subprocess.Popen(
            [sys.executable, "-c", CONCURRENT_WRITER, str(path), name],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("alice", "bob")
    ]
    for child in children:
        out, err = child.communicate(timeout=120)
        assert child.returncode == 0, err
        assert out.strip() == "ok"
    with Project.open(path, created_by="auditor") as project:
        spans = project.spans()
        assert sorted({s.annotator for s in spans}) == ["alice", "bob"]
        assert len(spans) == 300
        assert project._conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert verify(project).ok
