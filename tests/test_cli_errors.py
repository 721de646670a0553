"""The CLI's error style, run as a user runs it: ``python -m streams`` in a subprocess.

Every mistake ends in one line on stderr, ``streams: error: <problem>; <fix>``, with exit
status 2 for usage and configuration errors and 1 for failures at run time; ``--debug``
(or ``STREAMS_DEBUG=1``) adds the traceback; a closed stdout ends quietly with 141.
"""

from __future__ import annotations

import errno
import http.server
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from streams import cli
from streams.errors import (
    BrokerUnavailable,
    ConfigError,
    DataError,
    InputError,
    PortInUse,
    StreamsError,
    UsageError,
    one_line,
)
from streams.settings import Settings
from tests.support import free_port, settings_env, unique_settings

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "streams" / "samples" / "articles.jsonl"
ONE_ERROR_LINE = re.compile(r"^streams( \w+)?: error: \S.*; \S.*$")


def clean_env(**extra: str) -> dict[str, str]:
    """The environment without any STREAMS_* setting of the caller (nor a .env file)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("STREAMS_")}
    return {**env, "STREAMS_ENV_FILE": os.devnull, **extra}


def streams(*args: str, cwd: Path, env: dict[str, str] | None = None,
            timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "streams", *args], cwd=cwd, text=True,
                          env=env or clean_env(), capture_output=True, timeout=timeout)


def assert_one_error_line(done: subprocess.CompletedProcess[str], status: int) -> str:
    lines = done.stderr.strip().splitlines()
    assert done.returncode == status, done.stderr
    assert len(lines) == 1, done.stderr
    assert ONE_ERROR_LINE.match(lines[0]), lines[0]
    assert "Traceback" not in done.stderr
    return lines[0]


# --- as a user runs it --------------------------------------------------------------------

def test_missing_input_file_is_one_line_and_leaves_the_outputs(tmp_path: Path) -> None:
    keep, dead = tmp_path / "keep.jsonl", tmp_path / "d.jsonl"
    keep.write_text("precious\n")
    dead.write_text("letters\n")
    done = streams("process", "typo.jsonl", "-o", str(keep), "--dead-letters", str(dead), cwd=tmp_path)
    line = assert_one_error_line(done, 1)
    assert "typo.jsonl" in line and "not found" in line
    assert keep.read_text() == "precious\n" and dead.read_text() == "letters\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d.jsonl", "keep.jsonl"]


def test_debug_adds_the_traceback(tmp_path: Path) -> None:
    for done in (streams("--debug", "process", "typo.jsonl", cwd=tmp_path),
                 streams("process", "typo.jsonl", "--debug", cwd=tmp_path),
                 streams("process", "typo.jsonl", cwd=tmp_path, env=clean_env(STREAMS_DEBUG="1"))):
        assert done.returncode == 1
        assert "Traceback (most recent call last)" in done.stderr
        assert done.stderr.strip().splitlines()[-1].startswith("streams: error: input file typo.jsonl")


def test_unknown_option_is_a_usage_error(tmp_path: Path) -> None:
    line = assert_one_error_line(streams("process", str(SAMPLES), "--frobnicate", cwd=tmp_path), 2)
    assert line == "streams: error: unrecognized arguments: --frobnicate; see `streams --help`"
    line = assert_one_error_line(streams("process", cwd=tmp_path), 2)
    assert line.startswith("streams process: error: the following arguments are required: file")


def test_missing_broker_setting_is_a_usage_error(tmp_path: Path) -> None:
    line = assert_one_error_line(streams("tail", "news.enriched.v1", cwd=tmp_path), 2)
    assert "STREAMS_BROKER is not set" in line


def test_invalid_setting_is_a_usage_error(tmp_path: Path) -> None:
    done = streams("tail", "t", cwd=tmp_path,
                   env=clean_env(STREAMS_BROKER="127.0.0.1:1", STREAMS_PARTITIONS="many"))
    assert "STREAMS_PARTITIONS" in assert_one_error_line(done, 2)


def test_unreachable_broker_is_one_line_within_seconds(tmp_path: Path) -> None:
    env = clean_env(STREAMS_BROKER=f"127.0.0.1:{free_port()}")  # nothing listens there
    started = time.monotonic()
    done = streams("tail", "news.enriched.v1", "--idle-timeout", "1", cwd=tmp_path, env=env)
    assert time.monotonic() - started < 60
    assert "cannot reach Kafka at 127.0.0.1:" in assert_one_error_line(done, 1)

    source = tmp_path / "in.jsonl"
    source.write_bytes(SAMPLES.read_bytes())
    started = time.monotonic()
    done = streams("produce", str(source), "--delivery-timeout", "2", cwd=tmp_path, env=env)
    assert time.monotonic() - started < 60
    assert "could not reach Kafka" in assert_one_error_line(done, 1)


def test_worker_creates_its_data_dir_and_fails_in_one_line_without_a_broker(tmp_path: Path) -> None:
    data = tmp_path / "var" / "streams-data"
    env = clean_env(STREAMS_BROKER=f"127.0.0.1:{free_port()}", STREAMS_WEB_PORT=str(free_port()))
    done = streams("worker", cwd=tmp_path, env=env)
    assert "cannot reach Kafka" in assert_one_error_line(done, 1)
    assert data.is_dir(), "the default ./var/streams-data is created on a fresh clone"


def test_worker_web_port_in_use_is_one_line(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = clean_env(STREAMS_BROKER="127.0.0.1:1", STREAMS_WEB_PORT=str(port))
        line = assert_one_error_line(streams("worker", cwd=tmp_path, env=env), 1)
    assert f"127.0.0.1:{port} is already in use" in line and "STREAMS_WEB_PORT" in line


def test_closed_stdout_ends_quietly(tmp_path: Path) -> None:
    """`streams process big.jsonl | head -1`: no traceback, status 141 (128 + SIGPIPE)."""
    article = json.loads(SAMPLES.read_bytes().splitlines()[0])
    many = "".join(json.dumps({**article, "id": f"a-{i}"}) + "\n" for i in range(60))
    dead = tmp_path / "dead.jsonl"
    proc = subprocess.Popen([sys.executable, "-m", "streams", "process", "-", "--dead-letters", str(dead)],
                            cwd=tmp_path, env=clean_env(), stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdin is not None and proc.stdout is not None and proc.stderr is not None
    proc.stdin.write(many.encode())
    proc.stdin.close()
    first = proc.stdout.readline()
    proc.stdout.close()  # as `head -1` does
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=300) == 141, err
    assert json.loads(first)["id"] == "a-0"
    assert "Traceback" not in err and "BrokenPipe" not in err and "Exception ignored" not in err
    assert not dead.exists(), "a run cut short does not replace its output files"


def test_version(tmp_path: Path) -> None:
    from streams.nlp import ANALYZER_VERSION

    done = streams("--version", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert re.fullmatch(rf"streams \S+ \(analyzer {re.escape(ANALYZER_VERSION)}\)\n", done.stdout)


def test_broker_status_prints_a_line(tmp_path: Path) -> None:
    done = streams("broker", "status", cwd=tmp_path,
                   env=clean_env(STREAMS_LOCAL_BROKER_PORT=str(free_port())))
    assert done.returncode == 1, done.stderr  # nothing runs on a free port
    assert re.fullmatch(r"broker not running \(127\.0\.0\.1:\d+, data .+\)\n", done.stdout)


# --- the pieces ---------------------------------------------------------------------------

def test_error_hierarchy_and_exit_statuses() -> None:
    assert issubclass(ConfigError, UsageError) and issubclass(UsageError, StreamsError)
    assert ConfigError("x").exit_status == UsageError("x").exit_status == 2
    for kind in (InputError, DataError, BrokerUnavailable, PortInUse, StreamsError):
        assert kind("x").exit_status == 1
    assert one_line(InputError("input file x not found", "check the path")) == (
        "input file x not found; check the path")
    assert one_line(DataError("3 problems:\n  a\n  b")) == "3 problems: (more with --debug)"


def test_a_value_error_subclass_can_join_the_hierarchy() -> None:
    class Legacy(DataError, ValueError):
        def __init__(self, problems: list[str]) -> None:
            super().__init__(f"{len(problems)} problem(s):\n  " + "\n  ".join(problems))

    error = Legacy(["a", "b"])
    assert isinstance(error, ValueError) and isinstance(error, StreamsError)
    assert error.message.startswith("2 problem(s)") and error.hint is None


def test_describe_maps_common_errors_to_one_line() -> None:
    from aiokafka.errors import KafkaConnectionError

    in_use = OSError(errno.EADDRINUSE, "Address already in use")
    assert isinstance(cli.describe(in_use), PortInUse)
    missing = cli.describe(FileNotFoundError(errno.ENOENT, "No such file or directory", "x.tsv"))
    assert isinstance(missing, InputError) and "x.tsv" in missing.message
    assert isinstance(cli.describe(PermissionError(errno.EACCES, "denied", "f")), InputError)
    assert isinstance(cli.describe(ConnectionRefusedError(errno.ECONNREFUSED, "refused")),
                      BrokerUnavailable)
    assert isinstance(cli.describe(KafkaConnectionError("Unable to bootstrap")), BrokerUnavailable)
    bug = cli.describe(ZeroDivisionError("division by zero"))
    assert "--debug" in (bug.hint or "") and bug.exit_status == 1
    try:
        Settings(partitions="many")  # type: ignore[arg-type]
    except Exception as exc:
        invalid = cli.describe(exc)
    assert isinstance(invalid, ConfigError) and "STREAMS_PARTITIONS" in invalid.message


def test_prepare_data_dir(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b"
    assert cli.prepare_data_dir(Settings(data_dir=str(target))) == target and target.is_dir()
    cli.prepare_data_dir(Settings(data_dir=str(target)))  # again: fine
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(ConfigError, match="not a directory"):
        cli.prepare_data_dir(Settings(data_dir=str(blocker)))


def test_wipe_worker_state_deletes_only_fausts_version_dirs(tmp_path: Path) -> None:
    (tmp_path / "v1" / "tables").mkdir(parents=True)
    (tmp_path / "v2").mkdir()
    (tmp_path / "notes").mkdir()
    (tmp_path / "v1.txt").write_text("")
    settings = Settings(data_dir=str(tmp_path))
    assert [p.name for p in cli.wipe_worker_state(settings)] == ["v1", "v2"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes", "v1.txt"]
    assert cli.wipe_worker_state(Settings(data_dir=str(tmp_path / "absent"))) == []


def test_state_mismatch_hint_names_the_command(capfd: pytest.CaptureFixture[str]) -> None:
    import logging

    hint = cli.StateMismatchHint(Settings(data_dir="/srv/state"))
    record = logging.LogRecord("faust", logging.ERROR, __file__, 1,
                               "Crashed reason=ConsistencyError('The persisted offset ...')", None, None)
    hint.emit(record)
    hint.emit(record)  # said once
    err = capfd.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "/srv/state" in err[0] and "streams worker --reset-state" in err[0]


def test_feed_and_tally_count_only_this_runs_outputs(tmp_path: Path) -> None:
    feed_path = tmp_path / "feed.jsonl"
    feed_path.write_text('{"id": "a"}\n{"id": "b"}\n{"id": "a"}\nnot json\n\n')
    feed = cli.Feed.read(feed_path)
    assert (feed.lines, feed.expected, feed.repeated) == (4, 3, 1)
    tally = cli.RunTally(feed, "enriched", "dlq", "articles", input_start={0: 10})
    for topic, value in [
        ("enriched", {"id": "a"}), ("enriched", {"id": "a"}),  # one output per id
        ("enriched", {"id": "zzz"}),  # someone else's
        ("dlq", {"topic": "articles", "partition": 0, "offset": 12, "article_id": None}),  # ours
        ("dlq", {"topic": "articles", "partition": 0, "offset": 3, "article_id": None}),  # before us
        ("alerts", {"alert_id": "x"}),  # shown, not counted
    ]:
        tally.add(topic, json.dumps(value).encode())
    assert tally.own == {("id", "a"), ("input", 0, 12)}
    assert tally.others == 2


def test_report_run_says_when_everything_was_a_duplicate(tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    feed_path = tmp_path / "feed.jsonl"
    feed_path.write_text('{"id": "a"}\n{"id": "b"}\n{"id": "a"}\n')
    feed = cli.Feed.read(feed_path)
    tally = cli.RunTally(feed, "enriched", "dlq", "articles", input_start={})
    with pytest.raises(StreamsError, match="already seen all of its articles") as info:
        cli.report_run(feed, tally, {"duplicate": 3.0}, tmp_path / "log")
    assert "streams broker start --fresh" in (info.value.hint or "")
    assert "counted 3 articles as duplicates (1 repeated within the feed, 2 already seen before this run)" \
        in capsys.readouterr().err
    tally.add("enriched", b'{"id": "a"}')
    tally.add("enriched", b'{"id": "b"}')
    assert cli.report_run(feed, tally, {"duplicate": 1.0, "enriched": 2.0}, tmp_path / "log") == 0


@pytest.fixture
def metrics_server() -> Iterator[tuple[int, dict[str, Any]]]:
    state: dict[str, Any] = {"body": ""}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = state["body"].encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1], state
    finally:
        server.shutdown()
        server.server_close()


def test_worker_counts_reads_the_outcome_counter(metrics_server: tuple[int, dict[str, Any]]) -> None:
    port, state = metrics_server
    state["body"] = (
        "# HELP streams_articles_total Input messages by final outcome\n"
        "# TYPE streams_articles_total counter\n"
        'streams_articles_total{outcome="enriched"} 11.0\n'
        'streams_articles_total{outcome="duplicate"} 13.0\n'
        'streams_articles_created{outcome="duplicate"} 1.7e+09\n'
        'streams_dead_letters_total{reason="invalid_json"} 2.0\n')
    assert cli.worker_counts(port) == {"enriched": 11.0, "duplicate": 13.0}
    assert cli.worker_counts(free_port()) is None


# --- against a real broker ------------------------------------------------------------------

@pytest.mark.integration
def test_run_counts_only_its_own_outputs_and_reports_duplicates(kafka: str, tmp_path: Path) -> None:
    """Twice the same feed on a shared broker: the second run's outputs are all duplicates,
    and the first run's outputs on the topics are not counted as the second's."""
    settings = unique_settings(kafka, partitions=1)
    env = clean_env(**{**settings_env(settings), "STREAMS_WEB_PORT": str(free_port())})
    first = streams("run", "--timeout", "90", cwd=tmp_path, env=env, timeout=600)
    assert first.returncode == 0, first.stderr[-3000:]
    assert "11 of 11 expected outputs seen" in first.stderr
    assert "counted 1 article as a duplicate (1 repeated within the feed)" in first.stderr

    second = streams("run", "--timeout", "90", cwd=tmp_path, env=env, timeout=600)
    assert second.returncode == 1, second.stderr[-3000:]
    assert "0 of 11 expected outputs seen" in second.stderr
    assert "11 already seen before this run" in second.stderr
    last = second.stderr.strip().splitlines()[-1]
    assert last.startswith("streams: error: nothing of this run came out") and "--fresh" in last
