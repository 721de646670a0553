"""The input contract: what ``news.articles.v1`` accepts, and how it says no."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from pydantic import ValidationError

from streams.contracts import Article, Source
from streams.contracts.article import MAX_BODY_CHARS, MAX_ID_CHARS


def payload(**overrides: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": "a-1",
        "url": "https://example.org/a-1",
        "title": "Russia and US hold talks",
        "body": "Russia warned that ties with the US faced new aggravations.",
        "published_at": "2021-10-27T14:05:00Z",
        "source": {"name": "Example Wire", "domain": "example-wire.org", "country": "USA"},
        "language": "en",
    }
    base.update(overrides)
    return base


def validate(**overrides: Any) -> Article:
    return Article.model_validate_json(json.dumps(payload(**overrides)))


def errors_of(**overrides: Any) -> list[dict[str, Any]]:
    with pytest.raises(ValidationError) as info:
        validate(**overrides)
    return info.value.errors(include_url=False)


def locs(errors: list[dict[str, Any]]) -> set[tuple[Any, ...]]:
    return {tuple(e["loc"]) for e in errors}


def test_a_complete_article_validates() -> None:
    article = validate()
    assert article.id == "a-1"
    assert article.source == Source(name="Example Wire", domain="example-wire.org", country="USA")
    assert article.published_at == datetime(2021, 10, 27, 14, 5, tzinfo=UTC)


def test_minimal_article_takes_documented_defaults() -> None:
    article = Article.model_validate_json(
        '{"id": "x", "published_at": "2024-01-01T00:00:00Z", "source": {"name": "S"}}'
    )
    assert (article.title, article.body, article.url, article.language) == ("", "", None, "en")
    assert article.ingested_at is None


@pytest.mark.parametrize("missing", ["id", "published_at", "source"])
def test_required_fields(missing: str) -> None:
    data = payload()
    del data[missing]
    with pytest.raises(ValidationError) as info:
        Article.model_validate_json(json.dumps(data))
    assert [(e["loc"], e["type"]) for e in info.value.errors()] == [((missing,), "missing")]


# --- id ---------------------------------------------------------------------

def test_id_at_the_length_limit_is_accepted() -> None:
    assert len(validate(id="x" * MAX_ID_CHARS).id) == MAX_ID_CHARS


def test_id_over_the_length_limit_is_rejected_with_the_limit_in_the_message() -> None:
    (error,) = errors_of(id="x" * (MAX_ID_CHARS + 1))
    assert error["loc"] == ("id",)
    assert error["type"] == "string_too_long"
    assert str(MAX_ID_CHARS) in error["msg"]


@pytest.mark.parametrize("bad_id", ["", "a b", " a", "a\n", "\t", "a\u00a0b"])
def test_id_must_be_non_empty_without_whitespace(bad_id: str) -> None:
    assert locs(errors_of(id=bad_id)) == {("id",)}


def test_id_may_be_any_non_whitespace_text() -> None:
    for good in ["urn:uuid:0f8c", "https://x.org/a?b=c", "статья-1", "a|b"]:
        assert validate(id=good).id == good


# --- body, title, url ------------------------------------------------------------

def test_body_at_the_size_limit_is_accepted() -> None:
    assert len(validate(body="x" * MAX_BODY_CHARS).body) == MAX_BODY_CHARS


def test_body_over_the_size_limit_is_rejected() -> None:
    (error,) = errors_of(body="x" * (MAX_BODY_CHARS + 1))
    assert error["loc"] == ("body",)
    assert error["type"] == "string_too_long"
    assert str(MAX_BODY_CHARS) in error["msg"]


def test_body_limit_counts_characters_not_bytes() -> None:
    # 'ж' is two bytes in UTF-8: the limit is about characters.
    assert len(validate(body="ж" * MAX_BODY_CHARS).body) == MAX_BODY_CHARS


def test_empty_body_is_valid_input() -> None:
    assert validate(body="").body == ""


# --- timestamps -------------------------------------------------------------

@pytest.mark.parametrize("naive", ["2021-10-27T14:05:00", "2021-10-27 14:05:00", "2021-10-27T14:05"])
def test_naive_timestamps_are_rejected(naive: str) -> None:
    (error,) = errors_of(published_at=naive)
    assert error["loc"] == ("published_at",)
    assert error["type"] == "timezone_aware"
    assert "timezone" in error["msg"]


def test_naive_ingested_at_is_rejected_too() -> None:
    assert locs(errors_of(ingested_at="2021-10-27T14:05:00")) == {("ingested_at",)}


def test_offsets_are_normalised_to_utc() -> None:
    article = validate(published_at="2021-10-27T17:05:00+03:00")
    assert article.published_at == datetime(2021, 10, 27, 14, 5, tzinfo=UTC)
    assert article.published_at.utcoffset() == timedelta(0)
    assert article.published_at.tzinfo == UTC
    assert validate(published_at="2021-10-27T14:05:00-00:00").published_at.tzinfo == UTC


@pytest.mark.parametrize(
    "stamp",
    ["1899-12-31T23:59:59Z", "2100-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "0001-01-01T00:00:00Z"],
)
def test_out_of_range_dates_are_rejected_with_the_range_in_the_message(stamp: str) -> None:
    (error,) = errors_of(published_at=stamp)
    assert error["loc"] == ("published_at",)
    assert "outside the supported range 1900-2100" in error["msg"]


def test_range_bounds_are_inclusive_below_and_exclusive_above() -> None:
    assert validate(published_at="1900-01-01T00:00:00Z").published_at.year == 1900
    assert validate(published_at="2099-12-31T23:59:59Z").published_at.year == 2099
    # The range check happens in UTC: 2100-01-01T01:00+02:00 is still 2099 in UTC.
    assert validate(published_at="2100-01-01T01:00:00+02:00").published_at.year == 2099


def test_range_check_applies_to_ingested_at() -> None:
    assert validate(ingested_at="1970-01-01T00:00:00Z").ingested_at is not None
    assert locs(errors_of(ingested_at="1800-01-01T00:00:00Z")) == {("ingested_at",)}


@pytest.mark.parametrize("epoch", [1635343500, 1635343500.5, 0])
def test_unix_epoch_is_not_a_timestamp(epoch: object) -> None:
    assert locs(errors_of(published_at=epoch)) == {("published_at",)}


@pytest.mark.parametrize("epoch", ["1635343500", "1635343500.5", "0"])
def test_unix_epoch_as_a_string_is_not_a_timestamp(epoch: str) -> None:
    assert locs(errors_of(published_at=epoch)) == {("published_at",)}


@pytest.mark.parametrize(
    "stamp", ["2021-10-27", "20211027T140500Z", " 2021-10-27T14:05:00Z", "yesterday", ""]
)
def test_non_rfc3339_strings_are_rejected(stamp: str) -> None:
    assert locs(errors_of(published_at=stamp)) == {("published_at",)}


def test_python_datetimes_are_accepted_when_aware() -> None:
    data = payload(published_at=datetime(2021, 10, 27, 17, 5, tzinfo=timezone(timedelta(hours=3))))
    assert Article.model_validate(data).published_at == datetime(2021, 10, 27, 14, 5, tzinfo=UTC)
    with pytest.raises(ValidationError):
        Article.model_validate(payload(published_at=datetime(2021, 10, 27, 14, 5)))


# --- strict types, extra fields ---------------------------------------------------

@pytest.mark.parametrize(
    ("field", "value"),
    [("id", 123), ("title", 1), ("body", ["text"]), ("url", 5), ("language", True),
     ("source", "Example Wire"), ("id", None), ("body", None)],
)
def test_strict_types_are_not_coerced(field: str, value: object) -> None:
    assert locs(errors_of(**{field: value})) == {(field,)}


@pytest.mark.parametrize(
    ("field", "value"), [("name", 7), ("domain", 1.5), ("country", "usa"), ("country", "US")]
)
def test_source_is_strict_too(field: str, value: object) -> None:
    source = {"name": "Example Wire", field: value}
    assert locs(errors_of(source=source)) == {("source", field)}


def test_source_name_is_required_and_non_empty() -> None:
    assert locs(errors_of(source={})) == {("source", "name")}
    assert locs(errors_of(source={"name": ""})) == {("source", "name")}


def test_unknown_fields_are_ignored_not_rejected() -> None:
    article = validate(shiny_new_field={"x": 1}, source={"name": "S", "ranking": 3})
    assert "shiny_new_field" not in article.model_dump()
    assert article.source.model_dump() == {"name": "S", "domain": None, "country": None}


@pytest.mark.parametrize("language", ["en", "fr", "haw", "en-GB", "zh-Hant", None])
def test_language_accepts_iso_codes_and_unknown(language: str | None) -> None:
    assert validate(language=language).language == language


@pytest.mark.parametrize("language", ["EN", "english", "e", "en_GB", ""])
def test_language_rejects_free_text(language: str) -> None:
    assert locs(errors_of(language=language)) == {("language",)}


def test_errors_are_reported_per_field_all_at_once() -> None:
    errors = errors_of(id="", body=3, published_at="2021-10-27T14:05:00")
    assert locs(errors) == {("id",), ("body",), ("published_at",)}


def test_articles_are_immutable() -> None:
    article = validate()
    with pytest.raises(ValidationError):
        article.id = "other"  # type: ignore[misc]
