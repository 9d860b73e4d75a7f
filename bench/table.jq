# Turns JMH's JSON results into the Markdown table rows of docs/benchmarks.md, minikv and RocksDB
# side by side:   jq -r -f bench/table.jq bench/target/results.json
# ratio > 1 means minikv is faster: minikv/RocksDB for throughput, RocksDB/minikv for times.

def commas: if length <= 3 then . else (.[:-3] | commas) + "," + .[-3:] end;
def num: if . >= 100 then (round | tostring | commas) else ((. * 10 | round) / 10 | tostring) end;
def decimals($n): (. * pow(10; $n) | round | tostring) as $d
  | ($d | length) as $l
  | if $l <= $n then "0." + ("0" * ($n - $l)) + $d else $d[:$l - $n] + "." + $d[$l - $n:] end;
def ratio: if . >= 0.1 then decimals(2) else decimals(3) end;
def cell: .primaryMetric
  | (.score | num)
    + (if (.scoreError | type) == "number" then " ± " + (.scoreError | num) else "" end)
    + " " + .scoreUnit;

"| benchmark | params | minikv | RocksDB | ratio |",
"|---|---|---:|---:|---:|",
(map(. + {
    name: (.benchmark | split(".") | .[-2:] | join(".")),
    others: (.params | to_entries | map(select(.key != "engine")) | map("\(.key)=\(.value)") | join(", ")),
    order: (.params | del(.engine) | to_entries | map(.value as $v | .value = (try ($v | tonumber) catch $v)) | from_entries)
  })
  | group_by([.name, .order])[]
  | (map(select(.params.engine == "minikv"))[0]) as $m
  | (map(select(.params.engine == "rocksdb"))[0]) as $r
  | "| \(.[0].name) | \(.[0].others) | \($m | if . then cell else "-" end) | \($r | if . then cell else "-" end) | "
    + (if $m and $r then
         (if .[0].mode == "thrpt" then $m.primaryMetric.score / $r.primaryMetric.score
          else $r.primaryMetric.score / $m.primaryMetric.score end) | ratio
       else "-" end)
    + " |")
