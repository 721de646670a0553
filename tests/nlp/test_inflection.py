"""The morphology of the closed vocabulary: irregular pasts and plurals come from lemminflect."""

from __future__ import annotations

import pytest

from streams.nlp.inflection import noun_forms, verb_forms


@pytest.mark.parametrize(("lemma", "forms"), [
    ("find", {"found", "finds", "finding"}),  # missing before lemminflect: "found guilty" was dropped
    ("flee", {"fled"}), ("seek", {"sought"}), ("lay", {"laid"}), ("let", {"let", "letting"}),
    ("quit", {"quit", "quitting"}), ("be", {"was", "were", "is", "are", "been"}),
    ("ban", {"banned", "banning", "bans"}), ("deny", {"denied", "denies"}),
    ("panic", {"panicked"}), ("visit", {"visited", "visiting"}),
])
def test_verb_forms_include_the_irregular_and_regular_inflections(lemma: str, forms: set[str]) -> None:
    assert forms <= verb_forms(lemma)


@pytest.mark.parametrize(("lemma", "plural"), [
    ("embargo", "embargoes"), ("veto", "vetoes"), ("crisis", "crises"), ("casualty", "casualties"),
    ("sanction", "sanctions"), ("man", "men"), ("ceasefire", "ceasefires"),
])
def test_noun_forms_include_the_plural(lemma: str, plural: str) -> None:
    assert {lemma, plural} <= noun_forms(lemma)


def test_an_unlisted_word_still_gets_regular_forms() -> None:
    assert {"blorfed", "blorfing", "blorfs"} <= verb_forms("blorf")
    assert "blorfs" in noun_forms("blorf")
