"""The ``streams`` command, driven through ``main()``: no broker needed here."""

from __future__ import annotations

import base64
import io
import json
import shutil
import time
from pathlib import Path
from typing import Any

import pytest

from streams import cli
from streams.cli import _readable, main
from streams.cli import files as cli_files
from streams.contracts import DeadLetter, EnrichedArticle
from streams.contracts.export import TOPIC_MODELS

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "streams" / "samples" / "articles.jsonl"
SCHEMAS = REPO / "schemas"


def sample_ids() -> list[str]:
    return [json.loads(line)["id"] for line in SAMPLES.read_bytes().splitlines() if line.strip()]


def last_json_line(text: str) -> dict[str, Any]:
    return json.loads(text.strip().splitlines()[-1])


# --- process ---------------------------------------------------------------------

def test_process_samples_to_files(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                  analyzer) -> None:  # type: ignore[no-untyped-def]
    out, dead = tmp_path / "enriched.jsonl", tmp_path / "dead.jsonl"
    code = main(["process", str(SAMPLES), "-o", str(out), "--dead-letters", str(dead)])
    assert code == 0
    enriched = [EnrichedArticle.model_validate_json(line) for line in out.read_text().splitlines()]
    ids = sample_ids()
    assert [e.id for e in enriched] == list(dict.fromkeys(ids))
    assert dead.read_text() == ""
    stats = last_json_line(capsys.readouterr().err)
    assert stats["input"] == len(ids)
    assert stats["enriched"] == len(set(ids))
    assert stats["duplicate"] == len(ids) - len(set(ids))
    assert stats["dead_letter"] == 0
    embassy = next(e for e in enriched if e.id == "us-rus-embassy-2021-10-27")
    assert {"RUS", "USA"} <= {a.code for a in embassy.actors}


def test_process_writes_dead_letters_to_their_file(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "mixed.jsonl"
    garbage = [b"not json", b"\xff\xfe\x00", b'{"id": "x"}']
    source.write_bytes(SAMPLES.read_bytes().rstrip(b"\n") + b"\n" + b"\n".join(garbage) + b"\n")
    out, dead = tmp_path / "out.jsonl", tmp_path / "dead.jsonl"
    assert main(["process", str(source), "-o", str(out), "--dead-letters", str(dead)]) == 0
    letters = [DeadLetter.model_validate_json(line) for line in dead.read_text().splitlines()]
    assert [base64.b64decode(d.original_b64) for d in letters] == garbage
    assert [d.reason for d in letters] == ["invalid_json", "invalid_utf8", "invalid_article"]
    stats = last_json_line(capsys.readouterr().err)
    assert stats["input"] == stats["enriched"] + stats["dead_letter"] + stats["duplicate"]
    assert stats["dead_letter"] == 3


def test_process_stdin_to_stdout(monkeypatch: pytest.MonkeyPatch,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    lines = SAMPLES.read_bytes() + b"oops\n"
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(lines)))
    assert main(["process", "-"]) == 0
    captured = capsys.readouterr()
    enriched = [json.loads(line) for line in captured.out.splitlines()]
    assert len(enriched) == len(set(sample_ids()))
    err = captured.err.strip().splitlines()
    assert json.loads(err[0])["reason"] == "invalid_json"  # dead letters go to stderr
    assert json.loads(err[-1])["dead_letter"] == 1


def test_process_output_is_the_same_with_a_progress_bar(tmp_path: Path) -> None:
    plain, bar = tmp_path / "plain.jsonl", tmp_path / "bar.jsonl"
    assert main(["process", str(SAMPLES), "-o", str(plain), "--dead-letters", str(tmp_path / "d1")]) == 0
    assert main(["process", str(SAMPLES), "-o", str(bar), "--dead-letters", str(tmp_path / "d2"),
                 "--progress"]) == 0
    assert plain.read_bytes() == bar.read_bytes() != b""


def test_process_with_stance_events_flag(tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out.jsonl"
    assert main(["process", str(SAMPLES), "-o", str(out), "--dead-letters", str(tmp_path / "d"),
                 "--stance-events"]) == 0
    stats = last_json_line(capsys.readouterr().err)
    assert len(out.read_text().splitlines()) == stats["enriched"] + stats["stance_events"]


def test_process_closes_every_file_it_opens(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[Any] = []

    def tracking_open(*args: Any, **kwargs: Any) -> Any:
        handle = open(*args, **kwargs)  # noqa: SIM115
        opened.append(handle)
        return handle

    monkeypatch.setattr(cli_files, "open", tracking_open, raising=False)
    assert main(["process", str(SAMPLES), "-o", str(tmp_path / "o"),
                 "--dead-letters", str(tmp_path / "d")]) == 0
    assert len(opened) == 3
    assert [h.name for h in opened if not h.closed] == []


def test_process_missing_input_file_fails_in_one_line(tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    out, dead = tmp_path / "keep.jsonl", tmp_path / "dead.jsonl"
    out.write_text("kept\n")
    with pytest.raises(SystemExit) as info:
        main(["process", str(tmp_path / "nope.jsonl"), "-o", str(out), "--dead-letters", str(dead)])
    assert info.value.code == 1
    assert capsys.readouterr().err.splitlines() == [
        f"streams: error: input file {tmp_path / 'nope.jsonl'} not found; check the path"]
    assert out.read_text() == "kept\n" and not dead.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.jsonl"]


def test_process_replaces_outputs_only_on_success(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out, dead = tmp_path / "out.jsonl", tmp_path / "dead.jsonl"
    out.write_text("old\n")
    out.chmod(0o640)

    def broken(*args: Any, **kwargs: Any) -> Any:
        args[1].write("half\n")
        raise RuntimeError("boom")

    monkeypatch.setattr("streams.pipeline.offline.process_lines", broken)
    with pytest.raises(SystemExit) as info:
        main(["process", str(SAMPLES), "-o", str(out), "--dead-letters", str(dead)])
    assert info.value.code == 1
    assert out.read_text() == "old\n" and not dead.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.jsonl"], "no temporary file left"
    monkeypatch.undo()
    assert main(["process", str(SAMPLES), "-o", str(out), "--dead-letters", str(dead)]) == 0
    assert len(out.read_text().splitlines()) == len(set(sample_ids()))
    assert out.stat().st_mode & 0o777 == 0o640, "the replaced file keeps its mode"


def test_process_writes_special_files_in_place(tmp_path: Path) -> None:
    assert main(["process", str(SAMPLES), "-o", "/dev/null", "--dead-letters", str(tmp_path / "d")]) == 0
    assert Path("/dev/null").is_char_device()


@pytest.mark.parametrize("argv, message", [
    (["replay", "icews"], "streams replay needs a format (gdelt or icews) and a file"),
    (["backfill", "--offline", "--format", "gdelt"], "streams backfill needs a format"),
])
def test_coded_commands_without_a_file_are_usage_errors(argv: list[str], message: str,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 2
    assert message in capsys.readouterr().err


# --- schemas ---------------------------------------------------------------------

def test_schemas_check_passes_on_the_committed_schemas() -> None:
    assert main(["schemas", "check", "--dir", str(SCHEMAS)]) == 0


def test_schemas_check_fails_on_a_modified_file(tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    copy = tmp_path / "schemas"
    shutil.copytree(SCHEMAS, copy)
    target = copy / "news.enriched.v1.schema.json"
    schema = json.loads(target.read_text())
    schema["properties"]["tone"]["description"] = "edited by hand"
    target.write_text(json.dumps(schema, indent=2, sort_keys=True) + "\n")
    assert main(["schemas", "check", "--dir", str(copy)]) == 1
    assert capsys.readouterr().err.strip().splitlines() == ["schema drift: news.enriched.v1"]


def test_schemas_check_fails_on_a_whitespace_only_change(tmp_path: Path) -> None:
    copy = tmp_path / "schemas"
    shutil.copytree(SCHEMAS, copy)
    target = copy / "geo.alerts.v1.schema.json"
    target.write_text(target.read_text() + "\n")
    assert main(["schemas", "check", "--dir", str(copy)]) == 1


def test_schemas_check_fails_on_an_empty_dir(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schemas", "check", "--dir", str(tmp_path)]) == 1
    assert len(capsys.readouterr().err.strip().splitlines()) == len(TOPIC_MODELS)


def test_schemas_export_then_check(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "out"
    assert main(["schemas", "export", "--dir", str(target)]) == 0
    printed = capsys.readouterr().out.split()
    assert sorted(Path(p).name for p in printed) == sorted(f"{t}.schema.json" for t in TOPIC_MODELS)
    for name in printed:
        assert Path(name).read_bytes() == (SCHEMAS / Path(name).name).read_bytes()
    assert main(["schemas", "check", "--dir", str(target)]) == 0


def test_unknown_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["frobnicate"])
    assert info.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


# --- readable output ------------------------------------------------------------------

ENRICHED = {
    "enrichment_id": "ab" * 16, "id": "a-1", "status": "ok", "reasons": [],
    "actors": [{"code": "RUS", "name": "Russia", "mentions": 3},
               {"code": "USA", "name": "United States", "mentions": 2}],
    "stances": [{"source": {"code": "RUS"}, "target": {"code": "USAGOV"}, "cameo_code": "130",
                 "polarity": "hostile"}],
}


def raw(obj: object) -> bytes:
    return json.dumps(obj).encode()


def test_readable_null_value() -> None:
    assert _readable("news.articles.v1", None) == "[news.articles.v1] <null>"


@pytest.mark.parametrize("value", [b"not json", b"\xff\xfe\xfd", b""])
def test_readable_non_json(value: bytes) -> None:
    assert _readable("t", value) == f"[t] <{len(value)} bytes, not JSON>"


def test_readable_json_that_is_not_an_object() -> None:
    assert _readable("t", b"[1, 2, 3]") == "[t] b'[1, 2, 3]'"
    assert len(_readable("t", raw(list(range(1000))))) < 230


def test_readable_enriched_article() -> None:
    assert _readable("news.enriched.v1", raw(ENRICHED)) == (
        "ENRICHED a-1 [ok] actors: RUS×3, USA×2 | stances: RUS→USAGOV 130 hostile")


def test_readable_partial_enriched_article_without_actors() -> None:
    value = {**ENRICHED, "status": "partial", "reasons": ["unsupported_language:fr"],
             "actors": [], "stances": []}
    assert _readable("news.enriched.v1", raw(value)) == (
        "ENRICHED a-1 [partial reasons=['unsupported_language:fr']] actors: -")


def test_readable_alert() -> None:
    value = {"alert_id": "cd" * 16, "dyad": "RUS|USA", "previous_level": "watch",
             "level": "warning", "score": 71.26, "explanation": "conflict surged 4x"}
    assert _readable("geo.alerts.v1", raw(value)) == (
        "ALERT RUS|USA watch→warning score=71.3: conflict surged 4x")


def test_readable_dead_letter() -> None:
    value = {"reason": "invalid_json", "detail": "<root>: Invalid JSON", "original_b64": "eA=="}
    assert _readable("news.articles.dlq.v1", raw(value)) == (
        "DEAD LETTER invalid_json: <root>: Invalid JSON")


def test_readable_stance_event_truncates_the_sentence() -> None:
    value = {"event_id": "ef" * 16, "dyad": "RUS|USA", "source_code": "RUS",
             "target_code": "USAGOV", "cameo_code": "130", "goldstein": -4.4,
             "sentence": "Russia warned the US. " * 20}
    text = _readable("geo.stance-events.v1", raw(value))
    assert text.startswith("STANCE RUS|USA RUS→USAGOV 130 g=-4.4: Russia warned the US.")
    assert text.endswith(("Russia warned the US. " * 20)[:100])


def test_readable_other_objects_are_shown_as_json_and_bounded() -> None:
    assert _readable("t", raw({"id": "a-1"})) == '[t] {"id": "a-1"}'
    long_text = _readable("news.articles.v1", raw({"id": "a", "body": "x" * 5000}))
    assert long_text.startswith('[news.articles.v1] {"id": "a", "body": "xxx')
    assert len(long_text) == len("[news.articles.v1] ") + 300


@pytest.mark.parametrize(
    "value",
    [b"[" * 100_000, b'{"event_id": "x"}', b'{"id": "a", "alert_id": 1}',
     b'{"enrichment_id": "x"}', b'{"original_b64": ""}'],
    ids=["deep-nesting", "event_id-only", "alert_id-only", "enrichment_id-only", "b64-only"],
)
def test_readable_never_raises(value: bytes) -> None:
    assert isinstance(_readable("news.articles.v1", value), str)


# --- progress ------------------------------------------------------------------------------

def test_progress_is_quiet_when_stderr_is_not_a_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    assert list(cli.progress(iter([b"a\n", b"bc\n"]), desc="sent", unit="B", size=len)) == [
        b"a\n", b"bc\n"]
    assert capsys.readouterr().err == ""


def test_progress_bar_counts_what_it_passes_on(capsys: pytest.CaptureFixture[str]) -> None:
    items = list(cli.progress(range(5), desc="replayed", unit=" events", total=5, force=True))
    assert items == [0, 1, 2, 3, 4]
    err = capsys.readouterr().err
    assert "replayed" in err and "5/5" in err


def test_elapsed_time_is_shown_on_a_terminal_only(monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    from streams.cli import console

    with console.elapsed_ticker("bench"):
        time.sleep(1.3)
    assert capsys.readouterr().err == ""
    monkeypatch.setattr(console, "_terminal", lambda stream=None: True)
    with console.elapsed_ticker("bench"):
        time.sleep(1.3)
    assert "streams bench: 00:01 elapsed" in capsys.readouterr().err


_INTERRUPTIBLE = """
import asyncio, sys
from streams.cli.topics import until_interrupted

async def work(stubborn):
    print("ready", flush=True)
    while True:
        try:
            await asyncio.sleep(3600)
        except asyncio.CancelledError:
            if not stubborn:
                raise

try:
    asyncio.run(until_interrupted(work(sys.argv[1] == "stubborn")))
except KeyboardInterrupt:
    sys.exit(130)
"""


@pytest.mark.parametrize("kind", ["polite", "stubborn"])
def test_ctrl_c_ends_a_follow_command_even_when_a_client_ignores_cancellation(kind: str) -> None:
    """`streams tail`'s "Ctrl-C ends": a client that swallows the cancel cannot keep it running."""
    import signal
    import subprocess
    import sys

    from streams.cli.topics import INTERRUPT_GRACE_S

    proc = subprocess.Popen([sys.executable, "-c", _INTERRUPTIBLE, kind], stdout=subprocess.PIPE)
    assert proc.stdout is not None and proc.stdout.readline() == b"ready\n"
    started = time.monotonic()
    proc.send_signal(signal.SIGINT)
    assert proc.wait(timeout=60) == 130
    if kind == "stubborn":  # ended by the backstop, not before it
        assert time.monotonic() - started >= INTERRUPT_GRACE_S - 0.5
