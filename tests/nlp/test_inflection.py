"""The morphology of the closed vocabulary: irregular pasts and plurals come from lemminflect."""

from __future__ import annotations

import pytest

from streams.nlp.inflection import nominalized_verbs, noun_forms, verb_forms


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


@pytest.mark.parametrize(("noun", "verb"), [
    ("evacuation", "evacuate"), ("deportations", "deport"), ("accusation", "accuse"),
    ("exclusion", "exclude"), ("suspension", "suspend"), ("admission", "admit"),
    ("expression", "express"), ("reversal", "reverse"), ("denial", "deny"),
    ("abduction", "abduct"), ("harassment", "harass"), ("seizure", "seize"),
    ("departure", "depart"), ("delivery", "deliver"), ("normalization", "normalize"),
    ("militarisation", "militarise"), ("intensification", "intensify"), ("adoption", "adopt"),
    ("execution", "execute"), ("resistance", "resist"), ("expansion", "expand"),
])
def test_a_verbs_own_noun_leads_back_to_the_verb(noun: str, verb: str) -> None:
    assert verb in nominalized_verbs(noun)


@pytest.mark.parametrize("word", ["war", "peace", "talks", "army", "crisis", "ion"])
def test_a_word_without_a_verb_suffix_has_no_verb(word: str) -> None:
    assert nominalized_verbs(word) == []
