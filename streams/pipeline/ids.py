"""Deterministic ids: the same input always yields the same id.

Ids are what make at-least-once delivery safe: a retried or replayed message
produces outputs with the ids it produced the first time, and consumers (and
our own dedup tables) collapse them.
"""

from __future__ import annotations

import hashlib


def stable_id(*parts: object, length: int = 32) -> str:
    """Hex digest of the parts, separated so ``("ab","c") != ("a","bc")``."""
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode("utf-8"))
    return digest.hexdigest()[:length]
