"""Sentiment toward one mention: negative, neutral or positive, with a score.

A small multinomial logistic model over features read from the parse the
analyzer already made: the words around the mention, its syntactic role
and governing predicate, negation and quotation around it, the stances of
the sentence that hit it, and spaCy's contextual token vectors.  It was fit
on NewsMTSC ``train.jsonl`` (train-ok, MIT-style licence) by
``python -m streams.nlp.stance.train_sentiment``; the weights ship in
``sentiment_model.json``.  Without that file the function falls back to the
stances of the sentence alone.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Literal, cast

import numpy as np
from spacy.tokens import Doc, Span, Token

from streams.contracts import Entity
from streams.nlp.stance.lexicon import noun_forms, verb_forms
from streams.nlp.stance.mentions import actor_mentions, mention_at
from streams.nlp.stance.sentence import code_sentence

Sentiment = Literal["negative", "neutral", "positive"]
LABELS: tuple[Sentiment, ...] = ("negative", "neutral", "positive")
MODEL_FILE = "sentiment_model.json"
WINDOW = 4
_NEGATORS = frozenset({"not", "n't", "never", "no", "without", "nor", "neither", "hardly"})


@cache
def polarity_words() -> dict[str, int]:
    """Inflected form -> +1/-1, from ``polarity.tsv``."""
    text = resources.files("streams.nlp.stance").joinpath("polarity.tsv").read_text("utf-8")
    table: dict[str, int] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith(("#", "word\t")):
            continue
        word, _, value = line.partition("\t")
        sign = 1 if int(value) > 0 else -1
        for form in verb_forms(word) | noun_forms(word) | {word}:
            table.setdefault(form, sign)
    return table


def lexical_polarity(target: Target) -> int:
    """Signed count of evaluative words said of the mention in its own clause.

    The clause is the mention's governing predicate with its dependents
    (minus the mention itself); negation of the predicate flips the sign:
    "are not heeding our logic" is -1 for the subject.
    """
    words = polarity_words()
    gov = _governor(target.head)
    if gov is None:
        return 0
    own = {t.i for t in target.head.subtree}
    negated = any(c.dep_ == "neg" or c.lower_ in _NEGATORS for c in gov.children)
    total = 0
    for t in gov.subtree:
        if t.i in own or t.is_punct:
            continue
        if _governor(t) not in (gov, None) and t.i != gov.i and t.head.i != gov.i:
            continue  # words of embedded clauses speak of someone else
        total += words.get(t.lower_, 0)
    return -total if negated else total


@dataclass(frozen=True, slots=True)
class Target:
    """The mention whose sentiment is asked for, located in the parse."""

    span: Span
    head: Token


def locate(doc: Doc, target_span: tuple[int, int]) -> Target | None:
    start, end = target_span
    if not 0 <= start < end <= len(doc.text):
        return None
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    return Target(span, span.root)


def _governor(tok: Token) -> Token | None:
    t = tok
    for _ in range(8):
        if t.head.i == t.i:
            return t if t.pos_ in ("VERB", "AUX") and t is not tok else None
        t = t.head
        if t.pos_ in ("VERB", "AUX"):
            return t
    return None


def sparse_features(target: Target, stance_polarities: Sequence[tuple[str, str]] = ()) -> list[str]:
    """Named binary features of the mention in its sentence."""
    span, head = target.span, target.head
    sent = head.sent
    inside = set(range(span.start, span.end))
    feats = ["bias"]
    for t in sent:
        if t.i in inside or t.is_punct:
            continue
        distance = span.start - t.i if t.i < span.start else t.i - span.end + 1
        if distance <= WINDOW:
            feats.append(("l:" if t.i < span.start else "r:") + t.lower_)
    feats.append("role:" + head.dep_)
    feats.append("rel:" + head.dep_ + "^" + head.head.lower_)
    gov = _governor(head)
    if gov is not None:
        passive = any(c.dep_ in ("auxpass", "nsubjpass") for c in gov.children)
        feats.append("gov:" + gov.lower_)
        feats.append("govrole:" + head.dep_ + ":" + gov.lower_ + (":pass" if passive else ""))
        negated = any(c.dep_ == "neg" or c.lower_ in _NEGATORS for c in gov.children)
        if negated:
            feats.append("neg")
            feats.append("neggov:" + gov.lower_)
        own = {t.i for t in head.subtree}
        for t in gov.subtree:
            if t.i not in own and not t.is_punct and not t.is_stop:
                feats.append("clause:" + t.lower_ + (":neg" if negated else ""))
    for c in head.children:
        if c.dep_ in ("amod", "compound", "appos", "acl", "relcl") and not c.is_punct:
            feats.append("mod:" + c.lower_)
    quotes = [t.i for t in sent if t.text in ('"', "“", "”", "``", "''")]
    in_quote = any(a < head.i < b for a, b in zip(quotes[::2], quotes[1::2], strict=False))
    if in_quote:
        feats.append("in_quote")
    if gov is not None and head.dep_ == "nsubj" and gov.lower_ in (
            "said", "says", "say", "told", "added", "wrote", "asked", "noted"):
        feats.append("speaker")
    for role, polarity in stance_polarities:
        feats.append(f"stance:{role}:{polarity}")
    feats += _ngram_features(target)
    feats += _path_features(target)
    lex = lexical_polarity(target)
    if lex:
        feats.append("lex:" + ("+" if lex > 0 else "-"))
    return feats


def _norm(t: Token, inside: set[int]) -> str:
    if t.i in inside:
        return "TGT"
    if t.ent_type_ in ("PERSON", "ORG", "NORP", "GPE"):
        return "ENT"
    return t.lower_


def _ngram_features(target: Target) -> list[str]:
    """Bigrams and trigrams around the mention, with the mention as ``TGT``."""
    span = target.span
    sent = target.head.sent
    inside = set(range(span.start, span.end))
    toks: list[str] = []
    positions: list[int] = []
    k = sent.start
    while k < sent.end:
        if k in inside:
            toks.append("TGT")
            positions.append(k)
            k = span.end
            continue
        toks.append(_norm(sent.doc[k], inside))
        positions.append(k)
        k += 1
    at = toks.index("TGT") if "TGT" in toks else 0
    out = []
    lo, hi = max(0, at - 5), min(len(toks), at + 6)
    for n in (2, 3):
        for i in range(lo, hi - n + 1):
            out.append(f"ng{n}:" + "_".join(toks[i:i + n]))
    return out


def _path_features(target: Target) -> list[str]:
    """Content words within three dependency edges of the mention, with the path."""
    head = target.head
    inside = set(range(target.span.start, target.span.end))
    out = []
    frontier: list[tuple[Token, str]] = [(head, "")]
    seen = {head.i}
    for _ in range(3):
        nxt: list[tuple[Token, str]] = []
        for tok, path in frontier:
            steps = [(tok.head, path + "^" + tok.dep_)] if tok.head.i != tok.i else []
            steps += [(c, path + "v" + c.dep_) for c in tok.children]
            for other, p in steps:
                if other.i in seen or other.i in inside:
                    continue
                seen.add(other.i)
                nxt.append((other, p))
                if not other.is_stop and not other.is_punct and other.pos_ in (
                        "VERB", "ADJ", "NOUN", "ADV"):
                    out.append("dp:" + p + ":" + other.lower_)
                    out.append("dw:" + other.lower_)
        frontier = nxt
    return out


def dense_features(target: Target) -> np.ndarray:
    """Contextual vectors (spaCy ``tok2vec``) of the mention, its governor and sentence."""
    doc = target.span.doc
    tensor = doc.tensor
    width = tensor.shape[1] if tensor is not None and tensor.size else 0
    if width == 0:
        return np.zeros(0, dtype=np.float32)
    mention = tensor[target.span.start:target.span.end].mean(axis=0)
    gov = _governor(target.head)
    governor = tensor[gov.i] if gov is not None else np.zeros(width, dtype=tensor.dtype)
    sent = target.head.sent
    sentence = tensor[sent.start:sent.end].mean(axis=0)
    return np.concatenate([mention, governor, sentence]).astype(np.float32)


@dataclass(frozen=True)
class SentimentModel:
    """Weights of the multinomial logistic model (one column per label)."""

    labels: tuple[Sentiment, ...]
    sparse: dict[str, np.ndarray]
    dense: np.ndarray  # (n_dense, n_labels)
    dense_mean: np.ndarray
    dense_scale: np.ndarray

    def scores(self, feats: Sequence[str], dense: np.ndarray) -> np.ndarray:
        z = np.zeros(len(self.labels), dtype=np.float64)
        for f in feats:
            w = self.sparse.get(f)
            if w is not None:
                z += w
        if dense.size and dense.shape[0] == self.dense.shape[0]:
            z += ((dense - self.dense_mean) / self.dense_scale) @ self.dense
        z -= z.max()
        p = np.exp(z)
        return np.asarray(p / p.sum())

    def to_json(self) -> dict[str, object]:
        return {
            "labels": list(self.labels),
            "sparse": {k: [round(float(x), 3) for x in v] for k, v in sorted(self.sparse.items())},
            "dense": [[round(float(x), 5) for x in row] for row in self.dense],
            "dense_mean": [round(float(x), 5) for x in self.dense_mean],
            "dense_scale": [round(float(x), 5) for x in self.dense_scale],
        }

    @classmethod
    def from_json(cls, data: dict[str, object]) -> SentimentModel:
        labels = cast(tuple[Sentiment, ...], tuple(cast(list[str], data["labels"])))
        sparse = {k: np.asarray(v, dtype=np.float64)
                  for k, v in cast(dict[str, list[float]], data["sparse"]).items()}
        return cls(labels, sparse,
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


def iter_batches(n: int, size: int, seed: int) -> Iterator[np.ndarray]:
    rng = np.random.default_rng(seed)
    order = rng.permutation(n)
    for k in range(0, n, size):
        yield order[k:k + size]


def softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    p = np.exp(z)
    return np.asarray(p / p.sum(axis=1, keepdims=True))


def log_loss(p: np.ndarray, y: np.ndarray) -> float:
    return float(-np.mean(np.log(np.maximum(p[np.arange(len(y)), y], 1e-12))))


__all__ = ["LABELS", "Sentiment", "SentimentModel", "default_model", "dense_features",
           "locate", "sentiment_toward", "sparse_features", "stance_polarities"]
