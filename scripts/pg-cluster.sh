#!/usr/bin/env bash
# Sourced by scripts/test.sh and scripts/bench.sh: install PostgreSQL 15 with HypoPG
# and pg_qualstats when missing, and start/stop a throwaway cluster on its own port and
# data directory (never the machine's own server on 5432).
# Inputs: PORT and BASE (data lives in $BASE/data, logs in $BASE/logs).

PG_MAJOR=15
BIN=/usr/lib/postgresql/$PG_MAJOR/bin

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

ensure_packages() {
  local missing=()
  [ -x "$BIN/initdb" ] || missing+=("postgresql-$PG_MAJOR")
  [ -f "/usr/share/postgresql/$PG_MAJOR/extension/hypopg.control" ] || missing+=("postgresql-$PG_MAJOR-hypopg")
  [ -f "/usr/share/postgresql/$PG_MAJOR/extension/pg_qualstats.control" ] || missing+=("postgresql-$PG_MAJOR-pg-qualstats")
  command -v sqlite3 >/dev/null || missing+=(sqlite3)
  # --from log:FILE decompresses bzip2, xz and zstd logs with these programs
  command -v bzip2 >/dev/null || missing+=(bzip2)
  command -v xz >/dev/null || missing+=(xz-utils)
  command -v zstd >/dev/null || missing+=(zstd)
  # headless Chromium for the HTML report test
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  if [ ${#missing[@]} -gt 0 ]; then
    echo "test.sh: installing ${missing[*]}" >&2
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

# Run a command as the cluster's owner: postgres when we are root (initdb refuses root).
as_owner() {
  if [ "$(id -u)" = 0 ]; then su postgres -s /bin/bash -c "$(printf '%q ' "$@")"; else "$@"; fi
}

stop_cluster() {
  if [ -f "$BASE/data/postmaster.pid" ]; then
    as_owner "$BIN/pg_ctl" -D "$BASE/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
}

start_cluster() {
  stop_cluster
  rm -rf "$BASE"
  mkdir -p "$BASE/logs"
  if [ "$(id -u)" = 0 ]; then chown -R postgres:postgres "$BASE"; fi
  as_owner "$BIN/initdb" -D "$BASE/data" -U postgres -A trust --no-sync >/dev/null
  # The test role "postgres" may connect without a password; every other role needs one
  # (tests check how a wrong password is reported).
  cat > /tmp/indexwise-hba.$$ <<HBA
local all all trust
host all postgres 127.0.0.1/32 trust
host all all 127.0.0.1/32 scram-sha-256
HBA
  as_root cp /tmp/indexwise-hba.$$ "$BASE/data/pg_hba.conf"; rm -f /tmp/indexwise-hba.$$
  if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$BASE/data/pg_hba.conf"; fi
  as_owner "$BIN/pg_ctl" -D "$BASE/data" -l "$BASE/server.log" -w -o "-p $PORT -k $BASE \
    -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off \
    -c shared_preload_libraries=pg_stat_statements,pg_qualstats -c pg_qualstats.sample_rate=1 \
    -c pg_stat_statements.track=all -c max_connections=200 -c shared_buffers=256MB -c work_mem=64MB \
    -c max_parallel_workers_per_gather=0 \
    -c logging_collector=on -c log_destination=stderr,csvlog,jsonlog -c log_directory=$BASE/logs \
    -c log_filename=postgresql -c log_file_mode=0644 -c log_min_duration_statement=-1 \
    -c log_line_prefix='%m [%p] %q%u@%d '" start >/dev/null
}

