# shellcheck shell=bash
# Solr 9 from Maven Central: a small Java main (deploy/local/solr-runner) around
# solr-test-framework's JettySolrRunner, built once with Maven into the cache. The `ckan`
# core uses the schema.xml shipped inside the installed ckan package.

SOLR_SRC="$DEPLOY_LOCAL_DIR/solr-runner"
SOLR_HOME="$STACK_DIR/solr"
SOLR_LOG="$LOG_DIR/solr.log"
SOLR_CONF_SRC="$DEPLOY_DIR/ckan/solr"

solr_build_dir() {
  echo "$STACK_CACHE/solr-runner/$(hash_files "$SOLR_SRC/pom.xml" \
    "$SOLR_SRC"/src/main/java/de/publisher/stack/*.java "$SOLR_SRC"/src/main/resources/*)"
}

solr_install() {
  local out; out=$(solr_build_dir)
  [[ -s $out/ckan-solr-runner.jar && -d $out/lib ]] && return 0
  command -v mvn >/dev/null || apt_install_missing maven
  log "building the Solr runner with Maven (log: $LOG_DIR/solr-build.log)"
  local work="$out.build"
  rm -rf "$work"; mkdir -p "$work"
  cp -r "$SOLR_SRC/pom.xml" "$SOLR_SRC/src" "$work/"
  (cd "$work" && mvn -B -q -DskipTests package) >>"$LOG_DIR/solr-build.log" 2>&1 \
    || fail_service solr "$LOG_DIR/solr-build.log" "Maven build of the Solr runner failed"
  mkdir -p "$out"
  mv "$work/target/ckan-solr-runner.jar" "$work/target/lib" "$out/"
  rm -rf "$work"
}

solr_health() {
  curl -fsS --max-time 5 "http://$HOST:$SOLR_PORT/solr/ckan/admin/ping?wt=json" 2>/dev/null \
    | grep -q '"status":"OK"'
}

# (Re)writes the core config: CKAN's schema.xml from the venv plus our solrconfig.xml.
solr_prepare_home() {
  local schema
  schema="$(ckan_site_packages)/ckan/config/solr/schema.xml"
  [[ -s $schema ]] || die "CKAN's schema.xml not found at $schema"
  mkdir -p "$SOLR_HOME/ckan/conf" "$SOLR_HOME/ckan/data"
  echo '<solr/>' >"$SOLR_HOME/solr.xml"
  printf 'name=ckan\nconfig=solrconfig.xml\nschema=schema.xml\n' >"$SOLR_HOME/ckan/core.properties"
  cp "$SOLR_CONF_SRC/solrconfig.xml" "$SOLR_CONF_SRC/synonyms.txt" "$SOLR_CONF_SRC/protwords.txt" \
    "$SOLR_HOME/ckan/conf/"
  cp "$schema" "$SOLR_HOME/ckan/conf/schema.xml"
}

solr_start() {
  if solr_health; then
    log "solr already running on $HOST:$SOLR_PORT"
    return 0
  fi
  local old; old=$(read_pid solr)
  pid_alive "$old" && stop_pid solr "$old" 30
  port_listening "$SOLR_PORT" && fail_service solr "$SOLR_LOG" "port $SOLR_PORT is taken by another process"
  solr_prepare_home
  local out; out=$(solr_build_dir)
  log "starting solr on $HOST:$SOLR_PORT"
  spawn solr "$SOLR_LOG" java -Xms256m -Xmx768m -Dsolr.log.dir="$LOG_DIR" \
    -Dsolr.data.home="$SOLR_HOME" -cp "$out/ckan-solr-runner.jar:$out/lib/*" \
    de.publisher.stack.CkanSolrRunner "$SOLR_HOME" "$SOLR_PORT"
  wait_until 180 solr_health \
    || fail_service solr "$SOLR_LOG" "core 'ckan' did not answer a ping on $HOST:$SOLR_PORT"
}

solr_stop() {
  stop_pid solr "$(read_pid solr)" 30
  rm -f "$(pidfile solr)"
}

solr_url() { echo "http://$HOST:$SOLR_PORT/solr/ckan"; }
