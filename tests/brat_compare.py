"""What two brat readings of a document hold, compared by content rather than by id.

claimmark renumbers ids when it writes brat, so a text-bound annotation is known by its type and
offsets, and every other annotation by what it says about such annotations. A reading is what
``brat_annotation_dump.py`` prints for one document (brat's own parser) or the same shape built
from claimmark's parser.
"""

from __future__ import annotations

from collections import Counter

from claimmark.core.formats.brat_standoff import Standoff


def contents(read: dict) -> Counter:
    """Every annotation of a reading as a hashable description, counted."""
    bounds = {t["id"]: (t["type"], tuple(map(tuple, t["spans"]))) for t in read["textbounds"]}
    events = {e["id"]: e for e in read["events"]}

    def ref(ident: str, depth: int = 0):
        if ident in bounds:
            return bounds[ident]
        if ident in events and depth < 8:
            event = events[ident]
            return ("event", event["type"], ref(event["trigger"], depth + 1))
        return ("missing", ident)

    found: Counter = Counter()
    for t in read["textbounds"]:
        found[("T", t["type"], tuple(map(tuple, t["spans"])), t["text"])] += 1
    for r in read["relations"]:
        found[("R", r["type"], *(tuple((role, ref(i)) for role, i in r["args"])))] += 1
    for e in read["events"]:
        args = tuple(sorted((role, ref(i)) for role, i in e["args"]))
        found[("E", e["type"], ref(e["trigger"]), args)] += 1
    for a in read["attributes"]:
        found[("A", a["type"], ref(a["target"]), a["value"])] += 1
    for n in read["normalizations"]:
        found[("N", n["type"], ref(n["target"]), n["refdb"], n["refid"], n["text"])] += 1
    for c in read["notes"]:
        found[("#", c["type"], ref(c["target"]), c["text"])] += 1
    for q in read["equivs"]:
        found[("*", q["type"], tuple(sorted(ref(i) for i in q["entities"])))] += 1
    return found


def difference(before: dict, after: dict) -> tuple[Counter, Counter]:
    """(what ``after`` lacks of ``before``, what it has that ``before`` had not)."""
    old, new = contents(before), contents(after)
    return old - new, new - old


def reading(standoff: Standoff) -> dict:
    """What claimmark's parser read, in the shape the brat dump script prints."""
    return {
        "textbounds": sorted(
            (
                {
                    "id": t.id,
                    "type": t.type,
                    "spans": [list(f) for f in t.fragments],
                    "text": t.text,
                }
                for t in standoff.textbounds.values()
            ),
            key=lambda t: t["id"],
        ),
        "relations": sorted(
            (
                {"id": r.id, "type": r.type, "args": [list(a) for a in r.args]}
                for r in standoff.relations
            ),
            key=lambda r: r["id"],
        ),
        "events": [
            {"id": e.id, "type": e.type, "trigger": e.trigger, "args": [list(a) for a in e.args]}
            for e in standoff.events
        ],
        "attributes": sorted(
            (
                {
                    "id": a.id,
                    "type": a.name,
                    "target": a.target,
                    "value": True if a.value is None else a.value,
                }
                for a in standoff.attributes
            ),
            key=lambda a: a["id"],
        ),
        "normalizations": [
            {
                "id": n.id,
                "type": n.type,
                "target": n.target,
                "refdb": n.reference.split(":", 1)[0],
                "refid": n.reference.split(":", 1)[1],
                "text": n.text,
            }
            for n in standoff.normalizations
        ],
        "notes": sorted(
            (
                {"id": c.id, "type": c.type, "target": c.target, "text": c.text}
                for c in standoff.notes
            ),
            key=lambda c: c["id"],
        ),
        "equivs": [{"type": q.type, "entities": q.targets} for q in standoff.equivs],
    }


def complaints(read: dict) -> tuple:
    """brat's errors, warnings and unparsed lines for a reading (all empty when it is clean)."""
    return read["errors"], read["warnings"], read["failed_lines"]
