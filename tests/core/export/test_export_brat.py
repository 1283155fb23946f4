"""The brat export: offsets checked against the .txt read as brat reads it (newline="")."""

from __future__ import annotations

import json
import re

from claimmark.core.export import export_project

from .conftest import expected_spans, read_losses, span_losses

T_LINE = re.compile(r"(T\d+)\t(\S+) ([0-9 ;]+)\t(.*)")
NOTE_LINE = re.compile(r"#(\d+)\tAnnotatorNotes (T\d+)\t(.*)")


def parse_ann(path):
    textbounds, notes = {}, {}
    for line in path.read_text(encoding="utf-8").split("\n")[:-1]:
        if m := T_LINE.fullmatch(line):
            fragments = [tuple(map(int, f.split(" "))) for f in m.group(3).split(";")]
            textbounds[m.group(1)] = (m.group(2), fragments, m.group(4))
        else:
            m = NOTE_LINE.fullmatch(line)
            assert m, f"unexpected .ann line {line!r}"
            notes[m.group(2)] = m.group(3)
    return textbounds, notes


def test_ann_offsets_match_the_raw_text(hostile_project, tmp_path):
    out = tmp_path / "brat"
    report = export_project(hostile_project, "brat", out)
    provenance = json.loads((out / "provenance.json").read_text(encoding="utf-8"))
    files = provenance["brat_files"]["all"]
    assert set(files) == {d.id for d in hostile_project.documents("tester")}
    found = set()
    notes_found = {}
    for document_id, txt_name in files.items():
        txt_path = out / txt_name
        with open(txt_path, encoding="utf-8", newline="") as handle:
            txt = handle.read()
        assert txt == hostile_project.document(document_id).text  # CRLF kept
        textbounds, notes = parse_ann(txt_path.with_suffix(".ann"))
        for tid, (label, fragments, shown) in textbounds.items():
            assert " ".join(txt[a:b] for a, b in fragments) == shown
            found.add((document_id, fragments[0][0], fragments[-1][1], label))
            if tid in notes:
                notes_found[(document_id, label)] = notes[tid]
    assert found == expected_spans(hostile_project, read_losses(report.loss_report))
    assert notes_found == {("news/1?x", "denial"): "check source", ("ar:2", "casualty_report"): "٣"}


def test_span_across_crlf_becomes_fragments(hostile_project, tmp_path):
    out = tmp_path / "brat"
    export_project(hostile_project, "brat", out)
    textbounds, _ = parse_ann(out / "crlf.ann")
    assert textbounds == {
        "T1": ("casualty_report", [(0, 17), (19, 25)], "Two soldiers were killed")
    }


def test_file_names_are_safe_and_unique(hostile_project, tmp_path):
    from claimmark.core.export.file_names import StemAllocator

    out = tmp_path / "brat"
    export_project(hostile_project, "brat", out)
    names = sorted(p.name for p in out.iterdir())
    assert all(re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9._-]*", n) for n in names), names
    assert "emoji.txt" in names and "plain.ann" in names  # safe ids are kept as they are
    stems = StemAllocator()
    made = [stems.stem(i) for i in ["a/b", "a_b", "A_B", "a?b", "CON", "..", "a_b"]]
    assert len({m.casefold() for m in made}) == len(made)
    assert made[1] == "a_b" and made[4].startswith("doc_CON")


def test_annotation_conf_lists_the_labels(hostile_project, tmp_path):
    out = tmp_path / "brat"
    export_project(hostile_project, "brat", out)
    conf = (out / "annotation.conf").read_text(encoding="utf-8")
    sections = re.split(r"^\[(\w+)\]\n", conf, flags=re.M)[1:]
    parsed = {name: body.split() for name, body in zip(sections[::2], sections[1::2], strict=True)}
    assert parsed == {
        "entities": [label.key for label in hostile_project.labels()],
        "relations": [],
        "events": [],
        "attributes": [],
    }


def test_note_line_breaks_are_a_loss(hostile_project, tmp_path):
    report = export_project(hostile_project, "brat", tmp_path / "brat")
    assert span_losses(report) == {"annotators_merged": 1, "note_changed": 1}


def test_brat_round_trip_notes_point_at_the_right_ids_and_labels_keep_case(tmp_path):
    """A brat file with sparse ids, notes, a relation, an event and upper-case types, imported
    and written again: every note, relation and event argument points at the new id of its own
    span, and the types are the ones that came in."""
    from claimmark.core.formats import brat_standoff
    from claimmark.core.importing import import_paths
    from claimmark.core.project import Project

    text = "Rebels claimed the bridge. Officials denied it."
    source = tmp_path / "in"
    source.mkdir()
    (source / "a.txt").write_text(text, encoding="utf-8")
    ann = [
        "T7\tCLAIM_X 7 14\tclaimed",
        "T3\tREFUTE 37 43\tdenied",
        "T9\tSRC 0 6\tRebels",
        "T2\tSeize 15 25\tthe bridge",
        "#4\tAnnotatorNotes T3\tcheck the ministry",
        "R2\tContradicts Arg1:T3 Arg2:T7",
        "E5\tSeize:T2 Agent:T9 Theme:T7",
    ]
    (source / "a.ann").write_text("\n".join(ann) + "\n", encoding="utf-8")
    with Project.open(None, created_by="importer") as project:
        assert import_paths(project, [source], annotator="importer").ok
        out = tmp_path / "out"
        export_project(project, "brat", out)
    standoff, errors = brat_standoff.parse((out / "a.ann").read_text(encoding="utf-8"))
    assert errors == []
    shown = {ident: (t.type, t.text) for ident, t in standoff.textbounds.items()}
    assert sorted(shown.values()) == [
        ("CLAIM_X", "claimed"), ("REFUTE", "denied"), ("SRC", "Rebels"), ("Seize", "the bridge")
    ]  # fmt: skip
    [note] = standoff.notes
    assert (shown[note.target], note.text) == (("REFUTE", "denied"), "check the ministry")
    [relation] = standoff.relations
    assert (relation.type, [(role, shown[t]) for role, t in relation.args]) == (
        "Contradicts",
        [("Arg1", ("REFUTE", "denied")), ("Arg2", ("CLAIM_X", "claimed"))],
    )
    [event] = standoff.events
    assert (event.type, shown[event.trigger]) == ("Seize", ("Seize", "the bridge"))
    assert sorted((role, shown[t]) for role, t in event.args) == [
        ("Agent", ("SRC", "Rebels")),
        ("Theme", ("CLAIM_X", "claimed")),
    ]
    conf = (out / "annotation.conf").read_text("utf-8")
    assert conf.count("CLAIM_X\n") == 1 and "Contradicts\tArg1:<ANY>, Arg2:<ANY>\n" in conf
