#!/usr/bin/env bash
# ctest helm_topics_job (label integration): the chart's topic hook Job, its script as rendered,
# run against the local broker (127.0.0.1:9092) with Kafka's own TopicCommand and ConfigCommand
# standing in for the image's /opt/kafka/bin. Checks that it creates a topic with the partitions
# and retention given, that a second run keeps the partitions (more would reorder an aggregate's
# events) and applies a new retention. With the secure broker running (tools/kafka/kafka.sh
# start-secure) the same over mutual TLS and over SASL_SSL with SCRAM-SHA-512; skipped otherwise.
# Its topics are test.* (tools/kafka/kafka.sh prune) and deleted at the end.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
home=${PARKLINE_HOME:-$repo/.parkline}
lib=$home/kafka/lib
secure=${PARKLINE_KAFKA_SECURE_HOME:-$home/kafka-secure}
tool=$repo/tools/helm/helm.sh
work=$(mktemp -d)
topic=test.helmjob.$$.$RANDOM
cleanup() {
  "$work/bin/kafka-topics.sh" --bootstrap-server 127.0.0.1:9092 --delete --if-exists --topic "$topic" \
    >/dev/null 2>&1 || true
  if [ -f "$secure/admin.properties" ]; then
    "$work/bin/kafka-topics.sh" --bootstrap-server 127.0.0.1:9192 --command-config "$secure/admin.properties" \
      --delete --if-exists --topic "$topic.tls|$topic.sasl" >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
passed=0
failed=0
ok() { echo "topics job: ok   $*"; passed=$((passed + 1)); }
bad() { echo "topics job: FAIL $*"; failed=$((failed + 1)); }

[ -d "$lib" ] || "$repo/tools/kafka/kafka.sh" fetch
mkdir -p "$work/bin" "$work/tmp"
for pair in kafka-topics.sh:org.apache.kafka.tools.TopicCommand kafka-configs.sh:kafka.admin.ConfigCommand; do
  cat >"$work/bin/${pair%%:*}" <<EOF
#!/bin/sh
exec java -Xmx256m -cp "$lib/*" -Dlog4j2.configurationFile=$repo/tools/kafka/log4j2.yaml \\
  -Dkafka.logs.dir=$work/tmp ${pair#*:} "\$@"
EOF
  chmod +x "$work/bin/${pair%%:*}"
done

"$tool" helm template parkline "$repo/helm/parkline" -n park \
  -f "$repo/helm/parkline/ci/sqlite-development.yaml" --show-only templates/kafka-topics.yaml \
  >"$work/job.yaml" 2>/dev/null
# The image's paths, moved into this test's folder.
"$tool" chartcheck job-script "$work/job.yaml" |
  sed -e "s#/tmp/#$work/tmp/#g" -e "s#/opt/kafka/bin#$work/bin#g" >"$work/job.sh"
grep -q 'kafka-topics.sh' "$work/job.sh" || { echo "no topic script rendered" >&2; exit 1; }

# describe BOOTSTRAP [CONFIG] TOPIC: "partitions retention.ms"
describe() {
  local bootstrap=$1 name=${*: -1} extra=()
  [ $# -eq 3 ] && extra=(--command-config "$2")
  "$work/bin/kafka-topics.sh" --bootstrap-server "$bootstrap" "${extra[@]}" --describe --topic "$name" 2>/dev/null |
    sed -nE 's/.*PartitionCount: ([0-9]+).*retention\.ms=([0-9]+).*/\1 \2/p'
}

run_job() { env "$@" REPLICATION_FACTOR=1 bash -e "$work/job.sh" >"$work/out" 2>&1; }

# PLAINTEXT, as the development walk-through.
if run_job PARKLINE_KAFKA_BROKERS=127.0.0.1:9092 PARKLINE_KAFKA_SECURITY_PROTOCOL=PLAINTEXT \
  TOPICS="$topic 2 3600000"; then
  got=$(describe 127.0.0.1:9092 "$topic")
  [ "$got" = "2 3600000" ] && ok "creates $topic: 2 partitions, retention 1 h" || bad "created $topic as '$got'"
else
  bad "first run"
  cat "$work/out"
fi
if run_job PARKLINE_KAFKA_BROKERS=127.0.0.1:9092 PARKLINE_KAFKA_SECURITY_PROTOCOL=PLAINTEXT \
  TOPICS="$topic 4 1800000"; then
  got=$(describe 127.0.0.1:9092 "$topic")
  [ "$got" = "2 1800000" ] && ok "a second run keeps 2 partitions, sets retention 30 min" || bad "after the second run: '$got'"
else
  bad "second run"
  cat "$work/out"
fi

if [ -f "$secure/broker.pid" ] && kill -0 "$(cat "$secure/broker.pid")" 2>/dev/null; then
  if run_job PARKLINE_KAFKA_BROKERS=127.0.0.1:9192 PARKLINE_KAFKA_SECURITY_PROTOCOL=SSL \
    PARKLINE_KAFKA_CA_FILE="$secure/certs/ca.pem" PARKLINE_KAFKA_CERT_FILE="$secure/certs/client.pem" \
    PARKLINE_KAFKA_KEY_FILE="$secure/certs/client.key" TOPICS="$topic.tls 1 3600000"; then
    ok "mutual TLS"
  else
    bad "mutual TLS"
    cat "$work/out"
  fi
  if run_job PARKLINE_KAFKA_BROKERS=127.0.0.1:9193 PARKLINE_KAFKA_SECURITY_PROTOCOL=SASL_SSL \
    PARKLINE_KAFKA_CA_FILE="$secure/certs/ca.pem" PARKLINE_KAFKA_SASL_MECHANISM=SCRAM-SHA-512 \
    PARKLINE_KAFKA_SASL_USERNAME=parkline PARKLINE_KAFKA_SASL_PASSWORD_FILE="$secure/password" \
    TOPICS="$topic.sasl 1 3600000"; then
    ok "SASL_SSL with SCRAM-SHA-512"
  else
    bad "SASL_SSL with SCRAM-SHA-512"
    cat "$work/out"
  fi
else
  echo "topics job: the secure broker is not running: TLS and SASL skipped (tools/kafka/kafka.sh start-secure)"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
