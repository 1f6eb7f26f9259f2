#!/usr/bin/env bash
# `npm run bench:advise` (and any benchmark that needs a server) runs this:
#   scripts/bench.sh bench/advise/main.ts
# It installs PostgreSQL 15 with HypoPG when missing, starts a throwaway cluster on its
# own port and data directory (never the machine's own server), runs the benchmark with
# INDEXWISE_BENCH_PG_URL pointing at it, and stops the cluster.
# Set INDEXWISE_BENCH_PG_URL to use a server you already run instead.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ $# -lt 1 ]; then
  echo "usage: scripts/bench.sh FILE.ts [ARGS...]" >&2
  exit 2
fi

PORT=${INDEXWISE_BENCH_PG_PORT:-54340}
BASE=/tmp/indexwise-bench-pg-$PORT
# shellcheck source=scripts/pg-cluster.sh
source scripts/pg-cluster.sh

if [ -z "${INDEXWISE_BENCH_PG_URL:-}" ]; then
  ensure_packages
  start_cluster
  trap stop_cluster EXIT
  export INDEXWISE_BENCH_PG_URL="postgres://postgres@127.0.0.1:$PORT/postgres"
fi

npx tsx "$@"
