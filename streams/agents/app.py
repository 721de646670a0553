"""The Faust worker app: topics, tables and agents, wired from settings.

Agents are thin (see ``streams.agents.enrich`` and ``streams.agents.risk``):
they decode, call the pure core, publish and count.
"""

from __future__ import annotations

import ssl
from typing import Any

import faust
from faust.web import Web
from faust.web import drivers as web_drivers
from mode.utils.objects import cached_property
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from streams.agents.aiokafka_compat import install as install_aiokafka_compat
from streams.agents.aiokafka_compat import on_unreadable
from streams.agents.enrich import install_enrich_agents
from streams.agents.faust_compat import install as install_faust_compat
from streams.agents.logs import quiet_kafka_client_logs
from streams.agents.metrics import REGISTRY, UNREADABLE_RECORDS
from streams.agents.observe import install_observability
from streams.agents.risk import install_risk_agent
from streams.settings import Settings

#: Faust settings (faust-streaming 0.15) that switch its built-in web views on:
#: ``/router/``, ``/table/`` (table contents), statistics at ``/`` and
#: ``/assignment/``, ``/graph/``, ``/performance/``.  All follow
#: ``STREAMS_WEB_INTROSPECTION``.
INTROSPECTION_VIEWS = ("web_router_enabled", "web_tables_enabled", "web_stats_enabled",
                       "web_graph_enabled", "web_metrics_enabled")


class StreamsApp(faust.App):
    """A Faust app whose web server serves only the pages registered on it.

    With its statistics view off, Faust mounts a "production index" at ``/``
    that no setting turns off; the web driver here is Faust's own with that
    (public, class-level) blueprint list emptied, so an unknown path is a 404.
    """

    @cached_property
    def web(self) -> Web:
        driver: type[Web] = web_drivers.by_url(self.conf.web)
        quiet: type[Web] = type(driver.__name__, (driver,), {"production_blueprints": ()})
        return quiet(self)


def faust_options(settings: Settings) -> dict[str, Any]:
    """Faust app options derived from settings (shared with tests and tools)."""
    options: dict[str, Any] = {
        "broker": settings.broker_url,
        "store": settings.store,
        "datadir": settings.data_dir,
        # Faust binds 0.0.0.0 unless told (web_bind); web_host is only the host
        # it advertises to other workers (its canonical URL).
        "web_bind": settings.web_host,
        "web_host": settings.web_host,
        "web_port": settings.web_port,
        **dict.fromkeys(INTROSPECTION_VIEWS, settings.web_introspection),
        "topic_partitions": settings.partitions,
        "topic_replication_factor": settings.replication_factor,
        "table_standby_replicas": settings.standby_replicas,
        "consumer_auto_offset_reset": "earliest",
        "producer_acks": -1,
        # Per partition and fetch.  Faust's 1 MiB (~1,300 stance events) made the
        # risk agent wait on fetch round trips: 4,800 → 5,600 events/s at 8 MiB.
        "consumer_max_fetch_size": 8 * 1024 * 1024,
        # Offsets are committed every second, never every N messages: Faust runs
        # that commit inline in its fetch loop (a producer flush and a commit round
        # trip, ~0.5 s with a busy changelog), stalling delivery each time.
        "broker_commit_every": 2**31 - 1,
        "broker_commit_interval": 1.0,
        "web_in_thread": False,
    }
    credentials = kafka_credentials(settings)
    if credentials is not None:
        options["broker_credentials"] = credentials
    return options


def kafka_credentials(settings: Settings) -> Any:
    """Faust credentials object for the configured security protocol, if any."""
    protocol = settings.security_protocol
    if protocol == "PLAINTEXT":
        return None
    context = None
    if protocol in ("SSL", "SASL_SSL"):
        context = ssl.create_default_context(cafile=settings.ssl_cafile)
        if settings.ssl_certfile:
            context.load_cert_chain(settings.ssl_certfile, settings.ssl_keyfile)
    if protocol == "SSL":
        return faust.SSLCredentials(context)
    password = settings.sasl_password.get_secret_value() if settings.sasl_password else None
    return faust.SASLCredentials(
        username=settings.sasl_username, password=password, ssl_context=context,
        mechanism=settings.sasl_mechanism,
    )


def create_app(settings: Settings) -> faust.App:
    """Build the worker app with its topics, tables and agents."""
    install_faust_compat()  # at-least-once fixes for faust-streaming 0.15.3 (see the module)
    install_aiokafka_compat()  # no fetched record can stop a partition (see the module)
    on_unreadable(lambda skip: UNREADABLE_RECORDS.labels(skip.topic).inc(skip.count))
    options = faust_options(settings)
    app = StreamsApp(settings.app_id, **options)
    _check_web_settings(app, options)
    quiet_kafka_client_logs()  # an outage shows in the log without flooding it
    install_observability(app, settings)  # sensor, consumer lag, worker up, build info
    install_enrich_agents(app, settings)
    install_risk_agent(app, settings)

    @app.page("/metrics")
    async def metrics(web: Any, request: Any) -> Any:
        return web.bytes(generate_latest(REGISTRY), content_type=CONTENT_TYPE_LATEST.split(";")[0])

    @app.page("/health")
    async def health(web: Any, request: Any) -> Any:
        # The same signal as the streams_worker_up gauge: 1 from the moment tables
        # are recovered and agents run until shutdown begins.
        up = REGISTRY.get_sample_value("streams_worker_up") == 1
        return web.json({"status": "up" if up else "not ready"}, status=200 if up else 503)

    return app


def _check_web_settings(app: faust.App, options: dict[str, Any]) -> None:
    """Refuse to start when Faust does not apply our web settings.

    Faust lets its own environment variables (``WEB_BIND``, ``WEB_HOST``,
    ``APP_WEB_TABLES_ENABLED``, ...) override the options it is given, and a
    Faust without the per-view settings would ignore them: either way the port
    would bind or serve more than ``STREAMS_WEB_*`` says.
    """
    for name in ("web_bind", "web_host", *INTROSPECTION_VIEWS):
        actual = getattr(app.conf, name, None)
        if actual != options[name]:
            raise RuntimeError(
                f"Faust setting {name} is {actual!r}, not {options[name]!r} as STREAMS_WEB_* says: "
                "unset the Faust environment variable that overrides it (or check the Faust version)")
