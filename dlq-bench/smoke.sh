#!/usr/bin/env bash
# CI smoke run of every bench command with a tiny N: proves they run, judges no rate.
# Needs dlq-bench/target/benchmarks.jar (./mvnw verify builds it) and PostgreSQL on 127.0.0.1:5432
# (or DLQ_BENCH_POSTGRES_URL, else embedded), NATS on 127.0.0.1:4222 (or DLQ_BENCH_NATS_URL).
# About 65 s on a 2-core machine.
set -euo pipefail
cd "$(dirname "$0")/.."
jar=dlq-bench/target/benchmarks.jar
# every JMH benchmark once, one parameter set each, 200 ms, no warm-up; -foe: a failing benchmark fails the run
java -jar "$jar" -f 1 -wi 0 -i 1 -r 200ms \
  -p policy=conservative -p error=system -p concurrency=2 -p prefetch=10 -p failing=10 -p batch=10 -p headers=2 \
  -foe true > dlq-bench/target/jmh-smoke.txt 2>&1 || { cat dlq-bench/target/jmh-smoke.txt; exit 1; }
grep -c 'avgt' dlq-bench/target/jmh-smoke.txt | xargs -I{} echo "bench smoke: {} JMH benchmarks ran"
# the drain: every system, 1000 tasks, 0% and 10% failing; exit code 1 if any lost or left work
java -cp "$jar" dev.dlq.bench.Drain --smoke
# the pickup latency: 20 samples per system; exit code 1 if a sample never started or started twice
java -cp "$jar" dev.dlq.bench.Pickup --smoke
# the soak: 6 s at 200 tasks/s, a report every 2 s; exit code 1 if any task was lost or left
java -cp "$jar" dev.dlq.bench.Soak --smoke > dlq-bench/target/soak-smoke.txt 2>&1 \
  || { cat dlq-bench/target/soak-smoke.txt; echo "bench smoke: the soak failed" >&2; exit 1; }
grep '^soak: ok' dlq-bench/target/soak-smoke.txt
