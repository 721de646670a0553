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
# name|retention.ms, every one with cleanup.policy=delete: streams.kafka_io.TOPIC_CONFIGS
# (docs/deployment.md, "Topics and retention"; tests/deploy/test_topics.py keeps them equal).
TOPICS=(
  "${STREAMS_TOPIC_ARTICLES:-news.articles.v1}|604800000"
  "${STREAMS_TOPIC_ENRICHED:-news.enriched.v1}|2592000000"
  "${STREAMS_TOPIC_DEAD_LETTERS:-news.articles.dlq.v1}|2592000000"
  "${STREAMS_TOPIC_STANCE_EVENTS:-geo.stance-events.v1}|2592000000"
  "${STREAMS_TOPIC_ALERTS:-geo.alerts.v1}|-1"
  "${STREAMS_TOPIC_REKEYED:-news.articles-rekeyed.v1}|259200000"
)

for entry in "${TOPICS[@]}"; do
  topic="${entry%|*}"
  retention="${entry##*|}"
  "$BIN/kafka-topics.sh" --bootstrap-server "$BOOTSTRAP" --create --if-not-exists \
    --topic "$topic" --partitions "$PARTITIONS" --replication-factor "$REPLICATION" \
    --config cleanup.policy=delete --config "retention.ms=$retention"
  echo "create-topics: $topic ($PARTITIONS partitions, replication $REPLICATION, retention.ms $retention)"
done
