"""The project's CAMEO tables: event codes and actor roles, as data plus lookups.

Pure and dependency-free so that stance detection, the feed loaders and the
risk engine share one meaning for every code.
"""

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
from streams.cameo.roles import CameoRole, RoleKind, all_roles, lookup_role, split_actor_code

__all__ = [
    "MATERIAL_CONFLICT",
    "MATERIAL_COOPERATION",
    "VERBAL_CONFLICT",
    "VERBAL_COOPERATION",
    "CameoCode",
    "CameoRole",
    "Polarity",
    "QuadClass",
    "RoleKind",
    "UnknownCameoCode",
    "all_codes",
    "all_roles",
    "goldstein_of",
    "is_known",
    "lookup",
    "lookup_role",
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
