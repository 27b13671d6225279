#!/usr/bin/env bash
# Installs the deployment checks' tools into .local/tools/bin, only when missing or out of date:
#   - kustomize $KUSTOMIZE_VERSION (Go module sigs.k8s.io/kustomize/kustomize/v5, `go install` through the Go
#     module proxy): tests/deploy renders k8s/ with it
#   - compose-config (tests/deploy/compose-config, compose-go pinned in its go.mod/go.sum): loads
#     docker-compose.yml as `docker compose config` does
# With the machine's Go (GOTOOLCHAIN=local); Go's module and build caches live in .local/cache/go. `make test` runs
# this; the first time takes ~3-4 minutes on 2 cores (download and compile), later runs ~0 s.
# Usage: infra/local/install-deploy-tools.sh
set -euo pipefail

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
# shellcheck source=env.sh
. "$REPO_ROOT/infra/local/env.sh"
# shellcheck source=lib.sh
. "$REPO_ROOT/infra/local/lib.sh"

# v5.8.3 needs Go 1.27; this machine has 1.26
KUSTOMIZE_VERSION=v5.8.2
TOOLS_BIN="$LOCAL_DIR/tools/bin"
KUSTOMIZE="$TOOLS_BIN/kustomize"
COMPOSE_CONFIG_SRC="$REPO_ROOT/tests/deploy/compose-config"
COMPOSE_CONFIG="$TOOLS_BIN/compose-config"

go=$(command -v go || echo /usr/local/go/bin/go)
go_run() { # go_run LOG ARGS...: the machine's Go with the caches under .local, its output in LOG
  local logfile=$1
  shift
  [[ -x $go ]] || die "Go is needed for the deployment checks' tools (go $*) and was not found"
  mkdir -p "$TOOLS_BIN" "$CACHE_DIR/go" "$LOG_DIR"
  if ! GOTOOLCHAIN=local GOMODCACHE="$CACHE_DIR/go/mod" GOCACHE="$CACHE_DIR/go/build" GOFLAGS="-buildvcs=false -mod=readonly" \
    "$go" "$@" >"$logfile" 2>&1; then
    tail -n 30 "$logfile" >&2
    die "go $* failed; log: $logfile"
  fi
}

if [[ $("$KUSTOMIZE" version 2>/dev/null || true) == "$KUSTOMIZE_VERSION" ]]; then
  log "kustomize: $KUSTOMIZE_VERSION present"
else
  log "kustomize: go install sigs.k8s.io/kustomize/kustomize/v5@$KUSTOMIZE_VERSION (log: $LOG_DIR/kustomize-install.log)"
  t=$(now_ms)
  GOBIN="$TOOLS_BIN" go_run "$LOG_DIR/kustomize-install.log" install "sigs.k8s.io/kustomize/kustomize/v5@$KUSTOMIZE_VERSION"
  [[ $("$KUSTOMIZE" version) == "$KUSTOMIZE_VERSION" ]] || die "kustomize: installed, but $KUSTOMIZE version says '$("$KUSTOMIZE" version)'"
  log "kustomize: $KUSTOMIZE_VERSION in $TOOLS_BIN ($(elapsed "$t"))"
fi

# rebuilt whenever its source or pinned modules change
source_hash=$(cat "$COMPOSE_CONFIG_SRC"/go.mod "$COMPOSE_CONFIG_SRC"/go.sum "$COMPOSE_CONFIG_SRC"/*.go | sha256sum | cut -d' ' -f1)
if [[ -x $COMPOSE_CONFIG && $(cat "$COMPOSE_CONFIG.source" 2>/dev/null || true) == "$source_hash" ]]; then
  log "compose-config: up to date"
else
  log "compose-config: go build tests/deploy/compose-config (log: $LOG_DIR/compose-config-build.log)"
  t=$(now_ms)
  (cd "$COMPOSE_CONFIG_SRC" && go_run "$LOG_DIR/compose-config-build.log" build -o "$COMPOSE_CONFIG" .)
  printf '%s\n' "$source_hash" >"$COMPOSE_CONFIG.source"
  log "compose-config: built into $TOOLS_BIN ($(elapsed "$t"))"
fi
