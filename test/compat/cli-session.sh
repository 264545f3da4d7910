#!/bin/bash
# cli-session.sh -- every `openstack cluster ...` command of python-senlinclient against the
# clustering endpoint of the Keystone catalog, with the results checked.
#
# Needs OS_* variables of a project member (run.sh passes the demo user) and, for
# `cluster service list`, the admin password in KEYSTONE_ADMIN_PASSWORD. Prints `ok <check>` or
# `FAIL <check>: <why>` per check and `CHECKS passed=N failed=N` at the end; exits 1 when a
# check failed. Everything it creates is named cli-* and deleted at the end.
# Not covered: `cluster run` (it collects the servers' addresses and runs ssh on them).
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=test/compat/lib/checks.sh
. "$HERE/lib/checks.sh"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

# A fake-cloud server profile; the second one differs only in flavor (an updatable property).
profile_spec() {
  cat <<EOF
type: os.nova.server
version: 1.0
properties:
  name: cli-server
  flavor: $1
  image: cirros-0.4.0-x86_64-disk
  networks:
    - network: private
  metadata:
    simulated_wait_time: $2
EOF
}
profile_spec m1.tiny 0 > "$T/profile.yaml"
profile_spec m1.small 0 > "$T/profile2.yaml"
profile_spec m1.tiny 8 > "$T/profile-slow.yaml"
cat > "$T/deletion.yaml" <<'EOF'
type: senlin.policy.deletion
version: 1.1
properties:
  criteria: OLDEST_FIRST
  destroy_after_deletion: true
EOF
cat > "$T/scaling.yaml" <<'EOF'
type: senlin.policy.scaling
version: 1.0
properties:
  event: CLUSTER_SCALE_IN
  adjustment:
    type: CHANGE_IN_CAPACITY
    number: 1
EOF

# ------------------------------------------------------------------ types and build info
cmd build-info openstack cluster build info -f json
expect_json build-info 'has("api") and has("engine")'
cmd profile-type-list openstack cluster profile type list -f json
expect_json profile-type-list '[.[].name] | contains(["os.nova.server", "os.heat.stack", "container.dockerinc.docker"])'
expect_json profile-type-list 'all(.[]; .version != null and .support_status != null)'
cmd profile-type-show openstack cluster profile type show os.nova.server-1.0 -f json
expect_json profile-type-show '.name == "os.nova.server-1.0" and (.schema | has("flavor"))'
cmd profile-type-ops openstack cluster profile type ops os.nova.server-1.0 -f json
expect_json profile-type-ops '.operations | has("reboot") and has("change_password")'
cmd policy-type-list openstack cluster policy type list -f json
expect_json policy-type-list '[.[].name] | contains(["senlin.policy.deletion", "senlin.policy.scaling", "senlin.policy.health"])'
cmd policy-type-show openstack cluster policy type show senlin.policy.deletion-1.1 -f json
expect_json policy-type-show '.name == "senlin.policy.deletion-1.1" and (.schema | has("criteria"))'

# ------------------------------------------------------------------ profiles
cmd profile-create openstack cluster profile create --spec-file "$T/profile.yaml" \
  --metadata "k1=v1;k2=v2" cli-profile -f json
expect_json profile-create '.name == "cli-profile" and .type == "os.nova.server-1.0"'
expect_json profile-create '(.metadata | fromjson) == {"k1": "v1", "k2": "v2"}'
PROFILE=$(field profile-create .id)
cmd profile-create-2 openstack cluster profile create --spec-file "$T/profile2.yaml" cli-profile-2 -f json
PROFILE2=$(field profile-create-2 .id)
cmd profile-create-slow openstack cluster profile create --spec-file "$T/profile-slow.yaml" cli-profile-slow -f json
PROFILE_SLOW=$(field profile-create-slow .id)
cmd profile-validate openstack cluster profile validate --spec-file "$T/profile.yaml" -f json
expect_json profile-validate '.name == "validated_profile" and .id == null'
cmd profile-show openstack cluster profile show cli-profile -f json
expect_json profile-show ".id == \"$PROFILE\""
cmd profile-list openstack cluster profile list --sort name:asc --filters name=cli-profile -f json
expect_json profile-list 'all(.[]; .id and .name and .type and .created_at)'
expect_json profile-list "length == 1 and .[0].id == \"${PROFILE:0:8}\""
cmd profile-update openstack cluster profile update --name cli-profile-renamed --metadata "k3=v3" "$PROFILE" -f json
expect_json profile-update '.name == "cli-profile-renamed" and (.metadata | fromjson) == {"k3": "v3"}'
fails profile-list-global openstack cluster profile list --global-project -f json
expect_output profile-list-global 'not authorized'

# ------------------------------------------------------------------ policies
cmd policy-create openstack cluster policy create --spec-file "$T/deletion.yaml" cli-deletion -f json
expect_json policy-create '.name == "cli-deletion" and .type == "senlin.policy.deletion-1.1"'
POLICY=$(field policy-create .id)
cmd policy-create-2 openstack cluster policy create --spec-file "$T/scaling.yaml" cli-scaling -f json
POLICY2=$(field policy-create-2 .id)
cmd policy-validate openstack cluster policy validate --spec-file "$T/scaling.yaml" -f json
expect_json policy-validate '.name == "validated_policy" and .type == "senlin.policy.scaling-1.0"'
cmd policy-show openstack cluster policy show "$POLICY" -f json
expect_json policy-show '.name == "cli-deletion" and (.spec | test("OLDEST_FIRST"))'
cmd policy-list openstack cluster policy list --filters type=senlin.policy.deletion-1.1 --full-id -f json
expect_json policy-list 'all(.[]; .id and .name and .type and .created_at)'
expect_json policy-list "[.[].id] | index(\"$POLICY\") != null"
cmd policy-update openstack cluster policy update --name cli-deletion-renamed "$POLICY" -f json
expect_json policy-update '.name == "cli-deletion-renamed"'

# ------------------------------------------------------------------ clusters
cmd cluster-create openstack cluster create --profile "$PROFILE" --min-size 1 --max-size 6 \
  --desired-capacity 2 --metadata "k1=v1" --config "node.name.format=cli-\$2I" --timeout 600 \
  --wait cli-cluster -f json
expect_json cluster-create '.status == "ACTIVE" and .desired_capacity == 2 and .min_size == 1 and .max_size == 6'
expect_json cluster-create '(.node_ids | split("\n") | length) == 2 and .timeout == 600'
expect_json cluster-create '(.metadata | fromjson) == {"k1": "v1"} and (.config | fromjson) == {"node.name.format": "cli-$2I"}'
CLUSTER=$(field cluster-create .id)
cmd cluster-show openstack cluster show cli-cluster -f json
expect_json cluster-show ".id == \"$CLUSTER\" and .profile_name == \"cli-profile-renamed\""
cmd cluster-list openstack cluster list --filters status=ACTIVE --sort name:asc --full-id -f json
expect_json cluster-list 'all(.[]; .id and .name and .status and .created_at)'
expect_json cluster-list "[.[].id] | index(\"$CLUSTER\") != null"
cmd cluster-update openstack cluster update --name cli-cluster-2 --metadata "k2=v2" --timeout 900 --wait "$CLUSTER" -f json
expect_json cluster-update '.name == "cli-cluster-2" and .timeout == 900 and (.metadata | fromjson) == {"k2": "v2"}'
cmd cluster-update-profile openstack cluster update --profile "$PROFILE2" --profile-only true --wait "$CLUSTER" -f json
expect_json cluster-update-profile ".profile_id == \"$PROFILE2\""
cmd members-list openstack cluster members list --full-id "$CLUSTER" -f json
expect_json members-list 'length == 2 and all(.[]; .status == "ACTIVE") and ([.[].name] | sort) == ["cli-01", "cli-02"]'

# scaling and resizing
cmd cluster-expand openstack cluster expand --count 2 --wait "$CLUSTER" -f json
expect_json cluster-expand '.desired_capacity == 4 and .status == "ACTIVE"'
expect_output cluster-expand 'Request accepted by action: '
cmd cluster-shrink openstack cluster shrink --count 1 --wait "$CLUSTER" -f json
expect_json cluster-shrink '.desired_capacity == 3'
cmd resize-capacity openstack cluster resize --capacity 2 --wait "$CLUSTER" -f json
expect_json resize-capacity '.desired_capacity == 2'
cmd resize-adjustment openstack cluster resize --adjustment 2 --wait "$CLUSTER" -f json
expect_json resize-adjustment '.desired_capacity == 4'
cmd resize-percentage openstack cluster resize --percentage -50 --min-step 1 --wait "$CLUSTER" -f json
expect_json resize-percentage '.desired_capacity == 2'
cmd resize-bounds openstack cluster resize --min-size 2 --max-size 8 --strict --wait "$CLUSTER" -f json
expect_json resize-bounds '.min_size == 2 and .max_size == 8 and .desired_capacity == 2'
# the client prints a refused resize as "Request error: <body>" and exits 0
cmd resize-too-big openstack cluster resize --capacity 9 --strict "$CLUSTER"
expect_output resize-too-big "Request error: .*'code': 400.*The target capacity \\(9\\) is greater than the cluster's max_size \\(8\\)\\."

# ------------------------------------------------------------------ nodes
cmd node-create openstack cluster node create --profile "$PROFILE" --role spare --metadata "k=v" cli-node-1 -f json
expect_json node-create '.name == "cli-node-1" and .role == "spare" and .cluster_id == "" and .index == -1'
NODE1=$(field node-create .id)
cmd node-create-2 openstack cluster node create --profile "$PROFILE" cli-node-2 -f json
NODE2=$(field node-create-2 .id)
wait_status node "$NODE1" ACTIVE
wait_status node "$NODE2" ACTIVE
cmd node-show openstack cluster node show --details "$NODE1" -f json
expect_json node-show '.status == "ACTIVE" and .physical_id != null and (.details | test("cirros|flavor|addresses"))'
NODE1_SERVER=$(field node-show .physical_id)
cmd node-list openstack cluster node list --filters status=ACTIVE --sort name:asc --full-id -f json
expect_json node-list 'all(.[]; .id and .name and .index and .status and .physical_id and .profile_name and .created_at)'
expect_json node-list "[.[].id] | (index(\"$NODE1\") != null and index(\"$NODE2\") != null)"
cmd node-list-cluster openstack cluster node list --cluster "$CLUSTER" --full-id -f json
expect_json node-list-cluster 'length == 2'
cmd node-update openstack cluster node update --name cli-node-1b --role standby --metadata "k2=v2" "$NODE1" -f json
expect_json node-update '.name == "cli-node-1b"'
wait_field node "$NODE1" .role standby

# membership
cmd members-add openstack cluster members add --nodes "$NODE1" --wait "$CLUSTER" -f json
expect_json members-add '.desired_capacity == 3 and (.node_ids | contains($n))' --arg n "$NODE1"
cmd members-del openstack cluster members del --nodes "$NODE1" -d false --wait "$CLUSTER" -f json
expect_json members-del '.desired_capacity == 2 and (.node_ids | contains($n) | not)' --arg n "$NODE1"
cmd node-orphan-again openstack cluster node show "$NODE1" -f json
expect_json node-orphan-again '.cluster_id == "" and .status == "ACTIVE"'
MEMBER=$(openstack cluster members list --full-id "$CLUSTER" -f json | jq -r '.[0].id')
cmd members-replace openstack cluster members replace --nodes "$MEMBER=$NODE2" --wait "$CLUSTER" -f json
expect_json members-replace '(.node_ids | contains($new)) and (.node_ids | contains($old) | not)' \
  --arg new "$NODE2" --arg old "$MEMBER"

# health
cmd cluster-check openstack cluster check --wait "$CLUSTER" -f json
expect_json cluster-check '.[0].Status == "ACTIVE"'
cmd cluster-recover openstack cluster recover --check true --wait "$CLUSTER" -f json
expect_json cluster-recover '.[0].Status == "ACTIVE"'
cmd node-check openstack cluster node check "$NODE1"
expect_output node-check 'Node check request on node .* is accepted by action'
wait_action node-check
cmd node-recover openstack cluster node recover --check true "$NODE1"
expect_output node-recover 'Node recover request on node .* is accepted by action'
wait_action node-recover

# operations and attributes
cmd cluster-collect openstack cluster collect --path name --full-id "$CLUSTER" -f json
expect_json cluster-collect 'length == 2 and all(.[]; (.attr_value | startswith("cli-")) or .attr_value == "cli-node-2")'
cmd cluster-collect-details openstack cluster collect --path details.status "$CLUSTER" -f json
expect_json cluster-collect-details 'length == 2 and all(.[]; .attr_value == "ACTIVE")'
cmd cluster-op openstack cluster op --operation reboot --params "type=SOFT" --wait "$CLUSTER" -f json
expect_json cluster-op '.status == "ACTIVE"'
# `node op` prints the action and then fails in the client itself (it returns no rows)
runs node-op openstack cluster node op --operation reboot --params "type=HARD" "$NODE1"
expect_output node-op 'Request accepted by action: '
wait_action node-op
runs node-op-bad openstack cluster node op --operation dance "$NODE1"
expect_output node-op-bad "Request error: .*'code': 400.*The requested operation 'dance' is not supported by the profile type 'os.nova.server-1.0'\\."

# adoption of the server behind an orphan node
cmd node-adopt-preview openstack cluster node adopt --identity "$NODE1_SERVER" --type os.nova.server-1.0 --preview -f json
expect_json node-adopt-preview '.node_preview | test("os.nova.server") and test("security_groups")'
cmd node-adopt openstack cluster node adopt --identity "$NODE1_SERVER" --type os.nova.server-1.0 --name cli-adopted --role adopted -f json
expect_json node-adopt '.name == "cli-adopted" and .physical_id == $s and .status == "ACTIVE"' --arg s "$NODE1_SERVER"
ADOPTED=$(field node-adopt .id)
ADOPTED_PROFILE=$(field node-adopt .profile_id)

# ------------------------------------------------------------------ policies on the cluster
cmd policy-attach openstack cluster policy attach --policy "$POLICY" --enabled true --wait "$CLUSTER"
expect_output policy-attach 'Request accepted by action: '
cmd policy-attach-2 openstack cluster policy attach --policy "$POLICY2" --wait "$CLUSTER"
cmd binding-list openstack cluster policy binding list --full-id "$CLUSTER" -f json
expect_json binding-list 'length == 2 and ([.[].policy_id] | contains([$p]))' --arg p "$POLICY"
cmd binding-show openstack cluster policy binding show --policy "$POLICY" "$CLUSTER" -f json
expect_json binding-show '.policy_id == $p and .is_enabled == true and .policy_type == "senlin.policy.deletion-1.1"' --arg p "$POLICY"
cmd binding-update openstack cluster policy binding update --policy "$POLICY" --enabled false "$CLUSTER"
expect_output binding-update 'Request accepted by action: '
wait_action binding-update
cmd binding-show-2 openstack cluster policy binding show --policy "$POLICY" "$CLUSTER" -f json
expect_json binding-show-2 '.is_enabled == false'
cmd binding-list-filter openstack cluster policy binding list --filters is_enabled=false "$CLUSTER" -f json
expect_json binding-list-filter 'length == 1'
fails policy-delete-attached openstack cluster policy delete --force "$POLICY"
expect_output policy-delete-attached 'still attached to some clusters'
cmd policy-detach openstack cluster policy detach --policy "$POLICY" --wait "$CLUSTER"
expect_output policy-detach 'Request accepted by action: '
cmd policy-detach-2 openstack cluster policy detach --policy "$POLICY2" --wait "$CLUSTER"
cmd binding-list-empty openstack cluster policy binding list "$CLUSTER" -f json
expect_json binding-list-empty 'length == 0'

# ------------------------------------------------------------------ receivers and webhooks
cmd receiver-create openstack cluster receiver create --type webhook --cluster "$CLUSTER" \
  --action CLUSTER_SCALE_OUT --params "count=1" cli-receiver -f json
expect_json receiver-create '.type == "webhook" and .action == "CLUSTER_SCALE_OUT" and (.channel | test("alarm_url"))'
RECEIVER=$(field receiver-create .id)
cmd receiver-show openstack cluster receiver show "$RECEIVER" -f json
ALARM_URL=$(field receiver-show '.channel | fromjson | .alarm_url')
expect_json receiver-show '(.params | fromjson) == {"count": "1"}'
if [[ "$ALARM_URL" == http://*"/v1/webhooks/$RECEIVER/trigger?V=2"* ]]; then pass webhook-url; else fail webhook-url "$ALARM_URL"; fi
cmd webhook-trigger curl -sS -i -X POST "$ALARM_URL"
expect_output webhook-trigger '^HTTP/1.1 202'
expect_output webhook-trigger '^[Ll]ocation: http://.*/v1/actions/'
WEBHOOK_ACTION=$(grep -i '^Location:' "$T/webhook-trigger.out" | sed -E 's#.*/actions/##' | tr -d '\r ')
wait_for "webhook action SUCCEEDED" action_status_is "$WEBHOOK_ACTION" SUCCEEDED
cmd webhook-scaled openstack cluster show "$CLUSTER" -f json
expect_json webhook-scaled '.desired_capacity == 3'
cmd receiver-list openstack cluster receiver list --filters type=webhook --full-id -f json
expect_json receiver-list 'all(.[]; .id and .name and .type and .cluster_id and .action and .created_at)'
expect_json receiver-list "[.[].id] | index(\"$RECEIVER\") != null"
cmd receiver-update openstack cluster receiver update --name cli-receiver-2 --params "count=2" "$RECEIVER" -f json
expect_json receiver-update '.name == "cli-receiver-2" and (.params | fromjson) == {"count": "2"}'
cmd receiver-delete openstack cluster receiver delete --force "$RECEIVER"
expect_output receiver-delete 'Receiver deleted'
fails receiver-gone openstack cluster receiver show "$RECEIVER"

# ------------------------------------------------------------------ actions and events
cmd action-list openstack cluster action list --filters "target=$CLUSTER;status=SUCCEEDED" --sort created_at:desc --full-id -f json
expect_json action-list 'all(.[]; .id and .name and .action and .status and .target_id and .created_at)'
expect_json action-list 'length > 5 and all(.[]; .status == "SUCCEEDED" and .target_id == $c)' --arg c "$CLUSTER"
expect_json action-list '[.[].action] | contains(["CLUSTER_CREATE", "CLUSTER_SCALE_OUT", "CLUSTER_RESIZE", "CLUSTER_ATTACH_POLICY"])'
cmd action-show openstack cluster action show "$WEBHOOK_ACTION" -f json
expect_json action-show '.action == "CLUSTER_SCALE_OUT" and .status == "SUCCEEDED" and .target_id == $c' --arg c "$CLUSTER"
# cancel a running action: a scale-out whose server takes 8 s to build
cmd cluster-update-slow openstack cluster update --profile "$PROFILE_SLOW" --profile-only true --wait "$CLUSTER" -f json
cmd expand-slow openstack cluster expand --count 1 "$CLUSTER"
SLOW_ACTION=$(action_of expand-slow)
# a cluster action is WAITING while its node actions run
wait_for "slow action running" action_status_is "$SLOW_ACTION" 'RUNNING|WAITING'
cmd action-update openstack cluster action update --status CANCELLED "$SLOW_ACTION" -f json
expect_json action-update '.id == $a' --arg a "$SLOW_ACTION"
wait_for "cancelled action CANCELLED" action_status_is "$SLOW_ACTION" CANCELLED
fails action-update-bad openstack cluster action update --status bogus "$WEBHOOK_ACTION"
cmd event-list openstack cluster event list --filters "oid=$CLUSTER" --sort timestamp:asc --full-id -f json
expect_json event-list 'all(.[]; .id and .generated_at and .obj_type and .obj_id and .obj_name and .action and .status and .level)'
expect_json event-list 'length > 5 and all(.[]; .obj_id == $c and .obj_type == "CLUSTER")' --arg c "$CLUSTER"
EVENT=$(field event-list '.[0].id')
cmd event-show openstack cluster event show "$EVENT" -f json
expect_json event-show '.id == $e and .obj_id == $c and .level != null' --arg e "$EVENT" --arg c "$CLUSTER"
cmd event-list-level openstack cluster event list --filters level=INFO -f json
expect_json event-list-level 'length > 5 and all(.[]; .level == "INFO")'

# ------------------------------------------------------------------ services (administrators)
cmd service-list env OS_USERNAME=admin OS_PROJECT_NAME=admin OS_PASSWORD="$KEYSTONE_ADMIN_PASSWORD" \
  openstack cluster service list -f json
expect_json service-list '[.[].binary] | contains(["senlin-engine", "senlin-conductor", "senlin-health-manager"])'
expect_json service-list 'all(.[]; .status == "enabled" and .state == "up")'
expect_json service-list 'all(.[]; .binary and .host and .updated_at)'
fails service-list-member openstack cluster service list

# ------------------------------------------------------------------ clean-up
WAIT_SECONDS=20 wait_for "cluster status evaluated after the cancelled scale-out" cluster_settled "$CLUSTER"
cmd cluster-delete openstack cluster delete --force --wait "$CLUSTER"
expect_output cluster-delete "$CLUSTER: accepted by action"
fails cluster-gone openstack cluster show "$CLUSTER"
cmd node-delete openstack cluster node delete --force "$ADOPTED" "$NODE1" "$MEMBER"
expect_output node-delete "$ADOPTED: accepted by action"
cmd cluster-create-2 openstack cluster create --profile "$PROFILE" --desired-capacity 1 --wait cli-cluster-forced -f json
cmd cluster-force-delete openstack cluster delete --force --force-delete --wait cli-cluster-forced
expect_output cluster-force-delete 'cli-cluster-forced: accepted by action'
fails cluster-forced-gone openstack cluster show cli-cluster-forced
wait_for "adopted node gone" gone node "$ADOPTED"
wait_for "replaced node gone" gone node "$MEMBER"
cmd profile-delete openstack cluster profile delete --force "$PROFILE" "$PROFILE2" "$PROFILE_SLOW" "$ADOPTED_PROFILE"
expect_output profile-delete 'Profile deleted'
cmd policy-delete openstack cluster policy delete --force "$POLICY" "$POLICY2"
expect_output policy-delete 'Policy deleted'
fails policy-gone openstack cluster policy show "$POLICY"

summary
