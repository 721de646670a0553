"""A real run for the console's integration and browser tests: a worker on the session's
broker fed the sample feed (plus the markup article), and ``streams console`` processes on
its topics, reached over HTTP on loopback."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from streams.harness import settings_env
from streams.localbroker import free_port
from streams.settings import Settings


@dataclass
class Console:
    """A ``streams console`` subprocess; ``url`` once it announced itself."""

    proc: subprocess.Popen[bytes]
    log_path: Path
    url: str = ""

    @classmethod
    def start(cls, settings: Settings, data_dir: Path, *args: str, **env: str) -> Console:
        data_dir.mkdir(parents=True, exist_ok=True)
        log_path = data_dir / f"console-{time.monotonic_ns()}.log"
        full_env = {**os.environ, **settings_env(settings), "STREAMS_DATA_DIR": str(data_dir),
                    "STREAMS_CONSOLE_PORT": str(free_port()), **env}
        with log_path.open("wb") as log:
            proc = subprocess.Popen([sys.executable, "-m", "streams", "console", *args], env=full_env,
                                    stdout=log, stderr=subprocess.STDOUT)
        console = cls(proc, log_path)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not console.url:
            assert proc.poll() is None, console.log()
            for line in log_path.read_text(errors="replace").splitlines():
                if line.startswith("analyst console on "):
                    console.url = line.split()[3]
            time.sleep(0.2)
        assert console.url, console.log()
        return console

    def get(self, path: str, timeout: float = 10.0) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(self.url + path.lstrip("/"), timeout=timeout) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode()

    def health(self) -> dict[str, Any]:
        status, text = self.get("/health")
        assert status == 200, text
        return dict(json.loads(text))

    def wait_rows(self, wanted: dict[str, int], timeout: float = 90.0) -> dict[str, Any]:
        """The health once the row counts are ``wanted`` (bounded)."""
        deadline = time.monotonic() + timeout
        health = self.health()
        while time.monotonic() < deadline:
            health = self.health()
            if all(health["rows"].get(k) == v for k, v in wanted.items()):
                return health
            time.sleep(0.5)
        raise AssertionError(f"rows {health['rows']} never became {wanted}:\n{self.log()}")

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        return self.proc.returncode

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-5000:]
