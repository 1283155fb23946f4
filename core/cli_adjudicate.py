"""``claimmark adjudicate``: build the gold layer from what the annotators agree on."""

from __future__ import annotations

import click

from .adjudication.agreed_run import accept_agreed_everywhere
from .cli_context import CliState, pass_state
from .cli_output import echo
from .model import ClaimmarkError


@click.command("adjudicate")
@click.option(
    "--accept-agreed",
    is_flag=True,
    help="Put into gold every span the annotators agree on exactly (required: the other "
    "decisions are made in the window, View → Adjudicate).",
)
@click.option(
    "--min-annotators",
    type=int,
    metavar="N",
    help="Take documents labelled by at least N annotators, and spans at least N of them "
    "made. Default: every annotator who labelled the document, at least 2.",
)
@click.option(
    "--mode",
    type=click.Choice(["strict"]),
    default="strict",
    show_default=True,
    help="How spans must agree: strict is the same offsets and the same label (gold holds "
    "exact spans, so there is no looser mode).",
)
@pass_state
def adjudicate_command(
    state: CliState, accept_agreed: bool, min_annotators: int | None, mode: str
) -> None:
    """Fill the gold layer with the spans annotators agree on; report what is left to decide.

    An annotator labelled a document when their layer has a span in it or marks it done.
    Candidates already in gold or rejected by the curator are left as they are, so running it
    again adds nothing. The run is recorded as yours (--annotator) and is one undo step.
    """
    if not accept_agreed:
        raise click.UsageError(
            "say --accept-agreed; the curator's other decisions are made in the window "
            "(View → Adjudicate)"
        )
    try:
        run = accept_agreed_everywhere(
            state.project(), annotator=state.annotator, min_annotators=min_annotators
        )
    except ClaimmarkError as exc:
        raise click.ClickException(str(exc)) from exc
    needed = f"at least {min_annotators}" if min_annotators else "at least 2"
    echo(f"documents labelled by {needed} annotators: {run.documents}")
    if run.too_few:
        echo(f"documents left out (labelled by fewer): {run.too_few}")
    echo(f"accepted into gold: {run.accepted}")
    echo(f"disagreements remaining: {run.disagreements}")
