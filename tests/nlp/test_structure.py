"""Article structure: captions, credits, bylines, datelines and pleas are not story sentences."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from streams.nlp.structure import is_story, segments

SAMPLES = Path(__file__).resolve().parents[2] / "streams" / "samples" / "articles.jsonl"
STORY = "Russia warned the United States on Wednesday."

#: (text, the non-story part); the story is ``STORY`` on the line after (or glued after) it.
CREDITS = [
    "Russian Foreign Ministry / TASS",
    "Maxim Shemetov / Reuters",
    "U.S. Embassy / Reuters",
    "REUTERS/Evgenia Novozhenina",
    "(AP Photo/Alexander Zemlianichenko)",
    "Photo: AFP",
    "Photo by John Doe/Getty Images",
    "Kremlin Press Service",
]
CAPTIONS = [
    "Sergei Ryabkov. Russian Foreign Ministry / TASS",
    "Vladimir Putin meets Xi Jinping in Beijing. Kremlin.ru",
    "Deputy Foreign Minister Sergei Ryabkov at a briefing. Vladimir Gerdo / TASS",
]
BYLINES = [
    "By John Smith",
    "By Jane Doe and John Roe, Reuters",
    "Written by Anna Petrova",
]
PLEAS = [
    "Support The Moscow Times!",
    "Contribute today",
    "Sign up for our free weekly newsletter.",
    "Read more: Russia expels diplomats",
    "© 2021 Example Wire. All rights reserved.",
    "This article was originally published by Meduza.",
]
DATELINES = [
    "MOSCOW -",
    "MOSCOW (Reuters) -",
    "WASHINGTON, Oct 27 (Reuters) -",
    "KYIV, Ukraine (AP) —",
    "UNITED NATIONS —",
    "Moscow (AFP) -",
    "BEIJING, Feb. 4 (Xinhua) --",
]
#: Story lines that look like the furniture above and must stay story.
LOOKALIKES = [
    "By Tuesday, Russia had warned the United States.",
    "NATO - the alliance - met on Monday.",
    "The Reuters/Ipsos poll found that Russia is unpopular.",
    "Reuters/Ipsos polls show support for sanctions falling.",
    "US/Russia talks ended without a deal.",
    "Russia warned the United States. Kremlin.ru is the Kremlin's website.",
    "Critics said the minister should support the Moscow Times and other outlets that were shut.",
    # a link glued to the story's next sentence: the story matters more than the headline
    "SEE ALSO: Russia expels diplomats; US responds THE FACTS: Russia did not expel anyone in the "
    "past week, and the foreign ministry said on Tuesday that no expulsions were planned.",
]


def found(text: str) -> list[str]:
    return [text[s.start:s.end] for s in segments(text)]


@pytest.mark.parametrize("furniture", CREDITS + CAPTIONS + BYLINES + PLEAS)
def test_a_line_of_furniture_before_the_story_is_found_whole(furniture: str) -> None:
    assert found(f"{furniture}\n{STORY}") == [furniture]


@pytest.mark.parametrize("furniture", BYLINES[:1] + PLEAS)
def test_a_line_of_furniture_after_the_story_is_found_whole(furniture: str) -> None:
    assert found(f"{STORY}\n{furniture}") == [furniture]


@pytest.mark.parametrize("credit", ["Russian Foreign Ministry / TASS", "Maxim Shemetov / Reuters"])
def test_a_credit_glued_to_the_first_sentence_is_cut_off(credit: str) -> None:
    assert found(f"{credit} {STORY}") == [credit]


def test_the_caption_line_above_a_credit_line_is_caption() -> None:
    text = f"Sergei Ryabkov at a briefing in Moscow.\nMaxim Shemetov / Reuters\n{STORY}"
    assert [(s.kind, text[s.start:s.end]) for s in segments(text)] == [
        ("caption", "Sergei Ryabkov at a briefing in Moscow."), ("credit", "Maxim Shemetov / Reuters")]


@pytest.mark.parametrize("dateline", DATELINES)
def test_a_dateline_opens_the_story_and_is_cut_off(dateline: str) -> None:
    assert found(f"{dateline} {STORY}") == [dateline]


@pytest.mark.parametrize("dateline", DATELINES[:2])
def test_a_dateline_only_opens_a_story(dateline: str) -> None:
    assert found(f"{STORY}\n{dateline} {STORY}") == []


@pytest.mark.parametrize("line", LOOKALIKES)
def test_story_lines_that_look_like_furniture_stay_story(line: str) -> None:
    assert found(f"{line}\n{STORY}") == []


def test_sample_bodies_lose_only_their_dateline() -> None:
    for raw in SAMPLES.read_text("utf-8").splitlines():
        article = json.loads(raw)
        for text in (article["title"], article["body"]):
            assert all(text[s.start:s.end] == "MOSCOW -" for s in segments(text)), article["id"]


# -- through the pipeline: sentences, offsets, stances ------------------------------------------


@pytest.mark.parametrize("furniture", ["Russian Foreign Ministry / TASS", "MOSCOW (Reuters) -",
                                       "Sergei Ryabkov. Russian Foreign Ministry / TASS"])
@pytest.mark.parametrize("glue", [" ", "\n"])
def test_the_story_sentence_starts_after_the_furniture(analyzer, furniture: str, glue: str) -> None:  # type: ignore[no-untyped-def]
    text = f"{furniture}{glue}{STORY}"
    doc = analyzer.nlp(text)
    story = [s for s in doc.sents if is_story(s)]
    assert [s.text.strip() for s in story] == [STORY]
    assert story[0].start_char == text.index(STORY)


def test_stances_of_a_story_under_a_caption_have_exact_offsets(analyzer) -> None:  # type: ignore[no-untyped-def]
    text = "Russian Foreign Ministry / TASS\nRussia condemned the United States on Wednesday."
    stances = analyzer.analyze(text).stances
    assert [(s.source.code, s.target.code) for s in stances] == [("RUS", "USA")]
    ev = stances[0].evidence
    assert ev.sentence == "Russia condemned the United States on Wednesday."
    assert text[ev.sentence_start:].startswith(ev.sentence)
    assert text[slice(*ev.source_span)] == "Russia"
    assert text[slice(*ev.target_span)] == "United States"


def test_a_plea_is_not_coded(analyzer) -> None:  # type: ignore[no-untyped-def]
    text = ("Russia condemned the United States on Wednesday.\n"
            "Dear readers, Russia's Prosecutor General's Office has banned The Moscow Times. "
            "Support The Moscow Times!")
    sentences = {s.evidence.sentence.strip() for s in analyzer.analyze(text).stances}
    assert sentences == {"Russia condemned the United States on Wednesday."}
