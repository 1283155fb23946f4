"""brat standoff folders: .txt/.ann pairs, discontinuous spans, notes, attributes and the rest."""

from __future__ import annotations

from pathlib import Path

from claimmark.core.importing import import_paths


def write_pair(folder: Path, name: str, text: str, ann_lines: list[str] | None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.txt").write_bytes(text.encode("utf-8"))  # CRLF kept as it is
    if ann_lines is not None:
        (folder / f"{name}.ann").write_text(
            "".join(line + "\n" for line in ann_lines), encoding="utf-8", newline=""
        )
    return folder


def t_lines(text: str, spans) -> list[str]:
    return [f"T{i}\t{label} {s} {e}\t{text[s:e]}" for i, (s, e, label) in enumerate(spans, 1)]


def test_brat_folder_round_trip(project, tmp_path, corpus, stored, expected):
    folder = tmp_path / "brat"
    for doc in corpus:
        write_pair(folder, doc.name, doc.text, t_lines(doc.text, doc.spans))
    (folder / "annotation.conf").write_text("[entities]\nclaim\n", encoding="utf-8")

    summary = import_paths(project, [folder], annotator="tester")

    assert summary.ok, [str(p) for f in summary.files for p in f.problems]
    assert [f.path for f in summary.files] == [
        str(folder / f"{n}.ann") for n in sorted(d.name for d in corpus)
    ]  # one unit per pair; brat's annotation.conf is not a document
    assert not [w for f in summary.files for w in f.warnings]
    for doc in corpus:
        assert project.document(doc.name).text == doc.text
        assert stored(project, doc.name) == expected(doc)
        assert {s.annotator for s in project.spans(doc.name)} == {"tester"}


def test_txt_without_ann_is_a_plain_document(project, tmp_path, corpus):
    folder = write_pair(tmp_path / "b", "with", corpus[0].text, t_lines(corpus[0].text, []))
    write_pair(folder, "without", "Headline only\r\nBody.", None)
    summary = import_paths(project, [folder], annotator="tester")
    assert summary.ok and summary.count("imported") == 2
    assert project.document("without").title == "Headline only"
    assert project.spans("without") == []


def test_ann_without_txt_is_refused_and_the_rest_imports(project, tmp_path, snapshot):
    folder = write_pair(
        tmp_path / "b", "good", "Officials denied it.", ["T1\tdenial 10 16\tdenied"]
    )
    (folder / "orphan.ann").write_text("T1\tclaim 0 3\tabc\n", encoding="utf-8")
    summary = import_paths(project, [folder], annotator="tester")
    [orphan] = [f for f in summary.files if f.refused]
    assert (
        str(orphan.problems[0]) == f"{folder / 'orphan.ann'}: no text for these annotations:"
        " orphan.txt is missing"
    )
    assert project.has_document("good") and len(project.spans("good")) == 1


def test_discontinuous_span_is_one_span_with_its_fragments(project, tmp_path, stored):
    text = "Rebels today claimed\r\nthe bridge."
    folder = write_pair(
        tmp_path / "b",
        "d",
        text,
        [
            "T1\tclaim 0 6;13 20;26 32\tRebels claimed bridge",
            "#1\tAnnotatorNotes T1\tsplit by a date",
            "T2\tattribution 0 6\tRebels",
        ],
    )
    summary = import_paths(project, [folder], annotator="tester")
    assert summary.ok, summary.files
    spans = {(s.label, s.pieces, s.note) for s in project.spans("d")}
    assert spans == {
        ("claim", ((0, 6), (13, 20), (26, 32)), "split by a date"),
        ("attribution", ((0, 6),), None),
    }
    assert [t for *_, t in stored(project, "d")] == ["Rebels", "Rebels today claimed\r\nthe bridge"]


def test_relations_events_attributes_and_notes_are_structure(project, tmp_path):
    text = "Rebels claimed the bridge. Officials denied it."
    ann = [
        "T1\tclaim 7 14\tclaimed",
        "T2\tdenial 37 43\tdenied",
        "T3\tattribution 0 6\tRebels",
        "T4\tSeize 15 25\tthe bridge",
        "#1\tAnnotatorNotes T1\tcheck the source",
        "A1\tNegated T2",
        "A2\tConfidence T1 High",
        "R1\tContradicts Arg1:T2 Arg2:T1",
        "E1\tSeize:T4 Agent:T3",
    ]
    summary = import_paths(
        project, [write_pair(tmp_path / "b", "n", text, ann)], annotator="tester"
    )
    assert summary.ok, summary.files
    assert [w.message for w in summary.files[0].warnings] == ["label 'Seize' stored as key 'seize'"]
    spans = {s.text: s for s in project.spans("n")}
    assert spans["claimed"].note == "check the source"
    assert dict(spans["claimed"].attributes) == {"confidence": "High"}
    assert dict(spans["denied"].attributes) == {"negated": True}
    relations = {
        (r.type, project.span(r.from_span).text, project.span(r.to_span).text)
        for r in project.relations("n", "tester")
    }
    assert relations == {("contradicts", "denied", "claimed"), ("agent", "the bridge", "Rebels")}
    types = {t.key: (t.name, t.source_name) for t in project.relation_types()}
    assert types["contradicts"] == ("Contradicts", "Contradicts")
    definitions = {(d.label, d.name, d.kind) for d in project.attribute_definitions()}
    assert {("claim", "confidence", "text"), ("denial", "negated", "boolean")} <= definitions


def test_annotations_on_nothing_stored_are_warnings(project, tmp_path):
    text = "Rebels claimed the bridge."
    ann = [
        "T1\tclaim 7 14\tclaimed",
        "E1\tclaim:T1 Theme:E9",
        "A1\tNegated E2",
        "R1\tCause Arg1:T1 Arg2:E1",
        "#1\tAnnotatorNotes T7\tevent note",
        "X1\tsomething new",
    ]
    summary = import_paths(
        project, [write_pair(tmp_path / "b", "w", text, ann)], annotator="tester"
    )
    ann_path = tmp_path / "b" / "w.ann"
    assert summary.ok
    warnings = [str(w) for w in summary.files[0].warnings]
    assert warnings == [
        f"{ann_path}:2: E1: argument Theme:E9 is not a text span; not imported",
        f"{ann_path}:3: A1: attribute Negated of E2, which is not a text span; not imported",
        f"{ann_path}:4: Cause links T1 to itself (claimmark's relations link two spans);"
        " not imported",
        f"{ann_path}:5: #1: note on T7, which is not a text span; not imported",
        f"{ann_path}:6: X1: unsupported brat annotation 'something new'; not imported",
    ]
    [span] = project.spans("w")
    assert span.note is None


def test_brat_label_names_become_keys_with_a_warning(project, tmp_path):
    text = "Two people died, said Anna."
    ann = ["T1\tCasualty_Rep 0 15\tTwo people died", "T2\tPER 22 26\tAnna", "T3\tPER 0 3\tTwo"]
    summary = import_paths(
        project, [write_pair(tmp_path / "b", "l", text, ann)], annotator="tester"
    )
    assert summary.ok
    assert summary.new_labels == ["casualty_rep", "per"]
    assert {s.label for s in project.spans("l")} == {"casualty_rep", "per"}
    assert {(label.key, label.name, label.source_name) for label in project.labels()} >= {
        ("casualty_rep", "Casualty_Rep", "Casualty_Rep"),
        ("per", "PER", "PER"),
    }
    warnings = [w.message for w in summary.files[0].warnings]
    assert warnings == [
        "label 'Casualty_Rep' stored as key 'casualty_rep'",
        "label 'PER' stored as key 'per'",
    ]  # once per label, not once per span


def test_brat_name_landing_on_a_project_label_is_refused(project, tmp_path, snapshot):
    ann = ["T1\tCasualty_Report 0 3\tTwo"]
    before = snapshot(project)
    result = import_paths(
        project, [write_pair(tmp_path / "b", "l", "Two died.", ann)], annotator="tester"
    ).files[0]
    [problem] = result.problems
    assert problem.message == (
        "label 'Casualty_Report' and the project's label 'Casualty report' would both become"
        " label 'casualty_report': two different names, one label; rename 'Casualty_Report' in"
        " the file (to 'casualty_report' to use the project's label)"
    )
    assert snapshot(project) == before


def test_same_file_name_in_two_folders_gets_a_hash_id(project, tmp_path):
    first = write_pair(tmp_path / "a", "1", "First article.", ["T1\tclaim 0 5\tFirst"])
    second = write_pair(tmp_path / "b", "1", "Second article.", ["T1\tclaim 0 6\tSecond"])
    summary = import_paths(project, [first, second], annotator="tester")
    assert summary.ok
    assert project.document("1").text == "First article."
    [other] = summary.files[1].imported
    assert other != "1" and project.document(other).text == "Second article."
    assert "document id '1' is already used by another text" in str(summary.files[1].warnings[0])


def test_byte_order_mark_counted_by_brat(project, tmp_path):
    folder = tmp_path / "b"
    folder.mkdir()
    (folder / "bom.txt").write_bytes(b"\xef\xbb\xbfRebels claimed it.")
    (folder / "bom.ann").write_text("T1\tclaim 8 15\tclaimed\n", encoding="utf-8")
    summary = import_paths(project, [folder], annotator="tester")
    assert summary.ok, summary.files
    [span] = project.spans("bom")
    assert (span.start, span.end, span.text) == (7, 14, "claimed")
    assert project.document("bom").text == "Rebels claimed it."


def test_duplicate_t_lines_are_merged(project, tmp_path):
    ann = ["T1\tclaim 0 6\tRebels", "T2\tclaim 0 6\tRebels", "#1\tAnnotatorNotes T2\tsecond"]
    summary = import_paths(
        project, [write_pair(tmp_path / "b", "dup", "Rebels said.", ann)], annotator="tester"
    )
    assert summary.ok
    [span] = project.spans("dup")
    assert span.note == "second"
    assert "1 duplicate span merged" in str(summary.files[0].warnings)


def test_explicit_txt_with_ann_beside_it_warns(project, tmp_path):
    folder = write_pair(tmp_path / "b", "x", "Rebels said.", ["T1\tclaim 0 6\tRebels"])
    summary = import_paths(project, [folder / "x.txt"], annotator="tester")
    assert summary.ok and project.spans() == []
    assert "x.ann next to it was not read" in str(summary.files[0].warnings[0])
    summary = import_paths(
        project, [folder / "x.ann"], annotator="tester"
    )  # an .ann names its pair
    assert [f.path for f in summary.files] == [str(folder / "x.ann")]
    assert summary.count("skipped") == 1  # same text as x.txt, already imported
