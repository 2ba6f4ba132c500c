# shellcheck shell=bash
# Redis from Debian's package, with its own config, data dir and pid file.

REDIS_ROOT="$STACK_DIR/redis"
REDIS_LOG="$LOG_DIR/redis.log"

redis_install() { apt_install_missing redis-server redis-tools; }

redis_health() { [[ $(redis-cli -h "$HOST" -p "$REDIS_PORT" ping 2>/dev/null) == PONG ]]; }

redis_start() {
  mkdir -p "$REDIS_ROOT"
  if redis_health; then
    log "redis already running on $HOST:$REDIS_PORT"
  else
    log "starting redis on $HOST:$REDIS_PORT"
    cat >"$REDIS_ROOT/redis.conf" <<CONF
bind $HOST
port $REDIS_PORT
protected-mode yes
daemonize yes
pidfile $(pidfile redis)
logfile $REDIS_LOG
dir $REDIS_ROOT
save 60 1000
CONF
    redis-server "$REDIS_ROOT/redis.conf" >>"$REDIS_LOG" 2>&1 \
      || fail_service redis "$REDIS_LOG" "redis-server failed to start"
  fi
  wait_until 30 redis_health || fail_service redis "$REDIS_LOG" "no PONG on $HOST:$REDIS_PORT"
}

redis_stop() {
  local pid; pid=$(read_pid redis)
  pid_alive "$pid" || { rm -f "$(pidfile redis)"; return 0; }
  redis-cli -h "$HOST" -p "$REDIS_PORT" shutdown >/dev/null 2>&1 || true
  stop_pid redis "$pid" 20
  rm -f "$(pidfile redis)"
}

redis_url() { echo "redis://$HOST:$REDIS_PORT/0"; }
