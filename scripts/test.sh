#!/usr/bin/env bash
# README's test command (`npm test`) runs this. It checks the code first (formatting,
# ESLint, the import layers, unused exports: `npm run lint`) and stops at the first
# failure. Then, on a fresh Debian machine, it installs PostgreSQL 15 with HypoPG and
# pg_qualstats if they are missing, starts a throwaway cluster on its own port and data
# directory, runs every test, and stops the cluster.
# Set INDEXWISE_TEST_PG_URL to use a server you already run instead.
set -euo pipefail
cd "$(dirname "$0")/.."

npm run --silent lint

PORT=${INDEXWISE_TEST_PG_PORT:-54329}
BASE=${INDEXWISE_TEST_PG_DIR:-/tmp/indexwise-test-pg-$PORT}
# shellcheck source=scripts/pg-cluster.sh
source scripts/pg-cluster.sh

if [ -z "${INDEXWISE_TEST_PG_URL:-}" ]; then
  ensure_packages
  start_cluster
  trap stop_cluster EXIT
  export INDEXWISE_TEST_PG_URL="postgres://postgres@127.0.0.1:$PORT/postgres"
  export INDEXWISE_TEST_PG_LOG_DIR="$BASE/logs"
  export INDEXWISE_TEST_PG_PORT="$PORT"
fi

npm run --silent build
npx vitest run "$@"
