# rally.sh -- rally-openstack's Senlin scenario for test/compat/run.sh.
# Sourced; expects COMPAT, WORK, OUT and the Keystone settings to be set.

RALLY_HOME=$WORK/rally

# Runs SenlinCompat.create_and_delete_cluster (rally/senlin_compat.py: the shipped scenario with
# its 404 detection corrected) in two small workloads; any failed iteration, SLA or context
# error fails the step. The scenarios run as the existing demo user: rally-openstack's `users`
# context would make projects and users of its own, but its clean-up lists Neutron's extensions
# first and fails without a network endpoint, leaving them behind.
run_rally() {
  mkdir -p "$RALLY_HOME"
  cat > "$RALLY_HOME/rally.conf" <<EOF
[DEFAULT]
log_file = $RALLY_HOME/rally.log
[database]
connection = sqlite:///$RALLY_HOME/rally.db
[openstack]
senlin_action_timeout = 300
EOF
  cat > "$RALLY_HOME/env.yaml" <<EOF
---
openstack:
  auth_url: $KEYSTONE_URL/v3
  region_name: $KEYSTONE_REGION
  endpoint_type: public
  admin:
    username: admin
    password: $KEYSTONE_ADMIN_PASSWORD
    project_name: admin
    user_domain_name: Default
    project_domain_name: Default
  users:
    - username: demo
      password: $KEYSTONE_DEMO_PASSWORD
      project_name: demo
      user_domain_name: Default
      project_domain_name: Default
EOF
  cat > "$RALLY_HOME/task.yaml" <<'EOF'
---
  SenlinCompat.create_and_delete_cluster:
    # rally-openstack's own sample (samples/tasks/scenarios/senlin/), with an image of the fake
    # cloud's catalogue instead of cirros-0.3.5-x86_64-disk
    -
      args: {desired_capacity: 3, min_size: 0, max_size: 5}
      runner: {type: "constant", times: 3, concurrency: 1}
      context: &ctx
        profiles:
          type: "os.nova.server"
          version: "1.0"
          properties:
            name: "cirros_server"
            flavor: 1
            image: "cirros-0.4.0-x86_64-disk"
            networks: [{network: "private"}]
      sla: {failure_rate: {max: 0}}
    # concurrent iterations
    -
      args: {desired_capacity: 5, min_size: 0, max_size: 10}
      runner: {type: "constant", times: 4, concurrency: 2}
      context: *ctx
      sla: {failure_rate: {max: 0}}
EOF
  local log=$OUT/rally.log rc=0
  log "rally task start (SenlinCompat.create_and_delete_cluster)"
  {
    R() { rally --config-file "$RALLY_HOME/rally.conf" "$@"; }
    R db ensure &&
      R env create --name senlin-ts-compat --spec "$RALLY_HOME/env.yaml" &&
      R env check &&
      R --plugin-paths "$COMPAT/rally" task start "$RALLY_HOME/task.yaml" --tag senlin-ts-compat
  } > "$log" 2>&1 || rc=$?
  local uuid
  uuid=$(rally --config-file "$RALLY_HOME/rally.conf" task list --uuids-only 2>/dev/null | tail -1)
  if [ -z "$uuid" ]; then
    tail -n 30 "$log" >&2
    record rally FAIL "no task ran (log: $log)"
    return
  fi
  rally --config-file "$RALLY_HOME/rally.conf" task detailed "$uuid" > "$OUT/rally-detailed.txt" 2>&1
  rally --config-file "$RALLY_HOME/rally.conf" task report "$uuid" --json \
    --out "$OUT/rally-task.json" > /dev/null 2>&1
  rally --config-file "$RALLY_HOME/rally.conf" task sla-check "$uuid" > "$OUT/rally-sla.txt" 2>&1 ||
    rc=1
  local counts
  counts=$("$PY" - "$OUT/rally-task.json" <<'EOF'
import json, sys
try:
    report = json.load(open(sys.argv[1]))
except (OSError, ValueError):
    print('iterations=? errors=?')
    sys.exit()
total = failed = broken = 0
for task in report.get('tasks', []):
    for subtask in task.get('subtasks', []):
        for workload in subtask.get('workloads', []):
            for it in workload.get('data', []):
                total += 1
                failed += 1 if it.get('error') else 0
            # a context whose set-up or clean-up failed (objects left behind) is an error too
            for ctx in workload.get('contexts_results', []):
                for phase in ('setup', 'cleanup'):
                    if (ctx.get(phase) or {}).get('error'):
                        broken += 1
                        print(f"context {ctx.get('name')} {phase}: {ctx[phase]['error']}",
                              file=sys.stderr)
print(f'iterations={total} passed={total - failed} failed={failed} context_errors={broken} '
      f'errors={failed + broken}')
EOF
)
  grep -E '^\| (senlin|total)' "$log" | sed 's/^/  /' >&2
  if [ "$rc" = 0 ] && [[ "$counts" == *" errors=0" ]] && [[ "$counts" != "iterations=0 "* ]]; then
    record rally PASS "$counts task=$uuid"
  else
    record rally FAIL "$counts task=$uuid log=$log sla=$OUT/rally-sla.txt"
  fi
}
