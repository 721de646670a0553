"""The shipped actor data: complete where it must be, internally consistent,
and guarded by a schema check that names the bad row."""

from __future__ import annotations

import shutil
from collections import Counter
from datetime import date
from itertools import pairwise
from pathlib import Path

import pycountry
import pytest
import yaml

from streams.nlp.actors import DATA_DIR, ActorTable, DataError
from streams.nlp.actors.validate import read

# The 193 UN member states, written out independently of the data.
UN_MEMBERS = frozenset({
    "AFG", "ALB", "DZA", "AND", "AGO", "ATG", "ARG", "ARM", "AUS", "AUT", "AZE", "BHS", "BHR", "BGD", "BRB",
    "BLR", "BEL", "BLZ", "BEN", "BTN", "BOL", "BIH", "BWA", "BRA", "BRN", "BGR", "BFA", "BDI", "CPV", "KHM",
    "CMR", "CAN", "CAF", "TCD", "CHL", "CHN", "COL", "COM", "COG", "COD", "CRI", "CIV", "HRV", "CUB", "CYP",
    "CZE", "DNK", "DJI", "DMA", "DOM", "ECU", "EGY", "SLV", "GNQ", "ERI", "EST", "SWZ", "ETH", "FJI", "FIN",
    "FRA", "GAB", "GMB", "GEO", "DEU", "GHA", "GRC", "GRD", "GTM", "GIN", "GNB", "GUY", "HTI", "HND", "HUN",
    "ISL", "IND", "IDN", "IRN", "IRQ", "IRL", "ISR", "ITA", "JAM", "JPN", "JOR", "KAZ", "KEN", "KIR", "PRK",
    "KOR", "KWT", "KGZ", "LAO", "LVA", "LBN", "LSO", "LBR", "LBY", "LIE", "LTU", "LUX", "MDG", "MWI", "MYS",
    "MDV", "MLI", "MLT", "MHL", "MRT", "MUS", "MEX", "FSM", "MDA", "MCO", "MNG", "MNE", "MAR", "MOZ", "MMR",
    "NAM", "NRU", "NPL", "NLD", "NZL", "NIC", "NER", "NGA", "MKD", "NOR", "OMN", "PAK", "PLW", "PAN", "PNG",
    "PRY", "PER", "PHL", "POL", "PRT", "QAT", "ROU", "RUS", "RWA", "KNA", "LCA", "VCT", "WSM", "SMR", "STP",
    "SAU", "SEN", "SRB", "SYC", "SLE", "SGP", "SVK", "SVN", "SLB", "SOM", "ZAF", "SSD", "ESP", "LKA", "SDN",
    "SUR", "SWE", "CHE", "SYR", "TJK", "TZA", "THA", "TLS", "TGO", "TON", "TTO", "TUN", "TUR", "TKM", "TUV",
    "UGA", "UKR", "ARE", "GBR", "USA", "URY", "UZB", "VUT", "VEN", "VNM", "YEM", "ZMB", "ZWE"
})
OBSERVERS = frozenset({"VAT", "PSE"})
SINGLE = {"head_of_state", "head_of_government", "foreign_minister", "defence_minister", "igo_head"}
BOTH = ("head_of_state", "head_of_government")
#: Codes we use that ISO 3166 has not assigned (user-assigned range).
USER_ASSIGNED = {"XKX"}


@pytest.fixture(scope="module")
def data():  # type: ignore[no-untyped-def]
    return read(DATA_DIR)


@pytest.fixture(scope="module")
def table() -> ActorTable:
    return ActorTable.load()


def test_the_reference_list_has_193_members() -> None:
    assert len(UN_MEMBERS) == 193


def test_every_un_member_and_observer_is_present(data) -> None:  # type: ignore[no-untyped-def]
    status = {c.iso3: c.status for c in data.countries}
    assert {k for k, v in status.items() if v == "member"} == UN_MEMBERS
    assert {k for k, v in status.items() if v == "observer"} == OBSERVERS
    assert {"TWN", "XKX", "HKG"} <= {k for k, v in status.items() if v == "territory"}


def test_country_codes_are_iso_3166_alpha_3(data) -> None:  # type: ignore[no-untyped-def]
    for c in data.countries:
        if c.iso3 in USER_ASSIGNED:
            assert c.cameo, f"{c.iso3} needs its CAMEO code noted"
            continue
        assert pycountry.countries.get(alpha_3=c.iso3) is not None, c.iso3


def test_cameo_quirks_are_recorded(table: ActorTable) -> None:
    assert table.country("XKX").cameo == "KSV"  # type: ignore[union-attr]
    assert table.country("TLS").cameo == "TMP"  # type: ignore[union-attr]
    assert table.country("rus").name == "Russia"  # type: ignore[union-attr]


def test_every_country_has_names_for_its_people(data) -> None:  # type: ignore[no-untyped-def]
    for c in data.countries:
        if c.iso3 == "VAT":
            continue
        assert c.adjectives or c.demonyms or c.shared, c.iso3


def test_major_powers_have_palace_or_capital_metonyms(data) -> None:  # type: ignore[no-untyped-def]
    by = {c.iso3: c for c in data.countries}
    for iso in ("USA", "RUS", "CHN", "GBR", "FRA", "DEU", "JPN", "IND", "ISR", "IRN", "UKR", "TUR", "SAU"):
        assert by[iso].capital, iso
    assert "Kremlin" in by["RUS"].palaces and "White House" in by["USA"].palaces
    assert "Downing Street" in by["GBR"].palaces and "Zhongnanhai" in by["CHN"].palaces


def test_igo_and_group_tags_never_collide_with_a_country(table: ActorTable) -> None:
    iso = {c.alpha_3 for c in pycountry.countries} | USER_ASSIGNED
    for s in table.surfaces():
        if s.kind in ("igo", "ngo"):
            c = table.resolve(s.key)
            assert c is not None and c.country is None
            assert c.dyad_code not in iso, f"{c.code}: tag {c.dyad_code} is also a country code"


def test_terms_are_dated_within_the_as_of_date(data) -> None:  # type: ignore[no-untyped-def]
    assert data.as_of <= date.today()
    for _, p in data.people:
        for t in p.terms:
            assert date(1900, 1, 1) <= t.start <= data.as_of, p.key
            assert t.end is None or t.start < t.end <= data.as_of, p.key


def test_no_single_holder_office_has_two_holders_at_once(data) -> None:  # type: ignore[no-untyped-def]
    # read() already refuses overlaps; recount here from the raw terms so the
    # guarantee does not depend on the checker alone.
    seats: dict[str, list[tuple[date, date, str]]] = {}
    for _, p in data.people:
        for t in p.terms:
            if t.parallel:
                continue
            offices = BOTH if t.office == "head_of_state_and_government" else (t.office,)
            for office in offices:
                if office in SINGLE:
                    seat = f"{office}@{t.igo or t.country or p.country}"
                    seats.setdefault(seat, []).append((t.start, t.end or date.max, p.key))
    for seat, spans in seats.items():
        spans.sort()
        for (_s1, e1, k1), (s2, _e2, k2) in pairwise(spans):
            assert s2 >= e1 or k1 == k2, f"{seat}: {k1} and {k2} overlap"


def test_coverage_of_offices_for_the_major_powers(data) -> None:  # type: ignore[no-untyped-def]
    held: Counter[tuple[str, str]] = Counter()
    for _, p in data.people:
        for t in p.terms:
            for office in BOTH if t.office == "head_of_state_and_government" else (t.office,):
                held[(t.country or p.country, office)] += 1
    for iso in ("USA", "RUS", "CHN", "GBR", "FRA", "DEU", "JPN", "IND", "ISR", "IRN", "UKR", "TUR", "SAU"):
        assert held[(iso, "foreign_minister")] >= 2, iso
        assert held[(iso, "defence_minister")] >= 1, iso
        assert held[(iso, "head_of_government")] + held[(iso, "head_of_state")] >= 2, iso


def test_every_incumbent_is_unique_per_seat(table: ActorTable, data) -> None:  # type: ignore[no-untyped-def]
    # On the as-of date each country has at most one head of government.
    heads = Counter()
    for _, p in data.people:
        for t in p.terms:
            heads_gov = t.office in ("head_of_government", "head_of_state_and_government")
            if t.end is None and not t.parallel and heads_gov:
                heads[t.country or p.country] += 1
    assert max(heads.values()) == 1


# ---------------------------------------------------------------------- schema check


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


def _edit(path: Path, change) -> None:  # type: ignore[no-untyped-def]
    rows = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(rows)
    path.write_text(yaml.safe_dump(rows, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_the_shipped_data_passes_the_schema_check() -> None:
    read(DATA_DIR)  # raises DataError otherwise


def test_a_typo_in_a_field_name_is_reported_with_its_row(tmp_path: Path) -> None:
    d = _copy(tmp_path)
    _edit(d / "countries.yaml", lambda rows: rows[0].update(adjectivs=["X"]))
    with pytest.raises(DataError, match=r"countries\.yaml: entry #0 \(DZA\): adjectivs: Extra inputs"):
        read(d)


def test_duplicate_keys_are_reported(tmp_path: Path) -> None:
    d = _copy(tmp_path)
    _edit(d / "igos.yaml", lambda rows: rows.append(dict(rows[0], aliases=[])))
    with pytest.raises(DataError, match="duplicate IGO key un"):
        read(d)


def test_unknown_country_codes_are_reported(tmp_path: Path) -> None:
    d = _copy(tmp_path)
    _edit(d / "institutions.yaml", lambda rows: rows[0].update(country="ZZZ"))
    with pytest.raises(DataError, match="usa-state-department: unknown country code ZZZ"):
        read(d)


def test_overlapping_terms_are_reported(tmp_path: Path) -> None:
    d = _copy(tmp_path)

    def overlap(rows):  # type: ignore[no-untyped-def]
        biden = next(r for r in rows if r["key"] == "joe-biden")
        biden["terms"].append({"office": "head_of_state_and_government", "start": date(2020, 1, 1),
                               "end": date(2020, 6, 1)})

    _edit(d / "leaders" / "americas.yaml", overlap)
    expected = r"joe-biden: head_of_state@USA term from 2020-01-01 overlaps donald-trump"
    with pytest.raises(DataError, match=expected):
        read(d)


def test_terms_ending_after_the_as_of_date_are_reported(tmp_path: Path) -> None:
    d = _copy(tmp_path)
    _edit(d / "leaders" / "americas.yaml",
          lambda rows: rows[3]["terms"][-1].update(end=date(2029, 1, 20)))
    with pytest.raises(DataError, match="ends after the data's as-of date"):
        read(d)


def test_a_surface_claimed_twice_must_be_marked_shared(tmp_path: Path) -> None:
    d = _copy(tmp_path)
    _edit(d / "groups.yaml", lambda rows: rows[0]["aliases"].append("Kremlin"))
    with pytest.raises(DataError, match="surface 'kremlin' is claimed by"):
        read(d)


def test_every_problem_is_listed_at_once(tmp_path: Path) -> None:
    d = _copy(tmp_path)
    _edit(d / "institutions.yaml", lambda rows: [r.update(country="ZZZ") for r in rows[:3]])
    with pytest.raises(DataError) as err:
        read(d)
    assert len(err.value.problems) >= 3
