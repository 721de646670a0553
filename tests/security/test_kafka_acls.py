"""Authorization on a real broker: SASL_SSL (SCRAM-SHA-512), StandardAuthorizer, the product's ACLs.

One broker for the module (``kafkactl start --secure DIR --acl``): nothing is allowed without
an ACL; ``admin`` is a super user; the ACLs of ``streams.acls`` are created with Kafka's own
``kafka-acls`` tool.  With real clients (aiokafka and kcat) each principal's allowed actions
work and its forbidden ones are refused, the client seeing an error and the broker's
authorizer logging the denial to exactly that principal on that resource; and the
worker, as ``streams``, processes the sample feed end to end.

A single node is enough here: authorization does not depend on replication, which the
cluster tests (``tests/cluster``) cover.
"""

from __future__ import annotations

import asyncio
import io
import re
import secrets
import shutil
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from aiokafka import AIOKafkaConsumer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import (
    GroupAuthorizationFailedError,
    KafkaError,
    TopicAuthorizationFailedError,
    for_code,
)
from pydantic import SecretStr

from streams.acls import Principals, acl_commands
from streams.kafka_io import client_options
from streams.localbroker import LocalBroker
from streams.pipeline.offline import process_lines
from streams.settings import Settings
from tests.security.test_kafka_security import _try_produce
from tests.support import REPO, collect, create_topics, new_worker, produce, unique_settings

pytestmark = [pytest.mark.integration, pytest.mark.slow]

MAKE_CERTS = REPO / "deploy" / "kafka" / "make-certs"
SAMPLES = REPO / "streams" / "samples" / "articles.jsonl"
WHO = Principals()
#: The principal of make-certs' client certificate on the mutual-TLS listener (kcat's identity).
CERT = "CN=streams-client"
USERS = (WHO.admin, WHO.producer, WHO.worker, WHO.alerts_reader)


@dataclass(frozen=True)
class AclBroker:
    address: str  # SASL_SSL
    ssl: str  # mutual TLS
    tls: Path
    log: Path
    #: Topic names and app id the ACLs were made for.
    settings: Settings

    def as_user(self, user: str) -> Settings:
        """The module's settings, authenticated as ``user``."""
        password = self.password_file(user).read_text().removesuffix("\n")
        return self.settings.model_copy(update=dict(
            security_protocol="SASL_SSL", sasl_mechanism="SCRAM-SHA-512", sasl_username=user,
            sasl_password=SecretStr(password), ssl_cafile=str(self.tls / "ca.pem")))

    def password_file(self, user: str) -> Path:
        return self.tls / f"{user}.password"

    def log_size(self) -> int:
        return self.log.stat().st_size

    def denied(self, user: str, resource: str, name: str, since: int = 0, timeout: float = 15) -> bool:
        """Whether the authorizer logged a denial to ``user`` on ``resource`` ``name``.

        The operation logged is the first one the broker checked: a client without any
        right on a topic is already refused its metadata (DESCRIBE), not the write.  Only
        the log written after byte ``since`` counts.
        """
        pattern = re.compile(rf"Principal = User:{re.escape(user)} is Denied operation = \w+ "
                             rf".*on resource = {resource}:LITERAL:{re.escape(name)} ")
        deadline = time.monotonic() + timeout
        while True:  # the broker's appender writes asynchronously
            with self.log.open("rb") as log:
                log.seek(since)
                if pattern.search(log.read().decode(errors="replace")):
                    return True
            if time.monotonic() > deadline:
                return False
            time.sleep(0.5)


@pytest.fixture(scope="module")
def acl_broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AclBroker]:
    for tool in ("java", "keytool", "openssl"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} is not installed")
    root = tmp_path_factory.mktemp("acl-kafka")
    tls = root / "tls"
    subprocess.run([str(MAKE_CERTS), str(tls)], check=True, timeout=120, capture_output=True)
    passwords = {user: secrets.token_urlsafe(24) for user in USERS}
    (tls / "scram-users").write_text("".join(f"{u}:{p}\n" for u, p in passwords.items()))
    for user, password in passwords.items():
        (tls / f"{user}.password").write_text(password + "\n")
    broker = LocalBroker(root / "data", secure_dir=tls, timeout_s=240)
    broker.ctl(*broker.start_args(), "--acl")
    try:
        settings = unique_settings(f"127.0.0.1:{broker.sasl_ssl_port}", partitions=2)
        as_cert = Principals(producer=CERT, alerts_reader=CERT, alerts_group="kcat")
        for command in [*acl_commands(settings, WHO),
                        *(c for c in acl_commands(settings, as_cert) if f"User:{CERT}" in c)]:
            broker.ctl("acl", *command)
        yield AclBroker(f"127.0.0.1:{broker.sasl_ssl_port}", f"127.0.0.1:{broker.ssl_port}", tls,
                        root / "data" / "kafka.log", settings)
    finally:
        broker.stop()


async def _consume(settings: Settings, topic: str, group: str | None,
                   timeout: float = 20) -> list[bytes] | Exception:
    consumer = AIOKafkaConsumer(topic, group_id=group, auto_offset_reset="earliest",
                                enable_auto_commit=False, **client_options(settings))
    try:
        await asyncio.wait_for(consumer.start(), timeout)
        batch = await asyncio.wait_for(consumer.getmany(timeout_ms=int(timeout * 1000)), timeout + 5)
        return [m.value or b"" for messages in batch.values() for m in messages]
    except (KafkaError, OSError, TimeoutError) as exc:
        return exc
    finally:
        await consumer.stop()


async def _create_topic(settings: Settings, name: str) -> Exception | None:
    admin = AIOKafkaAdminClient(**client_options(settings))
    await admin.start()
    try:
        response = await admin.create_topics([NewTopic(name, 1, 1)])
        code = response.topic_errors[0][1]
        return for_code(code)(name) if code else None
    except KafkaError as exc:
        return exc
    finally:
        await admin.close()


def _refused(result: object, error: type[KafkaError] = TopicAuthorizationFailedError) -> bool:
    """The client was refused with that authorization error (not a timeout, not a lost connection)."""
    return isinstance(result, error)


def test_each_principal_may_do_only_what_it_needs(acl_broker: AclBroker) -> None:
    t = acl_broker.settings.topics
    admin = acl_broker.as_user(WHO.admin)
    create_topics(admin)  # the super user creates the product's topics
    assert asyncio.run(_try_produce(admin, t.alerts, b"alert-0")) is None

    producer = acl_broker.as_user(WHO.producer)
    assert asyncio.run(_try_produce(producer, t.articles, b"article-0")) is None
    assert _refused(asyncio.run(_try_produce(producer, t.alerts, b"forged")))
    assert acl_broker.denied(WHO.producer, "Topic", t.alerts)
    assert _refused(asyncio.run(_consume(producer, t.articles, None, timeout=10)))
    assert acl_broker.denied(WHO.producer, "Topic", t.articles)

    reader = acl_broker.as_user(WHO.alerts_reader)
    assert asyncio.run(_consume(reader, t.alerts, WHO.alerts_group)) == [b"alert-0"]
    assert _refused(asyncio.run(_consume(reader, t.alerts, "someone-else", timeout=10)),
                    GroupAuthorizationFailedError)
    assert acl_broker.denied(WHO.alerts_reader, "Group", "someone-else")
    assert _refused(asyncio.run(_consume(reader, t.articles, None, timeout=10)))
    assert acl_broker.denied(WHO.alerts_reader, "Topic", t.articles)
    assert _refused(asyncio.run(_try_produce(reader, t.alerts, b"forged")))
    assert acl_broker.denied(WHO.alerts_reader, "Topic", t.alerts)

    worker = acl_broker.as_user(WHO.worker)
    assert _refused(asyncio.run(_create_topic(worker, "not.its.topic")))
    assert acl_broker.denied(WHO.worker, "Topic", "not.its.topic")
    assert _refused(asyncio.run(_try_produce(worker, t.articles, b"forged-input")))
    assert acl_broker.denied(WHO.worker, "Topic", t.articles)
    assert _refused(asyncio.run(_consume(worker, t.alerts, acl_broker.settings.app_id, timeout=10)))
    assert acl_broker.denied(WHO.worker, "Topic", t.alerts)

    # Nothing refused landed: the alerts topic holds only the admin's record.
    assert asyncio.run(_consume(admin, t.alerts, None)) == [b"alert-0"]


def _kcat(broker: AclBroker, *args: str, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    """kcat over the mutual-TLS listener: its principal is :data:`CERT`."""
    tls = broker.tls
    return subprocess.run(["kcat", "-b", broker.ssl, "-m", "15", "-X", "security.protocol=SSL",
                           "-X", f"ssl.ca.location={tls / 'ca.pem'}",
                           "-X", f"ssl.certificate.location={tls / 'client.pem'}",
                           "-X", f"ssl.key.location={tls / 'client.key'}", *args],
                          input=stdin, capture_output=True, timeout=60)


def test_kcat_sees_the_same_rights(acl_broker: AclBroker) -> None:
    """kcat, identified by its client certificate, holds the producer's and the alerts reader's rights.

    Over mutual TLS rather than SCRAM: Debian's kcat links librdkafka 2.0.2, whose SCRAM
    exchange Kafka 4 refuses whatever the password (fixed in librdkafka 2.6.1).
    """
    if shutil.which("kcat") is None:
        pytest.skip("kcat is not installed (make system-deps)")
    t = acl_broker.settings.topics
    create_topics(acl_broker.as_user(WHO.admin))
    since = acl_broker.log_size()
    allowed = _kcat(acl_broker, "-P", "-t", t.articles, stdin=b"from-kcat\n")
    assert allowed.returncode == 0, allowed.stderr
    refused = _kcat(acl_broker, "-P", "-t", t.alerts, stdin=b"forged\n")
    assert b"authorization failed" in refused.stderr.lower(), refused.stderr
    assert acl_broker.denied(CERT, "Topic", t.alerts, since)

    read = _kcat(acl_broker, "-C", "-t", t.alerts, "-o", "beginning", "-e")
    assert read.returncode == 0, read.stderr
    refused = _kcat(acl_broker, "-C", "-t", t.articles, "-o", "beginning", "-e")
    assert b"authorization failed" in refused.stderr.lower(), refused.stderr
    assert acl_broker.denied(CERT, "Topic", t.articles, since)


def test_worker_as_its_principal_processes_the_sample_feed(
        acl_broker: AclBroker, tmp_path: Path, analyzer, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    lines = SAMPLES.read_bytes().splitlines()
    out, dlq = io.StringIO(), io.StringIO()
    process_lines(iter(lines), out, dlq, analyzer=analyzer)
    expected = len(out.getvalue().splitlines())
    assert expected > 0

    admin = acl_broker.as_user(WHO.admin)
    create_topics(admin)
    since = acl_broker.log_size()
    security = {"SECURITY_PROTOCOL": "SASL_SSL", "SASL_MECHANISM": "SCRAM-SHA-512",
                "SASL_USERNAME": WHO.worker, "SASL_PASSWORD_FILE": str(acl_broker.password_file(WHO.worker)),
                "SSL_CAFILE": str(acl_broker.tls / "ca.pem")}
    for key, value in security.items():
        monkeypatch.setenv(f"STREAMS_{key}", value)  # the worker process inherits them
    worker = new_worker(acl_broker.as_user(WHO.worker), tmp_path).start()
    try:
        worker.wait_ready(timeout=120)
        assert produce(acl_broker.as_user(WHO.producer), lines) == len(lines)
        records = collect(admin, [admin.topics.enriched], expected, timeout=180)
        assert len({r.key for r in records}) == expected, worker.log()
    finally:
        worker.stop()
    log = worker.log_path.read_text(errors="replace")
    assert "AuthorizationFailed" not in log, log[-3000:]
    # The grants are exactly what the worker and the producer use: the broker denied them nothing.
    with acl_broker.log.open("rb") as broker_log:
        broker_log.seek(since)
        denials = [line for line in broker_log.read().decode(errors="replace").splitlines()
                   if f"User:{WHO.worker} is Denied" in line or f"User:{WHO.producer} is Denied" in line]
    assert not denials, denials[:5]
