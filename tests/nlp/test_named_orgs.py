"""Organisations the actor table lacks, read from their own name (sentences of ours)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from streams.nlp.resolve import resolve_entities

AT = datetime(2024, 1, 1, tzinfo=UTC)


def _codes(analyzer, text: str) -> dict[str, str | None]:  # type: ignore[no-untyped-def]
    doc = analyzer.nlp(text)
    return {e.text: e.actor.code if e.actor else None for e in resolve_entities(doc, AT, "body")}


@pytest.mark.parametrize(("text", "name", "code"), [
    ("The Kenyan Association of Jurists criticised the ruling.", "Kenyan Association of Jurists", "KENNGO"),
    ("Doctors delivered medicine to Baghdad University Medical School on Monday.",
     "Baghdad University Medical School", "IRQEDU"),
    ("Turkish Airlines suspended its flights to Tehran.", "Turkish Airlines", "TURBUS"),
])
def test_a_name_with_one_country_and_a_sector_noun_is_read(analyzer, text: str, name: str,  # type: ignore[no-untyped-def]
                                                           code: str) -> None:
    assert _codes(analyzer, text).get(name) == code


@pytest.mark.parametrize(("text", "name"), [
    ("The American University of Beirut reopened on Monday.", "American University of Beirut"),  # two places
    ("Harvard University criticised the decision.", "Harvard University"),  # no country
    # a council may be a state organ
    ("The Kenyan National Council met on Monday.", "Kenyan National Council"),
])
def test_a_name_that_does_not_say_whose_it_is_stays_unresolved(analyzer, text: str, name: str) -> None:  # type: ignore[no-untyped-def]
    codes = _codes(analyzer, text)
    assert codes.get(name) is None, codes
