"""Shared by the observability tests: where the deploy files are, and every PromQL they hold."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[2]
PROMETHEUS_DIR = REPO / "deploy" / "prometheus"
PROMETHEUS_CONFIG = PROMETHEUS_DIR / "prometheus.yml"
RULES = PROMETHEUS_DIR / "rules.yml"
GRAFANA_DIR = REPO / "deploy" / "grafana"
DASHBOARDS = sorted((GRAFANA_DIR / "dashboards").glob("*.json"))
DATASOURCES = sorted((GRAFANA_DIR / "provisioning" / "datasources").glob("*.yml"))
PROVIDERS = sorted((GRAFANA_DIR / "provisioning" / "dashboards").glob("*.yml"))
WORKER_JOB = "streams-worker"

#: Grafana's built-in variables, as Grafana would expand them for a short range.
GRAFANA_VARIABLES = {"$__rate_interval": "1m", "$__interval": "15s", "$__range": "1h"}

#: Metrics whose panels may legitimately be empty after the test feed.  None
#: today: the sample articles give the risk agent dyads to score, so even the
#: top-K dyad panels must show data.
MAY_BE_EMPTY: tuple[str, ...] = ()


@dataclass(frozen=True)
class Query:
    where: str
    expr: str
    #: Panel targets must return data (unless they read MAY_BE_EMPTY metrics);
    #: alert rules and annotations filter on conditions and may be empty.
    must_have_data: bool

    @property
    def promql(self) -> str:
        return expand(self.expr)


def dashboard_variables() -> dict[str, str]:
    """The dashboards' own template variables (``$instance``, ``$dyad``), as "All" expands them."""
    values: dict[str, str] = {}
    for path in DASHBOARDS:
        for variable in load_dashboard(path).get("templating", {}).get("list", []):
            value = variable.get("allValue") or ".*"
            values[f"${{{variable['name']}}}"] = value
            values[f"${variable['name']}"] = value
    return values


def expand(expr: str) -> str:
    for name, value in {**GRAFANA_VARIABLES, **dashboard_variables()}.items():
        expr = expr.replace(name, value)
    return expr


def load_dashboard(path: Path) -> dict[str, Any]:
    return dict(json.loads(path.read_text()))


def dashboard_queries() -> list[Query]:
    queries = []
    for path in DASHBOARDS:
        board = load_dashboard(path)
        for panel in board["panels"]:
            for target in panel.get("targets", []):
                empty_ok = any(name in target["expr"] for name in MAY_BE_EMPTY)
                queries.append(Query(f"{path.name}: {panel['title']} [{target['refId']}]",
                                     target["expr"], not empty_ok))
        for annotation in board.get("annotations", {}).get("list", []):
            if "expr" in annotation:
                queries.append(Query(f"{path.name}: annotation {annotation['name']}",
                                     annotation["expr"], False))
    return queries


def rule_queries() -> list[Query]:
    groups = yaml.safe_load(RULES.read_text())["groups"]
    return [Query(f"rules.yml: {rule.get('alert') or rule.get('record')}", rule["expr"], False)
            for group in groups for rule in group["rules"]]


def all_queries() -> list[Query]:
    return dashboard_queries() + rule_queries()


def metric_names(expr: str) -> set[str]:
    return set(re.findall(r"\b((?:streams|process)_[a-z0-9_]+)", expr))


def test_config(target: str, rules: Path = RULES, interval: str = "1s") -> dict[str, Any]:
    """The shipped prometheus.yml, pointed at one worker, scraping every ``interval``."""
    config = yaml.safe_load(PROMETHEUS_CONFIG.read_text())
    config["global"].update(scrape_interval=interval, evaluation_interval=interval,
                            scrape_timeout=interval)
    config["rule_files"] = [str(rules)]
    jobs = []
    for job in config["scrape_configs"]:
        if job["job_name"] == WORKER_JOB:
            job = {k: v for k, v in job.items() if not k.endswith("_sd_configs")}
            job["static_configs"] = [{"targets": [target], "labels": {"env": "test"}}]
            jobs.append(job)
    config["scrape_configs"] = jobs
    return dict(config)


test_config.__test__ = False  # type: ignore[attr-defined]  # not a pytest test
