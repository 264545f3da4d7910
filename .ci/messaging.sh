#!/usr/bin/env bash
# Makes sure RabbitMQ runs on 127.0.0.1:5672 (guest/guest) and that Python's oslo.messaging
# (Debian's python3-oslo.messaging, the peer of test/messaging) is installed, for the
# messaging tests (run them with SENLIN_TEST_REQUIRE_RABBIT=1 afterwards). Idempotent:
# installs only what is missing, starts RabbitMQ only when it is down. Needs root (or sudo).
set -euo pipefail

WAIT_SECONDS=${SENLIN_TEST_RABBIT_WAIT:-60}

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

log() { printf '[messaging] %s\n' "$*"; }

apt_updated=0
apt_install() {
  if [ "$apt_updated" -eq 0 ]; then
    as_root apt-get -o DPkg::Lock::Timeout=900 update -qq
    apt_updated=1
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 install -y -qq "$@"
}

rabbit_up() { (exec 3<>/dev/tcp/127.0.0.1/5672) 2>/dev/null; }

if [ ! -x /usr/lib/rabbitmq/bin/rabbitmq-server ]; then
  log 'installing rabbitmq-server'
  apt_install rabbitmq-server
fi
if ! /usr/bin/python3 -c 'import oslo_messaging' >/dev/null 2>&1; then
  log 'installing python3-oslo.messaging'
  apt_install python3-oslo.messaging
fi
if ! rabbit_up; then
  log 'starting RabbitMQ'
  as_root rabbitmq-server -detached || true
  for _ in $(seq "$WAIT_SECONDS"); do
    if rabbit_up; then break; fi
    sleep 1
  done
  if ! rabbit_up; then
    log "RabbitMQ did not come up within ${WAIT_SECONDS}s" >&2
    exit 1
  fi
fi
log 'RabbitMQ listens on 127.0.0.1:5672; python3-oslo.messaging is installed'
