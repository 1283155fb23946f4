"""Hypothesis text made of the pieces where Qt positions and Python code points disagree.

Shared by the offset tests with and without Qt, so both explore the same hostile text.
"""

from hypothesis import strategies as st

PIECES = [
    "👨🏻\u200d🚒",
    "😀",
    "\U0001f1fa\U0001f1f8",  # flag: two regional indicators
    "\U0010ffff",
    "\u200d",
    "\r\n",
    "\r",
    "\n",
    "\u2028",
    "\u2029",
    "\u00a0",
    "e\u0301",
    "שלום",
    "مرحبا",
    "\ufeff",
    "a",
    " ",
]


def hostile_texts(max_pieces: int) -> st.SearchStrategy[str]:
    """Texts of up to ``max_pieces`` pieces (or any non-surrogate character), maybe BOM-led."""
    return st.builds(
        lambda bom, parts: ("\ufeff" if bom else "") + "".join(parts),
        st.booleans(),
        st.lists(
            st.sampled_from(PIECES) | st.characters(exclude_categories=["Cs"]), max_size=max_pieces
        ),
    )
