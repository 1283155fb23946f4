"""Merging several project files into one: all checked first, then one transaction per file.

Every file is opened, recognised and verified before anything is written, so a bad file among
good ones leaves the project as it was; each file is then merged from the very snapshot that was
verified. A dry run does all of it inside a transaction that is rolled back.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from ..event_kinds import EventKind
from ..layer_rules import check_merger
from ..model import ClaimmarkError
from ..project import Project
from .context import MergeContext
from .record_merge import merge_records
from .schema_merge import merge_schema
from .source import Source, SourceRefused, open_source
from .summary import MergeSummary, SourceSummary

#: Fed (documents done, documents in all files, what is happening).
Progress = Callable[[int, int, str], None]


class MergeRefused(ClaimmarkError):
    """One or more files cannot be merged; the project was not changed."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__("; ".join(reasons) + ". Nothing was merged.")
        #: One sentence per refused file, naming it.
        self.reasons = reasons


class _DryRunOver(Exception):
    """Leaves the dry run's transaction, which rolls everything back."""


def merge_files(
    team: Project,
    paths: Sequence[str | Path],
    *,
    by: str,
    dry_run: bool = False,
    allow_unverified: bool = False,
    progress: Progress | None = None,
    summary: MergeSummary | None = None,
    team_name: str | None = None,
) -> MergeSummary:
    """Merge every file of ``paths`` into ``team``, performed by ``by``; what happened.

    ``progress`` may raise to stop (Cancel): the file being merged is rolled back whole and the
    files before it stay merged; ``summary`` (filled as files finish) then tells which.
    ``team_name`` names the project in conflicts (default: its file's name).
    """
    check_merger(by)
    name = team_name or team.name
    summary = summary if summary is not None else MergeSummary(dry_run=dry_run)
    summary.dry_run, summary.total = dry_run, len(paths)
    sources = _open_all([Path(p) for p in paths], team, allow_unverified)
    try:
        if dry_run:
            try:
                with team.batch():
                    _merge_all(team, name, sources, summary, by, allow_unverified, progress)
                    raise _DryRunOver
            except _DryRunOver:
                pass
        else:
            _merge_all(team, name, sources, summary, by, allow_unverified, progress)
    finally:
        for source in sources:
            source.close()
    return summary


def _open_all(paths: list[Path], team: Project, allow_unverified: bool) -> list[Source]:
    sources: list[Source] = []
    refusals: list[str] = []
    for path in paths:
        try:
            sources.append(open_source(path, team.path, allow_unverified=allow_unverified))
        except SourceRefused as exc:
            refusals.append(str(exc))
    if refusals:
        for source in sources:
            source.close()
        raise MergeRefused(refusals)
    return sources


def _merge_all(
    team: Project,
    team_name: str,
    sources: list[Source],
    summary: MergeSummary,
    by: str,
    allow_unverified: bool,
    progress: Progress | None,
) -> None:
    total = sum(source.project.document_count() for source in sources)
    done = 0
    team_uuid = team.uuid()
    if progress is not None:
        progress(0, total, f"Merging {len(sources)} file(s)…")
    for source in sources:
        result = SourceSummary(
            file=str(source.path),
            project_uuid=source.project_uuid,
            schema_version=source.schema_version,
            events=source.events,
            head_hash=source.head_hash,
            verified=source.verification.ok,
            problems=list(source.verification.problems),
            same_project=source.project_uuid is not None and source.project_uuid == team_uuid,
        )

        def document_done(source: Source = source) -> None:
            nonlocal done
            done += 1
            if progress is not None:
                progress(done, total, f"Merging {source.name}: {done} of {total} documents")

        with team.batch():
            context = MergeContext(team, source, result, by=by, team_name=team_name)
            merge_schema(context)
            merge_records(context, document_done)
            _record_source(team, source, result, by, allow_unverified)
        summary.sources.append(result)


def _record_source(
    team: Project, source: Source, result: SourceSummary, by: str, allow_unverified: bool
) -> None:
    """The file's own event: which file, which project and history, and what it brought."""
    team.merge_store.record(
        EventKind.PROJECT_MERGED,
        by=by,
        subject=source.name,
        after={
            "file": str(source.path.resolve()),
            "application_id": source.application_id,
            "schema_version": source.schema_version,
            "project_uuid": source.project_uuid,
            "events": source.events,
            "head_hash": source.head_hash,
            "verified": source.verification.ok,
            "allow_unverified": allow_unverified,
            "problems": source.verification.problems[:5],
            "documents_new": result.documents_new,
            "documents_present": result.documents_present,
            "spans_added": result.spans_added,
            "spans_present": result.spans_present,
            "statuses_added": result.statuses_added,
            "statuses_present": result.statuses_present,
            "labels_added": result.labels_added,
            "attributes_added": result.attributes_added,
            "relations_added": result.relations_added,
            "relations_present": result.relations_present,
            "relation_types_added": result.relation_types_added,
            "layers_added": result.layers_added,
            "conflicts": len(result.conflicts),
        },
    )
