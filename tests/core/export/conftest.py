"""A project holding what exports find hard: emoji (ZWJ), CRLF, RTL text, overlaps, notes,
several annotators, spans off token boundaries and across line breaks, unsafe document ids."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

import pytest
from click.testing import CliRunner

from claimmark.core.cli import cli
from claimmark.core.project import NewDocument, NewSpan, Project

FIREMAN = "👨🏻\u200d🚒"  # man, skin tone, ZWJ, fire engine
FAMILY = "👩\u200d👩\u200d👧"

NEWS_TEXT = f"Officials said {FIREMAN} firemen died.\r\nThe ministry denied it.\r\n"
ARABIC_TEXT = "قال المتحدث إن ثلاثة جنود قتلوا.\nאמר הדובר: שלום לכולם"
EMOJI_TEXT = f"{FAMILY} fled; 👍🏽 Rebels claimed victory"
CRLF_TEXT = "Two soldiers were\r\nkilled today."
PLAIN_TEXT = "Nothing happened here."


def at(text: str, fragment: str, label: str, annotator: str, note: str | None = None) -> NewSpan:
    start = text.index(fragment)
    return NewSpan(start, start + len(fragment), label, annotator=annotator, note=note)


HOSTILE_DOCUMENTS = [
    NewDocument(
        text=NEWS_TEXT,
        title="News",
        id="news/1?x",
        spans=[
            at(NEWS_TEXT, f"Officials said {FIREMAN} firemen died", "claim", "alice"),
            at(NEWS_TEXT, "Officials", "attribution", "alice"),
            at(NEWS_TEXT, f"{FIREMAN} firemen died", "casualty_report", "alice"),
            at(NEWS_TEXT, "The ministry denied it", "denial", "alice", note="check\r\nsource"),
        ],
        statuses={"alice": "done"},
    ),
    NewDocument(
        text=ARABIC_TEXT,
        title="RTL",
        id="ar:2",
        spans=[
            at(ARABIC_TEXT, "المتحدث", "attribution", "alice"),
            at(ARABIC_TEXT, "ثلاثة جنود قتلوا", "casualty_report", "alice", note="٣"),
            at(ARABIC_TEXT, "שלום", "claim", "alice"),
        ],
        statuses={"alice": "in_progress"},
    ),
    NewDocument(
        text=EMOJI_TEXT,
        title="Emoji",
        id="emoji",
        spans=[
            at(EMOJI_TEXT, "ebels claimed", "claim", "alice"),  # starts inside a token
            at(EMOJI_TEXT, "Rebels claimed victory", "claim", "bob"),
            at(EMOJI_TEXT, FAMILY, "attribution", "bob"),
        ],
    ),
    NewDocument(
        text=CRLF_TEXT,
        title="CRLF",
        id="crlf",
        spans=[at(CRLF_TEXT, "Two soldiers were\r\nkilled", "casualty_report", "bob")],
        statuses={"bob": "done"},
    ),
    NewDocument(text=PLAIN_TEXT, title="Plain", id="plain"),
]


def build(path: Path | None, documents: Iterable[NewDocument]) -> Project:
    project = Project.open(path, created_by="alice")
    for document in documents:
        project.import_document(document, annotator="alice")
    return project


@pytest.fixture
def hostile_project() -> Iterable[Project]:
    project = build(None, HOSTILE_DOCUMENTS)
    yield project
    project.close()


@pytest.fixture
def hostile_db(tmp_path) -> Path:
    path = tmp_path / "hostile.claimmark.db"
    build(path, HOSTILE_DOCUMENTS).close()
    return path


@pytest.fixture
def many_db(tmp_path) -> Path:
    """Forty one-sentence documents, for splits."""
    path = tmp_path / "many.claimmark.db"
    documents = [
        NewDocument(
            text=f"Report {i}: rebels claimed town {i}.",
            title=f"r{i}",
            id=f"r{i:02d}",
            spans=[NewSpan(11, 25, "claim", annotator="alice")],
        )
        for i in range(40)
    ]
    build(path, documents).close()
    return path


def run_export(db: Path, *args: str):
    """Run ``claimmark export`` on a project file; returns click's result."""
    return CliRunner().invoke(cli, ["--project", str(db), "export", *args])


def read_losses(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


#: Document-level reasons for what a format has no place for at all (export/carried.py).
NOT_CARRIED = {"status_not_carried", "document_fields_not_carried", "span_fields_not_carried"}


def span_losses(report) -> dict[str, int]:
    """Losses by reason, without the not-carried fields every lossy format has."""
    return {r: n for r, n in report.losses_by_reason().items() if r not in NOT_CARRIED}


#: Loss reasons after which the span is not in the output at all.
DROPPING = {
    "not_token_aligned",
    "only_whitespace",
    "overlap",
    "overlap_not_in_ents",
    "crosses_line_break",
    "unwritable_token",
}


def expected_spans(
    project: Project, losses: list[dict], *, dropping=DROPPING, documents=None
) -> set[tuple]:
    """(document id, start, end, label) of every span the output must hold, as written."""
    dropped = {row["span_id"] for row in losses if row["reason"] in dropping}
    moved = {
        row["span_id"]: (row["written_start"], row["written_end"])
        for row in losses
        if row["reason"] == "boundaries_changed"
    }
    result = set()
    for span in project.spans():
        if span.id in dropped or (documents is not None and span.document_id not in documents):
            continue
        start, end = moved.get(span.id, (span.start, span.end))
        result.add((span.document_id, start, end, span.label))
    return result
