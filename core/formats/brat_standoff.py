"""brat's standoff ``.ann`` lines, read into what they say and written back from it.

One line per annotation, its id's first letter naming the kind (brat's documentation, "standoff
format"; its parser is ``server/src/annotation.py``):

* ``T1<TAB>Type 0 5;12 20<TAB>text``: a text-bound annotation, fragments separated by ``;``,
  the text being the fragments' texts joined by one space;
* ``R1<TAB>Type Arg1:T1 Arg2:T2``: a binary relation;
* ``E1<TAB>Type:T3 Role:T1 Role2:E2``: an event, its trigger a text-bound annotation;
* ``A1<TAB>Name T1 [Value]`` (``M`` is the old spelling): an attribute, binary without a value;
* ``N1<TAB>Type T1 Db:Id<TAB>text``: a normalisation;
* ``#1<TAB>AnnotatorNotes T1<TAB>text``: a note;
* ``*<TAB>Equiv T1 T2 ...``: an equivalence.

This module knows the syntax only: whether a target exists, and what claimmark makes of each
kind, is the reader's business (``brat_reader``), and what claimmark writes the exporter's
(``export.brat``). Both sides use the same types, so a test can read an export back exactly as the
import would.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_FRAGMENT = re.compile(r"(\d+) (\d+)\Z")
#: brat's separator between the texts of a discontinuous annotation's fragments.
FRAGMENT_SEPARATOR = " "


@dataclass
class TextBound:
    id: str
    type: str
    fragments: list[tuple[int, int]]
    #: The text after the offsets (None when the line has none).
    text: str | None
    line: int = 0


@dataclass
class Relation:
    id: str
    type: str
    #: (role, target id) pairs: two for an ``R`` line (brat's roles are usually Arg1, Arg2).
    args: list[tuple[str, str]]
    line: int = 0


@dataclass
class Event:
    id: str
    type: str
    trigger: str
    args: list[tuple[str, str]]
    line: int = 0


@dataclass
class Attribute:
    id: str
    name: str
    target: str
    #: None for a binary attribute (present means true).
    value: str | None
    line: int = 0


@dataclass
class Normalization:
    id: str
    type: str
    target: str
    reference: str
    text: str
    line: int = 0


@dataclass
class Note:
    id: str
    type: str
    target: str
    text: str
    line: int = 0


@dataclass
class Equiv:
    type: str
    targets: list[str]
    line: int = 0


@dataclass
class Standoff:
    """Everything one ``.ann`` file says, in file order per kind."""

    textbounds: dict[str, TextBound] = field(default_factory=dict)
    relations: list[Relation] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    attributes: list[Attribute] = field(default_factory=list)
    normalizations: list[Normalization] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    equivs: list[Equiv] = field(default_factory=list)


class StandoffLineError(ValueError):
    """A line whose syntax is wrong; ``fatal`` for a text-bound one (its span would be lost)."""

    def __init__(self, line: int, message: str, *, fatal: bool):
        super().__init__(message)
        self.line = line
        self.fatal = fatal


def parse(ann: str) -> tuple[Standoff, list[StandoffLineError]]:
    """The annotations of an ``.ann`` file and the lines that could not be read.

    Lines are split on ``\\n`` only (a CR before it is dropped): brat's offsets count the
    ``.txt``'s CRs, but an ``.ann`` line never holds a line break.
    """
    standoff = Standoff()
    errors: list[StandoffLineError] = []
    for number, line in enumerate(ann.split("\n"), start=1):
        line = line.rstrip("\r")
        if not line.strip():
            continue
        try:
            _parse_line(standoff, number, line)
        except StandoffLineError as exc:
            errors.append(exc)
    return standoff, errors


def _parse_line(standoff: Standoff, number: int, line: str) -> None:
    ident, _, rest = line.partition("\t")
    middle, _, tail = rest.partition("\t")
    kind = ident[:1]

    def fail(message: str, *, fatal: bool = False) -> StandoffLineError:
        return StandoffLineError(number, f"{ident}: {message}", fatal=fatal)

    fields = middle.split()
    if kind == "T":
        if not fields:
            raise fail("expected 'ID<TAB>Label start end<TAB>text'", fatal=True)
        label, _, offsets = middle.strip().partition(" ")
        fragments = []
        for chunk in offsets.split(";"):
            match = _FRAGMENT.match(chunk.strip())
            if not match:
                raise fail(f"offsets {offsets!r} are not 'start end[;start end]'", fatal=True)
            fragments.append((int(match[1]), int(match[2])))
        text = rest.partition("\t")[2] if "\t" in rest else None
        if ident in standoff.textbounds:
            first = standoff.textbounds[ident].line
            raise fail(f"{ident} is defined twice (first on line {first})", fatal=True)
        standoff.textbounds[ident] = TextBound(ident, label, fragments, text, number)
        return
    if not fields:
        raise fail("no annotation after the id; not imported")
    if kind == "R":
        args = [_role(fail, f) for f in fields[1:]]
        if len(args) != 2:
            raise fail(f"a relation needs two arguments, got {len(args)}; not imported")
        standoff.relations.append(Relation(ident, fields[0], args, number))
    elif kind == "E":
        event_type, colon, trigger = fields[0].partition(":")
        if not colon or not trigger:
            raise fail(f"event {fields[0]!r} has no trigger (expected Type:T1); not imported")
        args = [_role(fail, f) for f in fields[1:]]
        standoff.events.append(Event(ident, event_type, trigger, args, number))
    elif kind in "AM":
        # brat reads 'Name Target Value' with the value running to the end (it may hold spaces).
        parts = middle.strip().split(" ", 2)
        if len(parts) < 2 or not all(parts):
            raise fail(f"expected 'Name Target [Value]', got {middle!r}; not imported")
        value = parts[2] if len(parts) == 3 else None
        standoff.attributes.append(Attribute(ident, parts[0], parts[1], value, number))
    elif kind == "N":
        if len(fields) != 3 or ":" not in fields[2]:
            raise fail(f"expected 'Type Target Db:Id', got {middle!r}; not imported")
        standoff.normalizations.append(
            Normalization(ident, fields[0], fields[1], fields[2], tail, number)
        )
    elif kind == "#":
        if len(fields) != 2:
            raise fail(f"expected 'Type Target', got {middle!r}; not imported")
        standoff.notes.append(Note(ident, fields[0], fields[1], tail.strip(), number))
    elif kind == "*":
        standoff.equivs.append(Equiv(fields[0], fields[1:], number))
    else:
        raise fail(f"unsupported brat annotation {middle!r}; not imported")


def _role(fail, item: str) -> tuple[str, str]:
    role, colon, target = item.partition(":")
    if not colon or not role or not target:
        raise fail(f"argument {item!r} is not 'Role:ID'; not imported")
    return role, target


def format_lines(standoff: Standoff) -> list[str]:
    """The ``.ann`` lines (each ending in ``\\n``) for ``standoff``, kinds in brat's usual order."""
    lines = []
    for t in standoff.textbounds.values():
        offsets = ";".join(f"{a} {b}" for a, b in t.fragments)
        lines.append(f"{t.id}\t{t.type} {offsets}\t{t.text or ''}\n")
    for r in standoff.relations:
        lines.append(f"{r.id}\t{r.type} {' '.join(f'{a}:{b}' for a, b in r.args)}\n")
    for e in standoff.events:
        args = "".join(f" {a}:{b}" for a, b in e.args)
        lines.append(f"{e.id}\t{e.type}:{e.trigger}{args}\n")
    for a in standoff.attributes:
        value = f" {a.value}" if a.value is not None else ""
        lines.append(f"{a.id}\t{a.name} {a.target}{value}\n")
    for n in standoff.normalizations:
        lines.append(f"{n.id}\t{n.type} {n.target} {n.reference}\t{n.text}\n")
    for q in standoff.equivs:
        lines.append(f"*\t{q.type} {' '.join(q.targets)}\n")
    for c in standoff.notes:
        lines.append(f"{c.id}\t{c.type} {c.target}\t{c.text}\n")
    return lines


def attribute_values(conf: str) -> dict[str, list[str]]:
    """The ``[attributes]`` section of an ``annotation.conf``: name -> its values (empty for a
    binary attribute). brat's syntax: ``Name<TAB>Arg:<ENTITY>, Value:Low|Medium|High``."""
    found: dict[str, list[str]] = {}
    section = None
    for line in conf.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1].strip()
            continue
        if section != "attributes":
            continue
        name, _, rest = line.replace("\t", " ").partition(" ")
        values: list[str] = []
        for part in rest.split(","):
            key, _, value = part.strip().partition(":")
            if key.strip() == "Value":
                values = [v.strip() for v in value.split("|") if v.strip()]
        found[name] = values
    return found
