#!/bin/bash
# base.sh -- packages, the machine's MariaDB / RabbitMQ / Redis, memcached and Keystone for the lab.
#
# Debian 12, as root, no systemd; everything on 127.0.0.1.
#   packages   apt-get installs what is missing (Keystone, the cloud services, the CLI), waiting
#              for the dpkg lock when another apt-get runs. Debconf
#              questions are pinned to "no" and /usr/sbin/policy-rc.d keeps postinst scripts from
#              starting anything: the lab configures and starts every service itself.
#   services   MariaDB, RabbitMQ and Redis are the machine's own when they already run (they are
#              reused, only databases, a RabbitMQ user and the lab's own RabbitMQ virtual host
#              are added: root without password and guest/guest keep working); when one is down
#              it is started here and remembered in $LAB_RUN_DIR so that `lab.sh down` stops it.
#   memcached  127.0.0.1:11211, Keystone's cache and the services' token cache.
#   keystone   /etc/keystone/keystone.conf (fernet tokens, trust redelegation allowed so that
#              Heat can act from senlin-ts's trust tokens), uwsgi on 127.0.0.1:5000, users admin,
#              demo (member of demo) and senlin (admin + service in project service).
# Idempotent: a re-run keeps what exists and runs.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/env.sh" admin
. "$HERE/lib.sh"
export DEBIAN_FRONTEND=noninteractive

step_packages() {
  local p made_policy=0
  # keep postinst scripts from starting services (the machine may have its own policy-rc.d)
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod +x /usr/sbin/policy-rc.d
    made_policy=1
  fi
  {
    printf 'keystone keystone/configure_db boolean false\n'
    printf 'keystone keystone/create-admin-tenant boolean false\n'
    printf 'keystone keystone/register-endpoint boolean false\n'
    for p in placement glance neutron nova heat octavia cinder zaqar; do
      printf '%s-common %s/configure_db boolean false\n' "$p" "$p"
      printf '%s-common %s/configure_rabbit boolean false\n' "$p" "$p"
      printf '%s-common %s/configure_ksat boolean false\n' "$p" "$p"
      printf '%s-api %s/configure_api-endpoint boolean false\n' "$p" "$p"
    done
  } | debconf-set-selections 2>/dev/null || true
  # nova-compute needs some nova-compute-<hypervisor>: -ironic is the one without libvirt/qemu
  local pkgs="mariadb-server rabbitmq-server redis-server memcached python3-memcache python3-pymysql
    keystone python3-keystoneclient python3-openstackclient uwsgi-core uwsgi-plugin-python3 curl jq
    placement-api glance-api neutron-server nova-api nova-conductor nova-scheduler nova-compute
    nova-compute-ironic heat-api heat-engine octavia-api octavia-worker octavia-health-manager
    octavia-housekeeping cinder-api cinder-scheduler cinder-volume nfs-common zaqar-server
    python3-octaviaclient python3-zaqarclient python3-heatclient python3-osc-placement
    docker.io busybox-static"
  local missing=""
  for p in $pkgs; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
  if [ -n "$missing" ]; then
    log "installing:$missing"
    local t0=$SECONDS
    # another apt-get may run at the same time: wait for the dpkg lock instead of failing. The
    # package lists are refreshed only when the install cannot find something (some of the
    # machine's other repositories may be unreachable: that is no reason to stop).
    # shellcheck disable=SC2086
    if ! nice -n 10 apt-get -o DPkg::Lock::Timeout=900 install -y -q --no-install-recommends $missing; then
      apt-get -o DPkg::Lock::Timeout=900 update -q || log "apt-get update reported errors (continuing)"
      # shellcheck disable=SC2086
      nice -n 10 apt-get -o DPkg::Lock::Timeout=900 install -y -q --no-install-recommends $missing
    fi
    log "packages installed in $((SECONDS - t0)) s"
  fi
  [ "$made_policy" = 1 ] && rm -f /usr/sbin/policy-rc.d
  return 0
}

step_mariadb() {
  if ! mysqladmin -h 127.0.0.1 -uroot ping >/dev/null 2>&1 && ! mysqladmin --protocol=socket -uroot ping >/dev/null 2>&1; then
    log "MariaDB is down: starting it (the lab stops it again)"
    install -d -o mysql -g mysql /run/mysqld
    remember mariadb /usr/sbin/mariadbd
    start-stop-daemon --start --background --make-pidfile --pidfile "$LAB_RUN_DIR/mariadb.pid" \
      --chuid mysql:mysql --exec /usr/sbin/mariadbd -- --bind-address=127.0.0.1
    local i
    for i in $(seq 60); do mysqladmin --protocol=socket -uroot ping >/dev/null 2>&1 && break; sleep 1; done
  fi
  # some 20 service processes keep small pools each: the stock 151 connections are too few
  local max
  max=$(my -N -e 'SELECT @@max_connections')
  [ "$max" -ge 1000 ] || my -e 'SET GLOBAL max_connections = 1000'
}

step_rabbitmq() {
  export ERL_EPMD_ADDRESS=127.0.0.1
  if ! rabbitmqctl -q status >/dev/null 2>&1; then
    # a broker that answers on the port but not to rabbitmqctl is not ours to start again
    port_open 5672 && die "RabbitMQ listens on 5672 but rabbitmqctl cannot reach it (Erlang cookie?)"
    log "RabbitMQ is down: starting it (the lab stops it again)"
    NODE_IP_ADDRESS=127.0.0.1 rabbitmq-server -detached >"$LAB_LOG_DIR/rabbitmq-start.log" 2>&1
    touch "$LAB_RUN_DIR/rabbitmq.started"
    local i
    for i in $(seq 90); do rabbitmqctl -q await_startup --timeout 5 >/dev/null 2>&1 && break; sleep 1; done
    rabbitmqctl -q await_startup --timeout 60
  fi
  # the lab's user and virtual host; the machine's own users and vhost "/" are left alone
  rabbitmqctl -q list_users | grep "^$LAB_RABBIT_USER\b" >/dev/null ||
    rabbitmqctl -q add_user "$LAB_RABBIT_USER" "$LAB_RABBIT_PASS"
  rabbitmqctl -q list_vhosts | grep -x "$LAB_RABBIT_VHOST" >/dev/null ||
    rabbitmqctl -q add_vhost "$LAB_RABBIT_VHOST"
  rabbitmqctl -q set_permissions -p "$LAB_RABBIT_VHOST" "$LAB_RABBIT_USER" ".*" ".*" ".*"
  # Nova's notifications also go to queues named after their topic that nobody reads (senlin-ts
  # reads its own queue): keep those short
  rabbitmqctl -q set_policy -p "$LAB_RABBIT_VHOST" --apply-to queues lab-notifications \
    '^(versioned_)?notifications\.' '{"max-length":1000}' >/dev/null
}

step_redis() {
  if ! redis-cli -h 127.0.0.1 ping >/dev/null 2>&1; then
    log "Redis is down: starting it (the lab stops it again)"
    remember redis-server /usr/bin/redis-server
    start-stop-daemon --start --background --make-pidfile --pidfile "$LAB_RUN_DIR/redis-server.pid" \
      --chuid redis:redis --chdir /var/lib/redis --exec /usr/bin/redis-server -- \
      --bind 127.0.0.1 --port 6379 --save '' --appendonly no --logfile "$LAB_LOG_DIR/redis-server.log"
    wait_for 30 redis-cli -h 127.0.0.1 ping
  fi
}

step_memcached() {
  if ! port_open 11211; then
    remember memcached /usr/bin/memcached
    start-stop-daemon --start --background --make-pidfile --pidfile "$LAB_RUN_DIR/memcached.pid" \
      --chuid memcache --exec /usr/bin/memcached -- -l 127.0.0.1 -p 11211 -U 0 -m 128 -c 1024
    sleep 1
    log "started memcached (pid $(cat "$LAB_RUN_DIR/memcached.pid"))"
  fi
}

step_keystone() {
  my <<EOF
CREATE DATABASE IF NOT EXISTS keystone;
CREATE USER IF NOT EXISTS 'keystone'@'127.0.0.1' IDENTIFIED BY '$LAB_KEYSTONE_DB_PASS';
CREATE USER IF NOT EXISTS 'keystone'@'localhost' IDENTIFIED BY '$LAB_KEYSTONE_DB_PASS';
GRANT ALL PRIVILEGES ON keystone.* TO 'keystone'@'127.0.0.1';
GRANT ALL PRIVILEGES ON keystone.* TO 'keystone'@'localhost';
EOF
  orig /etc/keystone/keystone.conf
  cat >/etc/keystone/keystone.conf <<EOF
[DEFAULT]
log_dir = /var/log/keystone
log_file = keystone.log
[catalog]
template_file = /etc/keystone/default_catalog.templates
[database]
connection = mysql+pymysql://keystone:$LAB_KEYSTONE_DB_PASS@127.0.0.1/keystone
max_pool_size = 10
[oslo_policy]
policy_dirs = /etc/keystone/policy.d
[token]
provider = fernet
expiration = 86400
[trust]
# Heat makes its own trust from the trust-scoped tokens senlin-ts acts with
allow_redelegation = true
max_redelegation_count = 3
[cache]
enabled = true
backend = oslo_cache.memcache_pool
memcache_servers = 127.0.0.1:11211
EOF
  chown root:keystone /etc/keystone/keystone.conf
  chmod 640 /etc/keystone/keystone.conf
  install -d -o keystone -g keystone /var/log/keystone /var/lib/keystone /etc/keystone/fernet-keys /etc/keystone/credential-keys
  su -s /bin/sh keystone -c "keystone-manage db_sync"
  [ -e /etc/keystone/fernet-keys/0 ] || keystone-manage fernet_setup --keystone-user keystone --keystone-group keystone
  [ -e /etc/keystone/credential-keys/0 ] || keystone-manage credential_setup --keystone-user keystone --keystone-group keystone
  keystone-manage bootstrap --bootstrap-password "$LAB_ADMIN_PASS" \
    --bootstrap-admin-url "$LAB_KEYSTONE_URL" --bootstrap-internal-url "$LAB_KEYSTONE_URL" \
    --bootstrap-public-url "$LAB_KEYSTONE_URL" --bootstrap-region-id "$LAB_REGION" 2>&1 | tail -1
  chown -R keystone:keystone /var/log/keystone
  chmod 700 /etc/keystone/fernet-keys /etc/keystone/credential-keys
  want_restart keystone && stop_one keystone
  if ! alive keystone; then
    port_open 5000 && die "port 5000 answers but is not the lab's Keystone"
    start_uwsgi keystone keystone 5000 /usr/bin/keystone-wsgi-public 2 4
    wait_url "$LAB_KEYSTONE_URL"
  fi
  # projects and users (membership is tested in list output: `show NAME` was flaky)
  has() { openstack "$1" list -f value -c Name | grep -x "$2" >/dev/null; }
  has project service || openstack project create --domain default --description "Service Project" service >/dev/null
  has project demo || openstack project create --domain default --description "Demo Project" demo >/dev/null
  has user demo || openstack user create --domain default --password "$LAB_DEMO_PASS" demo >/dev/null
  has user senlin || openstack user create --domain default --password "$LAB_SENLIN_PASS" senlin >/dev/null
  openstack role add --project demo --user demo member
  openstack role add --project service --user senlin admin
  openstack role add --project service --user senlin service 2>/dev/null ||
    { openstack role create service >/dev/null && openstack role add --project service --user senlin service; }
  log "keystone: $(openstack token issue -f value -c expires) (admin token expiry)"
}

STEPS=${*:-"packages mariadb rabbitmq redis memcached keystone"}
for s in $STEPS; do
  declare -F "step_$s" >/dev/null || die "unknown step $s"
  log "----- base: $s"
  "step_$s"
done
