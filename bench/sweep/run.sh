#!/usr/bin/env bash
# The sweep benchmark (docs/benchmarks.md, "Sweep"): generates a log corpus
# and 20,000 indicators in a temporary directory, runs `warroom sweep` and
# `rg -F -f` on the same files from the page cache, and prints both
# throughputs, their ratio and whether the hits agree with each other and
# with the planted ones.
#
#   bench/sweep/run.sh            # 200 MiB corpus
#   SIZE=1G bench/sweep/run.sh    # 1 GiB
#   KEEP=1 bench/sweep/run.sh     # keep the temporary directory
set -euo pipefail
SIZE=${SIZE:-200M}
IOCS=${IOCS:-20000}
HITS=${HITS:-999}
cd "$(dirname "$0")/../.."

if ! command -v rg >/dev/null; then
  echo "ripgrep is missing; installing Debian's package" >&2
  apt-get install -y -qq ripgrep >/dev/null
fi
tmp=$(mktemp -d)
if [ -z "${KEEP:-}" ]; then trap 'rm -rf "$tmp"' EXIT; else echo "keeping $tmp"; fi

# WARROOM=path/to/binary measures a given build instead of building one.
if [ -n "${WARROOM:-}" ]; then cp "$WARROOM" "$tmp/warroom"; else go build -o "$tmp/warroom" ./cmd/warroom; fi
go build -o "$tmp/gen" ./bench/sweep/gen
"$tmp/gen" -out "$tmp/corpus" -size "$SIZE" -iocs "$IOCS" -hits "$HITS"
logs="$tmp/corpus/logs"
bytes=$(cat "$logs"/* | wc -c)
cat "$logs"/* >/dev/null # into the page cache, so both read from memory

now() { date +%s.%N; }
echo "load before: $(uptime | sed 's/.*load average: //')"
t0=$(now)
"$tmp/warroom" sweep --iocs "$tmp/corpus/iocs.txt" --path "$logs" -o jsonl --quiet --no-hash >"$tmp/warroom.jsonl"
t1=$(now)
rg -F -f "$tmp/corpus/iocs.txt" -n --no-heading --with-filename "$logs" >"$tmp/rg.txt" || true
t2=$(now)
echo "load after:  $(uptime | sed 's/.*load average: //')"

awk -v b="$bytes" -v t0="$t0" -v t1="$t1" -v t2="$t2" -v rgv="$(rg --version 2>/dev/null | head -1)" -v n="$IOCS" -v cores="$(nproc)" 'BEGIN {
  w = t1 - t0; r = t2 - t1
  printf "corpus: %.0f MiB, %s indicators, %d cores\n", b/1048576, n, cores
  printf "warroom sweep: %6.2f s  %8.1f MB/s\n", w, b/w/1e6
  printf "%s -F -f: %6.2f s  %8.1f MB/s\n", rgv, r, b/r/1e6
  printf "ratio: %.1fx\n", r/w
}'
"$tmp/gen" -check "$tmp/corpus" -warroom "$tmp/warroom.jsonl" -rg "$tmp/rg.txt"
