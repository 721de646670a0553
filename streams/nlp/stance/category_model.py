"""A learned choice among the candidate events of a sentence.

A sentence often has several lexicon triggers ("denounced as a crime
Serbia's *suppression* of unrest": *denounced* and *suppression*); the
rules code each, and which one is *the* event between two actors used to
be decided by confidence alone.  This module scores each candidate with a
small logistic model over parse features of the candidate -- its trigger
word, CAMEO root, part of speech and dependency relation, whether it is the
clause root, negation, modality, speech, composition, how its arguments
were found -- and the choice is made by confidence times that score.

The weights are plain JSON (``category_model.json``), fit by
``python -m streams.nlp.stance.train_category`` with scikit-learn on the
train-ok PLOVER records of the ``dev`` half only (fixed seed); without the
file every candidate scores 1.0 and the choice is by confidence as before.
Scoring is a dictionary lookup per feature: no scikit-learn at run time.
"""

from __future__ import annotations

import json
import math
from functools import cache
from importlib import resources

from streams.cameo import UnknownCameoCode, lookup
from streams.nlp.stance.events import Event

MODEL_FILE = "category_model.json"


def features(e: Event) -> list[str]:
    """Parse features of one candidate event (strings; the model weighs each)."""
    tok = e.token
    try:
        quad = str(lookup(e.code).quad_class)
    except UnknownCameoCode:
        quad = "?"
    target_kind = e.targets[0].kind if e.targets else "none"
    out = [
        f"root={e.root}", f"quad={quad}", f"lemma={e.lemma}", f"pos={tok.pos_}",
        f"dep={tok.dep_}", f"head_dep={tok.head.dep_}", f"clause_root={tok.dep_ == 'ROOT'}",
        f"negated={e.negated}", f"hypothetical={e.hypothetical}", f"future={e.future}",
        f"composed={e.composed}", f"reported={e.reported}", f"quote={e.in_quote}",
        f"source={bool(e.sources)}", f"target={target_kind}", f"passive={e.passive}",
        f"root_pos={e.root}:{tok.pos_}", f"root_dep={e.root}:{tok.dep_}",
        f"weight={round(e.weight, 1)}",
    ]
    return out


@cache
def _weights() -> tuple[dict[str, float], float] | None:
    try:
        text = resources.files("streams.nlp.stance").joinpath(MODEL_FILE).read_text("utf-8")
    except FileNotFoundError:
        return None
    model = json.loads(text)
    return {str(k): float(v) for k, v in model["weights"].items()}, float(model["intercept"])


def candidate_score(e: Event) -> float:
    """Probability that ``e`` is the sentence's event between its actors (1.0 without a model)."""
    model = _weights()
    if model is None:
        return 1.0
    weights, intercept = model
    z = intercept + sum(weights.get(f, 0.0) for f in features(e))
    return 1.0 / (1.0 + math.exp(-z))
