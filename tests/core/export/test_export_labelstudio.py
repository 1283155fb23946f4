"""The Label Studio export: task list layout and labelling config.

label-studio-sdk is not used: its wheel pulls opencv, nltk, pandas and a code generator, too
heavy for a test dependency; the config is checked with xml.etree, the tasks by hand.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

from claimmark.core.export import export_project


def test_tasks_group_results_by_annotator(hostile_project, tmp_path):
    out = tmp_path / "tasks.json"
    report = export_project(hostile_project, "labelstudio", out)
    assert not [loss for loss in report.losses if loss.span_id is not None]
    tasks = json.loads(out.read_text(encoding="utf-8"))
    assert [t["id"] for t in tasks] == [1, 2, 3, 4, 5]
    assert [t["data"]["doc_id"] for t in tasks] == [
        d.id for d in hostile_project.documents("tester")
    ]
    seen = set()
    for task in tasks:
        text = task["data"]["text"]
        doc_id = task["data"]["doc_id"]
        assert text == hostile_project.document(doc_id).text
        groups = task["annotations"] + task.get("drafts", [])
        annotators = sorted(a["created_username"] for a in groups)
        assert annotators == sorted({s.annotator for s in hostile_project.spans(doc_id)})
        for annotation in groups:
            assert "completed_by" not in annotation and "user" not in annotation  # no emails
            for result in annotation["result"]:
                value = result["value"]
                if result["type"] == "labels":
                    assert text[value["start"] : value["end"]] == value["text"]
                assert result["to_name"] == "text"
                if result["type"] == "labels":
                    assert result["from_name"] == "label"
                    span = hostile_project.span(result["id"])
                    assert span.annotator == annotation["created_username"]
                    assert (value["start"], value["end"], value["labels"]) == (
                        span.start,
                        span.end,
                        [span.label],
                    )
                    seen.add(span.id)
                else:
                    assert (result["type"], result["from_name"]) == ("textarea", "note")
                    assert value["text"] == [hostile_project.span(result["id"]).note]
    assert seen == {s.id for s in hostile_project.spans()}
    # news: alice done; ar:2 alice in progress; emoji: alice and bob without status; crlf: bob
    # done. Only done work is a submitted annotation.
    assert {
        (t["data"]["doc_id"], a["created_username"]) for t in tasks for a in t["annotations"]
    } == {
        ("news/1?x", "alice"),
        ("crlf", "bob"),
    }
    assert all(a["ground_truth"] is False for t in tasks for a in t["annotations"])
    assert report.losses_by_reason() == {
        "annotator_not_carried": 5,
        "document_fields_not_carried": 5,  # source and import time
        "span_fields_not_carried": 4,  # creation and edit times
        "status_as_draft": 3,
    }


def label_studio_is_labeled(task: dict, maximum_annotations: int = 1) -> bool:
    """Label Studio 1.x's import (TaskSerializerBulk.add_tasks): a task counts as finished when
    its submitted annotations reach the project's overlap; drafts do not count."""
    return len(task["annotations"]) >= maximum_annotations


def label_studio_accepts_completed_by(annotation: dict, members: set[str]) -> bool:
    """Label Studio's _insert_valid_completed_by: absent (the importing user), an object with a
    member's email, or a member id; anything else refuses the whole import."""
    completed_by = annotation.get("completed_by")
    return completed_by is None or (
        isinstance(completed_by, dict) and completed_by.get("email") in members
    )


def test_annotators_mapped_to_member_emails_are_credited(hostile_db, tmp_path):
    from .conftest import run_export

    out = tmp_path / "tasks.json"
    result = run_export(hostile_db, "--format", "labelstudio", "-o", str(out),
                        "--labelstudio-user", "alice=alice@example.org",
                        "--labelstudio-user", "bob=bob@example.org")  # fmt: skip
    assert result.exit_code == 0, result.output
    tasks = json.loads(out.read_text(encoding="utf-8"))
    members = {"alice@example.org", "bob@example.org"}
    for task in tasks:
        for annotation in task["annotations"]:
            assert label_studio_accepts_completed_by(annotation, members)
            assert (
                annotation["completed_by"]["email"]
                == f"{annotation['created_username']}@example.org"
            )
        for draft in task.get("drafts", []):
            assert draft["user"] == f"{draft['created_username']}@example.org"
    # three of five documents hold no finished work: Label Studio must not show them finished
    assert [t["data"]["doc_id"] for t in tasks if label_studio_is_labeled(t)] == [
        "news/1?x",
        "crlf",
    ]
    assert "annotator_not_carried" not in result.output
    assert "status_as_draft: 3" in result.output
    bad = run_export(hostile_db, "--format", "labelstudio", "-o", str(tmp_path / "x.json"),
                     "--labelstudio-user", "alice")  # fmt: skip
    assert bad.exit_code != 0 and "is not NAME=EMAIL" in bad.output


def test_config_declares_every_label_and_the_names_results_use(hostile_project, tmp_path):
    out = tmp_path / "tasks.json"
    export_project(hostile_project, "labelstudio", out)
    root = ET.parse(tmp_path / "tasks.config.xml").getroot()
    assert root.tag == "View"
    labels = root.find("Labels")
    assert (labels.get("name"), labels.get("toName")) == ("label", "text")
    assert [(e.get("value"), e.get("background")) for e in labels.findall("Label")] == [
        (label.key, label.color) for label in hostile_project.labels()
    ]
    text = root.find("Text")
    assert (text.get("name"), text.get("value")) == ("text", "$text")
    note = root.find("TextArea")
    assert (note.get("name"), note.get("toName"), note.get("perRegion")) == ("note", "text", "true")
    tasks = json.loads(out.read_text(encoding="utf-8"))
    declared = {e.get("value") for e in labels.findall("Label")}
    for task in tasks:
        for annotation in task["annotations"]:
            for result in annotation["result"]:
                assert result["from_name"] in {"label", "note"}
                assert set(result["value"].get("labels", [])) <= declared


LS_TEXT = "Rebels said 🚁 downed near Hama. Officials denied it."


def ls_result(start: int, end: int, label: str, rid: str) -> dict:
    value = {"start": start, "end": end, "text": LS_TEXT[start:end], "labels": [label]}
    return {"id": rid, "from_name": "label", "to_name": "text", "type": "labels", "value": value}


def at(word: str) -> tuple[int, int]:
    start = LS_TEXT.index(word)
    return start, start + len(word)


def test_label_studio_export_round_trip(tmp_path):
    """A Label Studio export (predictions as objects and as ids, drafts, extra data fields)
    imported and exported again: predictions stay predictions, drafts stay drafts, every data
    field survives, label names are unchanged."""
    from claimmark.core.importing import import_paths
    from claimmark.core.project import Project

    tasks = [
        {
            "id": 7,
            "data": {"text": LS_TEXT, "source_url": "https://example.org/a", "lang": "en"},
            "annotations": [
                {"id": 1, "completed_by": {"id": 3, "email": "rana@example.org"},
                 "result": [ls_result(*at("🚁 downed"), "Claim-X", "a1")],
                 "was_cancelled": False, "ground_truth": False},
            ],
            "drafts": [
                {"id": 9, "user": "omar@example.org",
                 "result": [ls_result(*at("denied it"), "REFUTE", "d1")]},
            ],
            "predictions": [
                {"model_version": "ner-v2", "score": 0.8,
                 "result": [ls_result(*at("Rebels"), "SOURCE", "p1")]},
            ],
        },
        {"id": 8, "data": {"text": "A second task.", "batch": 2}, "annotations": [],
         "predictions": [41, 42]},
    ]  # fmt: skip
    source = tmp_path / "ls.json"
    source.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    with Project.open(None, created_by="importer") as project:
        summary = import_paths(project, [source], annotator="importer")
        assert summary.ok, [str(p) for p in summary.files[0].problems]
        warnings = [w.message for w in summary.files[0].warnings]
        assert any("2 prediction(s) given only as ids" in w for w in warnings), warnings
        assert project.document("7").meta == {"source_url": "https://example.org/a", "lang": "en"}
        out = tmp_path / "again.json"
        report = export_project(project, "labelstudio", out)
        losses = report.losses_by_reason()
        assert losses.pop("status_as_draft") == 1  # the draft says so
        assert set(losses) == {"document_fields_not_carried", "span_fields_not_carried"}
        assert all("meta" not in loss.detail for loss in report.losses)
    [first, second] = json.loads(out.read_text(encoding="utf-8"))
    assert first["data"] == {**tasks[0]["data"], "doc_id": "7", "title": first["data"]["title"]}
    assert second["data"] == {**tasks[1]["data"], "doc_id": "8", "title": "A second task."}
    [annotation] = first["annotations"]
    assert annotation["completed_by"] == {"email": "rana@example.org"}
    assert [r["value"]["labels"] for r in annotation["result"]] == [["Claim-X"]]
    [draft] = first["drafts"]
    assert draft["user"] == "omar@example.org"
    assert [(r["value"]["text"], r["value"]["labels"]) for r in draft["result"]] == [
        ("denied it", ["REFUTE"])
    ]
    [prediction] = first["predictions"]
    assert (prediction["model_version"], prediction["score"]) == ("ner-v2", 0.8)
    assert [
        (r["type"], r["value"]["text"], r["value"]["labels"]) for r in prediction["result"]
    ] == [
        ("labels", "Rebels", ["SOURCE"])
    ]  # no note result: the prediction's details went back where they came from
    assert "predictions" not in second and second["annotations"] == []
    # and once more into claimmark: the same spans, annotators and statuses
    with Project.open(None, created_by="importer") as project:
        assert import_paths(project, [out], annotator="importer").ok
        spans = {(s.text, s.annotator) for s in project.spans()}
        assert spans == {
            ("🚁 downed", "rana@example.org"),
            ("denied it", "omar@example.org"),
            ("Rebels", "labelstudio-prediction"),
        }


def test_relations_and_attributes_survive_a_label_studio_round_trip(tmp_path):
    """Relations are ``relation`` results between the regions' ids, attributes per-region
    choices, numbers and text declared in the config; imported back they are the same. A range
    does not fit Label Studio's number control: reported, not written."""
    from claimmark.core.importing import import_paths
    from claimmark.core.project import NewDocument, NewSpan, Project

    text = "Officials said five soldiers and 10-12 civilians died; the ministry denied it."

    def span(piece, label, **attributes):
        start = text.index(piece)
        return NewSpan(start, start + len(piece), label, annotator="ann@example.org",
                       id=f"s-{label}-{start}", attributes=attributes or None)  # fmt: skip

    with Project.open(None, created_by="importer") as project:
        project.import_document(
            NewDocument(
                text=text,
                title="t",
                id="d",
                spans=[
                    span("Officials", "attribution", source_type="party to the conflict"),
                    span("five soldiers", "casualty_report", killed=5, group="military"),
                    span("10-12 civilians died", "casualty_report", killed="10-12"),
                    span("the ministry denied it", "denial"),
                ],
                statuses={"ann@example.org": "done"},
            ),
            annotator="importer",
        )
        for source in ("s-casualty_report-15", "s-casualty_report-33"):
            project.add_relation(
                source, "s-attribution-0", "attributed_to", annotator="ann@example.org"
            )
        out = tmp_path / "tasks.json"
        report = export_project(project, "labelstudio", out)
        expected = relations_and_attributes(project)
    assert [(loss.reason, loss.detail) for loss in report.losses if loss.span_id] == [
        ("attribute_not_carried", "killed=10-12: Label Studio's number control holds one number")
    ]
    [task] = json.loads(out.read_text(encoding="utf-8"))
    results = task["annotations"][0]["result"]
    relations = [r for r in results if r["type"] == "relation"]
    assert {(r["from_id"], r["to_id"], r["direction"], tuple(r["labels"])) for r in relations} == {
        ("s-casualty_report-15", "s-attribution-0", "right", ("attributed_to",)),
        ("s-casualty_report-33", "s-attribution-0", "right", ("attributed_to",)),
    }
    ids = {r["id"] for r in results if r["type"] == "labels"}
    assert all(r["from_id"] in ids and r["to_id"] in ids for r in relations)
    per_region = {
        (r["from_name"], r["type"]): r["value"]
        for r in results
        if r.get("id") and r["type"] != "labels"
    }
    assert per_region[("attribute-casualty_report-killed", "number")]["number"] == 5
    assert per_region[("attribute-casualty_report-group", "choices")]["choices"] == ["military"]
    config = ET.fromstring((tmp_path / "tasks.config.xml").read_text(encoding="utf-8"))
    controls = {c.get("name"): c for c in config if c.get("perRegion") == "true"}
    for (name, _), value in per_region.items():
        assert name in controls  # every result's control is declared, per region
        if "choices" in value:
            assert value["choices"][0] in [c.get("value") for c in controls[name]]
    assert controls["attribute-casualty_report-killed"].tag == "Number"
    assert controls["attribute-casualty_report-killed"].get("whenLabelValue") == "casualty_report"
    assert [r.get("value") for r in config.find("Relations")] == ["attributed_to", "denies"]
    with Project.open(None, created_by="importer") as project:
        summary = import_paths(project, [out], annotator="importer")
        assert summary.ok, [str(p) for f in summary.files for p in f.problems]
        again = relations_and_attributes(project)
    assert again[0] == expected[0]
    assert again[1] == {k: v for k, v in expected[1].items() if k != "10-12 civilians died"} | {
        "10-12 civilians died": {}
    }


def relations_and_attributes(project) -> tuple[set, dict]:
    relations = {
        (r.type, project.span(r.from_span).text, project.span(r.to_span).text)
        for a in project.annotators()
        for r in project.relations("d", a)
    }
    return relations, {s.text: dict(s.attributes) for s in project.spans("d")}


def test_a_relation_between_two_predictions_is_reported(tmp_path):
    """Label Studio keeps a relation inside one prediction: one linking spans of two model
    versions cannot be written, and the report says so."""
    from claimmark.core.project import NewDocument, NewRelation, NewSpan, Project

    text = "Officials said two died."
    model = "Label Studio prediction (model_version {!r})"
    with Project.open(None, created_by="importer") as project:
        project.import_document(
            NewDocument(
                text=text,
                title="t",
                id="d",
                spans=[
                    NewSpan(
                        0, 9, "attribution", "labelstudio-prediction", model.format("v1"), "p1"
                    ),
                    NewSpan(15, 23, "claim", "labelstudio-prediction", model.format("v2"), "p2"),
                    NewSpan(
                        15,
                        18,
                        "casualty_report",
                        "labelstudio-prediction",
                        model.format("v1"),
                        "p3",
                    ),
                ],
                relations=[
                    NewRelation("attributed_to", "p2", "p1"),
                    NewRelation("attributed_to", "p3", "p1"),
                ],
            ),
            annotator="importer",
        )
        report = export_project(project, "labelstudio", tmp_path / "t.json")
    [lost] = [loss for loss in report.losses if loss.reason == "relation_not_carried"]
    assert lost.span_id == "p2"
    [task] = json.loads((tmp_path / "t.json").read_text(encoding="utf-8"))
    written = [
        (r["from_id"], r["to_id"])
        for p in task["predictions"]
        for r in p["result"]
        if r["type"] == "relation"
    ]
    assert written == [("p3", "p1")]
