"""The project's CAMEO tables: event codes and actor types, as data plus lookups.

Pure and dependency-free so that stance detection, the feed loaders and the
risk engine share one meaning for every code.
"""

from streams.cameo.agents import AgentKind, AgentType, agent_type, agent_types, split_actor_code
from streams.cameo.codes import (
    MATERIAL_CONFLICT,
    MATERIAL_COOPERATION,
    VERBAL_CONFLICT,
    VERBAL_COOPERATION,
    CameoCode,
    Polarity,
    QuadClass,
    UnknownCameoCode,
    all_codes,
    goldstein_of,
    is_known,
    lookup,
    name_of,
    normalise_code,
    plover_draft_of,
    plover_of,
    polarity_of,
    quad_class_of,
    root_of,
    roots,
)

__all__ = [
    "MATERIAL_CONFLICT",
    "MATERIAL_COOPERATION",
    "VERBAL_CONFLICT",
    "VERBAL_COOPERATION",
    "AgentKind",
    "AgentType",
    "CameoCode",
    "Polarity",
    "QuadClass",
    "UnknownCameoCode",
    "agent_type",
    "agent_types",
    "all_codes",
    "goldstein_of",
    "is_known",
    "lookup",
    "name_of",
    "normalise_code",
    "plover_draft_of",
    "plover_of",
    "polarity_of",
    "quad_class_of",
    "root_of",
    "roots",
    "split_actor_code",
]
