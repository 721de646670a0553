"""SimHash signatures: stable across processes, close for copies, far for strangers."""

from __future__ import annotations

import hashlib
import itertools
import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from streams.nlp.signature import hamming, normalise, simhash64

SAMPLES = Path(__file__).resolve().parents[2] / "streams" / "samples" / "articles.jsonl"
SENTENCE = ("Russia warned on Wednesday that ties with the United States faced the threat "
            "of new aggravations.")


def samples() -> dict[str, dict[str, str]]:
    return {a["id"]: a for a in (json.loads(line) for line in SAMPLES.read_bytes().splitlines())}


BODY = samples()["us-rus-embassy-2021-10-27"]["body"]


# --- stability ------------------------------------------------------------------

def test_known_values_are_pinned() -> None:
    """Computed once and pinned: a change here silently breaks dedup across versions."""
    assert simhash64(SENTENCE) == "efe11d5c4478b1ab"
    assert simhash64(SENTENCE, shingle_size=1) == "1be43a48990a1a2e"
    assert simhash64("Russia") == "2fadfedaf9238934"


def test_signature_does_not_depend_on_the_hash_seed() -> None:
    code = ("from streams.nlp.signature import simhash64; import sys; "
            "print(simhash64(sys.argv[1]))")
    for seed in ("0", "12345"):
        out = subprocess.run([sys.executable, "-c", code, SENTENCE], check=True, text=True,
                             capture_output=True, env={"PYTHONHASHSEED": seed}).stdout.strip()
        assert out == "efe11d5c4478b1ab"


def _reference_simhash64(text: str, shingle_size: int = 3) -> str:
    """The definition, bit by bit: the vectorised version must agree exactly."""
    words = normalise(text)
    if len(words) < shingle_size:
        shingles = [" ".join(words)] if words else []
    else:
        shingles = [" ".join(words[i : i + shingle_size])
                    for i in range(len(words) - shingle_size + 1)]
    counts = [0] * 64
    for shingle in shingles:
        h = int.from_bytes(hashlib.blake2b(shingle.encode(), digest_size=8).digest(), "big")
        for bit in range(64):
            counts[bit] += 1 if (h >> bit) & 1 else -1
    return f"{sum(1 << bit for bit, count in enumerate(counts) if count > 0):016x}"


@given(st.text(alphabet=st.sampled_from("ab cd ef Ω,."), max_size=400),
       st.integers(min_value=1, max_value=4))
def test_signature_matches_its_bitwise_definition(text: str, size: int) -> None:
    assert simhash64(text, size) == _reference_simhash64(text, size)


def test_article_signatures_match_their_bitwise_definition() -> None:
    for article in samples().values():
        assert simhash64(article["body"]) == _reference_simhash64(article["body"])


@pytest.mark.parametrize("text", ["", "   ", "\n\t", "...", "— «» !?"])
def test_text_without_words_has_the_zero_signature(text: str) -> None:
    assert simhash64(text) == "0" * 16


@given(st.text(max_size=300))
def test_signature_is_always_16_hex_digits(text: str) -> None:
    signature = simhash64(text)
    assert len(signature) == 16
    assert int(signature, 16) >= 0
    assert signature == signature.lower()


def test_short_texts_still_get_a_signature() -> None:
    assert simhash64("Russia") != "0" * 16
    assert simhash64("Russia warned") != simhash64("Ukraine protested")


def test_normalise_ignores_case_punctuation_and_spacing() -> None:
    assert normalise("  Russia WARNED,\tthe U.S.! ") == ["russia", "warned", "the", "u", "s"]
    assert simhash64("Russia WARNED, the  US!") == simhash64("russia warned the us")


# --- hamming -------------------------------------------------------------------------

def test_hamming_distance() -> None:
    assert hamming("0" * 16, "0" * 16) == 0
    assert hamming("0" * 16, "f" * 16) == 64
    assert hamming("0000000000000001", "0000000000000003") == 1
    assert hamming("8000000000000000", "0000000000000000") == 1


@given(st.text(max_size=100), st.text(max_size=100))
def test_hamming_is_symmetric_and_bounded(a: str, b: str) -> None:
    x, y = simhash64(a), simhash64(b)
    assert hamming(x, y) == hamming(y, x)
    assert 0 <= hamming(x, y) <= 64
    assert hamming(x, x) == 0


# --- near duplicates ---------------------------------------------------------------

NEAR_DUPLICATES = {
    "dateline": "MOSCOW (Reuters) - " + BODY,
    "byline": BODY + " Reporting by Jane Doe; editing by John Roe.",
    "case-and-punctuation": BODY.upper().replace(",", ""),
    "whitespace": BODY.replace(" ", "  \n"),
    "one-word": BODY.replace("Wednesday", "Thursday"),
    "two-words": BODY.replace("Wednesday", "Thursday").replace("local", "Russian"),
    "last-sentence-trimmed": BODY.rsplit(". ", 1)[0] + ".",
}


@pytest.mark.parametrize("variant", list(NEAR_DUPLICATES))
def test_near_duplicates_are_close(variant: str) -> None:
    assert hamming(simhash64(BODY), simhash64(NEAR_DUPLICATES[variant])) < 10


def test_syndicated_sample_is_nearer_to_its_original_than_any_unrelated_sample() -> None:
    """The bundled syndicated copy drops three of seven sentences: still the nearest."""
    by_id = samples()
    original = simhash64(by_id["us-rus-embassy-2021-10-27"]["body"])
    copy = simhash64(by_id["us-rus-embassy-2021-10-27-syndicated"]["body"])
    others = [simhash64(a["body"]) for i, a in by_id.items()
              if not i.startswith("us-rus-embassy") and a["body"]]
    assert hamming(original, copy) < min(hamming(original, o) for o in others)
    assert hamming(original, copy) < 16


def test_unrelated_texts_are_far() -> None:
    bodies = {i: a["body"] for i, a in samples().items()
              if a["body"] and i != "us-rus-embassy-2021-10-27-syndicated"}
    assert len(bodies) >= 8
    for (i, a), (j, b) in itertools.combinations(bodies.items(), 2):
        assert hamming(simhash64(a), simhash64(b)) > 15, (i, j)


def test_different_sentences_on_the_same_topic_are_far() -> None:
    a = "Russia warned that ties with the United States faced the threat of new aggravations."
    b = "US officials led by Victoria Nuland met in Moscow with Sergei Ryabkov on Wednesday."
    assert hamming(simhash64(a), simhash64(b)) > 15


def test_word_order_matters() -> None:
    """Shingles, not a bag of words: who did what to whom is part of the text."""
    a = "Russia accused Ukraine of shelling the town near the border on Monday"
    b = "Ukraine accused Russia of shelling the town near the border on Monday"
    assert simhash64(a) != simhash64(b)
