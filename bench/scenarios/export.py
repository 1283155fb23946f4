"""Scenario 5: export the imported 10,000-document project to JSONL and to spaCy.

JSONL app: ``write_jsonl(project, file)``. Two baselines: ``bare`` (the budget's) reads the
bare loader's file of the same corpus (scenario 4), ``SELECT *`` of its documents and of its
spans, grouped in Python, one ``json.dumps`` per document; ``baseline`` (kept for comparison with
earlier runs) does the same from a copy of claimmark's project file, with claimmark's columns.

spaCy app: ``claimmark.core.export.export_project(project, "spacy", out, options)``, when that
module exists. Baseline: the same DocBin built directly from the rows: ``spacy.blank("xx")``,
``make_doc`` per text, ``doc.char_span(..., alignment_mode="expand")`` per span into
``doc.spans["sc"]``, ``DocBin.add``, ``to_disk``. ``import spacy`` happens before the clock in
both variants; ``spacy.blank`` (loading the language data) is inside it in both.

Both variants read a private copy of the same project file; the clock includes closing the
output file.
"""

from __future__ import annotations

import inspect
import json
import sqlite3
from collections import defaultdict
from pathlib import Path

from ..corpus import CORPUS_ANNOTATORS, copy_project
from ..measure import Stopwatch


def run(variant: str, params: dict) -> dict:
    tmp = Path(params["tmp"])
    path = copy_project(Path(params["project"]), tmp)
    kind = params["scenario"].removeprefix("export_")
    if kind == "spacy":
        try:
            import spacy  # noqa: F401  (outside the clock in both variants)
        except ImportError as exc:
            return {"unavailable": f"spaCy is not installed ({exc})"}
    if variant == "app":
        return _app(kind, path, tmp)
    if variant == "bare":
        return _bare_jsonl(copy_project(Path(params["bare"]), tmp), tmp)
    return (_baseline_jsonl if kind == "jsonl" else _baseline_spacy)(path, tmp)


def _app(kind: str, path: Path, tmp: Path) -> dict:
    from claimmark.core.project import Project

    project = Project.open(path, created_by=CORPUS_ANNOTATORS[0])
    watch = Stopwatch()
    if kind == "jsonl":
        from claimmark.core.formats.jsonl_writer import write_jsonl

        out = tmp / "out.jsonl"
        with watch.timed(), out.open("w", encoding="utf-8", newline="") as handle:
            summary = write_jsonl(project, handle)
        extra = {"documents": summary.documents, "spans": summary.spans}
    else:
        try:
            from claimmark.core.export import export_project
        except ImportError as exc:
            return {"unavailable": f"claimmark.core.export is not importable ({exc})"}
        out = tmp / "out.spacy"
        call = _spacy_call(export_project)
        with watch.timed():
            result = call(project, out)
        extra = {"result": repr(result)[:200]}
    extra["output_mb"] = _size(out) / 1e6
    project.close()
    return watch.result(extra)


def _spacy_call(export_project):
    """``export_project(project, "spacy", out, options)`` with default options, whatever their
    shape turns out to be (an ``ExportOptions`` class in the package, or a defaulted argument)."""
    import claimmark.core.export as package

    parameters = inspect.signature(export_project).parameters
    options_class = getattr(package, "ExportOptions", None)
    if options_class is not None:
        return lambda project, out: export_project(project, "spacy", out, options_class())
    if len(parameters) >= 4 and list(parameters.values())[3].default is not inspect.Parameter.empty:
        return lambda project, out: export_project(project, "spacy", out)
    return lambda project, out: export_project(project, "spacy", out, None)


def _size(out: Path) -> int:
    if out.is_dir():
        return sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    return out.stat().st_size if out.exists() else 0


def _rows(conn: sqlite3.Connection):
    documents = conn.execute(
        "SELECT id, title, text, sha256, source, meta, imported_at FROM documents ORDER BY rowid"
    ).fetchall()
    spans = defaultdict(list)
    for row in conn.execute(
        'SELECT id, document_id, label, start, "end", text, annotator, note, created_at,'
        ' updated_at FROM spans ORDER BY document_id, start, "end"'
    ):
        spans[row[1]].append(row)
    return documents, spans


def _baseline_jsonl(path: Path, tmp: Path) -> dict:
    out = tmp / "out.jsonl"
    watch = Stopwatch()
    with watch.timed():
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        documents, spans = _rows(conn)
        with out.open("w", encoding="utf-8", newline="") as handle:
            for i, title, text, sha, source, meta, imported_at in documents:
                record = {
                    "id": i,
                    "title": title,
                    "text": text,
                    "sha256": sha,
                    "source": source,
                    "meta": json.loads(meta),
                    "imported_at": imported_at,
                    "spans": [
                        {
                            "id": s[0],
                            "start": s[3],
                            "end": s[4],
                            "label": s[2],
                            "text": s[5],
                            "annotator": s[6],
                            "note": s[7],
                            "created_at": s[8],
                            "updated_at": s[9],
                        }
                        for s in spans[i]
                    ],
                }
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        conn.close()
    return watch.result({"output_mb": _size(out) / 1e6})


def _bare_jsonl(path: Path, tmp: Path) -> dict:
    out = tmp / "out.jsonl"
    watch = Stopwatch()
    with watch.timed():
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        conn.row_factory = sqlite3.Row
        spans = defaultdict(list)
        for row in conn.execute("SELECT * FROM spans"):
            span = dict(row)
            spans[span.pop("document_id")].append(span)
        with out.open("w", encoding="utf-8", newline="") as handle:
            for row in conn.execute("SELECT * FROM documents"):
                record = dict(row)
                record["spans"] = spans[record["id"]]
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        conn.close()
    return watch.result({"output_mb": _size(out) / 1e6})


def _baseline_spacy(path: Path, tmp: Path) -> dict:
    import spacy
    from spacy.tokens import DocBin

    out = tmp / "out.spacy"
    watch = Stopwatch()
    dropped = 0
    with watch.timed():
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        documents, spans = _rows(conn)
        nlp = spacy.blank("xx")
        doc_bin = DocBin()
        for row in documents:
            doc = nlp.make_doc(row[2])
            found = []
            for s in spans[row[0]]:
                span = doc.char_span(s[3], s[4], label=s[2], alignment_mode="expand")
                if span is None:
                    dropped += 1
                else:
                    found.append(span)
            doc.spans["sc"] = found
            doc_bin.add(doc)
        doc_bin.to_disk(out)
        conn.close()
    return watch.result({"output_mb": _size(out) / 1e6, "spans_dropped": dropped})
