"""``claimmark audit``: proving and reading the project's history."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import click

from .audit import Anchor, verify
from .cli_context import CliState, pass_state
from .cli_output import echo
from .history import describe_event


@click.group("audit")
def audit_group():
    """Check and read the project's tamper-evident history."""


_HASH_RE = re.compile(r"[0-9a-f]{64}\Z")


@audit_group.command("verify")
@click.option(
    "--against",
    "provenance_files",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    metavar="PROVENANCE.json",
    help="An export's provenance file: its event count and head hash must still be in the chain.",
)
@click.option(
    "--head",
    "heads",
    multiple=True,
    metavar="HASH",
    help="A head hash recorded earlier (printed by verify and export): must still be in the chain.",
)
@pass_state
def audit_verify(state: CliState, provenance_files, heads):
    """Recompute the event hash chain and replay every event from an empty project.

    Exits 0 when the history is intact and reproduces the current documents (text, title, source,
    metadata, import time), labels, annotators, spans and statuses exactly; otherwise names the
    first event or row that does not match. Everything is read from one snapshot, so annotators
    may keep working meanwhile. With --against/--head (both repeat), each recorded head must
    still be part of the chain: a history truncated, rewritten or wiped since then fails.
    """
    anchors = [_anchor_from_provenance(path) for path in provenance_files]
    for head in heads:
        if not _HASH_RE.match(head.strip().lower()):
            raise click.BadParameter(f"{head!r} is not a 64-digit hex hash", param_hint="--head")
        anchors.append(Anchor(head.strip().lower(), source=f"--head {head.strip().lower()[:12]}"))
    result = verify(state.project(), anchors)
    if result.ok:
        counts = ", ".join(f"{n} {what}" for what, n in result.counts.items())
        echo(f"OK: {result.events} events, hash chain intact; replay matches ({counts}).")
        for line in result.anchored:
            echo(f"anchored: {line}")
        echo(f"latest event hash: {result.head_hash}")
        return
    for problem in result.problems:
        echo(f"FAILED: {problem}")
    sys.exit(1)


@audit_group.command("log")
@click.option("--document", help="Only events about this document (by id).")
@click.option("--annotator", help="Only events by this annotator.")
@click.option("--since", metavar="TIME", help="Only events at or after TIME (e.g. 2026-11-25).")
@pass_state
def audit_log(state: CliState, document, annotator, since):
    """Print the history: who changed what, when, from what to what."""
    for event in state.project().events(document_id=document, annotator=annotator, since=since):
        echo(f"{event.seq:>6}  {event.at}  {event.annotator}  {describe_event(event)}")


def _anchor_from_provenance(path: Path) -> Anchor:
    """The project head an export recorded (``project.event_count``, ``latest_event_hash``)."""
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
        head = record["project"]
        count, digest = head["event_count"], head["latest_event_hash"]
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError) as exc:
        raise click.BadParameter(
            f"{path}: not a claimmark provenance file ({exc.__class__.__name__}: {exc})",
            param_hint="--against",
        ) from exc
    if isinstance(count, bool) or not isinstance(count, int) or count < 0:
        raise click.BadParameter(f"{path}: event_count is not a count", param_hint="--against")
    if not isinstance(digest, str) or not _HASH_RE.match(digest):
        raise click.BadParameter(f"{path}: latest_event_hash is not a hash", param_hint="--against")
    return Anchor(digest, count, source=path.name)
