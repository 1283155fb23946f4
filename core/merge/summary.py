"""What a merge did, per file: counts, and every conflict named with its file and record.

The same values feed the command line's output, the window's report and the tests; ``lines``
is the one wording of it.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Conflict:
    """Two files disagree about one record; ``detail`` says how and what was kept."""

    file: str
    record: str
    detail: str

    def __str__(self) -> str:
        return f"conflict: {self.file}: {self.record}: {self.detail}"


@dataclass
class SourceSummary:
    """One file merged (or, in a dry run, what merging it would do)."""

    file: str
    project_uuid: str | None
    schema_version: int
    events: int
    head_hash: str
    verified: bool
    #: Why its history does not verify (merged only with ``--allow-unverified``).
    problems: list[str] = field(default_factory=list)
    #: A copy of the project merged into (same project id): the usual annotator's copy.
    same_project: bool = False
    documents_new: int = 0
    documents_present: int = 0
    spans_added: int = 0
    spans_present: int = 0
    statuses_added: int = 0
    statuses_present: int = 0
    labels_added: int = 0
    labels_present: int = 0
    relations_added: int = 0
    relations_present: int = 0
    relation_types_added: int = 0
    relation_types_present: int = 0
    attributes_added: int = 0
    attributes_present: int = 0
    layers_added: int = 0
    layers_present: int = 0
    conflicts: list[Conflict] = field(default_factory=list)

    @property
    def added(self) -> int:
        """Records this file brought in (0: it held nothing new)."""
        return (
            self.documents_new
            + self.spans_added
            + self.statuses_added
            + self.labels_added
            + self.attributes_added
            + self.relations_added
            + self.relation_types_added
            + self.layers_added
        )

    def lines(self) -> list[str]:
        history = "history verified" if self.verified else "history NOT verified"
        identity = f"project {self.project_uuid}" if self.project_uuid else "no project id"
        if self.same_project:
            identity += " (a copy of this project)"
        lines = [
            f"{self.file}: {identity}, {self.events} events, head {self.head_hash[:16]}…,"
            f" {history}",
        ]
        lines += [f"  merged although its history does not verify: {p}" for p in self.problems]
        lines += [
            f"  documents: {self.documents_new} new, {self.documents_present} already present",
            f"  spans: {self.spans_added} added, {self.spans_present} already present",
            f"  relations: {self.relations_added} added, {self.relations_present} already present",
            f"  statuses: {self.statuses_added} added or changed,"
            f" {self.statuses_present} already present",
            f"  labels: {self.labels_added} added, {self.labels_present} already present",
            f"  attributes: {self.attributes_added} added,"
            f" {self.attributes_present} already present",
            f"  relation types: {self.relation_types_added} added,"
            f" {self.relation_types_present} already present",
            f"  layers: {self.layers_added} added, {self.layers_present} already present",
            f"  conflicts: {len(self.conflicts)}",
        ]
        lines += [f"  {conflict}" for conflict in self.conflicts]
        return lines


@dataclass
class MergeSummary:
    dry_run: bool = False
    sources: list[SourceSummary] = field(default_factory=list)
    #: Files given; more than ``len(sources)`` after a cancel.
    total: int = 0
    cancelled: bool = False
    #: Things the run wants said besides the files (a backup that could not be taken).
    notes: list[str] = field(default_factory=list)

    @property
    def conflicts(self) -> list[Conflict]:
        return [c for source in self.sources for c in source.conflicts]

    def count(self, what: str) -> int:
        return sum(getattr(source, what) for source in self.sources)

    def headline(self) -> str:
        verb = "Would merge" if self.dry_run else "Merged"
        text = (
            f"{verb} {len(self.sources)} file(s): {self.count('documents_new')} new document(s),"
            f" {self.count('spans_added')} span(s) added, {self.count('statuses_added')}"
            f" status(es) added or changed, {len(self.conflicts)} conflict(s)."
        )
        if self.dry_run:
            text += " Dry run: nothing was written."
        if self.cancelled:
            text += (
                f" Cancelled after {len(self.sources)} of {self.total} files"
                " (each file is merged whole or not at all)."
            )
        return text

    def lines(self) -> list[str]:
        lines = [line for source in self.sources for line in source.lines()]
        return [*lines, self.headline()]
