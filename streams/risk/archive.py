"""Replaying an archive that names no outlets: the operator vouches for it.

A coded archive such as ICEWS says nothing about which outlets reported an
act, so every row carries the archive's name as its outlet (``icews``).  In
the live topic that name is as unverified as any other; a backfill or an
offline replay run by the operator is different: the operator vouches for the
archive as one source, and one source then suffices for any level.
"""

from __future__ import annotations

from collections.abc import Iterable

from streams.contracts.geo import StanceEvent
from streams.risk.config import RiskConfig


def archive_names(events: Iterable[StanceEvent]) -> set[str]:
    """Outlet names a coded archive uses for itself (``icews``; GDELT rows name real domains)."""
    return {e.outlet for e in events if e.origin in ("icews", "gdelt") and "." not in e.outlet}


def vouch_for_archive(config: RiskConfig, events: Iterable[StanceEvent], min_sources: int = 1) -> RiskConfig:
    """``config`` with the archive's own names registered and ``min_sources`` enough for any level."""
    trusted = tuple(sorted(set(config.trusted_outlets) | archive_names(events)))
    return config.model_copy(update={"min_outlets_for_warning": min_sources,
                                     "critical_min_outlets": min_sources, "trusted_outlets": trusted})
