#!/usr/bin/env bash
# A primary and a synchronous hot standby for the failover test and demo (issue 15), from the
# Debian packages (postgresql-common), on loopback, separate from the main cluster on 5432:
#   pair.sh up       primary `fo_p` on 5434 (synchronous_standby_names = '*': a commit returns
#                    only once the standby has it), standby `fo_s` on 5435 streaming from it;
#                    PostGIS in their `postgres` database
#   pair.sh promote  the documented failover command: promote `fo_s` to primary
#   pair.sh drop     stop and remove both
# Run as root. docs/scaling.md "Failover".
set -euo pipefail
VER=15
P=fo_p
S=fo_s
PP=5434
SP=5435

trust_hba() {
  cat >"/etc/postgresql/$VER/$1/pg_hba.conf" <<'HBA'
local all all trust
host all all 127.0.0.1/32 trust
host replication all 127.0.0.1/32 trust
HBA
}

wait_ready() {
  for _ in $(seq 1 60); do pg_isready -h 127.0.0.1 -p "$1" -q && return 0; sleep 0.5; done
  echo "pair: nothing listens on $1" >&2
  return 1
}

case "${1:-}" in
up)
  pg_dropcluster --stop "$VER" "$S" 2>/dev/null || true
  pg_dropcluster --stop "$VER" "$P" 2>/dev/null || true
  pg_createcluster "$VER" "$P" -p "$PP" -- --auth=trust >/dev/null
  trust_hba "$P"
  echo 'wal_keep_size = 256MB' >>"/etc/postgresql/$VER/$P/postgresql.conf"
  pg_ctlcluster "$VER" "$P" start
  wait_ready "$PP"
  psql -h 127.0.0.1 -p "$PP" -U postgres -d postgres -qc 'CREATE EXTENSION IF NOT EXISTS postgis'
  pg_createcluster "$VER" "$S" -p "$SP" >/dev/null
  trust_hba "$S"
  D=/var/lib/postgresql/$VER/$S
  rm -rf "$D"
  install -d -o postgres -g postgres -m 700 "$D"
  su postgres -c "pg_basebackup -h 127.0.0.1 -p $PP -U postgres -D $D -R -X stream -c fast"
  pg_ctlcluster "$VER" "$S" start
  wait_ready "$SP"
  # synchronous from now on (not before: a commit would wait for a standby that does not exist yet)
  psql -h 127.0.0.1 -p "$PP" -U postgres -d postgres -qc "ALTER SYSTEM SET synchronous_standby_names = '*'" -c 'SELECT pg_reload_conf()' >/dev/null
  echo "pair: primary on $PP, synchronous standby on $SP"
  ;;
promote)
  pg_ctlcluster "$VER" "$S" promote
  echo "pair: $S promoted"
  ;;
drop)
  pg_dropcluster --stop "$VER" "$S" 2>/dev/null || true
  pg_dropcluster --stop "$VER" "$P" 2>/dev/null || true
  echo "pair: dropped"
  ;;
*)
  echo "usage: pair.sh up|promote|drop" >&2
  exit 2
  ;;
esac
