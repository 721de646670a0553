"""Article → enriched value: deterministic ids, partial results with reasons."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import pytest

from streams.contracts import Article, EnrichedArticle, Stance
from streams.contracts.enriched import TextField
from streams.nlp import Analysis
from streams.nlp.signature import simhash64
from streams.pipeline.enrich import enrich, outlet_of, stance_event

BASE: dict[str, Any] = {
    "id": "us-rus-1",
    "url": "https://example.org/us-rus-1",
    "title": "Russia and US hold talks",
    "body": "Russia warned that ties with the United States faced new aggravations. "
            "Russian wheat exports fell.",
    "published_at": "2021-10-27T14:05:00Z",
    "source": {"name": "Example Wire", "domain": "Example-Wire.org", "country": "USA"},
    "language": "en",
}


def article(**overrides: Any) -> Article:
    return Article.model_validate_json(json.dumps({**BASE, **overrides}))


# --- deterministic ids ------------------------------------------------------------

def test_same_input_gives_the_same_enriched_value(analyzer) -> None:  # type: ignore[no-untyped-def]
    first = enrich(article(), analyzer).enriched
    second = enrich(article(), analyzer).enriched
    assert first.enrichment_id == second.enrichment_id
    assert first.model_dump_json() == second.model_dump_json()


def test_enrichment_id_ignores_json_key_order_and_unknown_fields(analyzer) -> None:  # type: ignore[no-untyped-def]
    reordered = Article.model_validate_json(json.dumps(dict(reversed(list(BASE.items())))))
    with_extra = article(crawler="v2", fetched_in_ms=15)
    ids = {enrich(a, analyzer).enriched.enrichment_id for a in (article(), reordered, with_extra)}
    assert len(ids) == 1


@pytest.mark.parametrize(
    "change",
    [
        {"id": "us-rus-2"},
        {"body": BASE["body"] + " More."},
        {"title": "Russia and US hold more talks"},
        {"published_at": "2021-10-27T14:06:00Z"},
        {"url": "https://example.org/other"},
        {"source": {"name": "Other Wire"}},
        {"language": "en-GB"},
        {"ingested_at": "2021-10-27T14:07:00Z"},
    ],
    ids=lambda change: next(iter(change)),
)
def test_enrichment_id_changes_with_id_or_content(analyzer, change: dict[str, Any]) -> None:  # type: ignore[no-untyped-def]
    assert (enrich(article(**change), analyzer).enriched.enrichment_id
            != enrich(article(), analyzer).enriched.enrichment_id)


def test_enrichment_id_is_a_hex_digest(analyzer) -> None:  # type: ignore[no-untyped-def]
    enrichment_id = enrich(article(), analyzer).enriched.enrichment_id
    assert len(enrichment_id) == 32
    int(enrichment_id, 16)


class FakeAnalyzer:
    """Stand-in for the spaCy analyzer, to drive the parts enrich owns."""

    def __init__(self, version: str = "0.1.0", stances: Sequence[Stance] = ()) -> None:
        self.version = version
        self.stances = list(stances)
        self.calls: list[list[tuple[str, TextField]]] = []

    def analyze_many(
        self, texts: Sequence[tuple[str, TextField]], published_at: datetime | None = None
    ) -> list[Analysis]:
        self.calls.append(list(texts))
        return [Analysis(field=name, stances=self.stances if name == "body" else [])
                for _, name in texts]


def test_enrichment_id_changes_with_the_analyzer_version() -> None:
    one = enrich(article(), FakeAnalyzer("1.0.0")).enriched  # type: ignore[arg-type]
    two = enrich(article(), FakeAnalyzer("1.1.0")).enriched  # type: ignore[arg-type]
    assert one.enrichment_id != two.enrichment_id
    assert (one.analyzer_version, two.analyzer_version) == ("1.0.0", "1.1.0")


# --- the analysis itself --------------------------------------------------------

def test_title_and_body_entities_point_into_their_own_field(analyzer) -> None:  # type: ignore[no-untyped-def]
    a = article()
    enriched = enrich(a, analyzer).enriched
    assert enriched.status == "ok" and enriched.reasons == []
    fields = {e.field for e in enriched.entities}
    assert fields == {"title", "body"}
    for e in enriched.entities:
        text = a.title if e.field == "title" else a.body
        assert text[e.start:e.end] == e.text


def test_actor_counts_sum_the_resolved_mentions(analyzer) -> None:  # type: ignore[no-untyped-def]
    enriched = enrich(article(), analyzer).enriched
    mentions = {c.code: c.mentions for c in enriched.actors}
    # title: Russia, US; body: Russia, United States, Russian.
    assert mentions == {"RUS": 3, "USA": 2}
    assert [c.code for c in enriched.actors] == sorted(mentions)
    assert sum(mentions.values()) == sum(1 for e in enriched.entities if e.actor is not None)


def test_the_enriched_value_copies_the_article(analyzer) -> None:  # type: ignore[no-untyped-def]
    a = article(ingested_at="2021-10-27T14:05:02Z")
    enriched = enrich(a, analyzer).enriched
    assert (enriched.id, enriched.url, enriched.title, enriched.published_at, enriched.ingested_at,
            enriched.source, enriched.language) == (
        a.id, a.url, a.title, a.published_at, a.ingested_at, a.source, a.language)
    assert enriched.signature == simhash64(a.body)
    assert enriched.analyzer_version == analyzer.version
    EnrichedArticle.model_validate_json(enriched.model_dump_json())


# --- partial results --------------------------------------------------------------

@pytest.mark.parametrize("language", ["fr", "de", "zh-Hant", "ru"])
def test_unsupported_language_is_partial_with_reason_and_no_entities(analyzer, language: str) -> None:  # type: ignore[no-untyped-def]
    enriched = enrich(article(language=language), analyzer).enriched
    assert enriched.status == "partial"
    assert enriched.reasons == [f"unsupported_language:{language}"]
    assert enriched.entities == [] and enriched.actors == [] and enriched.stances == []
    assert enriched.tone is None
    assert enriched.signature == simhash64(BASE["body"])  # dedup still works


@pytest.mark.parametrize("language", ["en", "en-GB", "en-US", None])
def test_english_variants_and_unknown_language_are_analysed(analyzer, language: str | None) -> None:  # type: ignore[no-untyped-def]
    enriched = enrich(article(language=language), analyzer).enriched
    assert enriched.status == "ok"
    assert enriched.actors


@pytest.mark.parametrize("body", ["", "   ", "\n\t \n"])
def test_empty_body_is_partial_but_the_title_is_analysed(analyzer, body: str) -> None:  # type: ignore[no-untyped-def]
    enriched = enrich(article(body=body), analyzer).enriched
    assert enriched.status == "partial"
    assert enriched.reasons == ["empty_body"]
    assert {e.field for e in enriched.entities} == {"title"}
    assert {c.code for c in enriched.actors} == {"RUS", "USA"}


def test_empty_body_signature_falls_back_to_the_title(analyzer) -> None:  # type: ignore[no-untyped-def]
    enriched = enrich(article(body=""), analyzer).enriched
    assert enriched.signature == simhash64(BASE["title"]) != "0" * 16


@pytest.mark.parametrize("body", ["   ", "\n\t \n"])
def test_whitespace_body_signature_falls_back_to_the_title(analyzer, body: str) -> None:  # type: ignore[no-untyped-def]
    enriched = enrich(article(body=body), analyzer).enriched
    assert enriched.signature == simhash64(BASE["title"])


def test_empty_title_and_body_is_partial_with_nothing_found(analyzer) -> None:  # type: ignore[no-untyped-def]
    enriched = enrich(article(title="", body=""), analyzer).enriched
    assert (enriched.status, enriched.reasons, enriched.entities) == ("partial", ["empty_body"], [])
    assert enriched.signature == "0" * 16


def test_long_body_is_truncated_with_a_reason(analyzer) -> None:  # type: ignore[no-untyped-def]
    body = "Russia warned the United States. " * 10 + "Ukraine protested to France."
    enriched = enrich(article(body=body), analyzer, max_analyzed_chars=100).enriched
    assert enriched.status == "partial"
    assert enriched.reasons == ["truncated:100"]
    body_entities = [e for e in enriched.entities if e.field == "body"]
    assert body_entities and all(e.end <= 100 for e in body_entities)
    assert all(body[e.start:e.end] == e.text for e in body_entities)
    assert "UKR" not in {c.code for c in enriched.actors}
    assert enriched.signature == simhash64(body)  # the signature still covers everything


def test_body_at_the_limit_is_not_truncated() -> None:
    fake = FakeAnalyzer()
    enriched = enrich(article(body="x" * 100), fake, max_analyzed_chars=100).enriched  # type: ignore[arg-type]
    assert enriched.status == "ok"
    assert fake.calls == [[(BASE["title"], "title"), ("x" * 100, "body")]]


def test_reasons_accumulate() -> None:
    fake = FakeAnalyzer()
    enriched = enrich(article(title="  ", body="y" * 50), fake, max_analyzed_chars=10).enriched  # type: ignore[arg-type]
    assert enriched.reasons == ["truncated:10"]
    assert fake.calls == [[("y" * 10, "body")]]


def test_unsupported_language_skips_the_analyzer_entirely() -> None:
    fake = FakeAnalyzer()
    enrich(article(language="fr"), fake)  # type: ignore[arg-type]
    assert fake.calls == []


# --- tone and stance events --------------------------------------------------------

RUS = {"code": "RUS", "country": "RUS", "name": "Russia", "basis": "gazetteer:alias"}
USAGOV = {"code": "USAGOV", "country": "USA", "role": "GOV", "name": "US government",
          "basis": "test"}


def stance(goldstein: float, confidence: float = 1.0, negated: bool = False,
           source: dict[str, Any] = RUS, target: dict[str, Any] = USAGOV, start: int = 0) -> Stance:
    return Stance.model_validate({
        "source": source, "target": target, "cameo_code": "130", "plover": "THREATEN",
        "quad_class": 3, "goldstein": goldstein, "polarity": "hostile", "confidence": confidence,
        "negated": negated,
        "evidence": {"field": "body", "sentence": "Russia warned the US.", "sentence_start": start,
                     "source_span": [0, 6], "target_span": [18, 20], "trigger_span": [7, 13],
                     "trigger": "warned"},
    })


def test_tone_is_none_without_stances(analyzer) -> None:  # type: ignore[no-untyped-def]
    # One actor only: nobody to act toward, so no stance can be read.
    a = article(title="Elections", body="Russia held regional elections on Sunday.")
    enriched = enrich(a, analyzer).enriched
    assert enriched.stances == []
    assert enriched.tone is None
    assert enrich(a, FakeAnalyzer()).enriched.tone is None  # type: ignore[arg-type]


def test_tone_is_the_mean_confidence_weighted_goldstein_over_ten() -> None:
    fake = FakeAnalyzer(stances=[stance(-4.0, 1.0), stance(-8.0, 0.5), stance(9.0, 1.0, negated=True)])
    enriched = enrich(article(), fake).enriched  # type: ignore[arg-type]
    assert enriched.tone == pytest.approx((-0.4 + -0.4) / 2)
    assert -1.0 <= enriched.tone <= 1.0


def test_tone_is_none_when_every_stance_is_negated() -> None:
    fake = FakeAnalyzer(stances=[stance(-4.0, negated=True)])
    assert enrich(article(), fake).enriched.tone is None  # type: ignore[arg-type]


def test_stance_events_are_keyed_by_dyad_with_deterministic_ids() -> None:
    fake = FakeAnalyzer(stances=[stance(-4.0), stance(-4.0, start=30)])
    result = enrich(article(), fake)  # type: ignore[arg-type]
    assert [e.dyad for e in result.stance_events] == ["RUS|USA", "RUS|USA"]
    first = result.stance_events[0]
    assert (first.source_code, first.target_code) == ("RUS", "USAGOV")
    assert (first.source_country, first.target_country) == ("RUS", "USA")
    assert first.outlet == "example-wire.org"
    assert first.article_id == "us-rus-1"
    assert first.event_time == article().published_at
    assert first.signature == simhash64("Russia warned the US.")
    again = enrich(article(), fake).stance_events  # type: ignore[arg-type]
    assert [e.event_id for e in again] == [e.event_id for e in result.stance_events]
    assert len({e.event_id for e in result.stance_events}) == 2


def test_no_stance_event_within_one_country() -> None:
    a = article()
    usa = {"code": "USA", "country": "USA", "name": "United States", "basis": "test"}
    assert stance_event(a, stance(-2.0, source=usa, target=USAGOV)) is None


def test_transnational_actors_key_the_dyad_by_their_most_specific_tag() -> None:
    a = article()
    nato = {"code": "IGONAT", "country": None, "role": "IGO", "name": "NATO", "basis": "test"}
    isis = {"code": "IMGISI", "country": None, "name": "Islamic State", "basis": "test"}
    assert stance_event(a, stance(-2.0, source=nato, target=USAGOV)).dyad == "NAT|USA"  # type: ignore[union-attr]
    assert stance_event(a, stance(-2.0, source=isis, target=USAGOV)).dyad == "ISI|USA"  # type: ignore[union-attr]


def test_outlet_prefers_the_domain_lowercased() -> None:
    assert outlet_of(article()) == "example-wire.org"
    assert outlet_of(article(source={"name": "Example Wire"})) == "example wire"


def test_over_long_runs_are_blanked_with_offsets_kept(analyzer) -> None:  # type: ignore[no-untyped-def]
    from streams.pipeline.enrich import MAX_RUN_CHARS, defuse

    body = "Russia warned Ukraine. " + "!" * 50_000 + " Ukraine thanked Poland."
    clean, runs = defuse(body)
    assert runs == 1 and len(clean) == len(body) and "!" not in clean
    assert defuse("x" * MAX_RUN_CHARS) == ("x" * MAX_RUN_CHARS, 0)
    result = enrich(article(body=body), analyzer)
    assert "long_runs_skipped:1" in result.enriched.reasons
    found = {(e.text, body[e.start:e.end]) for e in result.enriched.entities if e.field == "body"}
    assert ("Poland", "Poland") in found and ("Russia", "Russia") in found
