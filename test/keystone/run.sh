#!/bin/bash
# Runs the Keystone integration tests (test/keystone/) against a private Keystone started with
# .ci/keystone.sh, then stops that Keystone again unless it was already running before.
# Extra arguments go to vitest (e.g. `npm run test:keystone -- -t "revoked"`).
# Environment: the KEYSTONE_* variables of .ci/keystone.sh (KEYSTONE_PORT defaults to 35357).
set -euo pipefail
cd "$(dirname "$0")/../.."

export KEYSTONE_PORT=${KEYSTONE_PORT:-35357}
was_running=0
if bash .ci/keystone.sh status >/dev/null 2>&1; then was_running=1; fi

cleanup() {
  if [ "$was_running" = 0 ]; then bash .ci/keystone.sh stop || true; fi
}
trap cleanup EXIT

bash .ci/keystone.sh start
npx vitest run --config test/keystone/vitest.config.ts "$@"
