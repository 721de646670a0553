"""Near-duplicate matching: which remembered story does a new event repeat?

Two events of a dyad are near-duplicates when their 64-bit SimHash
signatures differ in at most ``near_duplicate_max_hamming`` bits and their
event times are within ``near_duplicate_window``.  Groups are the connected
components of that relation (an event matching two groups merges them), so
the grouping does not depend on arrival order.

Finding candidates without scanning every group uses the classic SimHash
band index: split the 64 bits into ``h + 1`` bands; two signatures at
Hamming distance <= ``h`` agree exactly on at least one band (pigeonhole).
"""

from __future__ import annotations

from functools import cache, lru_cache
from itertools import pairwise

from streams.risk.state import Cluster, DyadState

SIGNATURE_BITS = 64


@cache
def _bands(max_hamming: int) -> tuple[tuple[int, int], ...]:
    """``(shift, mask)`` of each band for a given Hamming tolerance."""
    count = max_hamming + 1
    bounds = [SIGNATURE_BITS * i // count for i in range(count + 1)]
    return tuple((lo, (1 << (hi - lo)) - 1) for lo, hi in pairwise(bounds))


@lru_cache(maxsize=1 << 16)
def band_keys(signature: int, max_hamming: int) -> tuple[int, ...]:
    """Index keys of a signature: band number and band value in one int."""
    return tuple(
        (i << SIGNATURE_BITS) | ((signature >> shift) & mask)
        for i, (shift, mask) in enumerate(_bands(max_hamming))
    )


def build_index(clusters: dict[str, Cluster], max_hamming: int) -> dict[int, set[str]]:
    index: dict[int, set[str]] = {}
    for key, cluster in clusters.items():
        index_add(index, key, cluster, max_hamming)
    return index


def index_add(index: dict[int, set[str]], key: str, cluster: Cluster, max_hamming: int) -> None:
    for sig, _, _ in cluster.signatures:
        for band in band_keys(sig, max_hamming):
            index.setdefault(band, set()).add(key)


def index_remove(index: dict[int, set[str]], key: str, cluster: Cluster, max_hamming: int) -> None:
    for sig, _, _ in cluster.signatures:
        for band in band_keys(sig, max_hamming):
            keys = index.get(band)
            if keys is not None:
                keys.discard(key)
                if not keys:
                    del index[band]


def ensure_index(state: DyadState, max_hamming: int) -> dict[int, set[str]]:
    """The state's signature index, rebuilt if it was handed on or never built."""
    if state.index is None:
        state.index = build_index(state.clusters, max_hamming)
    return state.index


def matching_clusters(
    state: DyadState, signature: int, time: float, window: float, max_hamming: int
) -> list[str]:
    """Keys of the groups that an event with ``signature`` at ``time`` repeats."""
    index = ensure_index(state, max_hamming)
    candidates: set[str] = set()
    for band in band_keys(signature, max_hamming):
        keys = index.get(band)
        if keys:
            candidates.update(keys)
    matches = []
    for key in candidates:
        cluster = state.clusters[key]
        for sig, first, last in cluster.signatures:
            if first - window <= time <= last + window and ((sig ^ signature).bit_count() <= max_hamming):
                matches.append(key)
                break
    matches.sort()
    return matches


def hamming(a: str, b: str) -> int:
    """Differing bits between two hex signatures."""
    return (int(a, 16) ^ int(b, 16)).bit_count()


def merge_runs(runs: list[tuple[int, float, float]], window: float) -> list[tuple[int, float, float]]:
    """Merge ``(signature, first, last)`` runs of one group.

    Runs of the same signature whose gap is at most ``2 * window`` (their
    match intervals touch) become one; the result does not depend on the
    order of ``runs``.  Sorted latest first.
    """
    merged: list[tuple[int, float, float]] = []
    for sig, first, last in sorted(runs):
        if merged and merged[-1][0] == sig and first - merged[-1][2] <= 2 * window:
            _, lo, hi = merged[-1]
            merged[-1] = (sig, lo, max(hi, last))
        else:
            merged.append((sig, first, last))
    merged.sort(key=lambda run: (-run[2], run[0], run[1]))
    return merged
