#!/usr/bin/env bash
# HTTP load on RecServer: builds recbook-bench (release), installs wrk if missing, and runs
# `recbook-bench serve` (a server on 127.0.0.1 with a factor-model stand-in, wrk for N seconds).
# Prints one JSON line: requests/s, p50/p90/p99 latency.
#
#   bench/serve_load.sh [--seconds 10] [--connections 16] [--threads 2] [--path /v1/recommend?user=u7&k=10]
#
# Build folder: $SCRATCH (default .build-me); the first release build with Hummingbird takes ~10 min.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v wrk > /dev/null; then
  echo "installing wrk (Debian package)" >&2
  apt-get install -y wrk > /dev/null 2>&1 || { apt-get update > /dev/null && apt-get install -y wrk > /dev/null; }
fi
SCRATCH="${SCRATCH:-.build-me}"
swift build -c release --scratch-path "$SCRATCH" --product recbook-bench >&2
exec "$SCRATCH/release/recbook-bench" serve "$@"
