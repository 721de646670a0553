"""The worker's counters, from its ``/metrics``: how ``streams run`` and ``streams tail``
know what became of the articles sent (a duplicate has no output of its own)."""

from __future__ import annotations

import re

#: Final outcomes of an input message in ``streams_articles_total`` (re-keyed is not final).
_FINAL_OUTCOMES = ("enriched", "dead_letter", "duplicate", "skipped")
_OUTCOME = re.compile(r'^streams_articles_total\{[^}]*outcome="([^"]*)"[^}]*\} (\S+)')


def _local_host(host: str) -> str:
    return "127.0.0.1" if host in ("", "0.0.0.0", "::") else host


def worker_counts(port: int, host: str = "127.0.0.1", timeout: float = 2.0) -> dict[str, float] | None:
    """``streams_articles_total`` by outcome, read from a worker's ``/metrics``.

    ``None`` when no worker answers there.
    """
    import urllib.request

    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback: no proxy
    try:
        with opener.open(f"http://{_local_host(host)}:{port}/metrics", timeout=timeout) as response:
            text = response.read().decode("utf-8", "replace")
    except (OSError, ValueError):
        return None
    counts: dict[str, float] = {}
    for line in text.splitlines():
        if match := _OUTCOME.match(line):
            counts[match[1]] = counts.get(match[1], 0.0) + float(match[2])
    return counts


def _count(counts: dict[str, float] | None, *outcomes: str) -> int:
    return int(sum((counts or {}).get(o, 0.0) for o in outcomes))
