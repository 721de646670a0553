"""GDELT and ICEWS rows to stance events; every row accounted for."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from streams.contracts.geo import StanceEvent
from streams.risk.loaders import (
    LoadError,
    country_code,
    load_gdelt,
    load_icews,
    read_relation_mapping,
    relation_code,
    resolve_actor,
)
from streams.risk.loaders.gdelt import COLUMNS


def gdelt_row(**fields: str) -> str:
    """A 61-column GDELT 2.0 row with sensible defaults."""
    values = dict.fromkeys(COLUMNS, "")
    values.update(
        GLOBALEVENTID="1029384756",
        SQLDATE="20220224",
        MonthYear="202202",
        Year="2022",
        Actor1Code="RUSMIL",
        Actor1Name="RUSSIA",
        Actor1CountryCode="RUS",
        Actor1Type1Code="MIL",
        Actor2Code="UKR",
        Actor2Name="UKRAINE",
        Actor2CountryCode="UKR",
        EventCode="190",
        EventBaseCode="190",
        EventRootCode="19",
        QuadClass="4",
        GoldsteinScale="-10.0",
        DATEADDED="20220224041500",
        SOURCEURL="https://www.example-news.com/world/2022/02/24/invasion",
    )
    values.update(fields)
    return "\t".join(values[c] for c in COLUMNS)


def test_gdelt_row_becomes_a_stance_event() -> None:
    (item,) = load_gdelt([gdelt_row() + "\n"])
    assert isinstance(item, StanceEvent)
    assert item.dyad == "RUS|UKR"
    assert (item.source_code, item.target_code) == ("RUSMIL", "UKR")
    assert (item.cameo_code, item.quad_class, item.goldstein, item.polarity) == ("190", 4, -10.0, "hostile")
    assert item.plover == "ASSAULT"
    assert item.event_time == datetime(2022, 2, 24, 4, 15, tzinfo=UTC)  # DATEADDED
    assert item.outlet == "example-news.com"
    assert item.url and item.url.startswith("https://")
    assert item.origin == "gdelt"
    assert len(item.signature) == 16


def test_gdelt_ids_are_deterministic_and_signatures_group_the_same_act() -> None:
    a = next(load_gdelt([gdelt_row()]))
    again = next(load_gdelt([gdelt_row()]))
    other_article = next(load_gdelt([gdelt_row(GLOBALEVENTID="1029384757", SOURCEURL="https://other.org/x")]))
    assert isinstance(a, StanceEvent) and isinstance(again, StanceEvent)
    assert isinstance(other_article, StanceEvent)
    assert a.event_id == again.event_id != other_article.event_id
    assert a.signature == other_article.signature  # same act, same day: near-duplicates
    assert a.outlet != other_article.outlet  # ...that corroborate


def test_gdelt_falls_back_to_sqldate_and_to_the_code_root() -> None:
    item = next(load_gdelt([gdelt_row(DATEADDED="", EventCode="1999", GoldsteinScale="")]))
    assert isinstance(item, StanceEvent)
    assert item.event_time == datetime(2022, 2, 24, tzinfo=UTC)
    assert item.cameo_code == "19" and item.goldstein == -10.0


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ("too\tfew\tcolumns", "malformed"),
        (gdelt_row(GLOBALEVENTID="abc"), "malformed"),
        (gdelt_row(DATEADDED="x", SQLDATE="y"), "bad_date"),
        (gdelt_row(EventCode="99"), "unknown_code"),
        (gdelt_row(Actor2CountryCode=""), "unresolved_actor"),
        (gdelt_row(Actor2CountryCode="RUS", Actor2Code="RUSGOV"), "domestic"),
    ],
)
def test_gdelt_rows_that_cannot_be_used_say_why(row: str, reason: str) -> None:
    (item,) = load_gdelt([row])
    assert isinstance(item, LoadError)
    assert item.reason == reason and item.line == 1 and item.detail


def test_gdelt_domestic_rows_can_be_kept() -> None:
    row = gdelt_row(Actor2CountryCode="RUS", Actor2Code="RUSOPP")
    (item,) = load_gdelt([row], include_domestic=True)
    assert isinstance(item, StanceEvent) and item.dyad == "RUS|RUS"


def test_every_line_is_accounted_for() -> None:
    lines = [gdelt_row(), "", "garbage", gdelt_row(GLOBALEVENTID="2")]
    items = list(load_gdelt(lines))
    assert [type(i).__name__ for i in items] == ["StanceEvent", "LoadError", "StanceEvent"]
    assert [getattr(i, "line", None) for i in items][1] == 3


# -- ICEWS ------------------------------------------------------------------------


def test_icews_rows() -> None:
    rows = [
        "Government (Russia)\tThreaten with military force\tUkraine\t2014-03-01",
        "Citizen (Nigeria)\tMake statement\tGovernment (Niger)\t2014-05-02",
        "Barack Obama\tConsult\tAngela Merkel\t2014-04-04",
        "Police (Australia)\tArrest, detain, or charge with legal action\tCitizen (Australia)\t2014-01-02",
        "China\tDo something odd\tJapan\t2014-01-02",
        "China\tConsult\tJapan\t2014/01/02",
        "China\tConsult\tJapan",
    ]
    items = list(load_icews(rows))
    first, second = items[0], items[1]
    assert isinstance(first, StanceEvent) and isinstance(second, StanceEvent)
    assert (first.source_code, first.target_code, first.dyad) == ("RUSGOV", "UKR", "RUS|UKR")
    assert (first.cameo_code, first.goldstein, first.polarity) == ("138", -7.0, "hostile")
    assert first.event_time == datetime(2014, 3, 1, tzinfo=UTC)
    assert (first.outlet, first.origin, first.confidence) == ("icews", "icews", 0.8)
    assert (second.source_code, second.target_code, second.cameo_code) == ("NGACVL", "NERGOV", "010")
    assert second.polarity == "neutral"
    reasons = [i.reason for i in items[2:] if isinstance(i, LoadError)]
    assert reasons == ["unresolved_actor", "domestic", "unknown_relation", "bad_date", "malformed"]


def test_icews_person_aliases_and_ids() -> None:
    row = "Barack Obama\tConsult\tAngela Merkel\t2014-04-04"
    aliases = {"Barack Obama": "USAGOV", "Angela Merkel": "DEUGOV"}
    (item,) = load_icews([row], actor_aliases=aliases)
    assert isinstance(item, StanceEvent) and item.dyad == "DEU|USA"
    (again,) = load_icews([row + "\n"], actor_aliases=aliases)
    assert isinstance(again, StanceEvent) and again.event_id == item.event_id


def test_relation_mapping_prefers_the_caller_then_aliases_then_cameo_names(tmp_path: Path) -> None:
    assert relation_code("use conventional military force").code == "190"  # type: ignore[union-attr]
    assert relation_code("Demand mediation").code == "105"  # type: ignore[union-attr]
    assert relation_code("Consult").code == "040"  # type: ignore[union-attr]
    assert relation_code("Praise or endorse").code == "051"  # type: ignore[union-attr]
    assert relation_code("no such act") is None
    mapping_file = tmp_path / "relations.tsv"
    mapping_file.write_text("relation\tcode\nConsult\t043\nNew wording\t0871\n", encoding="utf-8")
    mapping = read_relation_mapping(mapping_file)
    assert relation_code("Consult", mapping).code == "043"  # type: ignore[union-attr]
    row = "China\tnew wording\tJapan\t2014-01-02"
    (item,) = load_icews([row], relations=mapping)
    assert isinstance(item, StanceEvent) and item.cameo_code == "0871"


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Russia", "RUS"),
        ("South Korea", "KOR"),
        ("Turkey", "TUR"),
        ("Palestinian Territory, Occupied", "PSE"),
        ("Government (Ukraine)", "UKRGOV"),
        ("Military Personnel - Special (Philippines)", "PHLMIL"),
        ("Member of Parliament (Australia)", "AUSLEG"),
        ("Head of Government (Nigeria)", "NGAGOV"),
        ("Company - Owner or Operator (India)", "INDBUS"),
        ("Men (South Africa)", "ZAFCVL"),
        ("Xi Jinping", None),
        ("African Union", None),
        ("Middle East", None),
    ],
)
def test_actor_resolution(name: str, code: str | None) -> None:
    assert resolve_actor(name) == code


def test_country_code_handles_blank_and_unknown() -> None:
    assert country_code("") is None and country_code("Atlantis") is None
    assert country_code("japan") == "JPN"


# -- what the feeds say about sources and mirror images ----------------------------


def test_gdelt_keeps_the_sources_and_articles_it_counted() -> None:
    (item,) = load_gdelt([gdelt_row(NumSources="7", NumArticles="12")])
    assert isinstance(item, StanceEvent)
    assert (item.source_count, item.article_count) == (7, 12)
    (blank,) = load_gdelt([gdelt_row(NumSources="", NumArticles="0")])
    assert isinstance(blank, StanceEvent) and (blank.source_count, blank.article_count) == (None, None)


def test_mirror_images_of_one_act_share_a_signature() -> None:
    """'A fights B' and 'B fights A' on the same day are one clash (one event in the sums)."""
    there = "Military (Russia)\tUse conventional military force\tMilitary (Ukraine)\t2014-06-01"
    back = "Military (Ukraine)\tUse conventional military force\tMilitary (Russia)\t2014-06-01"
    other_day = back.replace("2014-06-01", "2014-06-02")
    a, b, c = (next(iter(load_icews([row]))) for row in (there, back, other_day))
    assert isinstance(a, StanceEvent) and isinstance(b, StanceEvent) and isinstance(c, StanceEvent)
    assert a.event_id != b.event_id and a.signature == b.signature != c.signature
    forth = next(load_gdelt([gdelt_row()]))
    mirror = next(load_gdelt([gdelt_row(
        GLOBALEVENTID="1029384758", Actor1Code="UKR", Actor1Name="UKRAINE", Actor1CountryCode="UKR",
        Actor1Type1Code="", Actor2Code="RUSMIL", Actor2Name="RUSSIA", Actor2CountryCode="RUS",
        Actor2Type1Code="MIL")]))
    assert isinstance(forth, StanceEvent) and isinstance(mirror, StanceEvent)
    assert forth.signature == mirror.signature
