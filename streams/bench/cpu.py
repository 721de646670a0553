"""Where the CPU goes during a measurement: per process group, and the machine's idle time.

Ratios such as "2 workers ÷ 1 worker" only mean something next to the CPU
they had: once the machine has no idle core left, the figure is bounded by
CPU per article, not by coordination.  Read from ``/proc`` (Linux).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

_TICK = os.sysconf("SC_CLK_TCK")


def process_cpu_s(pid: int) -> float:
    """User + system CPU seconds of a process (0 once it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / _TICK


def machine_idle_s() -> float:
    """Idle CPU seconds of the whole machine since boot, summed over cores."""
    fields = Path("/proc/stat").read_text().splitlines()[0].split()
    return (int(fields[4]) + int(fields[5])) / _TICK  # idle + iowait


class CpuMeter:
    """CPU seconds per named group of processes over a window, and idle cores.

    Groups are functions returning the group's pids, asked at the start of
    the window (processes must outlive it to be counted).
    """

    def __init__(self, groups: dict[str, Callable[[], list[int]]]) -> None:
        self.groups = groups
        self._pids: dict[str, list[int]] = {}
        self._start: dict[str, float] = {}
        self._t0 = self._idle0 = 0.0
        self.seconds: dict[str, float] = {}
        self.elapsed = self.idle_cores = 0.0

    def start(self) -> None:
        self._pids = {name: pids() for name, pids in self.groups.items()}
        self._start = {name: sum(map(process_cpu_s, pids)) for name, pids in self._pids.items()}
        self._t0, self._idle0 = time.monotonic(), machine_idle_s()

    def stop(self) -> None:
        self.elapsed = time.monotonic() - self._t0
        self.idle_cores = (machine_idle_s() - self._idle0) / self.elapsed
        self.seconds = {name: sum(map(process_cpu_s, pids)) - self._start[name]
                        for name, pids in self._pids.items()}

    def per_item_ms(self, items: int) -> dict[str, float]:
        """CPU milliseconds per processed item, per group, plus idle cores."""
        figures = {f"{name}_ms": 1000 * s / items for name, s in self.seconds.items()}
        return figures | {"idle_cores": self.idle_cores}
