#!/usr/bin/env bash
# A PostgreSQL 15 hot standby of the local primary (127.0.0.1:5432) on 127.0.0.1:5433, by
# streaming replication, from the Debian packages (postgresql-common: pg_createcluster).
# Idempotent: does nothing when the standby is already streaming. Run as root.
# Used by .ci/run for tests/scale/replicas.test.ts (TEST_REPLICA_URL) and documented in
# docs/scaling.md "Read replicas". `standby.sh drop` removes it.
set -euo pipefail
VER=15
PRIMARY_PORT=5432
PORT=5433
NAME=replica
DATA=/var/lib/postgresql/$VER/$NAME
CONF=/etc/postgresql/$VER/$NAME

if [ "${1:-}" = drop ]; then
  pg_dropcluster --stop "$VER" "$NAME" 2>/dev/null || true
  echo "standby: dropped"
  exit 0
fi

if pg_isready -h 127.0.0.1 -p "$PORT" -q &&
  [ "$(psql -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -Atc 'SELECT pg_is_in_recovery()' 2>/dev/null)" = t ]; then
  echo "standby: already streaming on $PORT"
  exit 0
fi

# the primary lets loopback replicate (trust, as the rest of this machine's loopback)
HBA=/etc/postgresql/$VER/main/pg_hba.conf
if ! grep -Eq '^host[[:space:]]+replication[[:space:]]' "$HBA"; then
  echo 'host replication all 127.0.0.1/32 trust' >>"$HBA"
  pg_ctlcluster "$VER" main reload
fi

pg_dropcluster --stop "$VER" "$NAME" 2>/dev/null || true
pg_createcluster "$VER" "$NAME" -p "$PORT" >/dev/null
cp "$HBA" "$CONF/pg_hba.conf"
rm -rf "$DATA"
install -d -o postgres -g postgres -m 700 "$DATA"
# a copy of the primary that keeps following it (-R writes primary_conninfo and standby.signal)
su postgres -c "pg_basebackup -h 127.0.0.1 -p $PRIMARY_PORT -U postgres -D $DATA -R -X stream -c fast"
pg_ctlcluster "$VER" "$NAME" start
for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p "$PORT" -q && break; sleep 1; done
psql -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -Atc 'SELECT pg_is_in_recovery()' | grep -qx t
echo "standby: streaming on $PORT"
