#!/usr/bin/env bash
# Reruns every figure of docs/benchmarks.md. Run it on a quiet machine (nothing else compiling or
# testing: check `uptime`); it takes about 31 minutes on 2 cores. Results go to
# dlq-bench/target/results/<UTC time>/, one file per command, with the load before each.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B -pl dlq-bench -am package -DskipTests
jar=dlq-bench/target/benchmarks.jar
out=dlq-bench/target/results/$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$out"
{ date -u; nproc; free -g | head -2; java -version 2>&1; psql -h 127.0.0.1 -U postgres -Atc 'select version()' 2>/dev/null || true; } > "$out/machine.txt"
run() { # name, command...
  local name=$1; shift
  echo "== $name (load $(cut -d' ' -f1-3 /proc/loadavg))" | tee -a "$out/load.txt"
  "$@" 2>&1 | tee "$out/$name.txt"
}
run jmh-decision java -jar "$jar" DecisionBenchmark -prof gc -rf json -rff "$out/jmh-decision.json"
run jmh-json java -jar "$jar" DeadLetterJsonBenchmark -prof gc -rf json -rff "$out/jmh-json.json"
run jmh-engine java -jar "$jar" EngineBenchmark -prof gc -rf json -rff "$out/jmh-engine.json"
run jmh-postgres java -jar "$jar" 'Postgres.*Benchmark' -prof gc -rf json -rff "$out/jmh-postgres.json"
run drain java -cp "$jar" dev.dlq.bench.Drain --n 50000 --thread-cpu
run drain-dlq-concurrency-64 java -cp "$jar" dev.dlq.bench.Drain --n 50000 --systems db-scheduler,dlq-postgres \
  --dlq-concurrency 64 --dlq-prefetch 64
run pickup java -cp "$jar" dev.dlq.bench.Pickup
echo "results in $out"
