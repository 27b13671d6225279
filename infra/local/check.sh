#!/usr/bin/env bash
# Prints the status of the local infrastructure and exits non-zero if any component is down.
# Usage: infra/local/check.sh [mariadb|redis|kafka|all]...      (default: all)
# "up" = this checkout's process is alive and its port accepts connections.
set -euo pipefail

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
# shellcheck source=env.sh
. "$REPO_ROOT/infra/local/env.sh"
# shellcheck source=lib.sh
. "$REPO_ROOT/infra/local/lib.sh"

components=$(parse_components "$@")
down=0
for c in $components; do
  port=$(component_port "$c")
  if pid=$(component_pid "$c"); then
    if port_open "$port"; then
      state=up note=""
    else
      state=down note="  (process alive, port closed; log: $(component_log "$c"))"
      down=1
    fi
  else
    pid=-
    state=down note=""
    port_open "$port" && note="  (port in use by a process not started by infra/local)"
    down=1
  fi
  printf '[infra] %-8s %-5s pid %-8s port %s%s\n' "$c" "$state" "$pid" "$port" "$note"
done
exit "$down"
