#!/bin/bash
# keystone.sh -- a private Keystone for senlin-ts's integration tests.
#
# Usage: .ci/keystone.sh start|stop|status|restart
#
# Debian 12, run as root, no systemd needed. `start` installs what is missing (keystone,
# uwsgi-core, uwsgi-plugin-python3, python3-openstackclient) with apt-get, writes a keystone.conf
# of its own under the state directory (SQLite database, fernet tokens, in-process memory cache),
# bootstraps the admin user and region, creates the test projects and users, runs Keystone under
# uwsgi on 127.0.0.1 and waits until GET /v3 answers. Every step is skipped when already done, so
# `start` may be run again at any time. `stop` ends uwsgi and its workers and waits until the
# port is closed. The system's /etc/keystone is left alone.
#
# Environment (defaults in brackets):
#   KEYSTONE_PORT            [35357]  port on 127.0.0.1 (5000 is left to the lab Keystone)
#   KEYSTONE_STATE_DIR       [/var/lib/senlin-ts-ci/keystone]  config, database, keys, logs, pid
#   KEYSTONE_ADMIN_PASSWORD  [adminpass]     user admin, role admin in project admin
#   KEYSTONE_SENLIN_PASSWORD [senlinpass]    user senlin, role admin in project service
#   KEYSTONE_DEMO_PASSWORD   [demopass]      user demo, role member in project demo
#   KEYSTONE_ALT_PASSWORD    [altpass]       user alt, role member in project alt
#   KEYSTONE_DEMO_ADMIN_PASSWORD [demoadminpass]  user demo-admin, role admin in project demo
#   KEYSTONE_TOKEN_EXPIRATION [3600]  token lifetime in seconds
#   KEYSTONE_REGION          [RegionOne]
#   KEYSTONE_DB_URL          [sqlite:///<state>/db/keystone.sqlite]  Keystone's database
#                                     (SQLAlchemy URL; a mysql+pymysql:// database must exist).
#                                     SQLite answers concurrent writes (many test projects and
#                                     users made at once) with 500 "database is locked".
#   SENLIN_ENDPOINT          [unset]  when set, service "senlin" (type clustering) is registered
#                                     with public/internal/admin endpoints at this URL
set -euo pipefail

PORT=${KEYSTONE_PORT:-35357}
STATE=${KEYSTONE_STATE_DIR:-/var/lib/senlin-ts-ci/keystone}
ADMIN_PASS=${KEYSTONE_ADMIN_PASSWORD:-adminpass}
REGION=${KEYSTONE_REGION:-RegionOne}
EXPIRATION=${KEYSTONE_TOKEN_EXPIRATION:-3600}
URL="http://127.0.0.1:$PORT"
CONF="$STATE/keystone.conf"
PIDFILE="$STATE/keystone.pid"
LOG_DIR="$STATE/log"
DB_URL=${KEYSTONE_DB_URL:-sqlite:///$STATE/db/keystone.sqlite}
PY=/usr/bin/python3 # the system Python that Debian's OpenStack packages belong to

log() { echo "[keystone.sh $(date +%T)] $*" >&2; }
die() { log "error: $*"; exit 1; }

answers() { curl -s -o /dev/null --max-time 5 "$URL/v3"; }
healthy() { curl -sf -o /dev/null --max-time 5 "$URL/v3"; }

master_pid() {
  local pid
  [ -s "$PIDFILE" ] || return 1
  pid=$(tr -dc '0-9' < "$PIDFILE")
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
  # a stale pid file may name an unrelated process that reused the number
  tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -q "uwsgi.*$STATE/uwsgi.ini" || return 1
  echo "$pid"
}

# ------------------------------------------------------------------------------------ install
install_packages() {
  local pkgs="keystone uwsgi-core uwsgi-plugin-python3 python3-openstackclient curl" missing="" p
  for p in $pkgs; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
  [ -z "$missing" ] && return 0
  [ "$(id -u)" = 0 ] || die "packages missing ($missing) and not running as root"
  log "installing:$missing"
  local made_policy=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    # keep postinst scripts from starting services
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
    chmod +x /usr/sbin/policy-rc.d
    made_policy=1
  fi
  debconf-set-selections <<'EOF'
keystone keystone/configure_db boolean false
keystone keystone/create-admin-tenant boolean false
keystone keystone/register-endpoint boolean false
EOF
  export DEBIAN_FRONTEND=noninteractive
  apt-get -o DPkg::Lock::Timeout=900 update -q
  # shellcheck disable=SC2086
  apt-get -o DPkg::Lock::Timeout=900 install -y -q --no-install-recommends $missing
  [ "$made_policy" = 1 ] && rm -f /usr/sbin/policy-rc.d
  return 0
}

# ------------------------------------------------------------------------------------ configure
write_config() {
  install -d -m 755 "$STATE"
  install -d -o keystone -g keystone -m 750 "$STATE/db" "$LOG_DIR"
  install -d -o keystone -g keystone -m 700 "$STATE/fernet-keys" "$STATE/credential-keys"
  cat > "$CONF.new" <<EOF
# Written by .ci/keystone.sh; rewritten on every start.
[DEFAULT]
log_dir = $LOG_DIR
log_file = keystone.log
[database]
connection = $DB_URL
[identity]
# bcrypt's minimum cost: test suites make and log in hundreds of users, and the default (12)
# costs about 0.3 s of CPU per password on a small machine
password_hash_rounds = 4
[token]
provider = fernet
expiration = $EXPIRATION
[fernet_tokens]
key_repository = $STATE/fernet-keys
[fernet_receipts]
key_repository = $STATE/fernet-keys
[credential]
key_repository = $STATE/credential-keys
[cache]
enabled = true
backend = dogpile.cache.memory
[oslo_policy]
policy_file = $STATE/policy.yaml
EOF
  mv "$CONF.new" "$CONF"
  chown root:keystone "$CONF"
  chmod 640 "$CONF"

  cat > "$STATE/uwsgi.ini" <<EOF
[uwsgi]
plugins = python3
master = true
http-socket = 127.0.0.1:$PORT
wsgi-file = /usr/bin/keystone-wsgi-public
env = OS_KEYSTONE_CONFIG_FILES=$CONF
# one process: the memory cache and SQLite stay coherent (a revoked token is seen at once)
processes = 1
threads = 8
enable-threads = true
lazy-apps = true
buffer-size = 65535
add-header = Connection: close
die-on-term = true
no-orphans = true
uid = keystone
gid = keystone
chdir = $STATE
name = senlin-ts-ci-keystone
pidfile = $PIDFILE
daemonize = $LOG_DIR/uwsgi.log
EOF
}

# keystone-manage prints harmless eventlet tracebacks at exit: keep its output in a log file
kmanage() {
  local rc=0
  if [ "$1" = --as-keystone ]; then
    shift
    su -s /bin/sh keystone -c "$(printf '%q ' keystone-manage --config-file "$CONF" "$@")" \
      >>"$LOG_DIR/keystone-manage.log" 2>&1 || rc=$?
  else
    keystone-manage --config-file "$CONF" "$@" >>"$LOG_DIR/keystone-manage.log" 2>&1 || rc=$?
  fi
  if [ "$rc" != 0 ]; then
    tail -n 30 "$LOG_DIR/keystone-manage.log" >&2 || true
    die "keystone-manage $1 failed (exit $rc)"
  fi
}

setup_database() {
  kmanage --as-keystone db_sync
  [ -e "$STATE/fernet-keys/0" ] || kmanage fernet_setup --keystone-user keystone --keystone-group keystone
  [ -e "$STATE/credential-keys/0" ] || kmanage credential_setup --keystone-user keystone --keystone-group keystone
  # idempotent: creates the admin user, project, roles, region and identity endpoints if missing
  OS_BOOTSTRAP_PASSWORD="$ADMIN_PASS" kmanage bootstrap \
    --bootstrap-admin-url "$URL/v3" --bootstrap-internal-url "$URL/v3" \
    --bootstrap-public-url "$URL/v3" --bootstrap-region-id "$REGION"
  # keystone-manage runs as root and may leave root-owned files behind
  chown -R keystone:keystone "$STATE/db" "$LOG_DIR"
}

# ------------------------------------------------------------------------------------ run
start_server() {
  local pid
  if pid=$(master_pid); then
    if healthy; then
      log "already running (pid $pid) on $URL"
      return 0
    fi
    # started earlier with other settings (another port) or hung: replace it
    log "uwsgi (pid $pid) does not answer on $URL; restarting it"
    kill_master "$pid"
  fi
  if answers; then
    die "port $PORT answers but is not this Keystone (pid file $PIDFILE); choose another KEYSTONE_PORT"
  fi
  rm -f "$PIDFILE"
  log "starting uwsgi on $URL"
  uwsgi --ini "$STATE/uwsgi.ini"
  local i
  for i in $(seq 120); do
    healthy && break
    sleep 0.5
  done
  healthy || { tail -n 30 "$LOG_DIR/uwsgi.log" >&2 || true; die "Keystone did not answer on $URL/v3"; }
  log "running (pid $(master_pid || echo '?')) on $URL"
}

create_accounts() {
  # One Python process instead of a dozen CLI calls; every step only creates what is missing.
  KS_URL="$URL/v3" KS_ADMIN_PASS="$ADMIN_PASS" KS_REGION="$REGION" \
  KS_SENLIN_PASS="${KEYSTONE_SENLIN_PASSWORD:-senlinpass}" \
  KS_DEMO_PASS="${KEYSTONE_DEMO_PASSWORD:-demopass}" \
  KS_ALT_PASS="${KEYSTONE_ALT_PASSWORD:-altpass}" \
  KS_DEMO_ADMIN_PASS="${KEYSTONE_DEMO_ADMIN_PASSWORD:-demoadminpass}" \
  KS_SENLIN_ENDPOINT="${SENLIN_ENDPOINT:-}" \
  "$PY" - <<'EOF'
import os
from keystoneauth1 import session
from keystoneauth1.identity import v3
from keystoneclient.v3 import client

env = os.environ
auth = v3.Password(auth_url=env['KS_URL'], username='admin', password=env['KS_ADMIN_PASS'],
                   project_name='admin', user_domain_id='default', project_domain_id='default')
ks = client.Client(session=session.Session(auth=auth), interface='public')

def one(items):
    return items[0] if items else None

def project(name):
    return one(ks.projects.list(name=name, domain='default')) or \
        ks.projects.create(name, 'default', description=name + ' project for tests')

def user(name, password):
    found = one(ks.users.list(name=name, domain='default'))
    if found:
        ks.users.update(found, password=password)
        return found
    return ks.users.create(name, domain='default', password=password)

def role(name):
    return one(ks.roles.list(name=name)) or ks.roles.create(name)

for name in ('service', 'demo', 'alt'):
    project(name)
for uname, pname, rname, password in (
        ('senlin', 'service', 'admin', env['KS_SENLIN_PASS']),
        ('demo', 'demo', 'member', env['KS_DEMO_PASS']),
        ('alt', 'alt', 'member', env['KS_ALT_PASS']),
        ('demo-admin', 'demo', 'admin', env['KS_DEMO_ADMIN_PASS'])):
    ks.roles.grant(role(rname), user=user(uname, password), project=project(pname))

endpoint = env.get('KS_SENLIN_ENDPOINT')
if endpoint:
    svc = one(ks.services.list(type='clustering')) or \
        ks.services.create('senlin', type='clustering', description='Clustering service')
    existing = {e.interface: e for e in ks.endpoints.list(service=svc, region=env['KS_REGION'])}
    for iface in ('public', 'internal', 'admin'):
        if iface in existing:
            if existing[iface].url != endpoint:
                ks.endpoints.update(existing[iface], url=endpoint)
        else:
            ks.endpoints.create(svc, endpoint, interface=iface, region=env['KS_REGION'])
EOF
}

# Ends a uwsgi master and its workers, waiting until none of them is left.
kill_master() {
  local pid=$1 children i p
  children=$(pgrep -P "$pid" || true)
  kill -TERM "$pid" 2>/dev/null || true
  for i in $(seq 60); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.25
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "uwsgi did not stop; killing it"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  for p in $children; do
    kill -0 "$p" 2>/dev/null && kill -KILL "$p" 2>/dev/null || true
  done
  for i in $(seq 40); do
    local alive=0
    for p in $pid $children; do kill -0 "$p" 2>/dev/null && alive=1; done
    [ "$alive" = 0 ] && break
    sleep 0.25
  done
  rm -f "$PIDFILE"
}

stop_server() {
  local pid i
  if ! pid=$(master_pid); then
    rm -f "$PIDFILE"
    if answers; then
      log "port $PORT answers but no Keystone started by this script runs (pid file $PIDFILE)"
      return 1
    fi
    log "not running"
    return 0
  fi
  log "stopping uwsgi (pid $pid)"
  kill_master "$pid"
  for i in $(seq 40); do
    answers || break
    sleep 0.25
  done
  answers && die "port $PORT still answers after stop"
  log "stopped"
}

status_server() {
  local pid
  if pid=$(master_pid) && healthy; then
    echo "keystone running: pid $pid, $URL/v3, state $STATE"
    return 0
  fi
  echo "keystone not running ($URL/v3, state $STATE)"
  return 3
}

case "${1:-}" in
  start)
    install_packages
    write_config
    if ! { master_pid >/dev/null && healthy; }; then setup_database; fi
    start_server
    create_accounts
    log "ready: $URL/v3"
    ;;
  stop) stop_server ;;
  status) status_server ;;
  restart)
    stop_server
    "$0" start
    ;;
  *)
    echo "usage: $0 start|stop|status|restart" >&2
    exit 2
    ;;
esac
