"""The spaCy ``Doc`` a token-based export writes for one document.

Two sources of tokens, in this order:

* the tokens the document came with: a CoNLL or spaCy import stores them in the document's meta
  as ``token_offsets`` ([start, end) code points). Re-using them means a CoNLL file imported and
  exported again has the same tokens, so scores against the original gold still line up;
* otherwise ``spacy.blank(lang)``'s tokenizer, with tokens that split a grapheme cluster (an emoji
  ZWJ sequence, a flag, a skin-tone modifier, a tag sequence) merged back: a lone ZWJ or half a
  flag is not a token anyone annotates (UAX #29 clusters, from ``regex``'s ``\\X``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from ..formats.token_meta import TOKEN_OFFSETS_KEY
from ..model import Document

IMPORTED = "imported"
TOKENIZER = "tokenizer"


@dataclass(frozen=True, slots=True)
class TokenDoc:
    doc: Any
    #: Where the tokens come from: ``IMPORTED`` (the document's own) or ``TOKENIZER``.
    source: str


def token_doc(nlp: Any, document: Document) -> TokenDoc:
    stored = stored_tokens(document)
    if stored is not None:
        doc = doc_from_offsets(nlp, document.text, stored)
        if doc is not None:
            return TokenDoc(doc, IMPORTED)
    return TokenDoc(whole_clusters(nlp.make_doc(document.text)), TOKENIZER)


def stored_tokens(document: Document) -> list[tuple[int, int]] | None:
    """The document's own tokens, if its meta holds a usable list of them.

    Usable: increasing, non-empty, inside the text, no whitespace in a token, only whitespace
    between tokens. Anything else (a hand-edited meta) is ignored, not trusted.
    """
    raw = document.meta.get(TOKEN_OFFSETS_KEY) if isinstance(document.meta, dict) else None
    if not isinstance(raw, list) or not raw:
        return None
    text = document.text
    tokens, at = [], 0
    for item in raw:
        if (
            not isinstance(item, list | tuple)
            or len(item) != 2
            or not all(type(v) is int for v in item)
        ):
            return None
        start, end = item
        if not at <= start < end <= len(text):
            return None
        if text[at:start].strip() or any(c.isspace() for c in text[start:end]):
            return None
        tokens.append((start, end))
        at = end
    if text[at:].strip():
        return None
    return tokens


def doc_from_offsets(nlp: Any, text: str, tokens: list[tuple[int, int]]) -> Any | None:
    """A Doc whose text is ``text`` and whose non-whitespace tokens are exactly ``tokens``."""
    from spacy.tokens import Doc

    words: list[str] = []
    spaces: list[bool] = []

    def gap(between: str) -> None:
        if not between:
            return
        if between[0] == " " and words and not spaces[-1]:
            spaces[-1] = True
            between = between[1:]
        if between:
            words.append(between)
            spaces.append(False)

    at = 0
    for start, end in tokens:
        gap(text[at:start])
        words.append(text[start:end])
        spaces.append(False)
        at = end
    gap(text[at:])
    try:
        doc = Doc(nlp.vocab, words=words, spaces=spaces)
    except ValueError:
        return None
    return doc if doc.text == text else None


@cache
def _patterns() -> tuple[Any, Any, Any]:
    """A grapheme cluster (UAX #29); a character that joins the one after it into its cluster
    (Prepend); punctuation and spaces that are not pictographs, which start a cluster unless a
    Prepend character comes before them (quotes and dashes beside words are most seams of news
    text). Compiled on first use: ``regex`` is not needed before an export."""
    import regex

    return (
        regex.compile(r"\X"),
        regex.compile(r"\p{Grapheme_Cluster_Break=Prepend}"),
        regex.compile(r"(?V1)[[\p{P}\p{Z}]--\p{Extended_Pictographic}]"),
    )


def whole_clusters(doc: Any) -> Any:
    """``doc`` with tokens that start inside a grapheme cluster merged with the one before.

    Only tokens that touch the one before them (no space between) and have a non-ASCII
    character or a CR LF at that seam are looked at, each from the nearest earlier place a
    cluster surely starts: walking every cluster of every document took a third of the spaCy
    export.
    """
    text = doc.text
    if text.isascii():
        return doc
    from spacy.attrs import IDX, SPACY

    _, prepend, starts_a_cluster = _patterns()
    columns = doc.to_array([IDX, SPACY])
    touching = (columns[:-1, 1] == 0).nonzero()[0] + 1
    seams = []
    for i in touching.tolist():
        at = int(columns[i, 0])
        ch = text[at]
        # Only CR LF joins two ASCII characters, and only a Prepend character joins what follows
        # it to an ASCII character, a punctuation mark or a space.
        if ((ch < "\x80" and ch != "\n") or starts_a_cluster.match(ch)) and (
            text[at - 1] < "\x80" or not prepend.match(text, at - 1)
        ):
            continue
        seams.append((at, i))
    inside = _inside_clusters(text, [at for at, _ in seams])
    runs: list[tuple[int, int]] = []
    for at, i in seams:
        if at not in inside:
            continue
        if runs and runs[-1][1] == i:
            runs[-1] = (runs[-1][0], i + 1)
        else:
            runs.append((i - 1, i + 1))
    if runs:
        with doc.retokenize() as retokenizer:
            for start, end in runs:
                retokenizer.merge(doc[start:end])
    return doc


def _inside_clusters(text: str, offsets: list[int]) -> set[int]:
    """Which of ``offsets`` (increasing) lie strictly inside a grapheme cluster (UAX #29)."""
    cluster, prepend, _ = _patterns()

    def starts_a_cluster(at: int) -> bool:
        ch = text[at]
        return (
            ch < "\x80"
            and not (ch == "\n" and text[at - 1] == "\r")
            and not prepend.match(text, at - 1)
        )

    inside: set[int] = set()
    known = 0  # a cluster boundary at or before every offset still to come
    for at in offsets:
        if at <= known:
            continue
        begin = at - 1
        while begin > known and not starts_a_cluster(begin):
            begin -= 1
        for found in cluster.finditer(text, pos=begin):
            if found.end() >= at:
                if found.end() > at:
                    inside.add(at)
                    known = found.start()
                else:
                    known = at
                break
    return inside
