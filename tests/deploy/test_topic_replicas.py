"""Replicated topics: ``min.insync.replicas`` follows the replication factor unless set."""

from __future__ import annotations

import pytest

from streams.kafka_io import replica_configs, topic_configs
from streams.settings import Settings


@pytest.mark.parametrize(("replicas", "min_insync", "expected"), [
    (1, None, None), (1, 2, None),  # unreplicated: the broker's default
    (2, None, 1), (3, None, 2), (5, None, 4),
    (3, 3, 3), (3, 1, 1), (3, 7, 3),  # never more than the replicas: no write could succeed
])
def test_min_insync_replicas(replicas: int, min_insync: int | None, expected: int | None) -> None:
    settings = Settings(_env_file=None, replication_factor=replicas,  # type: ignore[call-arg]
                        min_insync_replicas=min_insync)
    assert settings.topic_min_insync == expected
    assert replica_configs(settings) == ({} if expected is None else {"min.insync.replicas": str(expected)})


def test_every_product_topic_gets_it_when_replicated() -> None:
    replicated = Settings(_env_file=None, replication_factor=3)  # type: ignore[call-arg]
    for name, config in topic_configs(replicated).items():
        assert config["min.insync.replicas"] == "2", name
        assert config["cleanup.policy"] == "delete", name
    single = Settings(_env_file=None)  # type: ignore[call-arg]
    assert all("min.insync.replicas" not in c for c in topic_configs(single).values())
