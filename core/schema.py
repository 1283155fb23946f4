"""The project file's schema, as sqlite-utils migrations.

Applied steps are never edited: a schema change is a new ``m00N_...`` step appended to ``STEPS``,
and ``SCHEMA_VERSION`` (mirrored in ``PRAGMA user_version``) is simply how many steps exist. The
steps are plain SQL, applied by ``apply_steps`` with the standard library alone: importing
sqlite-utils pulls in pandas when that is installed, which made creating a project take a second.
``apply_steps`` keeps sqlite-utils' own record of applied steps (the same ``_sqlite_migrations``
table and rows its ``Migrations`` writes; a test holds the two to it), so ``migration_set()`` and
``sqlite-utils migrate`` see a claimmark file as fully migrated.
Rules the data must never break are also enforced here, in SQLite itself, so that a bug in
Python code or a hand edit in ``sqlite-utils`` cannot silently bend a span: CHECK constraints,
and triggers that keep document text immutable, keep an updated span's text equal to the
document's characters at its offsets (an inserted span must lie inside its document; see
``_M002``), and keep the event log append-only. (JSON columns are checked in
Python: with ``trusted_schema`` off, SQLite refuses ``json_valid`` inside a schema.)
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database
    from sqlite_utils.migrations import Migrations

#: Written into the SQLite header so a claimmark project is recognisable before anything else runs
#: (the bytes spell "CMK1").
APPLICATION_ID = 0x434D4B31

#: The table sqlite-utils keeps its record of applied steps in; its DDL is sqlite-utils' own.
MIGRATIONS_TABLE = "_sqlite_migrations"

_M001 = (
    """
    CREATE TABLE documents (
        id TEXT PRIMARY KEY,
        title TEXT NOT NULL,
        text TEXT NOT NULL CHECK (length(text) > 0),
        sha256 TEXT NOT NULL UNIQUE,
        source TEXT,
        meta TEXT NOT NULL DEFAULT '{}',
        imported_at TEXT NOT NULL,
        length INTEGER NOT NULL
    ) STRICT;
    """,
    """
    CREATE TABLE labels (
        key TEXT PRIMARY KEY CHECK (key GLOB '[a-z]*' AND NOT key GLOB '*[^a-z0-9_]*'),
        name TEXT NOT NULL,
        color TEXT NOT NULL
            CHECK (length(color) = 7 AND color GLOB '#*'
                   AND NOT substr(color, 2) GLOB '*[^0-9a-fA-F]*'),
        hotkey TEXT UNIQUE,
        description TEXT NOT NULL DEFAULT '',
        position INTEGER NOT NULL
    ) STRICT;
    """,
    """
    CREATE TABLE annotators (
        name TEXT PRIMARY KEY CHECK (length(name) > 0),
        created_at TEXT NOT NULL
    ) STRICT;
    """,
    """
    CREATE TABLE spans (
        id TEXT PRIMARY KEY,
        document_id TEXT NOT NULL REFERENCES documents(id),
        label TEXT NOT NULL REFERENCES labels(key) ON UPDATE RESTRICT,
        start INTEGER NOT NULL CHECK (start >= 0),
        "end" INTEGER NOT NULL CHECK ("end" > start),
        text TEXT NOT NULL CHECK (length(text) = "end" - start),
        annotator TEXT NOT NULL REFERENCES annotators(name),
        note TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        -- One index does two jobs: refuses exact duplicates, and serves one annotator's spans of a
        -- document in text order (Project.span_extents) without a sort.
        UNIQUE (document_id, annotator, start, "end", label)
    ) STRICT;
    """,
    """
    CREATE TABLE document_status (
        document_id TEXT NOT NULL REFERENCES documents(id),
        annotator TEXT NOT NULL REFERENCES annotators(name),
        status TEXT NOT NULL CHECK (status IN ('in_progress', 'done')),
        updated_at TEXT NOT NULL,
        PRIMARY KEY (document_id, annotator)
    ) STRICT;
    """,
    """
    CREATE TABLE events (
        seq INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        annotator TEXT NOT NULL,
        kind TEXT NOT NULL,
        document_id TEXT,
        doc_sha256 TEXT,
        subject TEXT,
        before TEXT,
        after TEXT,
        app_version TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL UNIQUE
    ) STRICT;
    """,
    """
    CREATE INDEX events_by_document ON events (document_id);
    """,
    """
    CREATE TRIGGER documents_text_is_immutable
    BEFORE UPDATE OF id, text, sha256 ON documents
    BEGIN
        SELECT RAISE(ABORT, 'document text never changes after import');
    END;
    """,
    """
    CREATE TRIGGER span_text_matches_document_on_insert
    BEFORE INSERT ON spans
    WHEN NOT EXISTS (
        SELECT 1 FROM documents d
        WHERE d.id = NEW.document_id AND NEW."end" <= d.length
          AND substr(d.text, NEW.start + 1, NEW."end" - NEW.start) = NEW.text
    )
    BEGIN
        SELECT RAISE(ABORT, 'span text does not match the document at its offsets');
    END;
    """,
    """
    CREATE TRIGGER span_text_matches_document_on_update
    BEFORE UPDATE OF document_id, start, "end", text ON spans
    WHEN NOT EXISTS (
        SELECT 1 FROM documents d
        WHERE d.id = NEW.document_id AND NEW."end" <= d.length
          AND substr(d.text, NEW.start + 1, NEW."end" - NEW.start) = NEW.text
    )
    BEGIN
        SELECT RAISE(ABORT, 'span text does not match the document at its offsets');
    END;
    """,
    """
    CREATE TRIGGER events_refuse_update BEFORE UPDATE ON events
    BEGIN
        SELECT RAISE(ABORT, 'the event log is append-only');
    END;
    """,
    """
    CREATE TRIGGER events_refuse_delete BEFORE DELETE ON events
    BEGIN
        SELECT RAISE(ABORT, 'the event log is append-only');
    END;
    """,
    """
    CREATE VIEW span_view AS
    SELECT s.id, s.document_id, d.title AS document_title, s.label, l.name AS label_name,
           s.start, s."end", s.text, s.annotator, s.note, s.created_at, s.updated_at
    FROM spans s
    JOIN documents d ON d.id = s.document_id
    JOIN labels l ON l.key = s.label;
    """,
)

#: A span insert no longer compares its text with the document in SQL: ``substr`` walks UTF-8
#: from the first character, so on a 2M-character document every insert read up to 6 MB and an
#: import of its 20,000 spans took 15 times the bare loader. Inserts are checked in Python in the
#: same transaction (an inserted span's text is always sliced from the document's text there),
#: and in SQL only that the span lies inside its document, through an index holding each
#: document's length: a cost that does not grow with the document. Updates keep the full check
#: (one span at a time, and the hand edit the guard is for). ``audit verify`` compares every
#: span's text with its document.
_M002 = (
    """
    DROP TRIGGER span_text_matches_document_on_insert;
    """,
    """
    CREATE INDEX documents_length ON documents (id, length);
    """,
    """
    CREATE TRIGGER span_inside_document_on_insert
    BEFORE INSERT ON spans
    WHEN NOT EXISTS (
        SELECT 1 FROM documents AS d INDEXED BY documents_length
        WHERE d.id = NEW.document_id AND NEW."end" <= d.length
    )
    BEGIN
        SELECT RAISE(ABORT, 'span offsets lie outside the document');
    END;
    """,
)


#: A random UUID (version 4), in SQL so that an upgraded file gets one inside the upgrade.
_NEW_UUID = (
    "lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2)"
    " || '-' || substr('89ab', 1 + abs(random() % 4), 1) || substr(hex(randomblob(2)), 2)"
    " || '-' || hex(randomblob(6)))"
)

#: Every project knows which project it is, so that a restore can tell a backup of this project
#: from another project's file. Made when the file is created (or, for a file from before this
#: step, when it is upgraded: its creation time is then its first event's) and never changed; a
#: copy of the file is the same project.
_M003 = (
    """
    CREATE TABLE project (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        uuid TEXT NOT NULL CHECK (length(uuid) = 36),
        created_at TEXT NOT NULL
    ) STRICT;
    """,
    f"""
    INSERT INTO project (id, uuid, created_at)
    VALUES (1, {_NEW_UUID}, coalesce((SELECT at FROM events ORDER BY seq LIMIT 1),
                                     strftime('%Y-%m-%dT%H:%M:%f000Z', 'now')));
    """,
    """
    CREATE TRIGGER project_identity_never_changes BEFORE UPDATE ON project
    BEGIN
        SELECT RAISE(ABORT, 'a project''s identity never changes');
    END;
    """,
    """
    CREATE TRIGGER project_identity_is_kept BEFORE DELETE ON project
    BEGIN
        SELECT RAISE(ABORT, 'a project''s identity never changes');
    END;
    """,
)

# The name a label had in the file it was imported from ("PER", "人名", "Merge-org"), when that is
# not a valid key: exports to formats that carry label names write it back unchanged.
_M004 = (
    """
    ALTER TABLE labels ADD COLUMN source_name TEXT CHECK (length(source_name) > 0);
    """,
    """
    CREATE UNIQUE INDEX labels_by_source_name ON labels (source_name);
    """,
)


_M005 = (
    # Layers are named in data: a person's own layer, the adjudicated gold, or a machine's.
    """
    ALTER TABLE annotators ADD COLUMN kind TEXT NOT NULL DEFAULT 'person'
        CHECK (kind IN ('person', 'gold', 'machine'));
    """,
    # The events of one transaction share an operation (the seq of its first event); an undo or
    # redo names the operation it reverts, so each person's undo history survives a restart.
    """
    ALTER TABLE events ADD COLUMN operation INTEGER;
    """,
    """
    ALTER TABLE events ADD COLUMN reverts INTEGER;
    """,
    """
    CREATE INDEX events_by_annotator ON events (annotator, seq);
    """,
)


#: Relations: typed, directed links between two spans of one document and one layer, and the
#: relation types of the schema. A relation is never updated (a new type is a delete and a
#: create, each audited); its two spans must be in its document and its layer, which a trigger
#: checks (the foreign keys alone would let a link join two layers). A span cannot leave its
#: layer or document while it is linked, and cannot be deleted (foreign key) before its links.
#: ``from_labels``/``to_labels`` are JSON lists of label keys (empty: any label), checked in
#: Python (``json_valid`` is refused inside a schema with ``trusted_schema`` off).
_M006 = (
    """
    CREATE TABLE relation_types (
        key TEXT PRIMARY KEY CHECK (key GLOB '[a-z]*' AND NOT key GLOB '*[^a-z0-9_]*'),
        name TEXT NOT NULL,
        color TEXT NOT NULL
            CHECK (length(color) = 7 AND color GLOB '#*'
                   AND NOT substr(color, 2) GLOB '*[^0-9a-fA-F]*'),
        hotkey TEXT UNIQUE,
        description TEXT NOT NULL DEFAULT '',
        from_labels TEXT NOT NULL DEFAULT '[]',
        to_labels TEXT NOT NULL DEFAULT '[]',
        position INTEGER NOT NULL,
        source_name TEXT UNIQUE CHECK (length(source_name) > 0)
    ) STRICT;
    """,
    """
    CREATE TABLE relations (
        id TEXT PRIMARY KEY,
        document_id TEXT NOT NULL REFERENCES documents(id),
        type TEXT NOT NULL REFERENCES relation_types(key) ON UPDATE RESTRICT,
        from_span TEXT NOT NULL REFERENCES spans(id),
        to_span TEXT NOT NULL REFERENCES spans(id),
        annotator TEXT NOT NULL REFERENCES annotators(name),
        created_at TEXT NOT NULL,
        CHECK (from_span <> to_span),
        UNIQUE (from_span, to_span, type)
    ) STRICT;
    """,
    """
    CREATE INDEX relations_by_to_span ON relations (to_span);
    """,
    """
    CREATE INDEX relations_by_layer ON relations (document_id, annotator);
    """,
    """
    CREATE TRIGGER relation_spans_in_its_document_and_layer
    BEFORE INSERT ON relations
    WHEN (SELECT count(*) FROM spans s
          WHERE s.id IN (NEW.from_span, NEW.to_span)
            AND s.document_id = NEW.document_id AND s.annotator = NEW.annotator) <> 2
    BEGIN
        SELECT RAISE(ABORT, 'a relation links two spans of its own document and layer');
    END;
    """,
    """
    CREATE TRIGGER relations_are_immutable BEFORE UPDATE ON relations
    BEGIN
        SELECT RAISE(ABORT, 'a relation never changes: delete it and create another');
    END;
    """,
    """
    CREATE TRIGGER linked_span_keeps_its_layer
    BEFORE UPDATE OF id, document_id, annotator ON spans
    WHEN EXISTS (SELECT 1 FROM relations r WHERE r.from_span = OLD.id)
      OR EXISTS (SELECT 1 FROM relations r WHERE r.to_span = OLD.id)
    BEGIN
        SELECT RAISE(ABORT, 'a linked span stays in its document and layer');
    END;
    """,
)


#: Attributes (typed values per label, e.g. a casualty report's ``killed``) and discontinuous
#: spans. A span keeps its ``start``/``end``/``text`` as the envelope of its fragments, so the
#: text guards above hold unchanged and every fragment's text is the document's at its offsets;
#: ``fragments`` is NULL for the usual one-piece span, else a JSON list of ``[start, end]`` pairs.
#: Both JSON columns are checked in Python (see the module docstring) and by ``audit verify``.
_M007 = (
    """
    ALTER TABLE spans ADD COLUMN fragments TEXT;
    """,
    """
    ALTER TABLE spans ADD COLUMN attributes TEXT NOT NULL DEFAULT '{}';
    """,
    """
    CREATE TABLE label_attributes (
        label TEXT NOT NULL REFERENCES labels(key) ON UPDATE RESTRICT,
        name TEXT NOT NULL CHECK (name GLOB '[a-z]*' AND NOT name GLOB '*[^a-z0-9_]*'),
        kind TEXT NOT NULL CHECK (kind IN ('integer', 'choice', 'boolean', 'text')),
        choices TEXT NOT NULL DEFAULT '[]',
        minimum INTEGER,
        maximum INTEGER,
        allow_range INTEGER NOT NULL DEFAULT 0 CHECK (allow_range IN (0, 1)),
        allow_unknown INTEGER NOT NULL DEFAULT 0 CHECK (allow_unknown IN (0, 1)),
        description TEXT NOT NULL DEFAULT '',
        position INTEGER NOT NULL,
        PRIMARY KEY (label, name)
    ) STRICT;
    """,
)


#: Every migration step in order: its name (as sqlite-utils records it) and its statements.
STEPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("m001_initial", _M001),
    ("m002_span_insert_checked_by_length", _M002),
    ("m003_project_identity", _M003),
    ("m004_label_source_name", _M004),
    ("m005_layers_and_operations", _M005),
    ("m006_relations", _M006),
    ("m007_span_attributes_and_fragments", _M007),
)

#: How many migration steps exist; kept in ``PRAGMA user_version``.
SCHEMA_VERSION = len(STEPS)


#: The record table exactly as sqlite-utils' ``Migrations.ensure_migrations_table`` creates it.
_MIGRATIONS_DDL = (
    f"""CREATE TABLE "{MIGRATIONS_TABLE}" (
   "id" INTEGER PRIMARY KEY,
   "migration_set" TEXT,
   "name" TEXT,
   "applied_at" TEXT
)""",
    f"""CREATE UNIQUE INDEX "idx_{MIGRATIONS_TABLE}_migration_set_name"
    ON "{MIGRATIONS_TABLE}" ("migration_set", "name")""",
)

#: The migration set's name in ``_sqlite_migrations``.
MIGRATION_SET = "claimmark"


def apply_steps(conn: sqlite3.Connection, version: int = SCHEMA_VERSION) -> None:
    """Apply the steps up to ``version`` that the file lacks, recording each as sqlite-utils does.

    The caller holds the write transaction: every step and its record commit together.
    """
    exists = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (MIGRATIONS_TABLE,)
    ).fetchone()
    if not exists:
        for statement in _MIGRATIONS_DDL:
            conn.execute(statement)
    applied = {
        name
        for (name,) in conn.execute(
            f'SELECT name FROM "{MIGRATIONS_TABLE}" WHERE migration_set = ?', (MIGRATION_SET,)
        )
    }
    for name, statements in STEPS[:version]:
        if name in applied:
            continue
        # One statement at a time: executescript() would COMMIT mid-migration.
        for statement in statements:
            conn.execute(statement)
        conn.execute(
            f'INSERT INTO "{MIGRATIONS_TABLE}" (migration_set, name, applied_at) VALUES (?, ?, ?)',
            (MIGRATION_SET, name, str(datetime.now(UTC))),
        )


def migration_set() -> Migrations:
    """``STEPS`` as sqlite-utils migrations: what ``apply_steps`` must stay equivalent to."""
    from sqlite_utils.migrations import Migrations

    migrations = Migrations(MIGRATION_SET)
    for name, statements in STEPS:

        def step(db: Database, statements: tuple[str, ...] = statements) -> None:
            # One statement at a time: executescript() would COMMIT mid-migration.
            for statement in statements:
                db.execute(statement)

        step.__name__ = name
        migrations(name=name)(step)
    return migrations
