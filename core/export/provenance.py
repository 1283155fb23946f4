"""Where an export came from: enough to tell later which project state it shows."""

from __future__ import annotations

from typing import Any

from ..clock import utc_now
from ..project import Project
from ..version import APP_VERSION
from .options import ExportOptions


def provenance_record(
    project: Project,
    fmt: str,
    options: ExportOptions,
    parts: dict[str | None, list[str]],
    *,
    spans: int,
    losses_by_reason: dict[str, int],
    files: list[str],
    tools: dict[str, str],
    extra: dict[str, Any],
) -> dict[str, Any]:
    return {
        "format": fmt,
        "exported_at": utc_now(),
        "claimmark_version": APP_VERSION,
        "tools": tools,
        "project": {
            "file": project.name,
            "latest_event_hash": project.latest_event_hash(),
            "event_count": project.event_count(),
        },
        "filters": options.filters(),
        "options": {
            "span_key": options.span_key,
            "lang": options.lang,
            "align": options.align,
            "doccano_layout": options.doccano_layout,
            "doccano_offsets": options.doccano_offsets,
            "labelstudio_users": dict(options.labelstudio_users),
            "strict": options.strict,
        },
        "split": None
        if options.split is None
        else {"fractions": dict(options.split), "seed": options.seed},
        "parts": {part or "all": ids for part, ids in parts.items()},
        "counts": {
            "documents": sum(len(ids) for ids in parts.values()),
            "spans": spans,
            "losses": sum(losses_by_reason.values()),
        },
        "losses_by_reason": losses_by_reason,
        "files": files,
        **extra,
    }
