"""brat's relations, events, attributes, notes and discontinuous spans: imported as claimmark's
own structure, exported back, and read by claimmark's parser and by brat's own ``annotation.py``.

Everything the export does not give back as it came is what the import warned about (brat's
normalisations, which claimmark keeps as note text), and nothing else.
"""

from __future__ import annotations

from pathlib import Path

from claimmark.core.attributes import AttributeDefinition
from claimmark.core.export import export_project
from claimmark.core.formats import brat_standoff
from claimmark.core.importing import import_paths
from claimmark.core.project import NewDocument, NewSpan, Project
from tests.brat_compare import difference, reading

from .brat_sample import CLAIM, DENIAL, TEXT, write_sample


def our_reading(stem: Path) -> dict:
    standoff, errors = brat_standoff.parse(stem.with_suffix(".ann").read_text(encoding="utf-8"))
    assert errors == []
    return reading(standoff)


def import_sample(project: Project, folder: Path) -> list[str]:
    write_sample(folder)
    summary = import_paths(project, [folder], annotator="tester")
    assert summary.ok, [str(p) for f in summary.files for p in f.problems]
    return [w.message for f in summary.files for w in f.warnings]


def test_brat_lines_become_spans_fragments_attributes_relations_and_notes(project, tmp_path):
    warnings = import_sample(project, tmp_path / "in")
    assert warnings == [
        "1 normalisation kept as text in the notes of their spans (claimmark has no"
        " normalisations; the brat export writes them as notes)",
        "label 'Attack' stored as key 'attack'",
    ]
    spans = {s.text: s for s in project.spans("sample")}
    denial = next(s for s in spans.values() if s.label == "denial")
    assert denial.fragments == DENIAL  # one span, two fragments, "officials said" between
    assert [TEXT[a:b] for a, b in denial.pieces] == ["The ministry", "denied it"]
    assert dict(denial.attributes) == {"negated": True}
    claim = spans[TEXT[CLAIM[0][0] : CLAIM[0][1]]]
    assert claim.note == "check the source"
    assert dict(spans["Five people died"].attributes) == {"group": "civilians"}
    assert dict(spans["downed"].attributes) == {"speculation": True}  # M3 on the event E1
    relations = {
        (r.type, project.span(r.from_span).text, project.span(r.to_span).text)
        for r in project.relations("sample", "tester")
    }
    assert relations == {
        ("attributed_to", claim.text, "Rebels"),
        ("denies", denial.text, claim.text),
        ("attributed_to", denial.text, "officials"),
        ("target", "downed", claim.text),  # the event's arguments, from its trigger
        ("agent", "downed", "Rebels"),
        ("equiv", "Rebels", "officials"),  # the * line, written back as one
    }
    assert project.document("sample").meta == {
        "brat": {
            "attribute_names": {"negated": "Negated", "speculation": "Speculation"},
            "equiv_types": ["Equiv"],
            "event_roles": ["Agent", "Target"],
            "event_types": ["Attack"],
        }
    }


def test_export_gives_back_every_line_but_the_normalisation_folded_into_a_note(project, tmp_path):
    import_sample(project, tmp_path / "in")
    report = export_project(project, "brat", tmp_path / "out")
    assert report.losses_by_reason() == {
        "document_fields_not_carried": 1,  # source and import time
        "span_fields_not_carried": 1,  # span and relation ids and times
    }
    missing, extra = difference(
        our_reading(tmp_path / "in" / "sample"), our_reading(tmp_path / "out" / "sample")
    )
    assert sorted(kind for kind, *_ in missing.elements()) == ["N"]
    assert sorted((kind, text) for kind, _, _, text in extra.elements()) == [
        ("#", "Reference Wikidata:Q123 (Rebel group)"),
    ]


def test_export_imported_again_is_the_same_project(project, tmp_path):
    import_sample(project, tmp_path / "in")
    export_project(project, "brat", tmp_path / "out")
    with Project.open(None, created_by="tester") as again:
        summary = import_paths(again, [tmp_path / "out"], annotator="tester")
        assert summary.ok
        assert structure(again) == structure(project)


def structure(project: Project) -> tuple:
    spans = {s.id: s for s in project.spans()}

    def key(span_id):
        s = spans[span_id]
        return (s.label, s.start, s.end, s.fragments)

    return (
        sorted(
            (s.label, s.start, s.end, s.fragments or (), sorted(s.attributes.items()), s.note or "")
            for s in spans.values()
        ),
        sorted(
            (r.type, key(r.from_span), key(r.to_span))
            for d in project.document_ids()
            for a in project.annotators()
            for r in project.relations(d, a)
        ),
    )


def test_fragments_with_only_a_line_break_between_are_one_piece(project, tmp_path):
    text = "Rebels today claimed\r\nthe bridge."
    folder = tmp_path / "b"
    folder.mkdir()
    (folder / "d.txt").write_bytes(text.encode())
    (folder / "d.ann").write_text(
        "T1\tclaim 0 6;13 20\tRebels claimed\nT2\tclaim 13 20;22 32\tclaimed the bridge\n",
        encoding="utf-8",
    )
    assert import_paths(project, [folder], annotator="tester").ok
    pieces = sorted(s.pieces for s in project.spans("d"))
    assert pieces == [((0, 6), (13, 20)), ((13, 32),)]


def test_what_brat_cannot_hold_is_reported(project, tmp_path):
    """brat's binary attribute has no "no", and a fragment that starts with a line break reads
    back without it: both are in the loss report; the figure and the other fragments are
    written."""
    text = "Rebels said\r\nthat five died, officials\r\ndenied."
    five = text.index("five died")
    project.add_attribute_definition(
        AttributeDefinition("denial", "retracted", "boolean"), annotator="tester"
    )
    project.import_document(
        NewDocument(
            text=text,
            title="t",
            id="d",
            spans=[
                NewSpan(five, five + 9, "casualty_report", attributes={"killed": 5}),
                NewSpan(
                    0,
                    46,
                    "denial",
                    fragments=[[0, 6], [13, 24], [38, 46]],
                    attributes={"retracted": False},
                ),
            ],
        ),
        annotator="tester",
    )
    report = export_project(project, "brat", tmp_path / "out")
    ann = (tmp_path / "out" / "d.ann").read_text(encoding="utf-8")
    assert "T1\tdenial 0 6;13 24;40 46\tRebels that five d denied\n" in ann
    assert "A1\tkilled T2 5\n" in ann
    losses = {(loss.label, loss.reason, loss.detail) for loss in report.losses if loss.span_id}
    assert losses == {
        (
            "denial",
            "fragments_changed",
            "fragments read back as 0-6;13-24;40-46 (line breaks at a fragment's edge or between"
            " two)",
        ),
        (
            "denial",
            "attribute_not_carried",
            "retracted=no: brat's binary attribute is yes when present and no when absent",
        ),
    }


def test_attribute_values_declared_in_annotation_conf_make_a_choice(project, tmp_path):
    """brat's multi-valued attribute (``Value:Name|Nominal|Other`` in annotation.conf) is a
    choice of those values; a binary one is yes/no; with no configuration a valued one is text."""
    folder = tmp_path / "b"
    folder.mkdir()
    (folder / "a.txt").write_text("Anna met the minister.", encoding="utf-8")
    (folder / "a.ann").write_text(
        "T1\tPerson 0 4\tAnna\nT2\tPerson 13 21\tminister\n"
        "A1\tMention T1 Name\nA2\tMention T2 Nominal\nA3\tIndividual T1\nA4\tRole T2 host\n",
        encoding="utf-8",
    )
    (folder / "annotation.conf").write_text(
        "[entities]\nPerson\n[attributes]\n# a comment\nIndividual\tArg:<ENTITY>\n"
        "Mention\tArg:<ENTITY>, Value:Name|Nominal|Other\n",
        encoding="utf-8",
    )
    summary = import_paths(project, [folder], annotator="tester")
    assert summary.ok, [str(p) for f in summary.files for p in f.problems]
    definitions = {
        d.name: (d.kind, d.choices) for d in project.attribute_definitions() if d.label == "person"
    }
    assert definitions == {
        "mention": ("choice", ("Name", "Nominal", "Other")),
        "individual": ("boolean", ()),
        "role": ("text", ()),
    }
    export_project(project, "brat", tmp_path / "out")
    conf = (tmp_path / "out" / "annotation.conf").read_text(encoding="utf-8")
    assert "Mention\tArg:<ANY>, Value:Name|Nominal\n" in conf  # the values the export holds


def test_an_attribute_value_with_a_tab_is_reported_not_cut(project, tmp_path):
    """brat's value ends at a tab: such a value is reported instead of written cut short."""
    project.add_attribute_definition(
        AttributeDefinition("claim", "who", "text"), annotator="tester"
    )
    project.import_document(
        NewDocument(
            text="Rebels said it.",
            title="t",
            id="d",
            spans=[NewSpan(0, 6, "claim", attributes={"who": "rebels\tgroup"})],
        ),
        annotator="tester",
    )
    report = export_project(project, "brat", tmp_path / "out")
    [lost] = [loss for loss in report.losses if loss.reason == "attribute_not_carried"]
    assert lost.detail == "who='rebels\\tgroup': brat cannot hold a tab or edge spaces in a value"
    assert "\nA" not in "\n" + (tmp_path / "out" / "d.ann").read_text(encoding="utf-8")


def test_a_relation_against_the_schema_is_refused_at_its_own_line(project, tmp_path):
    """The refusal points at the R line to fix, not at the top of the .ann file."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "x.txt").write_text("Militants said they killed five.", encoding="utf-8")
    (folder / "x.ann").write_text(
        "T1\tclaim 15 31\tthey killed five\n"
        "T2\tattribution 0 9\tMilitants\n"
        "R1\tattributed_to Arg1:T2 Arg2:T1\n",
        encoding="utf-8",
    )
    events = project.event_count()
    summary = import_paths(project, [folder], annotator="alice")
    problems = [str(p) for f in summary.files for p in f.problems]
    assert problems == [
        f"{folder / 'x.ann'}:3: attributed_to goes from claim, denial or casualty_report to"
        " attribution, not from attribution to claim"
    ]
    assert project.document_count() == 0 and project.event_count() == events
