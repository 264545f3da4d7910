# lib.sh -- helpers shared by the lab scripts (sourced, never run).
# Every daemon the lab starts gets a pid file in $LAB_RUN_DIR; `stop_one NAME` ends only that
# process (and its workers), so the lab never touches services it did not start.

PY=/usr/bin/python3 # Debian's interpreter, whatever python3 comes first in PATH
KS=http://127.0.0.1:5000
RABBIT_URL="rabbit://$LAB_RABBIT_USER:$LAB_RABBIT_PASS@127.0.0.1:5672/$LAB_RABBIT_VHOST"
mkdir -p "$LAB_LOG_DIR" "$LAB_RUN_DIR" "$LAB_STATE_DIR" "$LAB_ETC_DIR" "$LAB_LIB_DIR"

log() { echo "[lab $(date +%T)] $*"; }
die() { echo "[lab] ERROR: $*" >&2; exit 1; }

# keep the package's original of a configuration file once, as *.dpkg-orig
orig() { for f; do [ -e "$f" ] && [ ! -e "$f.dpkg-orig" ] && cp -p "$f" "$f.dpkg-orig"; done; return 0; }
own() { chown "root:$1" "$2"; chmod 640 "$2"; } # group file

# the MariaDB client as root: TCP without password where the machine allows it, else the socket
my() { mysql -h 127.0.0.1 -uroot "$@" 2>/dev/null || mysql --protocol=socket -uroot "$@"; }
mkdb() { # database user   (password: <user>db)
  my <<EOF
CREATE DATABASE IF NOT EXISTS \`$1\` DEFAULT CHARACTER SET utf8;
CREATE USER IF NOT EXISTS '$2'@'127.0.0.1' IDENTIFIED BY '$2db';
CREATE USER IF NOT EXISTS '$2'@'localhost' IDENTIFIED BY '$2db';
GRANT ALL PRIVILEGES ON \`$1\`.* TO '$2'@'127.0.0.1';
GRANT ALL PRIVILEGES ON \`$1\`.* TO '$2'@'localhost';
EOF
}
dburl() { echo "mysql+pymysql://$1:$1db@127.0.0.1/$2?charset=utf8"; } # user database

authtoken() { # user -> [keystone_authtoken] (memcached token cache, service tokens honoured)
  cat <<EOF
[keystone_authtoken]
www_authenticate_uri = $KS
auth_url = $KS
memcached_servers = 127.0.0.1:11211
auth_type = password
project_domain_name = Default
user_domain_name = Default
project_name = service
username = $1
password = $1pass
region_name = $LAB_REGION
service_token_roles = service
service_token_roles_required = true
EOF
}
svcauth() { # section user -> password auth section for service-to-service calls
  cat <<EOF
[$1]
auth_type = password
auth_url = $KS
project_domain_name = Default
user_domain_name = Default
project_name = service
username = $2
password = $2pass
region_name = $LAB_REGION
EOF
}

# A daemon is alive when the process of its pid file runs and its command line still holds the
# marker written next to the pid file (after a reboot or a kill the number may belong to another
# process).
alive() {
  local pidf=$LAB_RUN_DIR/$1.pid pid marker
  [ -s "$pidf" ] || return 1
  pid=$(cat "$pidf")
  kill -0 "$pid" 2>/dev/null || return 1
  [ -s "$LAB_RUN_DIR/$1.cmd" ] || return 0
  marker=$(cat "$LAB_RUN_DIR/$1.cmd")
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -F -- "$marker" >/dev/null
}
remember() { printf '%s\n' "$2" >"$LAB_RUN_DIR/$1.cmd"; } # name marker
want_restart() { case ",${RESTART:-}," in *,all,* | *,"$1",*) return 0 ;; esac; return 1; }
stop_one() { # name: SIGTERM the process of the pid file and its children, wait, then SIGKILL
  local pidf=$LAB_RUN_DIR/$1.pid pid kids i
  [ -s "$pidf" ] || return 0
  pid=$(cat "$pidf")
  if alive "$1"; then
    kids=$(pgrep -P "$pid" || true)
    log "stopping $1 (pid $pid)"
    kill "$pid" 2>/dev/null || true
    for i in $(seq 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
    kill -0 "$pid" 2>/dev/null && { log "$1 did not stop, SIGKILL $pid"; kill -9 "$pid" 2>/dev/null || true; }
    for i in $kids; do kill -0 "$i" 2>/dev/null && kill -9 "$i" 2>/dev/null; done
  fi
  rm -f "$pidf" "$LAB_RUN_DIR/$1.cmd"
  return 0
}
stop_many() { # name...: like stop_one for several daemons at once (SIGTERM to all, then wait)
  local name pid pids="" kids="" i
  for name; do
    alive "$name" || { rm -f "$LAB_RUN_DIR/$name.pid" "$LAB_RUN_DIR/$name.cmd"; continue; }
    pid=$(cat "$LAB_RUN_DIR/$name.pid")
    kids="$kids $(pgrep -P "$pid" | tr '\n' ' ' || true)"
    pids="$pids $pid"
    log "stopping $name (pid $pid)"
    kill "$pid" 2>/dev/null || true
  done
  for i in $(seq 30); do
    local left=""
    for pid in $pids; do kill -0 "$pid" 2>/dev/null && left="$left $pid"; done
    [ -z "$left" ] && break
    sleep 1
  done
  for pid in $pids $kids; do kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null; done
  for name; do rm -f "$LAB_RUN_DIR/$name.pid" "$LAB_RUN_DIR/$name.cmd"; done
  return 0
}
start_svc() { # name user chdir exe args...   (oslo.service daemons fork their own workers)
  local name=$1 user=$2 dir=$3 exe=$4
  shift 4
  want_restart "$name" && stop_one "$name"
  if alive "$name"; then return 0; fi
  touch "$LAB_LOG_DIR/$name.log" "$LAB_LOG_DIR/$name.out"
  chown "$user" "$LAB_LOG_DIR/$name.log" "$LAB_LOG_DIR/$name.out"
  remember "$name" "$exe"
  start-stop-daemon --start --background --make-pidfile --pidfile "$LAB_RUN_DIR/$name.pid" \
    --chuid "$user:$user" --chdir "$dir" --output "$LAB_LOG_DIR/$name.out" \
    --nicelevel "${LAB_NICE:-5}" --exec "$exe" -- "$@"
  log "started $name (pid $(cat "$LAB_RUN_DIR/$name.pid"))"
}
start_uwsgi() { # name user port wsgi-file [processes] [threads]
  local name=$1 user=$2 port=$3 wsgi=$4 procs=${5:-1} threads=${6:-2} ini=$LAB_ETC_DIR/$1-uwsgi.ini
  cat >"$ini" <<EOF
[uwsgi]
plugins = python3
master = true
http-socket = 127.0.0.1:$port
wsgi-file = $wsgi
processes = $procs
threads = $threads
enable-threads = true
lazy-apps = true
buffer-size = 65535
# uwsgi's http-socket does no keep-alive: say so, or clients reuse closed connections
add-header = Connection: close
thunder-lock = true
die-on-term = true
no-orphans = true
uid = $user
gid = $user
chdir = /var/lib/$user
name = $name
pidfile = $LAB_RUN_DIR/$name.pid
daemonize = $LAB_LOG_DIR/$name.log
EOF
  want_restart "$name" && stop_one "$name"
  if alive "$name"; then return 0; fi
  remember "$name" "$ini"
  nice -n "${LAB_NICE:-5}" uwsgi --ini "$ini"
  sleep 1
  log "started $name (uwsgi master pid $(cat "$LAB_RUN_DIR/$name.pid"))"
}
wait_url() { # url [seconds]
  local i
  for i in $(seq "${2:-90}"); do curl -s -o /dev/null --max-time 5 "$1" && return 0; sleep 1; done
  die "timeout waiting for $1"
}
wait_for() { # seconds command...   (retry every 3 s until it succeeds; CLI calls cost CPU)
  local end=$((SECONDS + $1))
  shift
  while [ $SECONDS -lt $end ]; do "$@" >/dev/null 2>&1 && return 0; sleep 3; done
  "$@"
}
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Name lookups through `openstack X show NAME` proved flaky: test the list output instead (and no
# `grep -q` after a pipe: with pipefail the writer's SIGPIPE would turn a match into a failure).
os_has() { local kind=$1 name=$2; shift 2; openstack $kind list "$@" -f value -c Name | grep -x "$name" >/dev/null; }
