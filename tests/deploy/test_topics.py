"""Topic configs: what ensure_topics creates, and the changelogs Faust creates, on a real broker."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import subprocess
import time
from pathlib import Path

import pytest

from streams.errors import ConfigError
from streams.harness import new_worker, unique_settings
from streams.kafka_io import (
    TOPIC_CONFIGS,
    client_options,
    config_drift,
    describe_topic_configs,
    ensure_topics,
    produce_lines,
    topic_configs,
)
from streams.settings import Settings, Topics

DAY_MS = 86_400_000
#: The retention each topic is documented with (docs/deployment.md, "Topics and retention").
RETENTION_DAYS = {"articles": 7, "rekeyed": 3, "enriched": 30, "stance_events": 30,
                  "dead_letters": 30, "alerts": None}
#: Faust's tables (streams/agents): dedup of article ids, and the risk agent's dyad states.
TABLES = ("seen-articles", "dyad-state")


def test_every_topic_has_a_retention_and_a_policy() -> None:
    assert set(TOPIC_CONFIGS) == set(Topics.model_fields)
    for field, config in TOPIC_CONFIGS.items():
        assert config["cleanup.policy"] == "delete", field
        days = RETENTION_DAYS[field]
        assert config["retention.ms"] == ("-1" if days is None else str(days * DAY_MS)), field


def test_configs_are_by_topic_name() -> None:
    settings = unique_settings("127.0.0.1:1")
    configs = topic_configs(settings)
    assert configs[settings.topics.alerts] == {"cleanup.policy": "delete", "retention.ms": "-1"}
    assert set(configs) == set(settings.topics.model_dump().values())


def test_drift() -> None:
    wanted = {"cleanup.policy": "compact,delete", "retention.ms": "100"}
    assert config_drift(wanted, {"cleanup.policy": "delete, compact", "retention.ms": "100"}) == {}
    assert config_drift(wanted, {"cleanup.policy": "delete"}) == {
        "cleanup.policy": ("delete", "compact,delete"), "retention.ms": (None, "100")}


CREATE_TOPICS = Path(__file__).resolve().parents[2] / "deploy" / "docker" / "create-topics.sh"


def test_the_compose_init_script_creates_the_same_configs(tmp_path: Path) -> None:
    """kafka-init creates the topics before any worker: it must give them the same configs."""
    stub = tmp_path / "kafka-topics.sh"
    calls = tmp_path / "calls"
    stub.write_text(f'#!/bin/sh\necho "$@" >> {calls}\n')
    stub.chmod(0o755)
    subprocess.run(["bash", str(CREATE_TOPICS)], env={"PATH": os.environ["PATH"], "KAFKA_BIN": str(tmp_path)},
                   check=True, capture_output=True, timeout=30)
    created: dict[str, dict[str, str]] = {}
    for argv in (line.split() for line in calls.read_text().splitlines()):
        configs = [argv[i + 1] for i, arg in enumerate(argv) if arg == "--config"]
        created[argv[argv.index("--topic") + 1]] = dict(c.split("=", 1) for c in configs)
    defaults = Topics.model_construct()  # the class defaults, as the script's
    assert created == topic_configs(Settings.model_construct(topics=defaults))


# --- on a real broker -------------------------------------------------------------------------


def _create(settings: Settings, name: str, config: dict[str, str]) -> None:
    from aiokafka.admin import AIOKafkaAdminClient, NewTopic

    async def run() -> None:
        admin = AIOKafkaAdminClient(**client_options(settings))
        await admin.start()
        try:
            await admin.create_topics([NewTopic(name, 1, 1, topic_configs=config)])
            deadline = time.monotonic() + 30
            while name not in await admin.list_topics():  # until the metadata shows it
                assert time.monotonic() < deadline, f"{name} not listed after 30 s"
                await asyncio.sleep(0.2)
        finally:
            await admin.close()

    asyncio.run(run())


@pytest.mark.integration
def test_ensure_topics_sets_retention_and_policy(kafka: str) -> None:
    settings = unique_settings(kafka, partitions=2)
    asyncio.run(ensure_topics(settings))
    names = settings.topics.model_dump()
    described = asyncio.run(describe_topic_configs(settings, names.values()))
    for field, name in names.items():
        assert not config_drift(TOPIC_CONFIGS[field], described[name]), (field, described[name])
    assert described[names["alerts"]]["retention.ms"] == "-1"
    assert described[names["articles"]]["retention.ms"] == str(7 * DAY_MS)


async def _partition_counts(settings: Settings, names: list[str]) -> dict[str, int]:
    from aiokafka.admin import AIOKafkaAdminClient

    admin = AIOKafkaAdminClient(**client_options(settings))
    await admin.start()
    try:
        return {d["topic"]: len(d["partitions"]) for d in await admin.describe_topics(names)}
    finally:
        await admin.close()


@pytest.mark.integration
def test_a_producer_creates_the_input_topic_as_the_worker_would(kafka: str) -> None:
    """`streams produce` before any worker ran: not the broker's auto-created one partition."""
    settings = unique_settings(kafka, partitions=3)
    line = json.dumps({"id": "a-1", "body": "x"}).encode()
    result = asyncio.run(produce_lines(settings, [line], settings.topics.articles))
    assert result.delivered == 1
    name = settings.topics.articles
    assert asyncio.run(_partition_counts(settings, [name])) == {name: 3}
    described = asyncio.run(describe_topic_configs(settings, [name]))
    assert not config_drift(TOPIC_CONFIGS["articles"], described[name])


@pytest.mark.integration
def test_a_source_topic_partitioned_otherwise_stops_the_worker_with_one_clear_error(kafka: str) -> None:
    """Faust would fail on the first record of that topic; the worker refuses to start instead."""
    settings = unique_settings(kafka, partitions=2)
    _create(settings, settings.topics.articles, {})  # one partition, as an auto-created topic
    with pytest.raises(ConfigError) as raised:
        asyncio.run(ensure_topics(settings))
    message = str(raised.value)
    assert f"{settings.topics.articles} has 1" in message and "2 partitions" in message
    assert raised.value.hint and "--fresh" in raised.value.hint
    asyncio.run(ensure_topics(settings, [settings.topics.enriched]))  # a producer's check: no error


@pytest.mark.integration
def test_existing_topics_are_left_alone_and_reported(kafka: str,
                                                     caplog: pytest.LogCaptureFixture) -> None:
    settings = unique_settings(kafka, partitions=1)
    short = {"cleanup.policy": "delete", "retention.ms": "3600000"}
    _create(settings, settings.topics.enriched, short)
    with caplog.at_level(logging.WARNING, logger="streams.kafka_io"):
        asyncio.run(ensure_topics(settings))
        asyncio.run(ensure_topics(settings))  # nothing to create: still checked
    warnings = [r.getMessage() for r in caplog.records
                if r.name == "streams.kafka_io" and r.levelno == logging.WARNING]
    assert len(warnings) == 2
    assert all(settings.topics.enriched in w and "retention.ms=3600000" in w for w in warnings)
    described = asyncio.run(describe_topic_configs(settings, [settings.topics.enriched]))
    assert described[settings.topics.enriched]["retention.ms"] == "3600000"  # not changed


@pytest.mark.integration
def test_faust_changelogs_are_compacted(kafka: str, tmp_path: Path) -> None:
    """The dedup table and the dyad states: compacted changelogs (Faust's default), kept for good."""
    settings = unique_settings(kafka, partitions=1, store="memory://")
    asyncio.run(ensure_topics(settings))
    worker = new_worker(settings, tmp_path).start()
    changelogs = [f"{settings.app_id}-{table}-changelog" for table in TABLES]
    try:
        worker.wait_ready()
        deadline = time.monotonic() + 60
        while True:
            try:
                described = asyncio.run(describe_topic_configs(settings, changelogs))
                break
            except Exception:  # not created yet
                if time.monotonic() > deadline:
                    raise AssertionError(f"no changelogs after 60 s:\n{worker.log()}") from None
                time.sleep(1)
    finally:
        worker.stop()
    for name in changelogs:
        assert described[name]["cleanup.policy"] == "compact", (name, described[name]["cleanup.policy"])
    # The worker's own topics keep the configs ensure_topics gave them (Faust declares the
    # re-key topic too, but does not change an existing topic).
    rekeyed = asyncio.run(describe_topic_configs(settings, [settings.topics.rekeyed]))
    assert not config_drift(TOPIC_CONFIGS["rekeyed"], rekeyed[settings.topics.rekeyed])
