"""The worker's web port: bound where ``STREAMS_WEB_HOST`` says, serving only what we serve.

A real worker with the default web settings is checked from the outside: the kernel's
socket table (``ss -ltn``, else ``/proc/net/tcp{,6}``) shows its port bound to 127.0.0.1
only, and over HTTP it serves ``/metrics`` and ``/health`` while Faust's built-in views
(table contents, router, statistics, graph, index) are 404.  A second worker with
``STREAMS_WEB_INTROSPECTION=true`` serves those views, so the switch is shown both ways.
Nothing here binds beyond loopback.
"""

from __future__ import annotations

import ipaddress
import json
import shutil
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.support import Worker, create_topics, new_worker, unique_settings

pytestmark = pytest.mark.integration

FAUST_VIEWS = ["/table/", "/table/seen-articles/", "/table/seen-articles/x/", "/router/",
               "/stats/", "/assignment/", "/graph/", "/performance/", "/"]


def get(worker: Worker, path: str) -> tuple[int, str, bytes]:
    """Status, content type and body of a GET on the worker's port (errors included)."""
    url = f"http://127.0.0.1:{worker.settings.web_port}{path}"
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.headers.get_content_type(), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get_content_type(), exc.read()


def listening_hosts(port: int) -> dict[str, str]:
    """Local addresses with a TCP socket listening on ``port``, each with its owner (if known)."""
    ss = shutil.which("ss")
    if ss is not None:
        out = subprocess.run([ss, "-H", "-l", "-t", "-n", "-p", f"sport = :{port}"],
                             check=True, capture_output=True, text=True, timeout=10).stdout
        hosts = {}
        for line in out.splitlines():
            fields = line.split()  # State Recv-Q Send-Q Local:Port Peer:Port [users:(...)]
            host = fields[3].rsplit(":", 1)[0].strip("[]")
            hosts[host] = fields[5] if len(fields) > 5 else ""
        return hosts
    hosts = {}
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.split(":")
            if state != "0A" or int(hex_port, 16) != port:  # 0A: LISTEN
                continue
            raw = bytes.fromhex(address)  # 32-bit words in host (little-endian) order
            raw = b"".join(raw[i:i + 4][::-1] for i in range(0, len(raw), 4))
            hosts[str(ipaddress.ip_address(raw))] = ""
    return hosts


def wait_healthy(worker: Worker, timeout: float = 90.0) -> tuple[int, bytes]:
    """``/health`` until it answers 200; returns the first answer seen."""
    first = None
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status, ctype, body = get(worker, "/health")
        assert ctype == "application/json", (status, ctype, body)
        first = first or (status, body)
        if status == 200:
            return first
        assert status == 503 and json.loads(body) == {"status": "not ready"}, (status, body)
        time.sleep(0.2)
    raise TimeoutError(f"/health not 200 in {timeout}s:\n{worker.log()}")


@pytest.fixture
def start_worker(kafka: str, tmp_path: Path,
                 monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., Worker]]:
    # The worker's web settings come from these defaults, not from this machine's environment
    # (Worker.start passes os.environ on); Faust's own overrides would make the worker refuse.
    for name in ("STREAMS_WEB_HOST", "STREAMS_WEB_INTROSPECTION", "WEB_BIND", "WEB_HOST"):
        monkeypatch.delenv(name, raising=False)
    workers: list[Worker] = []

    def start(**env: str) -> Worker:
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        settings = unique_settings(kafka, partitions=1, store="memory://")
        create_topics(settings)
        worker = new_worker(settings, tmp_path).start()
        workers.append(worker)
        worker.wait_ready()
        assert worker.settings.web_host == "127.0.0.1"
        return worker

    yield start
    for worker in workers:
        worker.stop()


def test_default_web_port_is_loopback_and_serves_only_metrics_and_health(
        start_worker: Callable[..., Worker]) -> None:
    worker = start_worker()
    assert worker.proc is not None

    hosts = listening_hosts(worker.settings.web_port)
    assert set(hosts) == {"127.0.0.1"}, hosts  # not 0.0.0.0, not [::] / *
    if hosts["127.0.0.1"]:  # ss -p names the owner when it may see it
        assert f"pid={worker.proc.pid}," in hosts["127.0.0.1"], hosts

    first_status, first_body = wait_healthy(worker)
    assert first_status in (200, 503), first_body
    status, ctype, body = get(worker, "/health")
    assert (status, ctype, json.loads(body)) == (200, "application/json", {"status": "up"})

    status, ctype, body = get(worker, "/metrics")
    assert (status, ctype) == (200, "text/plain"), body[:200]
    assert b"# TYPE streams_worker_up gauge" in body and b"\nstreams_worker_up 1.0\n" in body

    served = {path: get(worker, path)[0] for path in FAUST_VIEWS}
    assert served == dict.fromkeys(FAUST_VIEWS, 404), worker.log()


def test_introspection_switch_serves_faust_views(start_worker: Callable[..., Worker]) -> None:
    worker = start_worker(STREAMS_WEB_INTROSPECTION="true")

    assert set(listening_hosts(worker.settings.web_port)) == {"127.0.0.1"}
    wait_healthy(worker)
    assert get(worker, "/metrics")[0] == 200

    status, ctype, body = get(worker, "/table/")
    assert (status, ctype) == (200, "application/json"), body[:500]
    tables = {table["name"] for table in json.loads(body)}
    assert {"seen-articles", "dyad-state"} <= tables, tables
    status, _, body = get(worker, "/table/seen-articles/")
    assert status == 200 and json.loads(body)["name"] == "seen-articles", body[:500]
    # Statistics mount at "/" (and "/assignment/"); "/stats/" is no Faust route either way.
    for path in ("/router/", "/assignment/", "/", "/performance/"):
        assert get(worker, path)[0] == 200, path
    assert get(worker, "/graph/")[0] != 404  # routed; renders only with pydot installed (else 500)
