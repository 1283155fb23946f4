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


def whole_clusters(doc: Any) -> Any:
    """``doc`` with tokens that end inside a grapheme cluster merged with the next one."""
    text = doc.text
    if text.isascii():
        return doc
    import regex

    boundaries = {m.end() for m in regex.finditer(r"\X", text)}
    runs: list[tuple[int, int]] = []
    for token in doc[1:]:
        previous = doc[token.i - 1]
        if previous.whitespace_ or token.idx in boundaries:
            continue
        if runs and runs[-1][1] == token.i:
            runs[-1] = (runs[-1][0], token.i + 1)
        else:
            runs.append((token.i - 1, token.i + 1))
    if runs:
        with doc.retokenize() as retokenizer:
            for start, end in runs:
                retokenizer.merge(doc[start:end])
    return doc
