"""Fit the target-sentiment model on NewsMTSC ``train.jsonl`` (train-ok).

    python -m streams.nlp.stance.train_sentiment [--data ../shared/eval/newsmtsc/train.jsonl]

Writes ``streams/nlp/stance/sentiment_model.json``.  Only the training file is
read: ``devtest_mt.jsonl`` stays an evaluation set.  Hyper-parameters are
chosen on a held-out tenth of the training file (split by sentence id hash),
then the model is refit on all of it.  Deterministic for a given input.
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

import numpy as np

from streams.nlp.stance.sentiment import (
    LABELS,
    MODEL_FILE,
    SentimentModel,
    dense_features,
    iter_batches,
    locate,
    log_loss,
    softmax,
    sparse_features,
    stance_polarities,
)

POLARITY_LABELS = {2.0: 0, 4.0: 1, 6.0: 2}


@dataclass(frozen=True, slots=True)
class Example:
    sparse: list[str]
    dense: np.ndarray
    label: int
    group: str


def featurize(records: Iterable[dict[str, object]]) -> list[Example]:
    from streams.nlp import Analyzer
    from streams.nlp.resolve import resolve_entities

    analyzer = Analyzer()
    rows = list(records)
    texts = [str(r["sentence_normalized"]) for r in rows]
    out: list[Example] = []
    for record, doc in zip(rows, analyzer.nlp.pipe(texts, batch_size=64), strict=True):
        entities = resolve_entities(doc, None, "body")
        for target in record["targets"]:  # type: ignore[attr-defined]
            label = POLARITY_LABELS.get(float(target["polarity"]))
            span = (int(target["from"]), int(target["to"]))
            located = locate(doc, span)
            if label is None or located is None:
                continue
            feats = sparse_features(located, stance_polarities(doc, entities, span))
            out.append(Example(feats, dense_features(located), label, str(record["primary_gid"])))
    return out


def _holdout(group: str) -> bool:
    return hashlib.sha1(group.encode()).digest()[0] % 10 == 0


def fit(examples: Sequence[Example], *, l2: float, epochs: int = 10, lr: float = 0.2,
        min_count: int = 3, seed: int = 13) -> SentimentModel:
    counts = Counter(f for e in examples for f in set(e.sparse))
    vocab = {f: k for k, f in enumerate(sorted(f for f, c in counts.items() if c >= min_count))}
    indices = [np.asarray([vocab[f] for f in e.sparse if f in vocab], dtype=np.int64) for e in examples]
    dense = np.stack([e.dense for e in examples]).astype(np.float64)
    mean, scale = dense.mean(axis=0), dense.std(axis=0) + 1e-6
    dense = (dense - mean) / scale
    y = np.asarray([e.label for e in examples])
    n_labels = len(LABELS)
    prior = np.bincount(y, minlength=n_labels) / len(y)
    class_weight = (1.0 / n_labels) / prior  # balanced: every label counts the same
    ws = np.zeros((len(vocab), n_labels))
    wd = np.zeros((dense.shape[1], n_labels))
    gs = np.full_like(ws, 1e-8)
    gd = np.full_like(wd, 1e-8)
    for epoch in range(epochs):
        for batch in iter_batches(len(examples), 32, seed + epoch):
            idx = [indices[i] for i in batch]
            lengths = np.asarray([len(x) for x in idx])
            flat = np.concatenate(idx) if idx else np.zeros(0, dtype=np.int64)
            starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
            z = np.add.reduceat(ws[flat], starts, axis=0) if flat.size else np.zeros((len(batch), n_labels))
            z = z + dense[batch] @ wd
            p = softmax(z)
            g = p.copy()
            g[np.arange(len(batch)), y[batch]] -= 1.0
            g *= class_weight[y[batch]][:, None]
            grad_s = np.zeros_like(ws)
            np.add.at(grad_s, flat, np.repeat(g, lengths, axis=0))
            touched = np.unique(flat)
            grad_s[touched] += l2 * ws[touched]
            grad_d = dense[batch].T @ g + l2 * wd
            gs += grad_s ** 2
            gd += grad_d ** 2
            ws -= lr * grad_s / np.sqrt(gs)
            wd -= lr * grad_d / np.sqrt(gd)
    keep = {f: ws[k] for f, k in vocab.items() if np.abs(ws[k]).max() >= 1e-3}
    return SentimentModel(LABELS, keep, wd, mean, scale)


def macro_f1(gold: Sequence[int], pred: Sequence[int]) -> float:
    scores = []
    for k in range(len(LABELS)):
        tp = sum(1 for g, p in zip(gold, pred, strict=True) if g == k and p == k)
        fp = sum(1 for g, p in zip(gold, pred, strict=True) if g != k and p == k)
        fn = sum(1 for g, p in zip(gold, pred, strict=True) if g == k and p != k)
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        scores.append(2 * prec * rec / (prec + rec) if prec + rec else 0.0)
    return sum(scores) / len(scores)


def score(model: SentimentModel, examples: Sequence[Example]) -> tuple[float, float]:
    probs = np.stack([model.scores(e.sparse, e.dense) for e in examples])
    y = np.asarray([e.label for e in examples])
    return macro_f1(list(y), list(probs.argmax(axis=1))), log_loss(probs, y)


def main(argv: Sequence[str] | None = None) -> int:
    repo = Path(__file__).resolve().parents[3]
    parser = argparse.ArgumentParser(description="fit the target-sentiment model")
    parser.add_argument("--data", type=Path,
                        default=repo.parent / "shared" / "eval" / "newsmtsc" / "train.jsonl")
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name(MODEL_FILE))
    parser.add_argument("--epochs", type=int, default=10)
    args = parser.parse_args(argv)
    with args.data.open(encoding="utf-8") as fh:
        records = [json.loads(line) for line in fh if line.strip()]
    examples = featurize(records)
    train = [e for e in examples if not _holdout(e.group)]
    valid = [e for e in examples if _holdout(e.group)]
    best: tuple[float, float] | None = None
    for l2 in (0.03, 0.1, 0.3, 1.0):
        model = fit(train, l2=l2, epochs=args.epochs)
        f1, loss = score(model, valid)
        print(f"l2={l2:g} validation macro-F1={f1:.4f} log-loss={loss:.4f}", file=sys.stderr)
        if best is None or f1 > best[0]:
            best = (f1, l2)
    assert best is not None
    model = fit(examples, l2=best[1], epochs=args.epochs)
    args.out.write_text(json.dumps(model.to_json(), separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"chose l2={best[1]:g} (validation macro-F1 {best[0]:.4f}); wrote {args.out} "
          f"with {len(model.sparse)} sparse features", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
