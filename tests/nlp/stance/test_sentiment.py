"""sentiment: the shipped model, its JSON form, and the training script's pieces."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from streams.evaluation.stance import macro_f1 as eval_macro_f1
from streams.nlp import Analyzer
from streams.nlp.stance.sentiment import LABELS, SentimentModel, default_model, sentiment_toward
from streams.nlp.stance.train_sentiment import Example, check_export, featurize, fit, is_holdout, macro_f1

NEWSMTSC_TRAIN = Path(__file__).resolve().parents[3].parent / "shared" / "eval" / "newsmtsc" / "train.jsonl"


def toy_model() -> SentimentModel:
    return SentimentModel(LABELS, np.zeros(3), {"bad": np.array([2.0, 0.0, -2.0])},
                          np.array([[0.0, 0.0, 1.0]]), np.zeros(1), np.ones(1))


def test_scores_are_probabilities_weighted_by_feature_values() -> None:
    model = toy_model()
    once = model.scores({"bad": 1.0}, np.zeros(1))
    twice = model.scores({"bad": 2.0, "unknown": 5.0}, np.zeros(1))
    assert once.sum() == pytest.approx(1.0) and int(np.argmax(once)) == 0
    assert twice[0] > once[0]
    assert int(np.argmax(model.scores({}, np.array([3.0])))) == 2
    # a dense vector of another width (another spaCy model) is ignored, not an error
    assert model.scores({}, np.zeros(7)) == pytest.approx(np.full(3, 1 / 3))


def test_json_round_trip() -> None:
    model = toy_model()
    again = SentimentModel.from_json(json.loads(json.dumps(model.to_json())))
    assert again.labels == LABELS
    assert again.scores({"bad": 1.0}, np.ones(1)) == pytest.approx(model.scores({"bad": 1.0}, np.ones(1)))


def test_the_packaged_model_loads() -> None:
    model = default_model()
    assert model is not None and model.labels == LABELS
    assert model.dense.shape == (model.dense_mean.shape[0], 3)


def test_sentiment_toward_reads_the_target_not_the_sentence(analyzer: Analyzer) -> None:
    text = "Critics condemned Smith as a corrupt liar who betrayed the voters."
    doc = analyzer.nlp(text)
    label, score = sentiment_toward(doc, [], (text.index("Smith"), text.index("Smith") + 5))
    assert label == "negative" and 0.0 < score <= 1.0
    assert sentiment_toward(doc, [], (500, 510)) == ("neutral", 0.0)


def synthetic(n: int, seed: int = 0) -> list[Example]:
    """Separable toy data: the word says the label, the dense vector is noise."""
    rng = np.random.default_rng(seed)
    words = ("awful", "stated", "great")
    return [Example({"bias": 1.0, words[k % 3]: 1.0}, rng.normal(size=4).astype(np.float32), k % 3, f"s{k}")
            for k in range(n)]


def test_fit_learns_and_the_exported_model_agrees_with_sklearn() -> None:
    data = synthetic(60)
    fitted = fit(data, c=1.0, dense_scale=0.3)
    assert macro_f1([e.label for e in data], list(fitted.clf.predict(fitted.matrix(data)))) == 1.0
    assert check_export(fitted, data) == 1.0
    exported = fitted.export()
    assert int(np.argmax(exported.scores({"bias": 1.0, "awful": 1.0}, np.zeros(4)))) == 0


def test_fit_is_deterministic() -> None:
    data = synthetic(45)
    a = fit(data, c=0.3, dense_scale=1.0).export().to_json()
    b = fit(data, c=0.3, dense_scale=1.0).export().to_json()
    assert a == b


def test_macro_f1_matches_the_evaluation_scorer() -> None:
    gold = [0, 1, 2, 1, 1, 0, 2, 2]
    pred = [0, 1, 1, 1, 0, 0, 2, 1]
    names = list(LABELS)
    assert macro_f1(gold, pred) == pytest.approx(
        eval_macro_f1([names[g] for g in gold], [names[p] for p in pred], names), abs=1e-4)


def test_holdout_is_a_stable_tenth_by_sentence() -> None:
    groups = [f"sentence-{k}" for k in range(2000)]
    share = sum(map(is_holdout, groups)) / len(groups)
    assert 0.07 < share < 0.13
    assert [is_holdout(g) for g in groups[:50]] == [is_holdout(g) for g in groups[:50]]


@pytest.mark.skipif(not NEWSMTSC_TRAIN.exists(), reason="../shared/eval/newsmtsc is absent")
def test_featurize_reads_newsmtsc_records() -> None:
    with NEWSMTSC_TRAIN.open(encoding="utf-8") as fh:
        records = [json.loads(next(fh)) for _ in range(5)]
    examples = featurize(records)
    assert len(examples) == sum(len(r["targets"]) for r in records)
    assert {e.label for e in examples} <= {0, 1, 2}
