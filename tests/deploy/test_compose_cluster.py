"""The compose file's three-node cluster (profile ``cluster``), checked without a Docker engine.

Validated by a Compose implementation with the profile on, then against the code: three
combined broker+controller nodes of one cluster id with one quorum of three voters, every
topic replicated three times with ``min.insync.replicas=2``, the addresses the example
``.env`` gives the workers advertised by the nodes, and the cluster's settings accepted by
``streams.settings.Settings``.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from streams.settings import Settings
from tests.deploy.test_compose import COMPOSE, _compose_env, _compose_tool, _env
from tests.support import REPO

NODES = ("kafka-1", "kafka-2", "kafka-3")
ENV_EXAMPLE = REPO / "deploy" / "compose.env.example"


@pytest.fixture(scope="module")
def services() -> dict[str, dict[str, Any]]:
    return dict(yaml.safe_load(COMPOSE.read_text())["services"])


def _example(name: str) -> str:
    """A (commented) value of deploy/compose.env.example."""
    match = re.search(rf"^#\s*{name}=(.+)$", ENV_EXAMPLE.read_text(), re.MULTILINE)
    assert match, f"{name} is not in {ENV_EXAMPLE}"
    return match.group(1)


def test_cluster_profile_is_valid(tmp_path: Path) -> None:
    tool = _compose_tool()
    if tool is None:
        pytest.skip("no Compose implementation: install Debian's docker-compose (make system-deps)")
    env = {**_compose_env(), "STACK_KAFKA": _example("STACK_KAFKA"),
           "STACK_REPLICATION_FACTOR": _example("STACK_REPLICATION_FACTOR")}
    checked = subprocess.run([*tool, "-f", str(COMPOSE), "--profile", "cluster", "config"], cwd=REPO,
                             env=env, capture_output=True, text=True, timeout=120)
    assert checked.returncode == 0, checked.stderr
    resolved = yaml.safe_load(checked.stdout)["services"]
    assert set(NODES) <= set(resolved)
    worker = _env(resolved["worker"])
    assert worker["STREAMS_BROKER"] == "kafka-1:19092,kafka-2:19092,kafka-3:19092"
    assert worker["STREAMS_REPLICATION_FACTOR"] == "3"


def test_three_nodes_one_quorum(services: dict[str, dict[str, Any]]) -> None:
    envs = {name: _env(services[name]) for name in NODES}
    assert {e["CLUSTER_ID"] for e in envs.values()} == {envs["kafka-1"]["CLUSTER_ID"]}
    assert sorted(e["KAFKA_NODE_ID"] for e in envs.values()) == ["1", "2", "3"]
    voters = {e["KAFKA_CONTROLLER_QUORUM_VOTERS"] for e in envs.values()}
    assert voters == {"1@kafka-1:9093,2@kafka-2:9093,3@kafka-3:9093"}
    for name, env in envs.items():
        assert set(env["KAFKA_PROCESS_ROLES"].split(",")) == {"broker", "controller"}
        assert f"INTERNAL://{name}:19092" in env["KAFKA_ADVERTISED_LISTENERS"]
        assert services[name]["hostname"] == name
        assert services[name]["profiles"] == ["cluster"]
        assert services[name]["image"] == services["kafka"]["image"]
        for key in ("KAFKA_DEFAULT_REPLICATION_FACTOR", "KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR",
                    "KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR"):
            assert env[key] == "3", (name, key)
        assert env["KAFKA_MIN_INSYNC_REPLICAS"] == "2"
        assert env["KAFKA_TRANSACTION_STATE_LOG_MIN_ISR"] == "2"
        for mapping in services[name]["ports"]:
            assert str(mapping).startswith("127.0.0.1:"), (name, mapping)
    data = {str(services[name]["volumes"][0]).split(":")[0] for name in NODES}
    assert len(data) == 3, "each node needs a volume of its own"


def test_the_example_env_points_the_stack_at_the_cluster(services: dict[str, dict[str, Any]]) -> None:
    advertised = " ".join(_env(services[name])["KAFKA_ADVERTISED_LISTENERS"] for name in NODES)
    init = services["kafka-init-cluster"]
    for address in (*_example("STACK_KAFKA").split(","), *_env(init)["BOOTSTRAP_SERVER"].split(",")):
        assert f"//{address}" in advertised
    settings = Settings(_env_file=None, broker=_example("STACK_KAFKA"),  # type: ignore[call-arg]
                        replication_factor=int(_example("STACK_REPLICATION_FACTOR")))
    assert settings.topic_min_insync == 2
    assert _env(init)["STREAMS_REPLICATION_FACTOR"] == "3"
    assert set(init["depends_on"]) == set(NODES)
