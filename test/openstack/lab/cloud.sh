#!/bin/bash
# cloud.sh -- the lab's OpenStack "Zed" services from Debian 12's packages, real APIs over fake
# data planes, on 127.0.0.1 (needs base.sh first). One worker per service, started with nice.
#
#   service          port   notes
#   placement-api    8778   uwsgi
#   glance-api       9292   file store; image cirros-fake (64 KiB of zeros, raw) and cirros-fake-2
#   neutron-server   9696   ML2 openvswitch; fake-ovs-agent.py reports an OVS agent per compute
#                           host so that ports bind; networks private (shared) and public
#   nova-api         8774   cells v2; nova-conductor, nova-scheduler and two nova-compute with
#                           the lab's FakeLiveMigrateDriver (hosts fake-compute-1/2, each in its own
#                           availability zone lab-az1/lab-az2); flavors m1.tiny (1), m1.small (2)
#   heat-api         8004   heat-engine; trusts
#   octavia-api      9876   uwsgi; worker, health manager, housekeeping; amphora provider with
#                           the no-op amphora/compute/network/image drivers
#   cinder-api       8776   cinder-scheduler, cinder-volume with the NFS driver on a local
#                           directory bind-mounted where the driver expects the share (the lab's
#                           subclass, senlin_ts_lab_nfs.py, also extends attached volumes)
#   zaqar-server     8888   Redis message store (the machine's Redis), MariaDB management store
#   dockerd          2375   Docker Engine for the container driver (no bridge, no iptables rules),
#                           with image senlin-ts-lab/busybox imported from Debian's busybox-static
# Every service is in the catalog of LAB_REGION; compute, network, image, orchestration and block
# storage also in LAB_REGION2 (same URLs), so that region placement has two regions to use.
#
# Usage: cloud.sh [STEP ...]   (default: catalog placement glance neutron nova heat octavia
#        cinder zaqar docker); RESTART=all|name,... restarts those daemons (pid file names).
# Idempotent: re-running keeps databases, resources and running daemons; configurations are
# rewritten (a changed one needs RESTART=<name>).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/env.sh" admin
. "$HERE/lib.sh"
export DEBIAN_FRONTEND=noninteractive
SERVICE_USERS="placement glance neutron nova heat octavia cinder zaqar"
HEAT_DOMAIN_ADMIN_PASS=heatdomainpass
NFS_SHARE=127.0.0.1:/srv/senlin-ts-lab-nfs # the "NFS export" Cinder is told about ...
NFS_DIR=/srv/senlin-ts-lab-nfs             # ... and the local directory that holds the volumes

step_catalog() {
  LAB_SERVICE_USERS="$SERVICE_USERS" LAB_HEAT_DOMAIN_ADMIN_PASS=$HEAT_DOMAIN_ADMIN_PASS \
    $PY "$HERE/catalog.py"
}

step_placement() {
  mkdb placement placement
  orig /etc/placement/placement.conf
  cat >/etc/placement/placement.conf <<EOF
[DEFAULT]
debug = false
[api]
auth_strategy = keystone
[placement_database]
connection = $(dburl placement placement)
max_pool_size = 5
$(authtoken placement)
EOF
  own placement /etc/placement/placement.conf
  su -s /bin/sh placement -c "placement-manage db sync"
  start_uwsgi placement-api placement 8778 /usr/bin/placement-api 1 2
  wait_url http://127.0.0.1:8778/
}

step_glance() {
  mkdb glance glance
  orig /etc/glance/glance-api.conf
  install -d -o glance -g glance /var/lib/glance/images /var/lib/glance/os_glance_staging_store \
    /var/lib/glance/os_glance_tasks_store /var/lib/glance/lock
  cat >/etc/glance/glance-api.conf <<EOF
[DEFAULT]
bind_host = 127.0.0.1
bind_port = 9292
workers = 1
enabled_backends = fs:file
show_image_direct_url = false
transport_url = $RABBIT_URL
[database]
connection = $(dburl glance glance)
max_pool_size = 5
[glance_store]
default_backend = fs
[fs]
filesystem_store_datadir = /var/lib/glance/images/
[os_glance_staging_store]
filesystem_store_datadir = /var/lib/glance/os_glance_staging_store/
[os_glance_tasks_store]
filesystem_store_datadir = /var/lib/glance/os_glance_tasks_store/
$(authtoken glance)
[paste_deploy]
flavor = keystone
config_file = /etc/glance/glance-api-paste.ini
[oslo_concurrency]
lock_path = /var/lib/glance/lock
[oslo_messaging_notifications]
driver = noop
EOF
  own glance /etc/glance/glance-api.conf
  su -s /bin/sh glance -c "glance-manage --config-file /etc/glance/glance-api.conf db_sync" 2>&1 | tail -1
  start_svc glance-api glance /var/lib/glance /usr/bin/glance-api \
    --config-file /etc/glance/glance-api.conf --log-file "$LAB_LOG_DIR/glance-api.log"
  wait_url http://127.0.0.1:9292/
  local img
  head -c 65536 /dev/zero >/var/tmp/senlin-ts-lab-image.img # 64 KiB of zeros, "raw"
  for img in cirros-fake cirros-fake-2; do
    os_has image "$img" || openstack image create "$img" --public --disk-format raw \
      --container-format bare --file /var/tmp/senlin-ts-lab-image.img -f value -c id
  done
}

step_neutron() {
  mkdb neutron neutron
  orig /etc/neutron/neutron.conf /etc/neutron/plugins/ml2/ml2_conf.ini
  install -d -o neutron -g neutron /var/lib/neutron/lock
  cat >/etc/neutron/neutron.conf <<EOF
[DEFAULT]
bind_host = 127.0.0.1
bind_port = 9696
core_plugin = ml2
service_plugins = router
auth_strategy = keystone
transport_url = $RABBIT_URL
api_workers = 1
rpc_workers = 1
rpc_state_report_workers = 1
allow_overlapping_ips = true
# there are no DHCP or L3 agents to notify
dhcp_agent_notification = false
notify_nova_on_port_status_changes = true
notify_nova_on_port_data_changes = true
agent_down_time = 75
state_path = /var/lib/neutron
[database]
connection = $(dburl neutron neutron)
max_pool_size = 5
$(authtoken neutron)
$(svcauth nova nova)
[oslo_concurrency]
lock_path = /var/lib/neutron/lock
[oslo_messaging_notifications]
driver = noop
[agent]
root_helper = sudo /usr/bin/neutron-rootwrap /etc/neutron/rootwrap.conf
EOF
  cat >/etc/neutron/plugins/ml2/ml2_conf.ini <<EOF
[ml2]
type_drivers = flat,vlan,vxlan,local
tenant_network_types = vxlan
mechanism_drivers = openvswitch
extension_drivers = port_security
[ml2_type_flat]
flat_networks = physnet1
[ml2_type_vlan]
network_vlan_ranges = physnet1
[ml2_type_vxlan]
vni_ranges = 1:1000
[securitygroup]
enable_security_group = true
firewall_driver = noop
EOF
  own neutron /etc/neutron/neutron.conf
  own neutron /etc/neutron/plugins/ml2/ml2_conf.ini
  su -s /bin/sh neutron -c "neutron-db-manage --config-file /etc/neutron/neutron.conf \
    --config-file /etc/neutron/plugins/ml2/ml2_conf.ini upgrade head" 2>&1 | tail -1
  start_svc neutron-server neutron /var/lib/neutron /usr/bin/neutron-server \
    --config-file /etc/neutron/neutron.conf --config-file /etc/neutron/plugins/ml2/ml2_conf.ini \
    --log-file "$LAB_LOG_DIR/neutron-server.log"
  wait_url http://127.0.0.1:9696/
  install -m 755 "$HERE/fake-ovs-agent.py" "$LAB_LIB_DIR/fake-ovs-agent.py"
  want_restart fake-ovs-agent && stop_one fake-ovs-agent
  if ! alive fake-ovs-agent; then
    touch "$LAB_LOG_DIR/fake-ovs-agent.log"
    chown neutron "$LAB_LOG_DIR/fake-ovs-agent.log"
    remember fake-ovs-agent fake-ovs-agent.py
    LAB_AGENT_HOSTS="$LAB_COMPUTE_HOSTS" start-stop-daemon --start --background --make-pidfile \
      --pidfile "$LAB_RUN_DIR/fake-ovs-agent.pid" --chuid neutron:neutron --chdir /var/lib/neutron \
      --output "$LAB_LOG_DIR/fake-ovs-agent.out" --exec "$LAB_LIB_DIR/fake-ovs-agent.py" -- \
      --config-file /etc/neutron/neutron.conf --log-file "$LAB_LOG_DIR/fake-ovs-agent.log"
    log "started fake-ovs-agent (pid $(cat "$LAB_RUN_DIR/fake-ovs-agent.pid"))"
  fi
  wait_for 60 sh -c "openstack network agent list -f value -c Host | grep fake-compute-1"
  os_has network private || openstack network create --share private -f value -c id
  os_has subnet private-subnet || openstack subnet create --network private --subnet-range 10.0.0.0/24 \
    --gateway 10.0.0.1 --dns-nameserver 127.0.0.1 private-subnet -f value -c id
  os_has network public || openstack network create --external --provider-network-type flat \
    --provider-physical-network physnet1 public -f value -c id
  os_has subnet public-subnet || openstack subnet create --network public --subnet-range 172.24.4.0/24 \
    --no-dhcp --gateway 172.24.4.1 public-subnet -f value -c id
  os_has router router1 || {
    openstack router create router1 -f value -c id
    openstack router set --external-gateway public router1
    openstack router add subnet router1 private-subnet
  }
}

nova_conf() {
  cat <<EOF
[DEFAULT]
my_ip = 127.0.0.1
state_path = /var/lib/nova
transport_url = $RABBIT_URL
enabled_apis = osapi_compute
osapi_compute_listen = 127.0.0.1
osapi_compute_listen_port = 8774
osapi_compute_workers = 1
# no real hypervisor: each fake host reports 1000 vCPU / 800 GB RAM / 600 TB disk. The live
# migrating variant forgets the guest on the source host, so later moves back there work; the
# lab's subclass (senlin_ts_lab_fake.py) uploads snapshots, so they become active images.
compute_driver = senlin_ts_lab_fake.LabFakeDriver
# no neutron agent ever sends network-vif-plugged
vif_plugging_is_fatal = false
vif_plugging_timeout = 0
allow_resize_to_same_host = true
[api]
auth_strategy = keystone
[api_database]
connection = $(dburl nova nova_api)
max_pool_size = 5
[database]
connection = $(dburl nova nova)
max_pool_size = 5
[conductor]
workers = 1
[scheduler]
workers = 1
discover_hosts_in_cells_interval = 60
[filter_scheduler]
enabled_filters = AvailabilityZoneFilter,ComputeFilter,ComputeCapabilitiesFilter,ImagePropertiesFilter,ServerGroupAntiAffinityFilter,ServerGroupAffinityFilter,SameHostFilter,DifferentHostFilter
$(authtoken nova)
$(svcauth neutron neutron)
service_metadata_proxy = false
default_floating_pool = public
$(svcauth placement placement)
$(svcauth cinder nova)
os_region_name = $LAB_REGION
$(svcauth service_user nova)
send_service_user_token = true
[glance]
region_name = $LAB_REGION
[oslo_concurrency]
lock_path = /var/lib/nova/tmp
[oslo_messaging_notifications]
driver = messagingv2
[notifications]
notification_format = versioned
notify_on_state_change = vm_and_task_state
[vnc]
enabled = false
[wsgi]
api_paste_config = /etc/nova/api-paste.ini
EOF
}
start_compute() { # n host
  start_svc "nova-compute-$1" nova /var/lib/nova /usr/bin/nova-compute --config-file /etc/nova/nova-cpu.conf \
    --config-file "/etc/nova/nova-$2.conf" --log-file "$LAB_LOG_DIR/nova-compute-$1.log"
}
step_nova() {
  mkdb nova_api nova
  mkdb nova nova
  mkdb nova_cell0 nova
  orig /etc/nova/nova.conf
  nova_conf >/etc/nova/nova.conf
  # the computes must not see the databases (they go through the conductor)
  nova_conf | awk '/^\[/{skip = ($0 == "[database]" || $0 == "[api_database]")} !skip' >/etc/nova/nova-cpu.conf
  own nova /etc/nova/nova.conf
  own nova /etc/nova/nova-cpu.conf
  local n=0 h
  for h in $LAB_COMPUTE_HOSTS; do
    printf '[DEFAULT]\n# fake hypervisor host (the fake driver names its node after the host)\nhost = %s\n' "$h" \
      >"/etc/nova/nova-$h.conf"
    own nova "/etc/nova/nova-$h.conf"
  done
  install -d -o nova -g nova /var/lib/nova/tmp /var/lib/nova/instances
  # Nova loads compute drivers from its nova.virt package only
  local driver=/usr/lib/python3/dist-packages/nova/virt/senlin_ts_lab_fake.py
  cmp -s "$HERE/senlin_ts_lab_fake.py" "$driver" || install -m 644 "$HERE/senlin_ts_lab_fake.py" "$driver"
  local NM="su -s /bin/sh nova -c"
  $NM "nova-manage api_db sync"
  $NM "nova-manage cell_v2 list_cells" | grep ' cell0 ' >/dev/null ||
    $NM "nova-manage cell_v2 map_cell0 --database_connection '$(dburl nova nova_cell0)'"
  $NM "nova-manage cell_v2 list_cells" | grep ' cell1 ' >/dev/null || $NM "nova-manage cell_v2 create_cell --name cell1"
  $NM "nova-manage db sync" 2>&1 | grep -v Warning | tail -1 || true
  start_svc nova-conductor nova /var/lib/nova /usr/bin/nova-conductor \
    --config-file /etc/nova/nova.conf --log-file "$LAB_LOG_DIR/nova-conductor.log"
  start_svc nova-scheduler nova /var/lib/nova /usr/bin/nova-scheduler \
    --config-file /etc/nova/nova.conf --log-file "$LAB_LOG_DIR/nova-scheduler.log"
  start_svc nova-api nova /var/lib/nova /usr/bin/nova-api \
    --config-file /etc/nova/nova.conf --log-file "$LAB_LOG_DIR/nova-api.log"
  wait_url http://127.0.0.1:8774/
  for h in $LAB_COMPUTE_HOSTS; do
    n=$((n + 1))
    start_compute $n "$h"
  done
  wait_for 120 sh -c "[ \$(openstack compute service list --service nova-compute -f value -c State | grep -c up) -ge $n ]"
  $NM "nova-manage cell_v2 discover_hosts" >/dev/null
  os_has flavor m1.tiny --all || openstack flavor create --id 1 --vcpus 1 --ram 512 --disk 1 m1.tiny -f value -c id
  os_has flavor m1.small --all || openstack flavor create --id 2 --vcpus 1 --ram 2048 --disk 20 m1.small -f value -c id
  # one availability zone per fake host (host aggregates)
  local zones=($LAB_ZONES) hosts=($LAB_COMPUTE_HOSTS) i
  for i in "${!zones[@]}"; do
    os_has aggregate "${zones[$i]}" || openstack aggregate create --zone "${zones[$i]}" "${zones[$i]}" -f value -c id
    openstack aggregate show "${zones[$i]}" -f value -c hosts | grep "${hosts[$i]}" >/dev/null ||
      openstack aggregate add host "${zones[$i]}" "${hosts[$i]}" >/dev/null
  done
  # room for several clusters of the tests at once
  openstack quota set --instances 50 --cores 100 --ram 204800 --server-groups 50 --server-group-members 50 demo
}

step_heat() {
  mkdb heat heat
  orig /etc/heat/heat.conf
  cat >/etc/heat/heat.conf <<EOF
[DEFAULT]
transport_url = $RABBIT_URL
num_engine_workers = 1
region_name_for_services = $LAB_REGION
heat_metadata_server_url = http://127.0.0.1:8000
heat_waitcondition_server_url = http://127.0.0.1:8000/v1/waitcondition
stack_user_domain_name = heat
stack_domain_admin = heat_domain_admin
stack_domain_admin_password = $HEAT_DOMAIN_ADMIN_PASS
deferred_auth_method = trusts
# the Heat stack profile's abandon operation and node adoption read stacks this way
enable_stack_abandon = true
enable_stack_adopt = true
[heat_api]
bind_host = 127.0.0.1
bind_port = 8004
workers = 1
[database]
connection = $(dburl heat heat)
max_pool_size = 5
$(authtoken heat)
[trustee]
auth_type = password
auth_url = $KS
username = heat
password = heatpass
user_domain_name = Default
[clients_keystone]
auth_uri = $KS
[ec2authtoken]
auth_uri = $KS/v3
[oslo_messaging_notifications]
driver = noop
EOF
  own heat /etc/heat/heat.conf
  su -s /bin/sh heat -c "heat-manage --config-file /etc/heat/heat.conf db_sync" 2>&1 | tail -1
  start_svc heat-engine heat /var/lib/heat /usr/bin/heat-engine \
    --config-file /etc/heat/heat.conf --log-file "$LAB_LOG_DIR/heat-engine.log"
  start_svc heat-api heat /var/lib/heat /usr/bin/heat-api \
    --config-file /etc/heat/heat.conf --log-file "$LAB_LOG_DIR/heat-api.log"
  wait_url http://127.0.0.1:8004/
  wait_for 60 openstack orchestration service list
}

step_octavia() {
  mkdb octavia octavia
  orig /etc/octavia/octavia.conf
  install -d -o octavia -g octavia /var/lib/octavia/certs /var/lib/octavia/lock
  # even with the no-op amphora driver the create flow signs an amphora certificate: a throwaway CA
  install -d -m 750 -o root -g octavia /etc/octavia/certs
  if [ ! -s /etc/octavia/certs/ca_01.pem ]; then
    openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 3650 -subj "/CN=senlin-ts-lab-octavia-ca" \
      -keyout /etc/octavia/certs/cakey.pem -out /etc/octavia/certs/ca_01.pem 2>/dev/null
    chgrp octavia /etc/octavia/certs/*.pem
    chmod 640 /etc/octavia/certs/*.pem
  fi
  cat >/etc/octavia/octavia.conf <<EOF
[DEFAULT]
transport_url = $RABBIT_URL
[api_settings]
bind_host = 127.0.0.1
bind_port = 9876
auth_strategy = keystone
api_base_uri = http://127.0.0.1:9876
enabled_provider_drivers = amphora:Amphora provider (no-op drivers in this lab),octavia:Alias of amphora,noop_driver:No-op provider
default_provider_driver = amphora
[database]
connection = $(dburl octavia octavia)
max_pool_size = 5
[health_manager]
bind_ip = 127.0.0.1
bind_port = 5555
controller_ip_port_list = 127.0.0.1:5555
heartbeat_key = senlintslabheartbeat
health_update_threads = 1
stats_update_threads = 1
$(authtoken octavia)
[certificates]
cert_manager = local_cert_manager
cert_generator = local_cert_generator
storage_path = /var/lib/octavia/certs
ca_certificate = /etc/octavia/certs/ca_01.pem
ca_private_key = /etc/octavia/certs/cakey.pem
# exactly 32 characters
server_certs_key_passphrase = senlin-ts-lab-insecure-key-32chr
[controller_worker]
workers = 1
amphora_driver = amphora_noop_driver
compute_driver = compute_noop_driver
network_driver = network_noop_driver
image_driver = image_noop_driver
loadbalancer_topology = SINGLE
[task_flow]
jobboard_enabled = false
[oslo_messaging]
topic = octavia_prov
[oslo_concurrency]
lock_path = /var/lib/octavia/lock
$(svcauth service_auth octavia)
[oslo_messaging_notifications]
driver = noop
[oslo_policy]
policy_file = /etc/octavia/policy.yaml
EOF
  own octavia /etc/octavia/octavia.conf
  # Octavia's defaults want the load-balancer_* roles; accept Keystone's member/reader as well, so
  # that a project member, or senlin-ts acting for one through a trust, can use load balancers
  cat >/etc/octavia/policy.yaml <<'EOF'
"context_is_admin": "role:admin or role:load-balancer_admin"
"load-balancer:owner": "project_id:%(project_id)s"
"load-balancer:admin": "is_admin:True or role:admin or role:load-balancer_admin"
"load-balancer:read": "is_admin:True or role:admin or role:load-balancer_global_observer or (role:reader and rule:load-balancer:owner) or (role:member and rule:load-balancer:owner) or (role:load-balancer_observer and rule:load-balancer:owner) or (role:load-balancer_member and rule:load-balancer:owner)"
"load-balancer:read-global": "is_admin:True or role:admin or role:load-balancer_global_observer"
"load-balancer:write": "is_admin:True or role:admin or (role:member and rule:load-balancer:owner) or (role:load-balancer_member and rule:load-balancer:owner)"
"load-balancer:read-quota": "is_admin:True or role:admin or role:load-balancer_global_observer or (role:reader and rule:load-balancer:owner) or (role:member and rule:load-balancer:owner)"
"load-balancer:read-quota-global": "is_admin:True or role:admin or role:load-balancer_global_observer"
"load-balancer:write-quota": "is_admin:True or role:admin or role:load-balancer_quota_admin"
EOF
  own octavia /etc/octavia/policy.yaml
  su -s /bin/sh octavia -c "octavia-db-manage --config-file /etc/octavia/octavia.conf upgrade head" 2>&1 | tail -1
  local s
  for s in worker health-manager housekeeping; do
    start_svc "octavia-$s" octavia /var/lib/octavia "/usr/bin/octavia-$s" \
      --config-file /etc/octavia/octavia.conf --log-file "$LAB_LOG_DIR/octavia-$s.log"
  done
  start_uwsgi octavia-api octavia 9876 /usr/bin/octavia-wsgi 1 2
  wait_url http://127.0.0.1:9876/
}

step_cinder() {
  mkdb cinder cinder
  orig /etc/cinder/cinder.conf
  local driver=/usr/lib/python3/dist-packages/cinder/volume/drivers/senlin_ts_lab_nfs.py
  cmp -s "$HERE/senlin_ts_lab_nfs.py" "$driver" || install -m 644 "$HERE/senlin_ts_lab_nfs.py" "$driver"
  install -d -o cinder -g cinder /var/lib/cinder/tmp /var/lib/cinder/mnt "$NFS_DIR"
  echo "$NFS_SHARE" >/etc/cinder/nfs_shares
  own cinder /etc/cinder/nfs_shares
  # the NFS driver mounts the share at <base>/<md5(share)> unless something is mounted there
  # already: a bind mount of a local directory stands in for the share
  local mnt
  mnt=/var/lib/cinder/mnt/$(echo -n "$NFS_SHARE" | md5sum | cut -d' ' -f1)
  install -d -o cinder -g cinder "$mnt"
  grep " $mnt " /proc/mounts >/dev/null || mount --bind "$NFS_DIR" "$mnt"
  chown cinder:cinder "$NFS_DIR"
  cat >/etc/cinder/cinder.conf <<EOF
[DEFAULT]
transport_url = $RABBIT_URL
auth_strategy = keystone
my_ip = 127.0.0.1
osapi_volume_listen = 127.0.0.1
osapi_volume_listen_port = 8776
osapi_volume_workers = 1
state_path = /var/lib/cinder
rootwrap_config = /etc/cinder/rootwrap.conf
api_paste_config = /etc/cinder/api-paste.ini
enabled_backends = lab-nfs
[database]
connection = $(dburl cinder cinder)
max_pool_size = 5
$(authtoken cinder)
$(svcauth nova cinder)
interface = public
[oslo_concurrency]
lock_path = /var/lib/cinder/tmp
[oslo_messaging_notifications]
driver = noop
[lab-nfs]
# the NFS driver, also extending attached volumes (senlin_ts_lab_nfs.py: no guest holds them)
volume_driver = cinder.volume.drivers.senlin_ts_lab_nfs.LabNfsDriver
volume_backend_name = lab-nfs
nfs_shares_config = /etc/cinder/nfs_shares
nfs_mount_point_base = /var/lib/cinder/mnt
nfs_sparsed_volumes = true
nfs_snapshot_support = true
nas_secure_file_operations = false
nas_secure_file_permissions = false
EOF
  own cinder /etc/cinder/cinder.conf
  su -s /bin/sh cinder -c "cinder-manage --config-file /etc/cinder/cinder.conf db sync" 2>&1 | tail -1
  local s
  for s in scheduler volume api; do
    start_svc "cinder-$s" cinder /var/lib/cinder "/usr/bin/cinder-$s" \
      --config-file /etc/cinder/cinder.conf --log-file "$LAB_LOG_DIR/cinder-$s.log"
  done
  wait_url http://127.0.0.1:8776/
  wait_for 90 sh -c "openstack volume service list -f value -c Binary -c State | grep 'cinder-volume up'"
  os_has "volume type" lab-nfs || {
    openstack volume type create lab-nfs -f value -c id
    openstack volume type set --property volume_backend_name=lab-nfs lab-nfs
  }
}

step_zaqar() {
  # Debian's python3-zaqar ships the Redis store without its two Lua scripts; the lab's own
  # versions (zaqar/*.lua beside this file) make message post and claim work
  local scripts=/usr/lib/python3/dist-packages/zaqar/storage/redis/scripts f
  install -d "$scripts"
  for f in index_messages claim_messages; do
    [ -s "$scripts/$f.lua" ] || install -m 644 "$HERE/zaqar/$f.lua" "$scripts/$f.lua"
  done
  mkdb zaqar zaqar
  orig /etc/zaqar/zaqar.conf
  cat >/etc/zaqar/zaqar.conf <<EOF
[DEFAULT]
auth_strategy = keystone
pooling = false
[drivers]
transport = wsgi
message_store = redis
management_store = sqlalchemy
[drivers:transport:wsgi]
bind = 127.0.0.1
port = 8888
[drivers:message_store:redis]
uri = redis://127.0.0.1:6379
[drivers:management_store:sqlalchemy]
uri = $(dburl zaqar zaqar)
[storage]
# notify the subscribers of a queue of every message posted (senlin-ts's message receivers)
message_pipeline = zaqar.notification.notifier
$(authtoken zaqar)
[trustee]
# who Zaqar is when it redeems the trust of a trust+http(s) subscription
auth_type = password
auth_url = $KS
username = zaqar
password = zaqarpass
user_domain_name = Default
[signed_url]
secret_key = senlintslabsignedurlsecret
EOF
  own zaqar /etc/zaqar/zaqar.conf
  su -s /bin/sh zaqar -c "zaqar-sql-db-manage --config-file /etc/zaqar/zaqar.conf upgrade head" 2>&1 | tail -1
  install -d -o zaqar -g zaqar /var/lib/zaqar
  start_svc zaqar-server zaqar /var/lib/zaqar /usr/bin/zaqar-server \
    --config-file /etc/zaqar/zaqar.conf --log-file "$LAB_LOG_DIR/zaqar-server.log"
  wait_url http://127.0.0.1:8888/
}

step_docker() {
  # a Docker daemon for the container driver, kept off the machine's networking (no bridge, no
  # iptables rules: containers get no network), with its state under $LAB_STATE_DIR
  install -d "$LAB_STATE_DIR/docker" "$LAB_RUN_DIR/docker-exec"
  start_svc dockerd root / /usr/sbin/dockerd -H "tcp://127.0.0.1:$LAB_DOCKER_PORT" \
    -H "unix://$LAB_RUN_DIR/docker.sock" --data-root "$LAB_STATE_DIR/docker" \
    --exec-root "$LAB_RUN_DIR/docker-exec" --pidfile "$LAB_RUN_DIR/docker-exec/dockerd.pid" \
    --iptables=false --ip-forward=false --ip-masq=false --bridge=none
  wait_url "http://127.0.0.1:$LAB_DOCKER_PORT/version" 60
  # the image of the tests: busybox from Debian's busybox-static (nothing can be pulled here)
  if [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$LAB_DOCKER_PORT/images/$LAB_DOCKER_IMAGE/json")" != 200 ]; then
    local root
    root=$(mktemp -d)
    install -d "$root/bin"
    cp /bin/busybox "$root/bin/busybox"
    for c in sh sleep true cat echo; do ln -s busybox "$root/bin/$c"; done
    tar -C "$root" -cf "$root.tar" .
    curl -sf -X POST -H 'Content-Type: application/x-tar' --data-binary "@$root.tar" \
      "http://127.0.0.1:$LAB_DOCKER_PORT/images/create?fromSrc=-&repo=${LAB_DOCKER_IMAGE%%:*}&tag=latest" >/dev/null
    rm -rf "$root" "$root.tar"
    log "docker: image $LAB_DOCKER_IMAGE imported"
  fi
}

STEPS=${*:-"catalog placement glance neutron nova heat octavia cinder zaqar docker"}
for s in $STEPS; do
  declare -F "step_$s" >/dev/null || die "unknown step $s"
  log "----- cloud: $s"
  "step_$s"
done
