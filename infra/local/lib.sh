# shellcheck shell=bash
# Internal helpers of infra/local/*.sh (bash only). Sourced after env.sh; not meant for Makefiles.
# shellcheck disable=SC2034  # the paths below are used by the scripts that source this file

INFRA_DIR="$REPO_ROOT/infra/local"
TOOLCHAIN_DIR="$LOCAL_DIR/toolchain"
CACHE_DIR="$LOCAL_DIR/cache"
DATA_DIR="$LOCAL_DIR/data"
LOG_DIR="$LOCAL_DIR/log"
RUN_DIR="$LOCAL_DIR/run"
CONF_DIR="$LOCAL_DIR/conf"
KAFKA_LIBS="$LOCAL_DIR/kafka/libs"
KAFKA_POM_STAMP="$LOCAL_DIR/kafka/pom.sha256"

MARIADB_CNF="$CONF_DIR/my.cnf"
MARIADB_SOCKET="$RUN_DIR/mariadb.sock"
MARIADB_PIDFILE="$RUN_DIR/mariadb.pid"
MARIADB_LOG="$LOG_DIR/mariadb.log"
REDIS_PIDFILE="$RUN_DIR/redis.pid"
REDIS_LOG="$LOG_DIR/redis.log"
KAFKA_CONF_DIR="$CONF_DIR/kafka"
KAFKA_PROPERTIES="$KAFKA_CONF_DIR/server.properties"
KAFKA_PIDFILE="$RUN_DIR/kafka.pid"
KAFKA_LOG="$LOG_DIR/kafka.log"
# One fixed cluster id: re-formatting a data dir with another id fails ("Invalid cluster.id").
KAFKA_CLUSTER_ID="rUV14RwGRKSAEJmnan8xig"
KAFKA_HEALTH_TOPIC="infra.healthcheck"

# Databases created on every start (idempotent); each also gets a <name>_test twin.
MARIADB_DATABASES="relationship_identity relationship_profiles relationship_managers relationship_matching relationship_analytics"

COMPONENTS="mariadb redis kafka"

log() { printf '[infra] %s\n' "$*"; }
warn() { printf '[infra] WARNING: %s\n' "$*" >&2; }
die() { printf '[infra] ERROR: %s\n' "$*" >&2; exit 1; }

# `ERROR: <component> did not become ready within Ns; log: <path>` + last 30 lines of the log, exit 1
fail_ready() {
  local component=$1 seconds=$2 logfile=$3 detail=${4:-}
  {
    printf 'ERROR: %s did not become ready within %ss; log: %s\n' "$component" "$seconds" "$logfile"
    [[ -n $detail ]] && printf '%s\n' "$detail"
    if [[ -f $logfile ]]; then
      printf -- '----- last 30 lines of %s -----\n' "$logfile"
      tail -n 30 "$logfile"
      printf -- '-----\n'
    fi
  } >&2
  exit 1
}

now_ms() { date +%s%3N; }
elapsed() { # elapsed seconds since a now_ms value, one decimal
  local ms=$(($(now_ms) - $1))
  printf '%d.%ds' $((ms / 1000)) $((ms % 1000 / 100))
}

# The account the daemons run as (mariadbd --user=...).
run_user() { id -un; }
# The MariaDB account that authenticates over the socket with full rights (created by install-db).
mariadb_admin_user() { id -un; }

# pid_is PID COMM [CMDLINE-SUBSTRING]: PID is a live (non-zombie) process named COMM
# whose command line contains the substring.
pid_is() {
  local pid=$1 comm=$2 needle=${3:-} state cmd
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  [[ $(cat "/proc/$pid/comm" 2>/dev/null) == "$comm" ]] || return 1
  state=$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null) || return 1
  [[ -n $state && $state != Z ]] || return 1
  if [[ -n $needle ]]; then
    cmd=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null) || return 1
    [[ $cmd == *"$needle"* ]] || return 1
  fi
  return 0
}

# proc_alive PID: the process exists and is not a zombie (whatever its name)
proc_alive() {
  local state
  [[ $1 =~ ^[0-9]+$ ]] || return 1
  state=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) || return 1
  [[ -n $state && $state != Z ]]
}

# terminate PID: SIGTERM, up to 10 s, then SIGKILL (for a start that failed half-way)
terminate() {
  local pid=$1 i
  kill -TERM "$pid" 2>/dev/null || return 0
  for ((i = 0; i < 50; i++)); do
    proc_alive "$pid" || return 0
    sleep 0.2
  done
  kill -KILL "$pid" 2>/dev/null || true
}

# find_proc COMM CMDLINE-SUBSTRING: print the pids of live processes matching both (exact
# substring, no regex), e.g. the broker started with this checkout's server.properties.
find_proc() {
  local comm=$1 needle=$2 p pid
  for p in /proc/[0-9]*; do
    pid=${p#/proc/}
    [[ $(cat "$p/comm" 2>/dev/null) == "$comm" ]] || continue
    pid_is "$pid" "$comm" "$needle" && printf '%s\n' "$pid"
  done
  return 0
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# port_holder PORT: the pid of the process listening on 127.0.0.1/any:PORT, from /proc (no iproute2 needed);
# empty when nothing listens or the holder belongs to a user whose fds we cannot read.
port_holder() {
  local hex inode link
  hex=$(printf '%04X' "$1")
  for inode in $(awk -v p=":$hex" '$4 == "0A" && substr($2, length($2) - 4) == p { print $10 }' /proc/net/tcp /proc/net/tcp6 2>/dev/null | sort -u); do
    link=$(find /proc/[0-9]*/fd -maxdepth 1 -lname "socket:\\[$inode\\]" 2>/dev/null | head -n 1)
    [[ -n $link ]] && { link=${link#/proc/}; printf '%s\n' "${link%%/*}"; return 0; }
  done
  return 0
}

# describe_port PORT: "pid 123: mariadbd --defaults-file=..." (command line cut to 160 characters)
describe_port() {
  local pid cmd
  pid=$(port_holder "$1")
  if [[ -z $pid ]]; then
    printf 'a process this user cannot inspect'
    return
  fi
  cmd=$(tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline" || true)
  cmd=${cmd%"${cmd##*[![:space:]]}"}
  printf 'pid %s: %s' "$pid" "${cmd:0:160}"
}

# ensure_secret FILE [GENERATOR...]: a secret created once, atomically (temporary file, then rename, under a lock),
# so processes started in parallel all read the same complete value. GENERATOR prints it (default: 48 random
# bytes in base64). Prints the secret.
ensure_secret() {
  local file=$1 tmp
  shift
  (($#)) || set -- sh -c 'head -c 48 /dev/urandom | base64 -w0'
  if [[ ! -s $file ]]; then
    mkdir -p "$(dirname "$file")"
    (
      flock -w 30 8 || die "could not lock $file.lock within 30s"
      if [[ ! -s $file ]]; then
        tmp=$(mktemp "$file.XXXXXX")
        (umask 077 && "$@" >"$tmp") || { rm -f "$tmp"; die "could not generate $file"; }
        chmod 600 "$tmp"
        mv -f "$tmp" "$file"
      fi
    ) 8>"$file.lock"
  fi
  cat "$file"
}

redis_cli() { redis-cli -h 127.0.0.1 -p "$REDIS_PORT" "$@"; }

# component_pid NAME: print the pid of this checkout's running NAME, or return 1.
# Trusts the pid file only if the process behind it is the expected program; otherwise looks for
# a process of this checkout (pid file lost) and rewrites the pid file.
component_pid() {
  local name=$1 pidfile comm needle pid=""
  case $name in
    mariadb) pidfile=$MARIADB_PIDFILE comm=mariadbd needle="--defaults-file=$MARIADB_CNF" ;;
    redis) pidfile=$REDIS_PIDFILE comm=redis-server needle="" ;;
    kafka) pidfile=$KAFKA_PIDFILE comm=java needle="$KAFKA_PROPERTIES" ;;
    *) die "unknown component: $name" ;;
  esac
  if [[ -f $pidfile ]]; then
    pid=$(tr -dc '0-9' <"$pidfile" 2>/dev/null || true)
    if pid_is "$pid" "$comm" "$needle"; then
      printf '%s\n' "$pid"
      return 0
    fi
  fi
  pid=""
  case $name in
    redis)
      # redis rewrites its argv, so identify ours by its data dir
      if command -v redis-cli >/dev/null && port_open "$REDIS_PORT" &&
        [[ $(redis_cli --raw config get dir 2>/dev/null | sed -n 2p) == "$DATA_DIR/redis" ]]; then
        pid=$(redis_cli --raw info server 2>/dev/null | tr -d '\r' | sed -n 's/^process_id://p')
      fi
      ;;
    *) pid=$(find_proc "$comm" "$needle" | head -n 1) ;;
  esac
  if [[ -n $pid ]] && pid_is "$pid" "$comm"; then
    mkdir -p "$RUN_DIR"
    printf '%s\n' "$pid" >"$pidfile"
    printf '%s\n' "$pid"
    return 0
  fi
  return 1
}

component_port() {
  case $1 in
    mariadb) echo "$MARIADB_PORT" ;;
    redis) echo "$REDIS_PORT" ;;
    kafka) echo "$KAFKA_PORT" ;;
  esac
}

component_log() {
  case $1 in
    mariadb) echo "$MARIADB_LOG" ;;
    redis) echo "$REDIS_LOG" ;;
    kafka) echo "$KAFKA_LOG" ;;
  esac
}

# parse_components ARGS...: validated component list (default / "all": every component)
parse_components() {
  local c picked=" "
  if [[ $# -eq 0 ]]; then
    echo "$COMPONENTS"
    return
  fi
  for c in "$@"; do
    case $c in
      all) picked+="$COMPONENTS " ;;
      mariadb | redis | kafka) picked+="$c " ;;
      *) die "unknown component '$c' (expected: mariadb, redis, kafka or all)" ;;
    esac
  done
  # keep the canonical order, without duplicates
  local result=()
  for c in $COMPONENTS; do
    [[ $picked == *" $c "* ]] && result+=("$c")
  done
  echo "${result[*]}"
}

# render TEMPLATE DEST: copy TEMPLATE with @NAME@ replaced by the value of shell variable NAME
render() {
  local src=$1 dest=$2 tmp var vars
  vars=$(grep -o '@[A-Z_][A-Z0-9_]*@' "$src" | sort -u | tr -d '@' || true)
  for var in $vars; do
    [[ -n ${!var+x} ]] || die "template $src uses @$var@, which is not set"
  done
  tmp=$(mktemp "$dest.XXXXXX")
  cp "$src" "$tmp"
  for var in $vars; do
    # escape for the sed replacement (|, & and backslash)
    local value=${!var}
    value=${value//\\/\\\\}
    value=${value//|/\\|}
    value=${value//&/\\&}
    sed -i "s|@$var@|$value|g" "$tmp"
  done
  mv -f "$tmp" "$dest"
}

# rotate_log FILE: keep the previous run's log as FILE.1, start empty
rotate_log() {
  [[ -s $1 ]] && mv -f "$1" "$1.1"
  : >"$1"
}

# with_lock: serialise start/stop of this checkout (fd 9 stays open until the script exits)
with_lock() {
  mkdir -p "$RUN_DIR"
  exec 9>"$RUN_DIR/infra.lock"
  if ! flock -w 120 9; then
    die "another infra/local script has held $RUN_DIR/infra.lock for 120s"
  fi
}

# Kafka tool JVMs: small, quick-starting, quiet (WARN and above on stderr). Usage: "${KAFKA_TOOL[@]}" MAIN ARGS...
KAFKA_TOOL=(java -Xms32m -Xmx256m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData -Djava.awt.headless=true
  "-Dlog4j2.configurationFile=$KAFKA_CONF_DIR/tools-log4j2.properties" -cp "$KAFKA_LIBS/*")
