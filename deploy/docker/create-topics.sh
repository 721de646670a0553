#!/usr/bin/env bash
# One-shot topic creation for docker compose (service kafka-init, apache/kafka image).
# Creates every topic of streams.settings.Topics, named by the same STREAMS_TOPIC_* variables
# the worker reads (defaults = the settings defaults), with STREAMS_PARTITIONS partitions and
# STREAMS_REPLICATION_FACTOR replicas. Existing topics are left as they are (--if-not-exists):
# growing a topic later is `kafka-topics.sh --alter --partitions N`, which moves keys to new
# partitions (see docs/deployment.md before doing it).
#
# Environment: BOOTSTRAP_SERVER (default kafka:19092), KAFKA_BIN (default /opt/kafka/bin),
#   STREAMS_PARTITIONS (4), STREAMS_REPLICATION_FACTOR (1), STREAMS_TOPIC_<NAME>.
set -euo pipefail

BIN="${KAFKA_BIN:-/opt/kafka/bin}"
BOOTSTRAP="${BOOTSTRAP_SERVER:-kafka:19092}"
PARTITIONS="${STREAMS_PARTITIONS:-4}"
REPLICATION="${STREAMS_REPLICATION_FACTOR:-1}"
TOPICS=(
  "${STREAMS_TOPIC_ARTICLES:-news.articles.v1}"
  "${STREAMS_TOPIC_ENRICHED:-news.enriched.v1}"
  "${STREAMS_TOPIC_DEAD_LETTERS:-news.articles.dlq.v1}"
  "${STREAMS_TOPIC_STANCE_EVENTS:-geo.stance-events.v1}"
  "${STREAMS_TOPIC_ALERTS:-geo.alerts.v1}"
  "${STREAMS_TOPIC_REKEYED:-news.articles-rekeyed.v1}"
)

for topic in "${TOPICS[@]}"; do
  "$BIN/kafka-topics.sh" --bootstrap-server "$BOOTSTRAP" --create --if-not-exists \
    --topic "$topic" --partitions "$PARTITIONS" --replication-factor "$REPLICATION"
  echo "create-topics: $topic ($PARTITIONS partitions, replication $REPLICATION)"
done
