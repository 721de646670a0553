"""A feed for several input partitions whose uninterrupted run is still computable offline.

The reliability suite's oracle (``tests/reliability/reference.py``) needs each dyad's stance
events to reach the risk agent in article order.  With several input partitions served by
several workers that holds when every article of input partition *p* speaks only of dyads
whose stance events land on stance partition *p*, and its id lands on *p* too: each stance
partition is then fed by one input partition, in order, whoever processes it and however
often a failure makes it repeat.  :func:`misplaced_events` checks it on the reference.
"""

from __future__ import annotations

from streams.contracts import StanceEvent
from tests.reliability.harness import COOPERATIVE, HOSTILE, MINUTES_PER_ARTICLE, PAIRS, TOPICS, article
from tests.reliability.reference import partition_of

#: Dyad codes of the country pairs the analyzer resolves (``tests.reliability.harness.PAIRS``).
CODES = {"Russia": "RUS", "the United States": "USA", "Ukraine": "UKR", "Poland": "POL",
         "China": "CHN", "Japan": "JPN", "Iran": "IRN", "Israel": "ISR", "India": "IND",
         "Pakistan": "PAK", "Turkey": "TUR", "Greece": "GRC", "North Korea": "PRK",
         "South Korea": "KOR", "France": "FRA", "Germany": "DEU"}


def dyad_of(pair: tuple[str, str]) -> str:
    return "|".join(sorted(CODES[name] for name in pair))


def pairs_by_partition(partitions: int) -> dict[int, list[int]]:
    """Indexes into ``PAIRS`` by the stance partition of their dyad."""
    groups: dict[int, list[int]] = {p: [] for p in range(partitions)}
    for k, pair in enumerate(PAIRS):
        groups[partition_of(dyad_of(pair), partitions)].append(k)
    return groups


def _id_on(partition: int, partitions: int, i: int, prefix: str) -> str:
    """The first ``prefix-i-n`` that Kafka's default partitioner puts on ``partition``."""
    for n in range(10_000):
        candidate = f"{prefix}-{i}-{n}"
        if partition_of(candidate, partitions) == partition:
            return candidate
    raise AssertionError(f"no id of article {i} lands on partition {partition}")


def feed(n: int, partitions: int, prefix: str = "fo") -> list[bytes]:
    """``n`` articles, round robin over the input partitions that have dyads of their own.

    Event times rise with the article number; each dyad turns hostile for three days in
    every nine (as in the reliability corpus), so the risk agent raises and resolves alerts.
    """
    groups = {p: ks for p, ks in pairs_by_partition(partitions).items() if ks}
    order = sorted(groups)
    lines = []
    for i in range(n):
        p = order[i % len(order)]
        ks = groups[p]
        day = i * MINUTES_PER_ARTICLE // 1440
        sentences = []
        for j in (0, 1):
            k = ks[(i // len(order) + j) % len(ks)]
            a, b = PAIRS[k]
            verbs = HOSTILE if (day // 3 + k) % 3 == 0 else COOPERATIVE
            sentences.append(f"{a} {verbs[(i + j) % len(verbs)]} {b} over "
                             f"{TOPICS[(i * 7 + j) % len(TOPICS)]} on day {i}{j}.")
        lines.append(article(i, prefix=prefix, id=_id_on(p, partitions, i, prefix),
                             body=" ".join(sentences)))
    return lines


def misplaced_events(events: list[StanceEvent], partitions: int) -> list[str]:
    """Stance events whose dyad's partition is not their article's: the oracle needs none."""
    return [e.event_id for e in events
            if partition_of(e.dyad, partitions) != partition_of(e.article_id, partitions)]
