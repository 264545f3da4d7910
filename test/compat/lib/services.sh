# services.sh -- the senlin-ts process of test/compat/run.sh.
# Sourced; expects ROOT, WORK, OUT, SENLIN_PORT, SENLIN_URL, KEYSTONE_URL to be set.

SENLIN_PID=""

# Keystone's database: a MariaDB database of its own when MariaDB answers on 127.0.0.1:3306
# (root, no password, as CI provides), else .ci/keystone.sh's SQLite file. On SQLite, Keystone
# answers concurrent writes with 500 "database is locked", and tempest's dynamic credentials
# (projects and users made and deleted by two workers at once) then fail whole test classes.
keystone_database() {
  [ -n "${KEYSTONE_DB_URL:-}" ] && return 0
  local name=senlin_ts_compat_keystone_$KEYSTONE_PORT
  if command -v mysql > /dev/null &&
    mysql -h 127.0.0.1 -P 3306 -u root --connect-timeout=5 \
      -e "CREATE DATABASE IF NOT EXISTS \`$name\` CHARACTER SET utf8mb4" 2> /dev/null; then
    export KEYSTONE_DB_URL="mysql+pymysql://root@127.0.0.1:3306/$name?charset=utf8mb4"
    log "Keystone's database: MariaDB database $name"
  else
    log "MariaDB does not answer on 127.0.0.1:3306: Keystone uses SQLite (expect 'database is locked')"
  fi
}

# Keystone on SQLite sometimes answers a write with 500 "database is locked" right after its
# first start, and .ci/keystone.sh then fails while creating the test accounts: try again.
start_keystone() {
  local attempt
  keystone_database
  for attempt in 1 2 3; do
    if SENLIN_ENDPOINT=$SENLIN_URL bash "$ROOT/.ci/keystone.sh" start \
      >> "$OUT/keystone-start.log" 2>&1; then
      return 0
    fi
    log "Keystone start failed (attempt $attempt)"
    tail -n 3 "$OUT/keystone-start.log" >&2
    bash "$ROOT/.ci/keystone.sh" stop >> "$OUT/keystone-start.log" 2>&1
  done
  return 1
}

write_senlin_conf() {
  mkdir -p "$WORK/senlin"
  cat > "$WORK/senlin/senlin.conf" <<EOF
# Written by test/compat/run.sh
[DEFAULT]
auth_strategy = keystone
cloud_backend = openstack_test
host = senlin-ts-compat
data_dir = $WORK/senlin
default_region_name = $KEYSTONE_REGION
# senlin-tempest-plugin's health policies ask for an interval of 10 s
health_check_interval_min = 10
# tempest creates objects with the same name to test ambiguous lookups
name_unique = false

[senlin_api]
bind_host = 127.0.0.1
bind_port = $SENLIN_PORT

[database]
connection = sqlite:///$WORK/senlin/senlin.sqlite

[receiver]
host = 127.0.0.1
port = $SENLIN_PORT

[fake_cloud]
clustering_endpoint = $SENLIN_URL

[keystone_authtoken]
auth_url = $KEYSTONE_URL
www_authenticate_uri = $KEYSTONE_URL/v3
auth_type = password
username = senlin
password = $KEYSTONE_SENLIN_PASSWORD
project_name = service
user_domain_name = Default
project_domain_name = Default
region_name = $KEYSTONE_REGION

[authentication]
auth_url = $KEYSTONE_URL/v3
service_username = senlin
service_password = $KEYSTONE_SENLIN_PASSWORD
service_project_name = service
service_user_domain = Default
service_project_domain = Default
EOF
}

senlin_alive() { [ -n "$SENLIN_PID" ] && kill -0 "$SENLIN_PID" 2>/dev/null; }

start_senlin() {
  write_senlin_conf
  log "starting senlin-ts on $SENLIN_URL"
  node "$ROOT/bin/senlin-ts.js" serve --config-file "$WORK/senlin/senlin.conf" \
    > "$OUT/senlin-ts.log" 2>&1 < /dev/null &
  SENLIN_PID=$!
  local i
  for i in $(seq 120); do
    senlin_alive || { tail -n 20 "$OUT/senlin-ts.log" >&2; return 1; }
    # the version document answers 300 without a token
    [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$SENLIN_URL/")" = 300 ] && return 0
    sleep 0.5
  done
  return 1
}

# Stops senlin-ts: SIGTERM, then SIGKILL after 30 s.
stop_senlin() {
  senlin_alive || return 0
  log "stopping senlin-ts (pid $SENLIN_PID)"
  kill -TERM "$SENLIN_PID" 2>/dev/null
  local i
  for i in $(seq 60); do
    senlin_alive || return 0
    sleep 0.5
  done
  log "senlin-ts did not stop; killing it"
  kill -KILL "$SENLIN_PID" 2>/dev/null
  wait "$SENLIN_PID" 2>/dev/null
  return 0
}
