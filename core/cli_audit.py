"""``claimmark audit``: proving and reading the project's history."""

from __future__ import annotations

import sys

import click

from .audit import verify
from .cli_context import CliState, pass_state
from .history import describe_event


@click.group("audit")
def audit_group():
    """Check and read the project's tamper-evident history."""


@audit_group.command("verify")
@pass_state
def audit_verify(state: CliState):
    """Recompute the event hash chain and replay every event from an empty project.

    Exits 0 when the history is intact and reproduces the current documents (text, title, source,
    metadata, import time), labels, annotators, spans and statuses exactly; otherwise names the
    first event or row that does not match.
    """
    result = verify(state.project())
    if result.ok:
        counts = ", ".join(f"{n} {what}" for what, n in result.counts.items())
        click.echo(f"OK: {result.events} events, hash chain intact; replay matches ({counts}).")
        click.echo(f"latest event hash: {state.project().latest_event_hash()}")
        return
    for problem in result.problems:
        click.echo(f"FAILED: {problem}")
    sys.exit(1)


@audit_group.command("log")
@click.option("--document", help="Only events about this document (by id).")
@click.option("--annotator", help="Only events by this annotator.")
@click.option("--since", metavar="TIME", help="Only events at or after TIME (e.g. 2026-11-25).")
@pass_state
def audit_log(state: CliState, document, annotator, since):
    """Print the history: who changed what, when, from what to what."""
    for event in state.project().events(document_id=document, annotator=annotator, since=since):
        click.echo(f"{event.seq:>6}  {event.at}  {event.annotator}  {describe_event(event)}")
