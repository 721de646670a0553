"""``streams.localbroker``: the one Python front end to ``kafkactl``, against a stand-in script.

No Kafka: ``kafkactl`` is replaced by a script that records its arguments and the
``STREAMS_KAFKA_*`` environment it was given, and answers like kafkactl does.
"""

from __future__ import annotations

import json
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from streams import localbroker
from streams.localbroker import LocalBroker

FAKE = r"""#!/usr/bin/env python3
import json, os, sys
env = {k: v for k, v in os.environ.items() if k.startswith("STREAMS_KAFKA_")}
with open(os.environ["FAKE_KAFKACTL_LOG"], "a") as log:
    log.write(json.dumps({"args": sys.argv[1:], "env": env}) + "\n")
port = env.get("STREAMS_KAFKA_PORT", "9092")
if sys.argv[1] == "start":
    print("kafkactl: started", file=sys.stderr)
    print(f"127.0.0.1:{port}")
elif sys.argv[1] == "status":
    running = os.environ.get("FAKE_KAFKACTL_RUNNING") == "1"
    print(f"running pid 4242 kafka 4.0.0 at 127.0.0.1:{port} (data x)" if running
          else f"not running (127.0.0.1:{port}, data x)")
    sys.exit(0 if running else 1)
elif sys.argv[1] == "listeners":
    print(f"PLAINTEXT 127.0.0.1:{port}")
    print(f"SASL_SSL 127.0.0.1:{env['STREAMS_KAFKA_SASL_SSL_PORT']}")
    print(f"SSL 127.0.0.1:{env['STREAMS_KAFKA_SSL_PORT']}")
"""


Calls = Callable[[], list[dict[str, Any]]]


@pytest.fixture
def calls(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Calls:
    """The kafkactl calls made so far, each ``{"args": [...], "env": {STREAMS_KAFKA_*}}``."""
    script = tmp_path / "kafkactl"
    script.write_text(FAKE)
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    log = tmp_path / "calls.jsonl"
    log.touch()
    monkeypatch.setattr(localbroker, "KAFKACTL", script)
    monkeypatch.setenv("FAKE_KAFKACTL_LOG", str(log))
    for name in ("PORT", "CONTROLLER_PORT", "DATA", "SASL_SSL_PORT", "SSL_PORT", "STOP_TIMEOUT"):
        monkeypatch.delenv(f"STREAMS_KAFKA_{name}", raising=False)
    return lambda: [json.loads(line) for line in log.read_text().splitlines()]


def test_a_broker_of_its_own_gets_distinct_free_ports_and_its_data_dir(
        tmp_path: Path, calls: Calls) -> None:
    broker = LocalBroker(tmp_path / "data", stop_timeout_s=30)
    assert len({broker.port, broker.controller_port}) == 2 and 0 not in (broker.port, broker.controller_port)
    assert broker.start() == broker.address == f"127.0.0.1:{broker.port}"
    broker.stop()
    assert [c["args"] for c in calls()] == [["start"], ["stop"]]
    assert calls()[0]["env"] == {"STREAMS_KAFKA_PORT": str(broker.port),
                               "STREAMS_KAFKA_CONTROLLER_PORT": str(broker.controller_port),
                               "STREAMS_KAFKA_DATA": str(tmp_path / "data"),
                               "STREAMS_KAFKA_STOP_TIMEOUT": "30"}


def test_a_secure_broker_gets_four_distinct_ports_and_starts_with_its_certificates(
        tmp_path: Path, calls: Calls) -> None:
    broker = LocalBroker(tmp_path / "data", secure_dir=tmp_path / "tls")
    ports = [broker.port, broker.controller_port, broker.sasl_ssl_port, broker.ssl_port]
    assert len(set(ports)) == 4 and 0 not in ports and None not in ports
    broker.start()
    assert calls()[0]["args"] == ["start", "--secure", str(tmp_path / "tls")]
    assert broker.listeners() == [("PLAINTEXT", broker.address),
                                  ("SASL_SSL", f"127.0.0.1:{broker.sasl_ssl_port}"),
                                  ("SSL", f"127.0.0.1:{broker.ssl_port}")]


def test_the_cli_functions_leave_everything_but_the_port_to_kafkactl(
        calls: Calls, monkeypatch: pytest.MonkeyPatch) -> None:
    """``streams run`` and ``streams broker``: kafkactl's own defaults for the port's broker."""
    assert localbroker.start(19092, fresh=True) == "127.0.0.1:19092"
    assert calls()[0] == {"args": ["start", "--fresh"], "env": {"STREAMS_KAFKA_PORT": "19092"}}
    assert not localbroker.running(19092)
    monkeypatch.setenv("FAKE_KAFKACTL_RUNNING", "1")
    assert localbroker.running(19092)
    localbroker.stop(19092)
    assert [c["args"] for c in calls()] == [["start", "--fresh"], ["status"], ["status"], ["stop"]]


def test_pid_from_the_data_dir_or_from_kafkactl_status(
        tmp_path: Path, calls: Calls, monkeypatch: pytest.MonkeyPatch) -> None:
    own = LocalBroker(tmp_path / "data")
    assert own.pid is None
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "kafka.pid").write_text("1234\n")
    assert own.pid == 1234
    assert len(calls()) == 0  # read from kafkactl's pid file, no subprocess
    default = LocalBroker.at(19092)
    assert default.pid is None
    monkeypatch.setenv("FAKE_KAFKACTL_RUNNING", "1")
    assert default.pid == 4242
