#!/usr/bin/env bash
# First step of `make up`: every port the local system needs is either free or held by this checkout's own
# process. A port held by anything else (another checkout's copy, a system MariaDB, ...) stops `make up` before
# it changes anything, naming the port and the process.
# Usage: infra/local/preflight.sh
set -euo pipefail

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
# shellcheck source=env.sh
. "$REPO_ROOT/infra/local/env.sh"
# shellcheck source=lib.sh
. "$REPO_ROOT/infra/local/lib.sh"
# shellcheck source=services.list
. "$REPO_ROOT/infra/local/services.list"

log() { printf '[preflight] %s\n' "$*"; }

# ours PID COMPONENT: PID is this checkout's COMPONENT (an infra component or a service of services.list)
ours() {
  local pid=$1 name=$2 own
  case $name in
    mariadb | redis | kafka) own=$(component_pid "$name" 2>/dev/null) || return 1 ;;
    *) own=$(tr -dc '0-9' 2>/dev/null <"$LOCAL_DIR/run/services/$name.pid") || return 1 ;;
  esac
  [[ -n $own && $own == "$pid" ]]
}

taken=()
check() {
  local name=$1 port=$2 pid
  port_open "$port" || return 0
  pid=$(port_holder "$port")
  [[ -n $pid ]] && ours "$pid" "$name" && return 0
  taken+=("port $port ($name) is taken by $(describe_port "$port")")
}

check mariadb "$MARIADB_PORT"
check redis "$REDIS_PORT"
check kafka "$KAFKA_PORT"
check kafka "$KAFKA_CONTROLLER_PORT"
for entry in "${SERVICES[@]}"; do check "${entry%%:*}" "${entry##*:}"; done

if ((${#taken[@]})); then
  printf '[preflight] ERROR: %s\n' "${taken[@]}" >&2
  printf '[preflight] nothing was started or changed; stop that process (another checkout: its `make down`) or choose other ports (MARIADB_PORT, REDIS_PORT, KAFKA_PORT, KAFKA_CONTROLLER_PORT)\n' >&2
  exit 1
fi
log "ports free or already this checkout's"
