# shellcheck shell=bash
# PostgreSQL from Debian's package, as a private cluster under $STACK_DIR/postgres run by
# the `postgres` user (PostgreSQL refuses root). The Debian-managed cluster is not used.

PG_ROOT="$STACK_DIR/postgres"
PG_DATA="$PG_ROOT/data"
PG_SOCK="$PG_ROOT/run"
PG_LOG="$LOG_DIR/postgres.log"

pg_bin() {
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)
  [[ -n $d ]] || die "PostgreSQL binaries not found under /usr/lib/postgresql"
  echo "$d"
}

as_postgres() { runuser -u postgres -- "$@"; }

# The postgres user must be able to reach $PG_ROOT; grant it search (x) permission on
# ancestors it cannot pass (e.g. /root is 0700), through an ACL for that user only.
pg_grant_traverse() {
  local d=$PG_ROOT
  local dirs=()
  while [[ $d != / ]]; do d=$(dirname "$d"); dirs=("$d" "${dirs[@]}"); done
  for d in "${dirs[@]}"; do
    if ! as_postgres test -x "$d"; then
      command -v setfacl >/dev/null || apt_install_missing acl
      log "granting the postgres user search permission on $d (ACL u:postgres:x)"
      setfacl -m u:postgres:x "$d"
    fi
  done
}

postgres_install() { apt_install_missing postgresql libpq-dev; }

postgres_health() { "$(pg_bin)/pg_isready" -q -h "$HOST" -p "$PG_PORT"; }

postgres_pid() { [[ -s $PG_DATA/postmaster.pid ]] && head -n1 "$PG_DATA/postmaster.pid" || true; }

postgres_start() {
  local bin; bin=$(pg_bin)
  mkdir -p "$PG_ROOT"
  pg_grant_traverse
  mkdir -p "$PG_SOCK"
  chown postgres:postgres "$PG_ROOT" "$PG_SOCK"
  touch "$PG_LOG"; chown postgres:postgres "$PG_LOG"
  if [[ ! -s $PG_DATA/PG_VERSION ]]; then
    log "initialising PostgreSQL cluster in $PG_DATA"
    local pw; pw=$(mktemp); echo "$PG_PASSWORD" >"$pw"; chown postgres "$pw"
    as_postgres "$bin/initdb" -D "$PG_DATA" -U postgres -E UTF8 --locale=C.UTF-8 \
      --auth-local=peer --auth-host=scram-sha-256 --pwfile="$pw" >>"$PG_LOG" 2>&1 \
      || { rm -f "$pw"; fail_service postgres "$PG_LOG" "initdb failed"; }
    rm -f "$pw"
  fi
  if postgres_health; then
    log "postgres already running on $HOST:$PG_PORT"
  else
    log "starting postgres on $HOST:$PG_PORT"
    as_postgres "$bin/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -w -t 60 \
      -o "-c listen_addresses=$HOST -p $PG_PORT -k $PG_SOCK" start >/dev/null 2>&1 \
      || fail_service postgres "$PG_LOG" "pg_ctl start failed"
  fi
  wait_until 60 postgres_health || fail_service postgres "$PG_LOG" "no answer on $HOST:$PG_PORT"
  postgres_pid >"$(pidfile postgres)"
  postgres_ensure_db
}

# psql as the superuser through the private socket (peer auth)
pg_psql() { as_postgres "$(pg_bin)/psql" -h "$PG_SOCK" -p "$PG_PORT" -U postgres -v ON_ERROR_STOP=1 -qtA "$@"; }

postgres_ensure_db() {
  if [[ -z $(pg_psql -c "SELECT 1 FROM pg_roles WHERE rolname='ckan'") ]]; then
    pg_psql -c "CREATE ROLE ckan LOGIN PASSWORD '$PG_PASSWORD'" >>"$PG_LOG" 2>&1
  else
    pg_psql -c "ALTER ROLE ckan PASSWORD '$PG_PASSWORD'" >>"$PG_LOG" 2>&1
  fi
  if [[ -z $(pg_psql -c "SELECT 1 FROM pg_database WHERE datname='ckan'") ]]; then
    pg_psql -c "CREATE DATABASE ckan OWNER ckan ENCODING 'UTF8' TEMPLATE template0" >>"$PG_LOG" 2>&1
  fi
}

postgres_stop() {
  local pid; pid=$(postgres_pid)
  pid_alive "$pid" || { rm -f "$(pidfile postgres)"; return 0; }
  log "stopping postgres (pid $pid)"
  pg_grant_traverse
  as_postgres "$(pg_bin)/pg_ctl" -D "$PG_DATA" -m fast -w -t 60 stop >>"$PG_LOG" 2>&1 \
    || stop_pid postgres "$pid" 30
  rm -f "$(pidfile postgres)"
}

postgres_url() { echo "postgresql://ckan:$PG_PASSWORD@$HOST:$PG_PORT/ckan"; }
