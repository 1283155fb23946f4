"""A merge into a project someone is labelling in another process: both finish, nothing is lost,
and the history proves the result."""

from __future__ import annotations

import subprocess
import sys
import time

from claimmark.core.project import Project
from tests.core.merge.builders import TEXTS, DocSpec, ProjectSpec, SpanSpec, build, merge
from tests.core.merge.builders import verify as verify_cli

#: Labels spans of team.db one at a time (a window's pace, each its own transaction) from the
#: moment it starts until told to stop, then says how many it made.
LABELLER = """
import itertools, sys
from pathlib import Path
from claimmark.core.project import Project
team, started, stop = map(Path, sys.argv[1:4])
made = 0
with Project.open(team) as project:
    length = len(project.document("t1").text)
    extents = ((s, e) for s in range(length) for e in range(s + 1, length + 1))
    for (start, end), label in itertools.product(extents, ("claim", "denial")):
        project.add_span("t1", label, start, end, annotator="dan")
        made += 1
        started.touch()
        if stop.exists() and made >= 20:
            break
print(made)
"""


def test_merge_while_another_process_labels(tmp_path):
    team = build(
        tmp_path / "team.db",
        ProjectSpec((DocSpec("t1", TEXTS[0]),)),
        created_by="carol",
    )
    sources = [
        build(
            tmp_path / f"{name}.db",
            ProjectSpec(
                tuple(
                    DocSpec(
                        f"{name}{i}",
                        f"{name}-article-{i}-" + TEXTS[i % len(TEXTS)],
                        (SpanSpec(name, "claim", 0, 5), SpanSpec(name, "denial", 6, 12)),
                        ((name, "done"),),
                    )
                    for i in range(15)
                )
            ),
            created_by=name,
        )
        for name in ("alice", "bob", "erin")
    ]
    started, stop = tmp_path / "started", tmp_path / "stop"
    labeller = subprocess.Popen(
        [sys.executable, "-c", LABELLER, str(team), str(started), str(stop)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        while not started.exists():  # the labeller is at work before the merge starts
            assert labeller.poll() is None, labeller.communicate()
            time.sleep(0.01)
        result = merge(team, *sources)
    finally:
        stop.touch()  # ... and stops only after it ended
        out, err = labeller.communicate(timeout=120)
    assert labeller.returncode == 0, err
    assert result.exit_code == 0, result.output
    made = int(out)
    with Project.open(team) as project:
        spans = project.spans()
        assert sum(s.annotator == "dan" for s in spans) == made
        assert sum(s.annotator != "dan" for s in spans) == 3 * 15 * 2
        assert project.document_count() == 1 + 3 * 15
    assert verify_cli(team).exit_code == 0
