# Start a throwaway PostgreSQL server on loopback (sourced by scripts/test).
# Its data directory lives in a temporary folder and is removed on exit.

start_throwaway_postgres() {
    local bin
    bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
    PG_BASE=$(mktemp -d /tmp/decisions-pg.XXXXXX)
    local run=()
    if [ "$(id -u)" -eq 0 ]; then
        chown postgres:postgres "$PG_BASE"
        run=(runuser -u postgres --)   # initdb refuses to run as root
    fi
    local port
    port=$(python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    "${run[@]}" "$bin/initdb" -D "$PG_BASE/data" -U postgres --auth=trust --encoding=UTF8 \
        --locale=C.UTF-8 --no-sync >/dev/null
    trap 'stop_throwaway_postgres' EXIT
    "${run[@]}" "$bin/pg_ctl" -D "$PG_BASE/data" -l "$PG_BASE/server.log" -w -t 30 \
        -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$PG_BASE -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=50" \
        start >/dev/null
    "$bin/psql" -q -h 127.0.0.1 -p "$port" -U postgres \
        -c "CREATE ROLE app LOGIN PASSWORD 'app' CREATEDB" -c "CREATE DATABASE app OWNER app"
    POSTGRES_URL="postgres://app:app@127.0.0.1:$port/app"
    PG_BIN=$bin
    PG_RUN=("${run[@]}")
    echo "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"
}

stop_throwaway_postgres() {
    "${PG_RUN[@]}" "$PG_BIN/pg_ctl" -D "$PG_BASE/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$PG_BASE"
}
