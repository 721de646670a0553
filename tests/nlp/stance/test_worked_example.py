"""The worked example of DESIGN.md: seven sentences of a US-Russia embassy story."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from streams.contracts import Stance
from streams.nlp import Analyzer

SAMPLES = Path(__file__).resolve().parents[3] / "streams" / "samples" / "articles.jsonl"

#: Mentions as a complete actor resolution would give them (DESIGN.md lists them).
ACTORS = {
    "Russia": "RUS", "United States": "USA", "US": "USA", "Russian": "RUS",
    "Sergei Ryabkov": "RUSGOV", "Ned Price": "USAGOV", "Senators": "USALEG",
    "Joe Biden": "USAGOV", "Washington": "USAGOV", "Russian Foreign Ministry": "RUSGOV",
    "Kremlin": "RUSGOV", "Interfax": "RUSMED",
}


def body() -> str:
    for line in SAMPLES.read_text("utf-8").splitlines():
        article = json.loads(line)
        if article["id"] == "us-rus-embassy-2021-10-27":
            return str(article["body"])
    raise AssertionError("sample article missing")


def in_sentence(stances: list[Stance], words: str) -> list[Stance]:
    return [s for s in stances if words in s.evidence.sentence]


def sides(stances: list[Stance]) -> set[tuple[str, str]]:
    return {(s.source.country or s.source.code, s.target.country or s.target.code) for s in stances}


@pytest.fixture(scope="module")
def stances(code) -> list[Stance]:  # type: ignore[no-untyped-def]
    return code(body(), ACTORS)


def test_row1_russia_warned_threat(stances: list[Stance]) -> None:
    row = in_sentence(stances, "Russia warned")
    assert [(s.source.code, s.target.code, s.cameo_code[:2], s.polarity) for s in row] == [
        ("RUS", "USA", "13", "hostile")]
    assert row[0].evidence.trigger == "warned"


def test_row2_officials_met_consult_both_ways(stances: list[Stance]) -> None:
    row = in_sentence(stances, "met in Moscow")
    assert sides(row) == {("USA", "RUS"), ("RUS", "USA")}
    assert {s.cameo_code[:2] for s in row} == {"04"}
    assert all(s.polarity == "cooperative" and s.plover == "CONSULT" for s in row)


def test_row3_ban_on_local_staff_reduces_relations(stances: list[Stance]) -> None:
    row = in_sentence(stances, "banned the US mission")
    assert [(s.source.code, s.target.code, s.cameo_code[:2], s.polarity) for s in row] == [
        ("RUS", "USA", "16", "hostile")]


def test_row4_quoted_demand_takes_the_counterpart_of_the_story(stances: list[Stance]) -> None:
    row = in_sentence(stances, "parity on staffing")
    assert [(s.source.code, s.target.code, s.cameo_code[:2], s.polarity) for s in row] == [
        ("USAGOV", "RUS", "10", "hostile")]
    assert row[0].evidence.speaker == "Ned Price"
    assert row[0].confidence < 0.5  # the target is inferred from the previous sentences


def test_row5_senators_appeal_to_the_president(stances: list[Stance]) -> None:
    row = in_sentence(stances, "Senators urged")
    assert [(s.source.code, s.target.code, s.cameo_code[:2], s.polarity) for s in row] == [
        ("USALEG", "USAGOV", "02", "neutral")]


def test_row6_unfriendly_state_designation_is_hostile(stances: list[Stance]) -> None:
    row = in_sentence(stances, "unfriendly state")
    assert [(s.source.code, s.target.code, s.polarity) for s in row] == [("RUS", "USA", "hostile")]
    assert row[0].cameo_code[:2] in ("11", "16")


def test_row7_visa_is_cooperative(stances: list[Stance]) -> None:
    row = in_sentence(stances, "issued a visa")
    assert [(s.source.code, s.target.code, s.polarity) for s in row] == [
        ("USAGOV", "RUSGOV", "cooperative")]
    assert row[0].cameo_code[:2] in ("06", "08")
    assert row[0].evidence.speaker == "Kremlin"


def test_every_span_of_the_article_is_exact(stances: list[Stance]) -> None:
    text = body()
    assert stances
    for s in stances:
        ev = s.evidence
        assert text[ev.sentence_start:ev.sentence_start + len(ev.sentence)] == ev.sentence
        assert text[ev.trigger_span[0]:ev.trigger_span[1]] == ev.trigger
        for start, end in (ev.source_span, ev.target_span):
            assert text[start:end] in ACTORS
        assert ev.sentence_start <= ev.trigger_span[0] < ev.sentence_start + len(ev.sentence)


def test_end_to_end_with_todays_resolution(analyzer: Analyzer) -> None:
    """Rows whose actors are country names hold with the analyzer's own resolution."""
    found = {(s.source.country, s.target.country, s.cameo_code[:2], s.evidence.trigger)
             for s in analyzer.analyze(body()).stances}
    assert ("RUS", "USA", "13", "warned") in found
    assert ("RUS", "USA", "16", "banned") in found
    assert ("RUS", "USA", "16", "designated") in found
