"""The audit log's hash chain.

Each event's hash covers its canonical content and the previous event's hash, so editing, deleting,
inserting or reordering any event breaks every hash after it. The canonical form is fixed JSON
(sorted keys, no whitespace, UTF-8) so that any tool can recompute it.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

GENESIS_HASH = "0" * 64

#: The fields an event's hash covers, in the order they are stored.
HASHED_FIELDS = (
    "seq",
    "at",
    "annotator",
    "kind",
    "document_id",
    "doc_sha256",
    "subject",
    "before",
    "after",
    "app_version",
    "prev_hash",
)

#: Fields added later (schema 2): hashed only when set, so every older event keeps its hash.
OPTIONAL_HASHED_FIELDS = ("operation", "reverts")


#: One encoder, made once: ``json.dumps`` with options builds a new one per call, and an import
#: hashes one event per document.
_CANONICAL = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def canonical_json(value: Any) -> str:
    return _CANONICAL.encode(value)


def event_hash(fields: dict[str, Any]) -> str:
    """Hash an event given its stored fields (``before``/``after`` as stored JSON text or None).

    The content is the canonical JSON of every hashed field except ``before`` and ``after`` (and
    of ``operation`` and ``reverts`` when they are set), then
    a newline and the stored ``before`` text, then a newline and the stored ``after`` text
    (``null`` when absent). Those two are already canonical JSON as stored; hashing them as they
    are spares re-escaping a document import's whole span list.
    """
    hashed = {name: fields[name] for name in HASHED_FIELDS if name not in ("before", "after")}
    for name in OPTIONAL_HASHED_FIELDS:
        if fields.get(name) is not None:
            hashed[name] = fields[name]
    head = canonical_json(hashed)
    content = "\n".join((head, fields["before"] or "null", fields["after"] or "null"))
    return hashlib.sha256(content.encode("utf-8")).hexdigest()
