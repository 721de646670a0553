"""Sentiment toward one mention: negative, neutral or positive, with a score.

A multinomial logistic regression over the features of
``sentiment_features`` (words around the mention, its role and governing
predicate, clause and dependency neighbourhood, negation, quotation,
evaluative words by scope, the stances of the sentence that hit it, and
spaCy's contextual token vectors).  It was fit with scikit-learn on
NewsMTSC ``train.jsonl`` (train-ok, MIT-style licence) by
``python -m streams.nlp.stance.train_sentiment``; the weights ship as plain
JSON in ``sentiment_model.json`` so inference needs only numpy (no
scikit-learn in a worker).  Without that file the function falls back to the
stances of the sentence alone.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Literal, cast

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
        z -= z.max()
        p = np.exp(z)
        return np.asarray(p / p.sum())

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


@cache
def default_model() -> SentimentModel | None:
    """The packaged model, or ``None`` when it has not been trained."""
    path = resources.files("streams.nlp.stance").joinpath(MODEL_FILE)
    if not path.is_file():
        return None
    return SentimentModel.from_json(json.loads(path.read_text("utf-8")))


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


__all__ = ["LABELS", "Sentiment", "SentimentModel", "Target", "default_model", "dense_features",
           "lexical_polarity", "locate", "sentiment_toward", "sparse_features", "stance_polarities"]
