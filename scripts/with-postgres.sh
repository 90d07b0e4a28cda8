#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL cluster (installed from Debian's packages if absent),
# with DATABASE_URL pointing at its empty database "doudi". Used by .ci/run and `make bench`.
#   scripts/with-postgres.sh COMMAND [ARGS...]
set -uo pipefail
if ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null || exit 1
fi
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
PGDATA=$(mktemp -d /tmp/doudi-pg.XXXXXX)
PGPORT=${DOUDI_PGPORT:-$((55000 + RANDOM % 1000))}
as_pg() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/bash -c "$*"; else bash -c "$*"; fi; }
[ "$(id -u)" = 0 ] && chown postgres "$PGDATA"
as_pg "$PGBIN/initdb -D $PGDATA -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null" || exit 1
# Durability switches are off: this cluster is thrown away after the run.
as_pg "$PGBIN/pg_ctl -D $PGDATA -o '-p $PGPORT -k /tmp -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c shared_buffers=1GB -c max_wal_size=8GB -c work_mem=64MB -c maintenance_work_mem=512MB' -l $PGDATA/log -w start >/dev/null" || { cat "$PGDATA/log"; exit 1; }
trap 'as_pg "$PGBIN/pg_ctl -D $PGDATA -m fast stop" >/dev/null 2>&1; rm -rf "$PGDATA"' EXIT
psql -h /tmp -p "$PGPORT" -U postgres -qc "CREATE DATABASE doudi" || exit 1
echo "PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') on port $PGPORT"
DATABASE_URL="postgres://postgres@%2Ftmp:$PGPORT/doudi" "$@"
