# shellcheck shell=bash
# Shared helpers for deploy/local/{up,down,status,check-down}. Sourced, not run.
#
# Two directories, both outside the git clone:
#   cache  ${PUBLISHER_STACK_CACHE:-$HOME/.cache/publisher-stack}   reusable installs
#          (CKAN venv, Solr runner jar + libs, S3 gateway binary); ~/.m2 and the Go
#          module cache are reused as they are.
#   state  ${PUBLISHER_STACK_DIR:-$HOME/.local/state/publisher-stack} everything a run
#          writes: data dirs, logs/, run/ (pid files), secrets.env, stack.env.

DEPLOY_LOCAL_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
DEPLOY_DIR="$(dirname "$DEPLOY_LOCAL_DIR")"

STACK_CACHE="${PUBLISHER_STACK_CACHE:-$HOME/.cache/publisher-stack}"
STACK_DIR="${PUBLISHER_STACK_DIR:-$HOME/.local/state/publisher-stack}"
# Every service inherits it, so check-down can tell this stack's processes from those
# of another stack (another state dir and ports) that shares the cache.
export PUBLISHER_STACK_DIR="$STACK_DIR"
LOG_DIR="$STACK_DIR/logs"
RUN_DIR="$STACK_DIR/run"
STACK_ENV="$STACK_DIR/stack.env"
SECRETS_ENV="$STACK_DIR/secrets.env"

# Every service listens on 127.0.0.1 only, on uncommon ports.
PG_PORT="${PUBLISHER_STACK_PG_PORT:-55432}"
REDIS_PORT="${PUBLISHER_STACK_REDIS_PORT:-56379}"
SOLR_PORT="${PUBLISHER_STACK_SOLR_PORT:-58983}"
CKAN_PORT="${PUBLISHER_STACK_CKAN_PORT:-55000}"
S3_PORT="${PUBLISHER_STACK_S3_PORT:-59000}"
HOST=127.0.0.1

SERVICES=(postgres redis solr s3 ckan)

# Messages go to stderr and, once the state dir exists, to logs/stack.log.
log() {
  local msg; msg=$(printf '[stack %s] %s' "$(date +%H:%M:%S)" "$*")
  echo "$msg" >&2
  [[ -d $LOG_DIR ]] && echo "$msg" >>"$LOG_DIR/stack.log" || true
}
die() { log "ERROR: $*"; exit 1; }

# fail_service NAME LOGFILE MESSAGE: the one way a health check reports failure.
fail_service() {
  local name=$1 logfile=$2; shift 2
  log "ERROR: service '$name' did not come up: $*"
  log "       log: $logfile"
  if [[ -f $logfile ]]; then
    log "       last lines of the log:"
    tail -n 20 "$logfile" | sed 's/^/       | /' >&2
  fi
  exit 1
}

ensure_dirs() {
  # no chmod on an existing dir: it would reset the ACL mask that lets postgres in
  [[ -d $STACK_DIR ]] || mkdir -p -m 700 "$STACK_DIR"
  mkdir -p "$STACK_CACHE" "$LOG_DIR" "$RUN_DIR"
}

pidfile() { echo "$RUN_DIR/$1.pid"; }

# read_pid NAME: pid from the service's pid file, empty if none.
read_pid() {
  local f; f=$(pidfile "$1")
  [[ -s $f ]] && head -n1 "$f" | tr -dc '0-9' || true
}

pid_alive() { [[ -n ${1:-} ]] && kill -0 "$1" 2>/dev/null; }

port_listening() { ss -Hltn "sport = :$1" 2>/dev/null | grep -q .; }

# wait_until TIMEOUT_S CMD...: poll CMD every second until it succeeds.
wait_until() {
  local timeout=$1; shift
  local deadline=$((SECONDS + timeout))
  until "$@" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || return 1
    sleep 1
  done
}

# stop_pid NAME PID [TIMEOUT]: TERM the process group, then KILL after TIMEOUT seconds.
stop_pid() {
  local name=$1 pid=$2 timeout=${3:-30}
  pid_alive "$pid" || return 0
  log "stopping $name (pid $pid)"
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  if ! wait_until "$timeout" bash -c "! kill -0 $pid"; then
    log "$name did not stop within ${timeout}s, killing it"
    kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
    wait_until 10 bash -c "! kill -0 $pid" || true
  fi
}

# spawn NAME LOGFILE CMD...: start CMD in its own session, detached, pid into run/NAME.pid.
spawn() {
  local name=$1 logfile=$2; shift 2
  # In a script without job control a background job is no group leader, so setsid
  # execs CMD in place and $! is the service's own pid (and its process group id).
  setsid "$@" >>"$logfile" 2>&1 </dev/null &
  echo $! >"$(pidfile "$name")"
}

# Random secrets are made once and kept in secrets.env, so reruns keep the same keys.
load_secrets() {
  if [[ ! -s $SECRETS_ENV ]]; then
    rnd() { head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' | cut -c1-"$1"; }
    umask 077
    {
      echo "PG_PASSWORD=$(rnd 32)"
      echo "S3_ACCESS_KEY=stack$(rnd 15)"
      echo "S3_SECRET_KEY=$(rnd 40)"
      echo "CKAN_ADMIN_PASSWORD=$(rnd 24)"
    } >"$SECRETS_ENV"
    umask 022
  fi
  # shellcheck disable=SC1090
  source "$SECRETS_ENV"
}

apt_install_missing() {
  local missing=()
  local pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  ((${#missing[@]} == 0)) && return 0
  [[ $(id -u) == 0 ]] || die "missing Debian packages: ${missing[*]} (run as root or install them)"
  log "installing Debian packages: ${missing[*]}"
  apt-get update -qq >>"$LOG_DIR/apt.log" 2>&1
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" \
    >>"$LOG_DIR/apt.log" 2>&1 || die "apt-get install failed, see $LOG_DIR/apt.log"
}

# hash of files, to key cached builds on their inputs
hash_files() { cat "$@" | sha256sum | cut -c1-16; }

for _svc in "${SERVICES[@]}"; do
  # shellcheck disable=SC1090
  source "$DEPLOY_LOCAL_DIR/services/$_svc.sh"
done
unset _svc
