"""What a spaCy import remembered about a document, matched to the spans exported now.

A DocBin imported into claimmark keeps, in the document's meta (``formats.token_meta``), which
spans were in ``doc.ents``, which span groups held them, their ``kb_id`` and ``doc.cats``. The
spaCy export puts each remembered span back where it was (an entity stays an entity and is not
added to ``sc``), restores ``kb_id`` and ``doc.cats``; spans made in claimmark since go to
``--span-key`` and, when they fit, to ``doc.ents``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..formats.token_meta import SPACY_META_KEY
from ..model import Document, Span


@dataclass(frozen=True, slots=True)
class Placement:
    ents: bool
    groups: tuple[str, ...]
    kb_id: str = ""


def _key(label: str) -> str:
    """A label as claimmark may have renamed it on import ("PER" -> "per", "Merge-org" ->
    "merge_org"): compared this way, an imported label still finds its memory."""
    return re.sub(r"[^0-9a-z]+", "_", label.casefold()).strip("_")


class SpacyMemory:
    def __init__(self, document: Document):
        memory = document.meta.get(SPACY_META_KEY) if isinstance(document.meta, dict) else None
        memory = memory if isinstance(memory, dict) else {}
        cats = memory.get("cats")
        self.cats = (
            {k: float(v) for k, v in cats.items() if isinstance(v, int | float)}
            if isinstance(cats, dict)
            else {}
        )
        self._places: dict[tuple[int, int], list[tuple[str, Placement]]] = {}
        entries = memory.get("spans")
        for entry in entries if isinstance(entries, list) else []:
            if not isinstance(entry, dict):
                continue
            start, end, label = entry.get("start"), entry.get("end"), entry.get("label")
            if not (isinstance(start, int) and isinstance(end, int) and isinstance(label, str)):
                continue
            groups = entry.get("groups") or []
            kb_id = entry.get("kb_id")
            placement = Placement(
                bool(entry.get("ents")),
                tuple(g for g in groups if isinstance(g, str) and g),
                kb_id if isinstance(kb_id, str) else "",
            )
            self._places.setdefault((start, end), []).append((label, placement))

    def placement(self, span: Span, name: str | None = None) -> Placement | None:
        """Where the span was in the imported Doc; None for a span made in claimmark.

        ``name``: the label's imported name ("人名" for key ``u4eba_u540d``), what the Doc held.
        """
        found = self._places.get((span.start, span.end), [])
        for label, placement in found:
            if label in (span.label, name):
                return placement
        for label, placement in found:
            if _key(label) == _key(span.label):
                return placement
        return None
