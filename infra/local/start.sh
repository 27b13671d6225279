#!/usr/bin/env bash
# Starts the local infrastructure (whatever is not running yet; never a second instance).
# Usage: infra/local/start.sh [mariadb|redis|kafka|all]...      (default: all)
# Needs infra/local/install.sh to have run. Data, logs, pid files: .local/{data,log,run}.
set -euo pipefail

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
# shellcheck source=env.sh
. "$REPO_ROOT/infra/local/env.sh"
# shellcheck source=lib.sh
. "$REPO_ROOT/infra/local/lib.sh"

# readiness limits in seconds (overridable, e.g. for a slow machine)
MARIADB_READY_S=${MARIADB_READY_S:-30}
REDIS_READY_S=${REDIS_READY_S:-30}
KAFKA_READY_S=${KAFKA_READY_S:-60}

# fail_start COMPONENT SECONDS LOG PID [DETAIL]: stop what this run started, report, exit 1
fail_start() {
  terminate "$4"
  rm -f "$RUN_DIR/$1.pid"
  fail_ready "$1" "$2" "$3" "${5:+$5; }stopped what this start launched (pid $4)"
}

need() {
  local cmd
  for cmd in "$@"; do
    command -v "$cmd" >/dev/null 2>&1 || die "'$cmd' not found; run infra/local/install.sh first"
  done
}

# refuse to start next to a foreign process that holds one of our ports
port_free_or_die() {
  local component=$1 var=$2 port=${!2}
  if port_open "$port"; then
    die "$component: port $port is taken by $(describe_port "$port"), not by this checkout's infra/local; stop it or set $var"
  fi
}

# ------------------------------------------------------------------------------------------ MariaDB
sql_string() { # quote a value as a SQL string literal
  local s=${1//\\/\\\\}
  printf "'%s'" "${s//\'/\'\'}"
}

mariadb_setup() {
  local admin db user_lit pass_lit host sql=""
  admin=$(mariadb_admin_user)
  user_lit=$(sql_string "$DB_USER")
  pass_lit=$(sql_string "$DB_PASSWORD")
  for db in $MARIADB_DATABASES; do
    sql+="CREATE DATABASE IF NOT EXISTS \`$db\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;"
    sql+="CREATE DATABASE IF NOT EXISTS \`${db}_test\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;"
  done
  for host in 127.0.0.1 localhost; do
    sql+="CREATE USER IF NOT EXISTS $user_lit@'$host' IDENTIFIED BY $pass_lit;"
    sql+="ALTER USER $user_lit@'$host' IDENTIFIED BY $pass_lit;"
    sql+="GRANT ALL PRIVILEGES ON \`relationship\\_%\`.* TO $user_lit@'$host';"
  done
  if ! mariadb --defaults-file="$MARIADB_CNF" -u"$admin" -e "$sql" >>"$MARIADB_LOG" 2>&1; then
    tail -n 30 "$MARIADB_LOG" >&2
    die "mariadb: creating databases/user as '$admin' over the socket failed; log: $MARIADB_LOG"
  fi
  # prove the application's way in: TCP, user/password
  if ! MYSQL_PWD=$DB_PASSWORD mariadb --no-defaults --protocol=TCP -h "$DB_HOST" -P "$MARIADB_PORT" \
    -u"$DB_USER" -e "USE \`relationship_identity_test\`; SELECT 1" >/dev/null 2>>"$MARIADB_LOG"; then
    tail -n 30 "$MARIADB_LOG" >&2
    die "mariadb: $DB_USER@$DB_HOST:$MARIADB_PORT cannot log in; log: $MARIADB_LOG"
  fi
}

mariadb_ping() {
  mariadb-admin --defaults-file="$MARIADB_CNF" -u"$(mariadb_admin_user)" --connect-timeout=2 ping >/dev/null 2>&1
}

start_mariadb() {
  local pid t deadline
  need mariadbd mariadb-install-db mariadb-admin mariadb
  mkdir -p "$DATA_DIR" "$RUN_DIR" "$LOG_DIR" "$CONF_DIR"
  ((${#MARIADB_SOCKET} < 100)) || die "mariadb: socket path too long for a unix socket: $MARIADB_SOCKET"
  render "$INFRA_DIR/mariadb/my.cnf.in" "$MARIADB_CNF"

  if pid=$(component_pid mariadb); then
    mariadb_ping || die "mariadb: running (pid $pid) but not answering on $MARIADB_SOCKET; see $MARIADB_LOG"
    mariadb_setup
    log "mariadb: already running (pid $pid, port $MARIADB_PORT)"
    return
  fi
  port_free_or_die mariadb MARIADB_PORT
  t=$(now_ms)
  rm -f "$MARIADB_SOCKET" "$MARIADB_PIDFILE"
  rotate_log "$MARIADB_LOG"
  if [[ ! -d $DATA_DIR/mariadb/mysql ]]; then
    log "mariadb: initialising $DATA_DIR/mariadb"
    rm -rf "$DATA_DIR/mariadb.init"
    # into a scratch dir first, so an interrupted init never leaves a half-made data dir behind
    if ! mariadb-install-db --defaults-file="$MARIADB_CNF" --datadir="$DATA_DIR/mariadb.init" \
      --user="$(run_user)" --skip-test-db --auth-root-authentication-method=socket \
      >"$LOG_DIR/mariadb-install.log" 2>&1; then
      tail -n 30 "$LOG_DIR/mariadb-install.log" >&2
      die "mariadb: mariadb-install-db failed; log: $LOG_DIR/mariadb-install.log"
    fi
    rm -rf "$DATA_DIR/mariadb"
    mv "$DATA_DIR/mariadb.init" "$DATA_DIR/mariadb"
  fi
  setsid nohup mariadbd --defaults-file="$MARIADB_CNF" --user="$(run_user)" \
    >>"$MARIADB_LOG" 2>&1 </dev/null 9>&- &
  pid=$!
  echo "$pid" >"$MARIADB_PIDFILE"
  deadline=$((SECONDS + MARIADB_READY_S))
  until mariadb_ping; do
    proc_alive "$pid" || fail_start mariadb "$MARIADB_READY_S" "$MARIADB_LOG" "$pid" "mariadbd (pid $pid) exited"
    ((SECONDS < deadline)) || fail_start mariadb "$MARIADB_READY_S" "$MARIADB_LOG" "$pid"
    sleep 0.2
  done
  mariadb_setup
  log "mariadb: started (pid $pid, port $MARIADB_PORT, $(elapsed "$t"))"
}

# ------------------------------------------------------------------------------------------ Redis
redis_ping() { [[ $(redis_cli ping 2>/dev/null) == PONG ]]; }

start_redis() {
  local pid t deadline
  need redis-server redis-cli
  mkdir -p "$DATA_DIR/redis" "$RUN_DIR" "$LOG_DIR"
  if pid=$(component_pid redis); then
    redis_ping || die "redis: running (pid $pid) but not answering PING on port $REDIS_PORT; see $REDIS_LOG"
    log "redis: already running (pid $pid, port $REDIS_PORT)"
    return
  fi
  port_free_or_die redis REDIS_PORT
  t=$(now_ms)
  rm -f "$REDIS_PIDFILE"
  rotate_log "$REDIS_LOG"
  # no persistence: a cache/queue for development and tests. stdout/stderr (errors before it
  # daemonizes) go to the same log redis-server then writes itself.
  # shellcheck disable=SC2094
  if ! redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --save '' --appendonly no \
    --dir "$DATA_DIR/redis" --pidfile "$REDIS_PIDFILE" --logfile "$REDIS_LOG" >>"$REDIS_LOG" 2>&1 </dev/null 9>&-; then
    fail_ready redis "$REDIS_READY_S" "$REDIS_LOG" "redis-server failed to start"
  fi
  deadline=$((SECONDS + REDIS_READY_S))
  until redis_ping && pid=$(component_pid redis); do
    if ((SECONDS >= deadline)); then
      pid=$(tr -dc '0-9' <"$REDIS_PIDFILE" 2>/dev/null || true)
      [[ -n $pid ]] && pid_is "$pid" redis-server && terminate "$pid"
      rm -f "$REDIS_PIDFILE"
      fail_ready redis "$REDIS_READY_S" "$REDIS_LOG"
    fi
    sleep 0.1
  done
  log "redis: started (pid $pid, port $REDIS_PORT, $(elapsed "$t"))"
}

# ------------------------------------------------------------------------------------------ Kafka
start_kafka() {
  local pid t deadline
  need java
  compgen -G "$KAFKA_LIBS/kafka_2.13-*.jar" >/dev/null || die "kafka: no jars in $KAFKA_LIBS; run infra/local/install.sh first"
  mkdir -p "$DATA_DIR/kafka" "$RUN_DIR" "$LOG_DIR" "$KAFKA_CONF_DIR"
  render "$INFRA_DIR/kafka/server.properties.in" "$KAFKA_PROPERTIES"
  cp -f "$INFRA_DIR/kafka/log4j2.properties" "$INFRA_DIR/kafka/tools-log4j2.properties" "$KAFKA_CONF_DIR/"

  if pid=$(component_pid kafka); then
    port_open "$KAFKA_PORT" || die "kafka: running (pid $pid) but port $KAFKA_PORT is closed; see $KAFKA_LOG"
    log "kafka: already running (pid $pid, port $KAFKA_PORT)"
    return
  fi
  port_free_or_die kafka KAFKA_PORT
  port_free_or_die kafka KAFKA_CONTROLLER_PORT
  t=$(now_ms)
  rm -f "$KAFKA_PIDFILE"
  if [[ ! -f $DATA_DIR/kafka/meta.properties ]]; then
    log "kafka: formatting $DATA_DIR/kafka (cluster id $KAFKA_CLUSTER_ID)"
    if ! java -Xmx256m -XX:TieredStopAtLevel=1 -XX:-UsePerfData -Dlog4j2.configurationFile="$KAFKA_CONF_DIR/tools-log4j2.properties" \
      -cp "$KAFKA_LIBS/*" kafka.tools.StorageTool format -t "$KAFKA_CLUSTER_ID" -c "$KAFKA_PROPERTIES" \
      --standalone --ignore-formatted >"$LOG_DIR/kafka-format.log" 2>&1; then
      tail -n 30 "$LOG_DIR/kafka-format.log" >&2
      die "kafka: formatting the storage failed; log: $LOG_DIR/kafka-format.log"
    fi
  fi
  rotate_log "$KAFKA_LOG"
  setsid nohup java -Xms256m -Xmx512m -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:-UsePerfData -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="$KAFKA_CONF_DIR/log4j2.properties" \
    -cp "$KAFKA_LIBS/*" kafka.Kafka "$KAFKA_PROPERTIES" >>"$KAFKA_LOG" 2>&1 </dev/null 9>&- &
  pid=$!
  echo "$pid" >"$KAFKA_PIDFILE"
  # an open port is not enough: wait for the broker to say so
  deadline=$((SECONDS + KAFKA_READY_S))
  until grep -q 'Kafka Server started' "$KAFKA_LOG"; do
    proc_alive "$pid" || fail_start kafka "$KAFKA_READY_S" "$KAFKA_LOG" "$pid" "the broker (pid $pid) exited"
    ((SECONDS < deadline)) || fail_start kafka "$KAFKA_READY_S" "$KAFKA_LOG" "$pid"
    sleep 0.2
  done
  log "kafka: broker up (pid $pid, port $KAFKA_PORT, $(elapsed "$t"))"
  # and prove it works: create a topic, round-trip a message
  if ! "$INFRA_DIR/kafka-roundtrip.sh" 9>&-; then
    log "kafka: stopping the broker (pid $pid) after the failed round trip; its log: $KAFKA_LOG"
    terminate "$pid"
    rm -f "$KAFKA_PIDFILE"
    exit 1
  fi
  log "kafka: started (pid $pid, port $KAFKA_PORT, $(elapsed "$t"))"
}

# ------------------------------------------------------------------------------------------ topics
# Every topic of the contracts registry (and its .dlq) before any service starts: the demo's own namespace and the
# test suites' (tests run with KAFKA_TOPIC_PREFIX=test., matching's with test.matching.).
KAFKA_TOPIC_NAMESPACES=${KAFKA_TOPIC_NAMESPACES-" test. test.matching."}
provision_topics() {
  local t ns args=() tool="$REPO_ROOT/dist/tools/kafka-provision/main.js" logfile="$LOG_DIR/kafka-provision.log"
  t=$(now_ms)
  [[ -d $REPO_ROOT/node_modules/nx ]] || die "kafka: topics need the project's node_modules; run 'make up' (or npm ci) first"
  # nx caches the build: after the first time this is a cache hit
  if ! (cd "$REPO_ROOT" && npx nx build kafka-provision --configuration=production --outputStyle=static) >"$LOG_DIR/kafka-provision-build.log" 2>&1; then
    tail -n 30 "$LOG_DIR/kafka-provision-build.log" >&2
    die "kafka: building the topic provisioner failed; log: $LOG_DIR/kafka-provision-build.log"
  fi
  # the default namespace list starts with the empty namespace (the platform's own topics)
  args+=(--namespace '')
  for ns in $KAFKA_TOPIC_NAMESPACES; do args+=(--namespace "$ns"); done
  if ! node "$tool" "${args[@]}" >"$logfile" 2>&1 9>&-; then
    tail -n 30 "$logfile" >&2
    die "kafka: provisioning the topics failed; log: $logfile"
  fi
  log "kafka: $(grep -o '"msg":"topics ready[^"]*"' "$logfile" | sed 's/^"msg":"//;s/"$//') ($(elapsed "$t"))"
}

# ------------------------------------------------------------------------------------------ main
components=$(parse_components "$@")
with_lock
t0=$(now_ms)
for c in $components; do
  "start_$c"
done
[[ " $components " == *" kafka "* ]] && provision_topics
log "start: ${components// /, } ready ($(elapsed "$t0"))"
