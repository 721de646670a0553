"""``schemas/`` is the contract other languages code against: it must equal the models.

This module holds THE drift test: each committed schema file is compared byte
for byte with what ``render()`` produces from the live pydantic models, so any
change to a model without ``streams schemas export`` fails here.
"""

from __future__ import annotations

import difflib
import io
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from pydantic import Field, create_model

from streams.contracts import export
from streams.contracts.export import TOPIC_MODELS, drifted, render, schema_for
from streams.pipeline.offline import process_lines

REPO = Path(__file__).resolve().parents[2]
SCHEMAS = REPO / "schemas"
SAMPLES = REPO / "streams" / "samples" / "articles.jsonl"
TOPICS = sorted(TOPIC_MODELS)


def committed(topic: str) -> dict[str, Any]:
    return json.loads((SCHEMAS / f"{topic}.schema.json").read_text(encoding="utf-8"))


def validator(topic: str) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(committed(topic))


# --- drift --------------------------------------------------------------------

@pytest.mark.parametrize("topic", TOPICS)
def test_committed_schema_equals_the_model(topic: str) -> None:
    path = SCHEMAS / f"{topic}.schema.json"
    assert path.exists(), f"{path} is missing: run `streams schemas export`"
    on_disk = path.read_text(encoding="utf-8")
    expected = render(topic)
    diff = "".join(difflib.unified_diff(on_disk.splitlines(True), expected.splitlines(True),
                                        f"committed {path.name}", "rendered from the model", n=2))
    assert on_disk == expected, f"schema drift; run `streams schemas export`:\n{diff[:4000]}"


def test_schemas_dir_holds_exactly_one_file_per_topic() -> None:
    on_disk = {p.name for p in SCHEMAS.glob("*.json")}
    assert on_disk == {f"{topic}.schema.json" for topic in TOPIC_MODELS}
    assert drifted(SCHEMAS) == []


def test_drift_check_notices_a_changed_model(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The check is not vacuous: adding a field to a model is reported as drift."""
    export.export(tmp_path)
    assert drifted(tmp_path) == []
    model, mode = TOPIC_MODELS["news.enriched.v1"]
    changed = create_model(model.__name__, __base__=model,
                           sentiment=(float, Field(default=0.0)))
    monkeypatch.setitem(TOPIC_MODELS, "news.enriched.v1", (changed, mode))
    assert drifted(tmp_path) == ["news.enriched.v1"]
    assert render("news.enriched.v1") != (SCHEMAS / "news.enriched.v1.schema.json").read_text()


def test_drift_check_notices_a_missing_or_edited_file(tmp_path: Path) -> None:
    export.export(tmp_path)
    (tmp_path / "geo.alerts.v1.schema.json").unlink()
    edited = tmp_path / "news.articles.v1.schema.json"
    edited.write_text(edited.read_text().replace('"maxLength": 256', '"maxLength": 512'))
    assert sorted(drifted(tmp_path)) == ["geo.alerts.v1", "news.articles.v1"]


def test_export_writes_what_render_produces(tmp_path: Path) -> None:
    paths = export.export(tmp_path / "nested" / "dir")
    assert sorted(p.name for p in paths) == [f"{t}.schema.json" for t in TOPICS]
    for path in paths:
        topic = path.name.removesuffix(".schema.json")
        assert path.read_text(encoding="utf-8") == render(topic)


def test_render_is_deterministic_and_canonical() -> None:
    for topic in TOPICS:
        text = render(topic)
        assert text == render(topic)
        assert text.endswith("}\n")
        assert text == json.dumps(json.loads(text), indent=2, sort_keys=True,
                                  ensure_ascii=False) + "\n"


# --- identity and version ---------------------------------------------------------

@pytest.mark.parametrize("topic", TOPICS)
def test_each_schema_has_id_version_and_dialect(topic: str) -> None:
    schema = committed(topic)
    assert schema["$id"] == f"urn:streams:schema:{topic}"
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["x-topic"] == topic
    # The version is the topic's major: news.articles.v1 -> 1.
    assert schema["x-schema-version"] == int(topic.rsplit(".v", 1)[1]) == 1
    jsonschema.Draft202012Validator.check_schema(schema)


def test_schema_ids_are_unique() -> None:
    ids = [committed(topic)["$id"] for topic in TOPICS]
    assert len(set(ids)) == len(ids)


def test_topic_names_follow_the_convention() -> None:
    for topic in TOPICS:
        domain, dataset, version = topic.split(".")[0], topic.split(".")[1:-1], topic.split(".")[-1]
        assert domain in {"news", "geo"} and dataset and version == "v1", topic


def test_input_schema_is_lenient_about_extras_and_outputs_are_closed() -> None:
    assert committed("news.articles.v1").get("additionalProperties", True) is not False
    for topic in ("news.enriched.v1", "news.articles.dlq.v1", "geo.alerts.v1"):
        assert committed(topic)["additionalProperties"] is False, topic


def test_schema_for_matches_committed_content() -> None:
    for topic in TOPICS:
        assert schema_for(topic) == committed(topic)


# --- data against the schemas ------------------------------------------------------

def sample_articles() -> list[dict[str, Any]]:
    return [json.loads(line) for line in SAMPLES.read_bytes().splitlines() if line.strip()]


def test_every_sample_article_validates_against_the_article_schema() -> None:
    articles = sample_articles()
    assert len(articles) >= 10
    check = validator("news.articles.v1")
    for article in articles:
        errors = [e.message for e in check.iter_errors(article)]
        assert errors == [], f"{article.get('id')}: {errors}"


@pytest.mark.parametrize(
    ("change", "path"),
    [
        ({"id": "has space"}, "id"),
        ({"id": "x" * 257}, "id"),
        ({"id": 42}, "id"),
        ({"body": "x" * 200_001}, "body"),
        ({"published_at": 1635343500}, "published_at"),
        ({"source": {"name": ""}}, "source"),
        ({"language": "English"}, "language"),
    ],
)
def test_article_schema_carries_the_limits(change: dict[str, Any], path: str) -> None:
    """Producers validating against the file get the same limits as the worker."""
    article = {**sample_articles()[0], **change}
    errors = list(validator("news.articles.v1").iter_errors(article))
    assert errors, f"schema accepted {change}"
    assert {e.absolute_path[0] if e.absolute_path else None for e in errors} == {path}


def test_article_schema_requires_the_required_fields() -> None:
    required = set(committed("news.articles.v1")["required"])
    assert required == {"id", "published_at", "source"}


@pytest.fixture(scope="module")
def offline_run(analyzer):  # type: ignore[no-untyped-def]
    lines = [*SAMPLES.read_bytes().splitlines(), b"not json", b"\xff\xfe", b"[1, 2]",
             b'{"id": "x", "published_at": "2021-01-01T00:00:00"}']
    out, dead = io.StringIO(), io.StringIO()
    stats = process_lines(lines, out, dead, analyzer=analyzer)
    return stats, out.getvalue().splitlines(), dead.getvalue().splitlines()


def test_every_enriched_output_validates_against_the_enriched_schema(offline_run) -> None:  # type: ignore[no-untyped-def]
    stats, enriched, _ = offline_run
    assert len(enriched) == stats["enriched"] >= 10
    check = validator("news.enriched.v1")
    for line in enriched:
        value = json.loads(line)
        errors = [f"{list(e.absolute_path)}: {e.message}" for e in check.iter_errors(value)]
        assert errors == [], f"{value['id']}: {errors}"
    assert any(json.loads(line)["entities"] for line in enriched)


def test_every_dead_letter_validates_against_the_dlq_schema(offline_run) -> None:  # type: ignore[no-untyped-def]
    stats, _, dead = offline_run
    assert len(dead) == stats["dead_letter"] == 4
    check = validator("news.articles.dlq.v1")
    for line in dead:
        assert list(check.iter_errors(json.loads(line))) == []


def test_enriched_schema_rejects_an_unknown_field(offline_run) -> None:  # type: ignore[no-untyped-def]
    _, enriched, _ = offline_run
    value = {**json.loads(enriched[0]), "surprise": True}
    assert not validator("news.enriched.v1").is_valid(value)
