"""CoNLL-2003 style NER, IOB2, as spaCy's ``conll_ner_to_docs`` converter reads it.

Layout: ``-DOCSTART- -X- O O`` and a blank line before each document; one token per line as
``TOKEN -X- _ TAG`` (the four CoNLL-2003 columns; spaCy reads the first as the word and the last
as the tag); a blank line after each sentence. Sentences are the document's lines as the
article view shows them: a whitespace token holding \\n, \\r, U+2028 or U+2029 ends one. Tokens
are the document's own (a CoNLL or spaCy import's) or else ``spacy.blank(lang)``'s with grapheme
clusters kept whole (``token_doc``), whitespace tokens left out. The document id is not in the
file: ``provenance.json`` lists the documents of each part in file order. Tags carry a label's
imported name (``B-PER``, ``B-人名``), so a CoNLL import exported again gives back its tags; a
name with whitespace inside cannot be a column and is written as the label's key.
"""

from __future__ import annotations

from itertools import groupby

from .context import ExportContext, ExportFormat
from .token_sequence import label_sequence
from .tokenising import blank_pipeline

DOCSTART = "-DOCSTART- -X- O O"


def tag_names(ctx: ExportContext) -> dict[str, str]:
    """Label key -> the name in its tags: the imported name unless whitespace would split it."""
    return {
        key: key if any(c.isspace() for c in name) else name
        for key, name in ctx.label_names().items()
    }


def write(ctx: ExportContext) -> None:
    nlp = blank_pipeline(ctx.options.lang)
    names = tag_names(ctx)
    for part in ctx.parts:
        with ctx.staging.text(ctx.staging.data_name(part, ".conll")) as out:
            for selected in ctx.documents(part):
                sequence = label_sequence(
                    ctx.token_doc(nlp, selected.document),
                    selected,
                    ctx.options.align,
                    ctx.losses,
                    lines_are_sentences=True,
                    whitespace_free_tokens=True,
                    names=names,
                )
                out.write(f"{DOCSTART}\n\n")
                pairs = zip(sequence.tokens, sequence.tags, strict=True)
                for _, sentence in groupby(pairs, key=lambda pair: pair[0].line):
                    out.writelines(f"{token.text} -X- _ {tag}\n" for token, tag in sentence)
                    out.write("\n")


FORMAT = ExportFormat(
    "conll",
    ".conll",
    write,
    needs_spacy=True,
    description="CoNLL-2003 IOB2 (TOKEN -X- _ TAG), -DOCSTART- between documents",
)
