"""Entity tagging with exact offsets, and countries resolved to actor codes."""

from __future__ import annotations

import itertools
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from streams.nlp import Analyzer
from streams.nlp.resolve import ACTOR_LABELS, REPORTED_LABELS

SAMPLES = Path(__file__).resolve().parents[2] / "streams" / "samples" / "articles.jsonl"


def sample_articles() -> list[dict[str, str]]:
    return [json.loads(line) for line in SAMPLES.read_bytes().splitlines() if line.strip()]


def resolved(analyzer: Analyzer, text: str) -> list[tuple[int, int, str, str, str | None]]:
    return [(e.start, e.end, e.text, e.label, e.actor.code if e.actor else None)
            for e in analyzer.analyze(text).entities]


def actors(analyzer: Analyzer, text: str) -> list[tuple[int, int, str, str, str]]:
    return [(s, e, t, label, code) for s, e, t, label, code in resolved(analyzer, text) if code]


# --- offsets --------------------------------------------------------------------

def test_offsets_are_exact_on_every_sample_article(analyzer: Analyzer) -> None:
    checked = 0
    for article in sample_articles():
        for name in ("title", "body"):
            text = article[name]
            for entity in analyzer.analyze(text, field=name).entities:  # type: ignore[arg-type]
                assert text[entity.start:entity.end] == entity.text, (article["id"], entity)
                assert entity.field == name
                checked += 1
    assert checked > 50


def test_offsets_count_characters_not_bytes(analyzer: Analyzer) -> None:
    text = "😀 Café à Zürich — «Привет». Russia warned the United States."
    found = actors(analyzer, text)
    assert found == [(28, 34, "Russia", "GPE", "RUS"), (46, 59, "United States", "GPE", "USA")]
    assert len(text[:28].encode("utf-8")) != 28  # byte offsets would differ
    assert all(text[s:e] == t for s, e, t, _, _ in found)


def test_offsets_survive_irregular_whitespace(analyzer: Analyzer) -> None:
    text = "  Russia  warned\n\nthe   United States."
    assert actors(analyzer, text) == [(2, 8, "Russia", "GPE", "RUS"),
                                      (24, 37, "United States", "GPE", "USA")]


def test_the_bundled_embassy_article_has_rus_and_usa_at_the_right_offsets(analyzer: Analyzer) -> None:
    article = next(a for a in sample_articles() if a["id"] == "us-rus-embassy-2021-10-27")
    body = article["body"]
    found = actors(analyzer, body)
    assert found[:2] == [(0, 6, "Russia", "GPE", "RUS"), (46, 59, "United States", "GPE", "USA")]
    # Countries count by their country part: "Russian diplomats" is RUSGOV, "officials" in
    # "US officials" a nominal USAGOV (richer codes since actor resolution, issue 3).
    codes = [code[:3] for *_, code in found]
    assert codes.count("RUS") >= 5 and codes.count("USA") >= 3
    for start, end, text, _, _ in found:
        assert body[start:end] == text


# --- the DESIGN.md worked example ---------------------------------------------------

WORKED_EXAMPLE = [
    ("Russia warned that ties with the US faced the threat of new aggravations.",
     [(0, 6, "Russia", "GPE", "RUS"), (33, 35, "US", "GPE", "USA")]),
    ("US officials led by Victoria Nuland met in Moscow with Sergei Ryabkov.",
     [(0, 2, "US", "GPE", "USA"), (3, 12, "officials", "PERSON", "USAGOV")]),
    ("Russia banned the mission from employing local staff.",
     [(0, 6, "Russia", "GPE", "RUS")]),
    ("Senators urged Biden to threaten to expel Russian diplomats.",
     [(42, 49, "Russian", "NORP", "RUSGOV")]),
    ('In May, Russia formally designated the United States an "unfriendly state".',
     [(8, 14, "Russia", "GPE", "RUS"), (39, 52, "United States", "GPE", "USA")]),
    # Role nouns give the role (issue 3): an adjective takes it ("Russian diplomats" is
    # RUSGOV); "U.S. and American officials" shares the noun across the coordination.
    ("U.S. and American officials discussed Ukraine with Russian diplomats.",
     [(0, 4, "U.S.", "GPE", "USAGOV"), (9, 17, "American", "NORP", "USAGOV"),
      (38, 45, "Ukraine", "GPE", "UKR"), (51, 58, "Russian", "NORP", "RUSGOV")]),
]


@pytest.mark.parametrize(("sentence", "expected"), WORKED_EXAMPLE,
                         ids=[s[:30] for s, _ in WORKED_EXAMPLE])
def test_worked_example_countries(analyzer: Analyzer, sentence: str,
                                  expected: list[tuple[int, int, str, str, str]]) -> None:
    found = actors(analyzer, sentence)
    # Later layers may add actors (capitals, institutions); these must be there as they are.
    missing = [item for item in expected if item not in found]
    assert missing == [], f"found {found}"
    for start, end, text, _, _ in found:
        assert sentence[start:end] == text


def test_worked_example_adjective_inside_an_institution_name(analyzer: Analyzer) -> None:
    sentence = "Washington issued a visa to a representative of the Russian Foreign Ministry."
    russian = [e for e in analyzer.analyze(sentence).entities if e.start == 52]
    assert len(russian) == 1
    (entity,) = russian
    assert entity.actor is not None and entity.actor.country == "RUS"
    assert sentence[entity.start:entity.end] == entity.text
    assert entity.text.startswith("Russian")


def test_worked_example_people_are_tagged_as_persons(analyzer: Analyzer) -> None:
    # Both are in the actor table with dated offices (issue 3), so on the article's
    # date they resolve to their governments.
    text = "US officials led by Victoria Nuland met in Moscow with Sergei Ryabkov."
    found = [(e.start, e.end, e.text, e.label, e.actor.code if e.actor else None)
             for e in analyzer.analyze(text, published_at=datetime(2021, 10, 27, tzinfo=UTC)).entities]
    assert (20, 35, "Victoria Nuland", "PERSON", "USAGOV") in found
    assert (55, 69, "Sergei Ryabkov", "PERSON", "RUSGOV") in found


@pytest.mark.parametrize(
    ("surface", "label", "code"),
    [("Russia", "GPE", "RUS"), ("Russian", "NORP", "RUS"), ("Russians", "NORP", "RUS"),
     ("US", "GPE", "USA"), ("United States", "GPE", "USA"),
     ("American", "NORP", "USA"), ("Americans", "NORP", "USA"), ("Ukraine", "GPE", "UKR"),
     ("Ukrainian", "NORP", "UKR"), ("Chinese", "NORP", "CHN"), ("British", "NORP", "GBR"),
     ("North Korea", "GPE", "PRK"), ("South Korean", "NORP", "KOR")],
)
def test_countries_and_adjectives_in_context(analyzer: Analyzer, surface: str, label: str,
                                             code: str) -> None:
    text = f"Books on {surface} history sold well, and {surface} cuisine too."
    first = text.index(surface)
    second = text.index(surface, first + 1)
    found = [(e.start, e.end, e.text, e.label, e.actor.code if e.actor else None)
             for e in analyzer.analyze(text).entities]
    assert found == [(first, first + len(surface), surface, label, code),
                     (second, second + len(surface), surface, label, code)]


def test_the_same_surface_gets_the_same_label_throughout_a_text(analyzer: Analyzer) -> None:
    text = "The U.S. said talks would go on. The U.S. said so again. The U.S. insisted."
    labels = {e.label for e in analyzer.analyze(text).entities if e.text == "U.S."}
    assert len(labels) == 1, labels


def test_adjectives_get_norp_and_the_demonym_basis(analyzer: Analyzer) -> None:
    (entity,) = analyzer.analyze("Ukrainian cuisine is popular.").entities
    assert (entity.label, entity.usage) == ("NORP", "actor")
    assert entity.actor is not None
    assert (entity.actor.code, entity.actor.country, entity.actor.role) == ("UKR", "UKR", None)
    assert entity.actor.basis == "gazetteer:demonym"


def test_an_adjective_before_a_role_noun_takes_its_role(analyzer: Analyzer) -> None:
    # Since issue 3: "Ukrainian forces" are the Ukrainian military, not just Ukraine.
    (entity,) = analyzer.analyze("Ukrainian forces advanced.").entities
    assert (entity.text, entity.label, entity.usage) == ("Ukrainian", "NORP", "actor")
    assert entity.actor is not None
    assert (entity.actor.code, entity.actor.country, entity.actor.role) == ("UKRMIL", "UKR", "MIL")


def test_hyphenated_country_pairs_are_split(analyzer: Analyzer) -> None:
    assert actors(analyzer, "The Russia-Ukraine war continues.") == [
        (4, 10, "Russia", "GPE", "RUS"), (11, 18, "Ukraine", "GPE", "UKR")]
    assert actors(analyzer, "US-Russia talks resumed.") == [
        (0, 2, "US", "GPE", "USA"), (3, 9, "Russia", "GPE", "RUS")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("The U.S.-Russia summit ended.", ["USA", "RUS"]),
     ("U.S.-led forces advanced.", ["USA"]),
     ("U.S.-China trade talks resumed.", ["USA", "CHN"])],
)
def test_abbreviation_before_a_hyphen_is_still_a_country(analyzer: Analyzer, text: str,
                                                        expected: list[str]) -> None:
    assert [code for *_, code in actors(analyzer, text)] == expected


# --- the pronoun "us" ------------------------------------------------------------

@pytest.mark.parametrize(
    "text",
    ["Tell us more.", "Let us know what you think.", "They told us that talks would resume.",
     "Join us on Friday.", "It is up to us, she said."],
)
def test_lowercase_us_is_a_pronoun_not_the_usa(analyzer: Analyzer, text: str) -> None:
    assert actors(analyzer, text) == []


def test_pronoun_and_country_in_one_sentence(analyzer: Analyzer) -> None:
    text = "Ask us, the US says."
    assert actors(analyzer, text) == [(12, 14, "US", "GPE", "USA")]


# --- shape of the result ------------------------------------------------------------

def test_only_reported_labels_and_actors_only_on_actor_labels(analyzer: Analyzer) -> None:
    for article in sample_articles():
        for entity in analyzer.analyze(article["body"]).entities:
            assert entity.label in REPORTED_LABELS
            if entity.actor is not None:
                assert entity.label in ACTOR_LABELS
            else:
                assert entity.usage != "actor"


def test_dates_and_numbers_are_not_reported(analyzer: Analyzer) -> None:
    labels = {e.label for e in analyzer.analyze("On 24 February 2022, 150,000 troops moved.").entities}
    assert labels <= REPORTED_LABELS
    assert "DATE" not in labels and "CARDINAL" not in labels


def test_entities_are_ordered_and_do_not_overlap(analyzer: Analyzer) -> None:
    for article in sample_articles():
        entities = analyzer.analyze(article["body"]).entities
        for a, b in itertools.pairwise(entities):
            assert a.end <= b.start


@pytest.mark.parametrize("text", ["", " ", "\n\n", "...", "1234"])
def test_texts_without_names(analyzer: Analyzer, text: str) -> None:
    result = analyzer.analyze(text)
    assert result.entities == [] and result.stances == []


def test_analysis_reports_field_and_counts(analyzer: Analyzer) -> None:
    result = analyzer.analyze("Russia warned. The US replied.", field="title")
    assert result.field == "title"
    assert result.sentences == 2
    assert result.tokens == 7
    assert {e.field for e in result.entities} == {"title"}


def test_published_at_does_not_change_country_resolution(analyzer: Analyzer) -> None:
    text = "Russia warned the United States."
    when = datetime(2021, 10, 27, tzinfo=UTC)
    assert analyzer.analyze(text, published_at=when) == analyzer.analyze(text)


def test_analysis_is_repeatable(analyzer: Analyzer) -> None:
    text = sample_articles()[0]["body"]
    assert analyzer.analyze(text) == analyzer.analyze(text)


def test_analyze_many_equals_analyze_per_text(analyzer: Analyzer) -> None:
    texts = []
    for article in sample_articles():
        texts += [(article["title"], "title"), (article["body"], "body")]
    texts.append(("Tell us more.", "body"))
    batch = analyzer.analyze_many(texts)  # type: ignore[arg-type]
    assert len(batch) == len(texts)
    for (text, name), result in zip(texts, batch, strict=True):
        assert result == analyzer.analyze(text, field=name)  # type: ignore[arg-type]


def test_analyze_many_of_nothing(analyzer: Analyzer) -> None:
    assert analyzer.analyze_many([]) == []


def test_a_second_analyzer_shares_the_pipeline_without_doubling_the_gazetteer(
    analyzer: Analyzer,
) -> None:
    other = Analyzer()
    # The actor gazetteer runs after NER and merges with it (issue 3), so that a PERSON
    # such as "Chad Smith" is not cut up by the country inside it.
    assert other.nlp.pipe_names.count("actor_gazetteer") == 1
    assert other.nlp.pipe_names.index("actor_gazetteer") > other.nlp.pipe_names.index("ner")
    text = "Russian and American envoys met in Ukraine."
    assert other.analyze(text) == analyzer.analyze(text)


@pytest.mark.parametrize("title", ["Lt.", "Col.", "Sgt.", "Capt.", "Maj.", "Brig.", "Cmdr.", "Cpl.",
                                   "Pvt.", "Supt.", "Pres.", "Amb.", "Hon.", "Gen.", "Sen."])
def test_an_abbreviated_title_neither_splits_nor_ends_the_sentence(analyzer: Analyzer,
                                                                   title: str) -> None:
    doc = analyzer.nlp(f"{title} John Mensah resigned on Monday in Accra, Ghana.")
    assert doc[0].text == title
    assert len(list(doc.sents)) == 1


def test_a_ranked_title_gives_its_holder_the_military_of_the_sentence(analyzer: Analyzer) -> None:
    text = "Lt. Gen. Prosper Avril resigned yesterday to allow Haiti's first democratic elections."
    people = [e for e in analyzer.analyze(text).entities if e.label == "PERSON"]
    assert [(e.text, e.actor.code if e.actor else None) for e in people] == [("Prosper Avril", "HTIMIL")]


def test_running_text_starts_no_sentence_straight_after_a_word(analyzer: Analyzer) -> None:
    # the sentence splitter cut "Chinese Premier Li | Peng on Thursday called upon ..." in two
    text = ("In a statement carried by the official Xinhua news agency, Chinese Premier Li Peng "
            "on Thursday called upon the Khmer Rouge to respond positively to the wishes of the "
            "Cambodian people.")
    assert len(list(analyzer.nlp(text).sents)) == 1
    # punctuation and line breaks still end sentences
    assert len(list(analyzer.nlp("Li Peng arrived. He met the king.").sents)) == 2
    assert len(list(analyzer.nlp("Li Peng arrives in Phnom Penh\nThe premier met the king.").sents)) == 2
