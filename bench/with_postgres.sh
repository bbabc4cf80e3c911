#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL server: bash bench/with_postgres.sh bench/run.py issue
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/postgres.sh
start_throwaway_postgres
DATABASE_URL="$POSTGRES_URL" python "$@"
