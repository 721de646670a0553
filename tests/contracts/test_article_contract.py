"""The input contract: what ``news.articles.v1`` accepts, and how it says no."""

from __future__ import annotations

import json
import unicodedata
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from streams.contracts import Article, Source
from streams.contracts.article import MAX_BODY_CHARS, MAX_ID_CHARS
from streams.contracts.common import EARLIEST_EVENT_TIME, LATEST_EVENT_TIME


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


# --- id: Unicode normalisation -------------------------------------------------------

def test_id_is_normalised_to_nfc() -> None:
    composed, decomposed = "caf\u00e9", "cafe\u0301"
    assert composed != decomposed
    assert validate(id=decomposed).id == composed
    assert validate(id=composed).id == composed
    # Equal ids, so equal Kafka keys and dedup-table keys.
    assert validate(id=decomposed).id.encode() == validate(id=composed).id.encode()


@pytest.mark.parametrize(
    ("raw", "nfc"),
    [
        ("A\u030a", "\u00c5"),  # A + combining ring -> Å
        ("\u212b", "\u00c5"),  # ANGSTROM SIGN -> Å (a canonical singleton)
        ("\u1100\u1161\u11a8", "\uac01"),  # conjoining jamo -> one Hangul syllable
        ("q\u0307\u0323", "q\u0323\u0307"),  # combining marks reordered canonically
    ],
)
def test_canonically_equivalent_ids_are_one_id(raw: str, nfc: str) -> None:
    assert validate(id=raw).id == validate(id=nfc).id == nfc


def test_compatibility_forms_are_not_folded() -> None:
    """NFC, not NFKC: a ligature or a full-width letter stays a different id."""
    assert validate(id="\ufb01x").id == "\ufb01x"
    assert validate(id="\uff21").id == "\uff21"


def test_id_limits_apply_to_the_normalised_id() -> None:
    # 256 decomposed é's are 512 characters but 256 once composed: accepted.
    assert validate(id="e\u0301" * MAX_ID_CHARS).id == "\u00e9" * MAX_ID_CHARS
    # U+0958 is excluded from composition: NFC decomposes it into 2 characters.
    (error,) = errors_of(id="\u0958" * (MAX_ID_CHARS // 2 + 1))
    assert (error["loc"], error["type"]) == (("id",), "string_too_long")


@pytest.mark.parametrize("blank", [" ", "   ", "\u2000", "\u3000", "\u00a0", "\n\t"])
def test_ids_that_are_empty_after_stripping_are_rejected(blank: str) -> None:
    assert blank.strip() == ""
    assert locs(errors_of(id=blank)) == {("id",)}


def test_non_string_ids_are_still_strictly_rejected() -> None:
    for bad in (5, 1.5, None, ["a"], {"a": 1}):
        assert locs(errors_of(id=bad)) == {("id",)}


#: Candidate id characters: anything but whitespace, surrogates and controls.
_id_text = st.text(
    st.characters(exclude_categories=["Zs", "Zl", "Zp", "Cs", "Cc"]), min_size=1, max_size=40
)


@settings(max_examples=300, deadline=None)
@given(_id_text)
def test_nfc_normalisation_is_idempotent_and_collapses_equivalence_classes(text: str) -> None:
    forms = {unicodedata.normalize(form, text) for form in ("NFC", "NFD")} | {text}
    ids = {validate(id=form).id for form in forms}
    assert ids == {unicodedata.normalize("NFC", text)}
    (only,) = ids
    assert unicodedata.is_normalized("NFC", only)
    assert validate(id=only).id == only  # idempotent: the output is a fixed point
    assert Article.model_validate_json(validate(id=text).model_dump_json()).id == only


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
    ["1899-12-31T23:59:59Z", "2101-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "0001-01-01T00:00:00Z",
     "1899-12-31T23:59:59.999999Z", "2100-12-31T23:00:00-01:00"],
)
def test_out_of_range_dates_are_rejected_with_the_range_in_the_message(stamp: str) -> None:
    (error,) = errors_of(published_at=stamp)
    assert error["loc"] == ("published_at",)
    assert "outside the supported range 1900-2100" in error["msg"]
    assert "from 1900-01-01T00:00:00Z, before 2101-01-01T00:00:00Z" in error["msg"]


def test_range_is_the_years_1900_through_2100_in_utc() -> None:
    """The README's "1900–2100" is inclusive: 2100 is in, 2101 is out."""
    assert datetime(1900, 1, 1, tzinfo=UTC) == EARLIEST_EVENT_TIME
    assert datetime(2101, 1, 1, tzinfo=UTC) == LATEST_EVENT_TIME


def test_range_bounds_are_inclusive_below_and_exclusive_above() -> None:
    assert validate(published_at="1900-01-01T00:00:00Z").published_at == EARLIEST_EVENT_TIME
    assert validate(published_at="2099-12-31T23:59:59Z").published_at.year == 2099
    assert validate(published_at="2100-01-01T00:00:00Z").published_at.year == 2100
    last = validate(published_at="2100-12-31T23:59:59Z").published_at
    assert last == datetime(2100, 12, 31, 23, 59, 59, tzinfo=UTC)
    assert validate(published_at="2100-12-31T23:59:59.999999Z").published_at < LATEST_EVENT_TIME
    assert locs(errors_of(published_at="2101-01-01T00:00:00Z")) == {("published_at",)}
    # The range check happens in UTC: 2101-01-01T01:00+02:00 is still 2100 in UTC,
    # and 1899-12-31T23:00-01:00 is already 1900.
    assert validate(published_at="2101-01-01T01:00:00+02:00").published_at.year == 2100
    assert validate(published_at="1899-12-31T23:00:00-01:00").published_at == EARLIEST_EVENT_TIME


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


# --- RFC 3339 details: leap seconds, offsets, case ----------------------------------

def test_a_leap_second_is_the_last_instant_of_its_minute() -> None:
    article = validate(published_at="2016-12-31T23:59:60Z")
    assert article.published_at == datetime(2016, 12, 31, 23, 59, 59, 999_999, tzinfo=UTC)
    assert article.published_at.tzinfo == UTC
    # Ordered between the minute's last ordinary second and the next minute.
    assert validate(published_at="2016-12-31T23:59:59.5Z").published_at < article.published_at
    assert article.published_at < validate(published_at="2017-01-01T00:00:00Z").published_at


@pytest.mark.parametrize(
    "stamp",
    ["2016-12-31T23:59:60Z", "2016-12-31T23:59:60.5Z", "2016-12-31T23:59:60.999999999Z",
     "2016-12-31t23:59:60z", "2016-12-31 23:59:60Z", "2016-12-31T23:59:60+00:00",
     "2016-12-31T15:59:60-08:00", "2017-01-01T05:29:60+05:30"],
)
def test_leap_second_forms_all_map_to_the_same_instant(stamp: str) -> None:
    """The offset is kept (the same local minute), the fraction of :60 is dropped."""
    expected = datetime(2016, 12, 31, 23, 59, 59, 999_999, tzinfo=UTC)
    assert validate(published_at=stamp).published_at == expected


def test_leap_second_is_accepted_in_any_minute_and_in_ingested_at() -> None:
    assert validate(published_at="2021-10-27T14:05:60Z").published_at == datetime(
        2021, 10, 27, 14, 5, 59, 999_999, tzinfo=UTC)
    assert validate(ingested_at="2015-06-30T23:59:60Z").ingested_at == datetime(
        2015, 6, 30, 23, 59, 59, 999_999, tzinfo=UTC)


def test_leap_second_at_the_range_edges() -> None:
    assert validate(published_at="2100-12-31T23:59:60Z").published_at < LATEST_EVENT_TIME
    assert locs(errors_of(published_at="1899-12-31T23:59:60Z")) == {("published_at",)}


@pytest.mark.parametrize("stamp", ["2016-12-31T23:59:61Z", "2016-12-31T23:59:61.5Z",
                                   "2016-12-31T23:59:99Z", "2016-12-31T23:60:00Z"])
def test_seconds_past_60_and_minute_60_are_rejected(stamp: str) -> None:
    (error,) = errors_of(published_at=stamp)
    assert error["loc"] == ("published_at",)


def test_second_61_names_the_allowed_range() -> None:
    (error,) = errors_of(published_at="2016-12-31T23:59:61Z")
    assert "0..60" in error["msg"]


def test_a_naive_leap_second_is_still_naive() -> None:
    (error,) = errors_of(published_at="2016-12-31T23:59:60")
    assert error["type"] == "timezone_aware"


@pytest.mark.parametrize(
    "stamp",
    ["2021-10-27T19:35:00+05:30", "2021-10-27t19:35:00+05:30", "2021-10-27T14:05:00z",
     "2021-10-27t14:05:00Z", "2021-10-27t14:05:00z", "2021-10-27 14:05:00Z",
     "2021-10-27T08:50:00-05:15", "2021-10-28T13:05:00+23:00"],
)
def test_offsets_and_lowercase_t_and_z_are_rfc3339(stamp: str) -> None:
    article = validate(published_at=stamp)
    assert article.published_at == datetime(2021, 10, 27, 14, 5, tzinfo=UTC)
    assert article.published_at.tzinfo == UTC


@pytest.mark.parametrize("stamp", ["2016-12-31T23:59:٦٠Z", "٢٠٢١-10-27T14:05:00Z"])
def test_non_ascii_digits_are_not_rfc3339(stamp: str) -> None:
    assert locs(errors_of(published_at=stamp)) == {("published_at",)}


_offsets = st.integers(min_value=-(24 * 60 - 1), max_value=24 * 60 - 1)


def _offset_text(minutes: int, zulu: str) -> str:
    if minutes == 0 and zulu:
        return zulu
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


@settings(max_examples=300, deadline=None)
@given(
    instant=st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2100, 12, 31, 23, 59, 59,
                                                                            999_999)),
    offset=_offsets,
    separator=st.sampled_from("Tt "),
    zulu=st.sampled_from(["Z", "z", ""]),
    digits=st.integers(min_value=0, max_value=9),
    extra=st.text("0123456789", min_size=3, max_size=3),
)
def test_any_rfc3339_timestamp_in_range_parses(
    instant: datetime, offset: int, separator: str, zulu: str, digits: int, extra: str
) -> None:
    """Every in-range instant, in any offset and RFC 3339 spelling, reads back exactly.

    Fractions beyond microseconds are truncated, never rounded into the next second.
    """
    utc = instant.replace(tzinfo=UTC)
    local = utc.astimezone(timezone(timedelta(minutes=offset)))
    fraction = (f"{local.microsecond:06d}" + extra)[:digits]
    text = (f"{local:%Y-%m-%d}{separator}{local:%H:%M:%S}"
            + (f".{fraction}" if fraction else "") + _offset_text(offset, zulu))
    expected = utc.replace(microsecond=int(fraction[:6].ljust(6, "0")) if fraction else 0)
    parsed = validate(published_at=text).published_at
    assert parsed == expected, text
    assert parsed.tzinfo == UTC


@settings(max_examples=200, deadline=None)
@given(
    minute=st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2100, 12, 31, 23, 59)),
    offset=_offsets,
    fraction=st.text("0123456789", max_size=9),
    zulu=st.sampled_from(["Z", "z", ""]),
)
def test_a_leap_second_in_any_minute_and_offset_is_its_minutes_last_instant(
    minute: datetime, offset: int, fraction: str, zulu: str
) -> None:
    utc = minute.replace(second=0, microsecond=0, tzinfo=UTC)
    local = utc.astimezone(timezone(timedelta(minutes=offset)))
    text = (f"{local:%Y-%m-%dT%H:%M}:60" + (f".{fraction}" if fraction else "")
            + _offset_text(offset, zulu))
    assert validate(published_at=text).published_at == utc.replace(second=59, microsecond=999_999)


@settings(max_examples=200, deadline=None)
@given(
    instant=st.one_of(
        st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(1899, 12, 31, 23, 59, 59, 999_999)),
        st.datetimes(min_value=datetime(2101, 1, 1), max_value=datetime(9999, 12, 30)),
    ),
)
def test_any_timestamp_out_of_range_is_rejected(instant: datetime) -> None:
    text = instant.replace(tzinfo=UTC).isoformat()
    assert locs(errors_of(published_at=text)) == {("published_at",)}


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
