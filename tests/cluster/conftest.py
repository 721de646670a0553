"""A three-node KRaft cluster on loopback for the tests of this package, one per module.

Started with ``deploy/kafka/kafkactl-cluster`` (three combined broker+controller nodes on
free ports, a fresh data dir) and stopped at the end; the tests kill and restart its nodes.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from streams.localcluster import LocalCluster


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalCluster]:
    nodes = LocalCluster(tmp_path_factory.mktemp("kafka-cluster"))
    nodes.start()
    try:
        yield nodes
    finally:
        nodes.stop()
