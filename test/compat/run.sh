#!/bin/bash
# run.sh -- Senlin's own clients and test suites against senlin-ts, behind a real Keystone.
#
# Usage: test/compat/run.sh            (npm run test:compat; Debian 12, run as root)
#
# 1. Installs what is missing with apt-get: tempest, senlin-tempest-plugin,
#    python3-senlinclient, python3-openstackclient, python3-openstacksdk, rally,
#    python3-rally-openstack.
# 2. Starts Keystone with .ci/keystone.sh (service type `clustering` registered at senlin-ts;
#    its database on MariaDB at 127.0.0.1:3306 when that answers, see lib/services.sh),
#    builds senlin-ts and starts `senlin-ts serve` with a generated senlin.conf (keystone auth,
#    fake cloud, SQLite in the work directory, webhooks pointing at itself).
# 3. Runs senlin-tempest-plugin's API suite, then its functional suite; every failure must be
#    listed in expected-failures.txt. stestr shares the tests out by the durations in
#    tempest-times.txt; one API class that slows its worker down runs alone (lib/tempest.sh).
# 4. Runs the `openstack cluster ...` session (cli-session.sh) and the openstacksdk session
#    (sdk-session.py).
# 5. Runs rally-openstack's Senlin scenario (rally/) and fails on any error.
# 6. Stops what it started and prints a summary: one `COMPAT <step> result=PASS|FAIL ...
#    time=<s>s` line per step (`setup` is 1. and 2.) and a final `COMPAT RESULT PASS|FAIL`.
#
# Environment (defaults in brackets):
#   COMPAT_STEPS        [tempest-api tempest-functional cli sdk rally]  steps to run, in order
#   COMPAT_WORK_DIR     [/var/tmp/senlin-ts-compat]  config, database, logs, results (emptied)
#   COMPAT_SENLIN_PORT  [18778]  first port tried for senlin-ts (the next free one is used)
#   COMPAT_CONCURRENCY  [2]      tempest workers
#   COMPAT_TEMPEST_MIN_MICROVERSION / COMPAT_TEMPEST_MAX_MICROVERSION  [1.12 / 1.12]
#                                [clustering] range of tempest.conf (upstream's gate); try latest
#   COMPAT_TEMPEST_REGEX_EXTRA   [unset]  narrows both tempest suites (appended to the regex)
#   COMPAT_SKIP_BUILD   [0]      1: use the existing dist/ instead of `npm run build`
#   COMPAT_KEEP_RUNNING [0]      1: leave Keystone and senlin-ts running at the end
#   KEYSTONE_PORT       [35357]  and the other KEYSTONE_* variables of .ci/keystone.sh
set -uo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
COMPAT=$ROOT/test/compat

STEPS=${COMPAT_STEPS-tempest-api tempest-functional cli sdk rally}
WORK=${COMPAT_WORK_DIR:-/var/tmp/senlin-ts-compat}
OUT=$WORK/results
export KEYSTONE_PORT=${KEYSTONE_PORT:-35357}
export KEYSTONE_URL=http://127.0.0.1:$KEYSTONE_PORT
export KEYSTONE_ADMIN_PASSWORD=${KEYSTONE_ADMIN_PASSWORD:-adminpass}
export KEYSTONE_SENLIN_PASSWORD=${KEYSTONE_SENLIN_PASSWORD:-senlinpass}
export KEYSTONE_DEMO_PASSWORD=${KEYSTONE_DEMO_PASSWORD:-demopass}
export KEYSTONE_REGION=${KEYSTONE_REGION:-RegionOne}
export PY=/usr/bin/python3 # Debian's OpenStack packages belong to the system Python
export no_proxy=127.0.0.1,localhost NO_PROXY=127.0.0.1,localhost
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY

# shellcheck source=test/compat/lib/common.sh
. "$COMPAT/lib/common.sh"
# shellcheck source=test/compat/lib/services.sh
. "$COMPAT/lib/services.sh"
# shellcheck source=test/compat/lib/tempest.sh
. "$COMPAT/lib/tempest.sh"
# shellcheck source=test/compat/lib/rally.sh
. "$COMPAT/lib/rally.sh"

rm -rf "$WORK"
mkdir -p "$WORK" "$OUT"
: > "$OUT/summary.txt"

keystone_was_running=0
cleanup() {
  local rc=$?
  if [ "${COMPAT_KEEP_RUNNING:-0}" = 1 ]; then
    log "leaving Keystone and senlin-ts (pid ${SENLIN_PID:-?}, $SENLIN_URL) running"
  else
    stop_senlin
    [ "$keystone_was_running" = 0 ] && bash .ci/keystone.sh stop >/dev/null 2>&1
  fi
  print_summary
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

install_packages || die "package installation failed"

SENLIN_PORT=$(free_port "${COMPAT_SENLIN_PORT:-18778}") || die "no free port for senlin-ts"
export SENLIN_URL=http://127.0.0.1:$SENLIN_PORT
if bash .ci/keystone.sh status >/dev/null 2>&1; then keystone_was_running=1; fi
log "starting Keystone on $KEYSTONE_URL (clustering endpoint $SENLIN_URL)"
start_keystone || die "Keystone did not start (log: $OUT/keystone-start.log)"

if [ "${COMPAT_SKIP_BUILD:-0}" != 1 ]; then
  log "npm run build"
  npm run build > "$OUT/build.log" 2>&1 || { tail -n 30 "$OUT/build.log" >&2; die "build failed"; }
fi
start_senlin || die "senlin-ts did not start (log: $OUT/senlin-ts.log)"

record setup PASS "keystone=$KEYSTONE_URL senlin-ts=$SENLIN_URL"

failed=0
for step in $STEPS; do
  STEP_STARTED=$SECONDS
  case $step in
    tempest-api) run_tempest_suite api ;;
    tempest-functional) run_tempest_suite functional ;;
    cli) run_session cli bash "$COMPAT/cli-session.sh" ;;
    sdk) run_session sdk "$PY" "$COMPAT/sdk-session.py" ;;
    rally) run_rally ;;
    *) record "$step" FAIL "unknown step" ;;
  esac
done
grep -q ' result=FAIL' "$OUT/summary.txt" && failed=1
senlin_alive || { record senlin-ts FAIL "the senlin-ts process died (log: $OUT/senlin-ts.log)"; failed=1; }
[ "$failed" = 0 ]
