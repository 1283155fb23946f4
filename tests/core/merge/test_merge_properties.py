"""Merge laws over small random projects: the order of files does not matter, a file merged twice
adds nothing, and the merged project's history always proves its contents."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.core.merge.builders import (
    TEXTS,
    DocSpec,
    ProjectSpec,
    SpanSpec,
    build,
    merge,
    state,
)
from tests.core.merge.builders import verify as verify_cli

ANNOTATORS = ("alice", "bob")
LABELS = ("claim", "denial", "casualty_report", "attribution")
#: The default relation types: key, labels it may start from, labels it may point to.
RELATION_TYPES = (
    ("attributed_to", ("claim", "denial", "casualty_report"), ("attribution",)),
    ("denies", ("denial",), ("claim",)),
)


@st.composite
def projects(draw, parity: int) -> ProjectSpec:
    """A few documents (ids and texts from small pools, so files share texts and clash on
    ids), spans starting at even (``parity`` 0) or odd offsets, so two files never hold the
    same span under two ids, and statuses set by hand."""
    chosen = draw(st.lists(st.sampled_from(TEXTS), min_size=1, max_size=3, unique=True))
    ids = draw(
        st.lists(
            st.sampled_from(("d1", "d2", "d3")),
            min_size=len(chosen),
            max_size=len(chosen),
            unique=True,
        )
    )
    documents = []
    for document_id, text in zip(ids, chosen, strict=True):
        spans = []
        for _ in range(draw(st.integers(0, 5))):
            start = draw(st.integers(0, (len(text) - 3) // 2)) * 2 + parity
            end = draw(st.integers(start + 1, min(len(text), start + 8)))
            spans.append(
                SpanSpec(
                    draw(st.sampled_from(ANNOTATORS)),
                    draw(st.sampled_from(LABELS)),
                    start,
                    end,
                    draw(st.sampled_from((None, "note"))),
                )
            )
        statuses = draw(
            st.lists(
                st.tuples(
                    st.sampled_from(ANNOTATORS), st.sampled_from((None, "in_progress", "done"))
                ),
                max_size=2,
                unique_by=lambda pair: pair[0],
            )
        )
        kept = tuple({(s.annotator, s.label, s.start, s.end): s for s in spans}.values())
        links = [
            (i, j, kind)
            for i, first in enumerate(kept)
            for j, second in enumerate(kept)
            for kind, sources, targets in RELATION_TYPES
            if i != j
            and first.annotator == second.annotator
            and first.label in sources
            and second.label in targets
        ]
        chosen_links = (
            draw(st.lists(st.sampled_from(links), unique=True, max_size=2)) if links else []
        )
        documents.append(DocSpec(document_id, text, kept, tuple(statuses), tuple(chosen_links)))
    return ProjectSpec(tuple(documents))


def _pair(folder: Path, a: ProjectSpec, b: ProjectSpec, fork: bool) -> tuple[Path, Path]:
    """Two files; with ``fork``, the second is a copy of the first, worked on further (shared
    span ids with the same content, statuses changed in one copy)."""
    first = build(folder / "a.db", a, created_by="alice")
    second = folder / "b.db"
    if fork:
        shutil.copy(first, second)
    build(second, b, created_by="bob")
    return first, second


def _ok(result) -> None:
    assert result.exit_code == 0, result.output


@settings(max_examples=25, deadline=None)
@given(a=projects(0), b=projects(1), fork=st.booleans())
def test_merge_order_does_not_matter_and_history_verifies(a, b, fork):
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        first, second = _pair(folder, a, b, fork)
        ab, ba = folder / "ab.db", folder / "ba.db"
        _ok(merge(ab, first, second))
        _ok(merge(ba, second, first))
        assert state(ab) == state(ba)
        for team in (ab, ba):
            _ok(verify_cli(team))
        # Every span and relation of both files arrived; every status is one a file holds.
        merged = state(ab)
        for what in ("spans", "relations"):
            assert merged[what].keys() == state(first)[what].keys() | state(second)[what].keys()
        for key, status in merged["statuses"].items():
            assert status in (state(first)["statuses"].get(key), state(second)["statuses"].get(key))


@settings(max_examples=25, deadline=None)
@given(a=projects(0), b=projects(1), fork=st.booleans())
def test_merging_the_same_files_again_adds_nothing(a, b, fork):
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        first, second = _pair(folder, a, b, fork)
        team = folder / "team.db"
        _ok(merge(team, first, second))
        once = state(team)
        again = merge(team, second, first)
        _ok(again)
        assert "0 new document(s), 0 span(s) added, 0 status(es) added or changed" in again.stdout
        assert state(team) == once
        _ok(verify_cli(team))
        # merge(A, A) == A: a file merged into its own copy brings nothing
        copy = folder / "copy.db"
        shutil.copy(first, copy)
        _ok(merge(copy, first))
        assert state(copy) == state(first)
