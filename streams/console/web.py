"""The console's web application (aiohttp + Jinja2): read-only pages over the store.

Safe by default: every template is autoescaped (sentences, titles and outlet names are
untrusted input), links to the outside are kept only when they are ``http(s)``, and the
pages carry a Content-Security-Policy that allows no script at all, so even a mistake in
escaping could not run one.  When credentials are configured every request must present
them (bearer token or HTTP basic); the command refuses to bind beyond loopback without.
Queries run in a thread: the database driver blocks.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from importlib import resources
from typing import Any
from urllib.parse import urlencode, urlsplit

import jinja2
from aiohttp import web
from markupsafe import Markup
from sqlalchemy import Connection, Engine

from streams.console import queries
from streams.console.auth import Credentials, authorised
from streams.console.chart import pair_chart
from streams.console.names import country_code, country_name, pair_slug, parse_query
from streams.contracts.common import dyad_key
from streams.risk.config import RiskConfig

LEVELS = ("watch", "warning", "critical", "none")
#: No script, no plug-in, nothing from elsewhere; styles and images from the console only.
CSP = ("default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
       "frame-ancestors 'none'; base-uri 'none'")
HEADERS = {"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff",
           "Referrer-Policy": "no-referrer", "X-Frame-Options": "DENY", "Cache-Control": "no-store"}

ENGINE_KEY = web.AppKey("engine", Engine)
CREDENTIALS_KEY = web.AppKey("credentials", Credentials)
RISK_KEY = web.AppKey("risk", RiskConfig)
TEMPLATES_KEY = web.AppKey("templates", jinja2.Environment)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def outside_link(url: str | None) -> str | None:
    """``url`` when a browser may follow it from the console (http or https), else ``None``:
    escaping does not stop a ``javascript:`` link."""
    if not url:
        return None
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return None
    return url.strip() if scheme in ("http", "https") else None


def _when(moment: datetime | str | None) -> str:
    """A stored time (naive UTC) or a published one (ISO 8601), as the pages show times."""
    if isinstance(moment, str):
        try:
            moment = datetime.fromisoformat(moment).astimezone(UTC)
        except ValueError:
            return str(moment)
    return "" if moment is None else f"{moment:%Y-%m-%d %H:%M} UTC"


def templates() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("streams.console", "templates"),
        autoescape=True,  # every template, whatever its name
        trim_blocks=True, lstrip_blocks=True,
    )
    env.filters.update(outside=outside_link, when=_when, country=country_name, slug=pair_slug)
    env.globals.update(levels=LEVELS)
    return env


@web.middleware
async def guard(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Credentials first (when configured), then the safety headers on every response, and
    the time the page took (``Server-Timing``, which the benchmark and browsers read)."""
    started = time.monotonic()
    credentials = request.app[CREDENTIALS_KEY]
    if not authorised(request.headers.get("Authorization"), credentials):
        response = web.Response(
            status=401,
            text="401: credentials required (STREAMS_CONSOLE_TOKEN or STREAMS_CONSOLE_PASSWORD)\n",
            headers={"WWW-Authenticate": credentials.challenge()})
        _finish(response, started)
        return response
    try:
        ok = await handler(request)
    except web.HTTPException as exc:  # redirects and refusals: raised, with the same headers
        _finish(exc, started)
        raise
    _finish(ok, started)
    return ok


def _finish(response: web.StreamResponse | web.HTTPException, started: float) -> None:
    response.headers.update(HEADERS)
    response.headers["Server-Timing"] = f"app;dur={(time.monotonic() - started) * 1000:.1f}"


async def _query(request: web.Request, read: Callable[[Connection], Any]) -> Any:
    engine = request.app[ENGINE_KEY]

    def run() -> Any:
        with engine.connect() as conn:
            return read(conn)
    return await asyncio.to_thread(run)


def _page(request: web.Request, name: str, status: int = 200, **context: Any) -> web.Response:
    html = request.app[TEMPLATES_KEY].get_template(name).render(
        query=request.query.get("q", ""), path=request.path, **context)
    return web.Response(text=html, status=status, content_type="text/html", charset="utf-8")


def _not_found(request: web.Request, what: str) -> web.Response:
    return _page(request, "missing.html", status=404, what=what)


def _day(text: str | None, field: str) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.strptime(text, "%Y-%m-%d").replace(tzinfo=UTC)
    except ValueError:
        raise web.HTTPBadRequest(
            text=f"400: {field} must be a date, YYYY-MM-DD (got {text[:40]!r})\n") from None


def feed_filter(params: Any) -> queries.FeedFilter:
    """The feed's filters from the query string; ``HTTPBadRequest`` names the bad one."""
    level = params.get("level") or None
    if level is not None and level not in LEVELS:
        raise web.HTTPBadRequest(text=f"400: level must be one of {', '.join(LEVELS)}\n")
    country = None
    if params.get("country"):
        country = country_code(params["country"])
        if country is None:
            raise web.HTTPBadRequest(text=f"400: unknown country {params['country'][:40]!r}\n")
    try:
        page = int(params.get("page") or 1)
    except ValueError:
        raise web.HTTPBadRequest(text="400: page must be a whole number\n") from None
    if not 1 <= page <= 10_000:
        raise web.HTTPBadRequest(text="400: page must be between 1 and 10000\n")
    return queries.FeedFilter(level=level, country=country, since=_day(params.get("since"), "since"),
                              until=_day(params.get("until"), "until"), page=page)


async def feed_page(request: web.Request) -> web.Response:
    wanted = feed_filter(request.query)

    def read(conn: Connection) -> tuple[Any, ...]:
        rows, more = queries.feed(conn, wanted)
        pairs = queries.pairs_of(conn, wanted.country) if wanted.country else []
        return rows, more, pairs
    rows, more, pairs = await _query(request, read)
    shown = {k: v for k, v in request.query.items() if k in ("level", "country", "since", "until") and v}

    def page_link(page: int) -> str:
        return "/?" + urlencode({**shown, "page": page})
    return _page(request, "feed.html", alerts=rows, wanted=wanted, filters=shown, pairs=pairs,
                 previous=page_link(wanted.page - 1) if wanted.page > 1 else None,
                 next=page_link(wanted.page + 1) if more else None)


async def _one(request: web.Request, name: str, read: Callable[[Connection, str], Any]) -> web.Response:
    """The page of one stored record (``name``: the path's key and the template's variable)."""
    key = request.match_info[f"{name}_id"]
    found = await _query(request, lambda conn: read(conn, key))
    if found is None:
        return _not_found(request, f"{name} {key}")
    return _page(request, f"{name}.html", **{name: found})


async def alert_page(request: web.Request) -> web.Response:
    return await _one(request, "alert", queries.alert)


async def pair_page(request: web.Request) -> web.Response:
    codes = parse_query(request.match_info["slug"].replace("-", "|"))
    if len(codes) != 2:
        return _not_found(request, f"pair {request.match_info['slug']}")
    dyad = dyad_key(*codes)
    if pair_slug(dyad) != request.match_info["slug"]:
        raise web.HTTPFound(f"/pairs/{pair_slug(dyad)}")  # one shareable address per pair
    found = await _query(request, lambda conn: queries.pair(conn, dyad))
    if found is None:
        return _not_found(request, f"pair {dyad}")
    risk = request.app[RISK_KEY]
    chart = pair_chart(found["days"], found["alerts"], found["start_day"], found["end_day"],
                       {"watch": risk.watch_enter, "warning": risk.warning_enter,
                        "critical": risk.critical_enter})
    return _page(request, "pair.html", pair=found, chart=Markup(chart))


async def article_page(request: web.Request) -> web.Response:
    return await _one(request, "article", queries.article)


async def search(request: web.Request) -> web.Response:
    """A country goes to the feed filtered by it (with its pairs), a pair to its page."""
    text = request.query.get("q", "")
    codes = parse_query(text)
    if len(codes) == 2:
        raise web.HTTPFound(f"/pairs/{pair_slug(dyad_key(*codes))}")
    if len(codes) == 1:
        raise web.HTTPFound("/?" + urlencode({"country": codes[0]}))
    return _page(request, "missing.html", status=404,
                 what=f"a country or pair called {text[:80]!r} (try RUS, Ukraine, or RUS|UKR)")


async def health(request: web.Request) -> web.Response:
    """Row counts and stored offsets, as JSON (for probes and scripts)."""
    return web.json_response(await _query(request, queries.status))


async def stylesheet(request: web.Request) -> web.Response:
    css = resources.files("streams.console").joinpath("static/console.css").read_text("utf-8")
    return web.Response(text=css, content_type="text/css", headers={"Cache-Control": "max-age=3600"})


def create_app(engine: Engine, credentials: Credentials, risk: RiskConfig) -> web.Application:
    app = web.Application(middlewares=[guard])
    app[ENGINE_KEY], app[CREDENTIALS_KEY], app[RISK_KEY] = engine, credentials, risk
    app[TEMPLATES_KEY] = templates()
    app.router.add_get("/", feed_page)
    app.router.add_get("/alerts/{alert_id:[0-9a-f]{1,64}}", alert_page)
    app.router.add_get("/pairs/{slug}", pair_page)
    app.router.add_get("/articles/{article_id}", article_page)
    app.router.add_get("/search", search)
    app.router.add_get("/health", health)
    app.router.add_get("/static/console.css", stylesheet)
    return app
