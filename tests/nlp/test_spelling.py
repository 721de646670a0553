"""Country names misspelt by one slip of the hand are still the country."""

from __future__ import annotations

import pycountry
import pytest

from streams.nlp import gazetteer
from streams.nlp.spelling import one_slip, respelt, slip_candidates


@pytest.mark.parametrize(("name", "surface"), [
    ("Afganistan", "Afghanistan"),    # dropped
    ("Phillippines", "Philippines"),  # doubled
    ("Pakitsan", "Pakistan"),         # swapped
])
def test_a_slip_reads_as_the_country(name: str, surface: str) -> None:
    assert one_slip(name.lower(), surface.lower())
    assert respelt(name, gazetteer.table()) == [surface]
    (found, *_) = slip_candidates(name, gazetteer.table())
    assert f"'{name}' read as {surface}" in found.basis


@pytest.mark.parametrize(("name", "surface"), [
    ("granada", "grenada"),   # a letter changed: another real place
    ("indiana", "indian"),    # a letter added that doubles nothing
    ("tainan", "taiwan"),
    ("afghanistan", "afghanistan"),
])
def test_other_differences_are_not_slips(name: str, surface: str) -> None:
    assert not one_slip(name, surface)


def test_no_known_place_name_is_read_as_a_misspelt_country() -> None:
    """Every ISO subdivision and every non-country surface of the table: none is a 'slip'."""
    table = gazetteer.table()
    names = {s.name for s in pycountry.subdivisions} | {
        s.text for s in table.surfaces() if s.kind not in ("country", "capital", "demonym")}
    assert len(names) > 5000
    misread = [n for n in sorted(names) if not gazetteer.candidates(n) and slip_candidates(n, table)]
    assert misread == []


def test_short_names_and_two_country_slips_are_not_read() -> None:
    table = gazetteer.table()
    assert respelt("Irn", table) == []  # too short to tell from other words
    assert slip_candidates("Mali", table) == []


def test_a_misspelt_country_takes_part_in_events(analyzer) -> None:  # type: ignore[no-untyped-def]
    stances = analyzer.analyze("Pakistan rejected a fresh offer from Afganistan for direct talks.").stances
    assert {(s.source.code, s.target.code) for s in stances} == {("PAK", "AFG")}
