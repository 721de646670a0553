"""Make ``word_vectors.npz`` from a spaCy ``en_core_web_md`` model directory (dev time only).

    python -m streams.nlp.stance.build_word_vectors --model DIR [--width 64]

``DIR`` is the model's data directory (the one holding ``meta.json`` and
``vocab/``), e.g. of en_core_web_md 3.7.1 (MIT; its vectors are Explosion's
CC0 vectors).  The model is read here only: the project ships the reduced
table, not the model, and nothing reads it at run time.

Kept: lower-case words (letters, hyphen, apostrophe; at most 24 characters)
and the rows they map to; each row projected on the first ``width``
principal components (float16).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from streams.nlp.stance.word_vectors import VECTORS_FILE

_WORD = re.compile(r"^[a-z][a-z'\-]{0,23}$")
SEED = 13


def read_model(model: Path) -> tuple[dict[str, int], np.ndarray]:
    """Lower-case word -> row, and the full vector table, of a spaCy model directory."""
    from spacy.vocab import Vocab

    vocab = Vocab().from_disk(model / "vocab")
    table = np.asarray(vocab.vectors.data, dtype=np.float32)
    index: dict[str, int] = {}
    for key, row in vocab.vectors.key2row.items():
        word = vocab.strings[key]
        if _WORD.match(word):
            index[word] = int(row)
    return index, table


def build(model: Path, width: int) -> dict[str, np.ndarray]:
    from sklearn.decomposition import PCA

    index, table = read_model(model)
    used = np.asarray(sorted(set(index.values())))
    renumber = {int(r): k for k, r in enumerate(used)}
    words = sorted(index)
    reduced = PCA(width, random_state=SEED).fit_transform(table[used])
    reduced /= np.abs(reduced).max()  # float16-friendly range
    return {
        "words": np.frombuffer("\n".join(words).encode("utf-8"), dtype=np.uint8),
        "rows": np.asarray([renumber[index[w]] for w in words], dtype=np.int32),
        "vectors": reduced.astype(np.float16),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="reduce spaCy md vectors for the sentiment features")
    parser.add_argument("--model", type=Path, required=True)
    parser.add_argument("--width", type=int, default=64)
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name(VECTORS_FILE))
    args = parser.parse_args(argv)
    meta = json.loads((args.model / "meta.json").read_text("utf-8"))
    arrays = build(args.model, args.width)
    np.savez_compressed(args.out, **arrays)  # type: ignore[arg-type]
    print(f"{meta['lang']}_{meta['name']} {meta['version']}: {len(arrays['rows'])} words, "
          f"{arrays['vectors'].shape} vectors; wrote {args.out} ({args.out.stat().st_size} bytes)",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
