"""deploy/prometheus and deploy/grafana: valid for promtool, and shaped as Grafana needs."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from streams.agents.metrics import ALERT_LEVELS, REGISTRY
from streams.settings import Settings
from tests.observability.obs_support import (
    DASHBOARDS,
    DATASOURCES,
    PROMETHEUS_CONFIG,
    PROVIDERS,
    RULES,
    WORKER_JOB,
    all_queries,
    dashboard_queries,
    expand,
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
    # The compose workers, however many (`--scale worker=N`), by DNS on the service name.
    (dns,) = jobs[WORKER_JOB]["dns_sd_configs"]
    assert dns["names"] == ["worker"] and dns["type"] == "A"
    assert dns["port"] == Settings.model_fields["web_port"].default
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


# ---------------------------------------------------------------- template variables, panels


def _board(name: str) -> dict[str, Any]:
    (path,) = [p for p in DASHBOARDS if p.name == name]
    return load_dashboard(path)


def _panel(board: dict[str, Any], title: str) -> dict[str, Any]:
    (panel,) = [p for p in board["panels"] if p["title"] == title]
    return panel


def _variables(board: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {v["name"]: v for v in board["templating"]["list"]}


@pytest.mark.parametrize("path", DASHBOARDS, ids=lambda p: p.name)
def test_every_worker_query_follows_the_instance_variable(path: Path) -> None:
    board = load_dashboard(path)
    instance = _variables(board)["instance"]
    assert instance["type"] == "query" and instance["datasource"]["uid"] == "streams-prometheus"
    assert instance["definition"] == f'label_values(up{{job="{WORKER_JOB}"}}, instance)'
    assert instance["query"]["query"] == instance["definition"]
    assert instance["includeAll"] and instance["multi"] and instance["allValue"] == ".*"
    selectors = re.compile(r"\b(?:(?:streams|process)_[a-z0-9_]+|up)(\{[^}]*\})?")
    for panel in board["panels"]:
        for target in panel["targets"]:
            for match in selectors.finditer(target["expr"]):
                assert 'instance=~"$instance"' in (match.group(1) or ""), (panel["title"], match.group(0))


def test_dyad_panels_follow_the_dyad_variable() -> None:
    board = _board("geopolitical-tension.json")
    dyad = _variables(board)["dyad"]
    assert dyad["definition"] == 'label_values(streams_dyad_risk_score{instance=~"$instance"}, dyad)'
    assert dyad["includeAll"] and dyad["multi"] and dyad["allValue"] == ".*"
    selectors = re.compile(r"\b(streams_dyad_(?:risk_score|alert_level))(\{[^}]*\})?")
    found = 0
    for panel in board["panels"]:
        for target in panel["targets"]:
            for match in selectors.finditer(target["expr"]):
                found += 1
                assert 'dyad=~"$dyad"' in (match.group(2) or ""), (panel["title"], match.group(0))
    assert found >= 4


def test_query_variables_expand_to_all() -> None:
    assert expand('x{instance=~"$instance", dyad=~"${dyad}"}') == 'x{instance=~".*", dyad=~".*"}'


def test_top_dyads_are_coloured_by_alert_level_not_by_score() -> None:
    """The bars' colours are the engine's levels (the level gauge), as in the levels table."""
    board = _board("geopolitical-tension.json")
    panel = _panel(board, "Top dyads by risk")
    (target,) = panel["targets"]
    assert "streams_dyad_alert_level" in target["expr"] and "group_left (level)" in target["expr"]
    assert target["legendFormat"] == "{{dyad}} ({{level}})"
    defaults = panel["fieldConfig"]["defaults"]
    assert defaults["color"]["mode"] == "fixed" and "thresholds" not in defaults
    table = _panel(board, "Dyad alert levels")
    (mapping,) = table["fieldConfig"]["defaults"]["mappings"]
    level_colour = {m["text"]: m["color"] for m in mapping["options"].values()}
    assert set(level_colour) == set(ALERT_LEVELS)
    colours = {}
    for override in panel["fieldConfig"]["overrides"]:
        assert override["matcher"]["id"] == "byRegexp"
        pattern = re.compile(override["matcher"]["options"].strip("/"))
        (prop,) = override["properties"]
        matched = [level for level in ALERT_LEVELS if pattern.search(f"RUS|UKR ({level})")]
        assert len(matched) == 1, override
        colours[matched[0]] = prop["value"]["fixedColor"]
    assert colours == level_colour


def _promql_test(tmp_path: Path, series: dict[str, str], expr: str,
                 expected: list[tuple[str, float]]) -> None:
    """Evaluate ``expr`` (variables at All) over synthetic series with `promtool test rules`."""
    case = {
        "rule_files": [],
        "evaluation_interval": "1m",
        "tests": [{
            "interval": "1m",
            "input_series": [{"series": name, "values": values} for name, values in series.items()],
            "promql_expr_test": [{
                "expr": expand(expr).replace("$__rate_interval", "5m"), "eval_time": "10m",
                "exp_samples": [{"labels": labels, "value": value} for labels, value in expected],
            }],
        }],
    }
    path = tmp_path / "case.yml"
    path.write_text(yaml.safe_dump(case))
    result = _run(_promtool(), "test", "rules", str(path))
    assert result.returncode == 0, result.stdout + result.stderr


def test_top_dyads_take_the_level_the_engine_holds(tmp_path: Path) -> None:
    """A score past the warning threshold with one outlet is still "watch"; levels are joined
    from any worker; a dyad without a level is not shown."""
    (target,) = _panel(_board("geopolitical-tension.json"), "Top dyads by risk")["targets"]
    w1, w2 = 'instance="w1:6066", job="streams-worker"', 'instance="w2:6066", job="streams-worker"'
    _promql_test(tmp_path, {
        f'streams_dyad_risk_score{{dyad="RUS|UKR", {w1}}}': "62x15",
        f'streams_dyad_alert_level{{dyad="RUS|UKR", {w1}}}': "2x15",
        f'streams_dyad_risk_score{{dyad="IRN|ISR", {w2}}}': "55x15",
        f'streams_dyad_alert_level{{dyad="IRN|ISR", {w2}}}': "1x15",
        f'streams_dyad_risk_score{{dyad="CHN|TWN", {w2}}}': "12x15",
        f'streams_dyad_alert_level{{dyad="CHN|TWN", {w2}}}': "0x15",
        f'streams_dyad_risk_score{{dyad="IND|PAK", {w1}}}': "80x15",
    }, target["expr"], [('{dyad="RUS|UKR", level="warning"}', 62), ('{dyad="IRN|ISR", level="watch"}', 55),
                        ('{dyad="CHN|TWN", level="none"}', 12)])


def test_dead_letter_ratio_counts_article_dead_letters_only(tmp_path: Path) -> None:
    """Stance events dead-lettered by the risk agent, or unreadable records of the stance
    topic, are not articles: they must not raise the articles' dead-letter ratio."""
    panel = _panel(_board("pipeline-health.json"), "Dead-letter ratio")
    (target,) = panel["targets"]
    numerator, denominator = target["expr"].split(" / ")
    assert 'streams_articles_total{outcome="dead_letter"' in numerator
    assert 'streams_articles_total{outcome!="rekeyed"' in denominator
    assert "streams_dead_letters_total" not in target["expr"]
    w1 = 'instance="w1:6066", job="streams-worker"'
    # Per minute: 100 articles (2 of them dead letters, 10 re-keyed copies), and 30 dead
    # letters of the stance topic that are no article's.
    _promql_test(tmp_path, {
        f'streams_articles_total{{outcome="enriched", {w1}}}': "0+98x15",
        f'streams_articles_total{{outcome="dead_letter", {w1}}}': "0+2x15",
        f'streams_articles_total{{outcome="rekeyed", {w1}}}': "0+10x15",
        f'streams_dead_letters_total{{reason="invalid_json", {w1}}}': "0+2x15",
        f'streams_dead_letters_total{{reason="unreadable_record", {w1}}}': "0+30x15",
    }, target["expr"], [("{}", 0.02)])
