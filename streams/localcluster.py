"""The local three-node Kafka cluster of ``deploy/kafka/kafkactl-cluster``, from Python.

The replicated counterpart of :mod:`streams.localbroker`: three combined broker+controller
nodes on loopback, each run by ``kafkactl``.  Tests and benchmarks use it to show what
a node failure costs (``kill_node`` is a SIGKILL, as a crash would be), so it picks free
ports and a data dir of its own and never touches a cluster it did not start.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from streams.localbroker import HOST, REPO_ROOT, free_port

KAFKACTL_CLUSTER = REPO_ROOT / "deploy" / "kafka" / "kafkactl-cluster"


def _free_ports(count: int) -> list[int]:
    """``count`` distinct free loopback ports (two ``free_port()`` calls may agree)."""
    ports: list[int] = []
    while len(ports) < count:
        if (port := free_port()) not in ports:
            ports.append(port)
    return ports


@dataclass
class LocalCluster:
    """A ``kafkactl-cluster``: three nodes on free loopback ports, data under ``data_dir``."""

    data_dir: Path
    #: Client ports of nodes 1-3 (empty: free ones).
    ports: list[int] = field(default_factory=list)
    #: KRaft controller ports of nodes 1-3 (empty: free ones).
    controller_ports: list[int] = field(default_factory=list)
    #: Seconds ``kafkactl`` waits after SIGTERM before a SIGKILL.
    stop_timeout_s: int = 30
    #: Seconds any one call may take before it is killed.
    timeout_s: float = 240.0

    def __post_init__(self) -> None:
        if not self.ports or not self.controller_ports:
            free = _free_ports(6)
            self.ports = self.ports or free[:3]
            self.controller_ports = self.controller_ports or free[3:]

    @property
    def env(self) -> dict[str, str]:
        """The environment ``kafkactl-cluster`` needs for this cluster."""
        return dict(os.environ,
                    STREAMS_KAFKA_CLUSTER_PORTS=" ".join(map(str, self.ports)),
                    STREAMS_KAFKA_CLUSTER_CONTROLLER_PORTS=" ".join(map(str, self.controller_ports)),
                    STREAMS_KAFKA_CLUSTER_DATA=str(self.data_dir),
                    STREAMS_KAFKA_STOP_TIMEOUT=str(self.stop_timeout_s))

    def ctl(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        """Run ``kafkactl-cluster ARGS``; stdout is returned, stderr passes through."""
        return subprocess.run([str(KAFKACTL_CLUSTER), *args], env=self.env, text=True, check=check,
                              stdout=subprocess.PIPE, timeout=self.timeout_s)

    @property
    def bootstrap(self) -> str:
        """``host:port`` of every node, comma-separated (a client needs only one alive)."""
        return ",".join(f"{HOST}:{port}" for port in self.ports)

    def start(self, fresh: bool = False) -> str:
        """Start the three nodes (reusing running ones); returns :attr:`bootstrap`."""
        self.ctl("start", *(["--fresh"] if fresh else []))
        return self.bootstrap

    def stop(self) -> None:
        """Stop every node that runs (graceful, SIGKILL after the stop timeout)."""
        self.ctl("stop", check=False)

    def kill_node(self, node: int) -> None:
        """SIGKILL node 1-3, as a crash or a power cut would."""
        self.ctl("kill-node", str(node))

    def restart_node(self, node: int) -> None:
        """Start node 1-3 again on its data; returns once it answers."""
        self.ctl("restart-node", str(node))

    def controller(self) -> int:
        """Node id of the active KRaft controller (the quorum leader)."""
        return int(self.ctl("controller").stdout.strip())
