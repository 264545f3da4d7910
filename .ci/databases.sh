#!/usr/bin/env bash
# Makes sure PostgreSQL and MariaDB run on 127.0.0.1 and hold an empty `senlin_test` database
# each, for the test/db suite (run it with SENLIN_TEST_REQUIRE_DBS=1 afterwards). Idempotent:
# installs the servers only when missing, starts them only when down, creates the databases
# only when absent. Needs root (or sudo) for installing and starting.
set -euo pipefail

DB_NAME=${SENLIN_TEST_DB_NAME:-senlin_test}
WAIT_SECONDS=${SENLIN_TEST_DB_WAIT:-60}

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

log() { printf '[databases] %s\n' "$*"; }

apt_updated=0
apt_install() {
  if [ "$apt_updated" -eq 0 ]; then
    as_root apt-get -o DPkg::Lock::Timeout=900 update -qq
    apt_updated=1
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 install -y -qq "$@"
}

wait_for() {
  local what=$1
  shift
  for _ in $(seq "$WAIT_SECONDS"); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 1
  done
  log "$what did not come up within ${WAIT_SECONDS}s" >&2
  return 1
}

# --- PostgreSQL ------------------------------------------------------------------------------
pg_tcp() { psql -h 127.0.0.1 -U postgres -d postgres -tAq "$@"; }

if ! command -v pg_ctlcluster >/dev/null 2>&1 || ! ls /etc/postgresql/*/main >/dev/null 2>&1; then
  log 'installing postgresql'
  apt_install postgresql
fi
PG_VERSION=$(ls /etc/postgresql | sort -V | tail -n 1)
if ! pg_isready -h 127.0.0.1 -q; then
  log "starting PostgreSQL $PG_VERSION"
  as_root pg_ctlcluster --skip-systemctl-redirect "$PG_VERSION" main start || true
  wait_for PostgreSQL pg_isready -h 127.0.0.1 -q
fi
if ! pg_tcp -c 'select 1' >/dev/null 2>&1; then
  # Fresh installations ask for passwords on TCP; the test servers trust the loopback.
  hba=/etc/postgresql/$PG_VERSION/main/pg_hba.conf
  log "allowing trust authentication from 127.0.0.1 in $hba"
  as_root sed -i '1i host all all 127.0.0.1/32 trust' "$hba"
  as_root pg_ctlcluster --skip-systemctl-redirect "$PG_VERSION" main reload
  wait_for 'PostgreSQL trust authentication' pg_tcp -c 'select 1'
fi
if [ "$(pg_tcp -c "select 1 from pg_database where datname = '$DB_NAME'")" != 1 ]; then
  log "creating PostgreSQL database $DB_NAME"
  pg_tcp -c "create database $DB_NAME"
fi

# --- MariaDB ---------------------------------------------------------------------------------
my_tcp() { mysql -h 127.0.0.1 -uroot --batch --skip-column-names "$@"; }

if [ ! -x /usr/sbin/mariadbd ]; then
  log 'installing mariadb-server'
  apt_install mariadb-server
fi
if ! mysqladmin -h 127.0.0.1 -uroot status >/dev/null 2>&1 &&
  ! mysqladmin --protocol=socket -uroot status >/dev/null 2>&1; then
  log 'starting MariaDB'
  as_root mkdir -p /run/mysqld
  as_root chown mysql:mysql /run/mysqld 2>/dev/null || true
  as_root start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd
  wait_for MariaDB sh -c 'mysqladmin -h 127.0.0.1 -uroot status || mysqladmin --protocol=socket -uroot status'
fi
if ! my_tcp -e 'select 1' >/dev/null 2>&1; then
  # Fresh installations let root in through the Unix socket only.
  log 'allowing root without password from 127.0.0.1'
  as_root mysql --protocol=socket -uroot -e "
    create user if not exists 'root'@'127.0.0.1' identified by '';
    grant all privileges on *.* to 'root'@'127.0.0.1' with grant option;
    flush privileges;"
  wait_for 'MariaDB root login' my_tcp -e 'select 1'
fi
my_tcp -e "create database if not exists $DB_NAME character set utf8mb4"

log "PostgreSQL and MariaDB are up; database $DB_NAME exists on both"
