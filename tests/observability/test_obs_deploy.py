"""deploy/prometheus and deploy/grafana: valid for promtool, and shaped as Grafana needs."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from streams.agents.metrics import REGISTRY
from tests.observability.obs_support import (
    DASHBOARDS,
    DATASOURCES,
    PROMETHEUS_CONFIG,
    PROVIDERS,
    RULES,
    WORKER_JOB,
    all_queries,
    dashboard_queries,
    load_dashboard,
    metric_names,
    test_config,
)

HERE = Path(__file__).resolve().parent


def _promtool() -> str:
    path = shutil.which("promtool")
    if path is None:
        pytest.skip("promtool is not installed (make system-deps installs Debian's prometheus)")
    return path


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, capture_output=True, text=True, timeout=60, check=False)


def test_promtool_check_config() -> None:
    result = _run(_promtool(), "check", "config", str(PROMETHEUS_CONFIG))
    assert result.returncode == 0, result.stdout + result.stderr


def test_promtool_check_generated_test_config(tmp_path: Path) -> None:
    path = tmp_path / "prometheus.yml"
    path.write_text(yaml.safe_dump(test_config("127.0.0.1:6066")))
    result = _run(_promtool(), "check", "config", str(path))
    assert result.returncode == 0, result.stdout + result.stderr


def test_promtool_check_rules() -> None:
    result = _run(_promtool(), "check", "rules", str(RULES))
    assert result.returncode == 0, result.stdout + result.stderr


def test_rules_fire_on_synthetic_series() -> None:
    result = _run(_promtool(), "test", "rules", str(HERE / "rules_test.yml"))
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_alert_has_severity_summary_and_a_unit_test() -> None:
    groups = yaml.safe_load(RULES.read_text())["groups"]
    tested = (HERE / "rules_test.yml").read_text()
    for rule in (r for g in groups for r in g["rules"]):
        assert rule["labels"]["severity"] in ("page", "ticket"), rule["alert"]
        assert rule["annotations"]["summary"], rule["alert"]
        assert f"alertname: {rule['alert']}" in tested, f"{rule['alert']} has no promtool test"


def test_scrape_config_has_the_worker_job() -> None:
    config = yaml.safe_load(PROMETHEUS_CONFIG.read_text())
    jobs = {job["job_name"]: job for job in config["scrape_configs"]}
    assert jobs[WORKER_JOB]["metrics_path"] == "/metrics"
    for sd in jobs[WORKER_JOB]["file_sd_configs"]:
        for pattern in sd["files"]:
            targets = list(PROMETHEUS_CONFIG.parent.glob(pattern))
            assert targets, pattern
            for path in targets:
                assert all(group["targets"] for group in yaml.safe_load(path.read_text()))


def _datasource_uid() -> str:
    (path,) = DATASOURCES
    (source,) = yaml.safe_load(path.read_text())["datasources"]
    assert source["type"] == "prometheus" and source["url"].startswith("http")
    return str(source["uid"])


def test_provisioning() -> None:
    assert _datasource_uid() == "streams-prometheus"
    (path,) = PROVIDERS
    (provider,) = yaml.safe_load(path.read_text())["providers"]
    assert provider["type"] == "file" and provider["options"]["path"]


@pytest.mark.parametrize("path", DASHBOARDS, ids=lambda p: p.name)
def test_dashboard_structure(path: Path) -> None:
    uid = _datasource_uid()
    board = load_dashboard(path)
    assert board["uid"] and len(board["uid"]) <= 40 and board["title"]
    assert isinstance(board["schemaVersion"], int)
    panels = board["panels"]
    assert panels
    assert len({p["id"] for p in panels}) == len(panels), "panel ids must be unique"
    for panel in panels:
        where = f"{path.name}: {panel.get('title')}"
        assert panel["title"] and panel["type"] and panel["description"], where
        assert set(panel["gridPos"]) >= {"x", "y", "w", "h"}, where
        assert panel["gridPos"]["x"] + panel["gridPos"]["w"] <= 24, where
        assert panel["datasource"] == {"type": "prometheus", "uid": uid}, where
        assert panel["targets"], where
        refs = [t["refId"] for t in panel["targets"]]
        assert len(set(refs)) == len(refs), where
        for target in panel["targets"]:
            assert target["expr"].strip(), where
            assert target["datasource"] == {"type": "prometheus", "uid": uid}, where
    for annotation in board["annotations"]["list"]:
        if "expr" in annotation:
            assert annotation["datasource"]["uid"] == uid


def test_dashboard_uids_are_distinct() -> None:
    uids = [load_dashboard(p)["uid"] for p in DASHBOARDS]
    assert len(set(uids)) == len(uids) == 2


def test_queries_only_use_metrics_the_worker_exports() -> None:
    exported = {f.name for f in REGISTRY.collect()}
    exported |= {f"{n}_total" for n in exported} | {
        f"{n}_{s}" for n in exported for s in ("bucket", "sum", "count")}
    for query in all_queries():
        unknown = metric_names(query.expr) - exported
        assert not unknown, f"{query.where}: {unknown}"


def test_dashboards_cover_what_operators_and_analysts_need() -> None:
    text = " ".join(q.expr for q in dashboard_queries())
    for name in ("streams_articles_total", "streams_end_to_end_latency_seconds_bucket",
                 "streams_consumer_lag_messages", "streams_dead_letters_total",
                 "streams_publish_retries_total", "streams_stage_duration_seconds_bucket",
                 "streams_dyad_risk_score", "streams_alerts_total", "streams_stance_events_total"):
        assert name in text, name
