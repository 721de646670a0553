"""Fit the target-sentiment model on NewsMTSC ``train.jsonl`` (train-ok).

    python -m streams.nlp.stance.train_sentiment [--data ../shared/eval/newsmtsc/train.jsonl]

Data: NewsMTSC (Hamborg & Donnay, EACL 2021; MIT-style licence of the
repository), ``train.jsonl`` only: ``devtest_mt.jsonl`` stays an evaluation
set that nothing here reads.  Features come from ``sentiment_features``, the
same functions inference calls, so training and inference cannot drift.

Model: scikit-learn ``LogisticRegression`` (multinomial, lbfgs, balanced
class weights) over the sparse features and the standardised contextual
vectors, the latter scaled by a factor that sets how much they weigh against
the words.  That factor and the L2 strength ``C`` are chosen on a held-out
tenth of the training file (split by the hash of the sentence id, so the
targets of one sentence stay together); the model is then refit on all of
it and written as JSON weights (numpy suffices at run time).  Deterministic
for a given input.
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

from streams.nlp.stance.sentiment import LABELS, MODEL_FILE, SentimentModel, stance_polarities
from streams.nlp.stance.sentiment_features import Features, dense_features, locate, sparse_features

POLARITY_LABELS = {2.0: 0, 4.0: 1, 6.0: 2}
SEED = 13
MIN_COUNT = 2
C_GRID = (0.03, 0.1, 0.3)
DENSE_SCALES = (0.0, 0.3, 1.0)


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
        dense = coef[n:] * self.dense_scale if self.dense_scale else np.zeros((len(self.mean), len(LABELS)))
        return SentimentModel(LABELS, np.asarray(self.clf.intercept_, dtype=np.float64), sparse,
                              dense, self.mean, self.scale)


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
    gold = [e.label for e in valid]
    best: tuple[float, Fitted, float] | None = None
    for dense_scale in DENSE_SCALES:
        for c in C_GRID:
            fitted = fit(train, c=c, dense_scale=dense_scale)
            f1 = macro_f1(gold, fitted.clf.predict(fitted.matrix(valid)))
            print(f"dense×{dense_scale:g} C={c:g}: held-out macro-F1 {f1:.4f}", file=sys.stderr)
            if best is None or f1 > best[0]:
                best = (f1, fitted, c)
    assert best is not None
    f1, chosen, c = best
    dense_scale = chosen.dense_scale
    agreement = check_export(chosen, valid)
    fitted = fit(examples, c=c, dense_scale=dense_scale)
    data = fitted.export().to_json()
    data["meta"] = {"data": "NewsMTSC train.jsonl (Hamborg & Donnay, EACL 2021)", "targets": len(examples),
                    "C": c, "dense_scale": dense_scale, "heldout_macro_f1": round(f1, 4), "seed": SEED}
    args.out.write_text(json.dumps(data, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"chose dense×{dense_scale:g} C={c:g} (held-out macro-F1 {f1:.4f}, JSON/sklearn agreement "
          f"{agreement:.4f}); wrote {args.out} with {len(data['sparse'])} sparse features",  # type: ignore[arg-type]
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
