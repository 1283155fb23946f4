"""Scenario 4: import JSONL into a fresh project with ``claimmark.core.importing.import_paths``.

Two inputs, each its own row: the folder of JSONL files (10,000 documents, 100,000 spans;
``import``) and one 2,000,000-character article with 20,000 spans in one file
(``import_long``), where a cost that grows with spans × length would show.

The clock covers the import and closing the project (closing checkpoints the WAL into the
file, work the import caused). The fresh, empty project is created before the clock.

Two baselines, measured in the same run:

- ``bare`` (the budget's): the bare loader of the issue. Read, ``json.loads`` each line,
  ``insert_all`` of the documents and of the spans as the file gives them into a fresh WAL file,
  all in one transaction, close. No hashes, no ids, no checks, nothing else.
- ``baseline`` (kept for comparison with earlier runs): the same rows as claimmark stores (the
  same columns in ``documents`` and ``spans``, sha256 of each text, a uuid4 per span, meta as
  JSON), ``insert_all`` in one transaction per file, close. No constraints, triggers, indexes
  or audit events either.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import time
import uuid
from pathlib import Path

from ..corpus import CORPUS_ANNOTATORS
from ..measure import Stopwatch


def run(variant: str, params: dict) -> dict:
    tmp = Path(params["tmp"])
    corpus = Path(params["corpus"])
    target = tmp / "imported.db"
    watch = Stopwatch()
    if variant == "app":
        from claimmark.core.importing import import_paths
        from claimmark.core.project import Project

        project = Project.open(target, created_by=CORPUS_ANNOTATORS[0])
        with watch.timed():
            summary = import_paths(project, [corpus], annotator=CORPUS_ANNOTATORS[0])
            project.close()
        if not summary.ok:
            raise AssertionError(f"import refused: {summary.files[0].problems[:3]}")
        extra = {"files": len(summary.files), "timing_includes": "import_paths + close"}
    elif variant == "bare":
        import sqlite_utils  # noqa: F401  (outside the clock, as in the full-row baseline)

        with watch.timed():
            bare_load(corpus, target)
        extra = {"timing_includes": "read + json.loads + insert_all (one transaction) + close"}
    else:
        from sqlite_utils import Database

        insert_ms = 0.0
        with watch.timed():
            db = Database(target)
            for file in sorted(corpus.glob("*.jsonl")):
                documents, spans = _rows(file)
                t0 = time.perf_counter()
                with db.atomic():
                    db["documents"].insert_all(documents, pk="id")
                    db["spans"].insert_all(spans, pk="id")
                insert_ms += (time.perf_counter() - t0) * 1000
            db.close()
        extra = {
            "insert_all_ms": insert_ms,
            "timing_includes": "read + json.loads + row building + insert_all + close",
        }
    conn = sqlite3.connect(target)
    extra["documents"] = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
    extra["spans"] = conn.execute("SELECT count(*) FROM spans").fetchone()[0]
    extra["file_mb"] = target.stat().st_size / 1e6
    conn.close()
    return watch.result(extra)


def bare_load(corpus: Path, target: Path) -> None:
    """The bare loader: each record as the file gives it, its spans with their document's id."""
    from sqlite_utils import Database

    db = Database(target)
    db.enable_wal()
    documents, spans = [], []
    for file in sorted(corpus.glob("*.jsonl")):
        with file.open(encoding="utf-8") as handle:
            for line in handle:
                record = json.loads(line)
                for span in record.pop("spans"):
                    span["document_id"] = record["id"]
                    spans.append(span)
                documents.append(record)
    with db.atomic():
        db["documents"].insert_all(documents, alter=True)
        db["spans"].insert_all(spans, alter=True)
    db.close()


def _rows(file: Path) -> tuple[list[dict], list[dict]]:
    now = "2024-06-11T12:00:00Z"
    documents, spans = [], []
    with file.open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            text = record["text"]
            documents.append(
                {
                    "id": record["id"],
                    "title": record["title"],
                    "text": text,
                    "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
                    "source": record.get("source"),
                    "meta": json.dumps(record.get("meta", {}), ensure_ascii=False),
                    "imported_at": now,
                    "length": len(text),
                }
            )
            for span in record["spans"]:
                start, end = span["start"], span["end"]
                spans.append(
                    {
                        "id": str(uuid.uuid4()),
                        "document_id": record["id"],
                        "label": span["label"],
                        "start": start,
                        "end": end,
                        "text": text[start:end],
                        "annotator": span.get("annotator"),
                        "note": span.get("note"),
                        "created_at": now,
                        "updated_at": now,
                    }
                )
    return documents, spans
