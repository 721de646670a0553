"""Static word vectors for the sentiment features: a reduced table, read with numpy alone.

``word_vectors.npz`` (made by ``build_word_vectors`` from spaCy's
``en_core_web_md`` 3.7.1 vectors, MIT licence; the vectors' own source,
"Explosion Vectors", is CC0) holds, for lower-case words only:

* ``words``: the words, UTF-8, one per line;
* ``rows``: each word's row (the md table maps many words to one row);
* ``vectors``: one PCA-reduced vector per row (float16).

Nothing is downloaded; without the file the static features are empty (and the shipped
sentiment model, fit with them, expects them).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np

VECTORS_FILE = "word_vectors.npz"


@dataclass(frozen=True)
class WordVectors:
    """Lower-case word -> row; per row a reduced vector."""

    index: dict[str, int]
    vectors: np.ndarray  # (n_rows, width) float32

    @property
    def width(self) -> int:
        return int(self.vectors.shape[1])

    def row(self, word: str) -> int | None:
        return self.index.get(word.lower())

    def mean(self, words: list[str]) -> np.ndarray:
        """Mean vector of the words found (zeros when none is)."""
        rows = [r for r in (self.row(w) for w in words) if r is not None]
        if not rows:
            return np.zeros(self.width, dtype=np.float32)
        return np.asarray(self.vectors[rows].mean(axis=0), dtype=np.float32)


def from_arrays(words: list[str], rows: np.ndarray, vectors: np.ndarray) -> WordVectors:
    return WordVectors({w: int(r) for w, r in zip(words, rows, strict=True)},
                       np.asarray(vectors, dtype=np.float32))


@cache
def word_vectors() -> WordVectors | None:
    """The packaged table, or ``None`` when it is absent."""
    path = resources.files("streams.nlp.stance").joinpath(VECTORS_FILE)
    if not path.is_file():
        return None
    with path.open("rb") as fh, np.load(fh, allow_pickle=False) as data:
        words = bytes(data["words"]).decode("utf-8").split("\n")
        return from_arrays(words, data["rows"], data["vectors"])


__all__ = ["VECTORS_FILE", "WordVectors", "from_arrays", "word_vectors"]
