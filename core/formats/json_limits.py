"""Parsing untrusted JSON with bounds: nesting depth, number size, no NaN or Infinity.

Python's parser raises ``RecursionError`` on a value nested some thousand levels deep and
``ValueError`` on an integer of more than 4,300 digits, neither of which says where; ``1e999``
quietly becomes infinity, which cannot be stored as JSON again. ``load_json`` turns each into a
``json.JSONDecodeError`` the readers already report as ``file:line: invalid JSON ...``, so one
bad line is a clear error and the rest of the run goes on. Free-form values that are stored as
they are (a document's ``meta``) are also held to ``MAX_DEPTH`` levels by ``depth_problem``.
"""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Iterable
from typing import Any

#: Nesting kept in a stored value (``meta``): far more than any real metadata needs.
MAX_DEPTH = 64


class _Refused(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _refuse_constant(name: str) -> None:
    raise _Refused(f"{name} is not valid JSON (RFC 8259 has no NaN or Infinity)")


def _finite_float(text: str) -> float:
    value = float(text)
    if math.isinf(value):
        raise _Refused(f"the number {text[:20]}{'…' * (len(text) > 20)} is too large")
    return value


_CONTAINERS = (dict, list)
#: One decoder for every line: ``json.loads`` with hooks builds a new one per call.
_DECODER = json.JSONDecoder(parse_constant=_refuse_constant, parse_float=_finite_float)


def load_json(text: str) -> Any:
    """``json.loads`` for untrusted text; every refusal is a ``json.JSONDecodeError``."""
    if text.startswith("\ufeff"):  # as json.loads says it
        raise json.JSONDecodeError("Unexpected UTF-8 BOM (decode using utf-8-sig)", text, 0)
    try:
        return _DECODER.decode(text)
    except _Refused as exc:
        raise json.JSONDecodeError(exc.message, text, 0) from None
    except RecursionError:
        raise json.JSONDecodeError(
            f"nested too deeply (claimmark keeps at most {MAX_DEPTH} levels)", text, 0
        ) from None
    except json.JSONDecodeError:
        raise
    except ValueError:  # int(): "Exceeds the limit (4300 digits) for integer string conversion"
        digits = sys.get_int_max_str_digits()
        raise json.JSONDecodeError(f"a number has more than {digits:,} digits", text, 0) from None


def depth_problem(value: Any, what: str) -> str | None:
    """Why ``value`` may not be stored (nested deeper than ``MAX_DEPTH``), or None."""
    if type(value) is dict and not any(type(v) in _CONTAINERS for v in value.values()):
        return None  # the usual metadata: one level of plain values (no walk, no stack)
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        children: Iterable[Any]
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > MAX_DEPTH:
            return f"{what} is nested deeper than {MAX_DEPTH} levels"
        stack.extend((child, depth + 1) for child in children)
    return None
