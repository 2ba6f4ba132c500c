# shellcheck shell=bash
# S3-compatible server: Versity S3 Gateway (versitygw) with its POSIX backend, built with
# `go install` at a pinned tag. Why not MinIO: MinIO's release tags are not semantic
# versions, the Go module proxy does not serve them (go install ...@RELEASE.* fails), and
# its community edition is source-only and in maintenance mode; versitygw is Apache-2.0,
# tagged with semver and installs with a plain `go install`.

S3_VERSION="${PUBLISHER_STACK_S3_VERSION:-v1.8.0}"
S3_BIN="$STACK_CACHE/bin/versitygw-$S3_VERSION/versitygw"
S3_ROOT="$STACK_DIR/s3"
S3_LOG="$LOG_DIR/s3.log"
S3_BUCKET="${PUBLISHER_STACK_S3_BUCKET:-publisher}"
S3_REGION="${PUBLISHER_STACK_S3_REGION:-us-east-1}"

go_cmd() {
  if command -v go >/dev/null; then echo go
  elif [[ -x /usr/local/go/bin/go ]]; then echo /usr/local/go/bin/go
  else die "Go toolchain not found (looked on PATH and in /usr/local/go/bin)"
  fi
}

s3_install() {
  [[ -x $S3_BIN ]] && return 0
  log "building versitygw $S3_VERSION with go install (log: $LOG_DIR/s3-build.log)"
  local go; go=$(go_cmd)
  GOBIN="$(dirname "$S3_BIN")" GOTOOLCHAIN=local GOFLAGS=-trimpath \
    "$go" install "github.com/versity/versitygw/cmd/versitygw@$S3_VERSION" \
    >>"$LOG_DIR/s3-build.log" 2>&1 \
    || fail_service s3 "$LOG_DIR/s3-build.log" "go install of versitygw $S3_VERSION failed"
}

s3_endpoint() { echo "http://$HOST:$S3_PORT"; }

# A signed request that must succeed: ListBuckets with the root keys.
s3_health() { s3_python list >/dev/null 2>&1; }

s3_python() {
  S3_ENDPOINT="$(s3_endpoint)" S3_ACCESS_KEY="$S3_ACCESS_KEY" S3_SECRET_KEY="$S3_SECRET_KEY" \
    S3_REGION="$S3_REGION" S3_BUCKET="$S3_BUCKET" \
    "$CKAN_VENV/bin/python" "$DEPLOY_LOCAL_DIR/s3_bucket.py" "$1"
}

s3_start() {
  mkdir -p "$S3_ROOT/data" "$S3_ROOT/iam"
  if port_listening "$S3_PORT" && s3_health; then
    log "s3 already running on $HOST:$S3_PORT"
  else
    local old; old=$(read_pid s3)
    pid_alive "$old" && stop_pid s3 "$old" 20
    port_listening "$S3_PORT" && fail_service s3 "$S3_LOG" "port $S3_PORT is taken by another process"
    log "starting versitygw $S3_VERSION on $HOST:$S3_PORT"
    # keys go through the environment, not argv, so `ps` does not show them
    ROOT_ACCESS_KEY_ID="$S3_ACCESS_KEY" ROOT_SECRET_ACCESS_KEY="$S3_SECRET_KEY" \
      spawn s3 "$S3_LOG" "$S3_BIN" --port "$HOST:$S3_PORT" --region "$S3_REGION" --quiet \
      --iam-dir "$S3_ROOT/iam" posix "$S3_ROOT/data"
    wait_until 60 s3_health || fail_service s3 "$S3_LOG" "no signed answer on $(s3_endpoint)"
  fi
  s3_python ensure-bucket >>"$S3_LOG" 2>&1 \
    || fail_service s3 "$S3_LOG" "could not create bucket '$S3_BUCKET'"
}

s3_stop() {
  stop_pid s3 "$(read_pid s3)" 20
  rm -f "$(pidfile s3)"
}
