"""The Faust worker app: topics, tables and agents, wired from settings.

Agents are thin (see ``streams.agents.enrich`` and ``streams.agents.risk``):
they decode, call the pure core, publish and count.
"""

from __future__ import annotations

import ssl
from typing import Any

import faust
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from streams.agents.enrich import install_enrich_agents
from streams.agents.faust_compat import install as install_faust_compat
from streams.agents.logs import quiet_kafka_client_logs
from streams.agents.metrics import REGISTRY
from streams.agents.observe import install_observability
from streams.agents.risk import install_risk_agent
from streams.settings import Settings


def faust_options(settings: Settings) -> dict[str, Any]:
    """Faust app options derived from settings (shared with tests and tools)."""
    options: dict[str, Any] = {
        "broker": settings.broker_url,
        "store": settings.store,
        "datadir": settings.data_dir,
        "web_host": settings.web_host,
        "web_port": settings.web_port,
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
    app = faust.App(settings.app_id, **faust_options(settings))
    quiet_kafka_client_logs()  # an outage shows in the log without flooding it
    install_observability(app, settings)  # sensor, consumer lag, worker up, build info
    install_enrich_agents(app, settings)
    install_risk_agent(app, settings)

    @app.page("/metrics")
    async def metrics(web: Any, request: Any) -> Any:
        return web.bytes(generate_latest(REGISTRY), content_type=CONTENT_TYPE_LATEST.split(";")[0])

    return app
