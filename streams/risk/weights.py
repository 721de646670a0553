"""What one stance event weighs: actor roles, and its undecayed contribution to the sums.

The engine tracks tension *between states*.  An event's conflict intensity
is ``|goldstein| x confidence`` times the weight of each side's role:

* **state** (weight ``state_actor_weight``): the country itself and its
  organs: government, military, police, courts, legislature, intelligence;
  intergovernmental organisations (``IGO...``) too;
* **armed group** (``armed_group_weight``): rebels, insurgents, separatists,
  unidentified armed forces, militarised non-state groups (``IMG...``);
* **society** (``society_weight``): everything else (citizens, business,
  media, parties, criminals, refugees, NGOs, ...).

Coded archives are mostly about society: in ICEWS 2014 four hostile events
in ten involve a citizen, a business or a journalist (an arrest, a
protest), and those almost never belong to a crisis between the two states.
"""

from __future__ import annotations

from functools import lru_cache

from streams.contracts.geo import StanceEvent
from streams.risk.config import RiskConfig

STATE, ARMED, SOCIETY = 0, 1, 2
STATE_ROLES = frozenset({"", "GOV", "MIL", "COP", "JUD", "LEG", "SPY"})
ARMED_ROLES = frozenset({"REB", "INS", "SEP", "UAF", "IMG"})


@lru_cache(maxsize=4096)
def role_class(code: str, country: str) -> int:
    """STATE, ARMED or SOCIETY for an actor code (``RUSGOV``, ``UKR``, ``IGONAT``, ``SYRREB``)."""
    if code.startswith(country):
        role = code[len(country) : len(country) + 3]
    else:  # not anchored on a country: IGOs and transnational groups
        role = code[:3]
        if role == "IGO":
            return STATE
    if role in STATE_ROLES:
        return STATE
    return ARMED if role in ARMED_ROLES else SOCIETY


def actor_weight(event: StanceEvent, config: RiskConfig) -> float:
    """The product of both sides' role weights."""
    weights = config.role_weights
    return (
        weights[role_class(event.source_code, event.source_country)]
        * weights[role_class(event.target_code, event.target_country)]
    )


def contribution(event: StanceEvent, config: RiskConfig | None = None) -> tuple[float, ...]:
    """An event's undecayed contribution to the sums (see the ``state`` layout).

    Intensity is ``|goldstein| x confidence x actor weights``; the event's own
    polarity decides whether it is conflict or cooperation (a negated
    cooperative act coded as hostile still counts as conflict).  The
    direction slot is the one from the event's source to its target, read
    against the dyad key (``RUS|UKR``: forward is RUS -> UKR).
    """
    weight = 1.0 if config is None else actor_weight(event, config)
    magnitude = abs(event.goldstein) * event.confidence * weight
    if event.polarity == "hostile":
        material = magnitude if event.quad_class == 4 else 0.0
        forward = event.source_country < event.target_country
        return (
            magnitude, 0.0, material, event.confidence * weight, 1.0, magnitude,
            magnitude, 0.0, 1.0, magnitude if forward else 0.0, 0.0 if forward else magnitude,
        )  # fmt: skip
    if event.polarity == "cooperative":
        return (0.0, magnitude, 0.0, 0.0, 0.0, 0.0, 0.0, magnitude, 1.0, 0.0, 0.0)
    return (0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0)
