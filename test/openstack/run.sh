#!/bin/bash
# run.sh -- `npm run test:openstack`: senlin-ts against a real OpenStack control plane.
#
# 1. Sets the OpenStack lab up (test/openstack/lab/lab.sh up: apt packages, Keystone on
#    127.0.0.1:5000, Placement, Glance, Neutron, Nova with two fake compute hosts, Heat, Octavia
#    with no-op drivers, Cinder, Zaqar), or reuses it when it already runs (brought up to date
#    first when it was set up by other versions of the lab scripts), then deletes what an
#    interrupted earlier run left in it (lab/purge.py). One run at a time per machine.
# 2. Builds senlin-ts into node_modules/.cache/senlin-ts-openstack/dist and starts
#    `senlin-ts serve` on 127.0.0.1:$OPENSTACK_SENLIN_PORT with cloud_backend = openstack,
#    auth_strategy = keystone and an SQLite database in the work directory.
# 3. Registers the `clustering` service and its endpoints in the lab's Keystone.
# 4. Runs vitest with test/openstack/vitest.config.ts (test/openstack/** and the contract
#    scenarios of test/contract/ against the real cloud); extra arguments go to vitest.
# 5. Prints the pass/fail counts and stops what it started: senlin-ts always, the lab only when
#    this run started it (a lab found running, or updated, is left running).
#
# Environment (defaults in brackets):
#   OPENSTACK_SENLIN_PORT  [8777]  port of senlin-ts
#   OPENSTACK_WORK_DIR     [/var/tmp/senlin-ts-openstack]  config, database, logs, results (emptied)
#   OPENSTACK_KEEP_LAB     [0]  1: leave a lab this run started running at the end
#   OPENSTACK_SKIP_BUILD   [0]  1: reuse the last build
set -uo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
LAB=$ROOT/test/openstack/lab
. "$LAB/env.sh" admin
PY_LAB=/usr/bin/python3 # Debian's interpreter, with the OpenStack client libraries

PORT=${OPENSTACK_SENLIN_PORT:-8777}
WORK=${OPENSTACK_WORK_DIR:-/var/tmp/senlin-ts-openstack}
BUILD=$ROOT/node_modules/.cache/senlin-ts-openstack/dist
export SENLIN_URL=http://127.0.0.1:$PORT
log() { echo "[test:openstack $(date +%T)] $*"; }

started_lab=0
senlin_pid=""
cleanup() {
  if [ -n "$senlin_pid" ] && kill -0 "$senlin_pid" 2>/dev/null; then
    log "stopping senlin-ts (pid $senlin_pid)"
    kill "$senlin_pid" 2>/dev/null
    for _ in $(seq 30); do kill -0 "$senlin_pid" 2>/dev/null || break; sleep 1; done
    kill -9 "$senlin_pid" 2>/dev/null || true
  fi
  if [ "$started_lab" = 1 ] && [ "${OPENSTACK_KEEP_LAB:-0}" != 1 ]; then
    log "stopping the lab this run started"
    bash "$LAB/lab.sh" down >"$WORK/lab-down.log" 2>&1 || true
  fi
}
trap cleanup EXIT

# one run at a time on a machine: the lab's demo project and the work directory are shared
mkdir -p "$LAB_RUN_DIR"
exec 9>"$LAB_RUN_DIR/test-openstack.lock"
if ! flock -n 9; then
  log "another test:openstack run is under way (lock $LAB_RUN_DIR/test-openstack.lock)"
  exit 1
fi
if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
  log "port $PORT is in use: set OPENSTACK_SENLIN_PORT to a free port"
  exit 1
fi
rm -rf "$WORK"
mkdir -p "$WORK"

# ------------------------------------------------------------------ 1. the lab
t0=$SECONDS
bash "$LAB/lab.sh" is-up
lab_state=$?
if [ "$lab_state" = 0 ]; then
  log "reusing the running lab"
else
  if [ "$lab_state" = 2 ]; then
    # running, but set up by another version of the lab scripts: brought up to date and left
    # running, as it was found
    log "updating the running lab to these scripts (log: $WORK/lab-up.log)"
    export RESTART=all
  else
    log "setting the lab up (log: $WORK/lab-up.log)"
    started_lab=1
  fi
  # (daemons must not inherit the lock)
  if ! bash "$LAB/lab.sh" up 9>&- >"$WORK/lab-up.log" 2>&1; then
    tail -n 40 "$WORK/lab-up.log" >&2
    log "the lab did not come up"
    exit 1
  fi
  unset RESTART
fi
lab_seconds=$((SECONDS - t0))
log "lab ready after ${lab_seconds}s"
# what an interrupted earlier run may have left in the lab
if ! $PY_LAB "$LAB/purge.py" >"$WORK/lab-purge.log" 2>&1; then
  tail -n 20 "$WORK/lab-purge.log" >&2
  log "could not clear the lab of an earlier run's leftovers"
  exit 1
fi

# ------------------------------------------------------------------ 2. senlin-ts
if [ "${OPENSTACK_SKIP_BUILD:-0}" != 1 ] || [ ! -e "$BUILD/cmd/cli.js" ]; then
  log "building senlin-ts"
  rm -rf "$BUILD"
  if ! npx tsc -p tsconfig.build.json --outDir "$BUILD" >"$WORK/build.log" 2>&1; then
    tail -n 30 "$WORK/build.log" >&2
    log "build failed"
    exit 1
  fi
fi
# message receivers: the trust of a queue's subscription is given to Zaqar's own service user
zaqar_user=$(openstack user list -f value -c ID -c Name | awk '$2 == "zaqar" {print $1; exit}')
cat >"$WORK/senlin.conf" <<EOF
[DEFAULT]
cloud_backend = openstack
auth_strategy = keystone
default_region_name = $LAB_REGION
transport_url = rabbit://$LAB_RABBIT_USER:$LAB_RABBIT_PASS@127.0.0.1:5672/$LAB_RABBIT_VHOST
log_file = $WORK/senlin-ts.log
periodic_interval = 10
default_nova_timeout = 300
default_action_timeout = 900
health_check_interval_min = 10
[senlin_api]
bind_host = 127.0.0.1
bind_port = $PORT
[receiver]
host = 127.0.0.1
port = $PORT
[database]
connection = sqlite:///$WORK/senlin.db
[authentication]
auth_url = $LAB_KEYSTONE_URL
service_username = senlin
service_password = $LAB_SENLIN_PASS
service_project_name = service
service_user_domain = Default
service_project_domain = Default
interface = public
[keystone_authtoken]
www_authenticate_uri = $LAB_KEYSTONE_URL
auth_url = http://127.0.0.1:5000
auth_type = password
username = senlin
password = $LAB_SENLIN_PASS
user_domain_name = Default
project_name = service
project_domain_name = Default
region_name = $LAB_REGION
[zaqar]
user_id = $zaqar_user
auth_type = password
auth_url = $LAB_KEYSTONE_URL
username = zaqar
password = zaqarpass
user_domain_name = Default
project_name = service
project_domain_name = Default
EOF
log "starting senlin-ts on $SENLIN_URL (log: $WORK/senlin-ts.log)"
node "$BUILD/cmd/cli.js" serve --config-file "$WORK/senlin.conf" 9>&- >"$WORK/senlin-ts.out" 2>&1 &
senlin_pid=$!
for _ in $(seq 60); do
  curl -s -o /dev/null --max-time 2 "$SENLIN_URL/" && break
  kill -0 "$senlin_pid" 2>/dev/null || break
  sleep 1
done
if ! curl -s -o /dev/null --max-time 2 "$SENLIN_URL/"; then
  tail -n 30 "$WORK/senlin-ts.out" "$WORK/senlin-ts.log" >&2 2>/dev/null
  log "senlin-ts did not start"
  exit 1
fi

# ------------------------------------------------------------------ 3. the clustering endpoint
svc=$(openstack service list -f value -c ID -c Type | awk '$2 == "clustering" {print $1; exit}')
[ -n "$svc" ] || svc=$(openstack service create --name senlin --description 'senlin-ts' clustering -f value -c id)
for iface in public internal admin; do
  ep=$(openstack endpoint list --service "$svc" --interface "$iface" --region "$LAB_REGION" -f value -c ID -c URL)
  if [ -z "$ep" ]; then
    openstack endpoint create --region "$LAB_REGION" "$svc" "$iface" "$SENLIN_URL" >/dev/null
  elif [ "${ep#* }" != "$SENLIN_URL" ]; then
    openstack endpoint set --url "$SENLIN_URL" "${ep%% *}"
  fi
done
log "clustering endpoint: $SENLIN_URL"

# ------------------------------------------------------------------ 4. the tests
t1=$SECONDS
npx vitest run --config test/openstack/vitest.config.ts --reporter=default \
  --reporter=json --outputFile.json="$WORK/results.json" "$@"
status=$?
test_seconds=$((SECONDS - t1))

# ------------------------------------------------------------------ 5. summary
counts=$(node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  console.log(r.numPassedTests, r.numFailedTests, r.numPendingTests + r.numTodoTests);
' "$WORK/results.json" 2>/dev/null || echo "0 0 0")
read -r passed failed skipped <<<"$counts"
log "lab ${lab_seconds}s, tests ${test_seconds}s; logs in $WORK"
echo "openstack: $passed passed, $failed failed, $skipped skipped"
if [ "$status" = 0 ] && [ "$passed" = 0 ]; then
  log "no test ran"
  status=1
fi
exit "$status"
