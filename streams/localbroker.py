"""Start and stop the local single-node Kafka of ``deploy/kafka/kafkactl``.

Used by ``streams run`` when ``STREAMS_BROKER`` is unset, and by the tests.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
KAFKACTL = REPO_ROOT / "deploy" / "kafka" / "kafkactl"


def _run(*args: str, port: int | None = None, check: bool = True) -> subprocess.CompletedProcess[str]:
    if not KAFKACTL.exists():
        raise RuntimeError(f"{KAFKACTL} not found: the local broker needs a source checkout")
    env = dict(os.environ)
    if port is not None:
        env["STREAMS_KAFKA_PORT"] = str(port)
    return subprocess.run([str(KAFKACTL), *args], env=env, text=True, check=check,
                          stdout=subprocess.PIPE)


def start(port: int, fresh: bool = False) -> str:
    """Start (or reuse) the local broker; returns its bootstrap address.

    ``fresh`` wipes the broker's data first (only when it is not running).
    """
    out = _run("start", *(["--fresh"] if fresh else []), port=port).stdout.strip().splitlines()
    return out[-1] if out else f"127.0.0.1:{port}"


def stop(port: int) -> None:
    _run("stop", port=port)


def running(port: int) -> bool:
    return _run("status", port=port, check=False).returncode == 0
