"""Span ids: UUIDs whose leading bits are a timestamp (UUID version 7, RFC 9562).

Random version-4 ids land all over the primary-key index, so every insert touches another page;
time-ordered ids are appended, which made a 100,000-span import markedly faster. The remaining 74
bits are random, so ids stay unguessable and unique across annotators and machines.
"""

from __future__ import annotations

import os
import time


def new_span_id() -> str:
    """xxxxxxxx-xxxx-7xxx-Vxxx-xxxxxxxxxxxx: 48-bit milliseconds, version 7, variant 10, random."""
    stamp = f"{(time.time_ns() // 1_000_000) & 0xFFFFFFFFFFFF:012x}"
    rand = os.urandom(10).hex()
    variant = "89ab"[int(rand[3], 16) & 3]
    return f"{stamp[:8]}-{stamp[8:]}-7{rand[:3]}-{variant}{rand[4:7]}-{rand[7:19]}"
