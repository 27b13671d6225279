#!/usr/bin/env bash
# `make up`: preflight, install, infrastructure, build, services with demo data. Prints how long it took; on a
# failure, the step that failed, its log and the log's last lines (the step's own message names the component).
# Idempotent: what already runs is kept, what is built is a cache hit.
# Usage: infra/local/up.sh
set -euo pipefail

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
# shellcheck source=env.sh
. "$REPO_ROOT/infra/local/env.sh"
# shellcheck source=lib.sh
. "$REPO_ROOT/infra/local/lib.sh"

UP_LOG_DIR="$LOG_DIR/up"
mkdir -p "$UP_LOG_DIR"
t0=$(now_ms)

log() { printf '[up] %s\n' "$*"; }

# step NAME show|quiet COMMAND...: run one step, its output in $UP_LOG_DIR/NAME.log (and on the terminal if show)
step() {
  local name=$1 mode=$2 logfile="$UP_LOG_DIR/$1.log" t status=0
  shift 2
  t=$(now_ms)
  if [[ $mode == show ]]; then
    "$@" 2>&1 | tee "$logfile" || status=$?
  else
    "$@" >"$logfile" 2>&1 || status=$?
  fi
  if ((status != 0)); then
    {
      printf '[up] ERROR: step "%s" failed after %s (make up ran %s); log: %s\n' "$name" "$(elapsed "$t")" "$(elapsed "$t0")" "$logfile"
      if [[ $mode == quiet ]]; then
        printf -- '----- last 25 lines of %s -----\n' "$logfile"
        tail -n 25 "$logfile"
        printf -- '-----\n'
      fi
    } >&2
    exit "$status"
  fi
  [[ $mode == quiet ]] && log "$name: done ($(elapsed "$t"))"
  return 0
}

make_target() { make --no-print-directory -s "$@"; }

step preflight show bash "$REPO_ROOT/infra/local/preflight.sh"
step install show bash "$REPO_ROOT/infra/local/install.sh"
log "deps: npm ci when package-lock.json changed (a minute or two on a fresh machine)"
step deps quiet make_target deps
step infra show bash "$REPO_ROOT/infra/local/start.sh"
log "build: services and portal (cached after the first time)"
step build quiet make_target build
step services show bash "$REPO_ROOT/infra/local/services.sh" start

cat <<EOF

Relationship is up in $(elapsed "$t0") (demo data: admin/admin123, customer1..20/123456, manager1..5/123456)
  Portal      : http://127.0.0.1:4200
  API gateway : http://127.0.0.1:3000/api
  OpenAPI     : http://127.0.0.1:3000/api/docs
  Logs        : .local/log/services/ (make up's own: .local/log/up/)
  Smoke check : make smoke
Stop everything with: make down
EOF
