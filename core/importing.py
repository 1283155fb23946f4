"""Importing files into a project: each file is stored whole or not at all.

Files are parsed and checked completely before the first write; then one transaction stores the
file's documents, its spans and any labels it introduces. A refused file is reported with every
problem found and leaves the project exactly as it was; the other files still import.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from .attributes import AttributeDefinition
from .foreign_labels import plan_labels
from .formats.brat_reader import read_brat
from .formats.conll_reader import read_conll
from .formats.decoding import DecodeProblem, check_encoding
from .formats.detect import BRAT_CONFIG, BY_EXTENSION, EXTENSIONS_OF, FORMATS, jsonl_format
from .formats.doccano_reader import read_doccano
from .formats.jsonl_reader import DEFAULT_MAX_LINE_BYTES, ParsedFile, read_jsonl
from .formats.labelstudio_reader import NotLabelStudio, read_labelstudio
from .formats.spacy_reader import read_spacy
from .formats.txt_reader import read_txt
from .formats.utf16_units import OFFSET_UNITS, UTF16
from .import_errors import FileRefused, Problem
from .label_schema import default_attributes, default_relation_types
from .model import ClaimmarkError, Label, RelationType
from .project import NewDocument, NewSpan, Project, text_sha256
from .relation_store import RelationRefused


@dataclass
class FileResult:
    path: str
    imported: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    new_labels: list[str] = field(default_factory=list)
    #: Exact repeats of a span of the same document (each also a warning naming its line).
    duplicate_spans: int = 0

    @property
    def refused(self) -> bool:
        return bool(self.problems)


@dataclass
class ImportSummary:
    files: list[FileResult] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(f.refused for f in self.files)

    def count(self, what: str) -> int:
        return sum(len(getattr(f, what)) for f in self.files)

    @property
    def new_labels(self) -> list[str]:
        return [label for f in self.files for label in f.new_labels]


@dataclass(frozen=True)
class ImportUnit:
    """What is stored whole or not at all: one file, or one brat ``.txt``/``.ann`` pair."""

    path: Path  #: the file results and problems are reported under (a pair's ``.ann``)
    format: str | None  #: None when no reader fits (the path is refused)
    skip_reason: str | None = None
    #: brat: the pair's ``.txt`` (None when it has none)
    text_path: Path | None = None
    #: named by the user, rather than found in a folder (a folder skips what it cannot read)
    explicit: bool = True


def import_units(paths: Iterable[Path], format: str | None = None) -> Iterator[ImportUnit]:
    """The units to import, folders walked recursively in a stable (sorted) order.

    Hidden files and folders are passed over. A folder holding ``.ann`` files (or any folder,
    with ``format="brat"``) is read as brat: one unit per ``.txt``/``.ann`` pair.

    Inside a folder only regular files are read (a pipe would block the import forever, a link to
    ``/dev/zero`` never end), and a symbolic link is followed only when it stays inside the folder
    given: a file or folder it points to elsewhere is skipped, and the summary says so.
    """
    for path in paths:
        if path.is_dir():
            top = Path(os.path.realpath(path))
            for root, dirs, files in os.walk(path):
                here = Path(root)
                for name in sorted(d for d in dirs if not d.startswith(".")):
                    if (here / name).is_symlink():
                        yield ImportUnit(here / name, None, _LINK_NOT_FOLLOWED)
                dirs[:] = sorted(
                    d for d in dirs if not d.startswith(".") and not (here / d).is_symlink()
                )
                names = []
                for name in sorted(n for n in files if not n.startswith(".")):
                    reason = _not_importable(here / name, top)
                    if reason:
                        yield ImportUnit(here / name, None, reason)
                    else:
                        names.append(name)
                yield from _folder_units(here, names, format)
        else:
            yield _file_unit(path, format)


_LINK_NOT_FOLLOWED = "skipped: a symbolic link to a folder is not followed"


def _not_importable(path: Path, top: Path) -> str | None:
    """Why a file found in a folder is skipped: a link out of the folder, or not a file."""
    target = Path(os.path.realpath(path))
    if path.is_symlink() and top not in target.parents:
        return f"skipped: a symbolic link to {target}, outside the folder being imported"
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        return f"skipped: cannot read: {exc.strerror or exc}"
    if not stat.S_ISREG(mode):
        return "skipped: not a regular file (a pipe, device or socket)"
    return None


def _not_a_regular_file(path: Path) -> str | None:
    try:
        mode = path.stat().st_mode
    except OSError:
        return None  # reported by the reader ("no such file", "cannot read")
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    return "not a regular file (a pipe, device or socket); claimmark imports only files"


#: Files claimmark's exports write beside the data (see core/export): never documents.
_SIDECAR_NAMES = ("losses.jsonl", "provenance.json", "labels.json", "config.xml")


def _is_export_sidecar(name: str) -> bool:
    return name in _SIDECAR_NAMES or name.endswith(tuple(f".{n}" for n in _SIDECAR_NAMES))


def _folder_units(root: Path, names: list[str], format: str | None) -> Iterator[ImportUnit]:
    brat = format == "brat" or (format is None and any(n.lower().endswith(".ann") for n in names))
    if brat:
        stems = sorted({n[:-4] for n in names if n.lower().endswith((".txt", ".ann"))})
        for stem in stems:
            txt, ann = root / f"{stem}.txt", root / f"{stem}.ann"
            yield ImportUnit(
                ann if ann.exists() else txt,
                "brat",
                text_path=txt if txt.exists() else None,
                explicit=False,
            )
    for name in names:
        file = root / name
        suffix = file.suffix.lower()
        if brat and (suffix in (".txt", ".ann") or name in BRAT_CONFIG):
            continue
        if _is_export_sidecar(name):
            yield ImportUnit(file, None, "skipped: the loss report or provenance of an export")
            continue
        if format is not None and format != "brat":
            if suffix in EXTENSIONS_OF[format]:
                yield ImportUnit(file, format, explicit=False)
            else:
                wanted = ", ".join(sorted(EXTENSIONS_OF[format]))
                yield ImportUnit(file, None, f"skipped: not a {format} file ({wanted})")
        elif suffix in BY_EXTENSION and suffix != ".ann":
            yield ImportUnit(file, BY_EXTENSION[suffix], explicit=False)
        else:
            what = f"{suffix} files" if suffix else "files without an extension"
            yield ImportUnit(file, None, f"skipped: claimmark does not import {what}")


def _file_unit(path: Path, format: str | None) -> ImportUnit:
    suffix = path.suffix.lower()
    kind = format or BY_EXTENSION.get(suffix)
    if kind == "brat":
        txt = path.with_suffix(".txt") if suffix == ".ann" else path
        ann = path.with_suffix(".ann") if suffix != ".ann" else path
        return ImportUnit(ann if ann.exists() else path, "brat", text_path=txt)
    return ImportUnit(path, kind)


SUPPORTED = (
    ".txt, .jsonl (claimmark or doccano), .json (Label Studio), .conll/.iob/.iob2/.bio,"
    " .spacy and brat folders"
)


def import_paths(
    project: Project,
    paths: Iterable[Path],
    *,
    annotator: str,
    encoding: str = "utf-8",
    max_line_bytes: int = DEFAULT_MAX_LINE_BYTES,
    on_file: Callable[[FileResult], None] | None = None,
    format: str | None = None,
    text_key: str | None = None,
    doccano_offsets: str = UTF16,
    conll_columns: tuple[int, int] | None = None,
) -> ImportSummary:
    """Import files and folders; ``format`` forces a reader instead of detecting one.

    ``annotator`` performs the import: spans that name no annotator go to their layer.
    ``text_key`` names the key of a Label Studio task's ``data`` that holds the text;
    ``doccano_offsets`` how doccano files count (``utf16``, as doccano does, or ``codepoints``);
    ``conll_columns`` the 1-based (token, tag) columns of CoNLL files (default: detected).
    """
    if format is not None and format not in FORMATS:
        raise ValueError(f"unknown format {format!r}; use one of {', '.join(FORMATS)}")
    if doccano_offsets not in OFFSET_UNITS:
        raise ValueError(f"unknown offset unit {doccano_offsets!r}; use one of {OFFSET_UNITS}")
    options = _Options(
        annotator, encoding, max_line_bytes, format, text_key, doccano_offsets, conll_columns
    )
    summary = ImportSummary()
    for unit in import_units(paths, format):
        result = FileResult(str(unit.path))
        if unit.skip_reason:
            result.warnings.append(Problem(str(unit.path), None, unit.skip_reason))
        else:
            _import_unit(project, unit, result, options)
        summary.files.append(result)
        if on_file is not None:
            on_file(result)
    return summary


@dataclass(frozen=True)
class _Options:
    annotator: str
    encoding: str = "utf-8"
    max_line_bytes: int = DEFAULT_MAX_LINE_BYTES
    format: str | None = None
    text_key: str | None = None
    doccano_offsets: str = UTF16
    conll_columns: tuple[int, int] | None = None


def import_file(
    project: Project,
    path: Path,
    result: FileResult,
    *,
    annotator: str,
    encoding: str = "utf-8",
    max_line_bytes: int = DEFAULT_MAX_LINE_BYTES,
    format: str | None = None,
    text_key: str | None = None,
    doccano_offsets: str = UTF16,
) -> None:
    """Import one file (or the brat pair it belongs to) into ``result``."""
    options = _Options(annotator, encoding, max_line_bytes, format, text_key, doccano_offsets)
    _import_unit(project, _file_unit(path, format), result, options)


def _import_unit(project: Project, unit: ImportUnit, result: FileResult, options: _Options) -> None:
    path = unit.path
    parsed = _parse(unit, options)
    if isinstance(parsed, str):  # found in a folder, and not for us after all
        result.warnings.append(Problem(str(path), None, parsed))
        return
    result.warnings.extend(parsed.warnings)
    if parsed.problems:
        result.problems.extend(parsed.problems)
        return
    documents, new_labels = _with_label_keys(project, parsed, result, unit.format)
    if result.problems:
        return
    new_attributes, replaced_attributes = _new_attribute_definitions(
        project, parsed, result, new_labels
    )
    if result.problems:
        return
    documents = _without_duplicate_spans(documents, result, options.annotator)
    if unit.format not in NATIVE_FORMATS:
        documents = _with_free_ids(project, documents, result)
    new_types, replaced_types = _new_relation_types(project, parsed, result)
    try:
        with project.batch():
            for label in new_labels:
                project.label_store.insert(label, annotator=options.annotator)
            result.new_labels = [label.key for label in new_labels]
            for definition in new_attributes:
                project.attribute_store.insert(definition, annotator=options.annotator)
            for definition in replaced_attributes:
                fields = definition.as_json()
                del fields["label"], fields["name"]
                project.schema.change_attribute(
                    definition.label, definition.name, annotator=options.annotator, **fields
                )
            for relation_type in replaced_types:
                project.schema.change_relation_type(
                    relation_type.key,
                    annotator=options.annotator,
                    name=relation_type.name,
                    color=relation_type.color,
                    description=relation_type.description,
                    from_labels=relation_type.from_labels,
                    to_labels=relation_type.to_labels,
                )
            for line, relation_type in new_types:
                try:
                    project.relation_type_store.insert(relation_type, annotator=options.annotator)
                except ClaimmarkError as exc:
                    raise FileRefused([Problem(str(path), line, str(exc))]) from exc
            for line, document in documents:
                try:
                    document_id, imported = project.import_document(
                        document, annotator=options.annotator
                    )
                except RelationRefused as exc:
                    where = line if exc.line is None else exc.line
                    raise FileRefused([Problem(str(path), where, str(exc))]) from exc
                except ClaimmarkError as exc:
                    raise FileRefused([Problem(str(path), line, str(exc))]) from exc
                if imported:
                    result.imported.append(document_id)
                else:
                    result.skipped.append(document_id)
                    result.warnings.append(
                        Problem(
                            str(path),
                            line,
                            f"skipped: same text already in project as {document_id!r}",
                        )
                    )
    except FileRefused as exc:
        result.problems.extend(exc.problems)
        result.imported.clear()
        result.skipped.clear()
        result.new_labels.clear()
    except ClaimmarkError as exc:
        result.problems.append(Problem(str(path), None, str(exc)))
        result.imported.clear()
        result.skipped.clear()
        result.new_labels.clear()


#: Formats whose document ids are claimmark's own; elsewhere an id is only a file name or a
#: task number, and gives way when the project already uses it for another text.
NATIVE_FORMATS = {"jsonl", "txt"}


def _parse(unit: ImportUnit, options: _Options) -> ParsedFile | str:
    path, kind = unit.path, unit.format
    if kind != "brat" and not path.exists():
        return _refused(path, "no such file or folder")
    if kind is None:
        return _refused(path, f"unsupported file type; claimmark imports {SUPPORTED}")
    for named in (path, unit.text_path):
        reason = _not_a_regular_file(named) if named is not None else None
        if named is not None and reason:
            return _refused(named, reason)
    encoding = options.encoding
    try:
        if kind == "brat":
            ann = path if path.suffix.lower() == ".ann" and path.exists() else None
            if ann is None and (unit.text_path is None or not unit.text_path.exists()):
                return _refused(path, "no such file or folder")
            return read_brat(unit.text_path, ann, encoding=encoding)
        if kind == "txt":
            parsed = read_txt(path, encoding=encoding)
            if path.with_suffix(".ann").exists() and options.format is None:
                parsed.warnings.append(
                    Problem(
                        str(path),
                        None,
                        f"{path.with_suffix('.ann').name} next to it was not read; import the"
                        " folder or use --format brat to import the annotations",
                    )
                )
            return parsed
        if kind == "jsonl" and options.format is None:
            check_encoding(encoding)
            sniffed = jsonl_format(path, encoding, options.max_line_bytes)
            if isinstance(sniffed, Problem):
                parsed = ParsedFile()
                parsed.problems.append(sniffed)
                return parsed
            kind = sniffed
        if kind == "jsonl":
            return read_jsonl(path, encoding=encoding, max_line_bytes=options.max_line_bytes)
        if kind == "doccano":
            return read_doccano(
                path,
                encoding=encoding,
                max_line_bytes=options.max_line_bytes,
                offsets=options.doccano_offsets,
            )
        if kind == "labelstudio":
            try:
                return read_labelstudio(path, encoding=encoding, text_key=options.text_key)
            except NotLabelStudio as exc:
                if options.format == "labelstudio":
                    return _refused(path, str(exc))
                if not unit.explicit:
                    return f"skipped: JSON file that is {exc}"
                return _refused(
                    path, f"unsupported file type: {exc}; claimmark imports {SUPPORTED}"
                )
        if kind == "conll":
            return read_conll(path, encoding=encoding, columns=options.conll_columns)
        return read_spacy(path)
    except DecodeProblem as exc:
        return _refused(path, str(exc))
    except OSError as exc:
        return _refused(path, f"cannot read: {exc.strerror or exc}")


def _refused(path: Path, message: str) -> ParsedFile:
    parsed = ParsedFile()
    parsed.problems.append(Problem(str(path), None, message))
    return parsed


def _with_label_keys(
    project: Project, parsed: ParsedFile, result: FileResult, kind: str | None
) -> tuple[list[tuple[int, NewDocument]], list[Label]]:
    """Label names from other tools ("PER", "人名") as keys; never two names as one label."""
    lines: dict[str, int] = {}  # each name and the line of its first use
    for line, document in parsed.documents:
        for span in document.spans:
            if span.label not in lines:
                lines[span.label] = line
    native = kind in NATIVE_FORMATS
    plan = plan_labels(lines.items(), project.labels(), native=native)
    if plan.problems:  # planned again over every use, so each line that collides is named
        names = (
            (span.label, line) for line, document in parsed.documents for span in document.spans
        )
        plan = plan_labels(names, project.labels(), native=native)
    plan.problems.extend(_definition_conflicts(project, parsed))
    result.problems.extend(Problem(result.path, line, m) for line, m in plan.problems)
    result.warnings.extend(Problem(result.path, line, m) for line, m in plan.warnings)
    if plan.problems:
        return [], []
    for label in plan.new:
        if label.source_name:
            result.warnings.append(
                Problem(
                    result.path,
                    lines[label.source_name],
                    f"label {label.source_name!r} stored as key {label.key!r}",
                )
            )
    if parsed.labels:  # claimmark JSONL's label definitions: keep the names that came in
        defined = {label.key: label for _, label in parsed.labels}
        plan.new = [
            replace(defined[label.key], color=defined[label.key].color or label.color)
            if label.key in defined
            else label
            for label in plan.new
        ]
    # Attribute definitions a foreign reader made name labels as the file does.
    parsed.attributes = [
        (line, replace(d, label=plan.keys.get(d.label, d.label))) for line, d in parsed.attributes
    ]
    renamed = {name: key for name, key in plan.keys.items() if name != key}
    if not renamed:
        return list(parsed.documents), plan.new
    documents = []
    for line, document in parsed.documents:
        if any(span.label in renamed for span in document.spans):
            spans = [span._replace(label=plan.keys[span.label]) for span in document.spans]
            document = replace(document, spans=spans)
        documents.append((line, document))
    return documents, plan.new


def _untouched_and_empty(project: Project, existing: object, defaults: Iterable[object]) -> bool:
    """Whether the project holds no documents and ``existing`` is still claimmark's default:
    then a file's own definition (an export of a project whose schema was edited) replaces it,
    so that importing an export into a new project gives the project back. A definition someone
    set, or one data already depends on, is never replaced by an import."""
    return existing in list(defaults) and project.document_count() == 0


def _new_attribute_definitions(
    project: Project, parsed: ParsedFile, result: FileResult, new_labels: list[Label]
) -> tuple[list[AttributeDefinition], list[AttributeDefinition]]:
    """The file's attribute definitions the project lacks, and those that replace an untouched
    default of a project without documents; one the project defines otherwise is refused (two
    meanings for one attribute), and one for a label neither has is skipped.

    The export leaves out claimmark's default definitions, so a default one the file's spans
    use is added when the project (one made before attributes existed, say) lacks it.
    """
    replaced: list[AttributeDefinition] = []
    known = {(d.label, d.name): d for d in project.attribute_definitions()}
    labels = {label.key for label in project.labels()} | {label.key for label in new_labels}
    new: list[AttributeDefinition] = []
    used = {
        (span.label, name): line
        for line, document in parsed.documents
        for span in document.spans
        if span.attributes
        for name in span.attributes
    }
    wanted = list(parsed.attributes)
    if used:
        given = {(d.label, d.name) for _, d in parsed.attributes}
        wanted += [
            (used[(d.label, d.name)], d)
            for d in default_attributes()
            if (d.label, d.name) in used and (d.label, d.name) not in given | set(known)
        ]
    for line, definition in wanted:
        existing = known.get((definition.label, definition.name))
        where = f"attribute {definition.name!r} of label {definition.label!r}"
        if existing is not None:
            # A guess from a format without attribute types (brat) gives way to the project's
            # definition, which then checks the values.
            if existing == definition or parsed.guessed_attributes:
                continue
            if _untouched_and_empty(project, existing, default_attributes()):
                result.warnings.append(
                    Problem(
                        result.path,
                        line,
                        f"{where}: the file's rule ({definition.rule}) replaces claimmark's"
                        " default, as the project has no documents yet",
                    )
                )
                replaced.append(definition)
            else:
                result.problems.append(
                    Problem(
                        result.path,
                        line,
                        f"{where} is defined differently in the project"
                        f" ({existing.kind}; {existing.rule}) than in the file"
                        f" ({definition.kind}; {definition.rule})",
                    )
                )
        elif definition.label not in labels:
            result.warnings.append(
                Problem(result.path, line, f"{where} skipped: no such label in the file or project")
            )
        else:
            known[(definition.label, definition.name)] = definition
            new.append(definition)
    return new, replaced


def _new_relation_types(
    project: Project, parsed: ParsedFile, result: FileResult
) -> tuple[list[tuple[int, RelationType]], list[RelationType]]:
    """The relation types the file defines that the project lacks, and those whose rule, name,
    colour and description replace an untouched default of a project without documents. Any
    other type the project has keeps the project's rule (a warning says when the file's
    differs); a hotkey the project uses for another type is left off."""
    known = {t.key: t for t in project.relation_types()}
    hotkeys = {t.hotkey for t in known.values() if t.hotkey}
    new = []
    replaced: list[RelationType] = []
    for line, relation_type in parsed.relation_types:
        existing = known.get(relation_type.key)
        if existing is not None:
            # A file that gives no rule (brat's types) says nothing against the project's.
            ruled = relation_type.from_labels or relation_type.to_labels
            kept = (existing.name, existing.color, existing.description)
            given = (relation_type.name, relation_type.color, relation_type.description)
            rule_differs = (existing.from_labels, existing.to_labels) != (
                relation_type.from_labels,
                relation_type.to_labels,
            )
            if (
                ruled
                and (rule_differs or kept != given)
                and _untouched_and_empty(project, existing, default_relation_types())
            ):
                result.warnings.append(
                    Problem(
                        result.path,
                        line,
                        f"relation type {relation_type.key!r}: the file's"
                        f" ({relation_type.rule!r}) replaces claimmark's default, as the"
                        " project has no documents yet",
                    )
                )
                replaced.append(relation_type)
            elif ruled and rule_differs:
                result.warnings.append(
                    Problem(
                        result.path,
                        line,
                        f"relation type {relation_type.key!r}: the file says"
                        f" {relation_type.rule!r}, the project {existing.rule!r};"
                        " the project's rule is kept",
                    )
                )
            continue
        if relation_type.hotkey in hotkeys:
            relation_type = replace(relation_type, hotkey=None)
        if relation_type.hotkey:
            hotkeys.add(relation_type.hotkey)
        known[relation_type.key] = relation_type
        new.append((line, relation_type))
    return new, replaced


def _definition_conflicts(project: Project, parsed: ParsedFile) -> list[tuple[int, str]]:
    """A label definition that would give a project label another source name, or a source name
    another key: two names as one label (or one name as two), refused naming both."""
    conflicts = []
    labels = project.labels()
    by_key = {label.key: label for label in labels}
    # Keyed by the optional source name, so a file label without one looks up nothing.
    by_source: dict[str | None, Label] = {
        label.source_name: label for label in labels if label.source_name
    }
    for line, label in parsed.labels:
        existing = by_key.get(label.key)
        if existing is not None and existing.source_name != label.source_name:
            shown = existing.source_name or existing.name
            conflicts.append(
                (
                    line,
                    f"label {label.key!r} stands for {label.source_name!r} in the file but for"
                    f" {shown!r} in the project: two different names, one label",
                )
            )
        other = by_source.get(label.source_name)
        if other is not None and other.key != label.key:
            conflicts.append(
                (
                    line,
                    f"label {label.source_name!r} is label {label.key!r} in the file but"
                    f" {other.key!r} in the project",
                )
            )
    return conflicts


def _without_duplicate_spans(
    documents: list[tuple[int, NewDocument]], result: FileResult, importer: str
) -> list[tuple[int, NewDocument]]:
    """Each exact repeat of a span (same document, annotator, label and offsets) dropped, with a
    warning naming its line: the project holds such a span once, and refusing the whole file
    for a repeat (what the unique index alone would do) helps nobody."""
    out = []
    for line, document in documents:
        if len({span[:3] for span in document.spans}) == len(document.spans):
            out.append((line, document))  # no two share offsets and label: nothing repeated
            continue
        seen: dict[tuple, NewSpan] = {}
        kept = []
        #: A dropped repeat's id -> the kept span's, so relations naming it still find it.
        same: dict[str, str] = {}
        for span in document.spans:
            key = (span.annotator or importer, span.label, span.start, span.end)
            first = seen.setdefault(key, span)
            if first is span:
                kept.append(span)
                continue
            if span.id is not None and first.id is not None:
                same[span.id] = first.id
            result.duplicate_spans += 1
            lost = (
                f"; its note {span.note!r} was not kept"
                if span.note and span.note != first.note
                else ""
            )
            result.warnings.append(
                Problem(
                    result.path,
                    line,
                    f"duplicate span skipped: {span.label} {span.start}-{span.end} by"
                    f" {key[0]} is already in this document{lost}",
                )
            )
        if len(kept) != len(document.spans):
            relations = [
                r._replace(
                    from_span=same.get(r.from_span, r.from_span),
                    to_span=same.get(r.to_span, r.to_span),
                )
                for r in document.relations
            ]
            document = replace(document, spans=kept, relations=relations)
        out.append((line, document))
    return out


def _with_free_ids(
    project: Project, documents: list[tuple[int, NewDocument]], result: FileResult
) -> list[tuple[int, NewDocument]]:
    """Drop a borrowed id (a brat file name, a task number) that already names another text.

    Two brat folders both holding ``1.txt`` are common; the second must not be refused for it.
    The document then gets claimmark's usual id (from its text's hash), with a warning.
    """
    taken: dict[str, str] = {}
    out = []
    for line, document in documents:
        sha = text_sha256(document.text)
        if (doc_id := document.id) is not None:
            other = taken.get(doc_id)
            if other is None and project.has_document(doc_id):
                other = project.document(doc_id).sha256
            if other is not None and other != sha:
                result.warnings.append(
                    Problem(
                        result.path,
                        line,
                        f"document id {document.id!r} is already used by another text;"
                        " stored under an id made from its text",
                    )
                )
                document = replace(document, id=None)
            else:
                taken[doc_id] = sha
        out.append((line, document))
    return out
