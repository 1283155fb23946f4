"""Label Studio JSON exports: a list of tasks, each with its annotations and predictions.

A task is ``{"id", "data": {"text": ...}, "annotations": [...], "predictions": [...]}``. Each
annotation's ``labels`` results become spans by the annotator who completed it
(``completed_by`` 3 -> ``labelstudio-user-3``; an object with an email -> that email; else
``created_username``), and the annotation marks the document done for that annotator; a draft
(``drafts``, by the member whose email is its ``user``) gives spans marked in progress.
Predictions are imported too, by the annotator ``labelstudio-prediction``, so model output can be
compared with people and filtered out in one step; predictions given only as ids (Label Studio's
default export) have no results to import and are counted in a warning. ``data.doc_id`` and
``data.title`` (claimmark's export writes them) become the document's id and title; every other
field of ``data`` is kept in its meta. ``value.start``/``end`` are code points (Label Studio since
2022); each span's ``value.text`` must match the document there.

JSON has no lines to speak of, so a problem is reported at the line where its task starts.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

from ..attributes import AttributeDefinition
from ..foreign_labels import key_for_name
from ..ids import new_span_ids
from ..import_errors import Problem
from ..label_schema import generated_color
from ..model import LABEL_KEY_RE, RelationType
from ..project import NewDocument, NewRelation, NewSpan
from ..text_checks import string_problem, strings_in, title_from_text
from .decoding import read_decoded
from .foreign_spans import dedupe_spans, span_offset_problem
from .json_limits import depth_problem, load_json
from .jsonl_reader import ParsedFile

PREDICTION_ANNOTATOR = "labelstudio-prediction"
#: Per-region controls claimmark's export writes attributes into: ``attribute-LABEL-NAME``.
CONTROL_PREFIX = "attribute"
#: The type a relation without a label gets.
UNLABELLED_RELATION = "related"
_ATTRIBUTE_RESULTS = ("choices", "number", "textarea")  # and the note's text area
_WHITESPACE = re.compile(r"[ \t\n\r]*")


class NotLabelStudio(ValueError):
    """The file is JSON, but not a Label Studio task export."""


def read_labelstudio(
    path: Path, *, encoding: str = "utf-8", text_key: str | None = None
) -> ParsedFile:
    """Raises NotLabelStudio when the file is valid JSON of another shape."""
    parsed = ParsedFile()
    name = str(path)
    source = read_decoded(path, encoding, parsed.problems)
    if source is None:
        return parsed
    try:
        value = load_json(source)
    except json.JSONDecodeError as exc:
        parsed.problems.append(
            Problem(name, exc.lineno, f"invalid JSON at column {exc.colno}: {exc.msg}")
        )
        return parsed
    if isinstance(value, dict) and isinstance(value.get("data"), dict):
        tasks = [(_first_line(source), value)]
    elif isinstance(value, list) and all(
        isinstance(task, dict) and isinstance(task.get("data"), dict) for task in value
    ):
        tasks = list(zip(_element_lines(source), value, strict=True))
    else:
        raise NotLabelStudio("not a Label Studio export (a JSON list of tasks, each with 'data')")
    reader = _Reader(name, text_key, parsed)
    for line, task in tasks:
        reader.task(line, task)
    reader.finish()
    return parsed


class _Reader:
    def __init__(self, name: str, text_key: str | None, parsed: ParsedFile):
        self.name = name
        self.text_key = text_key
        self.parsed = parsed
        self.guessed_keys: dict[str, int] = {}
        self.unsupported: Counter[str] = Counter()
        self.first_unsupported: dict[str, int] = {}
        self.predictions = 0
        self.relations: list[NewRelation] = []
        #: relation type key -> the Label Studio label it came from.
        self.relation_types: dict[str, str] = {}
        #: (label, attribute) -> the kind guessed for it.
        self.defined: dict[tuple[str, str], str] = {}
        self.bidirectional = 0
        self.prediction_ids = 0
        self.ground_truth = 0

    def problem(self, line: int, message: str) -> None:
        self.parsed.problems.append(Problem(self.name, line, message))

    def warn(self, line: int | None, message: str) -> None:
        self.parsed.warnings.append(Problem(self.name, line, message))

    def task(self, line: int, task: dict[str, Any]) -> None:
        task_name = f"task {task['id']}" if "id" in task else "task"
        if deep := depth_problem(task, task_name):
            self.problem(line, deep)
            return
        for where, string in strings_in(task):
            reason = string_problem(string)
            if reason:
                self.problem(line, f"{task_name}: {where}: {reason}")
                return
        data = task["data"]
        key = self._text_key(data, line, task_name)
        if key is None:
            return
        text = data[key]
        if not text.strip():
            self.problem(line, f"{task_name}: empty document: data.{key} has no visible characters")
            return
        spans: list[NewSpan] = []
        self.relations = []
        statuses: dict[str, str] = {}
        ok = True
        for index, draft in enumerate(task.get("drafts") or []):
            if not isinstance(draft, dict):
                self.problem(line, f"{task_name} draft {index}: expected an object")
                ok = False
                continue
            # A draft's user is the email of a Label Studio member (its own exports say so).
            annotator = annotator_name(draft.get("user") or draft.get("created_username"))
            where = f"{task_name} draft {index} ({annotator})"
            ok &= self._results(draft, text, annotator, None, where, line, spans)
            statuses.setdefault(annotator, "in_progress")
        for index, annotation in enumerate(task.get("annotations") or []):
            if not isinstance(annotation, dict):
                self.problem(line, f"{task_name} annotation {index}: expected an object")
                ok = False
                continue
            annotator = annotator_name(
                annotation.get("completed_by") or annotation.get("created_username")
            )
            if annotation.get("was_cancelled"):
                self.warn(
                    line, f"{task_name}: annotation {index} by {annotator} was cancelled (skipped)"
                )
                continue
            where = f"{task_name} annotation {index} ({annotator})"
            ok &= self._results(annotation, text, annotator, None, where, line, spans)
            statuses[annotator] = "done"
            if annotation.get("ground_truth") is True:
                self.ground_truth += 1
        for index, prediction in enumerate(task.get("predictions") or []):
            if isinstance(prediction, int) and not isinstance(prediction, bool):
                self.prediction_ids += 1  # Label Studio's default export: the id only
                continue
            if not isinstance(prediction, dict):
                self.problem(line, f"{task_name} prediction {index}: expected an object")
                ok = False
                continue
            details = [
                f"{k} {prediction[k]!r}" for k in ("model_version", "score") if prediction.get(k)
            ]
            note = "Label Studio prediction" + (f" ({', '.join(details)})" if details else "")
            before = len(spans)
            where = f"{task_name} prediction {index}"
            ok &= self._results(prediction, text, PREDICTION_ANNOTATOR, note, where, line, spans)
            self.predictions += len(spans) - before
        if not ok:
            return
        if not self.relations:  # a merged duplicate might be a relation's end: keep them all
            spans, merged = dedupe_spans(spans)
            if merged:
                self.warn(line, f"{task_name}: {merged} duplicate span(s) merged")
        task_id = data.get("doc_id", task.get("id"))
        doc_id = str(task_id) if isinstance(task_id, str | int) and task_id != "" else None
        title = data.get("title")
        if not isinstance(title, str) or not title.strip():
            title = title_from_text(text, doc_id or Path(self.name).stem)
        # claimmark's own export writes the document id and title into data; every other field
        # of data is kept in the document's meta and written back on export.
        meta = {k: v for k, v in data.items() if k not in (key, "doc_id", "title")}
        document = NewDocument(
            text=text,
            title=title,
            id=doc_id,
            source=self.name,
            meta=meta,
            spans=spans,
            statuses=statuses,
            relations=self.relations,
        )
        self.parsed.documents.append((line, document))

    def _text_key(self, data: dict[str, Any], line: int, task_name: str) -> str | None:
        if self.text_key is not None:
            if isinstance(data.get(self.text_key), str):
                return self.text_key
            self.problem(line, f"{task_name}: data has no string {self.text_key!r} (--text-key)")
            return None
        if isinstance(data.get("text"), str):
            return "text"
        key = next((k for k, v in data.items() if isinstance(v, str)), None)
        if key is None:
            self.problem(line, f"{task_name}: data has no string value to use as the text")
            return None
        self.guessed_keys.setdefault(key, line)
        return key

    def _results(
        self,
        container: dict[str, Any],
        text: str,
        annotator: str,
        note: str | None,
        where: str,
        line: int,
        spans: list[NewSpan],
    ) -> bool:
        ok = True
        results = container.get("result") or []
        # A per-region note is a ``textarea`` result sharing its region's id (Label Studio's own
        # convention for perRegion text areas): it becomes that span's note.
        region_texts = {
            r["id"]: _textarea_text(r)
            for r in results
            if isinstance(r, dict)
            and r.get("type") == "textarea"
            and r.get("id") is not None
            and not _is_attribute(r)
        }
        labelled_ids = {
            r.get("id") for r in results if isinstance(r, dict) and r.get("type") == "labels"
        }
        # Per-region attributes: choices, numbers and text areas (other than the note) that
        # share a labelled region's id.
        attributes: dict[Any, dict[str, Any]] = {}
        for r in results:
            if isinstance(r, dict) and r.get("id") in labelled_ids and _is_attribute(r):
                found = self._attribute(r, line, where)
                if found is not None:
                    attributes.setdefault(r["id"], {}).update([found])
        linked = {
            r.get(end)
            for r in results
            if isinstance(r, dict) and r.get("type") == "relation"
            for end in ("from_id", "to_id")
        }
        region_spans: dict[Any, str] = {}
        for index, result in enumerate(results):
            here = f"{where} result {index}"
            if not isinstance(result, dict):
                self.problem(line, f"{here}: expected an object")
                ok = False
                continue
            kind = result.get("type")
            value = result.get("value")
            if kind in _ATTRIBUTE_RESULTS and result.get("id") in labelled_ids:
                continue  # a region's note or attribute, taken with its region
            if kind == "relation":
                continue  # read once the regions are
            if kind != "labels":
                self.unsupported[str(kind)] += 1
                self.first_unsupported.setdefault(str(kind), line)
                continue
            if not isinstance(value, dict) or not isinstance(value.get("labels"), list):
                self.problem(line, f"{here}: 'value' must hold 'start', 'end' and 'labels'")
                ok = False
                continue
            if "id" in result:
                here += f" (id {result['id']})"
            start, end = value.get("start"), value.get("end")
            expected = value.get("text") if isinstance(value.get("text"), str) else None
            problem = span_offset_problem(text, start, end, expected)
            if problem:
                self.problem(line, f"{here} ({start}-{end}): {problem}")
                ok = False
                continue
            assert isinstance(start, int) and isinstance(end, int)  # span_offset_problem checked
            region_note = _region_note(result) or region_texts.get(result.get("id"))
            full_note = "; ".join(n for n in (region_note, note) if n) or None
            region = result.get("id")
            for label in value["labels"]:
                if not isinstance(label, str) or not label.strip():
                    self.problem(line, f"{here}: label {label!r} is not a non-empty string")
                    ok = False
                    continue
                span_id = None
                if region is not None and region in linked and region not in region_spans:
                    span_id = region_spans[region] = new_span_ids(1)[0]
                values = attributes.get(region) if region is not None else None
                for name, found in (values or {}).items():
                    self._define(label, name, found, line)
                spans.append(
                    NewSpan(
                        start,
                        end,
                        label,
                        annotator=annotator,
                        note=full_note,
                        id=span_id,
                        attributes=values or None,
                    )
                )
        for index, result in enumerate(results):
            if isinstance(result, dict) and result.get("type") == "relation":
                self._relation(result, region_spans, annotator, f"{where} result {index}", line)
        return ok

    def _attribute(self, result: dict[str, Any], line: int, where: str) -> tuple[str, Any] | None:
        """(name, value) of a per-region choices/number/textarea result, or None (warned)."""
        control = str(result.get("from_name") or "")
        name = (
            control.split("-", 2)[2]
            if control.startswith(f"{CONTROL_PREFIX}-") and control.count("-") >= 2
            else control
        )
        if not LABEL_KEY_RE.match(name):
            name = key_for_name(name)
        value = result.get("value")
        value = value if isinstance(value, dict) else {}
        kind = result.get("type")
        if kind == "choices":
            picked = value.get("choices")
            if not isinstance(picked, list) or len(picked) != 1 or not isinstance(picked[0], str):
                self.warn(
                    line, f"{where}: {control}: only a single choice is an attribute; not imported"
                )
                return None
            return name, picked[0]
        if kind == "number":
            number = value.get("number")
            if type(number) is not int:
                self.warn(
                    line, f"{where}: {control}: {number!r} is not a whole number; not imported"
                )
                return None
            return name, number
        texts = value.get("text")
        texts = [texts] if isinstance(texts, str) else texts
        if not isinstance(texts, list) or not texts or not all(isinstance(t, str) for t in texts):
            return None
        return name, " ".join(texts)

    def _define(self, label: str, name: str, value: Any, line: int) -> None:
        """Guess a definition for an attribute the project may lack (its own wins)."""
        kind = "integer" if type(value) is int else "text"
        if isinstance(value, str) and value in ("yes", "no"):
            kind = "boolean"
        key = (label, name)
        if key not in self.defined:
            self.defined[key] = kind
            self.parsed.attributes.append((line, AttributeDefinition(label, name, kind)))
            self.parsed.guessed_attributes = True

    def _relation(
        self, result: dict[str, Any], regions: dict[Any, str], annotator: str, where: str, line: int
    ) -> None:
        ends = [regions.get(result.get(end)) for end in ("from_id", "to_id")]
        if None in ends:
            self.warn(
                line, f"{where}: relation between regions that are not labelled spans; not imported"
            )
            return
        source, target = ends
        assert source is not None and target is not None
        if result.get("direction") == "left":
            source, target = target, source
        elif result.get("direction") == "bi":
            self.bidirectional += 1
        labels = result.get("labels") or [UNLABELLED_RELATION]
        for label in labels:
            if not isinstance(label, str) or not label.strip():
                continue
            key = label if LABEL_KEY_RE.match(label) else key_for_name(label)
            if key not in self.relation_types:
                self.relation_types[key] = label
                self.parsed.relation_types.append(
                    (
                        line,
                        RelationType(
                            key,
                            label,
                            generated_color(key),
                            source_name=label if label != key else None,
                        ),
                    )
                )
            self.relations.append(NewRelation(key, source, target, annotator=annotator))

    def finish(self) -> None:
        for key, line in self.guessed_keys.items():
            self.warn(line, f"no data.text: used data.{key} as the text (choose with --text-key)")
        for kind, count in sorted(self.unsupported.items()):
            what = f"results of type {kind!r}"
            self.warn(self.first_unsupported[kind], f"{count} Label Studio {what} not imported")
        if self.bidirectional:
            self.warn(
                None,
                f"{self.bidirectional} bidirectional relation(s) imported from their from_id to"
                " their to_id (claimmark's relations have one direction)",
            )
        if self.prediction_ids:
            self.warn(
                None,
                f"{self.prediction_ids} prediction(s) given only as ids (Label Studio's default"
                " export leaves their results out); not imported",
            )
        if self.ground_truth:
            self.warn(
                None,
                f"{self.ground_truth} annotation(s) marked ground truth in Label Studio; claimmark"
                " has no such mark (imported as ordinary annotations)",
            )
        if self.predictions:
            self.warn(
                None,
                f"{self.predictions} predicted span(s) imported by annotator"
                f" {PREDICTION_ANNOTATOR!r}",
            )


def _is_attribute(result: dict[str, Any]) -> bool:
    """A per-region choice or number is an attribute; a text area only when claimmark's export
    named it so (any other per-region text area is the region's note, as before)."""
    kind = result.get("type")
    if kind in ("choices", "number"):
        return True
    control = result.get("from_name")
    return (
        kind == "textarea" and isinstance(control, str) and control.startswith(CONTROL_PREFIX + "-")
    )


def annotator_name(completed_by: Any) -> str:
    """A stable annotator name for Label Studio's ``completed_by`` (a user id or a user object)."""
    if isinstance(completed_by, dict):
        email = completed_by.get("email")
        if isinstance(email, str) and email.strip():
            return email.strip()
        completed_by = completed_by.get("id")
    if isinstance(completed_by, int) and not isinstance(completed_by, bool):
        return f"labelstudio-user-{completed_by}"
    if isinstance(completed_by, str) and completed_by.strip() and completed_by.isprintable():
        return completed_by.strip()
    return "labelstudio-user-unknown"


def _textarea_text(result: dict[str, Any]) -> str | None:
    value = result.get("value")
    texts = value.get("text") if isinstance(value, dict) else None
    if isinstance(texts, str):
        texts = [texts]
    if not isinstance(texts, list):
        return None
    return "\n".join(t for t in texts if isinstance(t, str)) or None


def _region_note(result: dict[str, Any]) -> str | None:
    """The note an annotator typed on a region (Label Studio keeps it in ``meta.text``)."""
    meta = result.get("meta")
    notes = meta.get("text") if isinstance(meta, dict) else None
    if isinstance(notes, str):
        notes = [notes]
    if isinstance(notes, list):
        joined = " ".join(n for n in notes if isinstance(n, str) and n.strip())
        return joined or None
    return None


def _past_blanks(source: str, i: int = 0) -> int:
    """Where the JSON whitespace from ``i`` ends (the pattern also matches nothing: no None)."""
    match = _WHITESPACE.match(source, i)
    assert match is not None
    return match.end()


def _first_line(source: str) -> int:
    return source.count("\n", 0, _past_blanks(source)) + 1


def _element_lines(source: str) -> list[int]:
    """The line on which each element of the top-level array starts (the JSON is valid)."""
    decoder = json.JSONDecoder()
    i = _past_blanks(source) + 1  # past "["
    lines: list[int] = []
    line, counted = 1, 0
    while True:
        i = _past_blanks(source, i)
        if source[i] == "]":
            return lines
        line += source.count("\n", counted, i)
        counted = i
        lines.append(line)
        _, i = decoder.raw_decode(source, i)
        i = _past_blanks(source, i)
        if source[i] == ",":
            i += 1
