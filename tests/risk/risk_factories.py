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
    producer: str | None = None,
    source_role: str = "GOV",
    target_role: str = "GOV",
) -> StanceEvent:
    """Event ``n`` at ``BASE + hours``; distinct ``n`` give unrelated signatures."""
    entry = lookup(code)
    return StanceEvent(
        event_id=event_id or digest(f"event-{n}", 32),
        dyad="|".join(sorted((source, target))),
        source_code=source + source_role,
        target_code=target + target_role,
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
        producer=producer,
    )


def flip_bits(signature: str, bits: int) -> str:
    """A signature ``bits`` bits away from ``signature`` (lowest bits flipped)."""
    return f"{int(signature, 16) ^ ((1 << bits) - 1):016x}"


#: Outlets of the shipped registry (real news organisations): they corroborate.
REGISTERED = ["reuters.com", "apnews.com", "bbc.co.uk", "afp.com", "nytimes.com", "lemonde.fr"]


def exchange(
    tag: str, n: int, *, start: float = 0.0, every: float = 3.0, code: str = "190",
    outlets: list[str] | None = None, source: str = "RUS", target: str = "UKR", **kw: object,
) -> list[StanceEvent]:
    """``n`` hostile acts alternating between the two sides, ``every`` hours apart."""
    outlets = outlets or REGISTERED[:4]
    return [
        event(f"{tag}{i}", hours=start + i * every, code=code, outlet=outlets[i % len(outlets)],
              source=source if i % 2 == 0 else target, target=target if i % 2 == 0 else source,
              **kw)  # type: ignore[arg-type]
        for i in range(n)
    ]
