"""Small project files to merge, built through the Project API, and what a merge must keep."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result

from claimmark.core.cli import cli
from claimmark.core.model import SPAN_FIELDS
from claimmark.core.project import NewDocument, Project

#: Texts without whitespace, so any offsets make a span; one with an emoji beyond the BMP.
TEXTS = (
    "Officials-said-twelve-died-yesterday",
    "The-army-denied-it-flatly-on-Monday",
    "Zürich👍reports-say-otherwise",
    "Ministers-met-the-press-at-noon",
)


@dataclass(frozen=True)
class SpanSpec:
    annotator: str
    label: str
    start: int
    end: int
    note: str | None = None


@dataclass(frozen=True)
class DocSpec:
    id: str
    text: str
    spans: tuple[SpanSpec, ...] = ()
    #: annotator -> status (None: not started, even after a first span)
    statuses: tuple[tuple[str, str | None], ...] = ()
    #: (index of the from span, index of the to span, relation type) in ``spans``
    relations: tuple[tuple[int, int, str], ...] = ()


@dataclass(frozen=True)
class ProjectSpec:
    documents: tuple[DocSpec, ...] = ()
    labels: tuple[tuple[str, str, str], ...] = field(default=())  # key, name, colour


def build(path: Path, spec: ProjectSpec, *, created_by: str = "maker") -> Path:
    """Apply ``spec`` to the project at ``path`` (created when missing)."""
    from claimmark.core.model import Label, LabelKey

    with Project.open(path, created_by=created_by) as project:
        for key, name, color in spec.labels:
            if project.label(key) is None:
                project.add_label(Label(LabelKey(key), name, color), annotator=created_by)
        for doc in spec.documents:
            # On top of a copy, an id the copy gives another text is left to the import.
            taken = project.has_document(doc.id) and project.document(doc.id).text != doc.text
            document_id, _ = project.import_document(
                NewDocument(text=doc.text, title=doc.text[:9], id=None if taken else doc.id),
                annotator=created_by,
            )
            made = [
                project.add_span(
                    document_id,
                    span.label,
                    span.start,
                    span.end,
                    span.note,
                    annotator=span.annotator,
                ).created[0]
                for span in doc.spans
            ]
            for first, second, relation_type in doc.relations:
                project.add_relation(
                    made[first].id,
                    made[second].id,
                    relation_type,
                    annotator=made[first].annotator,
                )
            for annotator, status in doc.statuses:
                project.set_status(document_id, status, annotator=annotator)
    return path


def state(path: Path) -> dict[str, Any]:
    """What a merge promises about a project: its texts, spans (by id, their document named by
    its text's hash) and statuses; document ids and titles are not compared (the first text to
    arrive keeps an id)."""
    with Project.open(path) as project:
        shas = {d.id: d.sha256 for d in project.iter_documents()}
        spans = {
            span.id: tuple(
                shas[span.document_id] if name == "document_id" else getattr(span, name)
                for name in SPAN_FIELDS
            )
            for span in project.spans()
        }
        statuses = {
            (shas[document_id], annotator): status
            for document_id in shas
            for annotator, status in project.statuses(document_id).items()
        }
        relations = {
            relation.id: (
                shas[relation.document_id],
                relation.type,
                relation.from_span,
                relation.to_span,
                relation.annotator,
                relation.created_at,
            )
            for found in project.relations_by_document(list(shas)).values()
            for relation in found
        }
        return {
            "documents": sorted(shas.values()),
            "spans": spans,
            "statuses": statuses,
            "relations": relations,
        }


def merge(team: Path, *sources: Path, by: str = "carol", extra: tuple[str, ...] = ()) -> Result:
    return CliRunner().invoke(
        cli,
        ["--project", str(team), "--annotator", by, "merge", *extra, *map(str, sources)],
    )


def verify(path: Path) -> Result:
    return CliRunner().invoke(cli, ["--project", str(path), "audit", "verify"])


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
