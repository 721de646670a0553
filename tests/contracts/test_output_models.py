"""Output contracts: exactly what ``schemas/`` promises, nothing more."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from streams.contracts import (
    ActorCount,
    ActorRef,
    Alert,
    Contribution,
    DeadLetter,
    EnrichedArticle,
    Entity,
    Evidence,
    Header,
    ScoreComponents,
    Stance,
    StanceEvent,
    dyad_key,
)

HEX = "0123456789abcdef" * 2
WHEN = "2021-10-27T14:05:00Z"
RUS = {"code": "RUS", "country": "RUS", "name": "Russia", "basis": "gazetteer:alias"}
USAGOV = {"code": "USAGOV", "country": "USA", "role": "GOV", "name": "US government",
          "basis": "title:spokesman"}
EVIDENCE = {"field": "body", "sentence": "Russia warned the US.", "sentence_start": 0,
            "source_span": [0, 6], "target_span": [18, 20], "trigger_span": [7, 13],
            "trigger": "warned"}
STANCE = {"source": RUS, "target": USAGOV, "cameo_code": "130", "plover": "THREATEN",
          "quad_class": 3, "goldstein": -4.4, "polarity": "hostile", "confidence": 0.8,
          "evidence": EVIDENCE}
ENTITY = {"field": "body", "start": 0, "end": 6, "text": "Russia", "label": "GPE", "actor": RUS,
          "usage": "actor"}
ENRICHED = {"enrichment_id": HEX, "id": "a-1", "url": None, "title": "t", "published_at": WHEN,
            "source": {"name": "Wire"}, "language": "en", "status": "ok", "entities": [ENTITY],
            "actors": [{"code": "RUS", "name": "Russia", "mentions": 1}], "stances": [STANCE],
            "tone": -0.35, "signature": "0" * 16, "analyzer_version": "0.1.0"}
DEAD_LETTER = {"reason": "invalid_json", "detail": "bad", "original_b64": "e30=",
               "original_size": 2, "headers": [{"key": "k", "key_b64": "aw==", "value_b64": None}]}
STANCE_EVENT = {"event_id": HEX, "dyad": "RUS|USA", "source_code": "RUS", "target_code": "USAGOV",
                "source_country": "RUS", "target_country": "USA", "cameo_code": "130",
                "plover": "THREATEN", "quad_class": 3, "goldstein": -4.4, "polarity": "hostile",
                "confidence": 0.8, "event_time": WHEN, "outlet": "example.org",
                "signature": "f" * 16}
CONTRIBUTION = {"event_id": HEX, "article_id": "a-1", "url": None, "outlet": "example.org",
                "sentence": "Russia warned the US.", "cameo_code": "130", "goldstein": -4.4,
                "event_time": WHEN, "weight": 1.2}
COMPONENTS = {"surge": 0.5, "level": 0.4, "severity": 0.3, "corroboration": 0.2}
ALERT = {"alert_id": HEX, "dyad": "RUS|USA", "level": "warning", "previous_level": "watch",
         "transition": "escalate", "score": 71.5, "components": COMPONENTS, "as_of": WHEN,
         "triggering_event_id": HEX, "short_conflict": 3.0, "long_conflict": 1.0, "baseline": 0.5,
         "short_cooperation": 0.1, "event_count": 4, "distinct_outlets": 2,
         "material_conflict_share": 0.25, "top_events": [CONTRIBUTION], "explanation": "surge"}

VALID: list[tuple[type[BaseModel], dict[str, Any]]] = [
    (ActorRef, RUS), (Entity, ENTITY), (Evidence, EVIDENCE), (Stance, STANCE),
    (ActorCount, {"code": "RUS", "name": "Russia", "mentions": 2}), (EnrichedArticle, ENRICHED),
    (Header, {"key": "k", "key_b64": "aw==", "value_b64": "AA=="}), (DeadLetter, DEAD_LETTER),
    (StanceEvent, STANCE_EVENT), (Contribution, CONTRIBUTION), (ScoreComponents, COMPONENTS),
    (Alert, ALERT),
]
IDS = [model.__name__ for model, _ in VALID]


@pytest.mark.parametrize(("model", "data"), VALID, ids=IDS)
def test_valid_examples_round_trip_through_json(model: type[BaseModel], data: dict[str, Any]) -> None:
    instance = model.model_validate(data)
    assert model.model_validate_json(instance.model_dump_json()) == instance


@pytest.mark.parametrize(("model", "data"), VALID, ids=IDS)
def test_output_models_forbid_extra_fields(model: type[BaseModel], data: dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as info:
        model.model_validate({**data, "surprise": 1})
    assert [(e["loc"], e["type"]) for e in info.value.errors()] == [(("surprise",), "extra_forbidden")]


@pytest.mark.parametrize(("model", "data"), VALID, ids=IDS)
def test_output_models_are_frozen(model: type[BaseModel], data: dict[str, Any]) -> None:
    instance = model.model_validate(data)
    first_field = next(iter(model.model_fields))
    with pytest.raises(ValidationError):
        setattr(instance, first_field, getattr(instance, first_field))


def test_nested_extra_fields_are_forbidden_too() -> None:
    bad = {**ENRICHED, "entities": [{**ENTITY, "actor": {**RUS, "confidence": 1.0}}]}
    with pytest.raises(ValidationError) as info:
        EnrichedArticle.model_validate(bad)
    assert info.value.errors()[0]["loc"] == ("entities", 0, "actor", "confidence")


@pytest.mark.parametrize(
    ("model", "data", "field", "value"),
    [
        (ActorRef, RUS, "code", "rus"),
        (ActorRef, RUS, "code", "RU"),
        (ActorRef, RUS, "code", "RUSGO"),
        (ActorRef, RUS, "role", "KING"),
        (Entity, ENTITY, "start", -1),
        (Entity, ENTITY, "field", "summary"),
        (Stance, STANCE, "cameo_code", "1"),
        (Stance, STANCE, "cameo_code", "13a"),
        (Stance, STANCE, "goldstein", -10.5),
        (Stance, STANCE, "confidence", 1.01),
        (Stance, STANCE, "quad_class", 5),
        (Stance, STANCE, "polarity", "angry"),
        (EnrichedArticle, ENRICHED, "enrichment_id", "XYZ"),
        (EnrichedArticle, ENRICHED, "status", "failed"),
        (EnrichedArticle, ENRICHED, "tone", 1.5),
        (EnrichedArticle, ENRICHED, "signature", "abc"),
        (EnrichedArticle, ENRICHED, "published_at", "2021-10-27T14:05:00"),
        (DeadLetter, DEAD_LETTER, "reason", "bad_vibes"),
        (DeadLetter, DEAD_LETTER, "detail", "x" * 4_001),
        (DeadLetter, DEAD_LETTER, "original_size", -1),
        (StanceEvent, STANCE_EVENT, "dyad", "USA|RUS|CHN"),
        (StanceEvent, STANCE_EVENT, "dyad", "rus|usa"),
        (StanceEvent, STANCE_EVENT, "origin", "twitter"),
        (StanceEvent, STANCE_EVENT, "event_time", "1800-01-01T00:00:00Z"),
        (Alert, ALERT, "score", 100.5),
        (Alert, ALERT, "level", "panic"),
        (Alert, ALERT, "transition", "explode"),
        (ScoreComponents, COMPONENTS, "surge", 1.5),
    ],
)
def test_field_constraints(
    model: type[BaseModel], data: dict[str, Any], field: str, value: object
) -> None:
    with pytest.raises(ValidationError) as info:
        model.model_validate({**data, field: value})
    assert {e["loc"][0] for e in info.value.errors()} == {field}


def test_actor_codes_take_stacked_roles() -> None:
    assert ActorRef.model_validate({**RUS, "code": "USAMILGOV"}).code == "USAMILGOV"


# --- dyad keys ----------------------------------------------------------------

def test_dyad_key_is_order_free_and_sorted() -> None:
    assert dyad_key("USA", "RUS") == dyad_key("RUS", "USA") == "RUS|USA"


def test_dyad_key_uses_the_country_part_of_actor_codes() -> None:
    assert dyad_key("USAGOV", "RUSMIL") == "RUS|USA"
    assert dyad_key("UKRMILGOV", "RUS") == dyad_key("RUS", "UKR") == "RUS|UKR"


@pytest.mark.parametrize(("a", "b"), [("CHN", "TWN"), ("ISR", "IRN"), ("FRA", "DEU"), ("PRK", "KOR")])
def test_dyad_key_is_a_valid_stance_event_dyad(a: str, b: str) -> None:
    key = dyad_key(a, b)
    assert key == dyad_key(b, a)
    assert StanceEvent.model_validate({**STANCE_EVENT, "dyad": key}).dyad == key
