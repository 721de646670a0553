"""Kafka security on a real broker: SASL/SCRAM-SHA-512 over TLS, and mutual TLS.

One broker for the module, started by ``kafkactl start --secure DIR`` on free loopback
ports. Its certificates are made here by ``deploy/kafka/make-certs`` (openssl + keytool:
a throwaway CA, a broker certificate for 127.0.0.1/localhost, a client certificate) and its
SCRAM user is created by Kafka's own ConfigCommand from ``DIR/scram-users``. The PLAINTEXT
listener kafkactl keeps for its readiness probe is not used by any client here.

Shown: the worker (Faust) with credentials processes articles end to end, over SASL_SSL and
over mutual TLS; CLI and aiokafka clients without credentials, with a wrong password or
without a client certificate are refused, and nothing they sent lands; the password is never
printed.
"""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from aiokafka import AIOKafkaProducer
from aiokafka.errors import KafkaError

from streams.kafka_io import client_options
from streams.localbroker import LocalBroker
from streams.settings import Settings
from tests.support import REPO, collect, create_topics, new_worker, produce, unique_settings

pytestmark = pytest.mark.integration

MAKE_CERTS = REPO / "deploy" / "kafka" / "make-certs"
USER = "streams-worker"


@dataclass(frozen=True)
class SecureBroker:
    sasl_ssl: str
    ssl: str
    tls: Path
    password: str
    log: Path

    def sasl_settings(self, **extra: object) -> dict[str, object]:
        return dict(security_protocol="SASL_SSL", sasl_mechanism="SCRAM-SHA-512", sasl_username=USER,
                    sasl_password_file=str(self.tls / "worker.password"),
                    ssl_cafile=str(self.tls / "ca.pem"), **extra)

    def mtls_settings(self, **extra: object) -> dict[str, object]:
        return dict(security_protocol="SSL", ssl_cafile=str(self.tls / "ca.pem"),
                    ssl_certfile=str(self.tls / "client.pem"), ssl_keyfile=str(self.tls / "client.key"),
                    **extra)


@pytest.fixture(scope="module")
def secure_broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SecureBroker]:
    for tool in ("java", "keytool", "openssl"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} is not installed")
    root = tmp_path_factory.mktemp("secure-kafka")
    tls = root / "tls"
    subprocess.run([str(MAKE_CERTS), str(tls)], check=True, timeout=120, capture_output=True)
    password = secrets.token_urlsafe(24)
    (tls / "scram-users").write_text(f"# name:password\n{USER}:{password}\n")
    (tls / "worker.password").write_text(password + "\n")  # as a mounted secret file would be
    broker = LocalBroker(root / "data", secure_dir=tls, timeout_s=240)
    # Started by hand rather than with broker.start(), to see everything kafkactl prints.
    started = broker.ctl(*broker.start_args(), check=False, capture_stderr=True)
    try:
        assert started.returncode == 0, started.stderr
        assert password not in started.stdout + started.stderr
        assert broker.listeners() == [("PLAINTEXT", broker.address),
                                      ("SASL_SSL", f"127.0.0.1:{broker.sasl_ssl_port}"),
                                      ("SSL", f"127.0.0.1:{broker.ssl_port}")]
        yield SecureBroker(f"127.0.0.1:{broker.sasl_ssl_port}", f"127.0.0.1:{broker.ssl_port}", tls,
                           password, root / "data" / "kafka.log")
    finally:
        broker.stop()


def _article(i: int, tag: str) -> bytes:
    return json.dumps({
        "id": f"{tag}-{i}", "url": f"https://news.example.org/{tag}/{i}", "title": f"Item {i}",
        "body": "Russia warned the United States on Tuesday. Ukraine thanked Poland for its help.",
        "published_at": "2022-02-20T10:00:00Z", "source": {"name": "Example Wire"},
    }).encode()


async def _try_produce(settings: Settings, topic: str, payload: bytes = b"refused?",
                       timeout: float = 20.0) -> Exception | None:
    """Send one message; the exception that stopped it, or None if it was acknowledged."""
    producer = AIOKafkaProducer(acks="all", request_timeout_ms=10_000, **client_options(settings))
    try:
        await asyncio.wait_for(producer.start(), timeout)
        await asyncio.wait_for(producer.send_and_wait(topic, payload), timeout)
        return None
    except (KafkaError, OSError, TimeoutError) as exc:
        return exc
    finally:
        await producer.stop()


def _security_env(values: dict[str, object]) -> dict[str, str]:
    return {f"STREAMS_{k.upper()}": str(v) for k, v in values.items()}


@pytest.mark.parametrize("mode", ["sasl_ssl", "mtls"])
def test_worker_with_credentials_processes_articles(
        secure_broker: SecureBroker, mode: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    security = secure_broker.sasl_settings() if mode == "sasl_ssl" else secure_broker.mtls_settings()
    broker = secure_broker.sasl_ssl if mode == "sasl_ssl" else secure_broker.ssl
    settings = unique_settings(broker, partitions=2, **security)
    create_topics(settings)  # the admin client authenticates too
    for key, value in _security_env(security).items():
        monkeypatch.setenv(key, value)  # the worker process inherits them
    worker = new_worker(settings, tmp_path).start()
    try:
        worker.wait_ready()
        tag = f"sec-{mode}"
        sent = produce(settings, [_article(i, tag) for i in range(6)])
        assert sent == 6
        records = collect(settings, [settings.topics.enriched], 6, timeout=120)
        ids = sorted(json.loads(r.value or b"")["id"] for r in records)
        assert ids == sorted(f"{tag}-{i}" for i in range(6)), worker.log()
        # The counter moves just after the output is acknowledged: give it a moment.
        deadline = time.monotonic() + 10
        while (worker.counter("streams_articles_total", outcome="enriched") < 6
               and time.monotonic() < deadline):
            time.sleep(0.2)
        assert worker.counter("streams_articles_total", outcome="enriched") == 6
    finally:
        worker.stop()
    assert secure_broker.password not in worker.log_path.read_text(errors="replace")


def test_clients_without_valid_credentials_are_refused(secure_broker: SecureBroker, tmp_path: Path) -> None:
    good = unique_settings(secure_broker.sasl_ssl, **secure_broker.sasl_settings())
    topic = good.topics.articles
    create_topics(good)
    cafile = str(secure_broker.tls / "ca.pem")
    attempts = {
        # TLS but no SASL: the broker wants a SASL handshake first and drops the connection.
        "no credentials": Settings(broker=secure_broker.sasl_ssl, security_protocol="SSL",
                                   ssl_cafile=cafile),
        "plaintext": Settings(broker=secure_broker.sasl_ssl),
        "wrong password": Settings(broker=secure_broker.sasl_ssl, security_protocol="SASL_SSL",
                                   sasl_username=USER, sasl_password="not-the-password",
                                   ssl_cafile=cafile),
        "unknown user": Settings(broker=secure_broker.sasl_ssl, security_protocol="SASL_SSL",
                                 sasl_username="mallory", sasl_password=secure_broker.password,
                                 ssl_cafile=cafile),
    }
    for name, settings in attempts.items():
        error = asyncio.run(_try_produce(settings, topic))
        assert error is not None, f"{name}: the broker accepted the client"
    log = secure_broker.log.read_text(errors="replace")
    assert "invalid credentials with SASL mechanism SCRAM-SHA-512" in log

    # The CLI, configured from the environment, fails and does not print the password.
    wrong = "wrong-" + secrets.token_hex(8)
    feed = tmp_path / "one.jsonl"
    feed.write_bytes(_article(0, "cli") + b"\n")
    env = dict(os.environ, **_security_env(secure_broker.sasl_settings()),
               STREAMS_BROKER=secure_broker.sasl_ssl, STREAMS_SASL_PASSWORD=wrong)
    env.pop("STREAMS_SASL_PASSWORD_FILE")
    started = time.monotonic()
    cli = subprocess.run([sys.executable, "-m", "streams", "produce", str(feed), "--topic", topic],
                         env=env, capture_output=True, text=True, timeout=120)
    assert cli.returncode != 0
    assert wrong not in cli.stdout + cli.stderr
    assert time.monotonic() - started < 120

    # Nothing that was refused landed on the topic.
    assert collect(good, [topic], 1, timeout=15, idle=5) == []


def test_mutual_tls_requires_a_client_certificate(secure_broker: SecureBroker) -> None:
    with_cert = unique_settings(secure_broker.ssl, **secure_broker.mtls_settings())
    topic = with_cert.topics.articles
    create_topics(with_cert)
    assert asyncio.run(_try_produce(with_cert, topic, b"with-cert")) is None
    assert [r.value for r in collect(with_cert, [topic], 1, timeout=30)] == [b"with-cert"]

    without_cert = Settings(broker=secure_broker.ssl, security_protocol="SSL",
                            ssl_cafile=str(secure_broker.tls / "ca.pem"))
    assert asyncio.run(_try_produce(without_cert, topic)) is not None
    ssl_port = secure_broker.ssl.rsplit(":", 1)[1]
    # The broker logs the refusal asynchronously: give its appender a moment.
    deadline = time.monotonic() + 15
    while True:
        log = secure_broker.log.read_text(errors="replace")
        if any(f":{ssl_port}-" in line and "SSL handshake failed" in line
               for line in log.splitlines()) or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert any(f":{ssl_port}-" in line and "SSL handshake failed" in line for line in log.splitlines())
    # Still only the one message sent with a certificate.
    assert len(collect(with_cert, [topic], 2, timeout=15, idle=5)) == 1
