"""A project three annotators labelled, for the adjudication tests (core and GUI).

d1 (alice, bob, carol): all three mark "Officials said" (claim) and "The army denied it"
(denial); alice and bob mark "12 died" as casualty_report, carol as claim; carol alone marks
"The army denied" (denial) and "Reuters reported" (attribution).
d2 (alice, bob): both mark "Officials said" (claim).
d3 (alice alone): "Officials said" (claim).
"""

from __future__ import annotations

from pathlib import Path

from claimmark.core.project import NewDocument, Project

TEXT = "Officials said 12 died. The army denied it. Reuters reported the claim."
CURATOR = "dana"


def at(piece: str, text: str = TEXT) -> tuple[int, int]:
    start = text.index(piece)
    return start, start + len(piece)


#: document -> (annotator, piece, label)
LABELLED = {
    "d1": [
        *[(who, "Officials said", "claim") for who in ("alice", "bob", "carol")],
        *[(who, "The army denied it", "denial") for who in ("alice", "bob", "carol")],
        ("alice", "12 died", "casualty_report"),
        ("bob", "12 died", "casualty_report"),
        ("carol", "12 died", "claim"),
        ("carol", "The army denied", "denial"),
        ("carol", "Reuters reported", "attribution"),
    ],
    "d2": [("alice", "Officials said", "claim"), ("bob", "Officials said", "claim")],
    "d3": [("alice", "Officials said", "claim")],
}


def key(piece: str, label: str) -> tuple:
    """A one-piece candidate's key: offsets, label, no fragments."""
    return (*at(piece), label, None)


def make_team_project(path: Path | None) -> Project:
    """The project, open (``path`` None: in memory)."""
    project = Project.open(path, created_by="setup")
    for number, document_id in enumerate(LABELLED, start=1):
        project.import_document(
            NewDocument(text=f"{TEXT} ({number})", title=f"Article {number}", id=document_id),
            annotator="setup",
        )
        for who, piece, label in LABELLED[document_id]:
            project.add_span(document_id, label, *at(piece), annotator=who)
    return project
