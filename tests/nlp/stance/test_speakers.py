"""Who said each quote: one test per way news attributes speech, with sentences we wrote."""

from __future__ import annotations

import re

import pytest

from streams.contracts import ActorRef, Entity, Stance
from streams.nlp.stance import extract_stances
from streams.nlp.stance.mentions import actor_mentions
from streams.nlp.stance.speakers import Quote, attribute_quotes, quote_spans

#: surface -> (actor code or None, spaCy label)
PEOPLE = {
    "Sergei Ryabkov": ("RUSGOV", "PERSON"), "Ryabkov": ("RUSGOV", "PERSON"),
    "Ned Price": ("USAGOV", "PERSON"), "Price": ("USAGOV", "PERSON"),
    "Anna Ivanova": (None, "PERSON"),
    "Interfax": ("RUSMED", "ORG"), "Russian Foreign Ministry": ("RUSGOV", "ORG"),
    "Americans": ("USA", "NORP"), "United States": ("USA", "GPE"), "Russia": ("RUS", "GPE"),
    "Washington": ("USAGOV", "GPE"),
}


def entities(text: str) -> list[Entity]:
    out = []
    taken: set[int] = set()
    for surface, (code, label) in sorted(PEOPLE.items(), key=lambda kv: -len(kv[0])):
        for m in re.finditer(r"(?<!\w)" + re.escape(surface) + r"(?!\w)", text):
            if taken & set(range(m.start(), m.end())):
                continue
            taken |= set(range(m.start(), m.end()))
            actor = None if code is None else ActorRef(
                code=code, country=code[:3], role=code[3:6] or None, name=surface,  # type: ignore[arg-type]
                basis="test")
            out.append(Entity(field="body", start=m.start(), end=m.end(), text=surface, label=label,
                              actor=actor, usage="actor"))
    return sorted(out, key=lambda e: e.start)


@pytest.fixture(scope="module")
def quotes(analyzer):  # type: ignore[no-untyped-def]
    def run(text: str) -> list[tuple[str, str | None, str | None]]:
        """(quoted words, speaker as written at its offsets, how) of each spoken quote."""
        doc = analyzer.nlp(text)
        ents = entities(text)
        out = []
        for q in attribute_quotes(doc, actor_mentions(doc, ents), ents):
            if not q.is_speech(doc):
                continue
            sp = q.speaker
            out.append((doc[q.start:q.end].text.strip(), text[sp.start:sp.end] if sp else None,
                        sp.how if sp else None))
        return out

    return run


@pytest.fixture(scope="module")
def stances(analyzer):  # type: ignore[no-untyped-def]
    def run(text: str) -> list[Stance]:
        doc = analyzer.nlp(text)
        return extract_stances(doc, entities(text), "body")

    return run


def speakers(found: list[tuple[str, str | None, str | None]]) -> list[str | None]:
    return [s for _, s, _ in found]


# -- attribution shapes --------------------------------------------------------------------------


def test_name_said_after_the_quote(quotes) -> None:  # type: ignore[no-untyped-def]
    assert quotes('"We expect parity on staffing numbers," Price said.') == [
        ("We expect parity on staffing numbers,", "Price", "said")]


def test_said_name_with_a_title_after_it(quotes) -> None:  # type: ignore[no-untyped-def]
    found = quotes('"We expect parity on staffing," said Ryabkov, the deputy foreign minister.')
    assert speakers(found) == ["Ryabkov"]


def test_agency_quoted_name_as_saying_names_the_person_not_the_agency(quotes) -> None:  # type: ignore[no-untyped-def]
    found = quotes('"Americans are not heeding our logic," news agency Interfax quoted Ryabkov as saying.')
    assert found == [("Americans are not heeding our logic,", "Ryabkov", "quoted")]


def test_name_was_quoted_as_saying_before_the_quote(quotes) -> None:  # type: ignore[no-untyped-def]
    found = quotes('Ryabkov was quoted by Interfax as saying: "We propose the removal of all restrictions."')
    assert speakers(found) == ["Ryabkov"]


def test_name_said_before_the_quote(quotes) -> None:  # type: ignore[no-untyped-def]
    assert speakers(quotes('Price told reporters: "We will not accept these restrictions."')) == ["Price"]


def test_according_to_name(quotes) -> None:  # type: ignore[no-untyped-def]
    found = quotes('"The talks were useful but difficult," according to Ryabkov.')
    assert found == [("The talks were useful but difficult,", "Ryabkov", "according")]


def test_the_statement_added_is_the_last_named_issuer(quotes) -> None:  # type: ignore[no-untyped-def]
    text = ("The Russian Foreign Ministry issued a statement on Tuesday. "
            '"We propose the removal of all restrictions," the statement added.')
    assert quotes(text) == [("We propose the removal of all restrictions,", "Russian Foreign Ministry",
                             "document")]


def test_he_said_is_the_person_named_before(quotes) -> None:  # type: ignore[no-untyped-def]
    text = ('Sergei Ryabkov met the American delegation on Tuesday. '
            '"We propose the removal of all restrictions," he said.')
    assert quotes(text) == [("We propose the removal of all restrictions,", "Sergei Ryabkov", "pronoun")]


def test_he_said_continues_the_previous_speaker(quotes) -> None:  # type: ignore[no-untyped-def]
    text = ('"The talks were difficult," Ryabkov said. Anna Ivanova, a journalist, asked about visas. '
            '"We are ready to continue," he said.')
    assert speakers(quotes(text)) == ["Ryabkov", "Ryabkov"]


def test_a_person_named_inside_the_subject_phrase_is_the_speaker(quotes) -> None:  # type: ignore[no-untyped-def]
    text = 'In a statement, Governor of Washington Anna Ivanova said, "The museum put much effort in."'
    assert speakers(quotes(text)) == ["Anna Ivanova"]


def test_a_colon_hands_the_clause_subject_to_the_quote(quotes) -> None:  # type: ignore[no-untyped-def]
    text = 'Ryabkov defended the talks on Tuesday: "We will respond to every restriction."'
    assert speakers(quotes(text)) == ["Ryabkov"]


def test_a_name_after_a_dash(quotes) -> None:  # type: ignore[no-untyped-def]
    assert speakers(quotes('"So far it is a long game for all of us." - Anna Ivanova')) == ["Anna Ivanova"]


# -- quotes over sentences and paragraphs --------------------------------------------------------


def test_a_quote_over_two_sentences_has_one_speaker(quotes) -> None:  # type: ignore[no-untyped-def]
    found = quotes('"We propose the removal of all restrictions. We are ready to continue," Ryabkov said.')
    assert found == [("We propose the removal of all restrictions. We are ready to continue,", "Ryabkov",
                      "said")]


def test_the_speaker_of_a_quote_carries_on_into_the_next_paragraph(quotes) -> None:  # type: ignore[no-untyped-def]
    text = ('"The talks were difficult," Ryabkov said.\n'
            '"We propose the removal of all restrictions on both embassies."')
    assert quotes(text)[1] == ("We propose the removal of all restrictions on both embassies.", "Ryabkov",
                               "continued")


def test_a_quote_reopened_in_a_new_paragraph_continues(analyzer) -> None:  # type: ignore[no-untyped-def]
    text = '"The talks were difficult, Ryabkov said.\n"We are ready to continue."'
    doc = analyzer.nlp(text)
    spans = quote_spans(doc)
    assert [(doc[a:b].text.strip(), cont) for a, b, cont in spans] == [
        ("The talks were difficult, Ryabkov said.", False), ("We are ready to continue.", True)]


def test_an_open_quote_runs_over_a_line_that_does_not_reopen_it(analyzer) -> None:  # type: ignore[no-untyped-def]
    text = '"We are so interested because we find a big chance\nto show that we can do it," Ivanova said.'
    doc = analyzer.nlp(text)
    assert len(quote_spans(doc)) == 1


# -- what is not a spoken quote ------------------------------------------------------------------


def test_scare_quotes_are_not_speech(analyzer) -> None:  # type: ignore[no-untyped-def]
    doc = analyzer.nlp('In May, Russia formally designated the United States an "unfriendly state".')
    assert [Quote(a, b).is_speech(doc) for a, b, _ in quote_spans(doc)] == [False]


def test_a_quote_without_attribution_or_earlier_speaker_has_none(quotes) -> None:  # type: ignore[no-untyped-def]
    assert speakers(quotes('Talks ended. "We propose the removal of all restrictions."')) == [None]


def test_the_previous_speaker_does_not_carry_on_far(quotes) -> None:  # type: ignore[no-untyped-def]
    filler = " ".join(["The weather in the capital was cold and wet on Tuesday."] * 5)
    text = f'"The talks were difficult," Ryabkov said. {filler} "Nobody knows what comes next."'
    assert speakers(quotes(text)) == ["Ryabkov", None]


# -- stances: the speaker acts in the quote, and "we" is the speaker ------------------------------


def test_our_demands_in_a_quote_quoted_by_an_agency_is_the_speaker_accusing(stances) -> None:  # type: ignore[no-untyped-def]
    text = ('"Americans are not heeding our logic or our demands," '
            'news agency Interfax quoted Ryabkov as saying.')
    found = stances(text)
    hostile = [s for s in found if s.target.code == "USA" and s.polarity == "hostile"]
    assert [(s.source.code, s.cameo_code[:2]) for s in hostile] == [("RUSGOV", "11")]
    ev = hostile[0].evidence
    assert ev.speaker == "Ryabkov"
    assert ev.speaker_span is not None and text[slice(*ev.speaker_span)] == "Ryabkov"
    assert all(s.source.code != "RUSMED" for s in found)


def test_we_in_the_second_sentence_of_a_quote_is_the_speaker(stances) -> None:  # type: ignore[no-untyped-def]
    text = '"The talks were useful. We condemn the United States for the expulsions," Ryabkov said.'
    found = [s for s in stances(text) if s.target.code == "USA"]
    assert [(s.source.code, s.cameo_code[:2], s.evidence.speaker) for s in found] == [
        ("RUSGOV", "11", "Ryabkov")]
    assert text[slice(*found[0].evidence.source_span)] == "Ryabkov"


def test_we_in_a_quote_after_he_said_is_the_named_speaker(stances) -> None:  # type: ignore[no-untyped-def]
    text = ('Sergei Ryabkov met the American delegation on Tuesday. '
            '"We condemn the United States for the expulsions," he said.')
    found = [s for s in stances(text) if s.target.code == "USA"]
    assert [(s.source.code, s.evidence.speaker) for s in found] == [("RUSGOV", "Sergei Ryabkov")]
    assert text[slice(*found[0].evidence.speaker_span)] == "Sergei Ryabkov"  # type: ignore[misc]


def test_a_continued_quote_keeps_its_speaker_as_source(stances) -> None:  # type: ignore[no-untyped-def]
    text = ('"The talks were difficult," Ryabkov said.\n'
            '"We condemn the United States for the expulsions."')
    found = [s for s in stances(text) if s.target.code == "USA"]
    assert [(s.source.code, s.evidence.speaker) for s in found] == [("RUSGOV", "Ryabkov")]


def test_a_quote_without_a_speaker_gives_we_no_actor(stances) -> None:  # type: ignore[no-untyped-def]
    assert stances('Talks ended. "We condemn the United States for the expulsions."') == []


def test_according_to_an_outlet_makes_it_the_speaker_of_the_sentence(stances) -> None:  # type: ignore[no-untyped-def]
    text = "Russia condemned the United States on Tuesday, according to Interfax."
    found = [s for s in stances(text) if s.target.code == "USA"]
    assert [(s.source.code, s.evidence.speaker) for s in found] == [("RUS", "Interfax")]
    assert text[slice(*found[0].evidence.speaker_span)] == "Interfax"  # type: ignore[misc]


def test_a_seed_style_article_end_to_end(analyzer) -> None:  # type: ignore[no-untyped-def]
    """Caption, agency attribution, "he said", a plea: real actor resolution, in the style of the seed."""
    from datetime import UTC, datetime

    text = ("Russian Deputy Foreign Minister Sergei Ryabkov. Russian Foreign Ministry / TASS\n"
            "Russia warned on Wednesday that ties with the United States faced the threat of new "
            "aggravations.\n"
            '"Americans are not heeding our logic or our demands," news agency Interfax quoted Ryabkov '
            "as saying after the talks.\n"
            '"We propose the removal of all restrictions," he said.\n'
            "Support The Moscow Times!")
    stances = analyzer.analyze(text, datetime(2021, 10, 27, tzinfo=UTC)).stances
    assert not [s for s in stances if "TASS" in s.evidence.sentence or "Support" in s.evidence.sentence]
    warned = [s for s in stances if s.evidence.trigger == "warned"]
    assert warned and warned[0].evidence.sentence.startswith("Russia warned")
    heeding = [s for s in stances if "heeding" in s.evidence.sentence and s.polarity == "hostile"]
    assert [(s.source.code, s.target.country, s.cameo_code[:2], s.evidence.speaker) for s in heeding] == [
        ("RUSGOV", "USA", "11", "Ryabkov")]
    span = heeding[0].evidence.speaker_span
    assert span is not None and text[slice(*span)] == "Ryabkov" and span[0] > text.index("Interfax")
    proposal = [s for s in stances if "propose" in s.evidence.sentence]
    assert proposal and all((s.source.code, s.evidence.speaker) == ("RUSGOV", "Ryabkov") for s in proposal)
