"""The loss report lists exactly what the consumer of each format does not get back.

One project holds everything claimmark has: several annotators per document, statuses, notes
(one with a CRLF), meta, sources, overlaps, emoji, CRLF and right-to-left text, relations in two
layers, attributes of every kind (a number, a range, a choice with spaces, yes/no), and
discontinuous spans (one with a fragment across a CRLF). Each format's output is read back the
way its consumer reads it, and for every span, note, annotator, status, document field,
relation, attribute and fragment the test checks: absent from the output <=> reported in the
loss report.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field, replace
from pathlib import Path

import pytest

from claimmark.core.export import export_project
from claimmark.core.export.token_doc import token_doc
from claimmark.core.export.tokenising import blank_pipeline
from claimmark.core.formats import brat_standoff
from claimmark.core.formats.brat_reader import join_line_breaks
from claimmark.core.project import NewDocument, NewRelation, NewSpan, Project

from .conftest import HOSTILE_DOCUMENTS, at, expected_spans

FIELDS = ("title", "source", "imported_at", "meta", "status")


def rich_documents():
    documents = []
    for number, document in enumerate(HOSTILE_DOCUMENTS):
        spans = list(document.spans)
        statuses = dict(document.statuses)
        if document.id == "ar:2":  # a second and third annotator, with their own status
            spans.append(at(document.text, "المتحدث", "attribution", "carol", note="كارول"))
            statuses["carol"] = "done"
        documents.append(
            replace(
                document,
                source=f"feeds/{number}.xml",
                meta={"outlet": "Reuters", "rank": number, "tags": ["🔥", "news"]},
                spans=spans,
                statuses=statuses,
            )
        )
    return documents


STRUCT_TEXT = (
    "Officials said five 👷 workers, all civilians, died;\r\n"
    "the ministry, a spokesman said, denied it. Rebels claimed 10-12 deaths."
)


def piece(text: str, fragment: str) -> list[int]:
    start = text.index(fragment)
    return [start, start + len(fragment)]


def structured_document() -> NewDocument:
    """Relations, attributes and fragments, in two annotators' layers."""
    t = STRUCT_TEXT

    def span(span_id, label, *fragments, annotator="alice", **attributes):
        pieces = [piece(t, f) for f in fragments]
        return NewSpan(
            pieces[0][0],
            pieces[-1][1],
            label,
            annotator=annotator,
            id=span_id,
            fragments=pieces if len(pieces) > 1 else None,
            attributes=attributes or None,
        )

    return NewDocument(
        text=t,
        title="Structure",
        id="structure",
        source="feeds/structure.xml",
        meta={"desk": "east"},
        spans=[
            span("s1", "attribution", "Officials", source_type="party to the conflict"),
            span("s2", "claim", "five 👷 workers, all civilians, died"),
            span("s3", "casualty_report", "five 👷 workers", killed=5, group="civilians"),
            span("s4", "denial", "the ministry", "denied it"),
            span("s5", "attribution", "a spokesman", source_type="official"),
            span("s6", "claim", "died;\r\nthe ministry", "denied"),  # a fragment over CRLF
            span("s7", "casualty_report", "10-12 deaths", killed="10-12", group="unknown"),
            span("s8", "attribution", "Rebels"),
            span("b1", "attribution", "Officials", annotator="bob"),
            span("b2", "claim", "five 👷 workers", annotator="bob"),
        ],
        relations=[
            NewRelation("attributed_to", "s2", "s1"),
            NewRelation("attributed_to", "s4", "s5"),
            NewRelation("denies", "s4", "s2"),
            NewRelation("attributed_to", "s7", "s8"),
            NewRelation("attributed_to", "b2", "b1"),
        ],
        statuses={"alice": "done", "bob": "in_progress"},
    )


@pytest.fixture
def rich_project():
    project = Project.open(None, created_by="alice")
    for document in [*rich_documents(), structured_document()]:
        project.import_document(document, annotator="alice")
    yield project
    project.close()


@dataclass
class Seen:
    """What a consumer gets back, in code points of the stored texts."""

    spans: set[tuple] = field(default_factory=set)  # (document id, start, end, label)
    notes: set[tuple] = field(default_factory=set)  # (document id, start, end, label, note)
    annotators: set[tuple] = field(default_factory=set)  # (..., label, annotator)
    span_ids: set[str] = field(default_factory=set)
    span_times: bool = False
    fields: dict[str, set[str]] = field(default_factory=dict)  # document id -> FIELDS present
    # (document id, type, (start, end, label) of the source, of the target)
    relations: set[tuple] = field(default_factory=set)
    # (document id, start, end, label, attribute, value as text)
    attributes: set[tuple] = field(default_factory=set)
    # (document id, start, end, label, pieces) of spans given back as several pieces
    fragments: set[tuple] = field(default_factory=set)

    def relation(self, document_id, kind, source, target) -> None:
        self.relations.add((document_id, kind, tuple(source), tuple(target)))

    def attribute(self, document_id, start, end, label, name, value) -> None:
        self.attributes.add((document_id, start, end, label, name, value_text(value)))

    def pieces(self, document_id, start, end, label, pieces) -> None:
        if len(pieces) > 1:
            self.fragments.add((document_id, start, end, label, tuple(map(tuple, pieces))))


def value_text(value) -> str:
    """An attribute value as every format's text of it: 10-12, yes, 5."""
    if isinstance(value, list | tuple):
        return "-".join(map(str, value))
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


# ------------------------------------------------------------------ readers, one per format
def read_jsonl(out: Path, project) -> Seen:
    seen = Seen(span_times=True)
    for line in out.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        if "text" not in record:
            continue  # a label, attribute or relation type definition
        seen.fields[record["id"]] = {f for f in FIELDS if f in record}
        keys = {}
        for s in record["spans"]:
            add_span(seen, record["id"], s["start"], s["end"], s["label"], s["note"], s)
            seen.span_ids.add(s["id"])
            keys[s["id"]] = (s["start"], s["end"], s["label"])
            for name, value in s.get("attributes", {}).items():
                seen.attribute(record["id"], *keys[s["id"]], name, value)
            seen.pieces(record["id"], *keys[s["id"]], s.get("fragments", []))
        for r in record.get("relations", []):
            seen.relation(record["id"], r["type"], keys[r["from"]], keys[r["to"]])
    return seen


def read_tables(out: Path, project, rows_of) -> Seen:
    seen = Seen(span_times=True)
    for row in rows_of(out / "documents"):
        seen.fields[row["document_id"]] = set(FIELDS)
    keys, outgoing = {}, []
    for row in rows_of(out / "spans"):
        start, end = int(row["start"]), int(row["end"])
        add_span(seen, row["document_id"], start, end, row["label"], row["note"] or None, row)
        seen.span_ids.add(row["span_id"])
        keys[row["span_id"]] = (start, end, row["label"])
        for name, value in json.loads(row["attributes"]).items():
            seen.attribute(row["document_id"], start, end, row["label"], name, value)
        seen.pieces(
            row["document_id"], start, end, row["label"], json.loads(row["fragments"] or "[]")
        )
        outgoing.extend(
            (row["document_id"], row["span_id"], r) for r in json.loads(row["relations"])
        )
    for document_id, source, r in outgoing:
        seen.relation(document_id, r["type"], keys[source], keys[r["to"]])
    return seen


def csv_rows(stem: Path):
    with open(f"{stem}.csv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def parquet_rows(stem: Path):
    import pyarrow.parquet as pq

    return pq.read_table(f"{stem}.parquet").to_pylist()


def read_spacy(out: Path, project) -> Seen:
    import spacy
    from spacy.tokens import DocBin

    seen = Seen()
    for doc in DocBin().from_disk(out).get_docs(spacy.blank("xx").vocab):
        document_id = doc.user_data["claimmark_document_id"]
        seen.fields[document_id] = {"title"} if doc.user_data.get("claimmark_title") else set()
        for group in [*doc.spans.values(), doc.ents]:
            for s in group:
                seen.spans.add((document_id, s.start_char, s.end_char, s.label_))
                if s.id_:
                    seen.span_ids.add(s.id_)
    return seen


def provenance(out: Path) -> dict:
    path = out / "provenance.json" if out.is_dir() else Path(f"{out}.provenance.json")
    return json.loads(path.read_text(encoding="utf-8"))


def bio_spans(tags, offsets) -> list[tuple[int, int, str]]:
    spans, current = [], None
    for tag, (start, end) in zip(tags, offsets, strict=True):
        if tag.startswith("I-") and current and current[2] == tag[2:]:
            current[1] = end
            continue
        if current:
            spans.append(tuple(current))
        current = [start, end, tag[2:]] if tag != "O" else None
    if current:
        spans.append(tuple(current))
    return spans


def read_conll(out: Path, project) -> Seen:
    seen = Seen()
    ids = provenance(out)["parts"]["all"]
    blocks = out.read_text(encoding="utf-8").split("-DOCSTART- -X- O O\n")[1:]
    nlp = blank_pipeline("xx")
    for document_id, block in zip(ids, blocks, strict=True):
        seen.fields[document_id] = set()
        rows = [line.split(" ") for line in block.split("\n") if line]
        doc = token_doc(nlp, project.document(document_id)).doc
        offsets = [(t.idx, t.idx + len(t.text)) for t in doc if not t.text.isspace()]
        assert [r[0] for r in rows] == [doc.text[a:b] for a, b in offsets]
        for start, end, label in bio_spans([r[-1] for r in rows], offsets):
            seen.spans.add((document_id, start, end, label))
    return seen


def read_hf(out: Path, project) -> Seen:
    seen = Seen()
    names = json.loads((out / "labels.json").read_text(encoding="utf-8"))["ner_tags"]
    for line in (out / "train.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        seen.fields[row["id"]] = {"title"} if row["title"] else set()
        tags = [names[i] for i in row["ner_tags"]]
        for start, end, label in bio_spans(tags, row["token_offsets"]):
            seen.spans.add((row["id"], start, end, label))
        for s in row["spans"]:  # every span whole, beside the tags
            seen.span_ids.add(s["id"])
            key = (row["id"], s["start"], s["end"], s["label"])
            seen.annotators.add((*key, s["annotator"]))
            if s["note"]:
                seen.notes.add((*key, s["note"]))
    return seen


def utf16_to_code_points(text: str) -> dict[int, int]:
    units, table = 0, {0: 0}
    for i, char in enumerate(text, start=1):
        units += 2 if ord(char) > 0xFFFF else 1
        table[units] = i
    return table


def read_doccano(out: Path, project) -> Seen:
    seen = Seen()
    for line in out.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        document_id = record["doc_id"]
        seen.fields[document_id] = {"title"} if record.get("title") else set()
        points = utf16_to_code_points(record["text"])
        keys = {}
        for entity in record["entities"]:
            start, end = points[entity["start_offset"]], points[entity["end_offset"]]
            seen.spans.add((document_id, start, end, entity["label"]))
            keys[entity["id"]] = (start, end, entity["label"])
        for r in record["relations"]:
            seen.relation(document_id, r["type"], keys[r["from_id"]], keys[r["to_id"]])
    return seen


def read_labelstudio(out: Path, project) -> Seen:
    """Label Studio imports submitted annotations, drafts (unfinished work) and predictions;
    ``data`` fields besides the text, id and title are the document's meta."""
    seen = Seen()
    for task in json.loads(out.read_text(encoding="utf-8")):
        data = task["data"]
        document_id = data["doc_id"]
        fields = seen.fields[document_id] = {"title"} if data.get("title") else set()
        if set(data) - {"text", "doc_id", "title"}:
            fields.add("meta")
        groups = task["annotations"] + task.get("drafts", [])
        if groups:
            fields.add("status")  # done: an annotation; anything else: a draft
        for annotation in groups + task.get("predictions", []):
            where = {}
            for result in annotation["result"]:
                value = result.get("value")
                if result["type"] == "labels":
                    key = (document_id, value["start"], value["end"], value["labels"][0])
                    where[result["id"]] = key
                    add_span(seen, *key, None, {"annotator": annotation.get("created_username")})
                    seen.span_ids.add(result["id"])
            for result in annotation["result"]:
                if result["type"] == "textarea" and result["from_name"] == "note":
                    seen.notes.add((*where[result["id"]], result["value"]["text"][0]))
                elif result["type"] in ("textarea", "choices", "number"):
                    name = result["from_name"].split("-", 2)[2]
                    value = result["value"]
                    shown = value.get(
                        "number", (value.get("choices") or value.get("text") or [None])[0]
                    )
                    seen.attribute(*where[result["id"]], name, shown)
                elif result["type"] == "relation":
                    [kind] = result["labels"]
                    source, target = where[result["from_id"]], where[result["to_id"]]
                    seen.relation(document_id, kind, source[1:], target[1:])
    return seen


def read_brat(out: Path, project) -> Seen:
    """What brat shows, with fragments that only a line break parts read as one piece (as brat
    had to cut the span there; claimmark's import reads them so)."""
    seen = Seen()
    for document_id, name in provenance(out)["brat_files"]["all"].items():
        seen.fields[document_id] = set()
        text = (out / name).read_bytes().decode("utf-8")
        standoff, errors = brat_standoff.parse((out / name).with_suffix(".ann").read_text("utf-8"))
        assert errors == []
        numbered = {}
        for ident, t in standoff.textbounds.items():
            pieces = join_line_breaks(text, t.fragments)
            numbered[ident] = (document_id, pieces[0][0], pieces[-1][1], t.type)
            seen.spans.add(numbered[ident])
            seen.pieces(*numbered[ident], pieces)
        numbered.update({e.id: numbered[e.trigger] for e in standoff.events})
        for note in standoff.notes:
            seen.notes.add((*numbered[note.target], note.text))
        for a in standoff.attributes:
            seen.attribute(*numbered[a.target], a.name, True if a.value is None else a.value)
        for r in standoff.relations:
            (_, source), (_, target) = r.args
            seen.relation(document_id, r.type, numbered[source][1:], numbered[target][1:])
    return seen


READERS = {
    "jsonl": read_jsonl,
    "csv": lambda out, project: read_tables(out, project, csv_rows),
    "parquet": lambda out, project: read_tables(out, project, parquet_rows),
    "spacy": read_spacy,
    "conll": read_conll,
    "hf": read_hf,
    "doccano": read_doccano,
    "labelstudio": read_labelstudio,
    "brat": read_brat,
}
OUTPUT = {"jsonl": "a.jsonl", "spacy": "a.spacy", "conll": "a.conll", "doccano": "a.jsonl"}
OUTPUT["labelstudio"] = "a.json"


def add_span(seen: Seen, document_id, start, end, label, note, row) -> None:
    key = (document_id, start, end, label)
    seen.spans.add(key)
    if note:
        seen.notes.add((*key, note))
    if row.get("annotator"):
        seen.annotators.add((*key, row["annotator"]))


# ------------------------------------------------------------------ the check
@pytest.mark.parametrize("fmt", list(READERS))
def test_the_report_lists_exactly_what_the_consumer_does_not_get_back(rich_project, tmp_path, fmt):
    project = rich_project
    out = tmp_path / OUTPUT.get(fmt, "out")
    report = export_project(project, fmt, out)
    losses = [json.loads(loss.to_json()) for loss in report.losses]
    seen = READERS[fmt](out, project)
    documents = {d.id: d for d in project.iter_documents()}
    assert set(seen.fields) == set(documents)

    # spans: the output holds exactly the spans not reported dropped, where reported moved
    assert seen.spans == expected_spans(project, losses, dropping=DROPPED)

    by_span = {}
    for loss in losses:
        by_span.setdefault(loss["span_id"], set()).add(loss["reason"])
    dropped = {span_id for span_id, reasons in by_span.items() if reasons & DROPPED}
    moved = {
        loss["span_id"]: (loss["written_start"], loss["written_end"])
        for loss in losses
        if loss["reason"] == "boundaries_changed"
    }
    by_document = {}
    for loss in losses:
        if loss["span_id"] is None:
            by_document.setdefault(loss["document_id"], []).append(loss)

    for span in project.spans():
        if span.id in dropped:
            continue
        key = (span.document_id, *moved.get(span.id, (span.start, span.end)), span.label)
        # written where it moved to, or (HF's spans column) whole where it is
        keys = {key, (span.document_id, span.start, span.end, span.label)}
        if span.note:  # a note is in the output <=> no note loss
            note_seen = any((*k, span.note) in seen.notes for k in keys)
            assert note_seen == (not by_span.get(span.id, set()) & NOTE_LOSSES), (fmt, span)
        ids_lost = any("span ids" in loss["detail"] for loss in by_document.get(key[0], ()))
        assert (span.id in seen.span_ids) == (not ids_lost), (fmt, span)
        times_lost = any("span times" in loss["detail"] for loss in by_document.get(key[0], ()))
        assert seen.span_times == (not times_lost), fmt

    for document_id in documents:
        spans = [s for s in project.spans(document_id) if s.id not in dropped]
        reasons = {loss["reason"] for loss in by_document.get(document_id, ())}
        if len({s.annotator for s in spans}) > 1 and fmt != "labelstudio":
            # who made which span is in the output <=> the merge is not reported
            told = all(
                (s.document_id, *moved.get(s.id, (s.start, s.end)), s.label, s.annotator)
                in seen.annotators
                or (s.document_id, s.start, s.end, s.label, s.annotator) in seen.annotators
                for s in spans
            )
            assert told == ("annotators_merged" not in reasons), (fmt, document_id)
        statuses = project.statuses(document_id)
        if statuses:
            assert ("status" in seen.fields[document_id]) == (
                "status_not_carried" not in reasons
            ), (fmt, document_id)
        detail = " ".join(
            loss["detail"]
            for loss in by_document.get(document_id, ())
            if loss["reason"] == "document_fields_not_carried"
        )
        for name in ("title", "source", "imported_at", "meta"):
            assert (name in seen.fields[document_id]) == (name not in detail), (fmt, name)

    check_structure(project, losses, seen, fmt)
    if fmt in ("jsonl", "csv", "parquet"):
        assert report.losses == []  # and so the summary's "Losses: none" is true


def check_structure(project, losses: list[dict], seen: Seen, fmt: str) -> None:
    """Each relation, attribute and discontinuous span: in the output <=> not in the report."""
    spans = {s.id: s for s in project.spans()}

    def key(span):
        return (span.start, span.end, span.label)

    lost_relations = {
        loss["relation_id"] for loss in losses if loss["reason"] == "relation_not_carried"
    }
    relations = [
        r
        for d in project.document_ids()
        for a in project.annotators()
        for r in project.relations(d, a)
    ]
    assert relations, "the project has relations"
    for r in relations:
        found = (r.document_id, r.type, key(spans[r.from_span]), key(spans[r.to_span]))
        assert (found in seen.relations) == (r.id not in lost_relations), (fmt, r)

    for span in spans.values():
        details = " ".join(
            loss["detail"]
            for loss in losses
            if loss["span_id"] == span.id and loss["reason"] == "attribute_not_carried"
        )
        for name, value in span.attributes.items():
            found = (span.document_id, *key(span), name, value_text(value))
            assert (found in seen.attributes) == (f"{name}=" not in details), (fmt, span, name)
        if span.fragments:
            found = (span.document_id, *key(span), span.fragments)
            reported = any(
                loss["span_id"] == span.id
                and loss["reason"] in ("fragments_not_carried", "fragments_changed")
                for loss in losses
            )
            assert (found in seen.fragments) == (not reported), (fmt, span)


DROPPED = {
    "not_token_aligned",
    "only_whitespace",
    "overlap",
    "crosses_line_break",
    "unwritable_token",
}
NOTE_LOSSES = {"note_not_carried", "note_changed"}
