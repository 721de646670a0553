"""Countries and pairs as people type them."""

from __future__ import annotations

import pytest

from streams.console.names import country_name, pair_slug, parse_query


@pytest.mark.parametrize(("query", "codes"), [
    ("RUS", ("RUS",)), ("russia", ("RUS",)), ("Ukraine", ("UKR",)), ("north korea", ("PRK",)),
    ("RUS|UKR", ("RUS", "UKR")), ("UKR|RUS", ("RUS", "UKR")), ("rus ukr", ("RUS", "UKR")),
    ("ukraine - russia", ("RUS", "UKR")), ("Iran vs Israel", ("IRN", "ISR")),
    ("ukraine russia", ("RUS", "UKR")), ("south korea japan", ("JPN", "KOR")),
    ("NAT|RUS", ("NAT", "RUS")),
    ("", ()), ("<script>alert(1)</script>", ()), ("no such place at all", ()),
])
def test_parse_query(query: str, codes: tuple[str, ...]) -> None:
    assert parse_query(query) == codes


def test_names_and_slugs() -> None:
    assert country_name("UKR") == "Ukraine"
    assert country_name("NAT") == "NAT"
    assert pair_slug("RUS|UKR") == "RUS-UKR"
