"""Analyzer.stance_between and Analyzer.sentiment_toward, and stances in Analyzer.analyze."""

from __future__ import annotations

from streams.nlp import Analyzer
from streams.nlp.stance.mentions import PLACEHOLDER_CODE


def span(text: str, words: str) -> tuple[int, int]:
    at = text.index(words)
    return at, at + len(words)


def test_stance_between_resolved_mentions(analyzer: Analyzer) -> None:
    text = "Russia and China condemned the United States on Monday."
    s = analyzer.stance_between(text, span(text, "China"), span(text, "United States"))
    assert s is not None
    assert (s.source.code, s.target.code, s.cameo_code[:2]) == ("CHN", "USA", "11")
    assert s.evidence.source_span == span(text, "China")
    assert s.evidence.target_span == span(text, "United States")


def test_stance_between_unresolved_mentions_gets_placeholders(analyzer: Analyzer) -> None:
    text = "The rebels shelled the village overnight."
    s = analyzer.stance_between(text, span(text, "The rebels"), span(text, "the village"))
    assert s is not None
    assert s.source.code == s.target.code == PLACEHOLDER_CODE
    assert s.source.basis == "placeholder:unresolved" and s.source.name == "The rebels"
    assert s.cameo_code == "194"


def test_stance_between_gold_span_wider_than_the_entity(analyzer: Analyzer) -> None:
    text = "Israeli troops arrested more than 100 Palestinians on Saturday."
    s = analyzer.stance_between(text, span(text, "Israeli troops"), span(text, "Palestinians"))
    assert s is not None
    assert (s.source.country, s.target.country, s.cameo_code) == ("ISR", "PSE", "173")


def test_stance_between_follows_the_asked_direction(analyzer: Analyzer) -> None:
    text = "American diplomats were expelled by Russia."
    s = analyzer.stance_between(text, span(text, "Russia"), span(text, "American"))
    assert s is not None and (s.source.country, s.target.country) == ("RUS", "USA")


def test_stance_between_without_any_event(analyzer: Analyzer) -> None:
    text = "France and Germany are neighbours."
    assert analyzer.stance_between(text, span(text, "France"), span(text, "Germany")) is None


def test_sentiment_toward_labels_and_scores(analyzer: Analyzer) -> None:
    cases = [
        ("Critics condemned Smith as a corrupt liar who betrayed the voters.", "Smith", "negative"),
        ("Supporters praised Jones as an honest and effective leader.", "Jones", "positive"),
    ]
    for text, target, expected in cases:
        label, score = analyzer.sentiment_toward(text, span(text, target))
        assert label == expected, (text, label, score)
        assert 0.0 <= score <= 1.0


def test_sentiment_toward_out_of_range_span_is_neutral(analyzer: Analyzer) -> None:
    assert analyzer.sentiment_toward("Short.", (10, 20)) == ("neutral", 0.0)


def test_analyze_reports_stances(analyzer: Analyzer) -> None:
    analysis = analyzer.analyze("Russia threatened to expel American diplomats.")
    assert [(s.source.country, s.target.country, s.cameo_code) for s in analysis.stances] == [
        ("RUS", "USA", "1313")]
