"""The worked example of DESIGN.md, end to end: the sample article through ``Analyzer.analyze``.

``test_worked_example.py`` pins the actors and tests stance coding alone;
here actor resolution, speakers and stance coding all run as in the worker,
and each of the seven rows of the design's table must come out.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from streams.contracts import Stance
from streams.nlp import Analyzer
from tests.nlp.stance.test_worked_example import body

PUBLISHED = datetime(2021, 10, 27, tzinfo=UTC)


@pytest.fixture(scope="module")
def stances(analyzer: Analyzer) -> list[Stance]:
    return analyzer.analyze(body(), published_at=PUBLISHED).stances


def row(stances: list[Stance], words: str) -> set[tuple[str | None, str | None, str, str]]:
    return {(s.source.country, s.target.country, s.cameo_code[:2], s.polarity)
            for s in stances if words in s.evidence.sentence}


def test_row1_russia_warned_of_new_aggravations(stances: list[Stance]) -> None:
    assert row(stances, "Russia warned") == {("RUS", "USA", "13", "hostile")}


def test_row2_the_delegations_met(stances: list[Stance]) -> None:
    assert row(stances, "met in Moscow") == {("USA", "RUS", "04", "cooperative"),
                                             ("RUS", "USA", "04", "cooperative")}


def test_row3_russia_banned_the_mission_from_employing_local_staff(stances: list[Stance]) -> None:
    assert row(stances, "banned the US mission") == {("RUS", "USA", "16", "hostile")}


def test_row4_the_spokesman_demands_parity(stances: list[Stance]) -> None:
    found = [s for s in stances if "parity on staffing" in s.evidence.sentence]
    assert {(s.source.country, s.target.country, s.cameo_code[:2]) for s in found} == {
        ("USA", "RUS", "10")}
    assert found[0].evidence.speaker == "Ned Price"


def test_row5_senators_appeal_to_their_president(stances: list[Stance]) -> None:
    found = [s for s in stances if "Senators urged" in s.evidence.sentence]
    assert [(s.source.code, s.target.code, s.cameo_code[:2]) for s in found] == [
        ("USALEG", "USAGOV", "02")]


def test_row6_russia_designated_the_us_unfriendly(stances: list[Stance]) -> None:
    found = row(stances, "unfriendly state")
    assert {(src, tgt, polarity) for src, tgt, _, polarity in found} == {("RUS", "USA", "hostile")}
    assert {root for _, _, root, _ in found} <= {"11", "16"}


def test_row7_washington_issued_a_visa(stances: list[Stance]) -> None:
    found = [s for s in stances if "issued a visa" in s.evidence.sentence]
    assert {(s.source.country, s.target.country, s.polarity) for s in found} == {
        ("USA", "RUS", "cooperative")}
    assert all(s.cameo_code[:2] in ("06", "08") for s in found)
