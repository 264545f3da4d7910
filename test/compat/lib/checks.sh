# checks.sh -- small assertion helpers for cli-session.sh.
# Sourced; expects T (a scratch directory) to be set. Each command's stdout goes to
# $T/<name>.out and its stderr to $T/<name>.err.

PASSED=0
FAILED=0
XFAILED=0
# Known failures: lines `<SESSION>:<check> # <reason>` of expected-failures.txt
SESSION=${SESSION:-cli-session}
EXPECTED_FAILURES=${COMPAT_EXPECTED_FAILURES:-$(dirname "${BASH_SOURCE[0]}")/../expected-failures.txt}

known_failure() {
  [ -r "$EXPECTED_FAILURES" ] || return 1
  grep -F -- "$SESSION:$1 # " "$EXPECTED_FAILURES" | head -1 | sed 's/^[^#]* # //'
}

pass() {
  PASSED=$((PASSED + 1))
  local reason
  if reason=$(known_failure "$1") && [ -n "$reason" ]; then
    echo "ok $1 (NOW PASSING: remove it from expected-failures.txt)"
  else
    echo "ok $1"
  fi
}

fail() {
  local reason
  if reason=$(known_failure "$1") && [ -n "$reason" ]; then
    XFAILED=$((XFAILED + 1))
    echo "expected failure $1: ${2:-} (known: $reason)"
  else
    FAILED=$((FAILED + 1))
    echo "FAIL $1: ${2:-}"
  fi
}

# cmd NAME COMMAND... -- runs COMMAND, which must exit 0
cmd() {
  local name=$1 rc=0
  shift
  "$@" > "$T/$name.out" 2> "$T/$name.err" < /dev/null || rc=$?
  if [ "$rc" = 0 ]; then
    pass "$name"
  else
    fail "$name" "exit $rc: $(tail -n 3 "$T/$name.err" | tr '\n' ' ')"
  fi
  return "$rc"
}

# runs NAME COMMAND... -- runs COMMAND whatever its exit status (for client commands that fail
# after their request succeeded); its stderr is kept with stdout
runs() {
  local name=$1
  shift
  "$@" > "$T/$name.out" 2>&1 < /dev/null
  pass "$name (ran)"
}

# fails NAME COMMAND... -- runs COMMAND, which must exit non-zero (its stderr is kept with stdout)
fails() {
  local name=$1 rc=0
  shift
  "$@" > "$T/$name.out" 2>&1 < /dev/null || rc=$?
  if [ "$rc" != 0 ]; then
    pass "$name (refused)"
  else
    fail "$name" "succeeded but should have failed: $(head -c 300 "$T/$name.out")"
  fi
}

# The JSON document in a command's output (clients print "Request accepted ..." lines before it).
json_of() {
  sed -n '/^[[{]/,$p' "$T/$1.out"
}

# expect_json NAME FILTER [jq options...] -- FILTER must be true for the JSON output of NAME
expect_json() {
  local name=$1 filter=$2
  shift 2
  local doc
  doc=$(json_of "$name")
  if [ -n "$doc" ] && jq -e "$@" "$filter" <<< "$doc" > /dev/null 2>&1; then
    pass "$name: $filter"
  else
    fail "$name: $filter" "got $(jq -c . <<< "$doc" 2>/dev/null | head -c 600 || head -c 300 "$T/$name.out")"
  fi
}

# expect_output NAME REGEX -- the output (and stderr) of NAME must match REGEX
expect_output() {
  if grep -qE -- "$2" "$T/$1.out" "$T/$1.err" 2>/dev/null; then
    pass "$1: /$2/"
  else
    fail "$1: /$2/" "got $(cat "$T/$1.out" "$T/$1.err" 2>/dev/null | head -c 400 | tr '\n' ' ')"
  fi
}

# field NAME FILTER -- one value of the JSON output of NAME
field() {
  json_of "$1" | jq -r "$2" 2>/dev/null
}

# action_of NAME -- the action id printed by a command ("... accepted by action: <id>")
action_of() {
  grep -oE 'accepted by action:? [0-9a-f-]{36}' "$T/$1.out" | head -1 | grep -oE '[0-9a-f-]{36}$'
}

# wait_for DESCRIPTION COMMAND... -- COMMAND must succeed within WAIT_SECONDS (default 90)
wait_for() {
  local what=$1 deadline=$((SECONDS + ${WAIT_SECONDS:-90}))
  shift
  while [ "$SECONDS" -lt "$deadline" ]; do
    if "$@"; then
      pass "$what"
      return 0
    fi
    sleep 0.5
  done
  fail "$what" "not reached after ${WAIT_SECONDS:-90} s"
  return 1
}

# action_status_is ID REGEX -- the action's status matches the extended regular expression
action_status_is() {
  [[ "$(openstack cluster action show "$1" -f json 2>/dev/null | jq -r .status)" =~ ^($2)$ ]]
}

# wait_action NAME -- the action a command started must reach SUCCEEDED
wait_action() {
  local action
  action=$(action_of "$1")
  if [ -z "$action" ]; then
    fail "$1 action" "no action id in the output"
    return 1
  fi
  wait_for "$1 action SUCCEEDED" action_status_is "$action" SUCCEEDED
}

field_is() {
  [ "$(openstack cluster "$1" show "$2" -f json 2>/dev/null | jq -r "$3")" = "$4" ]
}

# wait_status node|cluster ID STATUS
wait_status() {
  wait_for "$1 $2 $3" field_is "$1" "$2" .status "$3"
}

# wait_field node|cluster ID FILTER VALUE
wait_field() {
  wait_for "$1 $2 $3 == $4" field_is "$1" "$2" "$3" "$4"
}

cluster_settled() {
  case $(openstack cluster show "$1" -f json 2>/dev/null | jq -r .status) in
    ACTIVE | WARNING | ERROR) return 0 ;;
    *) return 1 ;;
  esac
}

# gone node|cluster|... ID -- show fails
gone() {
  ! openstack cluster "$1" show "$2" > /dev/null 2>&1
}

summary() {
  echo "CHECKS passed=$PASSED failed=$FAILED expected_failures=$XFAILED"
  [ "$FAILED" = 0 ]
}
