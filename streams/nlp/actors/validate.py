"""Reading the data files and the cross-row rules no single row can check.

Every problem is collected before anything is raised, so one run of the
loader (or of the test suite) lists all the bad rows at once, each with its
file and entry: ``leaders/europe.yaml: olaf-scholz: head_of_government term
2021-12-08..2025-05-06 overlaps angela-merkel's``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import pairwise
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from streams.errors import DataError as StreamsDataError
from streams.nlp.actors.models import (
    SINGLE_HOLDER_OFFICES,
    CountryRow,
    GroupRow,
    IgoRow,
    InstitutionRow,
    PersonRow,
    RoleNounRow,
    TitlesFile,
)
from streams.nlp.actors.normalize import is_case_sensitive, key

#: Earliest date a term may start: older facts are out of scope.
EARLIEST = date(1900, 1, 1)

M = TypeVar("M", bound=BaseModel)


class DataError(StreamsDataError, ValueError):
    """The actor data is invalid; the message lists every problem found."""

    def __init__(self, problems: Sequence[str]):
        self.problems = list(problems)
        shown = "\n  ".join(self.problems[:200])
        more = f"\n  ... and {len(self.problems) - 200} more" if len(self.problems) > 200 else ""
        super().__init__(f"{len(self.problems)} problem(s) in the actor data:\n  {shown}{more}")


@dataclass
class ActorData:
    """Everything in the data directory, validated row by row."""

    as_of: date
    countries: list[CountryRow] = field(default_factory=list)
    institutions: list[InstitutionRow] = field(default_factory=list)
    institution_types: list[RoleNounRow] = field(default_factory=list)
    titles: TitlesFile | None = None
    igos: list[IgoRow] = field(default_factory=list)
    groups: list[GroupRow] = field(default_factory=list)
    #: (file name, row) so errors can name the file.
    people: list[tuple[str, PersonRow]] = field(default_factory=list)


def _load_yaml(path: Path, problems: list[str]) -> Any:
    try:
        with path.open(encoding="utf-8") as fh:
            return yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except FileNotFoundError:
        problems.append(f"{path.name}: file is missing")
    except yaml.YAMLError as exc:
        problems.append(f"{path.name}: not valid YAML: {exc}")
    return None


def _describe(raw: Any, index: int) -> str:
    if isinstance(raw, dict):
        for field_name in ("key", "iso3", "phrase", "name"):
            if field_name in raw:
                return f"#{index} ({raw[field_name]})"
    return f"#{index}"


def _errors(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err["loc"])
        value = err.get("input")
        shown = f" (got {value!r})" if not isinstance(value, (dict, list)) else ""
        parts.append(f"{where}: {err['msg']}{shown}" if where else f"{err['msg']}{shown}")
    return "; ".join(parts)


def _rows(model: type[M], raw: Any, source: str, problems: list[str]) -> list[M]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        problems.append(f"{source}: expected a list of entries, got {type(raw).__name__}")
        return []
    out: list[M] = []
    for i, item in enumerate(raw):
        try:
            out.append(model.model_validate(item))
        except ValidationError as exc:
            problems.append(f"{source}: entry {_describe(item, i)}: {_errors(exc)}")
    return out


def read(data_dir: Path) -> ActorData:
    """Read and validate every file under ``data_dir``; raise :class:`DataError`."""
    problems: list[str] = []
    meta = _load_yaml(data_dir / "meta.yaml", problems) or {}
    as_of = meta.get("as_of") if isinstance(meta, dict) else None
    if not isinstance(as_of, date):
        problems.append("meta.yaml: as_of must be a date (YYYY-MM-DD)")
        as_of = date.max
    data = ActorData(as_of=as_of)
    data.countries = _rows(CountryRow, _load_yaml(data_dir / "countries.yaml", problems),
                           "countries.yaml", problems)
    data.institutions = _rows(InstitutionRow, _load_yaml(data_dir / "institutions.yaml", problems),
                              "institutions.yaml", problems)
    data.institution_types = _rows(RoleNounRow,
                                   _load_yaml(data_dir / "institution_types.yaml", problems),
                                   "institution_types.yaml", problems)
    data.igos = _rows(IgoRow, _load_yaml(data_dir / "igos.yaml", problems), "igos.yaml", problems)
    data.groups = _rows(GroupRow, _load_yaml(data_dir / "groups.yaml", problems), "groups.yaml", problems)
    raw_titles = _load_yaml(data_dir / "titles.yaml", problems)
    if raw_titles is not None:
        try:
            data.titles = TitlesFile.model_validate(raw_titles)
        except ValidationError as exc:
            problems.append(f"titles.yaml: {_errors(exc)}")
    leader_dir = data_dir / "leaders"
    leader_files = sorted(leader_dir.glob("*.yaml")) if leader_dir.is_dir() else []
    if not leader_files:
        problems.append("leaders/: no *.yaml files")
    for path in leader_files:
        source = f"leaders/{path.name}"
        for row in _rows(PersonRow, _load_yaml(path, problems), source, problems):
            data.people.append((source, row))
    problems.extend(check(data))
    if problems:
        raise DataError(problems)
    return data


def check(data: ActorData) -> list[str]:
    """Cross-row rules: unique keys, known references, sane and non-overlapping terms,
    and no surface form claimed by two entries unless both mark it ``shared``."""
    problems: list[str] = []
    countries = _unique(((c.iso3, "countries.yaml") for c in data.countries), "country", problems)
    _unique(((i.key, "institutions.yaml") for i in data.institutions), "institution", problems)
    igos = _unique(((i.key, "igos.yaml") for i in data.igos), "IGO", problems)
    groups = _unique(((g.key, "groups.yaml") for g in data.groups), "group", problems)
    _unique(((p.key, src) for src, p in data.people), "person", problems)

    def known(code: str | None, where: str) -> None:
        if code is not None and code not in countries:
            problems.append(f"{where}: unknown country code {code} (not in countries.yaml)")

    for c in data.countries:
        known(c.sovereign, f"countries.yaml: {c.iso3} sovereign")
        if c.status == "territory" and c.sovereign == c.iso3:
            problems.append(f"countries.yaml: {c.iso3}: a territory cannot be its own sovereign")
    for i in data.institutions:
        known(i.country, f"institutions.yaml: {i.key}")
    for g in data.groups:
        known(g.country, f"groups.yaml: {g.key}")
        if g.country and not g.code.startswith(g.country) and not g.code.startswith("IMG"):
            problems.append(f"groups.yaml: {g.key}: code {g.code} does not start with its country "
                            f"{g.country}")
        problems.extend(_check_dated(g.dated, f"groups.yaml: {g.key}", data.as_of))
    for o in data.igos:
        if o.parent is not None and o.parent not in igos:
            problems.append(f"igos.yaml: {o.key}: unknown parent {o.parent}")
    for src, p in data.people:
        known(p.country, f"{src}: {p.key}")
        for t in p.terms:
            where = f"{src}: {p.key}: {t.office} {t.start}..{t.end or ''}"
            known(t.country, where)
            if t.igo is not None and t.igo not in igos:
                problems.append(f"{where}: unknown IGO {t.igo}")
            if t.group is not None and t.group not in groups:
                problems.append(f"{where}: unknown group {t.group}")
            if t.office == "igo_head" and t.igo is None:
                problems.append(f"{where}: an igo_head term must name its igo")
            if t.start < EARLIEST:
                problems.append(f"{where}: starts before {EARLIEST}")
            if t.start > data.as_of:
                problems.append(f"{where}: starts after the data's as-of date {data.as_of}")
            if t.end is not None and t.end > data.as_of:
                problems.append(f"{where}: ends after the data's as-of date {data.as_of}; "
                                "leave end empty for an incumbent")
    problems.extend(_check_terms(data))
    problems.extend(_check_surfaces(data))
    problems.extend(_check_role_nouns(data))
    return problems


def _unique(items: Iterable[tuple[str, str]], what: str, problems: list[str]) -> set[str]:
    seen: dict[str, str] = {}
    for k, src in items:
        if k in seen:
            problems.append(f"{src}: duplicate {what} key {k} (also in {seen[k]})")
        else:
            seen[k] = src
    return set(seen)


def _check_dated(dated: Sequence[Any], where: str, as_of: date) -> list[str]:
    problems = []
    spans = sorted((d.start or date.min, d.end or date.max, d.code) for d in dated)
    for s, e, code in spans:
        if e <= s:
            problems.append(f"{where}: dated code {code} ends on or before it starts")
        if e != date.max and e > as_of:
            problems.append(f"{where}: dated code {code} ends after the as-of date {as_of}")
    for (_s1, e1, c1), (s2, _e2, c2) in pairwise(spans):
        if s2 < e1:
            problems.append(f"{where}: dated codes {c1} and {c2} overlap")
    return problems


def _offices(office: str) -> tuple[str, ...]:
    if office == "head_of_state_and_government":
        return ("head_of_state", "head_of_government")
    return (office,)


def _check_terms(data: ActorData) -> list[str]:
    problems: list[str] = []
    # Per person and office: one holding at a time.
    for src, p in data.people:
        by_office: dict[str, list[tuple[date, date, bool]]] = defaultdict(list)
        for t in p.terms:
            for office in _offices(t.office):
                by_office[f"{office}@{t.igo or t.group or t.country or p.country}"].append(
                    (t.start, t.end or date.max, t.parallel))
        for office, spans in by_office.items():
            spans.sort()
            for (s1, e1, _), (s2, _e2, _) in pairwise(spans):
                if s2 < e1:
                    problems.append(f"{src}: {p.key}: two {office} terms overlap ({s1}..{e1} and from {s2})")
    # Per country (or IGO) and single-holder office: one person at a time.
    holders: dict[str, list[tuple[date, date, str, str]]] = defaultdict(list)
    for src, p in data.people:
        for t in p.terms:
            if t.parallel:
                continue
            for office in _offices(t.office):
                if office in SINGLE_HOLDER_OFFICES:
                    seat = t.igo or t.group or t.country or p.country
                    holders[f"{office}@{seat}"].append((t.start, t.end or date.max, p.key, src))
    for seat, held in holders.items():
        held.sort()
        for i, (s1, e1, k1, _src1) in enumerate(held):
            for s2, _e2, k2, src2 in held[i + 1:]:
                if s2 >= e1:
                    break
                if k1 != k2:
                    end = "" if e1 == date.max else str(e1)
                    problems.append(f"{src2}: {k2}: {seat} term from {s2} overlaps "
                                    f"{k1}'s {s1}..{end}")
    return problems


def _surfaces(data: ActorData) -> Iterable[tuple[str, str, list[str], list[str]]]:
    """(entry id, source file, surfaces, shared surfaces) for every entry."""
    for c in data.countries:
        own = [c.name, *( [c.official] if c.official else []), *c.aliases, *c.adjectives,
               *c.demonyms, *c.capital, *c.palaces, *c.regions]
        yield f"country:{c.iso3}", "countries.yaml", own, c.shared
    for i in data.institutions:
        yield f"institution:{i.key}", "institutions.yaml", [i.name, *i.aliases], i.shared
    for o in data.igos:
        yield f"{o.type}:{o.key}", "igos.yaml", [o.name, *o.aliases], o.shared
    for g in data.groups:
        yield f"group:{g.key}", "groups.yaml", [g.name, *g.aliases], g.shared
    for src, p in data.people:
        yield f"leader:{p.key}", src, [p.name, *p.aliases], p.shared


def _check_surfaces(data: ActorData) -> list[str]:
    problems: list[str] = []
    owners: dict[str, list[tuple[str, str, bool]]] = defaultdict(list)
    for entry, src, own, shared in _surfaces(data):
        shared_keys = {_surface_key(s) for s in shared}
        for s in own:
            k = _surface_key(s)
            if not k.strip("=").strip():
                problems.append(f"{src}: {entry}: surface {s!r} is empty once normalised")
            elif k in shared_keys:
                problems.append(f"{src}: {entry}: {s!r} is listed both as its own and as shared")
        keys = {(_surface_key(s), False) for s in own} | {(k, True) for k in shared_keys}
        for k, is_shared in keys:
            owners[k].append((entry, src, is_shared))
    for k, claims in owners.items():
        entries = {e for e, _, _ in claims}
        if len(entries) > 1 and not all(is_shared for _, _, is_shared in claims):
            own = [f"{e} ({src})" for e, src, is_shared in claims if not is_shared]
            problems.append(f"surface {k.strip('=')!r} is claimed by {', '.join(sorted(entries))}; "
                            f"mark it 'shared' in {', '.join(own)} if the ambiguity is real")
    return problems


def _surface_key(surface: str) -> str:
    # Capitals-only acronyms live in their own key space ("=US" vs "us").
    return "=" + key(surface, keep_case=True) if is_case_sensitive(surface) else key(surface)


def _check_role_nouns(data: ActorData) -> list[str]:
    problems: list[str] = []
    seen: dict[str, str] = {}
    rows: list[tuple[str, RoleNounRow]] = [("institution_types.yaml", r) for r in data.institution_types]
    if data.titles is not None:
        rows += [("titles.yaml", r) for r in data.titles.titles]
    for src, row in rows:
        for phrase in [row.phrase, *row.variants]:
            k = key(phrase)
            if k in seen:
                problems.append(f"{src}: {phrase!r} is defined twice (also in {seen[k]})")
            seen[k] = f"{src} ({row.phrase})"
    return problems
