"""Whose layer an edit may touch: a person edits only their own; ``gold`` only by adjudication."""

from __future__ import annotations

from .model import GOLD_LAYER, InvariantError


def check_layer_edit(
    layer: str, by: str, *, adjudication: bool = False, merge: bool = False
) -> None:
    """Refuse an edit by ``by`` of a span or status in ``layer`` unless the action says so.

    Adjudication (a later issue) is the one action that writes ``gold``, and it may do so on
    behalf of a curator; a merge carries spans into the layers they were made in, whoever runs
    it (its events say so); every other edit is a person's own layer.
    """
    if merge:
        return
    if adjudication:
        check_curator(by)
        if layer != GOLD_LAYER:
            raise InvariantError(f"adjudication writes only the {GOLD_LAYER} layer, not {layer!r}")
        return
    if layer == GOLD_LAYER:
        raise InvariantError(
            f"the {GOLD_LAYER} layer is written only by adjudication, not by hand edits"
        )
    if layer != by:
        raise InvariantError(f"this is {layer}'s layer; {by} can change only their own layer")


def check_curator(by: str) -> None:
    """Adjudication names the person deciding; the gold layer never decides for itself."""
    if by == GOLD_LAYER:
        raise InvariantError(
            f"adjudication is done by a person (the curator), not by the {GOLD_LAYER} layer;"
            " give your own name as the annotator"
        )


def check_merger(by: str) -> None:
    """A merge's events name the person running it; the gold layer never runs one."""
    if by == GOLD_LAYER:
        raise InvariantError(
            f"a merge is run by a person, not by the {GOLD_LAYER} layer (its events name who"
            " ran it); give your own name as the annotator"
        )
