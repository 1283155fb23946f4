"""Importing files into a project: each file is stored whole or not at all.

Files are parsed and checked completely before the first write; then one transaction stores the
file's documents, its spans and any labels it introduces. A refused file is reported with every
problem found and leaves the project exactly as it was; the other files still import.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from .formats.jsonl_reader import DEFAULT_MAX_LINE_BYTES, ParsedFile, read_jsonl
from .formats.txt_reader import read_txt
from .import_errors import FileRefused, Problem
from .label_schema import display_name, generated_color
from .model import LABEL_KEY_RE, ClaimmarkError, Label, LabelKey
from .project import NewDocument, Project

READERS = {".txt": "txt", ".jsonl": "jsonl"}


@dataclass
class FileResult:
    path: str
    imported: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    new_labels: list[str] = field(default_factory=list)

    @property
    def refused(self) -> bool:
        return bool(self.problems)


@dataclass
class ImportSummary:
    files: list[FileResult] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(f.refused for f in self.files)

    def count(self, what: str) -> int:
        return sum(len(getattr(f, what)) for f in self.files)

    @property
    def new_labels(self) -> list[str]:
        return [label for f in self.files for label in f.new_labels]


def expand_paths(paths: Iterable[Path]) -> Iterator[tuple[Path, str | None]]:
    """Files to import, folders walked recursively in a stable (sorted) order.

    Yields (path, reason-it-is-skipped-or-None); hidden files and folders are passed over.
    """
    for path in paths:
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if name.startswith("."):
                        continue
                    file = Path(root) / name
                    if file.suffix.lower() in READERS:
                        yield file, None
                    else:
                        yield file, "skipped: not a .txt or .jsonl file"
        else:
            yield path, None


def import_paths(
    project: Project,
    paths: Iterable[Path],
    *,
    encoding: str = "utf-8",
    max_line_bytes: int = DEFAULT_MAX_LINE_BYTES,
    on_file: Callable[[FileResult], None] | None = None,
) -> ImportSummary:
    summary = ImportSummary()
    for path, skip_reason in expand_paths(paths):
        result = FileResult(str(path))
        if skip_reason:
            result.warnings.append(Problem(str(path), None, skip_reason))
        else:
            import_file(project, path, result, encoding=encoding, max_line_bytes=max_line_bytes)
        summary.files.append(result)
        if on_file is not None:
            on_file(result)
    return summary


def import_file(
    project: Project,
    path: Path,
    result: FileResult,
    *,
    encoding: str = "utf-8",
    max_line_bytes: int = DEFAULT_MAX_LINE_BYTES,
) -> None:
    parsed = _parse(path, encoding, max_line_bytes)
    result.warnings.extend(parsed.warnings)
    if parsed.problems:
        result.problems.extend(parsed.problems)
        return
    documents = _with_label_keys(parsed, result)
    try:
        with project.batch():
            result.new_labels = _add_missing_labels(project, documents)
            for line, document in documents:
                try:
                    document_id, imported = project.import_document(document)
                except ClaimmarkError as exc:
                    raise FileRefused([Problem(str(path), line, str(exc))]) from exc
                if imported:
                    result.imported.append(document_id)
                else:
                    result.skipped.append(document_id)
                    result.warnings.append(
                        Problem(
                            str(path),
                            line,
                            f"skipped: same text already in project as {document_id!r}",
                        )
                    )
    except FileRefused as exc:
        result.problems.extend(exc.problems)
        result.imported.clear()
        result.skipped.clear()
        result.new_labels.clear()
    except ClaimmarkError as exc:
        result.problems.append(Problem(str(path), None, str(exc)))
        result.imported.clear()
        result.skipped.clear()
        result.new_labels.clear()


def _parse(path: Path, encoding: str, max_line_bytes: int) -> ParsedFile:
    kind = READERS.get(path.suffix.lower())
    if not path.exists():
        return _refused(path, "no such file or folder")
    if kind is None:
        return _refused(path, "unsupported file type; claimmark imports .txt and .jsonl files")
    try:
        if kind == "txt":
            return read_txt(path, encoding=encoding)
        return read_jsonl(path, encoding=encoding, max_line_bytes=max_line_bytes)
    except OSError as exc:
        return _refused(path, f"cannot read: {exc.strerror or exc}")


def _refused(path: Path, message: str) -> ParsedFile:
    parsed = ParsedFile()
    parsed.problems.append(Problem(str(path), None, message))
    return parsed


def label_key_for(name: str) -> str:
    """A valid key for a label name from another tool: "Casualty Report" -> casualty_report."""
    key = re.sub(r"[^a-z0-9]+", "_", name.strip().lower()).strip("_")
    if not key or not key[0].isalpha():
        key = f"label_{key}".rstrip("_")
    return key


def _with_label_keys(parsed: ParsedFile, result: FileResult) -> list[tuple[int, NewDocument]]:
    documents = []
    for line, document in parsed.documents:
        spans = []
        for span in document.spans:
            if not LABEL_KEY_RE.match(span.label):
                key = label_key_for(span.label)
                result.warnings.append(
                    Problem(result.path, line, f"label {span.label!r} stored as key {key!r}")
                )
                span = replace(span, label=key)
            spans.append(span)
        documents.append((line, replace(document, spans=spans)))
    return documents


def _add_missing_labels(project: Project, documents: list[tuple[int, NewDocument]]) -> list[str]:
    known = {label.key for label in project.labels()}
    added = []
    for _, document in documents:
        for span in document.spans:
            if span.label not in known:
                project._insert_label(
                    Label(
                        LabelKey(span.label), display_name(span.label), generated_color(span.label)
                    )
                )
                known.add(span.label)
                added.append(span.label)
    return added
