"""The pages, served by the real application over a real socket, from a store of real values."""

from __future__ import annotations

import asyncio
import base64
import json
import re
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import Engine

from streams.console.auth import Credentials
from streams.console.web import create_app, outside_link
from streams.settings import Settings
from tests.console.values import TopicValues

Fetch = Callable[[TestClient], Awaitable[Any]]


OPEN = Credentials()


def serve(store: Engine, check: Fetch, credentials: Credentials = OPEN) -> Any:
    async def run() -> Any:
        async with TestClient(TestServer(create_app(store, credentials, Settings().risk))) as client:
            return await asyncio.wait_for(check(client), 60)
    return asyncio.run(run())


async def _get(client: TestClient, path: str, **kwargs: Any) -> tuple[int, str, Any]:
    response = await client.get(path, allow_redirects=False, **kwargs)
    return response.status, await response.text(), response.headers


def get(store: Engine, path: str, credentials: Credentials = OPEN, **kwargs: Any) -> tuple[int, str, Any]:
    return serve(store, lambda c: _get(c, path, **kwargs), credentials)  # type: ignore[no-any-return]


def _alert(values: TopicValues, dyad: str) -> dict[str, Any]:
    return next(a for a in map(json.loads, values.alerts) if a["dyad"] == dyad)


def test_feed_lists_every_alert_with_a_link(store: Engine, values: TopicValues) -> None:
    status, html, headers = get(store, "/")
    assert status == 200
    for alert in map(json.loads, values.alerts):
        assert f'href="/alerts/{alert["alert_id"]}"' in html
        assert f'href="/pairs/{alert["dyad"].replace("|", "-")}"' in html
    assert "script-src" not in headers["Content-Security-Policy"]  # default-src 'none': no script
    assert "default-src 'none'" in headers["Content-Security-Policy"]


@pytest.mark.parametrize(("query", "expected"), [
    ("?level=warning", set()), ("?level=watch", {"RUS|UKR", "IRN|ISR"}),
    ("?country=Ukraine", {"RUS|UKR"}), ("?country=ISR&since=2024-04-14", {"IRN|ISR"}),
    ("?until=2023-01-01", {"RUS|UKR"}),
])
def test_feed_filters(store: Engine, query: str, expected: set[str]) -> None:
    status, html, _ = get(store, "/" + query)
    assert status == 200
    assert set(re.findall(r'class="pair" href="/pairs/([A-Z]{3}-[A-Z]{3})"', html.split('id="feed"')[-1])) \
        == {d.replace("|", "-") for d in expected}


@pytest.mark.parametrize("query", ["?level=severe", "?since=yesterday", "?country=Atlantis", "?page=0"])
def test_bad_filters_get_a_clear_error(store: Engine, query: str) -> None:
    status, text, headers = get(store, "/" + query)
    assert status == 400 and text.startswith("400: ")
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_alert_page_explains_with_evidence(store: Engine, values: TopicValues) -> None:
    alert = _alert(values, "RUS|UKR")
    status, html, _ = get(store, f"/alerts/{alert['alert_id']}")
    assert status == 200
    top = alert["top_events"][0]
    assert top["sentence"].replace("'", "&#39;") in html
    assert f'href="{top["url"]}"' in html
    assert f'href="/articles/{top["article_id"]}"' in html
    assert "surge" in html and "corroboration" in html and "triggering event" in html
    assert get(store, "/alerts/" + "0" * 64)[0] == 404


def test_pair_page_has_the_chart_with_alert_markers(store: Engine, values: TopicValues) -> None:
    alert = _alert(values, "RUS|UKR")
    status, html, _ = get(store, "/pairs/RUS-UKR")
    assert status == 200
    svg = html[html.index("<svg"):html.index("</svg>")]
    assert svg.count('class="transition"') == 1
    assert f'href="/alerts/{alert["alert_id"]}"' in svg
    assert 'class="bar"' in svg
    assert get(store, "/pairs/UKR-RUS")[2]["Location"] == "/pairs/RUS-UKR"
    assert get(store, "/pairs/ABC-XYZ")[0] == 404


def test_untrusted_text_is_rendered_inert(store: Engine) -> None:
    """Markup in an article's sentence, title, outlet and URL shows as text, never as markup."""
    pages = [get(store, "/pairs/RUS-UKR")[1], get(store, "/articles/rus-ukr-markup")[1]]
    for html in pages:
        assert "<script" not in html and "<img" not in html and "<b>" not in html and "<i>" not in html
        assert "&lt;script&gt;alert(&#39;sentence&#39;)&lt;/script&gt;" in html
        assert 'href="javascript' not in html
    assert "Shelling &lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt;" in pages[1]


def test_search_goes_to_a_pair_or_a_country(store: Engine) -> None:
    assert get(store, "/search?q=ukraine+russia")[2]["Location"] == "/pairs/RUS-UKR"
    assert get(store, "/search?q=RUS|UKR")[2]["Location"] == "/pairs/RUS-UKR"
    assert get(store, "/search?q=Russia")[2]["Location"] == "/?country=RUS"
    _, html, _ = get(store, "/?country=RUS")
    assert 'href="/pairs/RUS-UKR"' in html.split('class="pairs"')[1]
    assert get(store, "/search?q=%3Cscript%3E")[0] == 404


def test_health_reports_rows(store: Engine, values: TopicValues) -> None:
    status, text, _ = get(store, "/health")
    assert status == 200 and json.loads(text)["rows"]["alerts"] == len(values.alerts)


def test_credentials_are_required_when_set(store: Engine) -> None:
    token = Credentials(token="s3cret")
    assert get(store, "/", token)[0] == 401
    assert get(store, "/", token, headers={"Authorization": "Bearer wrong"})[0] == 401
    assert get(store, "/", token, headers={"Authorization": "Bearer s3cret"})[0] == 200
    basic = Credentials(user="ana", password="pw")
    status, _, headers = get(store, "/static/console.css", basic)
    assert status == 401 and headers["WWW-Authenticate"].startswith("Basic ")
    good = "Basic " + base64.b64encode(b"ana:pw").decode()
    assert get(store, "/", basic, headers={"Authorization": good})[0] == 200


@pytest.mark.parametrize(("url", "kept"), [
    ("https://example.org/a", True), ("http://x.test", True), ("javascript:alert(1)", False),
    (" JavaScript:alert(1)", False), ("data:text/html,hi", False), ("//evil.test", False), (None, False),
])
def test_only_web_links_are_followed(url: str | None, kept: bool) -> None:
    assert (outside_link(url) is not None) == kept
