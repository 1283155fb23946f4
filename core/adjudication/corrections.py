"""What an annotator sees of the curator's work: their spans that gold does not hold as they are.

A span "gold differs from" is one of the annotator's whose offsets, label and pieces no gold
span has, in a document that has gold at all (a document nobody adjudicated yet says nothing
about anyone's spans).
"""

from __future__ import annotations

from ..model import GOLD_LAYER, SpanId
from ..project import Project
from .candidates import span_key


def spans_gold_differs_from(project: Project, document_id: str, annotator: str) -> set[SpanId]:
    with project.read_snapshot():
        gold = project.spans(document_id, annotators=[GOLD_LAYER])
        if not gold:
            return set()
        mine = project.spans(document_id, annotators=[annotator])
    held = {span_key(span) for span in gold}
    return {span.id for span in mine if span_key(span) not in held}
