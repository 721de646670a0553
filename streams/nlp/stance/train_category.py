"""Fit ``category_model.json``: which candidate event of a sentence is the event.

Data: the PLOVER gold-standard records (``../shared/eval/plover``, CC BY-SA
4.0, train-ok; Halterman et al., the PLOVER/POLECAT project), the ``dev``
half only -- the ``heldout`` half (split by the hash of the record id, as
``streams.evaluation.stance`` splits it) is never read here, so the
held-out category accuracy ``streams eval`` prints stays a fair measure.

For each record, the sentence is coded with the gold source and target
mentions; every event of the sentence (speech frames aside) is a candidate,
labelled by whether its PLOVER category is the gold one.  A logistic regression
(scikit-learn, liblinear, fixed seed) over :func:`features` is fit with the
regularisation chosen by 5-fold cross-validation over records, and its
weights are written as JSON (no scikit-learn needed at run time).

Run: ``python -m streams.nlp.stance.train_category [--shared ../shared]``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from streams.evaluation.stance import PLOVER_FILE, _find, _jsonl, plover_category, split_of
from streams.nlp.stance.category_model import MODEL_FILE, features
from streams.nlp.stance.mentions import mention_at
from streams.nlp.stance.sentence import code_sentence

SEED = 0
C_GRID = (0.03, 0.1, 0.3, 1.0, 3.0)


def examples(nlp: Any, path: Path) -> list[list[tuple[list[str], bool]]]:
    """Per dev record with two or more candidates: (features, is the gold category) per candidate."""
    from streams.nlp.resolve import resolve_entities

    out = []
    for record in _jsonl(path):
        if split_of(record["id"]) != "dev":
            continue
        text = record["text"]
        src = next((s for a in record["source"] if (s := _find(text, a.get("text") or ""))), None)
        tgt = next((t for a in record["target"] if (t := _find(text, a.get("text") or ""))), None)
        if src is None or tgt is None or src == tgt:
            continue
        doc = nlp(text)
        entities = resolve_entities(doc, None, "body")
        source = mention_at(doc, entities, src, "body")
        target = mention_at(doc, entities, tgt, "body")
        if source is None or target is None:
            continue
        sent = doc[source.head].sent
        group = [(features(e), plover_category(e.code) == record["plover_event"])
                 for e in code_sentence(sent, [source, target]) if not e.is_speech]
        if len(group) >= 2:
            out.append(group)
    return out


def fit(groups: list[list[tuple[list[str], bool]]], c: float) -> tuple[dict[str, float], float]:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    rows = [(dict.fromkeys(f, 1), y) for g in groups for f, y in g]
    vec = DictVectorizer(sparse=False)
    x = vec.fit_transform([r for r, _ in rows])
    model = LogisticRegression(C=c, solver="liblinear", random_state=SEED, class_weight="balanced")
    model.fit(x, [y for _, y in rows])
    weights = {name: round(float(w), 5) for name, w in zip(vec.get_feature_names_out(), model.coef_[0],
                                                               strict=True) if abs(w) > 1e-6}
    return weights, round(float(model.intercept_[0]), 5)


def _pick_accuracy(groups: list[list[tuple[list[str], bool]]], weights: dict[str, float],
                   intercept: float) -> float:
    hits = 0
    for g in groups:
        best = max(g, key=lambda fy: intercept + sum(weights.get(f, 0.0) for f in fy[0]))
        hits += best[1]
    return hits / max(1, len(groups))


def cross_validate(groups: list[list[tuple[list[str], bool]]], c: float, folds: int = 5) -> float:
    """Share of records whose top-scored candidate has the gold category, out of fold."""
    scores = []
    for k in range(folds):
        train = [g for i, g in enumerate(groups) if i % folds != k]
        test = [g for i, g in enumerate(groups) if i % folds == k]
        if train and test:
            scores.append(_pick_accuracy(test, *fit(train, c)) * len(test))
    return sum(scores) / max(1, len(groups))


def main(argv: Sequence[str] | None = None) -> int:
    from streams.nlp import Analyzer

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[3].parent / "shared")
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name(MODEL_FILE))
    args = parser.parse_args(argv)
    path = args.shared.joinpath(*PLOVER_FILE)
    if not path.exists():
        print(f"absent: {path}", file=sys.stderr)
        return 2
    groups = examples(Analyzer().nlp, path)
    cv = {c: round(cross_validate(groups, c), 4) for c in C_GRID}
    chosen = max(C_GRID, key=lambda c: (cv[c], -c))
    weights, intercept = fit(groups, chosen)
    any_gold = sum(1 for g in groups if any(y for _, y in g)) / max(1, len(groups))
    model = {"about": "P(candidate event is the sentence's event); see streams.nlp.stance.category_model",
             "data": "PLOVER GSR dev half (CC BY-SA 4.0), records with two or more candidates",
             "records": len(groups), "seed": SEED, "C": chosen, "cv_pick_accuracy": cv,
             "oracle": round(any_gold, 4), "intercept": intercept, "weights": weights}
    args.out.write_text(json.dumps(model, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(json.dumps({k: v for k, v in model.items() if k != "weights"}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
