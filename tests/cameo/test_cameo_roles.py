"""CAMEO actor roles and actor-code splitting."""

from __future__ import annotations

import pytest

from streams.cameo import all_roles, lookup_role, split_actor_code


def test_common_roles_are_known() -> None:
    assert lookup_role("GOV") is not None and lookup_role("GOV").kind == "state"  # type: ignore[union-attr]
    assert lookup_role("mil").label == "Military"  # type: ignore[union-attr]
    assert lookup_role("REB").kind == "armed"  # type: ignore[union-attr]
    assert lookup_role("XYZ") is None
    assert len({t.code for t in all_roles()}) == len(all_roles()) >= 35


def test_split_actor_code() -> None:
    assert split_actor_code("RUS") == ("RUS", ())
    assert split_actor_code("USAMILGOV") == ("USA", ("MIL", "GOV"))
    with pytest.raises(ValueError):
        split_actor_code("RUSG")
