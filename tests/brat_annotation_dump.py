"""Parse brat documents with brat's own ``annotation.py`` and print what it read, as JSON.

Run by the tests under Python 3.10 (brat's parser does not run on claimmark's Python), never
imported by them: ``python3.10 brat_annotation_dump.py BRAT_SRC DOC...`` where ``BRAT_SRC`` is the
folder holding brat's ``annotation.py`` (brat's ``server/src``; brat's files are not part of this
repository) and each ``DOC`` is a document path without its ``.txt``/``.ann`` extension.

Prints ``{DOC: {...}}`` with every kind of annotation brat read (text-bound annotations with
their fragments and text, relations, events, attributes, normalisations, notes, equivalences)
and brat's own complaints (errors, warnings, lines it could not parse), so a test can compare
claimmark's output with what brat itself sees.
"""

import json
import sys


def dump(annotation, document):
    doc = annotation.TextAnnotations(document, read_only=True)
    messages = doc.get_messages()
    return {
        "textbounds": sorted(
            (
                {
                    "id": t.id,
                    "type": t.type,
                    "spans": [list(pair) for pair in t.spans],
                    "text": t.get_text(),
                }
                for t in doc.get_textbounds()
            ),
            key=lambda t: t["id"],
        ),
        "relations": [
            {"id": r.id, "type": r.type, "args": [[r.arg1l, r.arg1], [r.arg2l, r.arg2]]}
            for r in doc.get_relations()
        ],
        "events": [
            {"id": e.id, "type": e.type, "trigger": e.trigger, "args": [list(a) for a in e.args]}
            for e in doc.get_events()
        ],
        "attributes": [
            {"id": a.id, "type": a.type, "target": a.target, "value": a.value}
            for a in doc.get_attributes()
        ],
        "normalizations": [
            {
                "id": n.id,
                "type": n.type,
                "target": n.target,
                "refdb": n.refdb,
                "refid": n.refid,
                "text": n.reftext,
            }
            for n in doc.get_normalizations()
        ],
        "notes": [
            {"id": c.id, "type": c.type, "target": c.target, "text": c.get_text()}
            for c in doc.get_oneline_comments()
        ],
        "equivs": [{"type": q.type, "entities": list(q.entities)} for q in doc.get_equivs()],
        "errors": [str(m) for m in messages.errors],
        "warnings": [str(m) for m in messages.warnings],
        "failed_lines": list(doc.failed_lines),
    }


def main(argv):
    sys.path.insert(0, argv[1])
    import annotation  # brat's, from argv[1]

    result = {document: dump(annotation, document) for document in argv[2:]}
    sys.stdout.write(json.dumps(result, ensure_ascii=False, sort_keys=True))


if __name__ == "__main__":
    main(sys.argv)
