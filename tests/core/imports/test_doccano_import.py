"""doccano JSONL in both layouts, told apart from claimmark's own JSONL line by line."""

from __future__ import annotations

import json

import pytest

from claimmark.core.importing import import_paths


def units(text: str, offset: int) -> int:
    """A code-point offset in UTF-16 units, as doccano's editor counts."""
    return len(text[:offset].encode("utf-16-le")) // 2


def in_units(doc) -> list[tuple[int, int, str]]:
    return [(units(doc.text, s), units(doc.text, e), label) for s, e, label in doc.spans]


def entities_line(doc, code_points=False, **extra) -> dict:
    spans = doc.spans if code_points else in_units(doc)
    return {
        "id": doc.name,
        "text": doc.text,
        "entities": [
            {"id": i, "start_offset": s, "end_offset": e, "label": label}
            for i, (s, e, label) in enumerate(spans)
        ],
        "relations": [],
        **extra,
    }


def label_line(doc, code_points=False, **extra) -> dict:
    spans = doc.spans if code_points else in_units(doc)
    return {"id": doc.name, "text": doc.text, "label": [list(span) for span in spans], **extra}


@pytest.mark.parametrize("layout", [entities_line, label_line], ids=["entities", "label"])
@pytest.mark.parametrize("unit", ["utf16", "codepoints"])
def test_doccano_round_trip(project, write_jsonl_lines, corpus, stored, expected, layout, unit):
    lines = [layout(doc, code_points=unit == "codepoints") for doc in corpus]
    path = write_jsonl_lines("doccano.jsonl", lines)
    summary = import_paths(project, [path], doccano_offsets=unit, annotator="tester")
    assert summary.ok, [str(p) for p in summary.files[0].problems]
    assert summary.files[0].warnings == []
    for doc in corpus:
        assert project.document(doc.name).text == doc.text
        assert stored(project, doc.name) == expected(doc)


def test_other_keys_go_to_meta_and_relations_are_imported(project, write_jsonl_lines, corpus):
    doc = corpus[2]
    line = entities_line(
        doc,
        relations=[{"id": 0, "from_id": 0, "to_id": 1, "type": "contradicts"}],
        Comments=["check"],
        source_url="https://example.org/a",
    )
    path = write_jsonl_lines("rel.jsonl", [line])
    summary = import_paths(project, [path], annotator="tester")
    assert summary.ok
    assert project.document(doc.name).meta == {
        "Comments": ["check"],
        "source_url": "https://example.org/a",
    }
    assert summary.files[0].warnings == []
    [relation] = project.relations(doc.name, "tester")
    ends = (project.span(relation.from_span).text, project.span(relation.to_span).text)
    assert (relation.type, ends) == ("contradicts", ("claimed the bridge", "denied"))


def test_doccano_relations_round_trip(project, write_jsonl_lines, corpus, tmp_path):
    """Relations between entities of a line, exported in the entities layout and imported back
    into an empty project, are the same. The label layout has no relations: each is in the
    loss report."""
    from claimmark.core.export import ExportOptions, export_project
    from claimmark.core.project import Project

    doc = corpus[0]
    line = entities_line(
        doc,
        relations=[
            {"id": 7, "from_id": 1, "to_id": 0, "type": "attributed_to"},
            {"id": 8, "from_id": 3, "to_id": 1, "type": "Denies-Claim"},
        ],
    )
    summary = import_paths(project, [write_jsonl_lines("rel.jsonl", [line])], annotator="tester")
    assert summary.ok, [str(p) for f in summary.files for p in f.problems]
    assert summary.files[0].warnings == []

    def relations(p):
        return {
            (r.type, p.span(r.from_span).text, p.span(r.to_span).text)
            for document_id in p.document_ids()
            for r in p.relations(document_id, "tester")
        }

    expected = relations(project)
    assert expected == {
        ("attributed_to", "said 3 died", "Firefighters 👨🏻‍🚒"),
        ("denies_claim", "denied it 🇺🇦", "said 3 died"),
    }
    out = tmp_path / "out.jsonl"
    export_project(project, "doccano", out)
    [record] = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert sorted(r["type"] for r in record["relations"]) == ["Denies-Claim", "attributed_to"]
    with Project.open(None, created_by="tester") as again:
        assert import_paths(again, [out], annotator="tester").ok
        assert relations(again) == expected
    report = export_project(
        project, "doccano", tmp_path / "label.jsonl", ExportOptions(doccano_layout="label")
    )
    assert report.losses_by_reason()["relation_not_carried"] == 2


def test_both_layouts_on_one_line_and_duplicates(project, write_jsonl_lines):
    text = "Rebels claimed the bridge."
    line = {
        "text": text,
        "label": [[7, 14, "claim"], [0, 6, "SOURCE"]],
        "entities": [{"id": 1, "start_offset": 7, "end_offset": 14, "label": "claim"}],
    }
    summary = import_paths(project, [write_jsonl_lines("both.jsonl", [line])], annotator="tester")
    assert summary.ok
    assert sorted((s.text, s.label) for s in project.spans()) == [
        ("Rebels", "source"),
        ("claimed", "claim"),
    ]
    messages = [w.message for w in summary.files[0].warnings]
    assert messages == [
        "1 duplicate span merged",
        "label 'SOURCE' stored as key 'source'",
    ]


def test_lines_without_spans_fit_either_layout(project, write_jsonl_lines):
    lines = [{"text": "Only text here."}, {"text": "Spans here.", "label": [[0, 5, "claim"]]}]
    summary = import_paths(
        project, [write_jsonl_lines("mixed-ok.jsonl", lines)], annotator="tester"
    )
    assert summary.ok and summary.count("imported") == 2
    assert summary.files[0].warnings == []  # read as doccano: no "unknown key 'label'" warning


def test_document_level_labels_are_kept_in_meta(project, write_jsonl_lines):
    line = {"text": "A classified article.", "label": ["politics"]}
    summary = import_paths(
        project, [write_jsonl_lines("cls.jsonl", [line])], format="doccano", annotator="tester"
    )
    assert summary.ok
    [doc] = project.iter_documents()
    assert doc.meta == {"label": ["politics"]}
    assert "kept in meta" in summary.files[0].warnings[0].message


def test_bad_doccano_entities_name_line_and_entity(project, write_jsonl_lines, snapshot):
    good = {"text": "Fine.", "label": [[0, 4, "claim"]]}
    bad = {"text": "Rebels said.", "entities": [{"id": 7, "start_offset": 0, "end_offset": "6"}]}
    path = write_jsonl_lines("bad.jsonl", [good, bad, {"text": "x", "label": [[0, 1]]}])
    before = snapshot(project)
    result = import_paths(project, [path], annotator="tester").files[0]
    assert [str(p) for p in result.problems] == [
        f"{path}:2: entity 0 (id 7): label must be a non-empty string, got None",
        f"{path}:3: label 0: expected [start, end, label], got [0, 1]",
    ]
    assert snapshot(project) == before
    bad["entities"][0]["label"] = "claim"
    path = write_jsonl_lines("bad2.jsonl", [bad])
    [problem] = import_paths(project, [path], annotator="tester").files[0].problems
    assert str(problem) == f"{path}:1: entity 0 (id 7): end offset must be an integer, got '6'"


def test_mixed_claimmark_and_doccano_lines_are_refused(project, write_jsonl_lines, snapshot):
    lines = [
        {"text": "One.", "spans": [{"start": 0, "end": 3, "label": "claim"}]},
        {"text": "Two.", "entities": []},
    ]
    path = write_jsonl_lines("mixed.jsonl", lines)
    before = snapshot(project)
    [problem] = import_paths(project, [path], annotator="tester").files[0].problems
    assert str(problem) == (
        f"{path}:2: mixes claimmark lines ('spans', first on line 1) with doccano lines"
        " ('entities' or 'label', first on line 2); choose one with --format jsonl or"
        " --format doccano"
    )
    assert snapshot(project) == before
    forced = import_paths(project, [path], format="jsonl", annotator="tester")
    assert forced.ok and "unknown key 'entities'" in str(forced.files[0].warnings)


def test_doccano_invalid_json_line(project, tmp_path):
    path = tmp_path / "broken.jsonl"
    path.write_text(json.dumps({"text": "a", "label": []}) + "\n{oops\n", encoding="utf-8")
    [problem] = (
        import_paths(project, [path], format="doccano", annotator="tester").files[0].problems
    )
    assert str(problem).startswith(f"{path}:2: invalid JSON at column 2")


@pytest.mark.parametrize("unit", ["utf16", "codepoints"])
def test_a_file_in_the_other_unit_is_refused_with_a_hint(
    project, write_jsonl_lines, corpus, snapshot, unit
):
    other = "codepoints" if unit == "utf16" else "utf16"
    lines = [entities_line(doc, code_points=other == "codepoints") for doc in corpus]
    path = write_jsonl_lines("other.jsonl", lines)
    before = snapshot(project)
    result = import_paths(project, [path], doccano_offsets=unit, annotator="tester").files[0]
    assert result.problems
    for problem in result.problems:
        assert f"import the file with --doccano-offsets {other}" in problem.message
    assert snapshot(project) == before


ISSUE_TEXT = "Rebels said 🚁 downed near Hama."


def test_issue_example_imports_as_doccano_shows_it(project, write_jsonl_lines):
    """doccano's editor shows [12, 21] as "🚁 downed": it counts UTF-16 units."""
    path = write_jsonl_lines("h.jsonl", [{"text": ISSUE_TEXT, "label": [[12, 21, "claim"]]}])
    summary = import_paths(project, [path], annotator="tester")
    assert summary.ok
    [span] = project.spans()
    assert span.text == "🚁 downed"


def test_issue_example_read_as_code_points_is_refused_not_shifted(
    project, write_jsonl_lines, snapshot
):
    """In code points [12, 21] is "🚁 downed " (a word boundary, but a trailing space), while in
    UTF-16 units every span of the file fits exactly: refused with the hint, never shifted."""
    lines = [
        {"text": ISSUE_TEXT, "label": [[12, 21, "claim"]]},
        {"text": "Officials 🙂 denied it.", "label": [[13, 19, "denial"]]},
    ]
    path = write_jsonl_lines("h.jsonl", lines)
    before = snapshot(project)
    result = import_paths(project, [path], doccano_offsets="codepoints", annotator="tester").files[
        0
    ]
    assert [(p.line, p.message.split(":")[0]) for p in result.problems] == [
        (1, "label 0 [12, 21, 'claim']"),
        (2, "label 0 [13, 19, 'denial']"),
    ]
    assert "'🚁 downed'" in result.problems[0].message
    assert "--doccano-offsets utf16" in result.problems[0].message
    assert snapshot(project) == before


def test_spans_that_fit_both_units_import_with_a_warning(project, write_jsonl_lines):
    text = "A 🙂 b,c"  # UTF-16 [5, 6] is "b", code points [5, 6] ",": both clean
    path = write_jsonl_lines("both.jsonl", [{"text": text, "label": [[5, 6, "claim"]]}])
    summary = import_paths(project, [path], annotator="tester")
    assert summary.ok
    [span] = project.spans()
    assert span.text == "b"
    [warning] = summary.files[0].warnings
    assert "1 span would sit elsewhere if the offsets counted code points" in warning.message


def test_an_offset_inside_an_emoji_is_refused(project, write_jsonl_lines):
    path = write_jsonl_lines("cut.jsonl", [{"text": ISSUE_TEXT, "label": [[13, 21, "claim"]]}])
    [problem] = import_paths(project, [path], annotator="tester").files[0].problems
    assert "start offset 13 falls between the two UTF-16 units of one character" in str(problem)


def test_a_relation_naming_no_entity_of_its_line_refuses_the_file(
    project, write_jsonl_lines, corpus
):
    """Imported without it, the line would silently lose a link its file holds."""
    line = entities_line(
        corpus[0],
        relations=[
            {"id": 7, "from_id": 1, "to_id": 0, "type": "attributed_to"},
            {"id": 9, "from_id": 3, "to_id": 42, "type": "denies"},
        ],
    )
    path = write_jsonl_lines("rel.jsonl", [line])
    events = project.event_count()
    summary = import_paths(project, [path], annotator="tester")
    assert [str(p) for f in summary.files for p in f.problems] == [
        f"{path}:1: relation 1 (id 9): expected from_id and to_id of entities of this line"
        " and a type"
    ]
    assert project.document_count() == 0 and project.event_count() == events
