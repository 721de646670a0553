"""CAMEO actor type codes: the role or sector suffix of an actor code.

An actor code is a country (ISO-3166 alpha-3) followed by zero or more
three-letter types: ``RUSGOV`` is Russia's government, ``USAMILGOV`` the US
military as an organ of government.  The risk layer keys dyads on the
country part; the types matter for explanations and for filtering out
non-state actors.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Literal, cast

AgentKind = Literal["state", "armed", "sector", "orientation", "organization"]
_KINDS = frozenset({"state", "armed", "sector", "orientation", "organization"})


@dataclass(frozen=True, slots=True)
class AgentType:
    code: str
    label: str
    kind: AgentKind


@cache
def _table() -> dict[str, AgentType]:
    text = resources.files("streams.cameo").joinpath("data", "agent_types.tsv").read_text("utf-8")
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    table: dict[str, AgentType] = {}
    for row in csv.DictReader(lines, delimiter="\t"):
        if row["kind"] not in _KINDS:
            raise ValueError(f"corrupt agent type row: {row}")
        table[row["code"]] = AgentType(row["code"], row["label"], cast(AgentKind, row["kind"]))
    return table


def agent_type(code: str) -> AgentType | None:
    """The type for a three-letter code, or ``None`` if it is not one."""
    return _table().get(code.upper())


def agent_types() -> tuple[AgentType, ...]:
    return tuple(_table().values())


def split_actor_code(actor: str) -> tuple[str, tuple[str, ...]]:
    """``"RUSGOVMIL"`` -> ``("RUS", ("GOV", "MIL"))``.

    The first three letters are the country (or group) part; the rest is
    read in threes.  Unknown types are kept: coders extend the list.
    """
    if len(actor) < 3 or len(actor) % 3:
        raise ValueError(f"not a CAMEO actor code: {actor!r}")
    return actor[:3], tuple(actor[i : i + 3] for i in range(3, len(actor), 3))
