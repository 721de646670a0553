"""CAMEO actor roles: the three-letter codes after the country in an actor code.

An actor code is a country (ISO-3166 alpha-3) followed by zero or more
three-letter roles: ``RUSGOV`` is Russia's government, ``USAMILGOV`` the US
military as an organ of government.  CAMEO calls these "agent types"; here they
are roles, as in ``ActorRef.role`` (``streams.contracts.enriched.Role``), since
"agent" names the Faust agents.  The risk layer keys dyads on the country part;
the roles matter for explanations and for filtering out non-state actors.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Literal, cast

#: What a role stands for: an organ of a state, a non-state armed group, a social
#: sector, an orientation (modifier) or an organisation.
RoleKind = Literal["state", "armed", "sector", "orientation", "organization"]
_KINDS = frozenset({"state", "armed", "sector", "orientation", "organization"})


@dataclass(frozen=True, slots=True)
class CameoRole:
    """One CAMEO role code (``GOV``, ``MIL``, ``REB``...) with its label and kind."""

    code: str
    label: str
    kind: RoleKind


@cache
def _table() -> dict[str, CameoRole]:
    text = resources.files("streams.cameo").joinpath("data", "roles.tsv").read_text("utf-8")
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    table: dict[str, CameoRole] = {}
    for row in csv.DictReader(lines, delimiter="\t"):
        if row["kind"] not in _KINDS:
            raise ValueError(f"corrupt role row: {row}")
        table[row["code"]] = CameoRole(row["code"], row["label"], cast(RoleKind, row["kind"]))
    return table


def lookup_role(code: str) -> CameoRole | None:
    """The role for a three-letter code, or ``None`` if it is not one."""
    return _table().get(code.upper())


def all_roles() -> tuple[CameoRole, ...]:
    return tuple(_table().values())


def split_actor_code(actor: str) -> tuple[str, tuple[str, ...]]:
    """``"RUSGOVMIL"`` -> ``("RUS", ("GOV", "MIL"))``.

    The first three letters are the country (or group) part; the rest is
    read in threes.  Unknown roles are kept: coders extend the list.
    """
    if len(actor) < 3 or len(actor) % 3:
        raise ValueError(f"not a CAMEO actor code: {actor!r}")
    return actor[:3], tuple(actor[i : i + 3] for i in range(3, len(actor), 3))
