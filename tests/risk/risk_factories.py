"""Hand-made stance events for risk tests (no analyzer needed)."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

from streams.cameo import lookup
from streams.contracts.geo import StanceEvent

BASE = datetime(2024, 3, 1, tzinfo=UTC)


def digest(text: str, length: int = 16) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:length]


def event(
    n: int | str,
    *,
    hours: float = 0.0,
    code: str = "190",
    outlet: str = "alpha.example",
    source: str = "RUS",
    target: str = "UKR",
    confidence: float = 0.9,
    signature: str | None = None,
    event_id: str | None = None,
    sentence: str | None = None,
) -> StanceEvent:
    """Event ``n`` at ``BASE + hours``; distinct ``n`` give unrelated signatures."""
    entry = lookup(code)
    return StanceEvent(
        event_id=event_id or digest(f"event-{n}", 32),
        dyad="|".join(sorted((source, target))),
        source_code=source + "GOV",
        target_code=target + "GOV",
        source_country=source,
        target_country=target,
        cameo_code=entry.code,
        plover=entry.plover or "NONE",
        quad_class=entry.quad_class,
        goldstein=entry.goldstein,
        polarity=entry.polarity,
        confidence=confidence,
        event_time=BASE + timedelta(hours=hours),
        article_id=f"article-{n}",
        url=f"https://{outlet}/story/{n}",
        outlet=outlet,
        sentence=sentence or f"{source} acted against {target} ({entry.name}), report {n}.",
        signature=signature or digest(f"signature-{n}"),
    )


def flip_bits(signature: str, bits: int) -> str:
    """A signature ``bits`` bits away from ``signature`` (lowest bits flipped)."""
    return f"{int(signature, 16) ^ ((1 << bits) - 1):016x}"
