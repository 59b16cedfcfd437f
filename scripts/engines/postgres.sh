#!/usr/bin/env bash
# Runs a command against a throwaway PostgreSQL 15 server on loopback:
#   scripts/engines/postgres.sh CMD [ARGS...]
# Installs Debian's postgresql-15 when missing (without creating or starting
# Debian's default cluster), creates a cluster with initdb in a temp dir,
# starts the server as a child of this script on 127.0.0.1 on a free port,
# exports the connection for the `postgres` target of profiles.yml
# (IA_PG_HOST, IA_PG_PORT, IA_PG_USER, IA_PG_DBNAME, DBT_ENV_SECRET_PG_PASSWORD,
# DBT_TARGET=postgres), runs CMD, and on any exit stops the server and deletes
# the cluster. The server is tuned for throwaway speed (fsync off): never
# point it at data you want to keep.
set -euo pipefail

if [[ $# -eq 0 ]]; then
    echo "usage: $0 CMD [ARGS...]" >&2
    exit 2
fi

PG_MAJOR=${IA_PG_MAJOR:-15}
PG_BIN=/usr/lib/postgresql/$PG_MAJOR/bin

if [[ $(id -u) -ne 0 ]]; then
    SUDO=sudo
else
    SUDO=
fi

# ---------- install (idempotent)
if [[ ! -x $PG_BIN/postgres ]]; then
    echo "installing Debian's postgresql-$PG_MAJOR (no default cluster)"
    # postgresql-common reads this before the package's postinst creates `main`
    $SUDO mkdir -p /etc/postgresql-common/createcluster.d
    echo "create_main_cluster = false" |
        $SUDO tee /etc/postgresql-common/createcluster.d/integration-adoption.conf >/dev/null
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
        "postgresql-$PG_MAJOR"
fi

# ---------- the cluster runs as an unprivileged user (initdb refuses root)
if [[ $(id -u) -eq 0 ]]; then
    RUN_AS=(setpriv --reuid=postgres --regid=postgres --init-groups --)
    OWNER=postgres
else
    RUN_AS=()
    OWNER=$(id -un)
fi

PG_DIR=$(mktemp -d "${TMPDIR:-/tmp}/ia-postgres.XXXXXX")
SERVER_PID=
cleanup() {
    local status=$?
    if [[ -n $SERVER_PID ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
        # SIGINT: PostgreSQL's fast shutdown
        kill -INT "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    rm -rf "$PG_DIR"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

chown "$OWNER" "$PG_DIR"
chmod 700 "$PG_DIR"

PG_USER=ia_admin
PG_PASSWORD=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
PG_DBNAME=${IA_PG_DBNAME:-integration_adoption}
PG_PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

printf '%s\n' "$PG_PASSWORD" >"$PG_DIR/pwfile"
chown "$OWNER" "$PG_DIR/pwfile"
"${RUN_AS[@]}" "$PG_BIN/initdb" --pgdata="$PG_DIR/data" --username="$PG_USER" \
    --pwfile="$PG_DIR/pwfile" --auth=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 \
    --no-sync >"$PG_DIR/initdb.log" 2>&1 || {
    cat "$PG_DIR/initdb.log" >&2
    exit 1
}
rm -f "$PG_DIR/pwfile"

# the server is a background child of this script; `cleanup` stops it
"${RUN_AS[@]}" "$PG_BIN/postgres" -D "$PG_DIR/data" \
    -c listen_addresses=127.0.0.1 -c port="$PG_PORT" -c unix_socket_directories="$PG_DIR" \
    -c timezone=UTC -c fsync=off -c synchronous_commit=off -c full_page_writes=off \
    -c jit=off -c shared_buffers=256MB -c work_mem=64MB -c max_connections=40 \
    >"$PG_DIR/server.log" 2>&1 &
SERVER_PID=$!

for _ in $(seq 1 100); do
    if "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT"; then
        break
    fi
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
        cat "$PG_DIR/server.log" >&2
        echo "postgres did not start" >&2
        exit 1
    fi
    sleep 0.2
done
"$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" || {
    cat "$PG_DIR/server.log" >&2
    echo "postgres is not ready after 20 s" >&2
    exit 1
}

export IA_PG_HOST=127.0.0.1
export IA_PG_PORT=$PG_PORT
export IA_PG_USER=$PG_USER
export IA_PG_DBNAME=$PG_DBNAME
export DBT_ENV_SECRET_PG_PASSWORD=$PG_PASSWORD
export DBT_TARGET=postgres
PGPASSWORD=$PG_PASSWORD psql -q -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" -d postgres \
    -v ON_ERROR_STOP=1 -c "create database \"$PG_DBNAME\""
echo "postgres $PG_MAJOR on 127.0.0.1:$PG_PORT (database $PG_DBNAME, user $PG_USER, dir $PG_DIR)"

"$@"
