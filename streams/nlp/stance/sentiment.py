"""Sentiment toward one mention: negative, neutral or positive, with a score.

Four models over the features of ``sentiment_features`` (words around the
mention, its role and governing predicate, clause and dependency
neighbourhood, negation, quotation, evaluative words by scope and by which
actor of the sentence they are nearest to, the stances of the sentence that
hit it, spaCy's contextual token vectors, and static word vectors reduced from
spaCy's ``en_core_web_md``, shipped as ``word_vectors.npz``), their
probabilities blended geometrically:

* a multinomial logistic regression over the named features and the vectors;
* the same over the named features alone;
* gradient-boosted trees over the numeric evaluative features and a 32-wide
  PCA projection of the vectors;
* a small perceptron (one hidden layer of 64) over those features and the
  vectors.

They were fit with scikit-learn on NewsMTSC ``train.jsonl`` (train-ok,
MIT-style licence) by ``python -m streams.nlp.stance.train_sentiment``; the
weights, trees and blend ship as plain JSON in ``sentiment_model.json``, so
inference needs only numpy (no scikit-learn in a worker, no pickle).  Without
that file the function falls back to the stances of the sentence alone.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Literal, cast

import numpy as np
from spacy.tokens import Doc

from streams.contracts import Entity
from streams.nlp.stance.mentions import actor_mentions, mention_at
from streams.nlp.stance.sentence import code_sentence
from streams.nlp.stance.sentiment_features import (
    Target,
    dense_features,
    lexical_polarity,
    locate,
    sparse_features,
)

Sentiment = Literal["negative", "neutral", "positive"]
LABELS: tuple[Sentiment, ...] = ("negative", "neutral", "positive")
MODEL_FILE = "sentiment_model.json"


def _softmax(z: np.ndarray) -> np.ndarray:
    """Scores to probabilities (shifted by the maximum, so large scores do not overflow)."""
    p = np.exp(z - z.max())
    return np.asarray(p / p.sum())


@dataclass(frozen=True)
class SentimentModel:
    """Weights of the multinomial logistic model (one column per label).

    ``dense`` already includes the scale the dense block had in training, so
    scoring is ``intercept + sum(sparse[f] * value) + standardised(dense) @ dense``.
    """

    labels: tuple[Sentiment, ...]
    intercept: np.ndarray  # (n_labels,)
    sparse: dict[str, np.ndarray]
    dense: np.ndarray  # (n_dense, n_labels)
    dense_mean: np.ndarray
    dense_scale: np.ndarray

    def scores(self, feats: Mapping[str, float], dense: np.ndarray) -> np.ndarray:
        """Probability of each label, in the order of ``labels``."""
        z = self.intercept.astype(np.float64).copy()
        for name, value in feats.items():
            w = self.sparse.get(name)
            if w is not None:
                z += value * w
        if dense.size and dense.shape[0] == self.dense.shape[0]:
            z += ((dense - self.dense_mean) / self.dense_scale) @ self.dense
        return _softmax(z)

    def to_json(self) -> dict[str, object]:
        """Rounded weights: 4 significant decimals keep the file small and the scores identical."""
        return {
            "labels": list(self.labels),
            "intercept": [round(float(x), 5) for x in self.intercept],
            "sparse": {k: [round(float(x), 4) for x in v] for k, v in sorted(self.sparse.items())},
            "dense": [[round(float(x), 5) for x in row] for row in self.dense],
            "dense_mean": [round(float(x), 5) for x in self.dense_mean],
            "dense_scale": [round(float(x), 5) for x in self.dense_scale],
        }

    @classmethod
    def from_json(cls, data: dict[str, object]) -> SentimentModel:
        labels = cast(tuple[Sentiment, ...], tuple(cast(list[str], data["labels"])))
        sparse = {k: np.asarray(v, dtype=np.float64)
                  for k, v in cast(dict[str, list[float]], data["sparse"]).items()}
        return cls(labels,
                   np.asarray(data.get("intercept", [0.0] * len(labels)), dtype=np.float64),
                   sparse,
                   np.asarray(data["dense"], dtype=np.float64),
                   np.asarray(data["dense_mean"], dtype=np.float64),
                   np.asarray(data["dense_scale"], dtype=np.float64))


@dataclass(frozen=True)
class BoostedTrees:
    """Gradient-boosted regression trees (scikit-learn's multinomial deviance), one per label a stage.

    Inputs are the named features ``names`` (0 when absent) followed by the
    projection of the dense vector on ``components`` (after ``center``).
    Each tree is five parallel lists: feature (-1 at a leaf), threshold,
    left child, right child, leaf value; a sample goes left when its value
    is ``<=`` the threshold, as in scikit-learn.
    """

    labels: tuple[Sentiment, ...]
    names: tuple[str, ...]
    center: np.ndarray  # (n_dense,)
    components: np.ndarray  # (n_components, n_dense)
    init: np.ndarray  # (n_labels,) raw scores before the first stage
    learning_rate: float
    trees: tuple[tuple[tuple[list[int], list[float], list[int], list[int], list[float]], ...], ...]

    def inputs(self, feats: Mapping[str, float], dense: np.ndarray) -> list[float]:
        row = [float(feats.get(name, 0.0)) for name in self.names]
        if dense.shape[0] == self.center.shape[0]:
            row += [float(x) for x in self.components @ (dense - self.center)]
        else:  # a dense vector of another width: the projection is unknown, use the mean
            row += [0.0] * self.components.shape[0]
        return row

    def scores(self, feats: Mapping[str, float], dense: np.ndarray) -> np.ndarray:
        """Probability of each label, in the order of ``labels``."""
        x = self.inputs(feats, dense)
        z = self.init.astype(np.float64).copy()
        for stage in self.trees:
            for k, (feature, threshold, left, right, value) in enumerate(stage):
                node = 0
                while feature[node] >= 0:
                    node = left[node] if x[feature[node]] <= threshold[node] else right[node]
                z[k] += self.learning_rate * value[node]
        return _softmax(z)

    def to_json(self) -> dict[str, object]:
        return {
            "labels": list(self.labels),
            "names": list(self.names),
            "center": [round(float(x), 5) for x in self.center],
            "components": [[round(float(x), 5) for x in row] for row in self.components],
            "init": [round(float(x), 6) for x in self.init],
            "learning_rate": self.learning_rate,
            "trees": [[[f, [round(float(t), 6) for t in th], lft, rgt, [round(float(v), 6) for v in val]]
                       for f, th, lft, rgt, val in stage] for stage in self.trees],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> BoostedTrees:
        return cls(tuple(data["labels"]), tuple(data["names"]),
                   np.asarray(data["center"], dtype=np.float64),
                   np.asarray(data["components"], dtype=np.float64).reshape(-1, len(data["center"])),
                   np.asarray(data["init"], dtype=np.float64), float(data["learning_rate"]),
                   tuple(tuple((list(f), list(th), list(lft), list(rgt), list(val))
                               for f, th, lft, rgt, val in stage) for stage in data["trees"]))


@dataclass(frozen=True)
class SmallNet:
    """A one-hidden-layer perceptron (ReLU, softmax) over the named features and the dense vector.

    Inputs are standardised with ``mean`` and ``scale`` first; a dense vector
    of another width is read as the mean (zeros after standardising).
    """

    labels: tuple[Sentiment, ...]
    names: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    hidden_w: np.ndarray  # (n_inputs, n_hidden)
    hidden_b: np.ndarray
    out_w: np.ndarray  # (n_hidden, n_labels)
    out_b: np.ndarray

    def scores(self, feats: Mapping[str, float], dense: np.ndarray) -> np.ndarray:
        """Probability of each label, in the order of ``labels``."""
        n = len(self.names)
        x = np.zeros(self.mean.shape[0])
        x[:n] = [feats.get(name, 0.0) for name in self.names]
        if dense.shape[0] == x.shape[0] - n:
            x[n:] = dense
        else:
            x[n:] = self.mean[n:]
        h = np.maximum(((x - self.mean) / self.scale) @ self.hidden_w + self.hidden_b, 0.0)
        z = h @ self.out_w + self.out_b
        return _softmax(z)

    def to_json(self) -> dict[str, object]:
        def rows(a: np.ndarray) -> list[list[float]]:
            return [[round(float(x), 5) for x in row] for row in a]

        return {"labels": list(self.labels), "names": list(self.names),
                "mean": [round(float(x), 5) for x in self.mean],
                "scale": [round(float(x), 5) for x in self.scale],
                "hidden_w": rows(self.hidden_w), "hidden_b": [round(float(x), 5) for x in self.hidden_b],
                "out_w": rows(self.out_w), "out_b": [round(float(x), 5) for x in self.out_b]}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SmallNet:
        def arr(key: str) -> np.ndarray:
            return np.asarray(data[key], dtype=np.float64)

        return cls(tuple(data["labels"]), tuple(data["names"]), arr("mean"), arr("scale"),
                   arr("hidden_w"), arr("hidden_b"), arr("out_w"), arr("out_b"))


Member = SentimentModel | BoostedTrees | SmallNet
_KINDS: dict[str, type[SentimentModel] | type[BoostedTrees] | type[SmallNet]] = {
    "linear": SentimentModel, "trees": BoostedTrees, "net": SmallNet}


@dataclass(frozen=True)
class SentimentEnsemble:
    """The shipped model: a weighted geometric mean of the members' probabilities."""

    labels: tuple[Sentiment, ...]
    members: tuple[tuple[str, Member, float], ...]  # (name, model, weight)

    def scores(self, feats: Mapping[str, float], dense: np.ndarray) -> np.ndarray:
        """Probability of each label, in the order of ``labels``."""
        z = np.zeros(len(self.labels))
        for _, model, weight in self.members:
            if weight:
                z += weight * np.log(np.maximum(model.scores(feats, dense), 1e-9))
        return _softmax(z)

    def member(self, name: str) -> Member:
        return next(m for n, m, _ in self.members if n == name)

    def to_json(self) -> dict[str, object]:
        return {"labels": list(self.labels),
                "members": [{"name": n, "kind": next(k for k, c in _KINDS.items() if isinstance(m, c)),
                             "weight": w, "model": m.to_json()} for n, m, w in self.members]}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SentimentEnsemble:
        labels = cast(tuple[Sentiment, ...], tuple(data["labels"]))
        members: list[tuple[str, Member, float]] = []
        for m in data["members"]:
            model: Member = _KINDS[m["kind"]].from_json(m["model"])
            if model.labels != labels:
                raise ValueError(f"member {m['name']} has labels {model.labels}, not {labels}")
            members.append((str(m["name"]), model, float(m["weight"])))
        return cls(labels, tuple(members))


@cache
def default_model() -> SentimentEnsemble | None:
    """The packaged model, or ``None`` when it has not been trained."""
    path = resources.files("streams.nlp.stance").joinpath(MODEL_FILE)
    if not path.is_file():
        return None
    return SentimentEnsemble.from_json(json.loads(path.read_text("utf-8")))


def stance_polarities(doc: Doc, entities: Sequence[Entity],
                      target_span: tuple[int, int]) -> list[tuple[str, str]]:
    """(role, polarity) of the coded acts of the sentence that involve the target."""
    target = mention_at(doc, entities, target_span, "body")
    if target is None:
        return []
    sent = doc[target.head].sent
    others = [m for m in actor_mentions(doc, entities)
              if sent.start <= m.head < sent.end and not (m.start < target.end and target.start < m.end)]
    out: list[tuple[str, str]] = []
    for e in code_sentence(sent, [target, *others]):
        polarity = "neutral" if e.negated else _polarity(e.code)
        if any(a.mention is target for a in e.targets):
            out.append(("target", polarity))
        if any(a.mention is target for a in e.sources):
            out.append(("source", polarity))
    return out


def _polarity(code: str) -> str:
    from streams.cameo import lookup

    return lookup(code).polarity


def sentiment_toward(doc: Doc, entities: Sequence[Entity],
                     target_span: tuple[int, int]) -> tuple[Sentiment, float]:
    """Negative, neutral or positive toward the mention at ``target_span``.

    The score is the model's probability of the returned label (0-1); it is
    0.0 when the span cannot be located.
    """
    target = locate(doc, target_span)
    if target is None:
        return "neutral", 0.0
    polarities = stance_polarities(doc, entities, target_span)
    model = default_model()
    if model is None:
        return _from_stances(polarities)
    probs = model.scores(sparse_features(target, polarities), dense_features(target))
    k = int(np.argmax(probs))
    return model.labels[k], round(float(probs[k]), 4)


def _from_stances(polarities: Sequence[tuple[str, str]]) -> tuple[Sentiment, float]:
    hits = [p for role, p in polarities if role == "target"]
    if "hostile" in hits:
        return "negative", 0.6
    if "cooperative" in hits:
        return "positive", 0.6
    return "neutral", 0.5


__all__ = ["LABELS", "BoostedTrees", "Sentiment", "SentimentEnsemble", "SentimentModel", "SmallNet", "Target",
           "default_model", "dense_features", "lexical_polarity", "locate", "sentiment_toward",
           "sparse_features", "stance_polarities"]
