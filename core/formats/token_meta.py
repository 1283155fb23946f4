"""Where an import keeps the tokens a document came with, so exports can write them again.

``document.meta["token_offsets"]`` is a list of [start, end) code-point pairs, one per token,
in text order (whitespace between tokens is not a token). CoNLL and spaCy imports write it;
the CoNLL, Hugging Face and spaCy exports read it (``export.token_doc``).
"""

TOKEN_OFFSETS_KEY = "token_offsets"
