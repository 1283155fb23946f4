"""Hugging Face token classification data: a folder that ``datasets.load_dataset(folder)`` reads.

The folder holds ``train.jsonl`` (or one ``<part>.jsonl`` per ``--split`` part), a dataset card
``README.md`` whose YAML declares the features (``ner_tags`` as ``ClassLabel`` with the tag
names), the splits and their files (see ``hf_card``), and ``labels.json``. One row per
document::

    {"id", "title", "text", "tokens", "token_offsets", "ner_tags", "spans"}

``tokens`` are the document's own tokens or ``spacy.blank(lang)``'s (``token_doc``), without
whitespace tokens; ``token_offsets`` their [start, end) code-point offsets in ``text``;
``ner_tags`` IOB2 integer ids over the label set in the project's schema order (O=0,
B-<first>=1, I-<first>=2, ...), named after each label's imported name (``B-PER``, ``B-人名``)
or else its key. The names are in the card and in ``labels.json``, together with
a ``features`` description that ``datasets.Features.from_dict`` accepts. ``spans`` lists every
selected span with its original offsets ({id, start, end, label, text, annotator, note}), so
annotators and notes are not lost; the span losses concern ``ner_tags``.
"""

from __future__ import annotations

import json

from .context import ExportContext, ExportFormat
from .hf_card import dataset_card
from .token_sequence import label_sequence
from .tokenising import blank_pipeline

#: The split of an export without ``--split`` (what ``load_dataset`` calls unsplit data).
DEFAULT_SPLIT = "train"


def tag_names(label_names: list[str]) -> list[str]:
    names = ["O"]
    for name in label_names:
        names += [f"B-{name}", f"I-{name}"]
    return names


def features(names: list[str]) -> dict:
    """The rows' schema in ``datasets.Features.to_dict()`` form (a list means a list feature)."""
    string, int64 = {"dtype": "string", "_type": "Value"}, {"dtype": "int64", "_type": "Value"}
    return {
        "id": string,
        "title": string,
        "text": string,
        "tokens": [string],
        "token_offsets": [[int64]],
        "ner_tags": [{"names": names, "_type": "ClassLabel"}],
        "spans": [
            {
                "id": string,
                "start": int64,
                "end": int64,
                "label": string,
                "text": string,
                "annotator": string,
                "note": string,
            }
        ],
    }


def write(ctx: ExportContext) -> None:
    nlp = blank_pipeline(ctx.options.lang)
    label_names = ctx.label_names()
    written = [label_names[key] for key in ctx.label_keys()]
    names = tag_names(written)
    tag_ids = {name: i for i, name in enumerate(names)}
    splits: dict[str, tuple[str, int, int]] = {}
    for part in ctx.parts:
        split = part or DEFAULT_SPLIT
        file_name = f"{split}.jsonl"
        rows = size = 0
        with ctx.staging.text(file_name) as out:
            for selected in ctx.documents(part):
                document = selected.document
                sequence = label_sequence(
                    ctx.token_doc(nlp, document),
                    selected,
                    ctx.options.align,
                    ctx.losses,
                    lines_are_sentences=False,
                    whitespace_free_tokens=False,
                    spans_carried_beside=True,
                    names=label_names,
                )
                row = {
                    "id": document.id,
                    "title": document.title,
                    "text": document.text,
                    "tokens": [t.text for t in sequence.tokens],
                    "token_offsets": [[t.start, t.end] for t in sequence.tokens],
                    "ner_tags": [tag_ids[tag] for tag in sequence.tags],
                    "spans": [
                        {
                            "id": s.id,
                            "start": s.start,
                            "end": s.end,
                            "label": label_names.get(s.label, s.label),
                            "text": s.text,
                            "annotator": s.annotator,
                            "note": s.note,
                        }
                        for s in selected.spans
                    ],
                }
                line = json.dumps(row, ensure_ascii=False) + "\n"
                out.write(line)
                rows += 1
                size += len(line.encode("utf-8", "surrogatepass"))
        splits[split] = (file_name, rows, size)
    with ctx.staging.text("labels.json") as out:
        description = {
            "scheme": "IOB2",
            "labels": written,
            "ner_tags": names,
            "features": features(names),
        }
        out.write(json.dumps(description, ensure_ascii=False, indent=2) + "\n")
    with ctx.staging.text("README.md") as out:
        out.write(dataset_card(ctx.project, features(names), splits, names, ctx.options.filters()))


FORMAT = ExportFormat(
    "hf",
    ".jsonl",
    write,
    folder=True,
    needs_spacy=True,
    description="Hugging Face dataset folder: <split>.jsonl and a README.md card (tag names)",
)
