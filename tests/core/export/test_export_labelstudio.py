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
    assert [t["data"]["doc_id"] for t in tasks] == [d.id for d in hostile_project.documents()]
    seen = set()
    for task in tasks:
        text = task["data"]["text"]
        assert text == hostile_project.document(task["data"]["doc_id"]).text
        annotators = [a["created_username"] for a in task["annotations"]]
        assert annotators == sorted(
            {s.annotator for s in hostile_project.spans(task["data"]["doc_id"])}
        )
        for annotation in task["annotations"]:
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
