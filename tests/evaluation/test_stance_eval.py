"""The stance evaluation runs on a few records of each shared set (skipped without ../shared)."""

from __future__ import annotations

from pathlib import Path

import pytest

from streams.evaluation.petrarch_events import read_petrarch_actors
from streams.evaluation.stance import (
    evaluate_stance,
    find_mention,
    macro_f1,
    plover_category,
    sign_of,
    split_of,
)

SHARED = Path(__file__).resolve().parents[2].parent / "shared"


def test_plover_category_uses_the_draft_names() -> None:
    assert plover_category("1313") == "THREATEN"
    assert plover_category("111") == "DISAPPROVE"
    assert plover_category("020") == "DEMAND"  # appeals: REQUEST in PLOVER 2021
    assert plover_category("163") == "SANCTION"
    assert plover_category("190") == "FIGHT"
    assert plover_category("010") is None
    # easing a curfew or an emergency was CONCEDE until the 2021 table moved it to RETREAT
    assert plover_category("0813") == plover_category("0814") == plover_category("081") == "CONCEDE"
    assert plover_category("0872") == "RETREAT"
    # resigning: RETREAT in the PLOVER reference and the records, CONCEDE in the 2021 table
    assert plover_category("0831") == "RETREAT" and plover_category("0832") == "CONCEDE"
    # hostages and human shields: "detain" in the records (ASSAULT in PLOVER 2021)
    assert plover_category("181") == plover_category("184") == "COERCE"
    assert plover_category("182") == "ASSAULT"
    assert sign_of("CONSULT") == "cooperation" and sign_of("INVESTIGATE") == "conflict"


def test_a_gold_target_is_not_read_inside_the_source() -> None:
    text = "The Palestinian Islamic Jihad rejected talks with Palestinian factions."
    source = find_mention(text, "Palestinian Islamic Jihad")
    assert source == (4, 29)
    target = find_mention(text, "Palestinian", avoid=source)
    assert target is not None and text[target[0]:target[1]] == "Palestinian"
    assert target[0] > source[1]
    assert find_mention(text, "Palestinian") == (4, 15)  # nothing to avoid: the first


def test_a_mention_found_only_inside_the_other_is_still_found() -> None:
    text = "Israeli police questioned Israeli settlers."
    assert find_mention(text, "police", avoid=(0, 14)) == (8, 14)
    assert find_mention(text, "israeli SETTLERS", avoid=(0, 14)) == (26, 42)
    assert find_mention(text, "Gaza") is None


def test_macro_f1() -> None:
    assert macro_f1(["a", "b"], ["a", "b"]) == 1.0
    assert macro_f1(["a", "a", "b"], ["a", None, None]) == pytest.approx((2 / 3 + 0) / 2, abs=1e-4)


def test_split_is_stable() -> None:
    assert split_of("PLOVER-GSR01-AGREE-0001") == split_of("PLOVER-GSR01-AGREE-0001")
    assert {split_of(f"id-{k}") for k in range(20)} == {"dev", "heldout"}


def test_evaluation_on_a_few_records(analyzer) -> None:  # type: ignore[no-untyped-def]
    if not (SHARED / "eval").exists():
        pytest.skip(f"{SHARED} is absent (the shared evaluation data lives beside the repo)")
    report = evaluate_stance(analyzer, SHARED, limit=6)
    if "plover" in report:
        scores = report["plover"]["all"]
        assert scores["records"] == 6
        assert 0.0 <= scores["category_accuracy"] <= 1.0
        assert 0.0 <= scores["category_macro_f1"] <= 1.0
    if "petrarch" in report:
        assert report["petrarch"]["records_expecting_events"] + \
            report["petrarch"]["records_expecting_none"] + \
            report["petrarch"]["error_records_skipped"] == 6
    if "newsmtsc" in report:
        assert report["newsmtsc"]["targets"] > 0
        assert 0.0 <= report["newsmtsc"]["macro_f1"] <= 1.0


def test_petrarch_actor_dictionary_reader() -> None:
    path = SHARED / "eval" / "petrarch2" / "dictionaries" / "PETR.Validate.actors.txt"
    if not path.exists():
        pytest.skip(f"{path} is absent")
    actors = read_petrarch_actors(path)
    assert actors["ARNOR"] == "ARN" and actors["GONDOR"].startswith("GON")


def test_event_recall_counts_found_right_pair_and_category(analyzer, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The trial-style figures: of records between two countries, any stance / right pair / + category."""
    import json

    from streams.evaluation.stance import evaluate_plover

    records = [  # sentences of ours
        {"id": "r1", "text": "France praised Germany for its help.", "plover_event": "SUPPORT",
         "source": [{"text": "France", "code": "FRA"}], "target": [{"text": "Germany", "code": "DEU"}]},
        {"id": "r2", "text": "France praised Germany for its help.", "plover_event": "ASSAULT",
         "source": [{"text": "France", "code": "FRA"}], "target": [{"text": "Germany", "code": "DEU"}]},
        {"id": "r3", "text": "France praised Germany for its help.", "plover_event": "SUPPORT",
         "source": [{"text": "France", "code": "ITA"}], "target": [{"text": "Germany", "code": "ESP"}]},
        {"id": "r4", "text": "The weather in Paris was mild on Tuesday.", "plover_event": "CONSULT",
         "source": [{"text": "Paris", "code": "FRA"}], "target": [{"text": "Tuesday", "code": "DEU"}]},
    ]
    path = tmp_path / "gold.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    scores = evaluate_plover(analyzer, path)["all"]
    assert scores["country_pair_records"] == 4
    assert (scores["event_found"], scores["event_right_pair"], scores["event_right_pair_category"]) == (
        0.75, 0.5, 0.25)
