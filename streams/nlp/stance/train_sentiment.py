"""Fit the target-sentiment model on NewsMTSC ``train.jsonl`` (train-ok).

    python -m streams.nlp.stance.train_sentiment [--data ../shared/eval/newsmtsc/train.jsonl]

Data: NewsMTSC (Hamborg & Donnay, EACL 2021; MIT-style licence of the
repository, copyright 2020 Felix Hamborg), ``train.jsonl`` only:
``devtest_mt.jsonl`` stays an evaluation set that nothing here reads.
Features come from ``sentiment_features``, the same functions inference
calls, so training and inference cannot drift.  The "contextual vectors"
below are spaCy's ``tok2vec`` vectors followed by six means of the static
word vectors of ``word_vectors.npz`` (see ``build_word_vectors``; make that
table first, since the features read it).

Model: four members whose probabilities are blended geometrically
(``sentiment.SentimentEnsemble``):

* ``full``: scikit-learn ``LogisticRegression`` (multinomial, lbfgs, balanced
  class weights, C=0.1) over the sparse features and the standardised
  contextual vectors scaled by 0.3 (the values chosen on the held-out tenth
  before the ensemble existed);
* ``sparse``: the same over the sparse features alone;
* ``trees``: ``GradientBoostingClassifier`` (150 stages of depth-3 trees,
  balanced sample weights, subsample 0.8) over the numeric evaluative
  features and a 32-wide PCA of the contextual vectors;
* ``net``: ``MLPClassifier`` (one hidden layer of 64 ReLU units, L2 1.0, 300
  epochs of Adam) over the same numeric features and the standardised vectors.

A tenth of the training file is held out (by the hash of the sentence id, so
the targets of one sentence stay together).  The blend weights are chosen on
out-of-fold probabilities of a 5-fold split (again by sentence) of the other
nine tenths; the members are then fit on those nine tenths and scored on the
held-out tenth (the figure the model file records), and, with nothing left to
choose, fit again on the whole file and written as JSON (numpy suffices at run
time; no pickle).
Deterministic for a given input (seed 13).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from streams.nlp.stance.sentiment import (
    LABELS,
    MODEL_FILE,
    BoostedTrees,
    SentimentEnsemble,
    SentimentModel,
    SmallNet,
    stance_polarities,
)
from streams.nlp.stance.sentiment_features import Features, dense_features, locate, sparse_features

POLARITY_LABELS = {2.0: 0, 4.0: 1, 6.0: 2}
SEED = 13
MIN_COUNT = 2


@dataclass(frozen=True, slots=True)
class Example:
    """One target of one sentence: its features, gold label and sentence id."""

    sparse: Features
    dense: np.ndarray
    label: int
    group: str


def featurize(records: Iterable[dict[str, Any]]) -> list[Example]:
    """Parse each sentence once with the analyzer's pipeline; one example per labelled target."""
    from streams.nlp import Analyzer
    from streams.nlp.resolve import resolve_entities

    analyzer = Analyzer()
    rows = list(records)
    texts = [str(r["sentence_normalized"]) for r in rows]
    out: list[Example] = []
    for record, doc in zip(rows, analyzer.nlp.pipe(texts, batch_size=64), strict=True):
        entities = resolve_entities(doc, None, "body")
        for target in record["targets"]:
            label = POLARITY_LABELS.get(float(target["polarity"]))
            span = (int(target["from"]), int(target["to"]))
            located = locate(doc, span)
            if label is None or located is None:
                continue
            feats = sparse_features(located, stance_polarities(doc, entities, span))
            out.append(Example(feats, dense_features(located), label, str(record["primary_gid"])))
    return out


def is_holdout(group: str) -> bool:
    """The held-out tenth: by sentence id, so no sentence is on both sides."""
    return hashlib.sha1(group.encode()).digest()[0] % 10 == 0


@dataclass(frozen=True)
class Fitted:
    """A fitted sklearn model with the vocabulary and scaling it needs."""

    vocab: list[str]
    mean: np.ndarray
    scale: np.ndarray
    dense_scale: float
    clf: Any

    def matrix(self, examples: Sequence[Example]) -> Any:
        return _matrix(examples, {f: k for k, f in enumerate(self.vocab)},
                       self.mean, self.scale, self.dense_scale)

    def export(self) -> SentimentModel:
        """The JSON-able model: sparse weights by name, dense weights with the scale folded in."""
        coef = np.asarray(self.clf.coef_, dtype=np.float64).T  # (n_features, n_labels)
        n = len(self.vocab)
        sparse = {f: coef[k] for k, f in enumerate(self.vocab) if np.abs(coef[k]).max() >= 5e-4}
        intercept = np.asarray(self.clf.intercept_, dtype=np.float64)
        if not self.dense_scale:  # the vectors are not read: ship no dense block
            return SentimentModel(LABELS, intercept, sparse, np.zeros((0, len(LABELS))), np.zeros(0),
                                  np.ones(0))
        return SentimentModel(LABELS, intercept, sparse, coef[n:] * self.dense_scale, self.mean, self.scale)


def _matrix(examples: Sequence[Example], index: dict[str, int], mean: np.ndarray,
            scale: np.ndarray, dense_scale: float) -> Any:
    from scipy import sparse as sp

    rows, cols, vals = [], [], []
    for r, e in enumerate(examples):
        for name, value in e.sparse.items():
            k = index.get(name)
            if k is not None:
                rows.append(r)
                cols.append(k)
                vals.append(value)
    words = sp.csr_matrix((vals, (rows, cols)), shape=(len(examples), len(index)))
    if not dense_scale:
        return words
    dense = (np.stack([e.dense for e in examples]) - mean) / scale * dense_scale
    return sp.hstack([words, sp.csr_matrix(dense)]).tocsr()


def fit(examples: Sequence[Example], *, c: float, dense_scale: float) -> Fitted:
    """Balanced multinomial logistic regression; features seen in fewer than MIN_COUNT examples dropped."""
    from sklearn.linear_model import LogisticRegression

    counts = Counter(f for e in examples for f in e.sparse)
    vocab = sorted(f for f, n in counts.items() if n >= MIN_COUNT)
    dense = np.stack([e.dense for e in examples]).astype(np.float64)
    mean, scale = dense.mean(axis=0), dense.std(axis=0) + 1e-6
    matrix = _matrix(examples, {f: k for k, f in enumerate(vocab)}, mean, scale, dense_scale)
    clf = LogisticRegression(C=c, class_weight="balanced", max_iter=5000, random_state=SEED)
    clf.fit(matrix, np.asarray([e.label for e in examples]))
    return Fitted(vocab, mean, scale, dense_scale, clf)


def macro_f1(gold: Sequence[int], pred: Sequence[int]) -> float:
    """Mean F1 over the three labels (scikit-learn's ``average="macro"``)."""
    from sklearn.metrics import f1_score

    return float(f1_score(list(gold), list(pred), labels=list(range(len(LABELS))), average="macro"))


def check_export(fitted: Fitted, examples: Sequence[Example]) -> float:
    """Share of examples on which the exported JSON model agrees with sklearn (should be ~1.0)."""
    model = SentimentModel.from_json(json.loads(json.dumps(fitted.export().to_json())))
    ours = [int(np.argmax(model.scores(e.sparse, e.dense))) for e in examples]
    theirs = fitted.clf.predict(fitted.matrix(examples))
    return float(np.mean(np.asarray(ours) == theirs))


#: Sparse features that are numbers the trees can split on (counts and sums of evaluative words, roles).
TREE_PREFIXES = ("v:", "vs:", "vn:", "vns:", "vgov", "lex:", "stance:", "neg", "in_quote", "speaker",
                 "others:", "role:")
TREE_MIN_COUNT = 20
PCA_WIDTH = 32
FOLDS = 5
FULL = {"c": 0.1, "dense_scale": 0.3}
SPARSE = {"c": 0.1, "dense_scale": 0.0}


def tree_names(examples: Sequence[Example]) -> tuple[str, ...]:
    """The numeric features seen in at least TREE_MIN_COUNT examples, sorted."""
    counts = Counter(f for e in examples for f in e.sparse if f.startswith(TREE_PREFIXES))
    return tuple(sorted(f for f, n in counts.items() if n >= TREE_MIN_COUNT))


@dataclass(frozen=True)
class FittedTrees:
    """A fitted PCA and gradient-boosting classifier with the feature names they read."""

    names: tuple[str, ...]
    pca: Any
    clf: Any

    def matrix(self, examples: Sequence[Example]) -> np.ndarray:
        named = np.asarray([[e.sparse.get(n, 0.0) for n in self.names] for e in examples], dtype=np.float64)
        dense = self.pca.transform(np.stack([e.dense for e in examples]).astype(np.float64))
        return np.hstack([named, dense])

    def export(self) -> BoostedTrees:
        lr = float(self.clf.learning_rate)
        probe = np.zeros((1, len(self.names) + self.pca.n_components_))
        raw = np.asarray(self.clf.decision_function(probe), dtype=np.float64)[0]
        stages = []
        for stage in self.clf.estimators_:
            trees = []
            for k, est in enumerate(stage):
                t = est.tree_
                raw[k] -= lr * float(est.predict(probe)[0])
                trees.append(([int(f) if left >= 0 else -1 for f, left in zip(t.feature, t.children_left,
                                                                                strict=True)],
                              [float(x) for x in t.threshold],
                              [int(x) for x in t.children_left], [int(x) for x in t.children_right],
                              [float(v) for v in t.value[:, 0, 0]]))
            stages.append(tuple(trees))
        return BoostedTrees(LABELS, self.names, np.asarray(self.pca.mean_, dtype=np.float64),
                            np.asarray(self.pca.components_, dtype=np.float64), raw, lr, tuple(stages))


def fit_trees(examples: Sequence[Example], names: tuple[str, ...]) -> FittedTrees:
    """PCA of the vectors, then gradient boosting with balanced sample weights."""
    from sklearn.decomposition import PCA
    from sklearn.ensemble import GradientBoostingClassifier
    from sklearn.utils.class_weight import compute_sample_weight

    dense = np.stack([e.dense for e in examples]).astype(np.float64)
    pca = PCA(min(PCA_WIDTH, *dense.shape), random_state=SEED).fit(dense)
    fitted = FittedTrees(names, pca, GradientBoostingClassifier(
        n_estimators=150, learning_rate=0.1, max_depth=3, subsample=0.8, random_state=SEED))
    labels = np.asarray([e.label for e in examples])
    fitted.clf.fit(fitted.matrix(examples), labels, sample_weight=compute_sample_weight("balanced", labels))
    return fitted


@dataclass(frozen=True)
class FittedNet:
    """A fitted perceptron with the feature names and the input scaling it needs."""

    names: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    clf: Any

    def matrix(self, examples: Sequence[Example]) -> np.ndarray:
        return np.asarray((_net_inputs(examples, self.names) - self.mean) / self.scale)

    def export(self) -> SmallNet:
        (w1, w2), (b1, b2) = self.clf.coefs_, self.clf.intercepts_
        return SmallNet(LABELS, self.names, self.mean, self.scale, np.asarray(w1, dtype=np.float64),
                        np.asarray(b1, dtype=np.float64), np.asarray(w2, dtype=np.float64),
                        np.asarray(b2, dtype=np.float64))


def _net_inputs(examples: Sequence[Example], names: tuple[str, ...]) -> np.ndarray:
    named = np.asarray([[e.sparse.get(n, 0.0) for n in names] for e in examples], dtype=np.float64)
    return np.hstack([named, np.stack([e.dense for e in examples]).astype(np.float64)])


def fit_net(examples: Sequence[Example], names: tuple[str, ...]) -> FittedNet:
    """Standardised inputs, one hidden layer of 64 ReLU units, strong L2 (sklearn ``MLPClassifier``)."""
    import warnings

    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    raw = _net_inputs(examples, names)
    fitted = FittedNet(names, raw.mean(axis=0), raw.std(axis=0) + 1e-6,
                       MLPClassifier((64,), alpha=1.0, max_iter=300, random_state=SEED))
    with warnings.catch_warnings():  # 300 epochs is the budget, not a failure to converge
        warnings.simplefilter("ignore", ConvergenceWarning)
        fitted.clf.fit(fitted.matrix(examples), np.asarray([e.label for e in examples]))
    return fitted


def fold_of(group: str) -> int:
    """One of FOLDS parts of the training nine tenths, by sentence id (another byte of the hash)."""
    return hashlib.sha1(group.encode()).digest()[1] % FOLDS


MEMBERS = ("full", "sparse", "trees", "net")
AnyFitted = Fitted | FittedTrees | FittedNet


def fit_members(examples: Sequence[Example]) -> dict[str, AnyFitted]:
    names = tree_names(examples)
    return {"full": fit(examples, **FULL), "sparse": fit(examples, **SPARSE),
            "trees": fit_trees(examples, names), "net": fit_net(examples, names)}


def member_probabilities(fitted: AnyFitted, examples: Sequence[Example]) -> np.ndarray:
    return np.asarray(fitted.clf.predict_proba(fitted.matrix(examples)), dtype=np.float64)


def blend(probs: dict[str, np.ndarray], weights: dict[str, float]) -> np.ndarray:
    """Weighted geometric mean of the members' probabilities, renormalised."""
    z = sum(w * np.log(np.maximum(probs[m], 1e-9)) for m, w in weights.items() if w)
    z = np.asarray(z) - np.max(z, axis=1, keepdims=True)
    p = np.exp(z)
    return np.asarray(p / p.sum(axis=1, keepdims=True))


def weight_grid(step: float = 0.1) -> list[dict[str, float]]:
    """Every blend of the members in steps of ``step`` (weights sum to 1; ``full`` takes the rest)."""
    n = round(1 / step)
    grid = []
    for a in range(n + 1):
        for b in range(n + 1 - a):
            for c in range(n + 1 - a - b):
                grid.append({"full": round((n - a - b - c) * step, 2), "sparse": round(a * step, 2),
                             "trees": round(b * step, 2), "net": round(c * step, 2)})
    return grid


def choose_weights(examples: Sequence[Example], log: Any = sys.stderr) -> tuple[dict[str, float], float]:
    """Blend weights with the best out-of-fold macro-F1 over FOLDS folds of ``examples``."""
    folds = np.asarray([fold_of(e.group) for e in examples])
    probs = {m: np.zeros((len(examples), len(LABELS))) for m in MEMBERS}
    for k in range(FOLDS):
        train = [e for e, f in zip(examples, folds, strict=True) if f != k]
        test_idx = np.flatnonzero(folds == k)
        test = [examples[int(i)] for i in test_idx]
        for name, fitted in fit_members(train).items():
            probs[name][test_idx] = member_probabilities(fitted, test)
        print(f"fold {k + 1}/{FOLDS} fitted", file=log)
    gold = [e.label for e in examples]
    for name in MEMBERS:
        print(f"  {name} alone: out-of-fold macro-F1 {macro_f1(gold, list(probs[name].argmax(1))):.4f}",
              file=log)
    scored = [(macro_f1(gold, list(blend(probs, w).argmax(1))), w) for w in weight_grid()]
    f1, weights = max(scored, key=lambda fw: (fw[0], fw[1]["full"], fw[1]["sparse"]))
    print(f"  blend {weights}: out-of-fold macro-F1 {f1:.4f}", file=log)
    return weights, f1


def export_ensemble(members: dict[str, AnyFitted], weights: dict[str, float]) -> SentimentEnsemble:
    return SentimentEnsemble(LABELS, tuple((m, members[m].export(), weights[m]) for m in MEMBERS))


def check_ensemble(ensemble: SentimentEnsemble, members: dict[str, AnyFitted],
                   weights: dict[str, float], examples: Sequence[Example]) -> float:
    """Share of examples on which the JSON ensemble agrees with scikit-learn's blend (should be ~1.0)."""
    again = SentimentEnsemble.from_json(json.loads(json.dumps(ensemble.to_json())))
    ours = [int(np.argmax(again.scores(e.sparse, e.dense))) for e in examples]
    theirs = blend({m: member_probabilities(f, examples) for m, f in members.items()}, weights).argmax(1)
    return float(np.mean(np.asarray(ours) == theirs))


def main(argv: Sequence[str] | None = None) -> int:
    repo = Path(__file__).resolve().parents[3]
    parser = argparse.ArgumentParser(description="fit the target-sentiment model")
    parser.add_argument("--data", type=Path,
                        default=repo.parent / "shared" / "eval" / "newsmtsc" / "train.jsonl")
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name(MODEL_FILE))
    args = parser.parse_args(argv)
    with args.data.open(encoding="utf-8") as fh:
        examples = featurize(json.loads(line) for line in fh if line.strip())
    train = [e for e in examples if not is_holdout(e.group)]
    valid = [e for e in examples if is_holdout(e.group)]
    weights, oof_f1 = choose_weights(train)
    members = fit_members(train)
    gold = [e.label for e in valid]
    heldout = {m: round(macro_f1(gold, list(member_probabilities(f, valid).argmax(1))), 4)
               for m, f in members.items()}
    probs = blend({m: member_probabilities(f, valid) for m, f in members.items()}, weights)
    f1 = macro_f1(gold, list(probs.argmax(1)))
    # The weights and the held-out figure are settled; the shipped members are then refit on every
    # target of the file, the tenth included (about 10 % more data, nothing left to choose).
    members = fit_members(examples)
    ensemble = export_ensemble(members, weights)
    agreement = check_ensemble(ensemble, members, weights, valid)
    data = ensemble.to_json()
    data["meta"] = {"data": "NewsMTSC train.jsonl (Hamborg & Donnay, EACL 2021; MIT-style licence)",
                    "fit_on": "all of train.jsonl (weights and held-out figures from the nine tenths)",
                    "targets": len(examples),
                    "heldout_targets": len(valid), "weights": weights, "oof_macro_f1": round(oof_f1, 4),
                    "heldout_macro_f1": round(f1, 4), "heldout_macro_f1_members": heldout, "seed": SEED}
    args.out.write_text(json.dumps(data, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"members on the held-out tenth: {heldout}; blend {weights}: {f1:.4f} (JSON/sklearn agreement "
          f"{agreement:.4f}); wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
