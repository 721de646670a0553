"""One settings object for the whole product, read from ``STREAMS_*`` variables.

Values come from, in order of precedence: the process environment, a
dotenv file named by ``STREAMS_ENV_FILE`` (default ``.env`` if present),
then the defaults here.  Secrets are ``SecretStr`` so they never print.
"""

from __future__ import annotations

import os
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Topics(BaseSettings):
    """Topic names, ``<domain>.<dataset>.v<major>``."""

    model_config = SettingsConfigDict(env_prefix="STREAMS_TOPIC_", extra="ignore")

    articles: str = "news.articles.v1"
    enriched: str = "news.enriched.v1"
    dead_letters: str = "news.articles.dlq.v1"
    stance_events: str = "geo.stance-events.v1"
    alerts: str = "geo.alerts.v1"
    #: Internal: valid articles whose Kafka key was not their id are re-keyed
    #: through this topic so the dedup table sees every copy of an id.
    rekeyed: str = "news.articles-rekeyed.v1"


class Settings(BaseSettings):
    """Every option of the worker and the CLI.  See the README's table."""

    model_config = SettingsConfigDict(
        env_prefix="STREAMS_",
        env_file=os.environ.get("STREAMS_ENV_FILE", ".env"),
        extra="ignore",
        env_nested_delimiter="__",
    )

    #: Kafka bootstrap servers, ``host:port[,host:port]``.  Unset: ``streams run``
    #: starts a local single-node broker on 127.0.0.1.
    broker: str | None = None
    local_broker_port: int = 9092
    app_id: str = "streams"
    #: Partitions for the topics the worker creates.  They bound parallelism:
    #: at most this many workers share the load.
    partitions: int = Field(default=4, ge=1)
    replication_factor: int = Field(default=1, ge=1)
    #: Faust table store: ``rocksdb://`` (durable, default) or ``memory://``.
    store: str = "rocksdb://"
    data_dir: str = "./var/streams-data"
    web_host: str = "127.0.0.1"
    web_port: int = Field(default=6066, ge=0, le=65535)
    log_level: Literal["debug", "info", "warning", "error"] = "info"
    #: Messages above this size go to the dead-letter topic unparsed.
    max_message_bytes: int = Field(default=1_048_576, ge=1024)
    #: Characters of body text analysed per article (longer text is truncated
    #: and the article marked partial): bounds per-message analysis time.
    max_analyzed_chars: int = Field(default=100_000, ge=1_000)
    #: Upper bound of one article's analysis; beyond it, a dead letter.
    analysis_timeout_s: float = Field(default=10.0, gt=0)
    #: spaCy model package; empty means the first installed English model.
    spacy_model: str = ""
    #: Kafka security: PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL.
    security_protocol: Literal["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"] = "PLAINTEXT"
    sasl_mechanism: Literal["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"] = "SCRAM-SHA-512"
    sasl_username: str | None = None
    sasl_password: SecretStr | None = None
    ssl_cafile: str | None = None
    ssl_certfile: str | None = None
    ssl_keyfile: str | None = None

    topics: Topics = Field(default_factory=Topics)

    @property
    def broker_url(self) -> str:
        """The Faust-style ``kafka://`` URL list for the configured brokers."""
        if not self.broker:
            raise RuntimeError("STREAMS_BROKER is not set")
        return ";".join(
            h if h.startswith("kafka://") else f"kafka://{h}" for h in self.broker.split(",")
        )

    @property
    def bootstrap_servers(self) -> str:
        """Plain ``host:port,...`` for aiokafka clients."""
        if not self.broker:
            raise RuntimeError("STREAMS_BROKER is not set")
        return ",".join(h.removeprefix("kafka://") for h in self.broker.split(","))
