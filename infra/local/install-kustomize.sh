#!/usr/bin/env bash
# Installs the deployment checks' tools into .local/tools/bin, only when missing or at another version:
#   - kustomize $KUSTOMIZE_VERSION (Go module sigs.k8s.io/kustomize/kustomize/v5, `go install` through the Go
#     module proxy), which tests/deploy renders k8s/ with
# Go's module and build caches live in .local/cache/go. `make test` runs this; the first install takes ~3 minutes
# on 2 cores (download and compile), later runs ~0 s.
# Usage: infra/local/install-kustomize.sh   (prints the binary's path last)
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

if [[ $("$KUSTOMIZE" version 2>/dev/null || true) == "$KUSTOMIZE_VERSION" ]]; then
  log "kustomize: $KUSTOMIZE_VERSION present"
else
  go=$(command -v go || echo /usr/local/go/bin/go)
  [[ -x $go ]] || die "kustomize: Go is needed to install it (go install sigs.k8s.io/kustomize/kustomize/v5@$KUSTOMIZE_VERSION) and was not found"
  mkdir -p "$TOOLS_BIN" "$CACHE_DIR/go" "$LOG_DIR"
  log "kustomize: go install sigs.k8s.io/kustomize/kustomize/v5@$KUSTOMIZE_VERSION (log: $LOG_DIR/kustomize-install.log)"
  t=$(now_ms)
  # GOTOOLCHAIN=local: the machine's Go, never a downloaded one
  if ! GOTOOLCHAIN=local GOBIN="$TOOLS_BIN" GOMODCACHE="$CACHE_DIR/go/mod" GOCACHE="$CACHE_DIR/go/build" GOFLAGS=-buildvcs=false \
    "$go" install "sigs.k8s.io/kustomize/kustomize/v5@$KUSTOMIZE_VERSION" >"$LOG_DIR/kustomize-install.log" 2>&1; then
    tail -n 30 "$LOG_DIR/kustomize-install.log" >&2
    die "kustomize: go install failed; log: $LOG_DIR/kustomize-install.log"
  fi
  [[ $("$KUSTOMIZE" version) == "$KUSTOMIZE_VERSION" ]] || die "kustomize: installed, but $KUSTOMIZE version says '$("$KUSTOMIZE" version)'"
  log "kustomize: $KUSTOMIZE_VERSION in $TOOLS_BIN ($(elapsed "$t"))"
fi
