"""CAMEO actor types and actor-code splitting."""

from __future__ import annotations

import pytest

from streams.cameo import agent_type, agent_types, split_actor_code


def test_common_roles_are_known() -> None:
    assert agent_type("GOV") is not None and agent_type("GOV").kind == "state"  # type: ignore[union-attr]
    assert agent_type("mil").label == "Military"  # type: ignore[union-attr]
    assert agent_type("REB").kind == "armed"  # type: ignore[union-attr]
    assert agent_type("XYZ") is None
    assert len({t.code for t in agent_types()}) == len(agent_types()) >= 35


def test_split_actor_code() -> None:
    assert split_actor_code("RUS") == ("RUS", ())
    assert split_actor_code("USAMILGOV") == ("USA", ("MIL", "GOV"))
    with pytest.raises(ValueError):
        split_actor_code("RUSG")
