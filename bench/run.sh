#!/usr/bin/env bash
# Builds the benchmarks and runs them, minikv and RocksDB side by side in one JMH run, then the
# index memory report. Figures in docs/benchmarks.md come from the full mode.
#
#   bench/run.sh              full run: the recorded figures (JMH -f 1 -wi 2 -w 5s -i 3 -r 10s)
#   bench/run.sh quick        smoke run: one short iteration each, proves every benchmark works
#   bench/run.sh quick Get    extra arguments go to JMH (here: only benchmarks matching "Get");
#                             the memory report then does not run
#
# Results in bench/target: results[-quick].json (JMH JSON), jmh[-quick].txt (JMH log),
# table[-quick].md (the doc's table, made by bench/table.jq), memory[-quick].txt (memory report).
set -euo pipefail
cd "$(dirname "$0")/.."
. ./.mvn/jdk25.sh

mode=full
if [ "${1:-}" = quick ] || [ "${1:-}" = full ]; then
  mode=$1
  shift
fi
case $mode in
  full)
    jmh_options=(-f 1 -wi 2 -w 5s -i 3 -r 10s)
    memory_keys=(1000000 10000000)
    suffix=
    ;;
  quick)
    jmh_options=(-f 1 -wi 1 -w 1s -i 1 -r 1s)
    memory_keys=(1000000)
    suffix=-quick
    ;;
esac

./mvnw -q -Pbench -DskipTests package -pl bench -am

# Stores live on the measured disk (bench/target, not a tmpfs /tmp) and are deleted afterwards.
data=$PWD/bench/target/data
rm -rf "$data"
trap 'rm -rf "$data"' EXIT
java=$JAVA_HOME/bin/java
jar=bench/target/benchmarks.jar

# JMH forks inherit these JVM options.
"$java" --enable-native-access=ALL-UNNAMED -Dminikv.bench.dir="$data" -jar "$jar" \
  "${jmh_options[@]}" -rf json -rff "bench/target/results$suffix.json" "$@" \
  | tee "bench/target/jmh$suffix.txt"

# The same figures as a Markdown table, minikv and RocksDB side by side (docs/benchmarks.md).
if command -v jq >/dev/null; then
  jq -r -f bench/table.jq "bench/target/results$suffix.json" | tee "bench/target/table$suffix.md"
else
  echo "jq is not installed: no bench/target/table$suffix.md (apt-get install jq)" >&2
fi

if [ $# -gt 0 ]; then
  exit 0
fi
"$java" -XX:+UseSerialGC -Xmx8g --enable-native-access=ALL-UNNAMED -Dminikv.bench.dir="$data" \
  -cp "$jar" io.minikv.bench.IndexMemoryReport "${memory_keys[@]}" \
  | tee "bench/target/memory$suffix.txt"
