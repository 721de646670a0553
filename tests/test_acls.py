"""The principals' ACLs (streams.acls): least privilege, commands that say the same, docs in step."""

from __future__ import annotations

from streams.acls import Principals, acl_commands, grants, table
from streams.settings import Settings
from tests.support import REPO


def _settings() -> Settings:
    return Settings(_env_file=None)  # type: ignore[call-arg]


def _rights(principal: str) -> dict[tuple[str, str], set[str]]:
    return {(g.resource, g.name): set(g.operations) for g in grants(_settings()) if g.principal == principal}


def test_producer_and_reader_get_one_topic_each() -> None:
    t = _settings().topics
    assert _rights("producer") == {("topic", t.articles): {"Write", "Describe", "DescribeConfigs"}}
    assert _rights("alerts-reader") == {("topic", t.alerts): {"Read", "Describe"},
                                        ("group", "alerts-reader"): {"Read", "Describe"}}


def test_worker_reads_its_inputs_and_writes_its_outputs_only() -> None:
    settings = _settings()
    t = settings.topics
    rights = _rights("streams")
    assert "Write" not in rights[("topic", t.articles)], "the worker never writes the input"
    for output in (t.enriched, t.dead_letters, t.alerts):
        assert "Write" in rights[("topic", output)] and "Read" not in rights[("topic", output)]
    for both in (t.rekeyed, t.stance_events):
        assert {"Read", "Write"} <= rights[("topic", both)]
    assert rights[("group", settings.app_id)] == {"Read", "Describe"}
    prefixed = [g for g in grants(settings) if g.prefixed]
    assert [(g.principal, g.name) for g in prefixed] == [("streams", f"{settings.app_id}-")]
    assert not [g for g in grants(settings) if g.resource not in ("topic", "group")], \
        "no cluster-wide or transactional right"


def test_commands_grant_exactly_the_table() -> None:
    """Each command applies all its operations to all its resources: that must be the table."""
    settings = _settings()
    expanded = set()
    for args in acl_commands(settings):
        principal = args[args.index("--allow-principal") + 1].removeprefix("User:")
        operations = [args[i + 1] for i, a in enumerate(args) if a == "--operation"]
        prefixed = "--resource-pattern-type" in args
        resources = [(args[i][2:], args[i + 1]) for i, a in enumerate(args) if a in ("--topic", "--group")]
        expanded |= {(principal, r, n, op, prefixed) for r, n in resources for op in operations}
    wanted = {(g.principal, g.resource, g.name, op, g.prefixed)
              for g in grants(settings) for op in g.operations}
    assert expanded == wanted


def test_other_principal_names() -> None:
    who = Principals(producer="crawler", worker="enricher", alerts_reader="pager", alerts_group="pagers")
    names = {g.principal for g in grants(_settings(), who)}
    assert names == {"crawler", "enricher", "pager"}


def test_deployment_doc_shows_the_table() -> None:
    assert table(_settings()) in (REPO / "docs" / "deployment.md").read_text()
