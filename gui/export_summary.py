"""What an export did (or why it refused), in the words the CLI uses, as plain text.

Kept apart from the dialog so the wording can be read and tested without widgets; it follows
``claimmark export``'s stderr summary so a person switching between the two sees the same facts:
counts, parts, losses by reason, where the loss report is, the provenance hash and the outputs.
"""

from __future__ import annotations

from collections.abc import Sequence

from claimmark.core.export import ExportReport, Loss

#: Losses listed one by one before "... and N more" (all of them are in the loss report).
SHOWN_LOSSES = 20


def loss_lines(losses: Sequence[Loss]) -> list[str]:
    lines = []
    for loss in losses[:SHOWN_LOSSES]:
        detail = f": {loss.detail}" if loss.detail else ""
        lines.append(f"  {loss.document_id}{loss.place()}: {loss.reason}{detail}")
    if len(losses) > SHOWN_LOSSES:
        lines.append(f"  ... and {len(losses) - SHOWN_LOSSES} more")
    return lines


def headline(report: ExportReport) -> str:
    text = f"Exported {report.documents} document(s), {report.spans} span(s) as {report.format}."
    if report.losses:
        text += f" {len(report.losses)} loss(es): see the loss report."
    return text


def provenance_hash(report: ExportReport) -> str:
    return report.provenance.get("project", {}).get("latest_event_hash", "")


def summary_text(report: ExportReport) -> str:
    project = report.provenance.get("project", {})
    lines = [
        f"Format: {report.format}",
        f"Documents: {report.documents}",
        f"Spans: {report.spans}",
    ]
    if len(report.parts) > 1:
        lines.append("Parts: " + ", ".join(f"{n} {c} docs" for n, c in report.parts.items()))
    lines += report.notices  # e.g. which documents kept their imported tokens
    if report.losses:
        reasons = ", ".join(f"{r}: {n}" for r, n in report.losses_by_reason().items())
        lines.append(f"Losses: {len(report.losses)} ({reasons})")
        lines.append(f"Loss report: {report.loss_report}")
        lines += loss_lines(report.losses)
    elif report.loss_report is not None:
        lines.append(f"Losses: none (loss report: {report.loss_report})")
    else:
        lines.append("Losses: none (this format carries everything)")
    lines.append(
        f"Project state: event {project.get('event_count', '?')}, "
        f"hash {project.get('latest_event_hash', '?')}"
    )
    if report.provenance_file is not None:
        lines.append(f"Provenance: {report.provenance_file}")
    if report.destination is not None and report.destination.is_dir():
        lines.append(f"Output folder: {report.destination} ({len(report.outputs)} files)")
    if report.outputs:
        lines.append("Files:")
        lines += [f"  {path}" for path in report.outputs]
    return "\n".join(lines)
