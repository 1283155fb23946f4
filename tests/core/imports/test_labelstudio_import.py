"""Label Studio JSON task exports: annotators, predictions, other text keys, notes, statuses."""

from __future__ import annotations

import json
from pathlib import Path

from claimmark.core.importing import import_paths


def result(text: str, start: int, end: int, label: str, **extra) -> dict:
    return {
        "id": f"r{start}",
        "type": "labels",
        "from_name": "label",
        "to_name": "text",
        "value": {"start": start, "end": end, "text": text[start:end], "labels": [label]},
        **extra,
    }


def task(task_id, text, annotations=(), predictions=(), text_key="text", **data) -> dict:
    return {
        "id": task_id,
        "data": {text_key: text, **data},
        "annotations": list(annotations),
        "predictions": list(predictions),
    }


def annotation(completed_by, text, spans, **extra) -> dict:
    return {
        "id": 1,
        "completed_by": completed_by,
        "result": [result(text, s, e, label) for s, e, label in spans],
        "was_cancelled": False,
        **extra,
    }


def write(tmp_path: Path, tasks, name: str = "export.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(tasks, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def test_labelstudio_round_trip_with_several_annotators(project, tmp_path, corpus):
    tasks = []
    for number, doc in enumerate(corpus, start=1):
        half = len(doc.spans) // 2
        tasks.append(
            task(
                number,
                doc.text,
                [
                    annotation(3, doc.text, doc.spans),
                    annotation({"id": 4, "email": "rana@example.org"}, doc.text, doc.spans[:half]),
                ],
            )
        )
    summary = import_paths(project, [write(tmp_path, tasks)], annotator="tester")
    assert summary.ok, summary.files[0].problems
    assert summary.files[0].warnings == []
    for number, doc in enumerate(corpus, start=1):
        document = project.document(str(number))
        assert document.text == doc.text
        by = {}
        for s in project.spans(document.id):
            by.setdefault(s.annotator, []).append((s.start, s.end, s.label, s.text))
        assert sorted(by["labelstudio-user-3"]) == sorted(
            (s, e, label, doc.text[s:e]) for s, e, label in doc.spans
        )
        assert sorted(by["rana@example.org"]) == sorted(
            (s, e, label, doc.text[s:e]) for s, e, label in doc.spans[: len(doc.spans) // 2]
        )
        assert project.statuses(document.id) == {
            "labelstudio-user-3": "done",
            "rana@example.org": "done",
        }


def test_predictions_imported_as_their_own_annotator(project, tmp_path, corpus):
    doc = corpus[0]
    prediction = {
        "model_version": "ner-v2",
        "score": 0.8,
        "result": [result(doc.text, *doc.spans[1])],
    }
    path = write(
        tmp_path, [task(9, doc.text, [annotation(1, doc.text, doc.spans[:1])], [prediction])]
    )
    summary = import_paths(project, [path], annotator="tester")
    assert summary.ok
    spans = {s.annotator: s for s in project.spans("9")}
    assert set(spans) == {"labelstudio-user-1", "labelstudio-prediction"}
    assert spans["labelstudio-prediction"].note == (
        "Label Studio prediction (model_version 'ner-v2', score 0.8)"
    )
    assert project.statuses("9") == {"labelstudio-user-1": "done"}  # a model finishes nothing
    assert [str(w) for w in summary.files[0].warnings] == [
        f"{path}: 1 predicted span(s) imported by annotator 'labelstudio-prediction'"
    ]


def test_other_text_key_first_string_or_option(project, tmp_path, snapshot):
    text = "Rebels claimed the bridge."
    only = task(1, text, [annotation(1, text, [(7, 14, "claim")])], text_key="content")
    summary = import_paths(project, [write(tmp_path, [only], "content.json")], annotator="tester")
    assert summary.ok
    assert project.document("1").text == text
    assert [w.message for w in summary.files[0].warnings] == [
        "no data.text: used data.content as the text (choose with --text-key)"
    ]

    text = "Militants claimed the bridge."
    several = task(2, text, [annotation(1, text, [(10, 17, "claim")])])
    several["data"] = {"n": 3, "headline": "Bridge", "article": text}
    path = write(tmp_path, [several])
    before = snapshot(project)
    guessed = import_paths(project, [path], annotator="tester").files[0]
    assert guessed.refused  # the headline was guessed, and the spans do not fit it
    assert "used data.headline as the text" in str(guessed.warnings)
    assert snapshot(project) == before

    chosen = import_paths(project, [path], text_key="article", annotator="tester")
    assert chosen.ok and chosen.files[0].warnings == []
    document = project.document("2")
    assert document.text == text and document.meta == {"n": 3, "headline": "Bridge"}
    missing = import_paths(project, [path], text_key="body", annotator="tester")
    assert str(missing.files[0].problems[0]) == (
        f"{path}:2: task 2: data has no string 'body' (--text-key)"
    )


def test_region_notes_relations_choices_cancelled_and_multi_label(project, tmp_path):
    text = "Rebels claimed the bridge."
    relation = {"type": "relation", "from_id": "a", "to_id": "b", "direction": "right"}
    choice = {"type": "choices", "value": {"choices": ["politics"]}, "from_name": "topic"}
    noted = result(text, 7, 14, "claim", meta={"text": ["verify"]})
    noted["value"]["labels"] = ["claim", "Attribution"]
    tasks = [
        task(
            1,
            text,
            [
                {"completed_by": 2, "result": [noted, relation, choice, relation]},
                {"completed_by": 5, "result": [result(text, 0, 6, "claim")], "was_cancelled": True},
            ],
        )
    ]
    path = write(tmp_path, tasks)
    summary = import_paths(project, [path], annotator="tester")
    assert summary.ok
    assert sorted((s.label, s.text, s.note) for s in project.spans("1")) == [
        ("attribution", "claimed", "verify"),
        ("claim", "claimed", "verify"),
    ]
    assert [w.message for w in summary.files[0].warnings] == [
        "task 1 annotation 0 (labelstudio-user-2) result 1: relation between regions that are"
        " not labelled spans; not imported",
        "task 1 annotation 0 (labelstudio-user-2) result 3: relation between regions that are"
        " not labelled spans; not imported",
        "task 1: annotation 1 by labelstudio-user-5 was cancelled (skipped)",
        "1 Label Studio results of type 'choices' not imported",
        "label 'Attribution' imported as the project's label 'attribution' (shown as"
        " 'Attribution'); exports write 'attribution'",
    ]


def test_single_task_object(project, tmp_path):
    text = "Officials denied it."
    path = write(tmp_path, task("abc", text, [annotation(1, text, [(10, 16, "denial")])]))
    summary = import_paths(project, [path], annotator="tester")
    assert summary.ok
    assert [s.text for s in project.spans("abc")] == ["denied"]


def test_problem_lines_point_at_the_task(project, tmp_path, snapshot):
    text = "Officials denied it."
    good = task(1, text, [annotation(1, text, [(10, 16, "denial")])])
    bad = task(2, "Second one.", [annotation(1, "Second one.", [(0, 6, "claim")])])
    bad["annotations"][0]["result"][0]["value"]["text"] = "Secund"
    path = write(tmp_path, [good, bad])
    before = snapshot(project)
    [problem] = import_paths(project, [path], annotator="tester").files[0].problems
    line = path.read_text(encoding="utf-8").splitlines().index("  {", 2) + 1
    assert str(problem) == (
        f"{path}:{line}: task 2 annotation 0 (labelstudio-user-1) result 0 (id r0) (0-6):"
        " text 'Secund' does not match the document at 0-6 ('Second');"
        " offsets must be code points into the text"
    )
    assert snapshot(project) == before
