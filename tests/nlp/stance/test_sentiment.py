"""sentiment: the shipped model, its JSON form, and the training script's pieces."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from streams.evaluation.stance import macro_f1 as eval_macro_f1
from streams.nlp import Analyzer
from streams.nlp.stance.sentiment import (
    LABELS,
    BoostedTrees,
    SentimentEnsemble,
    SentimentModel,
    SmallNet,
    default_model,
    sentiment_toward,
)
from streams.nlp.stance.train_sentiment import (
    MEMBERS,
    Example,
    blend,
    check_ensemble,
    check_export,
    choose_weights,
    export_ensemble,
    featurize,
    fit,
    fit_members,
    fit_net,
    fit_trees,
    is_holdout,
    macro_f1,
    member_probabilities,
    weight_grid,
)

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
    assert [name for name, _, _ in model.members] == list(MEMBERS)
    assert sum(w for _, _, w in model.members) == pytest.approx(1.0)
    full = model.member("full")
    assert isinstance(full, SentimentModel) and full.dense.shape == (full.dense_mean.shape[0], 3)
    trees = model.member("trees")
    assert isinstance(trees, BoostedTrees) and trees.trees and all(len(stage) == 3 for stage in trees.trees)
    net = model.member("net")
    assert isinstance(net, SmallNet) and net.out_w.shape == (net.hidden_w.shape[1], 3)


def test_the_packaged_model_is_small_and_plain_json() -> None:
    from importlib import resources

    path = resources.files("streams.nlp.stance").joinpath("sentiment_model.json")
    raw = path.read_bytes()
    assert len(raw) < 5_000_000
    meta = json.loads(raw)["meta"]
    # the weights were chosen and the tenth scored on the nine tenths; the shipped fit used the whole file
    assert meta["fit_on"].startswith("all of train.jsonl") and meta["heldout_macro_f1"] > 0.65


def _target(analyzer: Analyzer, text: str, mention: str) -> tuple[str, float]:
    doc = analyzer.nlp(text)
    start = text.index(mention)
    return sentiment_toward(doc, [], (start, start + len(mention)))


def test_sentiment_toward_reads_the_target_not_the_sentence(analyzer: Analyzer) -> None:
    text = "Critics condemned Smith as a corrupt liar who betrayed the voters."
    doc = analyzer.nlp(text)
    label, score = sentiment_toward(doc, [], (text.index("Smith"), text.index("Smith") + 5))
    assert label == "negative" and 0.0 < score <= 1.0
    assert sentiment_toward(doc, [], (500, 510)) == ("neutral", 0.0)


def test_clear_hostility_toward_a_target_is_negative(analyzer: Analyzer) -> None:
    text = "Protesters called Governor Miller a cruel, dishonest bully and demanded his resignation."
    assert _target(analyzer, text, "Governor Miller")[0] == "negative"


def test_clear_praise_of_a_target_is_positive(analyzer: Analyzer) -> None:
    text = "Colleagues praised Senator Ortiz as an honest, brave and dedicated leader."
    assert _target(analyzer, text, "Senator Ortiz")[0] == "positive"


def test_a_plain_report_is_neutral(analyzer: Analyzer) -> None:
    text = "Chancellor Weber will travel to Brussels on Tuesday for a meeting with finance ministers."
    assert _target(analyzer, text, "Chancellor Weber")[0] == "neutral"


def test_each_actor_of_a_sentence_gets_its_own_sentiment(analyzer: Analyzer) -> None:
    text = ("Mayor Jensen was hailed as a hero for rescuing the children, "
            "while the landlord Kovacs was charged with fraud and arson.")
    assert _target(analyzer, text, "Mayor Jensen")[0] == "positive"
    assert _target(analyzer, text, "Kovacs")[0] == "negative"


def test_sentiment_toward_is_fast(analyzer: Analyzer) -> None:
    """A worker calls it per quoted actor: it must stay well under a millisecond-scale budget."""
    import time

    text = "Critics condemned Smith as a corrupt liar who betrayed the voters, Jones said."
    doc = analyzer.nlp(text)
    span = (text.index("Smith"), text.index("Smith") + 5)
    sentiment_toward(doc, [], span)  # loads the model
    start = time.perf_counter()
    for _ in range(20):
        sentiment_toward(doc, [], span)
    assert (time.perf_counter() - start) / 20 < 0.05


def toy_trees() -> BoostedTrees:
    # one stage: label 0 gains when "bad" > 0.5, label 2 when the first projection > 0
    stump = ([0, -1, -1], [0.5, 0.0, 0.0], [1, -1, -1], [2, -1, -1], [0.0, -1.0, 1.0])
    flat = ([-1], [0.0], [-1], [-1], [0.0])
    proj = ([1, -1, -1], [0.0, 0.0, 0.0], [1, -1, -1], [2, -1, -1], [0.0, -1.0, 1.0])
    return BoostedTrees(LABELS, ("bad",), np.zeros(2), np.array([[1.0, 0.0]]), np.zeros(3), 1.0,
                        ((stump, flat, proj),))


def test_boosted_trees_walk_their_splits_and_round_trip() -> None:
    trees = toy_trees()
    assert int(np.argmax(trees.scores({"bad": 1.0}, np.array([-1.0, 0.0])))) == 0
    assert int(np.argmax(trees.scores({}, np.array([1.0, 0.0])))) == 2
    again = BoostedTrees.from_json(json.loads(json.dumps(trees.to_json())))
    for feats, dense in (({"bad": 1.0}, np.array([-1.0, 0.0])), ({}, np.array([1.0, 5.0]))):
        assert again.scores(feats, dense) == pytest.approx(trees.scores(feats, dense))
    # a dense vector of another width reads as the mean, not an error
    assert trees.scores({}, np.zeros(9)).sum() == pytest.approx(1.0)


def test_the_ensemble_is_a_weighted_geometric_mean() -> None:
    linear, trees = toy_model(), toy_trees()
    ensemble = SentimentEnsemble(LABELS, (("full", linear, 0.5), ("trees", trees, 0.5)))
    feats, dense = {"bad": 1.0}, np.array([-1.0])
    a, b = linear.scores(feats, dense), trees.scores(feats, np.array([-1.0, 0.0]))
    assert ensemble.scores(feats, dense).sum() == pytest.approx(1.0)
    alone = SentimentEnsemble(LABELS, (("full", linear, 1.0), ("trees", trees, 0.0)))
    assert alone.scores(feats, dense) == pytest.approx(a)
    expected = np.sqrt(a * b) / np.sqrt(a * b).sum()
    assert blend({"x": a[None, :], "y": b[None, :]}, {"x": 0.5, "y": 0.5})[0] == pytest.approx(expected)
    again = SentimentEnsemble.from_json(json.loads(json.dumps(ensemble.to_json())))
    assert again.scores(feats, dense) == pytest.approx(ensemble.scores(feats, dense))


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


@pytest.mark.parametrize(("fit", "kind", "tolerance", "any_width"), [
    (fit_trees, BoostedTrees, 1e-4, False),
    (fit_net, SmallNet, 1e-3, True),
])
def test_fitted_member_export_agrees_with_sklearn(fit, kind, tolerance: float,  # type: ignore[no-untyped-def]
                                                  any_width: bool) -> None:
    data = synthetic(90)
    fitted = fit(data, ("awful", "great"))
    exported = kind.from_json(json.loads(json.dumps(fitted.export().to_json())))
    theirs = member_probabilities(fitted, data)
    ours = np.stack([exported.scores(e.sparse, e.dense) for e in data])
    assert ours == pytest.approx(theirs, abs=tolerance)
    assert macro_f1([e.label for e in data], list(ours.argmax(1))) == 1.0
    if any_width:  # the net reads a dense vector of another width as the mean, not an error
        assert exported.scores({"awful": 1.0}, np.zeros(9)).sum() == pytest.approx(1.0)


def test_blend_weights_are_chosen_out_of_fold_and_the_ensemble_exports() -> None:
    data = synthetic(90)
    assert len(weight_grid()) == 286 and all(sum(w.values()) == pytest.approx(1.0) for w in weight_grid())
    weights, f1 = choose_weights(data, log=None)
    assert f1 == 1.0 and sum(weights.values()) == pytest.approx(1.0)
    members = fit_members(data)
    ensemble = export_ensemble(members, weights)
    assert check_ensemble(ensemble, members, weights, data) == 1.0


def test_fit_is_deterministic() -> None:
    data = synthetic(45)
    a = fit(data, c=0.3, dense_scale=1.0).export().to_json()
    b = fit(data, c=0.3, dense_scale=1.0).export().to_json()
    assert a == b
    names = ("awful", "great")
    assert fit_trees(data, names).export().to_json() == fit_trees(data, names).export().to_json()
    assert fit_net(data, names).export().to_json() == fit_net(data, names).export().to_json()


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
