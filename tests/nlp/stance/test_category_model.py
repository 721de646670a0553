"""The learned candidate score: features of a candidate event, and the neutral default."""

from __future__ import annotations

from streams.nlp.stance import category_model
from streams.nlp.stance.category_model import candidate_score, features
from streams.nlp.stance.sentence import code_sentence


def test_features_describe_the_candidate_on_the_parse(mentions_of) -> None:  # type: ignore[no-untyped-def]
    doc, mentions = mentions_of("Russia did not threaten Ukraine.", {"Russia": "RUS", "Ukraine": "UKR"})
    events = [e for e in code_sentence(next(doc.sents), mentions) if not e.is_speech]
    assert len(events) == 1
    f = features(events[0])
    assert {"root=13", "negated=True", "pos=VERB", "dep=ROOT", "target=direct"} <= set(f)


def test_without_weights_every_candidate_scores_one(mentions_of, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    doc, mentions = mentions_of("Russia attacked Ukraine.", {"Russia": "RUS", "Ukraine": "UKR"})
    event = code_sentence(next(doc.sents), mentions)[0]
    monkeypatch.setattr(category_model, "_weights", lambda: None)
    assert candidate_score(event) == 1.0
    own, other = f"root={event.root}", "root=05"
    monkeypatch.setattr(category_model, "_weights", lambda: ({own: 2.0}, -1.0))
    assert abs(candidate_score(event) - 0.7311) < 1e-3  # sigmoid(2 - 1)
    monkeypatch.setattr(category_model, "_weights", lambda: ({other: 2.0}, -1.0))
    assert candidate_score(event) < 0.5
