"""Shared fixtures for the core tests: in-memory projects and a before/after snapshot of one."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pytest

from claimmark.core.project import NewDocument, NewSpan, Project

ANNOTATOR = "tester"

#: The document every seeded project starts with, so that "unchanged" is not trivially "empty".
SEED_ID = "seed"
SEED_TEXT = "Seed article.\r\nThe ministry denied the report."


def project_snapshot(project: Project) -> dict[str, Any]:
    """What a refused import must leave exactly as it was."""
    return {
        "documents": project.document_count(),
        "document_ids": [d.id for d in project.documents("tester")],
        "spans": len(project.spans()),
        "labels": [label.key for label in project.labels()],
        "annotators": project.annotators(),
        "events": len(project.events()),
    }


@pytest.fixture
def project() -> Iterable[Project]:
    """An empty in-memory project with the default label schema."""
    p = Project.open(None, created_by=ANNOTATOR)
    yield p
    p.close()


@pytest.fixture
def seeded_project(project: Project) -> Project:
    """An in-memory project that already holds one document with one span."""
    project.import_document(
        NewDocument(
            text=SEED_TEXT,
            title="Seed article.",
            id=SEED_ID,
            spans=[NewSpan(start=28, end=34, label="denial")],
        ),
        annotator="tester",
    )
    return project


@pytest.fixture
def snapshot() -> Callable[[Project], dict[str, Any]]:
    return project_snapshot


@pytest.fixture
def write_jsonl_lines(tmp_path: Path) -> Callable[..., Path]:
    """Write a .jsonl file whose lines are JSON values (dumped) or raw str/bytes (as they are)."""

    def write(name: str, lines: Iterable[Any], *, ensure_ascii: bool = False) -> Path:
        parts = []
        for line in lines:
            if isinstance(line, bytes):
                parts.append(line)
            elif isinstance(line, str):
                parts.append(line.encode("utf-8", "surrogatepass"))
            else:
                parts.append(json.dumps(line, ensure_ascii=ensure_ascii).encode("utf-8"))
        path = tmp_path / name
        path.write_bytes(b"".join(p + b"\n" for p in parts))
        return path

    return write
