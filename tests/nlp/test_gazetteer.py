"""The actor gazetteer: surface forms from the actor table (plus pycountry territories)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

import pycountry
import pytest

from streams.nlp import gazetteer
from streams.nlp.actors import ActorTable
from streams.nlp.gazetteer import country_names, entries, resolve_surface

ISO3 = {c.alpha_3 for c in pycountry.countries}
TABLE = ActorTable.load()
KINDS = {"country", "demonym", "capital", "palace", "institution", "igo", "ngo", "leader", "group", "title"}


def test_entries_are_well_formed() -> None:
    assert len(entries()) > 3 * len(ISO3)
    for entry in entries():
        assert entry.surface and entry.surface == entry.surface.strip()
        assert entry.kind in KINDS, entry
        assert entry.label in {"GPE", "NORP", "ORG", "PERSON"}, entry
        if entry.kind == "country":
            assert entry.key.split(":")[1] in ISO3 | {"XKX"}, entry


def test_no_surface_form_names_two_countries_unless_the_table_says_it_is_shared() -> None:
    codes: dict[str, set[str]] = defaultdict(set)
    for entry in entries():
        if entry.kind == "country":
            codes[entry.surface.casefold()].add(entry.key)
    shared = {s.casefold() for row in TABLE.countries() for s in row.shared}
    assert {s: c for s, c in codes.items() if len(c) > 1 and s not in shared} == {}


def test_surface_and_key_pairs_are_unique() -> None:
    pairs = [(e.surface, e.key) for e in entries()]
    assert len(pairs) == len(set(pairs))


def test_entries_are_deterministic() -> None:
    assert entries() == gazetteer.entries.__wrapped__()  # type: ignore[attr-defined]


def test_every_country_has_at_least_one_surface_form() -> None:
    # pycountry names with ',' or '(' (Holy See, Micronesia, the Virgin Islands...) used to
    # be skipped; the actor table names them and pycountry fills in the territories.
    covered = {e.key.split(":")[1] for e in entries() if e.kind == "country"}
    assert sorted(ISO3 - covered) == []


@pytest.mark.parametrize(
    ("surface", "code"),
    [("Holy See", "VAT"), ("Vatican", "VAT"), ("Micronesia", "FSM"), ("Falkland Islands", "FLK"),
     ("British Virgin Islands", "VGB"), ("Saint Martin", "MAF"), ("Bonaire", "BES"),
     ("Cocos Islands", "CCK"), ("Aruba", "ABW")],
)
def test_names_that_pycountry_writes_with_commas_or_brackets(surface: str, code: str) -> None:
    actor = resolve_surface(surface)
    assert actor is not None and actor.code == code


@pytest.mark.parametrize(
    ("surface", "code", "basis"),
    [
        ("Russia", "RUS", "gazetteer:country"),
        ("Russian Federation", "RUS", "gazetteer:country"),
        ("Russian", "RUS", "gazetteer:demonym"),
        ("Russians", "RUS", "gazetteer:demonym"),
        ("U.S.", "USA", "gazetteer:country"),
        ("US", "USA", "gazetteer:country"),
        ("United States", "USA", "gazetteer:country"),
        ("American", "USA", "gazetteer:demonym"),
        ("Ukraine", "UKR", "gazetteer:country"),
        ("Ukrainian", "UKR", "gazetteer:demonym"),
        ("North Korea", "PRK", "gazetteer:country"),
        ("Türkiye", "TUR", "gazetteer:country"),
        ("Germany", "DEU", "gazetteer:country"),
        ("Peru", "PER", "gazetteer:country"),
        ("Bolivia", "BOL", "gazetteer:country"),
        ("Iran", "IRN", "gazetteer:country"),
    ],
)
def test_resolve_surface(surface: str, code: str, basis: str) -> None:
    actor = resolve_surface(surface)
    assert actor is not None
    assert (actor.code, actor.country, actor.role, actor.basis) == (code, code, None, basis)
    assert actor.name == country_names()[code]


@pytest.mark.parametrize(
    ("surface", "code"),
    [("Moscow", "RUSGOV"), ("the Kremlin", "RUSGOV"), ("Interfax", "RUSMED"), ("NATO", "IGONAT"),
     ("State Department", "USAGOV"), ("the Pentagon", "USAGOV")],
)
def test_capitals_palaces_institutions_and_igos_are_actors_now(surface: str, code: str) -> None:
    actor = resolve_surface(surface)
    assert actor is not None and actor.code == code


def test_leaders_resolve_on_the_date() -> None:
    assert (ref := resolve_surface("Joe Biden", date(2021, 10, 27))) and ref.code == "USAGOV"
    assert (ref := resolve_surface("Joe Biden", date(2026, 1, 1))) and ref.code != "USAGOV"


@pytest.mark.parametrize("surface", ["the United States", "The United States", "  Russia  ",
                                     "UKRAINE", "the Netherlands"])
def test_resolve_surface_tolerates_articles_case_and_spaces(surface: str) -> None:
    assert resolve_surface(surface) is not None


@pytest.mark.parametrize("surface", ["", "the", "Russiaa", "United", "States", "us", "Congo"])
def test_unknown_or_ambiguous_surfaces_resolve_to_nothing(surface: str) -> None:
    assert resolve_surface(surface) is None


def test_country_names_cover_every_iso_code() -> None:
    names = country_names()
    assert set(names) >= ISO3
    assert names["USA"] == "United States"
    assert names["BOL"] == "Bolivia"  # the common name, not the official one
