# tempest.sh -- senlin-tempest-plugin suites for test/compat/run.sh.
# Sourced; expects COMPAT, WORK, OUT, PY, KEYSTONE_URL and the KEYSTONE_* passwords to be set.

TEMPEST_WS=$WORK/tempest

# A tempest workspace configured as senlin's own gate: dynamic credentials made with the
# Keystone admin, only senlin available, [clustering] as in senlin's .zuul.yaml.
init_tempest() {
  [ -e "$TEMPEST_WS/etc/tempest.conf" ] && return 0
  # What `tempest init` makes, without registering the workspace in ~/.tempest
  local pkg
  pkg=$("$PY" -c 'import os, tempest; print(os.path.dirname(tempest.__file__))') || return 1
  mkdir -p "$TEMPEST_WS/etc" "$TEMPEST_WS/logs"
  cat > "$TEMPEST_WS/.stestr.conf" <<EOF
[DEFAULT]
test_path=$pkg/test_discover
top_dir=$pkg
group_regex=([^\.]*\.)*
EOF
  cat > "$TEMPEST_WS/etc/tempest.conf" <<EOF
[DEFAULT]
log_dir = $TEMPEST_WS/logs
log_file = tempest.log
debug = false

[auth]
use_dynamic_credentials = true
admin_username = admin
admin_password = $KEYSTONE_ADMIN_PASSWORD
admin_project_name = admin
admin_domain_name = Default
default_credentials_domain_name = Default
create_isolated_networks = false
tempest_roles = member

[identity]
uri_v3 = $KEYSTONE_URL/v3
auth_version = v3
region = $KEYSTONE_REGION
v3_endpoint_type = public
disable_ssl_certificate_validation = true

[identity-feature-enabled]
api_v2 = false

[service_available]
senlin = true
nova = false
neutron = false
glance = false
cinder = false
swift = false
heat = false
zaqar = false
octavia = false
aodh = false
barbican = false
designate = false
ironic = false
manila = false
mistral = false
placement = false
trove = false

[compute]
build_interval = 1
build_timeout = 180

[clustering]
catalog_type = clustering
wait_timeout = 180
min_microversion = ${COMPAT_TEMPEST_MIN_MICROVERSION:-1.12}
max_microversion = ${COMPAT_TEMPEST_MAX_MICROVERSION:-1.12}
delete_with_dependency = true
health_policy_version = 1.1
EOF
}

# Durations of the tests (tempest-times.txt, see tempest-times.py) loaded into the workspace's
# fresh stestr repository, so that its two workers get equal shares from the first run.
seed_test_times() {
  local times=$COMPAT/tempest-times.txt
  [ -e "$OUT/tempest-times.txt" ] || cp "$times" "$OUT/tempest-times.txt" 2> /dev/null
  [ -d "$TEMPEST_WS/.stestr" ] || [ ! -s "$times" ] && return 0
  "$PY" "$COMPAT/tempest-times.py" stream "$times" > "$TEMPEST_WS/times.subunit" &&
    (cd "$TEMPEST_WS" && stestr load --force-init --subunit < times.subunit > /dev/null) ||
    log "could not load the test durations of $times (stestr deals the classes out in turn)"
}

# senlin-tempest-plugin's TestClusterScaleOutNegativeResourceIsLocked makes its profile with
# utils.create_a_profile(metadata={'simulated_wait_time': 10}), which writes that metadata into
# the spec constant all later create_a_profile calls of the same worker process share: from
# then on every server of that worker takes 10 s to build, update and delete (upstream's fake
# driver honours the hint as the fake cloud does), and the suite's length depends on where the
# class lands. It runs on its own after the others, so that the durations are the same in every
# run and stestr can share the work out evenly.
ISOLATED_TEST=senlin_tempest_plugin.tests.api.clusters.test_cluster_scale_out.TestClusterScaleOutNegativeResourceIsLocked.test_cluster_action_scale_out_locked_cluster
ISOLATED_REGEX='^senlin_tempest_plugin\.tests\.api\.clusters\.test_cluster_scale_out\.TestClusterScaleOutNegativeResourceIsLocked\.'

# tempest_run ARGS... -- one `tempest run` in the workspace as the admin; its subunit stream is
# appended to $OUT/tempest-$suite.subunit
tempest_run() {
  (cd "$TEMPEST_WS" && use_credentials admin && tempest run "$@") >> "$OUT/tempest-$suite.log" 2>&1
  (cd "$TEMPEST_WS" && stestr last --subunit) >> "$OUT/tempest-$suite.subunit" 2> /dev/null
}

# run_tempest_suite api|functional -- runs the suite, summarises it against
# expected-failures.txt and records the result.
run_tempest_suite() {
  local suite=$1 regex="^senlin_tempest_plugin\.tests\.$1${COMPAT_TEMPEST_REGEX_EXTRA:-}"
  init_tempest || { record "tempest-$suite" FAIL "tempest init failed"; return; }
  seed_test_times
  : > "$OUT/tempest-$suite.log"
  : > "$OUT/tempest-$suite.subunit"
  if "$PY" -c 'import re, sys; sys.exit(not re.search(sys.argv[1], sys.argv[2]))' \
    "$regex" "$ISOLATED_TEST"; then
    log "tempest run --regex '$regex' --exclude-regex '$ISOLATED_REGEX' --concurrency ${COMPAT_CONCURRENCY:-2}"
    tempest_run --regex "$regex" --exclude-regex "$ISOLATED_REGEX" \
      --concurrency "${COMPAT_CONCURRENCY:-2}"
    log "tempest run --regex '$ISOLATED_REGEX' --concurrency 1"
    tempest_run --regex "$ISOLATED_REGEX" --concurrency 1
  else
    log "tempest run --regex '$regex' --concurrency ${COMPAT_CONCURRENCY:-2}"
    tempest_run --regex "$regex" --concurrency "${COMPAT_CONCURRENCY:-2}"
  fi
  # this run's durations, for test/compat/tempest-times.txt when the suites change
  "$PY" "$COMPAT/tempest-times.py" save "$OUT/tempest-$suite.subunit" "$OUT/tempest-times.txt"
  local line rc=0
  line=$("$PY" "$COMPAT/tempest-summary.py" "$OUT/tempest-$suite.subunit" \
    "$COMPAT/expected-failures.txt" "$OUT/tempest-$suite.report") || rc=$?
  sed 's/^/  /' "$OUT/tempest-$suite.report" >&2
  if [ "$rc" = 0 ]; then
    record "tempest-$suite" PASS "$line"
  else
    record "tempest-$suite" FAIL "$line log=$OUT/tempest-$suite.log"
  fi
}
