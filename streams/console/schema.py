"""The console's tables (SQLAlchemy Core), the same on SQLite and PostgreSQL.

Every row is keyed by the id its topic value carries (alert id, event id, article id), so
writing a value twice, or re-reading a whole topic, leaves the tables as they were.
Times are naive UTC ``DateTime`` (SQLite keeps no zone); ``event_day`` (days since the
epoch) lets both databases group by day with the same plain SQL.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Float,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData()

alerts = Table(
    "alerts", metadata,
    Column("alert_id", String(64), primary_key=True),
    Column("dyad", String(7), nullable=False),
    Column("country_a", String(3), nullable=False),
    Column("country_b", String(3), nullable=False),
    Column("level", String(10), nullable=False),
    Column("previous_level", String(10), nullable=False),
    Column("transition", String(12), nullable=False),
    Column("score", Float, nullable=False),
    Column("as_of", DateTime, nullable=False),
    Column("explanation", Text, nullable=False),
    Column("capped_by", String(32)),
    #: The alert as published (JSON): components and top events for its page.
    Column("value", Text, nullable=False),
    Index("alerts_as_of", "as_of"),
    Index("alerts_dyad_as_of", "dyad", "as_of"),
    Index("alerts_a", "country_a", "as_of"),
    Index("alerts_b", "country_b", "as_of"),
)

stance_events = Table(
    "stance_events", metadata,
    Column("event_id", String(64), primary_key=True),
    Column("dyad", String(7), nullable=False),
    #: The dyad's two members (sorted): a country's pairs are found without scanning the table.
    Column("country_a", String(3), nullable=False),
    Column("country_b", String(3), nullable=False),
    Column("source_code", String(24), nullable=False),
    Column("target_code", String(24), nullable=False),
    Column("source_country", String(3), nullable=False),
    Column("target_country", String(3), nullable=False),
    Column("cameo_code", String(4), nullable=False),
    Column("plover", String(64), nullable=False),
    Column("quad_class", Integer, nullable=False),
    Column("goldstein", Float, nullable=False),
    Column("polarity", String(12), nullable=False),
    Column("confidence", Float, nullable=False),
    Column("event_time", DateTime, nullable=False),
    Column("event_day", Integer, nullable=False),
    #: The event's undecayed conflict and cooperation intensity, as the risk engine weighs it.
    Column("conflict", Float, nullable=False),
    Column("cooperation", Float, nullable=False),
    Column("article_id", String(512)),
    Column("url", Text),
    Column("outlet", String(512), nullable=False),
    Column("sentence", Text, nullable=False),
    Column("origin", String(16), nullable=False),
    # Covers every aggregate of a pair's page (chart, outlets, counts): read from the index
    # alone, a page costs the same with a hundred or a million stored events.
    Index("stance_events_pair", "dyad", "event_time", "event_day", "conflict", "cooperation",
          "outlet", "polarity"),
    Index("stance_events_a", "country_a", "dyad", "event_time"),
    Index("stance_events_b", "country_b", "dyad", "event_time"),
    Index("stance_events_article", "article_id"),
)

articles = Table(
    "articles", metadata,
    Column("article_id", String(512), primary_key=True),
    Column("enrichment_id", String(64), nullable=False),
    Column("title", Text, nullable=False),
    Column("url", Text),
    Column("outlet", String(512), nullable=False),
    Column("published_at", DateTime, nullable=False),
    Column("language", String(16)),
    Column("status", String(8), nullable=False),
    Column("reasons", Text, nullable=False),
    Column("tone", Float),
    #: The enriched article as published (JSON).
    Column("value", Text, nullable=False),
)

#: What the enriched article says about each stance beyond its stance event: who said it
#: and the trigger, keyed by the stance event's id.
evidence = Table(
    "evidence", metadata,
    Column("event_id", String(64), primary_key=True),
    Column("article_id", String(512), nullable=False),
    Column("field", String(8), nullable=False),
    Column("sentence", Text, nullable=False),
    Column("trigger", Text, nullable=False),
    Column("speaker", Text),
    Column("source_code", String(24), nullable=False),
    Column("target_code", String(24), nullable=False),
    Column("cameo_code", String(4), nullable=False),
    Column("plover", String(64), nullable=False),
    Column("goldstein", Float, nullable=False),
    Column("negated", Boolean, nullable=False),
    Column("hypothetical", Boolean, nullable=False),
    Index("evidence_article", "article_id"),
)

#: The next offset to read of each topic partition, written in the same transaction as the
#: rows read before it: a restart resumes exactly there.
offsets = Table(
    "offsets", metadata,
    Column("topic", String(255), primary_key=True),
    Column("partition", Integer, primary_key=True),
    Column("next_offset", BigInteger, nullable=False),
)

#: Table → its key columns, for upserts.
KEYS = {
    alerts.name: ("alert_id",),
    stance_events.name: ("event_id",),
    articles.name: ("article_id",),
    evidence.name: ("event_id",),
    offsets.name: ("topic", "partition"),
}
