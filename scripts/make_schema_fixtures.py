"""Write project files as the installed claimmark makes them, to keep as schema-upgrade fixtures.

Fixtures are history: once a release's files are committed under
``tests/core/fixtures/schema_v<N>/`` they are never regenerated, because a later claimmark must
keep opening the files that release really wrote, not what the later code would write. So this
script refuses to overwrite a fixture; run it once per schema version, with the release that
writes that version checked out and installed:

    python scripts/make_schema_fixtures.py            # writes tests/core/fixtures/schema_v<N>/
    python scripts/make_schema_fixtures.py OUT_DIR    # anywhere else (tests run it this way)

The v1 files were written by claimmark 0.1 at commit 7e560ed (the last one with schema v1).

Each file is a small project that a careful user could have: documents with CRLF, emoji and
right-to-left text, spans by several annotators (one only ever seen through an import), every kind
of span event (created, relabelled, resized, noted, updated, deleted, restored), statuses set and
cleared, a label added to the default schema, notes, and document metadata. The WAL is
checkpointed and the file vacuumed so that a fixture is one small self-contained file.
"""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

from claimmark.core.defaults import open_project
from claimmark.core.model import Label, LabelKey
from claimmark.core.project import NewDocument, NewSpan, Project
from claimmark.core.schema import SCHEMA_VERSION

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "core" / "fixtures"

ARTICLE = (
    "Officials said 12 civilians died in the strike.\r\n"
    "The ministry denied the report on Tuesday. 👨🏻\u200d🚒 قال المتحدث إن الهجوم فشل\r\n"
    "A spokesman, quoted by Reuters, said the figure was exaggerated."
)
SECOND = "Rebels claimed they shot down a helicopter.\nThe army said no aircraft was lost."


def _at(text: str, piece: str, after: int = 0) -> tuple[int, int]:
    start = text.index(piece, after)
    return start, start + len(piece)


def make_rich(path: Path) -> None:
    """Several annotators, every kind of span event, statuses set and cleared, an added label."""
    with Project.open(path, created_by="alice") as project:
        project.add_label(
            Label(LabelKey("rumour"), "Rumour", "#aa7700", "5", "Unverified hearsay."),
            annotator="alice",
        )
        doc, _ = project.import_document(
            NewDocument(
                text=ARTICLE,
                title="Strike toll disputed",
                id="strike-1",
                source="wire/strike-1.txt",
                meta={"outlet": "Wire", "lang": ["en", "ar"], "page": 3},
                imported_at="2026-11-30T09:00:00.000000Z",
            ),
            annotator="alice",
        )
        claim = project.add_span(
            doc, "claim", *_at(ARTICLE, "Officials said 12 civilians died"), annotator="alice"
        )
        casualty = project.add_span(
            doc, "casualty_report", *_at(ARTICLE, "12 civilians died"), annotator="alice"
        )
        project.set_note(
            casualty.created[0].id, "Figure from the health office.", annotator="alice"
        )
        project.relabel_span(claim.created[0].id, "attribution", annotator="alice")
        project.resize_span(claim.created[0].id, *_at(ARTICLE, "Officials said"), annotator="alice")
        denial = project.add_span(
            doc, "denial", *_at(ARTICLE, "The ministry denied the report"), annotator="alice"
        )
        project.update_span(
            denial.created[0].id, label="rumour", note="alice: unsure", annotator="alice"
        )
        arabic = project.add_span(
            doc, "claim", *_at(ARTICLE, "قال المتحدث إن الهجوم فشل"), annotator="alice"
        )
        deleted = project.delete_span(arabic.created[0].id, annotator="alice")
        project.revert(deleted)  # span_restored
        project.set_status(doc, "in_progress", annotator="alice")
        project.add_span(
            doc, "claim", *_at(ARTICLE, "the figure was exaggerated"), note="bob", annotator="bob"
        )
        gone = project.add_span(doc, "denial", *_at(ARTICLE, "denied"), annotator="bob")
        project.delete_span(gone.created[0].id, annotator="bob")
        project.set_status(doc, "done", annotator="bob")
        project.set_status(doc, "in_progress", annotator="bob")
        project.set_status(doc, None, annotator="bob")

        # carol never opened the project: her spans and status arrive with an import.
        second, _ = project.import_document(
            NewDocument(
                text=SECOND,
                title="Helicopter claim",
                id="heli-2",
                source="export/heli.jsonl",
                spans=[
                    NewSpan(0, 6, "attribution", annotator="carol", note="the rebels"),
                    NewSpan(7, 42, "claim", annotator="carol", created_at="2026-11-29T10:00:00Z"),
                    NewSpan(44, 79, "denial", annotator="alice"),
                ],
                statuses={"carol": "done", "alice": "in_progress"},
            ),
            annotator="alice",
        )
        project.set_status(second, "done", annotator="alice")


def make_default(path: Path) -> None:
    """The per-user default project as first use creates it (the sample article), lightly used."""
    with open_project(path, "dana", is_default=True) as project:
        [document] = project.documents("alice")
        text = project.document(document.id).text
        start = next(i for i, c in enumerate(text) if c.isalpha())
        project.add_span(document.id, "claim", start, start + 8, annotator="alice")
        project.set_status(document.id, "in_progress", annotator="alice")


def make_empty(path: Path) -> None:
    """A project created and never used: only the default labels and their events."""
    Project.open(path, created_by="erin").close()


MAKERS = {"rich.db": make_rich, "default.db": make_default, "empty.db": make_empty}


def _compact(path: Path) -> None:
    """One self-contained file: WAL folded in, free pages dropped (journal mode stays WAL)."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.execute("VACUUM")
    conn.close()
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def make_fixtures(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    existing = [folder / name for name in MAKERS if (folder / name).exists()]
    if existing:
        raise SystemExit(f"refusing to overwrite fixtures: {', '.join(map(str, existing))}")
    written = []
    for name, make in MAKERS.items():
        path = folder / name
        make(path)
        _compact(path)
        written.append(path)
    return written


def main(argv: list[str]) -> None:
    folder = Path(argv[0]) if argv else FIXTURES / f"schema_v{SCHEMA_VERSION}"
    for path in make_fixtures(folder):
        print(f"{path} ({path.stat().st_size:,} bytes, schema v{SCHEMA_VERSION})")


if __name__ == "__main__":
    main(sys.argv[1:])
