#!/usr/bin/env bash
# Throwaway PostgreSQL cluster for the test suite.
#
#   scripts/pg-test-server.sh start    init (if needed) + start, wait until ready; idempotent
#   scripts/pg-test-server.sh stop     stop the server and delete the cluster; idempotent
#   scripts/pg-test-server.sh url      print the connection URL
#   scripts/pg-test-server.sh status   exit 0 when running
#   scripts/pg-test-server.sh pause    stop the server (pg_ctl stop -m fast) but keep the cluster
#   scripts/pg-test-server.sh resume   start a paused cluster again, wait until ready
#
# Uses Debian's /usr/lib/postgresql/<newest>/bin (override: PG_BINDIR=...).
# The cluster lives in <repo>/.tmp/pg and listens on 127.0.0.1 only (no Unix socket),
# on a free port picked at start (remembered in .tmp/pg/port, so `url` finds it), trust
# auth, superuser `catalogus`, database `catalogus_test`. Two checkouts on one machine
# therefore never collide.
# A fixed port and a second, independent cluster: set PGPORT for every command
# (e.g. PGPORT=54330 scripts/pg-test-server.sh start); it lives in <repo>/.tmp/pg-54330.
# As root the server runs as the `postgres` system user (PostgreSQL refuses root).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
if [[ -n ${PGPORT:-} ]]; then
  BASE=$ROOT/.tmp/pg-$PGPORT
else
  BASE=$ROOT/.tmp/pg
fi
PG_HOST=127.0.0.1
PG_USER=catalogus
PG_DB=catalogus_test
PORT_FILE=$BASE/port
LOCATION_FILE=$BASE/location   # where the cluster really lives (see pick_location)

die() { echo "pg-test-server: $*" >&2; exit 1; }
log() { echo "pg-test-server: $*" >&2; }

port() {
  if [[ -n ${PGPORT:-} ]]; then echo "$PGPORT"
  elif [[ -f $PORT_FILE ]]; then cat "$PORT_FILE"
  fi
}

url() {
  local p
  p=$(port)
  [[ -n $p ]] || die "no cluster started (scripts/pg-test-server.sh start), so no port yet"
  echo "postgresql://$PG_USER@$PG_HOST:$p/$PG_DB"
}

# A port nobody listens on now: the kernel's pick for a socket bound to port 0.
free_port() {
  local python
  python=$(command -v "$ROOT/.venv/bin/python" python3 2>/dev/null | head -n 1)
  [[ -n $python ]] || die "need python3 to pick a free port (or set PGPORT)"
  "$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

bindir() {
  if [[ -n ${PG_BINDIR:-} ]]; then echo "$PG_BINDIR"; return; fi
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  [[ -n $d && -x $d/initdb ]] || die "no /usr/lib/postgresql/*/bin/initdb (apt-get install postgresql)"
  echo "$d"
}

is_root() { [[ $(id -u) -eq 0 ]]; }

# Run a server-side command as the cluster owner.
as_owner() {
  if is_root; then
    (cd / && runuser -u postgres -- "$@")
  else
    "$@"
  fi
}

# The directory holding data/ and postgres.log. Normally $BASE/cluster; as root, when
# the `postgres` user cannot reach the repo (e.g. a checkout under /root), fall back
# to a private directory under /tmp and remember it in $LOCATION_FILE.
pick_location() {
  if [[ -f $LOCATION_FILE ]]; then cat "$LOCATION_FILE"; return; fi
  local loc=$BASE/cluster
  if is_root; then
    id postgres >/dev/null 2>&1 || die "running as root but there is no 'postgres' user"
    if ! runuser -u postgres -- test -x "$BASE" 2>/dev/null; then
      loc=$(mktemp -d /tmp/catalogus-pg.XXXXXX)
      log "postgres user cannot reach $BASE; using $loc"
    fi
  fi
  echo "$loc" >"$LOCATION_FILE"
  echo "$loc"
}

location() { [[ -f $LOCATION_FILE ]] && cat "$LOCATION_FILE" || echo "$BASE/cluster"; }

running() {
  local data
  data=$(location)/data
  [[ -f $data/PG_VERSION ]] || return 1
  as_owner "$(bindir)/pg_ctl" status -D "$data" >/dev/null 2>&1
}

cmd_start() {
  local bin loc data logf p attempt
  bin=$(bindir)
  mkdir -p "$BASE"
  loc=$(pick_location)
  data=$loc/data
  logf=$loc/postgres.log

  if running; then
    log "already running ($(url))"
  else
    mkdir -p "$loc"
    if is_root; then chown postgres:postgres "$loc"; fi
    if [[ ! -f $data/PG_VERSION ]]; then
      rm -rf "$data"
      log "initdb ($bin) in $data"
      as_owner "$bin/initdb" -D "$data" -U "$PG_USER" --auth=trust -E UTF8 --no-locale \
        >"$BASE/initdb.log" 2>&1 || { cat "$BASE/initdb.log" >&2; die "initdb failed"; }
      as_owner tee -a "$data/postgresql.conf" >/dev/null <<'EOF'

# --- catalogus throwaway test cluster ---
listen_addresses = '127.0.0.1'
unix_socket_directories = ''
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 100
EOF
    fi
    # A fixed PGPORT is tried once; a picked port again with a new one if someone took it meanwhile.
    for attempt in 1 2 3; do
      p=${PGPORT:-$( [[ -f $PORT_FILE && $attempt -eq 1 ]] && cat "$PORT_FILE" || free_port )}
      echo "$p" >"$PORT_FILE"
      log "starting on $PG_HOST:$p (log: $logf)"
      if as_owner "$bin/pg_ctl" start -D "$data" -l "$logf" -w -t 60 -o "-p $p" >/dev/null; then
        break
      fi
      tail -n 30 "$logf" >&2 2>/dev/null || true
      if [[ -n ${PGPORT:-} || $attempt -eq 3 ]]; then die "pg_ctl start failed (port $p in use?)"; fi
      log "port $p did not work; trying another"
    done
  fi

  p=$(port)
  local i
  for i in $(seq 1 60); do
    "$bin/pg_isready" -q -h "$PG_HOST" -p "$p" -d postgres -U "$PG_USER" && break
    [[ $i -eq 60 ]] && die "server not ready after 30s"
    sleep 0.5
  done

  if [[ -z $("$bin/psql" -h "$PG_HOST" -p "$p" -U "$PG_USER" -d postgres -tAXc \
        "select 1 from pg_database where datname = '$PG_DB'") ]]; then
    "$bin/createdb" -h "$PG_HOST" -p "$p" -U "$PG_USER" -O "$PG_USER" "$PG_DB"
  fi
  log "ready: $(url)"
}

cmd_stop() {
  local loc data
  if [[ ! -d $BASE ]]; then return 0; fi
  loc=$(location)
  data=$loc/data
  if running; then
    log "stopping"
    as_owner "$(bindir)/pg_ctl" stop -D "$data" -m fast -w -t 30 >/dev/null 2>&1 \
      || as_owner "$(bindir)/pg_ctl" stop -D "$data" -m immediate -w -t 30 >/dev/null 2>&1 \
      || log "warning: pg_ctl stop failed"
  fi
  case $loc in
    "$BASE"/*|/tmp/catalogus-pg.*) rm -rf "$loc" ;;
  esac
  rm -rf "$BASE"
}

# Stop the server but keep its data: for tests of a database that goes away and comes back.
cmd_pause() {
  local data
  data=$(location)/data
  [[ -f $data/PG_VERSION ]] || die "no cluster to pause (start it first)"
  if running; then
    log "pausing (pg_ctl stop -m fast; data kept)"
    as_owner "$(bindir)/pg_ctl" stop -D "$data" -m fast -w -t 30 >/dev/null
  fi
}

cmd_resume() {
  local data
  data=$(location)/data
  [[ -f $data/PG_VERSION ]] || die "no cluster to resume (start it first)"
  cmd_start
}

case ${1:-} in
  start)  cmd_start ;;
  stop)   cmd_stop ;;
  pause)  cmd_pause ;;
  resume) cmd_resume ;;
  url)    url ;;
  status) if running; then echo "running: $(url)"; else echo "stopped"; exit 1; fi ;;
  *) echo "usage: $0 start|stop|pause|resume|url|status" >&2; exit 2 ;;
esac
