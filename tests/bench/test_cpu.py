"""The CPU meter counts a busy process's CPU and the machine's idle time."""

from __future__ import annotations

import os
import subprocess
import sys
import time

from streams.bench.cpu import CpuMeter, process_cpu_s


def test_meter_sees_a_busy_child_and_not_an_idle_one() -> None:
    spin = "import time\nt = time.time()\nwhile time.time() - t < 30: pass"
    busy = subprocess.Popen([sys.executable, "-c", spin])
    idle = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        meter = CpuMeter({"busy": lambda: [busy.pid], "idle": lambda: [idle.pid],
                          "gone": lambda: [2**22 + 12345]})
        time.sleep(0.5)  # both started
        before = process_cpu_s(busy.pid)
        meter.start()
        time.sleep(1.0)
        meter.stop()  # processes must outlive the window to be counted
        after = process_cpu_s(busy.pid)
    finally:
        for proc in (busy, idle):
            proc.kill()
            proc.wait()
    # The busy child's CPU in the window, as the kernel counts it (on a loaded machine the
    # spinner gets less than a core, so compare with what it got, not with the wall clock).
    got = after - before
    assert got > 0.05
    assert 0.8 * got - 0.02 <= meter.seconds["busy"] <= got + 0.02  # clock ticks are 10 ms
    assert meter.seconds["idle"] < 0.2
    assert meter.seconds["gone"] == 0.0
    assert 0.0 <= meter.idle_cores <= (os.cpu_count() or 1)
    figures = meter.per_item_ms(10)
    assert figures["busy_ms"] == 1000 * meter.seconds["busy"] / 10
    assert figures["idle_cores"] == meter.idle_cores


def test_a_missing_process_has_no_cpu() -> None:
    assert process_cpu_s(2**22 + 12345) == 0.0
    assert process_cpu_s(os.getpid()) > 0.0
