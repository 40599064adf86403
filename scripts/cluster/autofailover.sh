#!/usr/bin/env bash
# Automatic failover (issue 15) with pg_auto_failover (Debian `postgresql-15-auto-failover`,
# `pg_autoctl`) on one machine, on loopback, separate from the main cluster on 5432 and from
# pair.sh's 5434/5435: a monitor and two data nodes, each a `pg_autoctl run` supervising its own
# PostgreSQL 15, as the `postgres` OS user (pg_autoctl refuses root), all in one folder
# ($ATLAS_AF_DIR, default /tmp/atlas-autofailover: data, configuration, state, logs):
#   autofailover.sh up          monitor on 5440, data nodes `node1` on 5441 (the first primary) and
#                               `node2` on 5442 (its synchronous hot standby); PostGIS in their
#                               `postgres` database. The monitor's health checks are tuned so that a
#                               lost primary is replaced within seconds, not the default ~minute
#                               (see MONITOR_GUCS below and docs/scaling.md "Automatic failover")
#   autofailover.sh state       `pg_autoctl show state`: each node's current and assigned state
#   autofailover.sh primary     the port of the node the monitor holds as primary
#   autofailover.sh stop-postgres PORT
#                               only the PostgreSQL of the node on PORT stops (`pg_ctl stop -m
#                               immediate`), its keeper runs on and reports it: when that node is the
#                               primary, the monitor promotes the standby, and the keeper brings its
#                               node back as the new standby
#   autofailover.sh crash PORT  the node on PORT stops at once, its keeper with it (`pg_autoctl stop
#                               --immediate`): a machine lost; the monitor's health checks find it.
#                               In neither case does anybody promote by hand — the monitor does
#   autofailover.sh wait-pair   waits (≤ 60 s) until one node is primary and the other its secondary
#   autofailover.sh events [SINCE]  the monitor's state changes (since the ISO time SINCE)
#   autofailover.sh drop        stops and removes everything
# Run as root or as postgres. docs/scaling.md "Automatic failover".
set -euo pipefail
DIR=${ATLAS_AF_DIR:-/tmp/atlas-autofailover}
BIN=/usr/lib/postgresql/15/bin
MP=5440
NODES=(node1:5441 node2:5442)
PRIMARY_STATES="'single', 'wait_primary', 'primary'"
MONITOR_URI="postgres://autoctl_node@127.0.0.1:$MP/pg_auto_failover?sslmode=disable"

# The monitor's defaults: a health check every 5 s, 5 s timeout, 2 retries 2 s apart, a node
# unhealthy 20 s after its last report, 30 s for a lost primary to demote itself: ~60 s before a
# promotion. Here, on loopback: a check every second, 1 s timeout, 1 retry after 0.5 s, unhealthy
# after 3 s, and 5 s of demote timeout (the old primary cannot answer anyway when its machine is
# gone; the standby waits that long so that a primary that is only cut off has demoted itself).
MONITOR_GUCS=(
  "pgautofailover.health_check_period = 1000"
  "pgautofailover.health_check_timeout = 1000"
  "pgautofailover.health_check_max_retries = 1"
  "pgautofailover.health_check_retry_delay = 500"
  "pgautofailover.node_considered_unhealthy_timeout = 3000"
  "pgautofailover.primary_demote_timeout = 5000"
)
# The keepers' (pg_autoctl config set): the standby promotes once it has waited at most this long
# for the WAL it still has to replay (default 30 s); a primary that can reach neither the monitor
# nor its standby demotes itself after network_partition_timeout (default 20 s) — kept below the
# monitor's primary_demote_timeout + unhealthy timeout so a cut-off primary stops taking writes first
KEEPER_SETTINGS=(
  "timeout.prepare_promotion_catchup 10"
  "timeout.prepare_promotion_walreceiver 2"
  "timeout.network_partition_timeout 6"
)

# pg_autoctl as the postgres OS user, with its configuration and state in $DIR (not ~postgres)
as_pg() {
  local env=(env "XDG_CONFIG_HOME=$DIR/xdg/config" "XDG_DATA_HOME=$DIR/xdg/data" "XDG_RUNTIME_DIR=$DIR/xdg/run"
    "PG_CONFIG=$BIN/pg_config" "PATH=$BIN:/usr/bin:/bin" "PGHOST=127.0.0.1")
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "${env[@]}" "$@"; else "${env[@]}" "$@"; fi
}

# `pg_autoctl run` for one folder in the background, in its own process group, logging to $DIR/NAME.log
start() {
  as_pg setsid pg_autoctl run --pgdata "$DIR/$1" >>"$DIR/$1.log" 2>&1 </dev/null &
  echo $! >"$DIR/$1.run.pid"
}

# waits (≤ 60 s) until `SELECT $2` on the monitor returns t
wait_monitor() {
  for _ in $(seq 1 120); do
    [ "$(psql -h 127.0.0.1 -p $MP -U autoctl_node -d pg_auto_failover -XAtc "SELECT $1" 2>/dev/null)" = t ] && return 0
    sleep 0.5
  done
  echo "autofailover: timed out waiting for: $1" >&2
  as_pg pg_autoctl show state --pgdata "$DIR/monitor" >&2 || true
  return 1
}

wait_ready() {
  for _ in $(seq 1 120); do pg_isready -h 127.0.0.1 -p "$1" -q && return 0; sleep 0.5; done
  echo "autofailover: nothing listens on $1" >&2
  return 1
}

# the node (folder name) on port $1
node_of() {
  for n in "${NODES[@]}"; do
    [ "${n##*:}" = "$1" ] && echo "${n%%:*}" && return 0
  done
  echo "autofailover: no node on port '$1'" >&2
  return 2
}

node_state() {
  echo "EXISTS (SELECT 1 FROM pgautofailover.node WHERE nodename = '$1' AND reportedstate = '$2' AND goalstate = '$2')"
}

drop() {
  [ -d "$DIR" ] || return 0
  for n in "${NODES[@]}" monitor:$MP; do
    local name=${n%%:*}
    [ -d "$DIR/$name" ] && as_pg pg_autoctl stop --pgdata "$DIR/$name" --immediate >/dev/null 2>&1 || true
  done
  # whatever is left of those process groups (a supervisor that did not answer)
  for f in "$DIR"/*.run.pid; do
    [ -e "$f" ] || continue
    local pid
    pid=$(cat "$f")
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -KILL -- "-$pid" 2>/dev/null || true
  done
  rm -rf "$DIR"
}

case "${1:-}" in
up)
  command -v pg_autoctl >/dev/null || {
    echo "autofailover: pg_autoctl is missing (apt-get install postgresql-15-auto-failover)" >&2
    exit 1
  }
  drop
  install -d -m 700 "$DIR"
  [ "$(id -u)" = 0 ] && chown postgres:postgres "$DIR"
  as_pg install -d -m 700 "$DIR/xdg/config" "$DIR/xdg/data" "$DIR/xdg/run"
  as_pg pg_autoctl create monitor --pgdata "$DIR/monitor" --pgport $MP --hostname 127.0.0.1 \
    --auth trust --no-ssl --pgctl "$BIN/pg_ctl" >>"$DIR/monitor.log" 2>&1
  as_pg pg_autoctl config set --pgdata "$DIR/monitor" postgresql.listen_addresses 127.0.0.1 >/dev/null
  printf '%s\n' "${MONITOR_GUCS[@]}" | as_pg tee -a "$DIR/monitor/postgresql.conf" >/dev/null
  start monitor
  wait_monitor "true"
  for n in "${NODES[@]}"; do
    name=${n%%:*}
    port=${n##*:}
    as_pg pg_autoctl create postgres --pgdata "$DIR/$name" --pgport "$port" --listen 127.0.0.1 --hostname 127.0.0.1 \
      --name "$name" --dbname postgres --auth trust --no-ssl --pgctl "$BIN/pg_ctl" --monitor "$MONITOR_URI" >>"$DIR/$name.log" 2>&1
    for s in "${KEEPER_SETTINGS[@]}"; do
      # shellcheck disable=SC2086
      as_pg pg_autoctl config set --pgdata "$DIR/$name" $s >/dev/null
    done
    start "$name"
    if [ "$name" = node1 ]; then
      wait_monitor "$(node_state node1 single)"
      wait_ready "$port"
      # before the standby exists: its base backup copies it
      # (the app, HAProxy's check and the tests connect as postgres over loopback: initdb's trust rules)
      psql -h 127.0.0.1 -p "$port" -U postgres -d postgres -qc 'CREATE EXTENSION IF NOT EXISTS postgis'
      # write PostGIS's pages now: the base backup's own checkpoint is a spread one, 0.1 s a page (~2 min)
      psql -h 127.0.0.1 -p "$port" -U postgres -d postgres -qc 'CHECKPOINT'
    fi
  done
  wait_monitor "$(node_state node1 primary) AND $(node_state node2 secondary)"
  echo "autofailover: monitor on $MP, primary node1 on 5441, synchronous standby node2 on 5442 ($DIR)"
  ;;
state)
  as_pg pg_autoctl show state --pgdata "$DIR/monitor"
  ;;
primary)
  psql -h 127.0.0.1 -p $MP -U autoctl_node -d pg_auto_failover -XAtc \
    "SELECT nodeport FROM pgautofailover.node WHERE goalstate IN ($PRIMARY_STATES) AND reportedstate IN ($PRIMARY_STATES)"
  ;;
wait-pair)
  wait_monitor "EXISTS (SELECT 1 FROM pgautofailover.node WHERE reportedstate = 'primary' AND goalstate = 'primary')
    AND EXISTS (SELECT 1 FROM pgautofailover.node WHERE reportedstate = 'secondary' AND goalstate = 'secondary')"
  ;;
stop-postgres)
  name=$(node_of "${2:-}")
  as_pg pg_ctl --pgdata "$DIR/$name" stop -m immediate >/dev/null
  echo "autofailover: PostgreSQL of $name on $2 stopped"
  ;;
events)
  psql -h 127.0.0.1 -p $MP -U autoctl_node -d pg_auto_failover -XAtF ' ' -v since="${2:-epoch}" <<'SQL'
SELECT to_char(eventtime, 'HH24:MI:SS.MS'), nodename, reportedstate::text || ' → ' || goalstate::text, left(description, 140)
  FROM pgautofailover.event WHERE eventtime >= :'since'::timestamptz ORDER BY eventid
SQL
  ;;
crash)
  name=$(node_of "${2:-}")
  as_pg pg_autoctl stop --pgdata "$DIR/$name" --immediate
  echo "autofailover: $name on $2 stopped, keeper and PostgreSQL"
  ;;
drop)
  drop
  echo "autofailover: dropped"
  ;;
*)
  echo "usage: autofailover.sh up|state|primary|wait-pair|events [SINCE]|stop-postgres PORT|crash PORT|drop" >&2
  exit 2
  ;;
esac
