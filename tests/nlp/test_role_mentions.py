"""Unnamed actors known by their trade: "a human rights group", "aid agencies"."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(("text", "phrase", "code"), [
    ("A human rights group condemned Russia.", "human rights group", "NGOHRI"),
    ("Rights groups criticised the verdict against the journalists.", "Rights groups", "NGOHRI"),
    ("Aid agencies warned that Sudan was blocking food deliveries.", "Aid agencies", "NGO"),
    ("Several humanitarian organisations left the camp.", "humanitarian organisations", "NGO"),
])
def test_an_unnamed_ngo_is_an_actor_without_a_country(analyzer, text: str, phrase: str,  # type: ignore[no-untyped-def]
                                                      code: str) -> None:
    (found,) = [e for e in analyzer.analyze(text).entities if e.text == phrase]
    assert found.actor is not None and found.actor.code == code and found.actor.country is None
    assert text[found.start:found.end] == phrase


@pytest.mark.parametrize("text", [
    "Egyptian rights groups condemned the arrests.",      # the owner's, not an unnamed NGO
    "The group met in Paris on Monday.",                  # no trade named
    "Human rights are universal, the court said.",        # no organisation
])
def test_owned_or_tradeless_groups_are_not_unnamed_ngos(analyzer, text: str) -> None:  # type: ignore[no-untyped-def]
    assert not [e for e in analyzer.analyze(text).entities
                if e.actor is not None and e.actor.code.startswith("NGO")]


def test_an_unnamed_ngo_takes_part_in_events(analyzer) -> None:  # type: ignore[no-untyped-def]
    stances = analyzer.analyze("Human rights groups accused the Egyptian police of torture.").stances
    assert {(s.source.code, s.target.code, s.cameo_code[:2]) for s in stances} == {("NGOHRI", "EGYCOP", "11")}
