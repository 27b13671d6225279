#!/usr/bin/env bash
# Stops the local infrastructure (Kafka, Redis, MariaDB); a no-op for what is not running.
# Usage: infra/local/stop.sh [--purge] [mariadb|redis|kafka|all]...      (default: all)
#   --purge   afterwards delete the stopped components' data (all: the whole .local/data)
set -euo pipefail

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
# shellcheck source=env.sh
. "$REPO_ROOT/infra/local/env.sh"
# shellcheck source=lib.sh
. "$REPO_ROOT/infra/local/lib.sh"

STOP_S=30   # graceful stop, then SIGKILL
KILL_S=10   # after SIGKILL

purge=0
args=()
for a in "$@"; do
  case $a in
    --purge) purge=1 ;;
    -h | --help) sed -n '2,4s/^# \{0,1\}//p' "$0"; exit 0 ;;
    *) args+=("$a") ;;
  esac
done
components=$(parse_components ${args[@]+"${args[@]}"})

# wait_gone PID SECONDS: true once PID has exited
wait_gone() {
  local pid=$1 deadline=$((SECONDS + $2))
  while proc_alive "$pid"; do
    ((SECONDS < deadline)) || return 1
    sleep 0.2
  done
}

# stop_component NAME [graceful command...]: graceful stop (default SIGTERM), bounded wait, SIGKILL
stop_component() {
  local name=$1 pid t pidfile
  shift
  pidfile="$RUN_DIR/$name.pid"
  if ! pid=$(component_pid "$name"); then
    rm -f "$pidfile"
    log "$name: not running"
    return
  fi
  t=$(now_ms)
  if (($#)); then
    "$@" >/dev/null 2>&1 || kill -TERM "$pid" 2>/dev/null || true
  else
    kill -TERM "$pid" 2>/dev/null || die "$name: cannot signal pid $pid (owned by another user?)"
  fi
  if ! wait_gone "$pid" "$STOP_S"; then
    warn "$name (pid $pid) still running after ${STOP_S}s; sending SIGKILL (log: $(component_log "$name"))"
    kill -KILL "$pid" 2>/dev/null || true
    wait_gone "$pid" "$KILL_S" || die "$name (pid $pid) survived SIGKILL for ${KILL_S}s"
  fi
  rm -f "$pidfile"
  log "$name: stopped (pid $pid, $(elapsed "$t"))"
}

with_lock
# reverse start order: the broker first, the database last
for c in kafka redis mariadb; do
  [[ " $components " == *" $c "* ]] || continue
  case $c in
    kafka) stop_component kafka ;;
    redis) stop_component redis redis_cli shutdown nosave ;;
    mariadb)
      stop_component mariadb
      rm -f "$MARIADB_SOCKET"
      ;;
  esac
done

if ((purge)); then
  if [[ $components == "$COMPONENTS" ]]; then
    rm -rf "$DATA_DIR"
    log "purged $DATA_DIR"
  else
    for c in $components; do
      rm -rf "${DATA_DIR:?}/$c"
      log "purged $DATA_DIR/$c"
    done
  fi
fi
