"""Who may touch which topic: the Kafka ACLs of the product's principals, from settings.

With an authorizer on the brokers (``StandardAuthorizer`` in KRaft) and
``allow.everyone.if.no.acl.found=false``, a principal may do only what an ACL allows.
These are the least each principal needs:

* ``producer`` (crawlers, ``streams produce``): write the input topic;
* the worker (``streams``): read its inputs, write its outputs, its consumer group, and the
  topics Faust creates and uses under the app id (table changelogs, the assignor's topic);
* ``alerts-reader`` (analysts, pagers, ``streams alerts``): read the alerts topic with a
  consumer group of its own;
* ``admin``: a super user in the brokers' ``super.users``, which no ACL needs.

No principal gets a transactional id or ``IdempotentWrite``: the product's producers are
not transactional, and since Kafka 3.0 ``Write`` on a topic covers an idempotent producer.

:func:`grants` is the table (``docs/deployment.md`` shows it); :func:`acl_commands` the
``kafka-acls`` arguments that create it.  ``python -m streams.acls`` prints them for the
configured topic names and app id; ``--table`` prints the table.
"""

from __future__ import annotations

import argparse
import shlex
import sys
from dataclasses import dataclass
from itertools import groupby

from streams.settings import Settings


@dataclass(frozen=True)
class Principals:
    """The SCRAM user names of the product's principals."""

    producer: str = "producer"
    worker: str = "streams"
    alerts_reader: str = "alerts-reader"
    admin: str = "admin"
    #: Consumer group of the alerts reader (``streams alerts --group``, a pager's consumer).
    alerts_group: str = "alerts-reader"


@dataclass(frozen=True)
class Grant:
    """``principal`` may do ``operations`` on the resource (a name, or every name with that prefix)."""

    principal: str
    resource: str  # topic | group
    name: str
    operations: tuple[str, ...]
    prefixed: bool = False


READ = ("Read", "Describe")
#: ``DescribeConfigs``: ``streams produce`` and the worker compare an existing topic's
#: retention and cleanup policy with what they would create and warn of a difference.
WRITE = ("Write", "Describe", "DescribeConfigs")
#: Topics Faust creates and keeps under the app id: table changelogs, the assignor's topic.
INTERNAL = ("Create", "Read", "Write", "Describe", "DescribeConfigs")


def grants(settings: Settings, who: Principals | None = None) -> list[Grant]:
    """Every ACL the product's principals need, for these topic names and app id."""
    who = who or Principals()
    t = settings.topics
    worker = who.worker
    return [
        Grant(who.producer, "topic", t.articles, WRITE),
        Grant(worker, "topic", t.articles, (*READ, "DescribeConfigs")),
        # The worker creates its topics when missing; Create on an existing topic is harmless.
        *(Grant(worker, "topic", name, ("Read", *WRITE, "Create"))
          for name in (t.rekeyed, t.stance_events)),
        *(Grant(worker, "topic", name, (*WRITE, "Create"))
          for name in (t.enriched, t.dead_letters, t.alerts)),
        Grant(worker, "topic", f"{settings.app_id}-", INTERNAL, prefixed=True),
        Grant(worker, "group", settings.app_id, READ),
        Grant(who.alerts_reader, "topic", t.alerts, READ),
        Grant(who.alerts_reader, "group", who.alerts_group, READ),
    ]


def acl_commands(settings: Settings, who: Principals | None = None) -> list[list[str]]:
    """``kafka-acls`` arguments (after ``--bootstrap-server ... --command-config ...``) for :func:`grants`.

    One command per principal, operations and pattern type: the tool applies every operation
    of a command to every resource named in it.
    """
    def key(g: Grant) -> tuple[str, tuple[str, ...], bool]:
        return g.principal, g.operations, g.prefixed

    commands = []
    for (principal, operations, prefixed), same in groupby(sorted(grants(settings, who), key=key), key=key):
        args = ["--add", "--allow-principal", f"User:{principal}"]
        for operation in operations:
            args += ["--operation", operation]
        for grant in same:
            args += [f"--{grant.resource}", grant.name]
        if prefixed:
            args += ["--resource-pattern-type", "prefixed"]
        commands.append(args)
    return commands


def table(settings: Settings, who: Principals | None = None) -> str:
    """Markdown: principal × resource × operations."""
    rows = ["| principal | resource | operations |", "|---|---|---|"]
    for g in grants(settings, who):
        name = f"`{g.name}*`" if g.prefixed else f"`{g.name}`"
        rows.append(f"| `{g.principal}` | {g.resource} {name} | {', '.join(g.operations)} |")
    return "\n".join(rows) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m streams.acls", description=(
        "Print the kafka-acls commands (or the table) of the product's principals for the "
        "topic names and app id in the environment (STREAMS_TOPIC_*, STREAMS_APP_ID)."))
    parser.add_argument("--table", action="store_true", help="print the markdown table instead")
    parser.add_argument("--bootstrap-server", default="BROKER:9093", help="for the printed commands")
    parser.add_argument("--command-config", default="admin.properties",
                        help="the admin's client properties, for the printed commands")
    args = parser.parse_args(argv)
    settings = Settings()
    if args.table:
        sys.stdout.write(table(settings))
        return 0
    for command in acl_commands(settings):
        print(shlex.join(["kafka-acls", "--bootstrap-server", args.bootstrap_server,
                          "--command-config", args.command_config, *command]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
