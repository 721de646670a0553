"""Similarity signatures for near-duplicate detection.

Wire stories are republished by many outlets with small edits (a byline, a
dateline, a trimmed last paragraph).  A 64-bit SimHash over word shingles
maps such copies to signatures a few bits apart, so syndicated copies can be
collapsed by Hamming distance without keeping the texts.
"""

from __future__ import annotations

import hashlib
import re

_WORD = re.compile(r"\w+", re.UNICODE)
SIGNATURE_BITS = 64


def normalise(text: str) -> list[str]:
    """Lower-cased word tokens: punctuation, case and spacing don't matter."""
    return _WORD.findall(text.casefold())


def _shingles(words: list[str], size: int) -> list[str]:
    if len(words) < size:
        return [" ".join(words)] if words else []
    return [" ".join(words[i : i + size]) for i in range(len(words) - size + 1)]


def simhash64(text: str, shingle_size: int = 3) -> str:
    """64-bit SimHash of ``text`` as 16 hex digits (stable across processes).

    Uses blake2b rather than ``hash()`` so the value never depends on
    ``PYTHONHASHSEED``: offline runs and workers must agree.
    """
    counts = [0] * SIGNATURE_BITS
    for shingle in _shingles(normalise(text), shingle_size):
        h = int.from_bytes(hashlib.blake2b(shingle.encode(), digest_size=8).digest(), "big")
        for bit in range(SIGNATURE_BITS):
            counts[bit] += 1 if (h >> bit) & 1 else -1
    value = 0
    for bit, count in enumerate(counts):
        if count > 0:
            value |= 1 << bit
    return f"{value:016x}"


def hamming(a: str, b: str) -> int:
    """Number of differing bits between two hex signatures."""
    return (int(a, 16) ^ int(b, 16)).bit_count()
