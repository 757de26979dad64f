"""Numbers written as text in an input file: plain ASCII decimals only.

Python's ``float()`` also takes other scripts' digits (``"١٢"`` is 12), underscores
(``"1_000"``), ``"inf"`` and ``"nan"``; a matrix cell, a weight on the command line or an
XMCDA ``<real>`` is read by :func:`plain_float` instead, so each of those is refused rather
than read as something the file did not say.
"""

from __future__ import annotations

import math
import re

#: A plain decimal number in ASCII, with an optional exponent.
PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)


def plain_float(text: str) -> float:
    """``text`` as a float if it is a plain ASCII decimal number (see :data:`PLAIN_NUMBER`),
    else NaN."""
    text = text.strip()
    return float(text) if PLAIN_NUMBER.fullmatch(text) else math.nan
