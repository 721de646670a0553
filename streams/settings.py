"""One settings object for the whole product, read from ``STREAMS_*`` variables.

Values come from, in order of precedence: the process environment, a
dotenv file named by ``STREAMS_ENV_FILE`` (default ``.env`` if present),
then the defaults here.  Secrets are ``SecretStr`` so they never print, and
can be read from a file (``STREAMS_SASL_PASSWORD_FILE``) instead of the
environment.  ``docs/configuration.md`` lists every option; it is generated
from the ``#:`` comments here by ``python -m streams.settings --update
docs/configuration.md`` and a test keeps it in step.
"""

from __future__ import annotations

import inspect
import os
import re
import sys
import typing
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Any, Literal, Self

from pydantic import BaseModel, BeforeValidator, Field, SecretStr, TypeAdapter, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from streams.risk.config import RiskConfig


class Topics(BaseSettings):
    """Topic names, ``<domain>.<dataset>.v<major>``."""

    model_config = SettingsConfigDict(env_prefix="STREAMS_TOPIC_", extra="ignore")

    #: Input: raw articles from crawlers, keyed by article id.
    articles: str = "news.articles.v1"
    #: Output: one enriched article per distinct input id.
    enriched: str = "news.enriched.v1"
    #: Output: unreadable input with the reason and the original bytes.
    dead_letters: str = "news.articles.dlq.v1"
    #: Stance events keyed by dyad; also the door for external coded events.
    stance_events: str = "geo.stance-events.v1"
    #: Output: dyad escalation alerts and resolutions.
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
        # Validation errors must not echo the input: it may hold the password.
        hide_input_in_errors=True,
    )

    #: Kafka bootstrap servers, ``host:port[,host:port]``.  Unset: ``streams run``
    #: starts a local single-node broker on 127.0.0.1.
    broker: str | None = None
    #: Port of the local broker that ``streams run`` / ``streams broker`` start.
    local_broker_port: int = 9092
    #: Faust app id: the consumer group and the prefix of internal topics.
    app_id: str = "streams"
    #: Partitions for the topics the worker creates.  They bound parallelism:
    #: at most this many workers share the load.
    partitions: int = Field(default=4, ge=1)
    #: Replication factor of the topics the worker and ``streams`` create, changelogs
    #: included (3 on a three-node cluster, e.g. ``deploy/kafka/kafkactl-cluster``).
    replication_factor: int = Field(default=1, ge=1)
    #: ``min.insync.replicas`` of those topics when replicated: a write (``acks=all``) is
    #: acknowledged only once this many replicas hold it, and refused while fewer are in
    #: sync.  Unset: one less than the replication factor (2 of 3).  Ignored without replication.
    min_insync_replicas: int | None = Field(default=None, ge=1)
    #: Standby copies of each table partition kept warm on other workers, so a
    #: partition that moves (worker lost, scale-in) resumes without replaying its
    #: whole changelog.  Only useful with two or more workers.
    standby_replicas: int = Field(default=1, ge=0)
    #: Faust table store: ``rocksdb://`` (durable, default) or ``memory://``.
    store: str = "rocksdb://"
    #: Worker state (RocksDB tables); one directory per worker process.
    data_dir: str = "./var/streams-data"
    #: Address the worker's web port binds to (and advertises to Faust);
    #: ``0.0.0.0`` in containers.
    web_host: str = "127.0.0.1"
    #: Worker web port, serving ``/metrics`` and ``/health`` (200 once the
    #: worker is up, 503 before and while stopping).
    web_port: int = Field(default=6066, ge=0, le=65535)
    #: Also serve Faust's built-in views on the web port: ``/table/...``
    #: (table contents: seen articles, dyad states), ``/router/...``, statistics
    #: at ``/`` and ``/assignment/``, ``/graph/``, ``/performance/``.  Off: they
    #: expose internal state to anyone who can reach the port.  For debugging.
    web_introspection: bool = False
    #: Worker log level.
    log_level: Literal["debug", "info", "warning", "error"] = "info"
    #: Dyads exported by the top-K risk gauge (bounds the metric's cardinality).
    metrics_top_k: int = Field(default=20, ge=1)
    #: Seconds between consumer-lag measurements exported as metrics.
    metrics_lag_interval_s: float = Field(default=5.0, gt=0)
    #: Messages above this size go to the dead-letter topic unparsed.
    max_message_bytes: int = Field(default=1_048_576, ge=1024)
    #: Characters of body text analysed per article (longer text is truncated
    #: and the article marked partial): bounds per-message analysis time.
    max_analyzed_chars: int = Field(default=100_000, ge=1_000)
    #: Upper bound of one article's analysis; beyond it, a dead letter.
    analysis_timeout_s: float = Field(default=10.0, gt=0)
    #: Longest a graceful stop (SIGTERM) may take before the worker exits anyway, e.g.
    #: when the broker is unreachable and nothing can be flushed or committed; input not
    #: committed is processed again after a restart.  Under Docker's and Kubernetes'
    #: grace periods if those are raised to 30 s.
    stop_deadline_s: float = Field(default=20.0, gt=0)
    #: Record header naming the article's producer (set or overwritten by an ingress the
    #: operator controls, never taken from the article JSON); copied onto its stance events
    #: as ``producer``, so one producer counts as one source whatever outlets it claims.
    #: Empty: no producer is recorded.
    producer_header: str = ""
    #: spaCy model package; empty means the first installed English model.
    spacy_model: str = ""
    #: A PETRARCH CAMEO verb-pattern file (e.g. ``CAMEO.verbpatterns.150430.txt``, MIT) whose
    #: verbs are added below the project's own trigger lexicon, for wider event recall.
    #: Empty: the project's lexicon alone.  Read once, when the analysis starts.
    cameo_verbpatterns: Annotated[Path | None, BeforeValidator(lambda v: v or None)] = None
    #: Kafka security protocol of every client (worker and CLI).
    security_protocol: Literal["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"] = "PLAINTEXT"
    #: SASL mechanism for ``SASL_*`` protocols.
    sasl_mechanism: Literal["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"] = "SCRAM-SHA-512"
    #: SASL user name.
    sasl_username: str | None = None
    #: SASL password (secret: never printed).  Prefer ``STREAMS_SASL_PASSWORD_FILE``.
    sasl_password: SecretStr | None = None
    #: File holding the SASL password (e.g. a Docker/Kubernetes secret), read at
    #: start-up; one trailing newline is ignored.
    sasl_password_file: str | None = None
    #: CA bundle (PEM) that signed the brokers' certificates; unset: system CAs.
    ssl_cafile: str | None = None
    #: Client certificate (PEM) for mutual TLS.
    ssl_certfile: str | None = None
    #: Private key (PEM) of the client certificate, if not in the certificate file.
    ssl_keyfile: str | None = None

    #: Store of the analyst console (``streams console``): a SQLAlchemy URL, e.g.
    #: ``postgresql+psycopg://user@db/console``.  Empty: SQLite in ``STREAMS_DATA_DIR``
    #: (``console.sqlite3``), nothing to install.
    console_db: str = ""
    #: Address the analyst console binds to.  Anything but a loopback address needs
    #: ``STREAMS_CONSOLE_TOKEN`` or ``STREAMS_CONSOLE_PASSWORD``: the console refuses to
    #: start without one.
    console_host: str = "127.0.0.1"
    #: Port of the analyst console.
    console_port: int = Field(default=8080, ge=0, le=65535)
    #: Bearer token the console asks of every request (``Authorization: Bearer ...``);
    #: for scripts and reverse proxies.  Unset: no token.
    console_token: SecretStr | None = None
    #: User name of the console's HTTP basic authentication (with ``STREAMS_CONSOLE_PASSWORD``).
    console_user: str = "analyst"
    #: Password of the console's HTTP basic authentication, which browsers ask for
    #: themselves.  Unset: no basic authentication.
    console_password: SecretStr | None = None

    #: Topic names, ``STREAMS_TOPIC_<NAME>``.
    topics: Topics = Field(default_factory=Topics)
    #: Thresholds and horizons of the risk engine, ``STREAMS_RISK__<NAME>``
    #: (see ``docs/risk.md``).
    risk: RiskConfig = Field(default_factory=RiskConfig)

    @model_validator(mode="after")
    def _secrets_and_security(self) -> Self:
        if self.sasl_password_file:
            path = Path(self.sasl_password_file)
            try:
                secret = path.read_text(encoding="utf-8").removesuffix("\n").removesuffix("\r")
            except OSError as exc:
                raise ValueError(f"cannot read STREAMS_SASL_PASSWORD_FILE {path}: {exc.strerror}") from None
            if self.sasl_password is not None and self.sasl_password.get_secret_value() != secret:
                raise ValueError("set STREAMS_SASL_PASSWORD or STREAMS_SASL_PASSWORD_FILE, not both")
            self.sasl_password = SecretStr(secret)
        if self.security_protocol.startswith("SASL") and (
                not self.sasl_username or self.sasl_password is None):
            raise ValueError(f"security_protocol {self.security_protocol} needs STREAMS_SASL_USERNAME "
                             "and STREAMS_SASL_PASSWORD (or STREAMS_SASL_PASSWORD_FILE)")
        return self

    @property
    def topic_min_insync(self) -> int | None:
        """``min.insync.replicas`` for the topics created, or None (unreplicated: broker default)."""
        if self.replication_factor < 2:
            return None
        wanted = self.min_insync_replicas or self.replication_factor - 1
        return min(wanted, self.replication_factor)

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


# --- the configuration reference (docs/configuration.md) ----------------------

TABLE_BEGIN = "<!-- BEGIN settings table (python -m streams.settings --update docs/configuration.md) -->"
TABLE_END = "<!-- END settings table -->"
_FIELD = re.compile(r"^    (\w+)\s*:")


def _field_comments(cls: type) -> dict[str, str]:
    """The ``#:`` comment above each field of ``cls``; else its ``# -- section --`` title."""
    try:
        lines = inspect.getsourcelines(cls)[0]
    except (OSError, TypeError):
        return {}
    docs: dict[str, str] = {}
    pending: list[str] = []
    section = ""
    for line in lines:
        text = line.strip()
        if text.startswith("#:"):
            pending.append(text[2:].strip())
            continue
        if text.startswith("# --"):
            section = text.strip("#- ").strip()
        elif (match := _FIELD.match(line)) and not text.startswith(("def ", "@")):
            docs[match.group(1)] = " ".join(pending) or f"{section[:1].upper()}{section[1:]}; see above."
        pending = []
    return docs


def _format_default(value: Any) -> str:
    if value is None:
        return "unset"
    if isinstance(value, SecretStr):
        return "unset" if not value.get_secret_value() else "(secret)"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if isinstance(value, timedelta):
        return f"`{TypeAdapter(timedelta).dump_python(value, mode='json')}`"
    if value == "":
        return '`""`'
    return f"`{value}`"


def _choices(annotation: Any) -> str:
    for arg in (annotation, *typing.get_args(annotation)):
        if typing.get_origin(arg) is Literal:
            return " One of " + ", ".join(f"`{a}`" for a in typing.get_args(arg)) + "."
    return ""


def _rows(model: type[BaseModel], prefix: str) -> list[tuple[str, str, str]]:
    comments = _field_comments(model)
    rows: list[tuple[str, str, str]] = []
    for name, info in model.model_fields.items():
        annotation = info.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            nested = annotation.model_config.get("env_prefix") if issubclass(
                annotation, BaseSettings) else None
            rows.extend(_rows(annotation, str(nested or f"{prefix}{name.upper()}__")))
            continue
        default = info.get_default(call_default_factory=True)
        meaning = comments.get(name, "").replace("``", "`").replace("|", "\\|") + _choices(annotation)
        if annotation is timedelta:
            meaning += " ISO 8601 duration (e.g. `PT12H`)."
        rows.append((f"`{prefix}{name.upper()}`", _format_default(default), meaning.strip()))
    return rows


def settings_table() -> str:
    """Markdown table of every setting: environment variable, default, meaning."""
    lines = ["| variable | default | meaning |", "|---|---|---|"]
    lines += [f"| {env} | {default} | {meaning} |" for env, default, meaning in _rows(Settings, "STREAMS_")]
    return "\n".join(lines) + "\n"


def update_document(path: Path) -> bool:
    """Rewrite the generated table in ``path``; returns whether it changed."""
    text = path.read_text(encoding="utf-8")
    head, sep, rest = text.partition(TABLE_BEGIN)
    _, sep2, tail = rest.partition(TABLE_END)
    if not sep or not sep2:
        raise ValueError(f"{path} has no {TABLE_BEGIN!r} ... {TABLE_END!r} markers")
    new = f"{head}{TABLE_BEGIN}\n{settings_table()}{TABLE_END}{tail}"
    if new != text:
        path.write_text(new, encoding="utf-8")
    return new != text


if __name__ == "__main__":
    if sys.argv[1:2] == ["--update"] and len(sys.argv) == 3:
        print("updated" if update_document(Path(sys.argv[2])) else "up to date", file=sys.stderr)
    else:
        sys.stdout.write(settings_table())
