#!/usr/bin/env bash
# One volume server over HTTP, loaded by `minikv bench` (1 KiB and 1 MiB puts and gets with 1, 16 and 64
# clients), then `wrk` as a second opinion for the gets. Figures go to docs/benchmarks.md.
#
#   bench/volume-bench.sh            # 20 s measured + 5 s warm-up per run
#   DURATION=5s WARMUP=1s bench/volume-bench.sh    # a quick pass
#
# wrk comes from Debian (apt-get install wrk). Results: bench/target/volume/*.json and wrk-*.txt.
set -euo pipefail
cd "$(dirname "$0")/.."

duration=${DURATION:-20s}
warmup=${WARMUP:-5s}
port=${VOLUME_PORT:-16000}
out=bench/target/volume
data=$(mktemp -d "${TMPDIR:-/tmp}/minikv-volume-bench.XXXXXX")
mkdir -p "$out"

./minikv --version >/dev/null # builds the launcher's jar first, outside the measurements
./minikv volume serve --id bench --bind "127.0.0.1:$port" --data "$data" 2>"$out/server.log" &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null || true; rm -rf "$data"' EXIT
for _ in $(seq 1 100); do
  curl -fs "http://127.0.0.1:$port/health" >/dev/null && break
  sleep 0.2
done

url=http://127.0.0.1:$port
for size in 1KiB 1MiB; do
  keys=1000
  [ "$size" = 1MiB ] && keys=200
  for workload in put get; do
    for clients in 1 16 64; do
      ./minikv bench --url "$url" --workload "$workload" --clients "$clients" --value-size "$size" \
        --keys "$keys" --warmup "$warmup" --duration "$duration" --format json \
        | tee "$out/$workload-$size-$clients.json"
    done
  done
  if command -v wrk >/dev/null; then
    # The get runs above left every key in place; wrk reads one of them over and over.
    for clients in 1 16 64; do
      threads=$((clients < 2 ? 1 : 2))
      wrk -t "$threads" -c "$clients" -d "$duration" --latency "$url/blobs/bench/1" \
        | tee "$out/wrk-$size-$clients.txt"
    done
  fi
done
