"""Similarity signatures for near-duplicate detection.

Wire stories are republished by many outlets with small edits (a byline, a
dateline, a trimmed last paragraph).  A 64-bit SimHash over word shingles
maps such copies to signatures a few bits apart, so syndicated copies can be
collapsed by Hamming distance without keeping the texts.
"""

from __future__ import annotations

import hashlib
import re

import numpy as np

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
    shingles = _shingles(normalise(text), shingle_size)
    if not shingles:
        return f"{0:016x}"
    digests = b"".join(hashlib.blake2b(s.encode(), digest_size=8).digest() for s in shingles)
    # One row of 64 bits per shingle, most significant first (the digest is
    # read big-endian); a signature bit is set where most shingles set it.
    bits = np.unpackbits(np.frombuffer(digests, dtype=np.uint8).reshape(-1, 8), axis=1)
    majority = 2 * bits.sum(axis=0, dtype=np.int64) > len(shingles)
    return np.packbits(majority).tobytes().hex()


def hamming(a: str, b: str) -> int:
    """Number of differing bits between two hex signatures."""
    return (int(a, 16) ^ int(b, 16)).bit_count()
