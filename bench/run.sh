#!/usr/bin/env bash
# Reproduces the figures in docs/benchmarks.md. Run from the repository root
# on an idle machine. PostgreSQL figures need WARROOM_TEST_POSTGRES_URL
# (each benchmark creates and drops its own schema), for example:
#   WARROOM_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test bench/run.sh
# WARROOM_BENCH_INCIDENTS sets the size of the listing data set (default 100000
# incidents, 10 timeline entries each).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-bench/out}
mkdir -p "$out"
go test -run '^$' -bench 'TimelineAppend|BareInsert' -benchtime 3s -count 3 ./internal/incident/ | tee "$out/append.txt"
go test -run '^$' -bench 'ListIncidents' -benchtime 2s -timeout 60m -v ./internal/incident/ | tee "$out/list.txt"
go test -run '^$' -bench 'Upload2GiB' -benchtime 1x -count 3 ./internal/evidence/ | tee "$out/evidence.txt"
