"""The dataset card (``README.md``) of a Hugging Face export folder.

``datasets.load_dataset(folder)`` reads the card's YAML header: ``dataset_info.features`` gives
``ner_tags`` their ``ClassLabel`` names with no extra step, ``configs`` maps each split to its
file (so ``losses.jsonl`` and ``provenance.json`` beside them are not read as data), and
``splits`` records the row counts. The body says where the data came from.

The YAML is written by hand (the shape is fixed and small) so core needs no YAML library. Every
string is a JSON string, which YAML reads as a double-quoted scalar.
"""

from __future__ import annotations

import json
from typing import Any

from ..clock import utc_now
from ..project import Project
from ..version import APP_VERSION


def _q(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def _feature_yaml(feature: Any, indent: str) -> list[str]:
    """Lines for one feature's type, in the ``dataset_info`` YAML form."""
    if isinstance(feature, list):
        inner = feature[0]
        if isinstance(inner, dict) and "_type" not in inner:  # a list of records
            lines = [f"{indent}list:"]
            for name, sub in inner.items():
                lines.append(f"{indent}- name: {_q(name)}")
                lines += _feature_yaml(sub, indent + "  ")
            return lines
        return [f"{indent}sequence:", *_feature_yaml(inner, indent + "  ")]
    if feature["_type"] == "ClassLabel":
        lines = [f"{indent}class_label:", f"{indent}  names:"]
        lines += [f"{indent}    '{i}': {_q(name)}" for i, name in enumerate(feature["names"])]
        return lines
    return [f"{indent}dtype: {feature['dtype']}"]


def dataset_card(
    project: Project,
    features: dict[str, Any],
    splits: dict[str, tuple[str, int, int]],
    tag_names: list[str],
    filters: dict[str, Any],
) -> str:
    """``splits``: split name -> (file name, number of rows, size in bytes)."""
    lines = ["---", "dataset_info:", "  features:"]
    for name, feature in features.items():
        lines.append(f"  - name: {_q(name)}")
        lines += _feature_yaml(feature, "    ")
    lines.append("  splits:")
    for split, (_, rows, size) in splits.items():
        lines += [f"  - name: {_q(split)}", f"    num_bytes: {size}", f"    num_examples: {rows}"]
    lines += ["configs:", "- config_name: default", "  data_files:"]
    for split, (file_name, _, _) in splits.items():
        lines += [f"  - split: {_q(split)}", f"    path: {_q(file_name)}"]
    lines += ["task_categories:", "- token-classification", "---", ""]
    used = {key: value for key, value in filters.items() if value}
    lines += [
        "# Token classification data exported by claimmark",
        "",
        "Each row is one document: `tokens`, their `token_offsets` (code points into `text`),",
        "`ner_tags` (IOB2, named by the `ClassLabel` above) and `spans` (every selected span with",
        "its exact offsets, label and annotator). `losses.jsonl` lists what the tags could not",
        "carry; `provenance.json` has the full record.",
        "",
        "Tags: " + ", ".join(f"`{name}`" for name in tag_names),
        "",
        "## Provenance",
        "",
        f"- project file: `{project.name}`",
        f"- latest audit event: {project.event_count()} (hash `{project.latest_event_hash()}`)",
        f"- claimmark version: {APP_VERSION}",
        f"- exported at: {utc_now()}",
        "- splits: "
        + ", ".join(
            f"{split} ({rows} rows, `{file}`)" for split, (file, rows, _) in splits.items()
        ),
        f"- filters: {json.dumps(used, ensure_ascii=False) if used else 'none'}",
        "",
    ]
    return "\n".join(lines)
