"""Who vouches for an event: the outlet registry and the source an event counts as.

A producer can write any domain into an article, so a claimed outlet is
evidence only when the operator vouches for it.  The rules:

* **Registry.**  Outlets the operator vouches for, by domain, with a tier
  and a weight (``streams/risk/data/outlets.yaml`` ships well-known news
  outlets; ``outlet_registry`` adds the operator's own files, and
  ``trusted_outlets`` names extra ones inline, e.g. an archive such as
  ``icews``).  A subdomain is its registered parent (``uk.reuters.com`` is
  ``reuters.com``).
* **Unknown outlets are one source at most.**  Every event whose outlet is
  not registered counts toward the single *unverified* source, whatever
  domain or id it carries.
* **One producer is one source.**  When the event names the producer that
  wrote it (an authenticated principal, or an id in a header the operator
  controls) and that producer is not one the operator trusts to speak for
  many outlets (``trusted_producers``: the operator's own crawler), all its
  events are one source, whatever registered domains they claim.

The source of an event is a key (``outlet:reuters.com``, ``producer:User:x``
or ``?`` for the unverified source) and a weight (the outlet's tier weight,
0 for unverified).  Levels built on unverified sources only are capped (see
:mod:`streams.risk.levels`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

#: Key of the one source that every unverified event counts toward.
UNVERIFIED = "?"
OUTLET_PREFIX = "outlet:"
PRODUCER_PREFIX = "producer:"
#: ``outlet_registry`` entries that stand for files shipped in ``streams/risk/data``: the
#: registry of real outlets, and the fictional outlets of the bundled samples (demos, tests).
BUILTIN = "builtin"
SHIPPED = {BUILTIN: "outlets.yaml", "samples": "sample_outlets.yaml"}


class RegistryError(ValueError):
    """An outlet registry file that cannot be read or does not validate."""


@dataclass(frozen=True, slots=True)
class Outlet:
    domain: str
    name: str
    tier: str
    weight: float


def normalise_domain(text: str) -> str:
    """``https://www.Reuters.com/world`` → ``reuters.com``; names are lower-cased."""
    value = text.strip().lower()
    if "://" in value:
        value = urlsplit(value).hostname or ""
    value = value.split("/", 1)[0].split(":", 1)[0].rstrip(".")
    return value.removeprefix("www.")


class OutletRegistry:
    """Registered outlets by domain; lookups accept subdomains of registered ones."""

    def __init__(self, outlets: Iterable[Outlet]) -> None:
        self._outlets: dict[str, Outlet] = {o.domain: o for o in outlets}
        self._cache: dict[str, Outlet | None] = {}

    def __len__(self) -> int:
        return len(self._outlets)

    def __contains__(self, domain: str) -> bool:
        return self.lookup(domain) is not None

    def lookup(self, claimed: str) -> Outlet | None:
        """The registered outlet a claimed domain (or URL) belongs to, or ``None``."""
        hit = self._cache.get(claimed, False)
        if hit is not False:
            return hit  # type: ignore[return-value]
        domain = normalise_domain(claimed)
        found = None
        while domain:
            found = self._outlets.get(domain)
            if found is not None or "." not in domain:
                break
            domain = domain.split(".", 1)[1]
        if len(self._cache) < 65_536:
            self._cache[claimed] = found
        return found

    def outlets(self) -> tuple[Outlet, ...]:
        return tuple(self._outlets[d] for d in sorted(self._outlets))


def _parse(data: Any, origin: str) -> list[Outlet]:
    if not isinstance(data, Mapping):
        raise RegistryError(f"{origin}: expected a mapping with 'tiers' and 'outlets'")
    tiers = data.get("tiers") or {}
    outlets = data.get("outlets") or {}
    if not isinstance(tiers, Mapping) or not isinstance(outlets, Mapping):
        raise RegistryError(f"{origin}: 'tiers' and 'outlets' must be mappings")
    weights: dict[str, float] = {}
    for tier, weight in tiers.items():
        if not isinstance(weight, int | float) or not 0 <= weight <= 1:
            raise RegistryError(f"{origin}: tier {tier!r} needs a weight in [0, 1], got {weight!r}")
        weights[str(tier)] = float(weight)
    parsed = []
    for domain, entry in outlets.items():
        entry = entry or {}
        if not isinstance(entry, Mapping):
            raise RegistryError(f"{origin}: outlet {domain!r} must map to {{name, tier}}")
        tier = str(entry.get("tier", ""))
        weight = entry.get("weight", weights.get(tier))
        if weight is None:
            raise RegistryError(f"{origin}: outlet {domain!r} has unknown tier {tier!r} and no weight")
        if not isinstance(weight, int | float) or not 0 <= weight <= 1:
            raise RegistryError(f"{origin}: outlet {domain!r} weight must be in [0, 1]")
        key = normalise_domain(str(domain))
        if not key or " " in key:
            raise RegistryError(f"{origin}: {domain!r} is not a domain")
        parsed.append(Outlet(key, str(entry.get("name", key)), tier or "custom", float(weight)))
    return parsed


def _read(source: str) -> list[Outlet]:
    if source in SHIPPED:
        text = resources.files("streams.risk").joinpath("data", SHIPPED[source]).read_text("utf-8")
        origin = f"{source} ({SHIPPED[source]})"
    else:
        try:
            text = Path(source).read_text(encoding="utf-8")
        except OSError as exc:
            raise RegistryError(f"cannot read outlet registry {source}: {exc.strerror}") from None
        origin = source
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise RegistryError(f"{origin}: not YAML: {exc}") from None
    return _parse(data, origin)


@cache
def load_registry(files: tuple[str, ...], trusted: tuple[str, ...] = ()) -> OutletRegistry:
    """The registry from ``files`` in order (later entries override earlier ones),
    plus ``trusted`` names at weight 1.  Cached: configs share one instance."""
    outlets: dict[str, Outlet] = {}
    for source in files:
        for outlet in _read(source):
            outlets[outlet.domain] = outlet
    for name in trusted:
        key = normalise_domain(name)
        if key:
            outlets[key] = Outlet(key, name, "trusted", 1.0)
    return OutletRegistry(outlets.values())


def registry_files(setting: str) -> tuple[str, ...]:
    """``"builtin,/etc/streams/outlets.yaml"`` → ``("builtin", "/etc/streams/outlets.yaml")``."""
    return tuple(part.strip() for part in setting.split(",") if part.strip())


@lru_cache(maxsize=65_536)
def source_of(
    outlet: str,
    producer: str | None,
    registry: OutletRegistry,
    trusted_producers: frozenset[str],
) -> tuple[str, float]:
    """The source an event counts as, and its weight (0 for the unverified source)."""
    found = registry.lookup(outlet)
    if found is None or found.weight <= 0.0:
        return UNVERIFIED, 0.0
    if producer and producer not in trusted_producers:
        return PRODUCER_PREFIX + producer, found.weight
    return OUTLET_PREFIX + found.domain, found.weight


def source_label(key: str) -> str:
    """How a source reads in an explanation: the domain, the producer, or 'unverified'."""
    if key == UNVERIFIED:
        return "unverified"
    return key.removeprefix(OUTLET_PREFIX)
