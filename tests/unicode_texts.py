"""Hypothesis text made of the pieces where Qt positions and Python code points disagree.

Shared by the offset tests with and without Qt and by the JSONL round trip, so all of them
explore the same hostile text.
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
    "\t",
    "news",
    "Ä",
    "👩\u200d👩\u200d👧",  # family: ZWJ sequence of three
    "👍🏽",
    "\U0001f1fa\U0001f1e6",
    "𝔘𝔫𝔦",  # mathematical letters: astral, but not emoji
    "\U00010348",
    "a\u0308\u0323",  # two combining marks
    "מִלְחָמָה",  # Hebrew with points
    "مروحية",
    "\u202bRTL\u202c",  # embedding controls
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
