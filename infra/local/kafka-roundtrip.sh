#!/usr/bin/env bash
# Proves the local Kafka works end to end with Kafka's own tools (no Node packages needed):
# creates topic infra.healthcheck (if missing), produces a unique message and reads that very
# message back. Retries until KAFKA_ROUNDTRIP_S (default 60) seconds are up, then fails.
# Usage: infra/local/kafka-roundtrip.sh          (start.sh runs it after starting the broker)
set -euo pipefail

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
# shellcheck source=env.sh
. "$REPO_ROOT/infra/local/env.sh"
# shellcheck source=lib.sh
. "$REPO_ROOT/infra/local/lib.sh"

limit=${KAFKA_ROUNDTRIP_S:-60}
rt_log="$LOG_DIR/kafka-roundtrip.log"
out="$RUN_DIR/kafka-roundtrip.out"
mkdir -p "$LOG_DIR" "$RUN_DIR" "$KAFKA_CONF_DIR"
compgen -G "$KAFKA_LIBS/kafka-tools-*.jar" >/dev/null || die "kafka: no kafka-tools jar in $KAFKA_LIBS; run infra/local/install.sh"
cp -f "$INFRA_DIR/kafka/tools-log4j2.properties" "$KAFKA_CONF_DIR/"
: >"$rt_log"

t0=$(now_ms)
deadline=$((SECONDS + limit))
# always this checkout's broker, whatever KAFKA_BROKERS says
bs=(--bootstrap-server "127.0.0.1:$KAFKA_PORT")
topic=$KAFKA_HEALTH_TOPIC

# tool STEP MAIN ARGS...: one Kafka tool run, bounded by the time left; stdout -> $out, stderr -> log
tool() {
  local step=$1 left=$((deadline - SECONDS))
  shift
  ((left > 0)) || return 1
  printf '### %s %s\n' "$(date +%T)" "$step" >>"$rt_log"
  timeout "$left" "${KAFKA_TOOL[@]}" "$@" >"$out" 2>>"$rt_log"
  local rc=$?
  cat "$out" >>"$rt_log"
  ((rc == 0)) || printf '### %s failed (exit %s)\n' "$step" "$rc" >>"$rt_log"
  return "$rc"
}

attempt() {
  local token end got
  # 1. the topic (idempotent); short retention keeps it tiny
  tool "create topic" org.apache.kafka.tools.TopicCommand "${bs[@]}" --create --if-not-exists \
    --topic "$topic" --partitions 1 --replication-factor 1 \
    --config retention.ms=3600000 --config segment.ms=3600000 || return 1
  # 2. produce a unique token (acks=all)
  token="roundtrip-$(date +%s%N)-$$"
  tool "produce $token" org.apache.kafka.tools.ConsoleProducer "${bs[@]}" --topic "$topic" \
    --producer-property acks=all --producer-property delivery.timeout.ms=30000 \
    --producer-property request.timeout.ms=10000 <<<"$token" || return 1
  # 3. where it landed: end offset of partition 0, minus one
  tool "end offset" org.apache.kafka.tools.GetOffsetShell "${bs[@]}" --topic "$topic" --partitions 0 || return 1
  end=$(sed -n "s/^${topic//./\\.}:0:\([0-9][0-9]*\)\$/\1/p" "$out" | tail -n 1)
  if ! [[ $end =~ ^[0-9]+$ ]] || ((end == 0)); then
    echo "### no end offset for $topic:0" >>"$rt_log"
    return 1
  fi
  offset=$((end - 1))
  # 4. read exactly that record back
  tool "consume @$offset" org.apache.kafka.tools.consumer.ConsoleConsumer "${bs[@]}" --topic "$topic" \
    --partition 0 --offset "$offset" --max-messages 1 --timeout-ms 20000 || return 1
  got=$(tr -d '\r' <"$out" | head -n 1)
  [[ $got == "$token" ]] || { echo "### read back '$got', expected '$token'" >>"$rt_log"; return 1; }
}

offset=""
until attempt; do
  ((SECONDS + 2 < deadline)) || {
    rm -f "$out"
    fail_ready "kafka (topic round trip on $topic)" "$limit" "$rt_log"
  }
  sleep 1
done
rm -f "$out"
log "kafka: round trip on $topic ok (offset $offset, $(elapsed "$t0"))"
