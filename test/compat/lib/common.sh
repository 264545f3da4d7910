# common.sh -- logging, the step summary, packages and ports for test/compat/run.sh.
# Sourced; expects ROOT, COMPAT, WORK and OUT to be set.

log() { echo "[compat $(date +%T)] $*" >&2; }
die() {
  log "error: $*"
  record setup FAIL "$*"
  exit 1
}

# Seconds since the start of the current step (run.sh sets it before each step; the set-up
# counts from the start of the run).
STEP_STARTED=$SECONDS

# record STEP PASS|FAIL DETAILS... -- one line of the summary CI reads, with the step's time
record() {
  local step=$1 result=$2
  shift 2
  local line="COMPAT $step result=$result $* time=$((SECONDS - STEP_STARTED))s"
  echo "$line" >> "$OUT/summary.txt"
  log "${line#COMPAT }"
}

print_summary() {
  local overall=PASS
  echo
  echo "==== senlin-ts compatibility summary (logs and results: $OUT)"
  cat "$OUT/summary.txt"
  grep -q ' result=FAIL' "$OUT/summary.txt" && overall=FAIL
  [ -s "$OUT/summary.txt" ] || overall=FAIL
  echo "COMPAT RESULT $overall time=${SECONDS}s"
}

# free_port FIRST -- prints the first port >= FIRST nothing listens on (127.0.0.1)
free_port() {
  local port=$1 last=$(($1 + 100))
  while [ "$port" -le "$last" ]; do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
    port=$((port + 1))
  done
  return 1
}

# Installs the clients and suites with apt-get when missing; postinst scripts may not start
# services (policy-rc.d) and debconf asks nothing.
install_packages() {
  local pkgs="tempest senlin-tempest-plugin python3-senlinclient python3-openstackclient
    python3-openstacksdk rally python3-rally-openstack python3-subunit curl jq"
  local missing="" p made_policy=0
  for p in $pkgs; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
  [ -z "$missing" ] && return 0
  [ "$(id -u)" = 0 ] || { log "packages missing ($missing) and not running as root"; return 1; }
  log "installing:$missing"
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
    chmod +x /usr/sbin/policy-rc.d
    made_policy=1
  fi
  export DEBIAN_FRONTEND=noninteractive
  local rc=0
  {
    apt-get -o DPkg::Lock::Timeout=900 update -q &&
      # shellcheck disable=SC2086
      apt-get -o DPkg::Lock::Timeout=900 install -y -q --no-install-recommends $missing
  } > "$OUT/apt.log" 2>&1 || rc=$?
  [ "$made_policy" = 1 ] && rm -f /usr/sbin/policy-rc.d
  [ "$rc" = 0 ] || tail -n 20 "$OUT/apt.log" >&2
  return "$rc"
}

# Sets the OS_* variables of a Keystone user (admin | demo) for the clients.
use_credentials() {
  export OS_AUTH_URL=$KEYSTONE_URL/v3 OS_IDENTITY_API_VERSION=3 OS_REGION_NAME=$KEYSTONE_REGION
  export OS_USER_DOMAIN_NAME=Default OS_PROJECT_DOMAIN_NAME=Default OS_INTERFACE=public
  case $1 in
    demo) export OS_USERNAME=demo OS_PASSWORD=$KEYSTONE_DEMO_PASSWORD OS_PROJECT_NAME=demo ;;
    *) export OS_USERNAME=admin OS_PASSWORD=$KEYSTONE_ADMIN_PASSWORD OS_PROJECT_NAME=admin ;;
  esac
}

# run_session NAME COMMAND... -- a client session script; it prints `CHECKS passed=N failed=M`
run_session() {
  local name=$1 rc=0
  shift
  log "$name session"
  (use_credentials demo && "$@") > "$OUT/$name-session.log" 2>&1 || rc=$?
  local counts
  counts=$(grep -E '^CHECKS ' "$OUT/$name-session.log" | tail -1 | cut -d' ' -f2-)
  if [ "$rc" = 0 ]; then
    record "$name" PASS "$counts"
  else
    grep -E '^FAIL' "$OUT/$name-session.log" | head -20 >&2
    record "$name" FAIL "$counts exit=$rc log=$OUT/$name-session.log"
  fi
}
