#!/usr/bin/env bash
# First start of the postgres container (docker-entrypoint-initdb.d): one role and one database
# per service. Every database is owned by its service's role, and only that role (and the
# superuser) may connect to it: CONNECT is revoked from PUBLIC.
#
# Passwords come from the environment; the defaults are for local use only. They end up in the
# services' DATABASE_URLs, so keep them URL-safe (or percent-encode them there).
set -euo pipefail

: "${POSTGRES_USER:=postgres}"
: "${POSTGRES_DB:=$POSTGRES_USER}"

run_sql() {
    psql -v ON_ERROR_STOP=1 --no-psqlrc --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" "$@"
}

# create_service_database ROLE DATABASE PASSWORD
create_service_database() {
    local role="$1" database="$2" password="$3"
    echo "creating role ${role} and database ${database}"
    run_sql -v role="$role" -v database="$database" -v password="$password" <<'SQL'
CREATE ROLE :"role" LOGIN PASSWORD :'password';
CREATE DATABASE :"database" OWNER :"role" ENCODING 'UTF8';
REVOKE CONNECT, TEMPORARY ON DATABASE :"database" FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE :"database" TO :"role";
SQL
}

create_service_database meldpunt   zt_meldpunt   "${MELDPUNT_DB_PASSWORD:-meldpunt}"
create_service_database toezicht   zt_toezicht   "${TOEZICHT_DB_PASSWORD:-toezicht}"
create_service_database handhaving zt_handhaving "${HANDHAVING_DB_PASSWORD:-handhaving}"
create_service_database register   zt_register   "${REGISTER_DB_PASSWORD:-register}"

# The maintenance databases are not for the service roles either.
run_sql -v database="$POSTGRES_DB" <<'SQL'
REVOKE CONNECT, TEMPORARY ON DATABASE :"database" FROM PUBLIC;
REVOKE CONNECT, TEMPORARY ON DATABASE template1 FROM PUBLIC;
SQL
