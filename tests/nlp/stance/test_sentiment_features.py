"""sentiment_features: what the target-sentiment model sees of one mention."""

from __future__ import annotations

import numpy as np
import pytest

from streams.nlp import Analyzer
from streams.nlp.stance.sentiment_features import (
    Target,
    dense_features,
    lexical_polarity,
    locate,
    other_mentions,
    polarity_words,
    signed_valence,
    sparse_features,
    static_features,
    tree_distance,
    valence_words,
)
from streams.nlp.stance.word_vectors import WordVectors, from_arrays, word_vectors


def target(analyzer: Analyzer, text: str, mention: str) -> Target:
    start = text.index(mention)
    located = locate(analyzer.nlp(text), (start, start + len(mention)))
    assert located is not None
    return located


def test_locate_rejects_spans_outside_the_text(analyzer: Analyzer) -> None:
    doc = analyzer.nlp("Short.")
    assert locate(doc, (10, 20)) is None
    assert locate(doc, (3, 3)) is None


def test_the_mention_is_masked_and_its_role_named(analyzer: Analyzer) -> None:
    feats = sparse_features(target(analyzer, "Critics attacked Smith over the budget.", "Smith"))
    assert feats["bias"] == 1
    assert "role:dobj" in feats and "gov:attacked" in feats
    assert "ng2:attacked_TGT" in feats
    assert not any(name.endswith(":smith") for name in feats)  # the mention's own words are hidden


def test_negation_and_quotation_are_features(analyzer: Analyzer) -> None:
    text = '"Jones did not betray anyone," the lawyer said.'
    feats = sparse_features(target(analyzer, text, "Jones"))
    assert "neg" in feats and "in_quote" in feats


def test_the_speaker_of_a_quote_is_marked(analyzer: Analyzer) -> None:
    feats = sparse_features(target(analyzer, "Smith said the plan would fail.", "Smith"))
    assert "speaker" in feats


def test_stance_polarities_become_features(analyzer: Analyzer) -> None:
    feats = sparse_features(target(analyzer, "Russia expelled Smith.", "Smith"), [("target", "hostile")])
    assert feats["stance:target:hostile"] == 1


def test_evaluative_words_are_read_by_scope(analyzer: Analyzer) -> None:
    said_of_it = sparse_features(target(analyzer, "The corrupt senator Smith resigned.", "Smith"))
    assert any(name.startswith("v:") and name.endswith(":-") for name in said_of_it)
    praised = sparse_features(target(analyzer, "Supporters praised Jones warmly.", "Jones"))
    assert praised.get("vs:clause", 0.0) > 0


def test_lexical_polarity_flips_under_negation(analyzer: Analyzer) -> None:
    text = '"Americans are not heeding our logic," he said.'
    assert lexical_polarity(target(analyzer, text, "Americans")) == -1


def test_dense_features_are_five_context_vectors_and_six_static_means(analyzer: Analyzer) -> None:
    doc = analyzer.nlp("Smith met Jones in Paris.")
    located = locate(doc, (0, 5))
    assert located is not None
    vec = dense_features(located)
    table = word_vectors()
    static = 6 * table.width if table is not None else 0
    assert vec.shape == (5 * doc.tensor.shape[1] + static,)


def toy_table() -> WordVectors:
    # "slammed" and "lambasted" share a row
    return from_arrays(["slammed", "lambasted", "praised", "budget"], np.array([0, 0, 1, 2]),
                       np.array([[1.0, 0.0], [-1.0, 0.0], [0.0, 1.0]]))


def test_static_features_average_the_words_of_each_part(analyzer: Analyzer) -> None:
    located = target(analyzer, "Critics slammed Smith over the budget.", "Smith")
    vec = static_features(located, toy_table())
    mention, gov, _clause, left, right, sent = vec.reshape(6, 2)
    assert list(mention) == [0.0, 0.0]  # "smith" is not in the table
    assert list(gov) == [1.0, 0.0] and list(left) == [1.0, 0.0]
    assert list(right) == [0.0, 1.0]  # "budget"; stop words are left out
    assert sent == pytest.approx([0.5, 0.5])


def test_word_lists_load() -> None:
    assert polarity_words()["praised"] == 1 and polarity_words()["corrupt"] == -1
    valence = valence_words()
    if not valence:
        pytest.skip("vaderSentiment is not installed")
    assert valence["good"] > 0 > valence["bad"]


def test_tree_distance_counts_dependency_edges(analyzer: Analyzer) -> None:
    doc = analyzer.nlp("Smith met Jones in Paris.")
    smith, met, jones = doc[0], doc[1], doc[2]
    assert tree_distance(smith, smith) == 0
    assert tree_distance(smith, met) == 1 and tree_distance(smith, jones) == 2


def test_other_mentions_are_the_other_actors(analyzer: Analyzer) -> None:
    located = target(analyzer, "Smith told Jones that she would visit Germany.", "Smith")
    others = {t.text for t in other_mentions(located)}
    assert {"Jones", "she", "Germany"} <= others and "Smith" not in others


def test_evaluative_words_go_to_the_nearest_actor(analyzer: Analyzer) -> None:
    text = "The brave Smith rescued the children, but the corrupt Jones fled."
    smith = sparse_features(target(analyzer, text, "Smith"))
    jones = sparse_features(target(analyzer, text, "Jones"))
    assert smith.get("vn:mine:+", 0) >= 1 and smith.get("vn:theirs:-", 0) >= 1
    assert jones.get("vn:mine:-", 0) >= 1 and jones.get("vn:theirs:+", 0) >= 1
    assert smith["vns:mine"] > 0 > jones["vns:mine"]


def test_signed_valence_is_flipped_and_halved_under_negation(analyzer: Analyzer) -> None:
    if not valence_words():
        pytest.skip("vaderSentiment is not installed")
    doc = analyzer.nlp("He is honest. He is not honest.")
    plain = signed_valence(next(t for t in doc if t.lower_ == "honest"))
    negated = signed_valence([t for t in doc if t.lower_ == "honest"][1])
    assert plain > 0 and negated == pytest.approx(-0.5 * plain)


def test_mention_features_say_what_the_mention_is(analyzer: Analyzer) -> None:
    feats = sparse_features(target(analyzer, "Smith said he would resign.", "he"))
    assert feats.get("tgt_pron") == 1 and "tgt_pos:PRON:nsubj" in feats
    assert feats.get("nt_oth:1") == 1
