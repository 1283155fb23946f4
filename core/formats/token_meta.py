"""Where an import keeps what a document came with, so exports can write it again.

``document.meta["token_offsets"]`` is a list of [start, end) code-point pairs, one per token,
in text order (whitespace between tokens is not a token). CoNLL and spaCy imports write it;
the CoNLL, Hugging Face and spaCy exports read it (``export.token_doc``).
"""

TOKEN_OFFSETS_KEY = "token_offsets"

#: What a spaCy import keeps that spans cannot hold: ``{"cats": doc.cats, "spans": [{"start",
#: "end", "label" (as in the file), "ents": bool, "groups": [keys], "kb_id"}]}``.
SPACY_META_KEY = "spacy"
