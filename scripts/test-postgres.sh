#!/usr/bin/env bash
# Starts a PostgreSQL server for the tests on 127.0.0.1 only (installing it from Debian when it is
# missing), with a role and database for them, and prints the URL to export as
# MES_TRACE_PG_TEST_URL (a second role, mes_trace_noaccess, can log in but read nothing). Needs root (apt-get, and running the server as the postgres user).
#   url=$(bash scripts/test-postgres.sh) && export MES_TRACE_PG_TEST_URL="$url"
set -euo pipefail

if ! command -v pg_ctlcluster >/dev/null 2>&1; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null) >&2
fi
version=$(ls /etc/postgresql | sort -V | tail -n 1)
[ -n "$version" ] || { echo "test-postgres: no PostgreSQL cluster found under /etc/postgresql" >&2; exit 1; }
if ! pg_ctlcluster "$version" main status >/dev/null 2>&1; then
  pg_ctlcluster "$version" main start -o "-c listen_addresses=127.0.0.1" >&2
fi
for _ in $(seq 1 30); do
  su postgres -c "psql -qAt -c 'SELECT 1'" >/dev/null 2>&1 && break
  sleep 1
done
su postgres -c "psql -qAt -v ON_ERROR_STOP=1" >&2 <<'SQL'
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'mes_trace_test') THEN
    CREATE ROLE mes_trace_test LOGIN PASSWORD 'mes_trace_test' CREATEDB;
  END IF;
  -- A user that may connect but read nothing, for the permission-denied test.
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'mes_trace_noaccess') THEN
    CREATE ROLE mes_trace_noaccess LOGIN PASSWORD 'mes_trace_noaccess';
  END IF;
END $$;
-- The password tests make a throw-away role with a random password (and drop it again).
ALTER ROLE mes_trace_test CREATEROLE;
SQL
if ! su postgres -c "psql -qAt -c \"SELECT 1 FROM pg_database WHERE datname = 'mes_trace_test'\"" | grep -q 1; then
  su postgres -c "createdb -O mes_trace_test mes_trace_test" >&2
fi
echo "postgres://mes_trace_test:mes_trace_test@127.0.0.1:5432/mes_trace_test"
