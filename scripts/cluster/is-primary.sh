#!/bin/sh
# HAProxy external check (scripts/cluster/balancer.ts): succeeds when the PostgreSQL server at
# $3:$4 answers and is a primary (not in recovery).
[ "$(psql -h "$3" -p "$4" -U postgres -d postgres -XAtc 'SELECT pg_is_in_recovery()' 2>/dev/null)" = f ]
