#!/usr/bin/env bash
# Runs the built services (dist/services/*/main.js) as background processes, as `make up` does.
# Usage: infra/local/services.sh start|stop|status|restart NAME
# Logs: .local/log/services/<name>.log   pids: .local/run/services/<name>.pid
set -euo pipefail

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
# shellcheck source=env.sh
. "$REPO_ROOT/infra/local/env.sh"
# shellcheck source=lib.sh
. "$REPO_ROOT/infra/local/lib.sh"
# shellcheck source=services.list
. "$REPO_ROOT/infra/local/services.list"

SERVICE_LOG_DIR="$LOCAL_DIR/log/services"
SERVICE_RUN_DIR="$LOCAL_DIR/run/services"
JWT_KEY_FILE="$CONF_DIR/jwt-private.pem"
READY_S=${SERVICES_READY_S:-90}

log() { printf '[services] %s\n' "$*"; }
die() { printf '[services] ERROR: %s\n' "$*" >&2; exit 1; }

port_of() {
  local entry
  for entry in "${SERVICES[@]}"; do [[ ${entry%%:*} == "$1" ]] && { echo "${entry##*:}"; return; }; done
}

pid_alive() { [[ -f $1 ]] && kill -0 "$(cat "$1")" 2>/dev/null; }

# The file a service runs: dist/services/<name>/main.js, but for the portal and the worker.
main_of() {
  case $1 in
    portal) echo "$REPO_ROOT/frontend/portal/serve.mjs" ;;
    matching-worker) echo "$REPO_ROOT/dist/services/matching/worker.js" ;;
    *) echo "$REPO_ROOT/dist/services/$1/main.js" ;;
  esac
}

# The service's pid when its pid file names a live process running that service's file; a pid file left by a
# process that is gone (or whose pid now belongs to something else) is stale: removed, and nothing is printed.
service_pid() {
  local name=$1 pidfile="$SERVICE_RUN_DIR/$1.pid" pid
  [[ -f $pidfile ]] || return 1
  pid=$(cat "$pidfile")
  if kill -0 "$pid" 2>/dev/null && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF "$(main_of "$name")"; then
    echo "$pid"
    return 0
  fi
  rm -f "$pidfile"
  return 1
}

# Written once the demo seed went through; it lives with the database files, so a purge seeds again.
SEED_MARKER="$DATA_DIR/mariadb/demo-seeded"

# The access-token key pair, generated once for this checkout (kept across `make down`/`make up`) before any
# service starts: identity alone gets the private key, every service the public JWKS.
JWT_PRIVATE_KEY_VALUE=""
JWT_PUBLIC_KEYS_VALUE=""

# The environment of one service in the local demo deployment.
service_env() {
  local name=$1
  printf '%s\n' \
    "NODE_ENV=development" "DEMO_MODE=true" "LOG_LEVEL=${LOG_LEVEL:-info}" "HOST=127.0.0.1" \
    "PORT=$(port_of "$name")" "JWT_PUBLIC_KEYS=$JWT_PUBLIC_KEYS_VALUE" \
    "KAFKA_BROKERS=$KAFKA_BROKERS" "REDIS_URL=$REDIS_URL" \
    "DATABASE_URL=mysql://$DB_USER:$DB_PASSWORD@$DB_HOST:$DB_PORT/relationship_${name%-worker}"
  [[ $name == identity ]] && printf '%s\n' "JWT_PRIVATE_KEY=$JWT_PRIVATE_KEY_VALUE"
  if [[ $name == portal ]]; then
    printf '%s\n' "PORTAL_PORT=$(port_of portal)" "PORTAL_HOST=127.0.0.1" "GATEWAY_URL=http://127.0.0.1:$(port_of gateway)"
    return
  fi
  if [[ $name == analytics ]]; then
    # the live board's service health and matching's rematch latency come from their own endpoints
    printf 'LIVE_SERVICES=%s\n' "gateway=http://127.0.0.1:$(port_of gateway),identity=http://127.0.0.1:$(port_of identity),profiles=http://127.0.0.1:$(port_of profiles),managers=http://127.0.0.1:$(port_of managers),matching=http://127.0.0.1:$(port_of matching),matching-worker=http://127.0.0.1:$(port_of matching-worker)"
  fi
  if [[ $name == gateway ]]; then
    printf '%s\n' "IDENTITY_URL=http://127.0.0.1:$(port_of identity)" "PROFILES_URL=http://127.0.0.1:$(port_of profiles)" \
      "MANAGERS_URL=http://127.0.0.1:$(port_of managers)" "MATCHING_URL=http://127.0.0.1:$(port_of matching)" \
      "ANALYTICS_URL=http://127.0.0.1:$(port_of analytics)" \
      "CORS_ORIGINS=${CORS_ORIGINS:-http://localhost:4200,http://127.0.0.1:4200}" \
      "AUTH_RATE_LIMIT_PER_MINUTE=${AUTH_RATE_LIMIT_PER_MINUTE:-300}" "RATE_LIMIT_KEY_PREFIX=demo:rl:"
    # Everyone on a demo machine comes from 127.0.0.1, so the per-IP login limit is raised.
  fi
}

wait_ready() {
  local name=$1 port=$2 pidfile=$3 deadline=$((SECONDS + READY_S))
  while ((SECONDS < deadline)); do
    pid_alive "$pidfile" || die "$name exited during start-up; log: $SERVICE_LOG_DIR/$name.log
$(tail -n 20 "$SERVICE_LOG_DIR/$name.log")"
    curl -fsS -o /dev/null "http://127.0.0.1:$port/health/ready" 2>/dev/null && return 0
    sleep 0.5
  done
  die "$name did not become ready within ${READY_S}s; log: $SERVICE_LOG_DIR/$name.log
$(tail -n 20 "$SERVICE_LOG_DIR/$name.log")"
}

start_one() {
  local name=$1 port pidfile main pid
  port=$(port_of "$name")
  pidfile="$SERVICE_RUN_DIR/$name.pid"
  # The portal is static files behind a small Node server that proxies /api to the gateway; the rebalance worker
  # is the matching image's second entry point.
  main=$(main_of "$name")
  if pid=$(service_pid "$name"); then log "$name already running (pid $pid)"; return; fi
  [[ -f $main ]] || die "$main is missing; build first (npx nx run-many -t build)"
  port_open "$port" && die "$name: port $port is taken by $(describe_port "$port")"
  mkdir -p "$SERVICE_LOG_DIR" "$SERVICE_RUN_DIR"
  [[ -f $SERVICE_LOG_DIR/$name.log ]] && mv -f "$SERVICE_LOG_DIR/$name.log" "$SERVICE_LOG_DIR/$name.log.1"
  # env -i: the service sees only its declared environment, as in a container.
  mapfile -t vars < <(service_env "$name")
  setsid nohup env -i PATH="$PATH" "${vars[@]}" node "$main" >"$SERVICE_LOG_DIR/$name.log" 2>&1 </dev/null &
  echo $! >"$pidfile"
  wait_ready "$name" "$port" "$pidfile"
  log "$name ready on http://127.0.0.1:$port (pid $(cat "$pidfile"))"
}

stop_one() {
  local name=$1 pidfile="$SERVICE_RUN_DIR/$1.pid" pid deadline
  pid=$(service_pid "$name") || return 0
  kill -TERM "$pid" 2>/dev/null || true
  deadline=$((SECONDS + 20))
  while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.2; done
  if kill -0 "$pid" 2>/dev/null; then
    log "$name did not stop within 20s; killing"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$pidfile"
  log "$name stopped"
}

load_keys() {
  # one line per variable in service_env: the PEM's line breaks travel as \n (identity reads both)
  JWT_PRIVATE_KEY_VALUE=$(ensure_secret "$JWT_KEY_FILE" node "$REPO_ROOT/infra/local/jwt-keys.mjs" new | awk '{printf "%s\\n", $0}')
  JWT_PUBLIC_KEYS_VALUE=$(node "$REPO_ROOT/infra/local/jwt-keys.mjs" jwks "$JWT_KEY_FILE") ||
    die "$JWT_KEY_FILE holds no usable private key; delete it and run again"
}

case "${1:-}" in
  start)
    t0=$(now_ms)
    load_keys
    # In parallel, each waited for by its own pid (so a quick failure is never missed or miscounted).
    first=(identity profiles managers matching analytics)
    pids=()
    for name in "${first[@]}"; do
      start_one "$name" &
      pids+=($!)
    done
    failed=()
    for i in "${!pids[@]}"; do wait "${pids[i]}" || failed+=("${first[i]}"); done
    if ((${#failed[@]})); then
      for name in "${first[@]}"; do stop_one "$name"; done
      die "failed to start: ${failed[*]} (see the messages above)"
    fi
    start_one matching-worker
    start_one gateway
    start_one portal
    # Demo portraits through the public API, once per database (the seed is idempotent, but slow to repeat).
    if [[ -f $SEED_MARKER ]]; then
      log "demo portraits: already seeded ($SEED_MARKER)"
      log "all services ready ($(elapsed "$t0"))"
      exit 0
    fi
    TSX_TSCONFIG_PATH="$REPO_ROOT/tools/datagen/tsconfig.json" node --import tsx --disable-warning=MODULE_TYPELESS_PACKAGE_JSON \
      "$REPO_ROOT/tools/datagen/src/seed-demo.mts" \
      --gateway="http://127.0.0.1:$(port_of gateway)" >"$SERVICE_LOG_DIR/seed-demo.log" 2>&1 ||
      die "demo seed failed; log: $SERVICE_LOG_DIR/seed-demo.log
$(tail -n 5 "$SERVICE_LOG_DIR/seed-demo.log")"
    log "demo portraits: $(tail -n 1 "$SERVICE_LOG_DIR/seed-demo.log")"
    date -u +%FT%TZ >"$SEED_MARKER"
    log "all services ready ($(elapsed "$t0"))"
    ;;
  stop)
    for ((i = ${#SERVICES[@]} - 1; i >= 0; i--)); do stop_one "${SERVICES[i]%%:*}"; done
    ;;
  status)
    # up = its process runs and /health/ready answers 200; exit 1 unless every service is up.
    down=0
    for entry in "${SERVICES[@]}"; do
      name=${entry%%:*} port=${entry##*:}
      if pid=$(service_pid "$name"); then
        code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 3 "http://127.0.0.1:$port/health/ready" || true)
        if [[ $code == 200 ]]; then
          log "$name up (pid $pid, port $port)"
        else
          log "$name running but not ready (pid $pid, port $port, /health/ready answered ${code:-nothing})"; down=1
        fi
      elif port_open "$port"; then
        log "$name down, but port $port is taken by $(describe_port "$port")"; down=1
      else
        log "$name down"; down=1
      fi
    done
    exit $down
    ;;
  restart)
    name=${2:-}
    [[ -n $name && -n $(port_of "$name") ]] || die "usage: $0 restart NAME (one of: ${SERVICES[*]%%:*})"
    load_keys
    stop_one "$name"
    start_one "$name"
    ;;
  *) die "usage: $0 start|stop|status|restart NAME" ;;
esac
