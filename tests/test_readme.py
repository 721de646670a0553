"""The README's promises, run as a newcomer would run them.

Two kinds of test:

* the sample output printed under "Two commands" must be what the code prints today for the
  sample feed (rendered by the same function ``streams tail`` and ``streams run`` use), so the
  README cannot drift from the analysis;
* on a fresh copy of the repository (tracked files only: no ``var/``, no ``.venv``), with a clean
  environment and free ports, ``make run`` works, then the shell block under "Using it" runs line
  by line as written.  The block is interpreted by a deliberately small interpreter: a line it
  does not understand fails the test, so a new README line is either runnable or flagged.
"""

from __future__ import annotations

import os
import re
import shlex
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from streams.cli.records import _readable
from streams.localbroker import LocalBroker, free_port

REPO = Path(__file__).resolve().parents[1]
README = REPO / "README.md"
SAMPLES = REPO / "streams" / "samples" / "articles.jsonl"


def _section(title: str) -> str:
    text = README.read_text(encoding="utf-8")
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## )", text, re.M | re.S)
    assert match, f"README has no section {title!r}"
    return match.group(1)


def _blocks(section: str, lang: str = "") -> list[str]:
    """The fenced code blocks of a section whose info string is ``lang``."""
    blocks: list[str] = []
    current: list[str] | None = None
    info = ""
    for line in section.splitlines():
        if line.startswith("```"):
            if current is None:
                current, info = [], line[3:].strip()
            else:
                if info == lang:
                    blocks.append("\n".join(current) + "\n")
                current = None
        elif current is not None:
            current.append(line)
    return blocks


def _sample_output_lines() -> list[str]:
    """The ENRICHED / ALERT lines of the README's sample output of ``make run``."""
    blocks = [b for b in _blocks(_section("Two commands")) if "ENRICHED " in b]
    assert blocks, "README shows no sample output of make run"
    return [ln for ln in blocks[0].splitlines() if ln.startswith(("ENRICHED ", "ALERT "))]


def _rendered_sample_feed(tmp_path: Path) -> list[str]:
    """What ``streams process`` makes of the sample feed, rendered like ``streams tail``."""
    enriched, alerts = tmp_path / "enriched.jsonl", tmp_path / "alerts.jsonl"
    subprocess.run(
        [sys.executable, "-m", "streams", "process", str(SAMPLES), "-o", str(enriched),
         "--dead-letters", str(tmp_path / "dlq.jsonl"), "--alerts", str(alerts)],
        check=True, capture_output=True, timeout=600, cwd=tmp_path,
    )
    return [_readable("out", line.encode()) for path in (enriched, alerts)
            for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_readme_sample_output_is_what_the_code_prints(tmp_path: Path) -> None:
    """Each sample line is a line the sample feed produces (a line ending in "…" abridges one)."""
    shown = _sample_output_lines()
    rendered = _rendered_sample_feed(tmp_path)
    assert len(shown) >= 3
    for line in shown:
        if line.endswith("…"):
            assert any(r.startswith(line[:-1].rstrip()) for r in rendered), line
        else:
            assert line in rendered, f"README line not printed by the code today: {line}"


# ---------------------------------------------------------------------------------------------
# A fresh copy, as a newcomer gets it


@dataclass
class Shell:
    """Just enough of a POSIX shell for the README's block; anything else is an error."""

    cwd: Path
    env: dict[str, str]
    broker_port: int
    expected_enriched: set[str]
    jobs: list[subprocess.Popen[bytes]] = field(default_factory=list)
    transcript: list[str] = field(default_factory=list)

    def line(self, text: str) -> None:
        words = shlex.split(text, comments=True)
        if not words:
            return
        words = [w.replace("127.0.0.1:9092", f"127.0.0.1:{self.broker_port}") for w in words]
        commands: list[list[str]] = [[]]
        for w in words:
            if w == "&&":
                commands.append([])
            else:
                commands[-1].append(w)
        for argv in commands:
            self.command(argv)

    def command(self, argv: list[str]) -> None:
        self.transcript.append(" ".join(argv))
        if argv == ["source", ".venv/bin/activate"]:
            venv = self.cwd / ".venv"
            self.env["VIRTUAL_ENV"] = str(venv)
            self.env["PATH"] = f"{venv / 'bin'}{os.pathsep}{self.env['PATH']}"
        elif argv[0] == "export" and len(argv) == 2 and "=" in argv[1]:
            name, _, value = argv[1].partition("=")
            self.env[name] = value
        elif argv[-1] == "&":
            self.background(argv[:-1])
        elif argv[0] == "kill" and len(argv) == 2 and argv[1].startswith("%"):
            self.kill_job(int(argv[1][1:]))
        elif argv[:2] == ["streams", "tail"]:
            self.tail(argv)
        elif argv[0] in ("make", "streams"):
            self.run(argv)
        else:
            pytest.fail(f"the README's block has a line this test cannot run: {' '.join(argv)}")

    def run(self, argv: list[str]) -> None:
        done = subprocess.run(argv, cwd=self.cwd, env=self.env, capture_output=True, timeout=600)
        out = done.stdout.decode(errors="replace") + done.stderr.decode(errors="replace")
        self.transcript.append(out)
        assert done.returncode == 0, f"{' '.join(argv)} failed ({done.returncode}):\n{out}"

    def background(self, argv: list[str]) -> None:
        stdout: int | object = subprocess.DEVNULL
        stderr: int | object = subprocess.DEVNULL
        words = list(argv)
        if "2>&1" in words:
            words.remove("2>&1")
            stderr = subprocess.STDOUT
        if ">" in words:
            at = words.index(">")
            stdout = (self.cwd / words[at + 1]).open("wb")
            del words[at:at + 2]
        assert words[0] == "streams", f"unexpected background command {argv}"
        self.jobs.append(subprocess.Popen(words, cwd=self.cwd, env=self.env,
                                          stdout=stdout, stderr=stderr))  # type: ignore[arg-type]

    def kill_job(self, number: int) -> None:
        job = self.jobs[number - 1]
        job.send_signal(signal.SIGTERM)
        job.wait(timeout=60)

    def tail(self, argv: list[str]) -> None:
        """Follow until every sample article's enriched line is printed, then Ctrl-C."""
        out = self.cwd / "tail.out"
        with out.open("wb") as sink:
            proc = subprocess.Popen(argv, cwd=self.cwd, env=self.env, stdout=sink,
                                    stderr=subprocess.STDOUT)
            expected = self.expected_enriched
            deadline = time.monotonic() + 180
            seen: set[str] = set()
            while time.monotonic() < deadline and not expected <= seen and proc.poll() is None:
                time.sleep(1)
                seen = set(re.findall(r"^ENRICHED (\S+)", out.read_text(errors="replace"), re.M))
            proc.send_signal(signal.SIGINT)
            try:
                rc = proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()  # fail below without leaving it running
                proc.wait(timeout=30)
                rc = None
        text = out.read_text(errors="replace")
        self.transcript.append(text)
        assert expected <= seen, f"tail printed {sorted(seen)}, not all of {sorted(expected)}:\n{text}"
        assert rc in (0, 130, -signal.SIGINT), f"tail ended with {rc} on Ctrl-C (None: not in 30 s):\n{text}"
        assert "Traceback" not in text


@pytest.fixture
def fresh_copy(tmp_path: Path) -> Iterator[tuple[Path, dict[str, str], int]]:
    """The tracked files in a new folder, a clean environment, free ports; torn down after."""
    copy = tmp_path / "streams"
    files = subprocess.run(["git", "ls-files", "-z"], cwd=REPO, check=True,
                           capture_output=True).stdout.decode().split("\0")
    for name in filter(None, files):
        source = REPO / name
        if source.is_file():
            target = copy / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(source.read_bytes())
            target.chmod(source.stat().st_mode)
    main_venv = str(REPO / ".venv")
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("STREAMS_", "PYTEST", "COV_")) and k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep)
                                  if not p.startswith(main_venv))
    port = free_port()
    env["STREAMS_LOCAL_BROKER_PORT"] = str(port)
    env["STREAMS_WEB_PORT"] = str(free_port())
    env["STREAMS_CONSOLE_PORT"] = str(free_port())
    try:
        yield copy, env, port
    finally:
        LocalBroker.at(port).reset()


@pytest.mark.integration
@pytest.mark.slow
def test_a_newcomer_follows_the_readme(fresh_copy: tuple[Path, dict[str, str], int]) -> None:
    copy, env, port = fresh_copy
    assert not (copy / "var").exists()
    rendered = _rendered_sample_feed(copy.parent)
    expected = {m.group(1) for r in rendered if (m := re.match(r"ENRICHED (\S+)", r))}
    shell = Shell(copy, env, port, expected)
    try:
        run = subprocess.run(["make", "run"], cwd=copy, env=env, capture_output=True, timeout=1200)
        out = run.stdout.decode(errors="replace") + run.stderr.decode(errors="replace")
        assert run.returncode == 0, out
        assert "ENRICHED us-rus-embassy-2021-10-27 [ok]" in out, out
        seen = re.search(r"^(\d+) of (\d+) expected outputs seen", out, re.M)
        assert seen and seen.group(1) == seen.group(2), out

        schemas = {p.name: p.read_bytes() for p in (copy / "schemas").iterdir()}
        block = _blocks(_section("Using it"), "sh")[0]
        for text in block.splitlines():
            shell.line(text)
        log = "\n".join(shell.transcript)
        assert "delivered 12 of 12" in log, log
        assert (copy / "enriched.jsonl").stat().st_size > 0
        assert {p.name: p.read_bytes() for p in (copy / "schemas").iterdir()} == schemas
        assert all(job.poll() is not None for job in shell.jobs), "a background job still runs"
        assert not LocalBroker.at(port).running()
    finally:
        for job in shell.jobs:
            if job.poll() is None:
                job.kill()
                job.wait(timeout=30)
