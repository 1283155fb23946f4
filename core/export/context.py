"""What a format writer gets: the selection, the options, where to write, where to report."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..model import Document, Label
from ..project import Project
from .carried import report_uncarried
from .losses import LossLog
from .options import ExportOptions
from .selection import SelectedDocument, load_selected_batch
from .staging import Staging
from .token_doc import token_doc

ProgressCallback = Callable[[int, int], None]

#: Documents read together (with their spans and statuses) as an export goes along.
_BATCH = 200


@dataclass
class ExportContext:
    project: Project
    options: ExportOptions
    staging: Staging
    losses: LossLog
    #: part name (None: the single, unsplit output) -> document ids in export order.
    parts: dict[str | None, list[str]]
    #: The labels a schema-bearing format declares, in the project's schema order.
    labels: list[Label]
    on_document: ProgressCallback | None = None
    #: Format-specific facts for the provenance file (e.g. brat's document -> file names).
    provenance_extra: dict[str, Any] = field(default_factory=dict)
    documents_done: int = 0
    spans_seen: int = 0
    _label_names: dict[str, str] | None = None
    #: Token source (``token_doc.IMPORTED`` / ``TOKENIZER``) -> documents tokenised that way.
    token_sources: dict[str, int] = field(default_factory=dict)

    @property
    def total_documents(self) -> int:
        return sum(len(ids) for ids in self.parts.values())

    def documents(self, part: str | None) -> Iterator[SelectedDocument]:
        """The part's documents with their filtered spans, counting and reporting progress."""
        self.losses.part = part
        ids = self.parts[part]
        for at in range(0, len(ids), _BATCH):
            for selected in load_selected_batch(self.project, ids[at : at + _BATCH], self.options):
                yield selected
                report_uncarried(self.losses.format, selected, self.losses)
                self.count(len(selected.spans))

    def count(self, spans: int) -> None:
        self.documents_done += 1
        self.spans_seen += spans
        if self.on_document is not None:
            self.on_document(self.documents_done, self.total_documents)

    def token_doc(self, nlp: Any, document: Document) -> Any:
        """The document's spaCy Doc (its imported tokens if it has them), counted by source."""
        made = token_doc(nlp, document)
        self.token_sources[made.source] = self.token_sources.get(made.source, 0) + 1
        return made.doc

    def label_keys(self) -> list[str]:
        return [label.key for label in self.labels]

    def label_names(self) -> dict[str, str]:
        """Key -> the name to write where a format carries names (the imported name, if any)."""
        if self._label_names is None:
            self._label_names = {label.key: label.exported_name for label in self.project.labels()}
        return self._label_names


@dataclass(frozen=True)
class ExportFormat:
    name: str
    #: Extension of one part's data file ("" for formats whose part is a folder).
    extension: str
    write: Callable[[ExportContext], None]
    #: The output is a folder even without a split (brat).
    folder: bool = False
    needs_spacy: bool = False
    #: Cannot lose anything (claimmark's native JSONL): no loss report is written.
    lossless: bool = False
    description: str = ""
    #: Can write to standard output.
    streamable: bool = False


def schema_labels(project: Project, wanted: Sequence[str]) -> list[Label]:
    labels = project.labels()
    if wanted:
        labels = [label for label in labels if label.key in set(wanted)]
    return labels
