"""word_vectors: the reduced static vector table the sentiment features read."""

from __future__ import annotations

import numpy as np
import pytest

from streams.nlp.stance.word_vectors import from_arrays, word_vectors


def test_lookup_is_by_lower_case_word_and_rows_are_shared() -> None:
    table = from_arrays(["war", "wars", "peace"], np.array([0, 0, 1]),
                        np.array([[1.0, 0.0], [0.0, 1.0]], dtype=np.float16))
    assert table.width == 2 and table.row("War") == table.row("wars") == 0
    assert table.mean(["war", "peace", "unknown"]).tolist() == [0.5, 0.5]
    assert table.mean([]).tolist() == [0.0, 0.0]


def test_the_packaged_table_is_small_and_near_words_are_near() -> None:
    from importlib import resources

    table = word_vectors()
    if table is None:
        pytest.skip("no packaged table")
    path = resources.files("streams.nlp.stance").joinpath("word_vectors.npz")
    assert len(path.read_bytes()) < 4_000_000
    assert len(table.index) > 100_000 and table.vectors.dtype == np.float32

    def cos(a: str, b: str) -> float:
        x, y = table.mean([a]), table.mean([b])
        return float(x @ y / np.linalg.norm(x) / np.linalg.norm(y))

    assert cos("condemned", "denounced") > cos("condemned", "tuesday") + 0.3
