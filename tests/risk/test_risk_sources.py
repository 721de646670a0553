"""Outlets that cannot be invented: the registry, producers, and the forgery of issue 16.

The forgery: two articles from two made-up outlet domains, each with twenty
hostile sentences about two quiet countries.  Before the registry it took the
pair from nothing to critical (80.3) on the second message, because the
outlet was whatever the producer wrote and corroboration counted it.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from streams.cameo import lookup
from streams.contracts.geo import Alert, StanceEvent
from streams.risk import RiskConfig, replay, vouch_for_archive
from streams.risk.levels import RANK
from streams.risk.sources import (
    UNVERIFIED,
    load_registry,
    normalise_domain,
    registry_files,
    source_of,
)
from tests.risk.risk_factories import REGISTERED

CONFIG = RiskConfig()
QUIET = ("ISL", "NZL")  # two countries with no history in the engine
#: Twenty hostile acts of every kind: fighting, threats, seizures, sanctions, accusations.
CODES = ["190", "193", "194", "195", "138", "180", "181", "183", "186", "171",
         "172", "173", "130", "131", "112", "111", "120", "160", "161", "163"]  # fmt: skip
START = datetime(2024, 5, 1, tzinfo=UTC)


def forged(article: str, outlet: str, hours: float = 0.0, *, sentences: int = 20, producer: str | None = None,
           both_ways: bool = False) -> list[StanceEvent]:
    """One article's stance events: ``sentences`` hostile sentences about the quiet pair."""
    events = []
    for i in range(sentences):
        entry = lookup(CODES[i % len(CODES)])
        src, tgt = (QUIET[1], QUIET[0]) if both_ways and i % 2 else QUIET
        digest = hashlib.sha256(f"{article}-{i}".encode()).hexdigest()
        events.append(StanceEvent(
            event_id=digest[:32], dyad="|".join(sorted(QUIET)), source_code=src + "GOV",
            target_code=tgt + "MIL", source_country=src, target_country=tgt, cameo_code=entry.code,
            plover=entry.plover or "NONE", quad_class=entry.quad_class, goldstein=entry.goldstein,
            polarity=entry.polarity, confidence=0.9, event_time=START + timedelta(hours=hours),
            article_id=article, url=f"https://{outlet}/{article}", outlet=outlet,
            sentence=f"Sentence {i} of {article}: {src} against {tgt}.", signature=digest[32:48],
            producer=producer,
        ))
    return events


def top_level(alerts: list[Alert]) -> str:
    return max((a.level for a in alerts), key=RANK.__getitem__, default="none")


# -- the registry ---------------------------------------------------------------


def test_domains_are_normalised_and_subdomains_belong_to_their_outlet() -> None:
    registry = load_registry(("builtin",))
    assert normalise_domain("https://www.Reuters.com/world/x?y=1") == "reuters.com"
    reuters = registry.lookup("uk.reuters.com")
    assert reuters is not None
    assert (reuters.domain, reuters.tier, reuters.weight) == ("reuters.com", "wire", 1.0)
    assert registry.lookup("reuters.com.evil.example") is None
    assert registry.lookup("daily-truth-news.com") is None
    state_media = registry.lookup("tass.com")
    assert state_media is not None and state_media.weight == 0.5
    assert len(registry) >= 100


def test_operator_files_extend_and_override_the_builtin_registry(tmp_path: Path) -> None:
    path = tmp_path / "outlets.yaml"
    path.write_text("tiers: {local: 0.7}\n"
                    "outlets:\n"
                    "  kyiv-post.example: {name: Local paper, tier: local}\n"
                    "  rt.com: {name: RT, weight: 0}\n", encoding="utf-8")
    config = RiskConfig(outlet_registry=f"builtin,{path}")
    registry = config.registry
    local = registry.lookup("kyiv-post.example")
    assert local is not None and local.weight == 0.7
    assert source_of("rt.com", None, registry, frozenset()) == (UNVERIFIED, 0.0)  # no longer vouched for
    assert registry.lookup("bbc.co.uk") is not None
    assert registry_files(" builtin , a.yaml ,") == ("builtin", "a.yaml")


@pytest.mark.parametrize("text", ["outlets: [a, b]\n", "tiers: {x: 2}\noutlets: {}\n",
                                  "outlets:\n  a.example: {tier: nope}\n", "{{{"])
def test_a_bad_registry_fails_at_start_up(tmp_path: Path, text: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError):
        RiskConfig(outlet_registry=f"builtin,{path}")


def test_one_producer_is_one_source_whatever_it_claims() -> None:
    registry = load_registry(("builtin",))
    none: frozenset[str] = frozenset()
    assert source_of("reuters.com", None, registry, none) == ("outlet:reuters.com", 1.0)
    assert source_of("reuters.com", "User:mallory", registry, none) == ("producer:User:mallory", 1.0)
    assert source_of("bbc.co.uk", "User:mallory", registry, none) == ("producer:User:mallory", 1.0)
    assert source_of("made-up.example", "User:mallory", registry, none) == (UNVERIFIED, 0.0)
    # The operator's own crawler is trusted to report the outlet of what it fetched.
    crawler = frozenset({"User:crawler"})
    assert source_of("bbc.co.uk", "User:crawler", registry, crawler) == ("outlet:bbc.co.uk", 1.0)


# -- the forgery and its variants --------------------------------------------------


def test_the_forgery_of_issue_16_is_capped_at_watch() -> None:
    events = forged("forged-1", "daily-truth-news.com") + forged("forged-2", "world-report-wire.net", 1)
    _, alerts = replay(events, CONFIG)
    assert alerts and top_level(alerts) == "watch"
    assert alerts[0].distinct_outlets == 1 and alerts[0].verified_sources == 0.0
    assert "1 source (unverified)" in alerts[0].explanation
    # A forger who writes the sentences both ways gets a score that would page; the cap holds.
    both = (forged("forged-1", "daily-truth-news.com", both_ways=True)
            + forged("forged-2", "world-report-wire.net", 1, both_ways=True))
    states, alerts = replay(both, CONFIG)
    assert top_level(alerts) == "watch" and states["ISL|NZL"].score >= CONFIG.warning_enter
    # Vouched for, the same two outlets would page: the registry is what stops it.
    vouched = CONFIG.model_copy(update={"trusted_outlets": ("daily-truth-news.com", "world-report-wire.net")})
    _, trusted = replay(both, vouched)
    assert top_level(trusted) == "warning"


@pytest.mark.parametrize("variant", ["many_ids", "many_domains", "both_ways_for_days", "one_producer"])
def test_variants_of_the_forgery_are_capped_at_watch(variant: str) -> None:
    events: list[StanceEvent] = []
    if variant == "many_ids":  # forty one-sentence articles, each with its own id
        for i in range(40):
            events += forged(f"id-{i}", ["daily-truth-news.com", "world-report-wire.net"][i % 2], i * 0.5,
                             sentences=2, both_ways=True)
    elif variant == "many_domains":  # forty made-up outlets
        for i in range(40):
            events += forged(f"dom-{i}", f"outlet-{i}.example", i * 0.25, sentences=3, both_ways=True)
    elif variant == "both_ways_for_days":  # reciprocity and persistence, still invented
        for day in range(5):
            for j, outlet in enumerate(["daily-truth-news.com", "world-report-wire.net", "truth.example"]):
                events += forged(f"d{day}-{j}", outlet, 24 * day + j, both_ways=True)
    else:  # one authenticated producer claiming many registered outlets
        for i, outlet in enumerate(REGISTERED * 3):
            events += forged(f"p-{i}", outlet, i * 2.0, producer="User:mallory", both_ways=True)
    states, alerts = replay(events, CONFIG)
    assert alerts, "the flood is still visible, at watch"
    assert top_level(alerts) == "watch"
    assert states["ISL|NZL"].score >= CONFIG.warning_enter


def test_a_forged_flood_cannot_ride_on_one_real_report() -> None:
    real = forged("real", "reuters.com", 0, sentences=1)
    flood = forged("f1", "daily-truth-news.com", 1) + forged("f2", "world-report-wire.net", 2)
    _, alerts = replay(real + flood, CONFIG)
    assert top_level(alerts) == "watch"


# -- legitimate corroboration still pages ----------------------------------------------


def test_registered_outlets_reporting_over_days_reach_warning_then_critical() -> None:
    events: list[StanceEvent] = []
    for day in range(3):
        for j, outlet in enumerate(REGISTERED[:4]):
            events += forged(f"real-{day}-{j}", outlet, 24 * day + 3 * j, sentences=2, both_ways=True)
    _, alerts = replay(events, CONFIG)
    assert top_level(alerts) == "critical"
    critical = next(a for a in alerts if a.level == "critical")
    assert critical.verified_sources is not None and critical.verified_sources >= 3
    assert (critical.as_of - START) >= timedelta(hours=24)  # critical needs time as well as outlets


def test_distinct_producers_with_registered_outlets_corroborate() -> None:
    events: list[StanceEvent] = []
    for day in range(3):
        for j, outlet in enumerate(REGISTERED[:4]):
            events += forged(f"prod-{day}-{j}", outlet, 24 * day + 3 * j, sentences=2, both_ways=True,
                             producer=f"User:feed-{j}")
    _, alerts = replay(events, CONFIG)
    assert "critical" in {a.level for a in alerts}


def test_an_archive_is_vouched_for_by_the_operator_not_by_its_name() -> None:
    events = [e.model_copy(update={"outlet": "icews", "origin": "icews"})
              for day in range(3) for e in forged(f"a{day}", "icews", 24 * day, both_ways=True)]
    _, plain = replay(events, RiskConfig(min_outlets_for_warning=1))
    assert top_level(plain) == "watch"
    vouched = vouch_for_archive(CONFIG, events)
    assert vouched.trusted_outlets == ("icews",) and vouched.critical_min_outlets == 1
    _, alerts = replay(events, vouched)
    assert top_level(alerts) == "critical"
