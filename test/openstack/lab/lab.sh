#!/bin/bash
# lab.sh -- the OpenStack lab of `npm run test:openstack`: a real Keystone, Nova, Neutron,
# Glance, Placement, Heat, Octavia, Cinder and Zaqar from Debian's packages on 127.0.0.1, and
# a Docker daemon for the container driver.
#
#   lab.sh up       installs what is missing and starts what is not running (base.sh, cloud.sh);
#                   idempotent, about 3 minutes from scratch after the packages
#   lab.sh is-up    exit 0 when every lab daemon runs, every API answers and the lab was set up
#                   by these very scripts; 2 when it runs but was set up by other versions of
#                   them (`RESTART=all lab.sh up` brings it up to date); 1 otherwise
#   lab.sh status   pid, RSS and process tree size of every daemon the lab started
#   lab.sh down     stops every daemon the lab started (pid files in $LAB_RUN_DIR), including
#                   MariaDB / RabbitMQ / Redis only when the lab had to start them itself
# Logs: $LAB_LOG_DIR (/var/log/senlin-ts-lab). Needs root.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/env.sh" admin
. "$HERE/lib.sh"

# the daemons of a running lab and the URL each API answers on
DAEMONS="memcached keystone placement-api glance-api neutron-server fake-ovs-agent nova-conductor
  nova-scheduler nova-api nova-compute-1 nova-compute-2 heat-engine heat-api octavia-worker
  octavia-health-manager octavia-housekeeping octavia-api cinder-scheduler cinder-volume cinder-api
  zaqar-server dockerd"
URLS="http://127.0.0.1:5000/v3 http://127.0.0.1:8778/ http://127.0.0.1:9292/ http://127.0.0.1:9696/
  http://127.0.0.1:8774/ http://127.0.0.1:8004/ http://127.0.0.1:9876/ http://127.0.0.1:8776/
  http://127.0.0.1:8888/ http://127.0.0.1:2375/version"

# what the running lab was set up with: a digest of these scripts and their helper files (not
# purge.py, which only runs before the tests)
stamp() { (cd "$HERE" && find . -type f ! -name '*.pyc' ! -name purge.py | LC_ALL=C sort | xargs cat | sha1sum | cut -c1-40); }
STAMP_FILE=$LAB_STATE_DIR/lab.stamp

is_up() {
  local d u
  for d in $DAEMONS; do
    # memcached may be the machine's own
    [ "$d" = memcached ] && port_open 11211 && continue
    alive "$d" || return 1
  done
  for u in $URLS; do curl -s -o /dev/null --max-time 5 "$u" || return 1; done
}

status() {
  local f name pid tree total=0
  printf '%-24s %8s %8s %9s\n' NAME PID RSS_MB TREE_MB
  for f in "$LAB_RUN_DIR"/*.pid; do
    [ -e "$f" ] || continue
    name=$(basename "$f" .pid)
    pid=$(cat "$f")
    if ! kill -0 "$pid" 2>/dev/null; then printf '%-24s %8s %8s\n' "$name" "$pid" DEAD; continue; fi
    tree=$(ps -e -o pid=,ppid=,rss= | awk -v root="$pid" '
      { parent[$1] = $2; rss[$1] = $3 }
      END { for (p in parent) { q = p; while (q != "" && q != root && q > 1) q = parent[q];
              if (q == root) sum += rss[p] } printf "%d", sum / 1024 }')
    printf '%-24s %8s %8s %9s\n' "$name" "$pid" "$(ps -o rss= -p "$pid" | awk '{printf "%d", $1/1024}')" "$tree"
    total=$((total + tree))
  done
  echo "total RSS of the lab's daemons: ${total} MB"
}

down() {
  local f names=""
  # the OpenStack daemons all at once, then the machine-level services the lab started
  for f in "$LAB_RUN_DIR"/*.pid; do
    [ -e "$f" ] || continue
    case $(basename "$f" .pid) in mariadb | redis-server | memcached) ;; *) names="$names $(basename "$f" .pid)" ;; esac
  done
  # shellcheck disable=SC2086
  [ -z "$names" ] || stop_many $names
  stop_one memcached
  stop_one redis-server
  if [ -e "$LAB_RUN_DIR/rabbitmq.started" ]; then
    log "stopping RabbitMQ (the lab started it)"
    rabbitmqctl -q stop >/dev/null 2>&1 || true
    rm -f "$LAB_RUN_DIR/rabbitmq.started"
  fi
  stop_one mariadb
  log "lab stopped"
}

case "${1:-}" in
  up)
    start=$SECONDS
    bash "$HERE/base.sh"
    bash "$HERE/cloud.sh"
    is_up || die "the lab did not come up (logs in $LAB_LOG_DIR)"
    stamp >"$STAMP_FILE"
    log "lab up in $((SECONDS - start)) s"
    ;;
  is-up)
    is_up || exit 1
    [ "$(cat "$STAMP_FILE" 2>/dev/null)" = "$(stamp)" ] || exit 2
    ;;
  status) status ;;
  down) down ;;
  *) echo "usage: $0 up|is-up|status|down" >&2; exit 2 ;;
esac
