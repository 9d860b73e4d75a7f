#!/usr/bin/env bash
# A 3-coordinator + 3-volume minikv cluster (replicas 3) side by side with a 3-member etcd on loopback:
# durable puts and linearizable gets of 256 B values with 16, 64 and 256 clients, puts of 1 MiB values,
# and the time from SIGKILL of the leader to the next acknowledged write. Figures go to docs/benchmarks.md.
#
#   bench/cluster-vs-etcd.sh                     full run: 10 s warm-up + 30 s per row, 3 leader kills
#   bench/cluster-vs-etcd.sh --quick             a check that everything works: 1 s + 5 s per row, 1 kill
#   bench/cluster-vs-etcd.sh --systems etcd ...  further options go to io.minikv.bench.ClusterVsEtcd
#
# Needs etcd 3.4 on PATH (apt-get install etcd-server etcd-client). Results: bench/target/cluster-vs-etcd[-quick].json
# (the figures), .md (the table) and .log (progress); the nodes' data and logs live under
# bench/target/cluster-data while they run and are deleted afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
. ./.mvn/jdk25.sh

suffix=
for arg in "$@"; do
  [ "$arg" = --quick ] && suffix=-quick
done

if ! command -v etcd >/dev/null; then
  echo "etcd is not installed: apt-get install etcd-server etcd-client" >&2
  exit 1
fi
etcd --version | head -1

./mvnw -q -Pbench -DskipTests -Dspotless.check.skip=true package -pl bench -am
# JAVA_OPTS is for the nodes: a collector chosen there would clash with the one the launcher picks for a command,
# and the AOT cache is recorded with the default settings.
JAVA_OPTS= ./minikv --version >/dev/null # builds the launcher's jar now, not while the coordinators start
JAVA_OPTS= ./minikv coord serve --help >/dev/null # records the servers' AOT cache now (once per build), not while they start
echo "minikv at $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- . || echo ' (with uncommitted changes)')"

# The nodes' data lives on the measured disk (bench/target, not a tmpfs /tmp).
data=$PWD/bench/target/cluster-data
rm -rf "$data"
mkdir -p "$data"
trap 'rm -rf "$data"' EXIT

out=bench/target/cluster-vs-etcd$suffix
# Other work on the machine shows in every figure: say how busy it was.
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$out.log"
# The drivers' Netty (minikv's client: gRPC's copy; jetcd: its own) without the leak detector, as the nodes.
"$JAVA_HOME/bin/java" -Dio.grpc.netty.shaded.io.netty.leakDetection.level=disabled \
  -Dio.netty.leakDetection.level=disabled -Dminikv.bench.dir="$data" -cp bench/target/benchmarks.jar io.minikv.bench.ClusterVsEtcd \
  --json "$out.json" "$@" 2> >(tee -a "$out.log" >&2) | tee "$out.md"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out.log"
