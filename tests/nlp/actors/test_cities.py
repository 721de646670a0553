"""The city table: which country a city is in, and only where the name is not shared."""

from __future__ import annotations

from datetime import UTC, datetime

from streams.nlp.actors.cities import CITIES_FILE, city_country
from streams.nlp.resolve import resolve_entities


def test_cities_of_wire_copy_are_in_their_country() -> None:
    for name, iso3 in (("Samarra", "IRQ"), ("Kherson", "UKR"), ("Lagos", "NGA"), ("Aleppo", "SYR"),
                       ("Hebron", "PSE"), ("Kraków", "POL"), ("Krakow", "POL"), ("the Hebron", "PSE")):
        assert city_country(name) == iso3, name


def test_names_two_countries_share_are_left_out() -> None:
    # Tripoli (Libya, Lebanon), Hyderabad (India, Pakistan): which one is meant needs the context
    for name in ("Tripoli", "Hyderabad", "Valencia", "Birmingham", "no such city"):
        assert city_country(name) is None, name


def test_the_table_says_where_it_comes_from() -> None:
    head = CITIES_FILE.read_text(encoding="utf-8")[:400]
    assert "GeoNames" in head and "CC BY 4.0" in head


def _places(analyzer, text: str) -> dict[str, tuple[str | None, str]]:  # type: ignore[no-untyped-def]
    doc = analyzer.nlp(text)
    return {e.text: (e.actor.code if e.actor else None, e.usage)
            for e in resolve_entities(doc, datetime(2024, 1, 1, tzinfo=UTC), "body")}


def test_a_city_the_sentence_places_resolves_to_its_country_as_a_place(analyzer) -> None:  # type: ignore[no-untyped-def]
    found = _places(analyzer, "A roadside bomb exploded near the town of Samarra on Sunday.")
    assert found["Samarra"] == ("IRQ", "place")
    found = _places(analyzer, "Thousands of people rallied in Lagos on Friday.")
    assert found["Lagos"] == ("NGA", "place")


def test_the_object_of_shelling_or_capture_is_a_place(analyzer) -> None:  # type: ignore[no-untyped-def]
    # spaCy reads the rare name as a person; what one shells or captures is a place
    assert _places(analyzer, "Russian forces shelled Kherson overnight.")["Kherson"] == ("UKR", "place")
    assert _places(analyzer, "Jackson captured the imagination of voters.").get(
        "Jackson", (None, ""))[0] is None


def test_a_person_named_like_a_city_is_not_a_place(analyzer) -> None:  # type: ignore[no-untyped-def]
    found = _places(analyzer, "Jackson said the talks would resume on Monday.")
    assert found.get("Jackson", (None, "actor"))[0] is None
