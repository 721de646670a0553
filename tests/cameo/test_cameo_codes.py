"""The CAMEO table: complete, consistent, and stable for its consumers."""

from __future__ import annotations

import pytest

import streams.cameo as cameo
from streams.cameo import UnknownCameoCode, lookup


def test_table_covers_the_codebook() -> None:
    codes = cameo.all_codes()
    assert len(codes) >= 310
    assert len({c.code for c in codes}) == len(codes)
    assert [r.code for r in cameo.roots()] == [f"{i:02d}" for i in range(1, 21)]


def test_every_code_is_consistent_with_its_root() -> None:
    for entry in cameo.all_codes():
        assert entry.root == entry.code[:2]
        assert -10.0 <= entry.goldstein <= 10.0
        root = lookup(entry.root)
        assert entry.quad_class == root.quad_class
        # Sign of Goldstein agrees with polarity wherever polarity is signed.
        if entry.polarity == "hostile":
            assert entry.goldstein < 0, entry
        if entry.polarity == "cooperative":
            assert entry.goldstein > 0, entry


@pytest.mark.parametrize(
    ("code", "goldstein", "quad", "plover", "polarity"),
    [
        ("0871", 9.0, 2, "RETREAT", "cooperative"),  # declare truce, ceasefire
        ("193", -10.0, 4, "ASSAULT", "hostile"),  # fight with small arms
        ("163", -8.0, 4, "COERCE", "hostile"),  # impose embargo (PLOVER 2021: COERCE)
        ("138", -7.0, 3, "THREATEN", "hostile"),
        ("112", -2.0, 3, "ACCUSE", "hostile"),
        ("042", 1.9, 1, "CONSULT", "cooperative"),
        ("057", 8.0, 1, "SUPPORT", "cooperative"),
        ("106", -5.0, 3, "REQUEST", "hostile"),  # demand withdrawal
    ],
)
def test_known_facts(code: str, goldstein: float, quad: int, plover: str, polarity: str) -> None:
    entry = lookup(code)
    assert (entry.code, entry.goldstein, entry.quad_class) == (code, goldstein, quad)
    assert (entry.plover, entry.polarity) == (plover, polarity)


def test_documented_polarity_choices() -> None:
    assert cameo.polarity_of("010") == "neutral"
    assert cameo.polarity_of("016") == "neutral"  # deny responsibility
    assert cameo.polarity_of("019") == "cooperative"  # express accord
    assert cameo.polarity_of("0256") == "neutral"  # appeals carry no sign
    assert cameo.polarity_of("091") == "hostile"  # investigate crime
    assert cameo.plover_of("010") == ""
    assert cameo.plover_of("022") == "REQUEST"


def test_quad_classes_follow_roots() -> None:
    expected = {1: range(1, 6), 2: range(6, 9), 3: range(9, 14), 4: range(14, 21)}
    for quad, roots in expected.items():
        for root in roots:
            assert cameo.quad_class_of(f"{root:02d}") == quad


def test_unknown_subcode_falls_back_to_nearest_ancestor() -> None:
    assert lookup("0879").code == "087"
    assert lookup("199").code == "19"
    assert not cameo.is_known("0879")
    assert cameo.is_known("0871")


def test_integer_codes_regain_their_leading_zero() -> None:
    assert lookup(43).code == "043"
    assert lookup(871).code == "0871"
    assert lookup(193).code == "193"
    assert lookup(4).code == "04"


@pytest.mark.parametrize("bad", ["", "abc", "21", "99", "00", "12345", " ", "1a"])
def test_bad_codes_raise(bad: str) -> None:
    with pytest.raises(UnknownCameoCode):
        lookup(bad)


def test_draft_plover_names_for_gold_standard_scoring() -> None:
    assert cameo.plover_draft_of("193") == "FIGHT"
    assert cameo.plover_draft_of("1123") == "DISAPPROVE"
    assert cameo.plover_draft_of("092") == "INVESTIGATE"
    assert cameo.plover_draft_of("1041") == "DEMAND"
    assert cameo.plover_draft_of("036") == "AGREE"


def test_codes_are_immutable() -> None:
    entry = lookup("190")
    with pytest.raises(AttributeError):
        entry.goldstein = 0.0  # type: ignore[misc]
