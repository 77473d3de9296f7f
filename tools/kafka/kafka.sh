#!/usr/bin/env bash
# A real single-node Apache Kafka (KRaft: broker and controller in one JVM) for development and
# for every integration and end-to-end test. The jars come from Maven Central through
# tools/kafka/pom.xml; nothing else is downloaded.
#
#   tools/kafka/kafka.sh fetch   copy Kafka and its dependencies into $KAFKA_HOME/lib
#   tools/kafka/kafka.sh start   format storage (first time), start in the background, wait until
#                                it answers, create the topics in topics.txt
#   tools/kafka/kafka.sh stop    stop it cleanly (SIGTERM, then wait)
#   tools/kafka/kafka.sh status  exit 0 when it is running and answers
#   tools/kafka/kafka.sh topic NAME PARTITIONS   create one more topic (idempotent)
#   tools/kafka/kafka.sh start-secure   a SECOND broker, for the TLS/SASL tests (never touches the
#                                first): SSL with client certificates required on
#                                127.0.0.1:$KAFKA_SECURE_SSL_PORT (9192), SASL_SSL (SCRAM-SHA-512 and PLAIN,
#                                user "parkline") on $KAFKA_SECURE_SASL_PORT (9193); its own data,
#                                certificates and password in $PARKLINE_HOME/kafka-secure/
#   tools/kafka/kafka.sh stop-secure | status-secure
#   tools/kafka/kafka.sh prune   delete the topics tests and benchmarks made (test.*, e2e<N>.*):
#                                every run makes its own, and a broker that keeps them all ends
#                                up with more open files (one log per partition) than it may
#                                have ("Too many open files", then it stops answering).
#                                tools/dev test runs it first.
#
# Environment: PARKLINE_HOME (default <repo>/.parkline), KAFKA_PORT (9092),
# KAFKA_CONTROLLER_PORT (9093), KAFKA_INSTANCE_DIR (default $PARKLINE_HOME/kafka: the broker's
# data, logs, pid file and configuration; the jars stay in $PARKLINE_HOME/kafka/lib). A second
# broker beside the shared one (the chaos suite's, which it stops and starts) takes other ports
# and another instance folder. For the secure broker: KAFKA_SECURE_SSL_PORT (9192),
# KAFKA_SECURE_SASL_PORT (9193), KAFKA_SECURE_CONTROLLER_PORT (9194).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
home=${PARKLINE_HOME:-$repo/.parkline}
lib=$home/kafka/lib
kafka_home=${KAFKA_INSTANCE_DIR:-$home/kafka}
data=$kafka_home/data
logs=$kafka_home/logs
pidfile=$kafka_home/broker.pid
port=${KAFKA_PORT:-9092}
cport=${KAFKA_CONTROLLER_PORT:-9093}
bootstrap=127.0.0.1:$port

say() { echo "kafka: $*" >&2; }

java_cp() { echo "$lib/*"; }

fetch() {
  if [ -f "$lib/.complete" ] && cmp -s "$here/pom.xml" "$lib/.complete"; then return 0; fi
  command -v mvn >/dev/null || { say "mvn not found (apt-get install maven)"; exit 1; }
  say "fetching Apache Kafka from Maven Central into $lib"
  rm -rf "$lib"
  mkdir -p "$kafka_home"
  mkdir -p "$lib"
  if ! mvn -B -Dstyle.color=never -f "$here/pom.xml" dependency:copy-dependencies \
    -DoutputDirectory="$lib" -DincludeScope=runtime >"$kafka_home/fetch.log" 2>&1; then
    tail -n 30 "$kafka_home/fetch.log" >&2
    say "fetch failed; see $kafka_home/fetch.log"
    exit 1
  fi
  cp "$here/pom.xml" "$lib/.complete"
}

running() { [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; }

topics_cmd() {
  java -Xmx256m -cp "$(java_cp)" -Dlog4j2.configurationFile="$here/log4j2.yaml" \
    -Dkafka.logs.dir="$logs" org.apache.kafka.tools.TopicCommand --bootstrap-server "$bootstrap" "$@"
}

answers() { topics_cmd --list >/dev/null 2>&1; }

write_config() {
  mkdir -p "$data" "$logs"
  cat >"$kafka_home/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$cport
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$cport
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$data
num.partitions=3
auto.create.topics.enable=false
offsets.topic.replication.factor=1
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
log.retention.hours=168
PROPS
}

# Topics of tests (testing::UniqueTopic: "test.<name>.<random>") and of e2e runs (a
# PARKLINE_TOPIC_PREFIX of "e2e<random>."); the park's own topics are parkline.*.
prune() {
  local before
  before=$(partitions)
  topics_cmd --delete --if-exists --topic 'test\..*|e2e[0-9]+\..*' >/dev/null
  say "deleted the test topics ($before partition folders before; Kafka removes them within a minute)"
}

partitions() { find "$data" -mindepth 1 -maxdepth 1 -type d 2>/dev/null | wc -l; }

create_topic() {
  topics_cmd --create --if-not-exists --topic "$1" --partitions "$2" --replication-factor 1 >/dev/null
}

# The park's topics that the broker lacks (one listing, then one create per missing topic): also on
# a broker that was already running, so that a topic added to topics.txt exists after the next start.
ensure_topics() {
  local have
  have=$(topics_cmd --list 2>/dev/null || true)
  grep -v '^#' "$here/topics.txt" | while read -r name partitions; do
    [ -n "$name" ] || continue
    grep -qxF "$name" <<<"$have" || create_topic "$name" "$partitions"
  done
}

start() {
  if running && answers; then
    ensure_topics
    say "already running on $bootstrap"
    return 0
  fi
  fetch
  write_config
  if [ ! -f "$data/meta.properties" ]; then
    local cluster_id
    cluster_id=$(java -cp "$(java_cp)" kafka.tools.StorageTool random-uuid)
    java -cp "$(java_cp)" -Dlog4j2.configurationFile="$here/log4j2.yaml" -Dkafka.logs.dir="$logs" \
      kafka.tools.StorageTool format -t "$cluster_id" -c "$kafka_home/server.properties" >/dev/null
  fi
  say "starting on $bootstrap (logs: $logs)"
  nohup java -Xms256m -Xmx1g -XX:+UseG1GC -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="$here/log4j2.yaml" -Dkafka.logs.dir="$logs" \
    -cp "$(java_cp)" kafka.Kafka "$kafka_home/server.properties" \
    >"$logs/stdout.log" 2>&1 </dev/null &
  echo $! >"$pidfile"
  for _ in $(seq 1 120); do
    if answers; then break; fi
    running || { say "broker exited; see $logs"; tail -n 30 "$logs/stdout.log" "$logs/broker.log" >&2 || true; exit 1; }
    sleep 1
  done
  answers || { say "broker did not answer within 120 s"; exit 1; }
  ensure_topics
  local n
  n=$(partitions)
  if [ "$n" -gt 5000 ]; then
    say "$n partitions on this broker, each an open log: tools/kafka/kafka.sh prune deletes the test topics"
  fi
  say "ready on $bootstrap"
}

stop() {
  running || { rm -f "$pidfile"; return 0; }
  local pid
  pid=$(cat "$pidfile")
  kill -TERM "$pid"
  for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
  if kill -0 "$pid" 2>/dev/null; then say "did not stop in 60 s, killing"; kill -KILL "$pid"; fi
  rm -f "$pidfile"
  say "stopped"
}

# --- The secure broker: a second KRaft node with TLS and SASL listeners only ------------------
# Certificates are PEM files made with openssl (Kafka reads PEM key and trust stores itself, so
# no keytool). The SCRAM credential is written into the metadata log at format time
# (StorageTool --add-scram), the KRaft way: no ZooKeeper, no running broker needed for it.
secure_home=$home/kafka-secure
secure_data=$secure_home/data
secure_logs=$secure_home/logs
secure_pidfile=$secure_home/broker.pid
secure_ssl_port=${KAFKA_SECURE_SSL_PORT:-9192}
secure_sasl_port=${KAFKA_SECURE_SASL_PORT:-9193}
secure_cport=${KAFKA_SECURE_CONTROLLER_PORT:-9194}
certs=$secure_home/certs

secure_running() { [ -f "$secure_pidfile" ] && kill -0 "$(cat "$secure_pidfile")" 2>/dev/null; }

# A CA, the broker's certificate (SAN 127.0.0.1 and localhost), a client certificate, and a
# second CA that signed nothing the broker trusts (for "unknown CA" tests). Keys are unencrypted
# PKCS#8, readable only by their owner.
make_certs() {
  [ -f "$certs/client.key" ] && return 0
  mkdir -p "$certs"
  chmod 700 "$certs"
  local days=3650
  for ca in ca other-ca; do
    openssl req -x509 -newkey rsa:2048 -nodes -days $days -subj "/CN=parkline-dev-$ca" \
      -keyout "$certs/$ca.key" -out "$certs/$ca.pem" 2>/dev/null
  done
  for who in broker client; do
    openssl req -newkey rsa:2048 -nodes -subj "/CN=parkline-$who" \
      -keyout "$certs/$who.key" -out "$certs/$who.csr" 2>/dev/null
    printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' >"$certs/$who.ext"
    openssl x509 -req -in "$certs/$who.csr" -CA "$certs/ca.pem" -CAkey "$certs/ca.key" \
      -CAcreateserial -days $days -extfile "$certs/$who.ext" -out "$certs/$who.pem" 2>/dev/null
    rm -f "$certs/$who.csr" "$certs/$who.ext"
  done
  cat "$certs/broker.key" "$certs/broker.pem" >"$certs/broker-keystore.pem"
  chmod 600 "$certs"/*.key "$certs/broker-keystore.pem"
}

secure_config() {
  mkdir -p "$secure_data" "$secure_logs"
  local password
  password=$(cat "$secure_home/password")
  cat >"$secure_home/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$secure_cport
listeners=SSL://127.0.0.1:$secure_ssl_port,SASL_SSL://127.0.0.1:$secure_sasl_port,CONTROLLER://127.0.0.1:$secure_cport
advertised.listeners=SSL://127.0.0.1:$secure_ssl_port,SASL_SSL://127.0.0.1:$secure_sasl_port
controller.listener.names=CONTROLLER
inter.broker.listener.name=SSL
listener.security.protocol.map=CONTROLLER:PLAINTEXT,SSL:SSL,SASL_SSL:SASL_SSL
ssl.keystore.type=PEM
ssl.keystore.location=$certs/broker-keystore.pem
ssl.truststore.type=PEM
ssl.truststore.location=$certs/ca.pem
ssl.client.auth=required
listener.name.sasl_ssl.ssl.client.auth=none
sasl.enabled.mechanisms=SCRAM-SHA-512,PLAIN
listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
listener.name.sasl_ssl.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required user_parkline="$password";
log.dirs=$secure_data
num.partitions=3
auto.create.topics.enable=false
offsets.topic.replication.factor=1
offsets.topic.num.partitions=3
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
log.retention.hours=24
PROPS
  chmod 600 "$secure_home/server.properties"
  cat >"$secure_home/admin.properties" <<PROPS
security.protocol=SSL
ssl.keystore.type=PEM
ssl.keystore.location=$certs/client-keystore.pem
ssl.truststore.type=PEM
ssl.truststore.location=$certs/ca.pem
PROPS
  cat "$certs/client.key" "$certs/client.pem" >"$certs/client-keystore.pem"
  chmod 600 "$certs/client-keystore.pem"
  (umask 077; cat >"$secure_home/scram.properties" <<PROPS
security.protocol=SASL_SSL
ssl.truststore.type=PEM
ssl.truststore.location=$certs/ca.pem
sasl.mechanism=SCRAM-SHA-512
sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="parkline" password="$password";
PROPS
  )
}

secure_topics_cmd() {
  java -Xmx256m -cp "$(java_cp)" -Dlog4j2.configurationFile="$here/log4j2.yaml" \
    -Dkafka.logs.dir="$secure_logs" org.apache.kafka.tools.TopicCommand \
    --bootstrap-server "127.0.0.1:$secure_ssl_port" --command-config "$secure_home/admin.properties" "$@"
}

secure_answers() { secure_topics_cmd --list >/dev/null 2>&1; }

start_secure() {
  if secure_running && secure_answers; then say "secure broker already running"; return 0; fi
  fetch
  mkdir -p "$secure_home"
  chmod 700 "$secure_home"
  [ -f "$secure_home/password" ] || (umask 077; openssl rand -hex 16 >"$secure_home/password")
  make_certs
  secure_config
  if [ ! -f "$secure_data/meta.properties" ]; then
    local cluster_id
    cluster_id=$(java -cp "$(java_cp)" kafka.tools.StorageTool random-uuid)
    java -cp "$(java_cp)" -Dlog4j2.configurationFile="$here/log4j2.yaml" -Dkafka.logs.dir="$secure_logs" \
      kafka.tools.StorageTool format -t "$cluster_id" -c "$secure_home/server.properties" \
      --add-scram "SCRAM-SHA-512=[name=parkline,password=\"$(cat "$secure_home/password")\"]" >/dev/null
  fi
  say "starting the secure broker: SSL 127.0.0.1:$secure_ssl_port, SASL_SSL 127.0.0.1:$secure_sasl_port (logs: $secure_logs)"
  nohup java -Xms128m -Xmx512m -XX:+UseG1GC -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="$here/log4j2.yaml" -Dkafka.logs.dir="$secure_logs" \
    -cp "$(java_cp)" kafka.Kafka "$secure_home/server.properties" \
    >"$secure_logs/stdout.log" 2>&1 </dev/null &
  echo $! >"$secure_pidfile"
  for _ in $(seq 1 120); do
    if secure_answers; then break; fi
    secure_running || { say "secure broker exited; see $secure_logs"; tail -n 30 "$secure_logs/stdout.log" >&2 || true; exit 1; }
    sleep 1
  done
  secure_answers || { say "secure broker did not answer within 120 s"; exit 1; }
  # The broker's side of SCRAM, checked with Kafka's own client: librdkafka before 2.6.1 is
  # refused by Kafka 4 whatever the broker holds (its nonce, librdkafka#4895), so a refused
  # login there says nothing about this credential.
  java -Xmx256m -cp "$(java_cp)" -Dlog4j2.configurationFile="$here/log4j2.yaml" \
    -Dkafka.logs.dir="$secure_logs" org.apache.kafka.tools.TopicCommand \
    --bootstrap-server "127.0.0.1:$secure_sasl_port" --command-config "$secure_home/scram.properties" \
    --list >/dev/null 2>"$secure_logs/scram-check.log" ||
    { say "SCRAM-SHA-512 login of user parkline refused; see $secure_logs/scram-check.log"; exit 1; }
  say "secure broker ready; files for clients in $secure_home (certs/, password)"
}

stop_secure() {
  secure_running || { rm -f "$secure_pidfile"; return 0; }
  local pid
  pid=$(cat "$secure_pidfile")
  kill -TERM "$pid"
  for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
  if kill -0 "$pid" 2>/dev/null; then say "secure broker did not stop in 60 s, killing"; kill -KILL "$pid"; fi
  rm -f "$secure_pidfile"
  say "secure broker stopped"
}

case "${1:-}" in
  fetch) fetch ;;
  start) start ;;
  stop) stop ;;
  status) running && answers ;;
  topic) create_topic "$2" "$3" ;;
  prune) prune ;;
  start-secure) start_secure ;;
  stop-secure) stop_secure ;;
  status-secure) secure_running && secure_answers ;;
  secure-topic) secure_topics_cmd --create --if-not-exists --topic "$2" --partitions "$3" --replication-factor 1 >/dev/null ;;
  *) echo "usage: $0 fetch|start|stop|status|prune|topic NAME PARTITIONS|start-secure|stop-secure|status-secure|secure-topic NAME PARTITIONS" >&2; exit 2 ;;
esac
