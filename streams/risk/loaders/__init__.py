"""Loaders of external coded event feeds (GDELT 2.0, ICEWS) into stance events.

Each yields, per input row, either a :class:`StanceEvent` or a
:class:`LoadError` with a reason; nothing is dropped silently.
"""

from streams.risk.loaders.actors import country_code, resolve_actor, sector_role
from streams.risk.loaders.common import LoadError, Reason
from streams.risk.loaders.gdelt import load_gdelt
from streams.risk.loaders.icews import load_icews, read_relation_mapping, relation_code

__all__ = [
    "LoadError",
    "Reason",
    "country_code",
    "load_gdelt",
    "load_icews",
    "read_relation_mapping",
    "relation_code",
    "resolve_actor",
    "sector_role",
]
